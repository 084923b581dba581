"""The report row: one obligation as reports show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.model import Obligation
from ..domain.status import status_of


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
    plan: str = ""  # the key of the task's plan


def status_row(obligation: Obligation, done_dates: list[date], today: date, warn_days: int) -> Row:
    occ, task = obligation.occurrence, obligation.task
    status, days, done_date = status_of(occ.due, occ.required, done_dates, today, warn_days)
    return Row(task=task.id, text=task.text, category=task.category, unit=obligation.unit,
               period=occ.period, nominal_due=occ.nominal_due, due=occ.due, status=status,
               days=days, required=occ.required, done_count=len(done_dates), done_date=done_date,
               plan=task.plan)
