"""The plan's data types: plain frozen values, no I/O.

They are :class:`~fupin_cli.domain.values.Frozen` classes rather than frozen
dataclasses (the same behaviour, without compiling methods at every start);
each ``__init__`` lists the fields in the order of the annotations.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from pathlib import Path

from .units import Unit, UnitIndex
from .values import Frozen, replace

__all__ = ["Unit", "UnitIndex", "Rule", "Occurrence", "Task", "Settings", "Plan", "Obligation"]


class Rule(Frozen):
    """One deadline rule: a period kind and where in (or after) the period it is due.

    For every kind but ``once``, ``week`` and ``ongoing`` the nominal due date of a
    period is: month ``month`` of the period (1 = its first month, None = its last),
    day ``day`` of that month (None = the last day), then ``after_months`` months
    later (a month's last day stays a month's last day), ``after_days`` days later,
    and ``workdays`` official working days on (N > 0: the N-th working day after
    it; N < 0: the |N|-th working day counting back from it, itself included).
    ``week`` is due on ``weekday`` (0 = Monday, None = Sunday) of the ISO week plus
    ``after_days``.  ``once`` is due on ``date`` (plus ``workdays``); ``holiday``
    names the official holiday that date is the first day of, when the words said
    so (春节前).  ``ongoing`` has no due date and is never overdue.  ``since`` and
    ``until`` bound a recurring rule: only periods overlapping [since, until] are
    duties (自2024年起每季度末, 2018年至2020年每年年底前).  The kinds are the
    registry of :mod:`fupin_cli.domain.periods`.

    ``source`` is the clause the rule was read from, ``words`` the exact words of
    that rule and ``span`` their [start, end) in the whole deadline text; none of
    the three takes part in what the rule means (see :attr:`meaning`).
    """

    kind: str
    count: int = 1
    date: date | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    after_months: int = 0
    after_days: int = 0
    workdays: int = 0
    since: date | None = None
    until: date | None = None
    holiday: str = ""
    source: str = ""
    words: str = ""
    span: tuple[int, int] | None = None

    def __init__(self, kind: str, count: int = 1, date: date | None = None, month: int | None = None,
                 day: int | None = None, weekday: int | None = None, after_months: int = 0, after_days: int = 0,
                 workdays: int = 0, since: date | None = None, until: date | None = None, holiday: str = "",
                 source: str = "", words: str = "", span: tuple[int, int] | None = None) -> None:
        vars(self).update(kind=kind, count=count, date=date, month=month, day=day, weekday=weekday,
                          after_months=after_months, after_days=after_days, workdays=workdays, since=since,
                          until=until, holiday=holiday, source=source, words=words, span=span)

    @property
    def meaning(self) -> "Rule":
        """The rule without where it was read from: two rules that mean the same compare equal."""
        return replace(self, source="", words="", span=None)

    @property
    def key(self) -> str:
        """The rule's identity from its content, e.g. ``month@d25``, ``year@m6``, ``quarter@+10d``.

        Journal labels of periods that several rules of one task share carry it,
        so inserting or reordering rules never moves a recorded completion.
        """
        if self.kind == "ongoing":
            return "ongoing" + (self._bounds() or "")
        parts = []
        if self.kind == "once" and self.date is not None:
            parts.append(self.date.isoformat())
        for value, tag in ((self.month, "m"), (self.day, "d")):
            if value is not None:
                parts.append(f"{tag}{value}")
        if self.weekday is not None:
            parts.append(f"w{self.weekday + 1}")
        for value, tag in ((self.after_months, "m"), (self.after_days, "d"), (self.workdays, "wd")):
            if value:
                parts.append(f"{value:+d}{tag}")
        if self.count != 1:
            parts.append(f"x{self.count}")
        return f"{self.kind}@{''.join(parts) or 'end'}{self._bounds()}"

    def _bounds(self) -> str:
        return (f"~from{self.since:%Y%m%d}" if self.since else "") + (f"~to{self.until:%Y%m%d}" if self.until else "")


class Occurrence(Frozen):
    """One period of one rule: what must be done by when."""

    period: str
    start: date
    end: date
    nominal_due: date | None
    due: date | None
    required: int
    rule_index: int = 0

    def __init__(self, period: str, start: date, end: date, nominal_due: date | None, due: date | None,
                 required: int, rule_index: int = 0) -> None:
        vars(self).update(period=period, start=start, end=end, nominal_due=nominal_due, due=due,
                          required=required, rule_index=rule_index)


class Task(Frozen):
    id: str
    seq: str
    category: str
    text: str
    units: tuple[str, ...]
    deadline: str
    rules: tuple[Rule, ...]
    explicit_schedule: bool = False
    note: str = ""
    line: int = 0
    lead: tuple[str, ...] = ()      # the units marked as lead (牵头), a subset of ``units``
    remark: str = ""                # the 备注 column of the official table
    source: str = ""                # where an imported task was read: ``清单.xlsx:Sheet1 第7行``
    plan: str = ""                  # the key of the plan the task belongs to (ids are unique within a plan)
    progress_every: str = ""        # week, month or quarter: how often progress is reported; "" = not asked

    def __init__(self, id: str, seq: str, category: str, text: str, units: tuple[str, ...], deadline: str,
                 rules: tuple[Rule, ...], explicit_schedule: bool = False, note: str = "", line: int = 0,
                 lead: tuple[str, ...] = (), remark: str = "", source: str = "", plan: str = "",
                 progress_every: str = "") -> None:
        vars(self).update(id=id, seq=seq, category=category, text=text, units=units, deadline=deadline,
                          rules=rules, explicit_schedule=explicit_schedule, note=note, line=line, lead=lead,
                          remark=remark, source=source, plan=plan, progress_every=progress_every)


class Settings(Frozen):
    holiday_shift: str = "next_workday"
    warn_days: int = 14
    semester_starts: tuple[tuple[int, int], ...] = ((3, 1), (9, 1))
    # 黄灯 within this many official working days; None: within warn_days calendar days.
    yellow_workdays: int | None = None
    # How often 长期性 (ongoing) tasks report progress unless the task says: week, month, quarter; "" = not asked.
    progress_every: str = ""

    def __init__(self, holiday_shift: str = "next_workday", warn_days: int = 14,
                 semester_starts: tuple[tuple[int, int], ...] = ((3, 1), (9, 1)), yellow_workdays: int | None = None,
                 progress_every: str = "") -> None:
        vars(self).update(holiday_shift=holiday_shift, warn_days=warn_days, semester_starts=semester_starts,
                          yellow_workdays=yellow_workdays, progress_every=progress_every)


class Plan(Frozen):
    """A task list: its header, its tasks in the official order, and the index of its units.

    Equal only to itself (a dataclass's ``eq=False``).
    """

    title: str
    doc_no: str
    issuer: str
    issued: date | None
    valid_from: date
    valid_to: date
    timezone: str
    settings: Settings
    tasks: tuple[Task, ...]
    units: UnitIndex
    tasks_file: Path | None = None
    units_file: Path | None = None
    key: str = ""  # the plan's key in its data folder: its file's stem (tasks, 2019-重点任务)

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, title: str, doc_no: str, issuer: str, issued: date | None, valid_from: date, valid_to: date,
                 timezone: str, settings: Settings, tasks: tuple[Task, ...], units: UnitIndex,
                 tasks_file: Path | None = None, units_file: Path | None = None, key: str = "") -> None:
        vars(self).update(title=title, doc_no=doc_no, issuer=issuer, issued=issued, valid_from=valid_from,
                          valid_to=valid_to, timezone=timezone, settings=settings, tasks=tasks, units=units,
                          tasks_file=tasks_file, units_file=units_file, key=key)

    @cached_property
    def tasks_by_unit(self) -> dict[str, list[int]]:
        """Unit name as written on tasks → positions of the tasks naming it (built once)."""
        index: dict[str, list[int]] = {}
        for position, task in enumerate(self.tasks):
            for name in task.units:
                index.setdefault(name, []).append(position)
        return index

    def tasks_for_unit(self, name: str) -> list[Task]:
        """Tasks a unit carries: assigned to it, to a group standing for it, or (a group) to its leaves."""
        by_unit = self.tasks_by_unit
        positions: set[int] = set()
        for related in self.units.related(name):
            positions.update(by_unit.get(related, ()))
        return [self.tasks[p] for p in sorted(positions)]

    def find_task(self, task_id: str) -> Task | None:
        """The task with this id as people write it (全角/半角, spaces, case aside), or None."""
        from .text import normalize_name

        key = normalize_name(task_id)
        for task in self.tasks:
            if normalize_name(task.id) == key:
                return task
        return None


class Obligation(Frozen):
    """One occurrence of one task for one responsible unit."""

    task: Task
    unit: str
    occurrence: Occurrence

    def __init__(self, task: Task, unit: str, occurrence: Occurrence) -> None:
        vars(self).update(task=task, unit=unit, occurrence=occurrence)
