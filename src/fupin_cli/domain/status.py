"""The status of an obligation on a day: the traffic light of 督办."""

from __future__ import annotations

from datetime import date

# extended: open, due on an approved later date that has not passed (延期中); overdue against it is red.
# feedback_overdue: open and not overdue, but its progress report is late (反馈逾期).
# waived: exempted or terminated (免于考核 / 已终止): out of every count.
STATUSES = ("overdue", "feedback_overdue", "due_soon", "extended", "upcoming", "ongoing", "done", "done_late",
            "waived")

# Most urgent first: what is late, then what is due, then the rest.
URGENCY = {"overdue": 0, "feedback_overdue": 1, "due_soon": 2, "extended": 3, "upcoming": 4, "ongoing": 5,
           "done_late": 6, "done": 7, "waived": 8}
OPEN = frozenset(("overdue", "feedback_overdue", "due_soon", "extended", "upcoming", "ongoing"))


def status_of(due: date | None, required: int, done_dates: list[date], today: date,
              warn_days: int, *, extended: bool = False) -> tuple[str, int | None, date | None]:
    """``(status, days until due, date the required count was reached)`` of one obligation.

    ``due`` is the effective due date: the approved one when ``extended``.
    """
    done_date = done_dates[required - 1] if len(done_dates) >= required else None
    days = (due - today).days if due else None
    if done_date is not None:
        status = "done_late" if due and done_date > due else "done"
    elif due is None:
        status = "ongoing"
    elif days < 0:
        status = "overdue"
    elif extended:
        status = "extended"
    elif days <= warn_days:
        status = "due_soon"
    else:
        status = "upcoming"
    return status, days, done_date
