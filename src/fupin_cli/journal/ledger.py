"""The ledger: what the journal's entries say is done, folded once.

Live completions per plan, task, period and unit, kept compact: nested dicts
plan → task → period → unit → completion date ordinal, or a sorted tuple of
ordinals when there are several, names interned.  Lines written before entries
carried a plan key are under the plan key ``""`` until
:meth:`Ledger.with_unkeyed_as` gives them to the folder's first plan.  That
encoding is private: callers get a cell with :meth:`Ledger.done_in` and ask
:class:`Standing` about it.

A void cancels a completion.  A void whose target is a void or is not in the
journal has no effect; :func:`void_problems` reports it.  There is no
"un-void": to restore a voided completion, record it again.

Beside completions the ledger keeps the *marks* of an obligation: its live
extensions (延期; the latest counts, so voiding it restores the one before),
its waiver (免于考核, for one period or all of them) and its progress reports
(进展).  They are few, so they are kept as entries: plan → task → period →
unit → :class:`Mark` (a waiver of every period under :data:`ALL_PERIODS`).
:data:`MARKERS` says how each op marks; a new op that marks is one entry there.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import TYPE_CHECKING

from ..domain.model import Task

if TYPE_CHECKING:  # a ledger read from the index's cache needs no entry type: entries are imported where made
    from .entries import DoneEntry, Entry, ExtendEntry, Problem, ProgressEntry, VoidEntry, WaiveEntry

Done = int | tuple[int, ...]  # one completion's date ordinal, or several, sorted
Completions = dict[str, dict[str, dict[str, dict[str, Done]]]]
UNKEYED = ""  # the plan key of lines written before entries carried one
_NOTHING: dict = {}


@dataclass(frozen=True)
class Mark:
    """What the journal says of one obligation beside its completions: all live, oldest first."""

    extensions: tuple[ExtendEntry, ...] = ()  # by id, i.e. the order they were recorded in
    waiver: WaiveEntry | None = None  # the latest live waiver
    progress: tuple[ProgressEntry, ...] = ()  # by report date, then id

    @property
    def extension(self) -> ExtendEntry | None:
        """The extension that counts: the latest live one."""
        return self.extensions[-1] if self.extensions else None

    def __bool__(self) -> bool:
        return bool(self.extensions or self.waiver or self.progress)


def _add_extension(mark: Mark, entry: ExtendEntry) -> Mark:
    return replace(mark, extensions=tuple(sorted((*mark.extensions, entry), key=lambda e: e.id)))


def _add_waiver(mark: Mark, entry: WaiveEntry) -> Mark:
    return replace(mark, waiver=entry if mark.waiver is None or mark.waiver.id < entry.id else mark.waiver)


def _add_progress(mark: Mark, entry: ProgressEntry) -> Mark:
    return replace(mark, progress=tuple(sorted((*mark.progress, entry), key=lambda e: (e.date, e.id))))


# How each op that marks an obligation adds itself to its Mark; keyed by op, not by entry type, so that a
# ledger read from the cache needs no entry type (tests/test_ledger.py keeps the keys those of OPS).
MARKERS = {"extend": _add_extension, "waive": _add_waiver, "progress": _add_progress}
Marks = dict[str, dict[str, dict[str, dict[str, Mark]]]]


def add_marks(marks: Marks, entries: Iterable[Entry]) -> None:
    """Mark obligations with ``entries`` (in place); entries of other ops are left out."""
    for entry in entries:
        add = MARKERS.get(entry.op)
        if add is None:
            continue
        if entry.line:  # the index cannot always know a line's number: marks carry none, however read
            entry = replace(entry, line=0)
        units = marks.setdefault(entry.plan, {}).setdefault(entry.task, {}).setdefault(entry.period, {})
        units[entry.unit] = add(units.get(entry.unit, Mark()), entry)


_DAY_FIELDS = ("date", "until", "approved_on", "due_before")


def plain_entry(entry) -> tuple[str, dict]:
    """(op, {field: value}) of a marking entry, days as ordinals: what a marshal file can hold."""
    values = {f.name: getattr(entry, f.name) for f in fields(entry)}
    for key in _DAY_FIELDS:
        if values.get(key) is not None:
            values[key] = values[key].toordinal()
    return entry.op, values


def marks_to_plain(marks: Marks) -> list:
    """The entries of ``marks`` as plain values (op, {field: value}) a marshal file can hold."""
    plain = []
    for tasks in marks.values():
        for periods in tasks.values():
            for units in periods.values():
                for mark in units.values():
                    for entry in (*mark.extensions, *((mark.waiver,) if mark.waiver else ()), *mark.progress):
                        plain.append(plain_entry(entry))
    return plain


def marks_from_plain(plain: list) -> Marks:
    if not plain:
        return {}
    from .entries import OPS

    marks: Marks = {}
    entries = []
    for op, values in plain:
        values = dict(values)
        for key in _DAY_FIELDS:
            if values.get(key) is not None:
                values[key] = date.fromordinal(values[key])
        entries.append(OPS[op].type(**values))
    add_marks(marks, entries)
    return marks


def live_entries(entries: Iterable[Entry]) -> list[Entry]:
    """The entries about an obligation (completions, progress, extensions, waivers), in order, that no void
    cancels."""
    from .entries import OBLIGATION_ENTRIES, VoidEntry

    entries = list(entries)
    voided = {e.target for e in entries if type(e) is VoidEntry}
    return [e for e in entries if type(e) in OBLIGATION_ENTRIES and e.id not in voided]


def live_completions(entries: Iterable[Entry]) -> list[DoneEntry]:
    """The completions, in order, that no void cancels."""
    from .entries import DoneEntry, VoidEntry

    entries = list(entries)
    voided = {e.target for e in entries if type(e) is VoidEntry}
    return [e for e in entries if type(e) is DoneEntry and e.id not in voided]


class Ledger:
    """Live completion dates per obligation, as the whole journal says (later dates included).

    ``voided`` holds the id of every entry some void names (whether or not
    that entry exists), so a second void of one entry can be refused.  ``marks``: see the module's doc.
    """

    def __init__(self, completions: Completions, problems: list[Problem],
                 voided: frozenset[str] = frozenset(), marks: Marks | None = None) -> None:
        self.completions = completions
        self.problems = problems
        self.voided = voided
        self.marks: Marks = marks or {}

    def marks_in(self, task: Task, period: str) -> Mapping[str, Mark]:
        """unit → Mark for one task (of its plan) and period; a waiver of every period is not in it."""
        return self.marks.get(task.plan, _NOTHING).get(task.id, _NOTHING).get(period, _NOTHING)

    def mark(self, task: Task, period: str, unit: str) -> Mark:
        """The marks of one obligation, a waiver of every period of the task included."""
        by_period = self.marks.get(task.plan, _NOTHING).get(task.id, _NOTHING)
        if not by_period:
            return _NO_MARK
        from .entries import ALL_PERIODS

        mark = by_period.get(period, _NOTHING).get(unit, _NO_MARK)
        every = by_period.get(ALL_PERIODS, _NOTHING).get(unit)
        if every is not None and every.waiver is not None and (
                mark.waiver is None or mark.waiver.id < every.waiver.id):
            mark = replace(mark, waiver=every.waiver)
        return mark

    def progress_of(self, task: Task, unit: str) -> list[ProgressEntry]:
        """Every live progress report of a task by a unit, whatever its period, by date."""
        found = [p for units in self.marks.get(task.plan, _NOTHING).get(task.id, _NOTHING).values()
                 for p in units.get(unit, _NO_MARK).progress]
        return sorted(found, key=lambda e: (e.date, e.id))

    def marked_tasks(self) -> Iterator[tuple[str, str]]:
        """(plan, task id) of every task with a mark."""
        for plan, tasks in self.marks.items():
            for task in tasks:
                yield plan, task

    def done_in(self, task: Task, period: str) -> Mapping[str, Done]:
        """unit → completions for one task (of its plan) and period (hot loops look units up in it)."""
        return self.completions.get(task.plan, _NOTHING).get(task.id, _NOTHING).get(period, _NOTHING)

    def as_of(self, today: date) -> "Standing":
        return Standing(self, today)

    def with_unkeyed_as(self, plan: str) -> "Ledger":
        """This ledger with the completions of lines without a plan key counted for ``plan``.

        Such lines were written when a data folder had one list, ``tasks.yaml``,
        which is the first plan of the folder.  Copies only what it merges.
        """
        marks = self.marks
        if UNKEYED in marks and plan != UNKEYED:  # marks are written with a plan key; be safe all the same
            marks = dict(marks)
            into = marks[plan] = {task: dict(periods) for task, periods in marks.get(plan, _NOTHING).items()}
            for task, periods in marks.pop(UNKEYED).items():
                for period, units in periods.items():
                    into.setdefault(task, {}).setdefault(period, {}).update(units)
        unkeyed = self.completions.get(UNKEYED)
        if unkeyed is None or plan == UNKEYED:
            return self if marks is self.marks else Ledger(self.completions, self.problems, self.voided, marks)
        completions = dict(self.completions)
        del completions[UNKEYED]
        own = completions.get(plan)
        completions[plan] = unkeyed if own is None else _merged(unkeyed, own)
        return Ledger(completions, self.problems, self.voided, marks)

    def relabelled(self, labels: Mapping[str, Mapping[str, Mapping[str, str]]]) -> "Ledger":
        """The ledger with period labels read anew: plan → task → {label in the journal → label to count it under}.

        Completions that end up under one label are merged; tasks not named keep their cells.
        """
        completions = dict(self.completions)
        for plan, by_task in labels.items():
            tasks = completions[plan] = dict(completions.get(plan, _NOTHING))
            for task, mapping in by_task.items():
                tasks[task] = self._relabelled_periods(tasks.get(task, _NOTHING), mapping)
        return Ledger(completions, self.problems, self.voided, self.marks)

    @staticmethod
    def _relabelled_periods(cells: Mapping, mapping: Mapping[str, str]) -> dict:
        """One task's period → unit → Done, the labels in ``mapping`` moved (merged where they meet)."""
        periods = dict(cells)
        for old, new in mapping.items():
            units = periods.pop(old, None)
            if units is None:
                continue
            merged = dict(periods.get(new, _NOTHING))
            for unit, done in units.items():
                found = merged.get(unit)
                merged[unit] = done if found is None else _merge(found, done)
            periods[new] = merged
        return periods


