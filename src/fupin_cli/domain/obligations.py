"""Obligations: every occurrence of every task for every responsible leaf unit, within a scope and a window."""

from __future__ import annotations

from datetime import date
from typing import Iterator

from .model import Obligation, Occurrence, Task
from .schedule import Timetable
from .units import UnitIndex
from .values import Frozen


class Scope(Frozen):
    """What a report looks at: which leaf units (None = all) and which category."""

    units: frozenset[str] | None = None
    category: str | None = None

    def __init__(self, units: frozenset[str] | None = None, category: str | None = None) -> None:
        vars(self).update(units=units, category=category)

    @classmethod
    def for_unit(cls, units: UnitIndex, unit: str | None, category: str | None = None) -> "Scope":
        return cls(units=frozenset(units.leaves(unit)) if unit else None, category=category)


def units_in_scope(units: UnitIndex, task: Task, scope: Scope) -> list[str]:
    """The task's responsible leaf units that the scope looks at, in the task's order."""
    responsible = units.responsible(task.units)
    if scope.units is not None:
        return [u for u in responsible if u in scope.units]
    return list(responsible)


def task_windows(timetable: Timetable, scope: Scope, due_from: date | None,
                 due_until: date | None) -> Iterator[tuple[Task, list[str], list[Occurrence]]]:
    """(task, units in scope, occurrences) for each task, occurrences limited to the due window.

    With a window only occurrences whose effective due date lies in it (so no
    ongoing ones): reports look at a window, and skipping the rest before
    expanding groups keeps province-sized plans fast.
    """
    plan = timetable.plan
    windowed = due_from is not None or due_until is not None
    low, high = due_from or date.min, due_until or date.max
    narrowed = scope.units is not None
    for task in plan.tasks:
        if scope.category and task.category != scope.category:
            continue
        if narrowed:  # a report for some units: a task none of them answers for costs no occurrences
            units = units_in_scope(plan.units, task, scope)
            if not units:
                continue
        found = timetable.occurrences(task)
        if windowed:
            found = [o for o in found if o.due is not None and low <= o.due <= high]
        if found:
            if not narrowed:
                units = units_in_scope(plan.units, task, scope)
            if units:
                yield task, units, found


def obligations(timetable: Timetable, scope: Scope = Scope(), *, due_from: date | None = None,
                due_until: date | None = None) -> Iterator[Obligation]:
    """Every occurrence of every task for every responsible (leaf) unit in scope."""
    for task, units, found in task_windows(timetable, scope, due_from, due_until):
        for unit in units:
            for occurrence in found:
                yield Obligation(task, unit, occurrence)
