"""``calendar``: occurrences due in a window, by date."""

from __future__ import annotations

from datetime import date

from ..domain.obligations import Scope, obligations
from ..domain.schedule import Timetable
from .rows import Row


def calendar_rows(timetable: Timetable, start: date, end: date, scope: Scope = Scope(),
                  task_id: str | None = None) -> list[Row]:
    """Occurrences whose effective due date lies in [start, end], by date."""
    rows = []
    for ob in obligations(timetable, scope, due_from=start, due_until=end):
        occ = ob.occurrence
        if task_id and ob.task.id != task_id:
            continue
        rows.append(Row(task=ob.task.id, text=ob.task.text, category=ob.task.category, unit=ob.unit,
                        period=occ.period, nominal_due=occ.nominal_due, due=occ.due, status="upcoming",
                        days=None, required=occ.required, done_count=0))
    return sorted(rows, key=lambda r: (r.due, r.task, r.period, r.unit))