_NO_MARK = Mark()


def _merge(a: Done, b: Done) -> Done:
    ordinals = ((a,) if type(a) is int else a) + ((b,) if type(b) is int else b)
    return tuple(sorted(ordinals))


class Standing:
    """The ledger seen from ``today``: completions dated later do not count yet."""

    def __init__(self, ledger: Ledger, today: date) -> None:
        self.ledger = ledger
        self.done_in = ledger.done_in
        self.marks_in = ledger.marks_in
        self.problems = ledger.problems
        self.today = today
        self.today_ordinal = today.toordinal()

    def mark(self, task: Task, period: str, unit: str) -> Mark:
        """The obligation's marks as of today: progress reported later does not count yet.

        Extensions and waivers count from when they are recorded, whatever day the report stands on.
        """
        mark = self.ledger.mark(task, period, unit)
        if mark.progress and mark.progress[-1].date > self.today:
            mark = replace(mark, progress=tuple(p for p in mark.progress if p.date <= self.today))
        return mark

    def last_progress(self, task: Task, unit: str) -> ProgressEntry | None:
        """The unit's latest progress report on the task (any period) dated on or before today."""
        found = [p for p in self.ledger.progress_of(task, unit) if p.date <= self.today]
        return found[-1] if found else None

    def progress_between(self, first: date, last: date) -> Iterator[ProgressEntry]:
        """Every live progress report dated from ``first`` to ``last`` (and not after today)."""
        last = min(last, self.today)
        for tasks in self.ledger.marks.values():
            for periods in tasks.values():
                for units in periods.values():
                    for mark in units.values():
                        for entry in mark.progress:
                            if first <= entry.date <= last:
                                yield entry

    def count_of(self, done: Done | None) -> int:
        """How many of ``done`` (a value of :meth:`Ledger.done_in`) fall on or before today."""
        if done is None:
            return 0
        if type(done) is int:
            return 1 if done <= self.today_ordinal else 0
        return len(done) if done[-1] <= self.today_ordinal else bisect_right(done, self.today_ordinal)

    def reached(self, done: Done | None, required: int) -> int | None:
        """The date ordinal on which ``done`` reached ``required`` completions, if it has by today."""
        if done is None:
            return None
        if type(done) is int:
            return done if required == 1 and done <= self.today_ordinal else None
        return done[required - 1] if self.count_of(done) >= required else None

    def dates(self, task: Task, period: str, unit: str) -> list[date]:
        done = self.done_in(task, period).get(unit)
        if done is None:
            return []
        ordinals = (done,) if type(done) is int else done
        return [date.fromordinal(d) for d in ordinals[: self.count_of(done)]]


