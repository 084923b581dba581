"""``report quarterly``: a calendar quarter — the weekly's sections over the quarter, and the trend by week (督办季报)."""

from __future__ import annotations

from datetime import date

from ..domain.obligations import Scope
from ..domain.schedule import Timetable
from ..journal.ledger import Ledger
from .period import PeriodReport, bounds, period_report


def quarterly_report(timetable: Timetable, ledger: Ledger, today: date, quarter: date | None = None,
                     scope: Scope = Scope(), *, unit: str | None = None, sort: str = "official") -> PeriodReport:
    """The quarter holding ``quarter`` (default: today's) as it stood on its last day, or today if earlier."""
    start, end = bounds("quarter", quarter or today)
    return period_report(timetable, ledger.as_of(min(today, end)), scope, "quarter", start, end, unit=unit,
                         sort=sort, trend=True)
