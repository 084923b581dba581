"""The report row: one obligation as reports show it; and the yellow light's window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..domain.holidays import HolidayCalendar
from ..domain.model import Obligation, Settings
from ..domain.status import status_of
from .labels import rule_hint


@dataclass(frozen=True)
class Row:
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

    @property
    def task_key(self) -> tuple[str, str]:
        """(plan key, task id): what names a task when a report covers several plans."""
        return (self.plan, self.task)


def status_row(obligation: Obligation, done_dates: list[date], today: date, soon_days: int) -> Row:
    """The row of one obligation; ``soon_days`` is the yellow light's window in calendar days."""
    occ, task = obligation.occurrence, obligation.task
    status, days, done_date = status_of(occ.due, occ.required, done_dates, today, soon_days)
    return Row(task=task.id, text=task.text, category=task.category, unit=obligation.unit,
               period=occ.period, nominal_due=occ.nominal_due, due=occ.due, status=status,
               days=days, required=occ.required, done_count=len(done_dates), done_date=done_date,
               rule_hint=rule_hint(task.rules, occ.rule_index), plan=task.plan)


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
