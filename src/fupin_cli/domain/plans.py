"""Several task lists in one data folder: the plans, their keys, and which of them a day concerns.

A data folder holds one or more plans sharing one unit index (and one journal).
Each plan has a key, the stem of its file (``tasks`` for ``tasks.yaml``,
``2019-重点任务`` for ``plans/2019-重点任务.yaml``); task ids are unique within a
plan, and ``KEY:ID`` names a task when two plans share an id.  Pure values, no
I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .model import Occurrence, Plan, Task
from .text import normalize_name
from .units import UnitIndex
from .values import Frozen, replace

if TYPE_CHECKING:
    from .schedule import Timetable

# How long after its end a plan is still reported: what was not done in its year
# stays overdue, and quarterly returns of its last quarter fall due in January.
REPORT_GRACE = timedelta(days=366)

KEY_SEPARATOR = ":"  # KEY:ID; a full-width ： is read the same (NFKC)
_BAD_KEY_CHARS = set('/\\:*?"<>|：')


def plan_key_problem(key: str) -> str | None:
    """Why ``key`` cannot name a plan (a file name on every system, no ``:``), or None."""
    if not key or key != key.strip():
        return "清单名不能为空，也不能以空格开头或结尾"
    if len(key) > 60:
        return "清单名不能超过 60 个字"
    if key.startswith("."):
        return "清单名不能以 . 开头"
    bad = sorted({ch for ch in key if ch in _BAD_KEY_CHARS or ord(ch) < 32})
    if bad:
        return f"清单名不能含 {' '.join(repr(ch)[1:-1] for ch in bad)}（/ \\ : * ? \" < > | 及控制字符）"
    return None


def reported_until(plan: Plan) -> date:
    """The last day a plan is reported on: its end plus the grace year."""
    return plan.valid_to + REPORT_GRACE


class PlanSet(Frozen):
    """The plans of a data folder, in order: ``tasks.yaml`` first, then ``plans/*.yaml`` by file name.

    Journal entries written before entries carried a plan key belong to the
    first plan (fupin knew only ``tasks.yaml`` then).  Equal only to itself.
    """

    plans: tuple[Plan, ...]

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, plans: tuple[Plan, ...]) -> None:
        if not plans:
            raise ValueError("a PlanSet holds at least one plan")
        vars(self).update(plans=plans)

    def __iter__(self) -> Iterator[Plan]:
        return iter(self.plans)

    def __len__(self) -> int:
        return len(self.plans)

    @property
    def units(self) -> UnitIndex:
        """The unit index every plan of the folder shares."""
        return self.plans[0].units

    @property
    def first(self) -> Plan:
        return self.plans[0]

    @property
    def keys(self) -> list[str]:
        return [plan.key for plan in self.plans]

    def get(self, key: str) -> Plan | None:
        """The plan with this key as people write it (全角/半角, case aside), or None."""
        wanted = normalize_name(key)
        return next((plan for plan in self.plans if normalize_name(plan.key) == wanted), None)

    def narrowed(self, key: str) -> "PlanSet | None":
        plan = self.get(key)
        return None if plan is None else PlanSet((plan,))

    def reported_on(self, day: date) -> tuple[Plan, ...]:
        """The plans a report on ``day`` covers: in force, or ended less than the grace year ago."""
        return tuple(plan for plan in self.plans if plan.valid_from <= day <= reported_until(plan))

    def in_force(self, day: date) -> tuple[Plan, ...]:
        return tuple(plan for plan in self.plans if plan.valid_from <= day <= plan.valid_to)

    # -- tasks
    def split_ref(self, ref: str) -> tuple[Plan | None, str]:
        """``KEY:ID`` → (the plan, ID); anything else → (None, ref).

        Only a known key before the colon counts, so an id that itself holds a
        colon still works bare.
        """
        text = ref.strip().replace("：", KEY_SEPARATOR)
        key, sep, task_id = text.partition(KEY_SEPARATOR)
        if sep:
            plan = self.get(key)
            if plan is not None:
                return plan, task_id.strip()
        return None, text

    def find_tasks(self, ref: str) -> list[Task]:
        """Every task ``ref`` (``ID`` or ``KEY:ID``) can mean, in plan order."""
        plan, task_id = self.split_ref(ref)
        found = []
        for candidate in (plan,) if plan is not None else self.plans:
            task = candidate.find_task(task_id)
            if task is not None:
                found.append(task)
        return found

    def task_ref(self, task: Task) -> str:
        """How to name ``task`` unambiguously here: its id, or ``KEY:ID`` when the folder has several plans."""
        return f"{task.plan}{KEY_SEPARATOR}{task.id}" if len(self.plans) > 1 else task.id

    def all_tasks(self) -> Iterator[Task]:
        for plan in self.plans:
            yield from plan.tasks

    # -- one plan standing for several, for reports
    def view(self, plans: Iterable[Plan]) -> Plan:
        """One plan that lists the tasks of ``plans`` (in folder order), for reports across them.

        One plan is itself.  Several: titles and document numbers joined, the
        first one's settings, time zone and key-less.  None: the folder's only
        plan (or all of them, joined) without tasks, so a report still has a title.
        """
        chosen = [plan for plan in self.plans if any(plan is p for p in plans)]
        if len(chosen) == 1:
            return chosen[0]
        named = chosen or list(self.plans)
        if not chosen and len(named) == 1:
            return replace(named[0], tasks=())
        first = named[0]
        return Plan(
            title="、".join(dict.fromkeys(p.title for p in named)),
            doc_no="、".join(dict.fromkeys(p.doc_no for p in named if p.doc_no)),
            issuer=first.issuer, issued=first.issued,
            valid_from=min(p.valid_from for p in named), valid_to=max(p.valid_to for p in named),
            timezone=first.timezone, settings=first.settings,
            tasks=tuple(task for plan in chosen for task in plan.tasks), units=self.units,
            tasks_file=None, units_file=first.units_file, key="",
        )


class CombinedTimetable:
    """The timetables of several plans behind one, for reports across them.

    ``plan`` is the :meth:`PlanSet.view` of those plans; each task's occurrences
    come from its own plan's timetable (its own window and holiday rule);
    ``calendar`` is the first plan's (the yellow light's working days).
    """

    def __init__(self, plan: Plan, timetables: Mapping[str, Timetable]) -> None:
        self.plan = plan
        self._timetables = timetables
        self.calendar = next(iter(timetables.values())).calendar

    def occurrences(self, task: Task) -> list[Occurrence]:
        return self._timetables[task.plan].occurrences(task)

    def plan_of(self, task: Task) -> Plan:
        """The plan ``task`` belongs to (its own window, e.g. where its reporting cycle starts)."""
        return self._timetables[task.plan].plan
