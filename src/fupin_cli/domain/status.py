"""The status of an obligation on a day: the traffic light of 督办."""

from __future__ import annotations

from datetime import date

STATUSES = ("overdue", "due_soon", "upcoming", "ongoing", "done", "done_late")

# Most urgent first: what is late, then what is due, then the rest.
URGENCY = {"overdue": 0, "due_soon": 1, "upcoming": 2, "ongoing": 3, "done_late": 4, "done": 5}


def status_of(due: date | None, required: int, done_dates: list[date], today: date,
              warn_days: int) -> tuple[str, int | None, date | None]:
    """``(status, days until due, date the required count was reached)`` of one obligation."""
    done_date = done_dates[required - 1] if len(done_dates) >= required else None
    days = (due - today).days if due else None
    if done_date is not None:
        status = "done_late" if due and done_date > due else "done"
    elif due is None:
        status = "ongoing"
    elif days < 0:
        status = "overdue"
    elif days <= warn_days:
        status = "due_soon"
    else:
        status = "upcoming"
    return status, days, done_date
