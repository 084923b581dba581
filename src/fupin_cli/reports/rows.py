"""The report row: one obligation as reports show it; and the yellow light's window."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ..domain.holidays import HolidayCalendar
from ..domain.model import Occurrence, Settings, Task
from ..domain.periods import add_months
from ..domain.status import status_of
from .labels import rule_hint

if TYPE_CHECKING:  # annotations only: a report from the cached ledger needs no entry type
    from ..journal.entries import ProgressEntry
    from ..journal.ledger import Mark


class Row(NamedTuple):
    """One obligation as a report shows it.  A named tuple, not a dataclass: a province's overdue list makes
    tens of thousands, and a frozen dataclass costs four times as much to build."""

    task: str
    text: str
    category: str
    unit: str
    period: str
    nominal_due: date | None
    due: date | None
    status: str
    days: int | None
    required: int
    done_count: int
    done_date: date | None = None
    # How this duty is due, in words, when its task has several duties sharing one period
    # (每月25日前录入 / 每月28日前审核 both give a July): tells 2018-07 from 2018-07#4 in print.
    rule_hint: str = ""
    plan: str = ""  # the key of the task's plan
    original_due: date | None = None  # the due date before any extension (= due when there is none)
    extensions: int = 0  # live extensions (延期) of this obligation; the latest gave ``due``
    last_progress: ProgressEntry | None = None  # the unit's latest progress report on the task
    waived: bool = False  # exempted or terminated (免于考核 / 已终止)
    feedback_due: date | None = None  # when the next progress report is due, for a task with a reporting cycle

    @property
    def task_key(self) -> tuple[str, str]:
        """(plan key, task id): what names a task when a report covers several plans."""
        return (self.plan, self.task)


def status_row(task: Task, unit: str, occ: Occurrence, done_dates: list[date], today: date, soon_days: int,
               mark: Mark | None = None, last_progress: ProgressEntry | None = None) -> Row:
    """The row of one obligation (``task`` for ``unit`` in the period of ``occ``); ``soon_days`` is the yellow
    light's window in calendar days.

    ``mark`` (extensions, waiver) moves the due date to the approved one or takes the row out of the
    counts; ``last_progress`` is shown with it.
    """
    extension = mark.extension if mark else None
    due = extension.until if extension else occ.due
    status, days, done_date = status_of(due, occ.required, done_dates, today, soon_days,
                                        extended=extension is not None)
    waived = bool(mark and mark.waiver)
    if waived and done_date is None:
        status = "waived"
    return Row(task.id, task.text, task.category, unit, occ.period, occ.nominal_due, due, status,
               days, occ.required, len(done_dates), done_date,
               rule_hint(task.rules, occ.rule_index) if len(task.rules) > 1 else "",  # one rule: no sibling
               task.plan, occ.due, len(mark.extensions) if mark else 0, last_progress, waived)


_UNIT = Row._fields.index("unit")
_new = tuple.__new__


def alike_rows(template: Row, units) -> list[Row]:
    """Rows like ``template`` for each of ``units``: obligations of one period that stand alike (no completion,
    no mark), so one :func:`status_row` serves them all — a province's overdue list has tens of thousands."""
    head, tail = template[:_UNIT], template[_UNIT + 1:]
    return [_new(Row, (*head, unit, *tail)) for unit in units]  # what Row._make does, without its call


def begins(occurrence, valid_from: date) -> date:
    """The first day work on an occurrence counts: its period's start; a one-off (whose period is its date)
    from the plan's first day, or 1 January of its year if that is earlier — as a completion may be dated."""
    if occurrence.start == occurrence.end == occurrence.nominal_due:
        return min(valid_from, occurrence.start.replace(month=1, day=1))
    return occurrence.start


CYCLE_MONTHS = {"month": 1, "quarter": 3}


def next_feedback(cycle: str, since: date) -> date:
    """The last day a progress report is on time when the previous one (or the start) was on ``since``."""
    if cycle == "week":
        return since + timedelta(days=7)
    return add_months(since, CYCLE_MONTHS[cycle])


def feedback_due(task: Task, start: date, last_progress: ProgressEntry | None) -> date | None:
    """When the unit's next progress report on ``task`` is due: one cycle after the last one, or after
    ``start`` (the day its open obligation began, or the plan's first day) when it has none."""
    if not task.progress_every:
        return None
    return next_feedback(task.progress_every, last_progress.date if last_progress else start)


def soon_days(today: date, settings: Settings, calendar: HolidayCalendar, default: int | None = None) -> int:
    """The yellow light's window from ``today``, in calendar days.

    With ``yellow_workdays`` in the plan header, an obligation is 黄灯 when it is due within that many
    official working days (today not counted; 调休 Saturdays count, holidays do not); otherwise within
    ``default`` (the caller's ``--within``) or the plan's ``warn_days`` calendar days, as always.
    """
    workdays = settings.yellow_workdays
    if workdays is None:
        return settings.warn_days if default is None else default
    day, left = today, workdays
    while left > 0:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            left -= 1
    return (day - today).days
