"""``report weekly``: the ISO week around today — per-unit summary, the four lists (督办周报)."""

from __future__ import annotations

from ..domain.obligations import Scope
from ..domain.schedule import Timetable
from ..journal.ledger import Standing
from .period import PeriodReport, UnitSummary, bounds, period_report

WeeklyReport = PeriodReport
__all__ = ["WeeklyReport", "UnitSummary", "weekly_report"]


def weekly_report(timetable: Timetable, standing: Standing, scope: Scope = Scope(), *, unit: str | None = None,
                  sort: str = "official") -> PeriodReport:
    """The ISO week around ``today``: per-unit summary (with the rate at the end of last week) and the lists.

    Ongoing work has no due date and is never listed as due.
    """
    start, end = bounds("week", standing.today)
    return period_report(timetable, standing, scope, "week", start, end, unit=unit, sort=sort)
