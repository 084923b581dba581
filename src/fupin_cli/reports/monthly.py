"""``report monthly``: a calendar month — the weekly's sections over the month, and the trend by week (督办月报)."""

from __future__ import annotations

from datetime import date

from ..domain.obligations import Scope
from ..domain.schedule import Timetable
from ..journal.ledger import Ledger
from .period import PeriodReport, bounds, period_report


def monthly_report(timetable: Timetable, ledger: Ledger, today: date, month: date | None = None,
                   scope: Scope = Scope(), *, unit: str | None = None, sort: str = "official") -> PeriodReport:
    """The month holding ``month`` (default: today's month) as it stood on its last day, or today if earlier."""
    start, end = bounds("month", month or today)
    return period_report(timetable, ledger.as_of(min(today, end)), scope, "month", start, end, unit=unit, sort=sort,
                         trend=True)
