"""``due`` and ``overdue``: open obligations that are late or due soon, in the official order."""

from __future__ import annotations

from datetime import date, timedelta

from ..domain.model import Obligation
from ..domain.obligations import Scope, task_windows
from ..domain.schedule import Timetable
from ..journal.ledger import Standing
from ..progress import step
from .order import sort_rows
from .rows import Row, soon_days, status_row


def open_rows(timetable: Timetable, standing: Standing, scope: Scope, due_until: date, soon: int) -> list[Row]:
    """Rows of the obligations due by ``due_until`` that are not done; yellow within ``soon`` days.

    The hot loop of every report on a big plan: no object is made for an
    obligation until it turns out to be open.
    """
    rows = []
    count_of = standing.count_of
    tasks = len(timetable.plan.tasks)
    for number, (task, units, found) in enumerate(task_windows(timetable, scope, None, due_until)):
        step("计算报表", number, tasks)  # a bar on a terminal, when a province-sized plan takes a while
        for occ in found:
            done = standing.done_in(task, occ.period)
            required = occ.required
            for unit in units:
                if count_of(done.get(unit)) < required:
                    rows.append(status_row(Obligation(task, unit, occ), standing.dates(task, occ.period, unit),
                                           standing.today, soon))
    return rows


def due_rows(timetable: Timetable, standing: Standing, scope: Scope = Scope(), within: int | None = None,
             sort: str = "official") -> list[Row]:
    """Open obligations that are overdue or due within ``within`` days (default the plan's warn_days)."""
    plan = timetable.plan
    days = plan.settings.warn_days if within is None else within
    soon = soon_days(standing.today, plan.settings, timetable.calendar, days)
    rows = open_rows(timetable, standing, scope, standing.today + timedelta(days=days), soon)
    return sort_rows(rows, plan, sort)


def overdue_rows(timetable: Timetable, standing: Standing, scope: Scope = Scope(), sort: str = "official") -> list[Row]:
    plan = timetable.plan
    soon = soon_days(standing.today, plan.settings, timetable.calendar)
    rows = open_rows(timetable, standing, scope, standing.today - timedelta(days=1), soon)
    return sort_rows(rows, plan, sort)
