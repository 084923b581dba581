"""``due`` and ``overdue``: open obligations that are late or due soon."""

from __future__ import annotations

from datetime import date, timedelta

from ..domain.model import Obligation
from ..domain.obligations import Scope, task_windows
from ..domain.schedule import Timetable
from ..domain.status import URGENCY
from ..journal.ledger import Standing
from .rows import Row, status_row


def open_rows(timetable: Timetable, standing: Standing, scope: Scope, due_until: date, warn_days: int) -> list[Row]:
    """Rows of the obligations due by ``due_until`` that are not done.

    The hot loop of every report on a big plan: no object is made for an
    obligation until it turns out to be open.
    """
    rows = []
    count_of = standing.count_of
    for task, units, found in task_windows(timetable, scope, None, due_until):
        for occ in found:
            done = standing.done_in(task, occ.period)
            required = occ.required
            for unit in units:
                if count_of(done.get(unit)) < required:
                    rows.append(status_row(Obligation(task, unit, occ), standing.dates(task, occ.period, unit),
                                           standing.today, warn_days))
    return rows


def _urgency(row: Row):
    return (URGENCY[row.status], row.due or date.max, row.unit, row.task, row.period)


def due_rows(timetable: Timetable, standing: Standing, scope: Scope = Scope(), within: int | None = None) -> list[Row]:
    """Open obligations that are overdue or due within ``within`` days, most urgent first."""
    days = timetable.plan.settings.warn_days if within is None else within
    rows = open_rows(timetable, standing, scope, standing.today + timedelta(days=days), days)
    return sorted(rows, key=_urgency)


def overdue_rows(timetable: Timetable, standing: Standing, scope: Scope = Scope()) -> list[Row]:
    rows = open_rows(timetable, standing, scope, standing.today - timedelta(days=1),
                     timetable.plan.settings.warn_days)
    return sorted(rows, key=lambda r: (r.unit, r.due, r.task, r.period))
