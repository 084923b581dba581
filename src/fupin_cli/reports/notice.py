"""``report notice``: the 督办通知单 of a unit — what it has overdue and what falls due soon."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..domain.obligations import Scope
from ..domain.schedule import Timetable
from ..journal.ledger import Standing
from .due import due_rows
from .order import plan_keys, task_order, unit_order
from .rows import Row


@dataclass
class Notice:
    unit: str
    as_of: date
    overdue: list[Row] = field(default_factory=list)
    due_soon: list[Row] = field(default_factory=list)  # open, due within the window (today included)
    within: int = 14

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_soon)


@dataclass
class Notices:
    title: str
    doc_no: str
    issuer: str
    as_of: date
    within: int
    notices: list[Notice]
    deadlines: dict[tuple[str, str], str]  # (plan key, task id) → its deadline words
    order: dict[tuple[str, str], int] = field(default_factory=dict)  # (plan key, task id) → its place
    plans: tuple[str, ...] = ()  # the keys of the plans the notices cover


def unit_notices(timetable: Timetable, standing: Standing, units: list[str] | None = None,
                 within: int | None = None) -> Notices:
    """One notice per leaf unit: the units named (each, even with nothing to urge), or every unit that has
    something overdue or due within ``within`` days (default the plan's warn_days), in the official order."""
    plan = timetable.plan
    days = plan.settings.warn_days if within is None else within
    scope = Scope(units=frozenset(units)) if units else Scope()
    rows = due_rows(timetable, standing, scope, days)
    by_unit: dict[str, Notice] = {name: Notice(name, standing.today, within=days) for name in units or ()}
    for row in rows:
        notice = by_unit.get(row.unit)
        if notice is None:
            notice = by_unit[row.unit] = Notice(row.unit, standing.today, within=days)
        (notice.overdue if row.status == "overdue" else notice.due_soon).append(row)
    order = unit_order(plan.units)
    found = sorted(by_unit.values(), key=lambda n: (order.get(n.unit, len(order)), n.unit))
    return Notices(title=plan.title, doc_no=plan.doc_no, issuer=plan.issuer, as_of=standing.today, within=days,
                   notices=found, deadlines={(task.plan, task.id): task.deadline for task in plan.tasks},
                   order=task_order(plan), plans=plan_keys(plan))
