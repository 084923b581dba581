"""The official order of a report, and the other orders ``--sort`` offers.

Offices read units in the order units.yaml lists them (the districts, then the
city bureaus as the office lists them), a group standing for its members in
member order, and tasks in the order of the plan.  ``--sort`` offers:

======== =========================================================
official units in units.yaml order, tasks in plan order, then by due date (the default)
due      by due date (earliest first), then the official order
overdue  the most overdue first, then what is due soonest
name     units by the pinyin of their names, then tasks in plan order
======== =========================================================
"""

from __future__ import annotations

from datetime import date
from typing import Callable, Iterable, TypeVar

from ..domain.model import Plan
from ..domain.status import URGENCY
from ..domain.text import pinyin_key
from ..domain.units import UnitIndex
from .rows import Row

SORTS = {"official": "官方顺序（单位按 units.yaml，任务按清单）", "due": "应完成日", "overdue": "逾期天数（最久的在前）",
         "name": "单位名称（拼音）"}
T = TypeVar("T")


def unit_order(units: UnitIndex) -> dict[str, int]:
    """Leaf unit → its place: units.yaml order, each group replaced by its members in member order."""
    return units.leaf_order()


def plan_keys(plan: Plan) -> tuple[str, ...]:
    """The keys of the plans whose tasks ``plan`` lists, in order (several when a report covers several)."""
    return tuple(dict.fromkeys(task.plan for task in plan.tasks))


def task_order(plan: Plan) -> dict[tuple[str, str], int]:
    """(plan key, task id) → the task's place in the plan (several plans: in folder order)."""
    return {(task.plan, task.id): index for index, task in enumerate(plan.tasks)}


def unit_key(plan: Plan, how: str = "official") -> Callable[[str], tuple]:
    """A sort key for unit names."""
    order = unit_order(plan.units)
    if how == "name":
        return lambda unit: (pinyin_key(unit), order.get(unit, len(order)), unit)
    return lambda unit: (order.get(unit, len(order)), unit)


def sort_units(names: Iterable[T], plan: Plan, how: str = "official", name_of: Callable[[T], str] = str) -> list[T]:
    key = unit_key(plan, "name" if how == "name" else "official")
    return sorted(names, key=lambda item: key(name_of(item)))


def sort_rows(rows: Iterable[Row], plan: Plan, how: str = "official") -> list[Row]:
    """``rows`` in the order ``how`` (see the module's table)."""
    tasks = task_order(plan)
    last = len(tasks)
    if how == "name":
        units = unit_key(plan, "name")

        def official(row: Row) -> tuple:
            return (units(row.unit), tasks.get((row.plan, row.task), last), row.due or date.max, row.period)
    else:  # the same order as unit_key's, the key flat: a province's overdue list sorts 65,000 rows
        place = unit_order(plan.units)
        unknown = len(place)

        def official(row: Row) -> tuple:
            return (place.get(row.unit, unknown), row.unit, tasks.get((row.plan, row.task), last),
                    row.due or date.max, row.period)

    if how == "due":
        return sorted(rows, key=lambda r: (r.due or date.max,) + official(r))
    if how == "overdue":
        return sorted(rows, key=lambda r: (URGENCY.get(r.status, 9), r.due or date.max) + official(r))
    return sorted(rows, key=official)


def units_together(rows: list[Row], how: str) -> list[Row]:
    """``rows`` (sorted ``how``) with each unit's rows together, units in order of first appearance, rows in
    their order.

    Grouping by unit after sorting by urgency used to give a unit a heading each time it reappeared.  The
    official and name orders sort by unit first: their rows are together already.
    """
    if how in ("official", "name"):
        return rows
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.unit, []).append(row)
    return [row for group in groups.values() for row in group]