def fold(entries: Iterable[Entry], problems: list[Problem]) -> Ledger:
    """The ledger of ``entries`` (file order); ``problems`` are the reader's, passed on."""
    from .entries import DoneEntry, VoidEntry

    entries = list(entries)
    voided = frozenset(e.target for e in entries if type(e) is VoidEntry)
    completions: Completions = {}
    add_completions(completions, [e for e in entries if type(e) is DoneEntry and e.id not in voided])
    marks: Marks = {}
    add_marks(marks, [e for e in entries if e.op in MARKERS and e.id not in voided])
    return Ledger(completions, problems, voided, marks)


def add_completions(completions: Completions, done: Iterable[DoneEntry]) -> None:
    """Count ``done`` into ``completions`` (in place), each under the plan its line names."""
    intern = sys.intern
    cells: dict[tuple[str, str, str], dict[str, Done]] = {}  # (plan, task, period) → its units
    for entry in done:
        cell = (entry.plan, entry.task, entry.period)
        units = cells.get(cell)
        if units is None:
            units = cells[cell] = completions.setdefault(intern(entry.plan), {}).setdefault(
                intern(entry.task), {}).setdefault(intern(entry.period), {})
        ordinal = entry.date.toordinal()
        found = units.get(entry.unit)
        if found is None:
            units[intern(entry.unit)] = ordinal
        else:
            units[entry.unit] = tuple(sorted(((found,) if type(found) is int else found) + (ordinal,)))


