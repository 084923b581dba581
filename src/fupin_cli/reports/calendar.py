"""``calendar``: occurrences due in a window, by date."""

from __future__ import annotations

from datetime import date

from ..domain.model import Task
from ..domain.obligations import Scope, obligations
from ..domain.schedule import Timetable
from .rows import Row


def calendar_rows(timetable: Timetable, start: date, end: date, scope: Scope = Scope(),
                  task: Task | None = None) -> list[Row]:
    """Occurrences whose effective due date lies in [start, end], by date; only ``task``'s if given."""
    rows = []
    for ob in obligations(timetable, scope, due_from=start, due_until=end):
        occ = ob.occurrence
        if task is not None and (ob.task.plan, ob.task.id) != (task.plan, task.id):
            continue
        rows.append(Row(task=ob.task.id, text=ob.task.text, category=ob.task.category, unit=ob.unit,
                        period=occ.period, nominal_due=occ.nominal_due, due=occ.due, status="upcoming",
                        days=None, required=occ.required, done_count=0, plan=ob.task.plan))
    return sorted(rows, key=lambda r: (r.due, r.plan, r.task, r.period, r.unit))