def add_cells(completions: Completions, cells: Iterable[tuple[str, str, str, str, int]]) -> None:
    """Count (plan, task, period, unit, date ordinal) completions into ``completions`` (in place), as
    :func:`add_completions` does for entries."""
    intern = sys.intern
    for plan, task, period, unit, ordinal in cells:
        tasks = completions.get(plan)
        if tasks is None:
            tasks = completions[intern(plan)] = {}
        units = tasks.get(task)
        if units is None:
            units = tasks[intern(task)] = {}
        by_unit = units.get(period)
        if by_unit is None:
            by_unit = units[intern(period)] = {}
        found = by_unit.get(unit)
        if found is None:
            by_unit[intern(unit)] = ordinal
        else:
            by_unit[unit] = tuple(sorted(((found,) if type(found) is int else found) + (ordinal,)))


def remove_completion(completions: Completions, entry: DoneEntry) -> bool:
    """Take one completion out of ``completions`` (in place); False if it was not there."""
    units = completions.get(entry.plan, _NOTHING).get(entry.task, _NOTHING).get(entry.period, _NOTHING)
    found = units.get(entry.unit)
    ordinals = [] if found is None else [found] if type(found) is int else list(found)
    if entry.date.toordinal() not in ordinals:
        return False
    ordinals.remove(entry.date.toordinal())
    if not ordinals:
        del units[entry.unit]
        if not units:  # leave no empty cell behind: the ledger is then the one a full fold makes
            tasks = completions[entry.plan]
            periods = tasks[entry.task]
            del periods[entry.period]
            if not periods:
                del tasks[entry.task]
                if not tasks:
                    del completions[entry.plan]
    else:
        units[entry.unit] = ordinals[0] if len(ordinals) == 1 else tuple(ordinals)
    return True


def _merged(base: dict, extra: dict) -> dict:
    """task → period → unit → Done of both, copying only the parts of ``base`` that ``extra`` touches."""
    result = dict(base)
    for task, periods in extra.items():
        into_task = result[task] = dict(result.get(task, _NOTHING))
        for period, units in periods.items():
            into_units = into_task[period] = dict(into_task.get(period, _NOTHING))
            for unit, done in units.items():
                found = into_units.get(unit)
                into_units[unit] = done if found is None else _merge(found, done)
    return result


def void_problems(entries: Iterable[Entry]) -> list[Problem]:
    """Voids without effect: a target that is a void or is not in the journal, or a second void."""
    from .entries import Problem, VoidEntry

    entries = list(entries)
    by_id = {e.id: e for e in entries}
    first_void: dict[str, VoidEntry] = {}
    problems: list[Problem] = []
    for e in entries:
        if type(e) is not VoidEntry:
            continue
        target = by_id.get(e.target)
        if target is None:
            problems.append(Problem(e.line, f"第 {e.line} 行作废的记录 \"{e.target}\" 在台账中不存在，此作废无效"))
        elif type(target) is VoidEntry:
            problems.append(Problem(e.line, f"第 {e.line} 行作废的是第 {target.line} 行的作废记录，"
                                            f"作废不能撤销，此作废无效；如需恢复，请重新登记完成"))
        elif e.target in first_void:
            earlier = first_void[e.target]
            problems.append(Problem(e.line, f"第 {e.line} 行再次作废了第 {target.line} 行的记录"
                                            f"（已由第 {earlier.line} 行作废）"))
        else:
            first_void[e.target] = e
    return problems
