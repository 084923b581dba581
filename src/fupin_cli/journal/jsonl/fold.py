"""Folding a whole journal into its ledger a block at a time, without an entry object per line.

A line written the way fupin writes it — a ``done`` or ``void`` line of
:func:`~fupin_cli.journal.entries.make_done_record` / ``make_void_record``: the
keys in their documented order, no spaces, no backslash escape, no control
character — is read by one regular expression (:data:`CANONICAL`) over a block
of lines (128 KB), straight into the parts the ledger needs.  Every other line
(hand-written, spaced, escaped, broken, of another op, a date that is no day)
goes through the reader, so the fold gives exactly what the full reader's
:func:`~fupin_cli.journal.ledger.fold` gives; ``tests/test_fold.py`` and the
differential machine compare them.

What is kept while folding: one fingerprint per id (two lines of one id are one
entry when they are the same, and the full reader decides when they are not),
one interned name per distinct task, unit, period and plan, and the growing
ledger itself.  A void may come after the completion it cancels, so a first,
cheap pass (a byte search) finds every line that holds ``void``; completions
those lines target wait until all voids are known.
"""

from __future__ import annotations

import re
import sys
from operator import itemgetter
from typing import TYPE_CHECKING

from ..days import parse_day
from ..ledger import MARKERS, Completions, plain_entry

if TYPE_CHECKING:  # annotations only: lines in fupin's own form need neither the entry types nor the reader
    from ..entries import DoneEntry

_TEXT = rb'[^"\\\x00-\x1f]'  # a character of a JSON string that needs no escape (\n included: rows stay in their line)
# One match per line.  A line in fupin's own form fills the groups; any other line matches the
# last branch, which keeps the line as it is (an id is never empty: an empty id says "ask the reader").
# Rows: 0 id, 1 plan, 2 task, 3 unit, 4 period, 5 date (a done); 6 plan, 7 target (a void);
# 8 the rest (recorded_at, by, note), which with the others makes two lines of one id comparable;
# 9 a line in any other form.
CANONICAL = re.compile((
    rb'^(?:\{"id":"(T++)","op":"(?:'
    rb'done",(?:"plan":"(T*+)",)?"task":"(T*+)","unit":"(T*+)","period":"(T*+)","date":"(T*+)"'
    rb'|void",(?:"plan":"(T*+)",)?"target":"(T++)")'
    rb',("recorded_at":"T*+","by":"T*+","note":"T*+")\}|(.*))$').replace(b"T", _TEXT), re.M)
_ID, _UNIT, _DATE, _TARGET, _LINE = 0, 3, 5, 7, 9
HELD = object()  # in LineFold.seen: an id some void names, no line of it read yet
_ID_OF, _DATE_OF = itemgetter(_ID), itemgetter(_DATE)
_VOID_NEEDLE = b"void"  # in every line whose op is void, unless escaped


class Disagreement(Exception):
    """Two different lines carry one id: only the full reader can say which counts and what to report."""


def void_targets(whole: bytes, start: int, stop: int, offset: int) -> set[bytes]:
    """The ids (UTF-8) named as ``target`` by every line that could be a void among the lines
    from ``start`` to ``stop`` of ``whole``, a piece of the journal from its byte ``offset`` on.

    Only lines holding the bytes ``void`` are read (a void written with an escaped op is not
    among them; :meth:`LineFold.missed_voids` notices and asks for another pass).
    """
    targets: set[bytes] = set()
    at = whole.find(_VOID_NEEDLE, start, stop)
    while at >= 0:
        begin = whole.rfind(b"\n", start, at) + 1 or start
        end = whole.find(b"\n", at, stop)
        if end < 0:
            end = stop
        line = whole[begin:end]
        row = CANONICAL.match(line).groups(b"")
        if row[_TARGET]:
            targets.add(row[_TARGET])
        elif not row[_ID]:
            from ..entries import VoidEntry
            from .reader import parse_lines

            for entry in parse_lines([line + b"\n"], first=1 if offset + begin == 0 else 2).entries:
                if type(entry) is VoidEntry:
                    targets.add(entry.target.encode("utf-8"))
        at = whole.find(_VOID_NEEDLE, end, stop)
    return targets


class _Days(dict):
    """YYYY-MM-DD (bytes) → its day's ordinal; 0 for text that is no day."""

    def __missing__(self, raw: bytes) -> int:
        try:
            day = parse_day(raw.decode("utf-8"), {})
        except UnicodeDecodeError:
            day = None
        ordinal = self[raw] = day.toordinal() if day is not None else 0
        return ordinal


class _Names(dict):
    """A name as read (bytes) → the name, decoded and interned once."""

    def __missing__(self, raw: bytes) -> str:
        name = self[raw] = sys.intern(raw.decode("utf-8"))
        return name


class _Cells(dict):
    """(plan, task, period) as read → its units in the ledger (unit → day), made when first asked for."""

    def __init__(self, fold: "LineFold") -> None:
        super().__init__()
        self.fold = fold

    def __missing__(self, cell: tuple) -> dict:
        names = self.fold.names
        plan, task, period = names[cell[0]], names[cell[1]], names[cell[2]]
        units = self[cell] = self.fold.completions.setdefault(plan, {}).setdefault(task, {}).setdefault(period, {})
        return units


class NoDays(Exception):
    """Some lines read as fupin's own have a ``date`` that is no day: fold again, leaving them to the reader."""

    def __init__(self, dates: set[bytes]) -> None:
        super().__init__(dates)
        self.dates = dates


class LineFold:
    """The ledger of a journal's lines, fed a block of whole lines at a time (:meth:`add_block`).

    ``held``: ids some line may void (see :func:`void_targets`); their completions are counted
    only at the end, once every void is known.  Raises :class:`Disagreement` when two different
    lines carry one id.

    A province's million lines make every step per line count: a block's rows are picked out
    by one expression, checked for lines the reader must read with passes of C (``map``), and
    counted in one loop.
    """

    def __init__(self, held: set[bytes], no_days: set[bytes] = frozenset()) -> None:
        # id → fingerprint of its first line (an int, or an entry's content); held ids start as HELD
        self.seen: dict[bytes, object] = dict.fromkeys(held, HELD)
        self.held = held
        self.no_days = no_days  # dates of lines in fupin's form known to be no day (for the reader to word)
        self.names = _Names()
        self.days = _Days()
        self.completions: Completions = {}
        self.cells = _Cells(self)  # (plan, task, period) as read → its units in completions
        self.more: dict[tuple, list[int]] = {}  # (cell, unit) → the days of its later completions
        self.targets: list[bytes] = []  # of every void
        self.waiting: list[tuple] = []  # rows of completions of held ids
        self.done_entries: list[DoneEntry] = []  # completions the reader read
        self.marks: list[tuple[str, dict]] = []  # progress, extensions, waivers as plain data, all of them
        self.problems: list[tuple[int, str]] = []
        self.top = b""  # the greatest id read (of a line that may be an entry: never less than the true one)
        self.lines = 0
        self.kept: dict[bytes, object] | None = None  # see keep_first_lines
        self.kept_upto: bytes | None = None

    @property
    def max_id(self) -> str:
        return self.top.decode("utf-8")

    def keep_first_lines(self) -> None:
        """Keep the first line of every id up to the greatest id of the first block: the lines the
        fold of the lines before these may hold too (see :mod:`.halves` and :meth:`drop_first_lines`)."""
        self.kept = {}

    # ------------------------------------------------------------ reading
    def add_block(self, block: bytes) -> None:
        """Fold the lines of ``block`` (whole lines, without the last newline) that follow those read so far."""
        rows = CANONICAL.findall(block)
        first = self.lines + 1
        self.lines += len(rows)
        odd = self._odd(block, rows)
        if odd:
            if all(not rows[n][_ID] for n in odd):
                odd_lines = [(first + n, rows[n][_LINE]) for n in odd]
            else:  # lines in fupin's form with bytes that are no text, or a date that is no day
                lines = block.split(b"\n")
                odd_lines = [(first + n, lines[n]) for n in odd]
            odd = set(odd)
            rows = [row for n, row in enumerate(rows) if n not in odd]
        kept = self.kept
        if kept is not None and self.kept_upto is None:
            self.kept_upto = max(rows)[_ID] if rows else b""
        if rows:
            top = max(rows)[_ID]  # of lines in fupin's own form: text, or they would be odd
            if top > self.top:
                self.top = top
            self._add_rows(rows)
            upto = self.kept_upto
            if kept is not None and min(map(_ID_OF, rows)) <= upto:  # in fupin's order, the first block only
                for row in rows:
                    if row[_ID] <= upto:
                        kept.setdefault(row[_ID], row)
        if odd:
            self._read(odd_lines)

    def add_last(self, line: bytes) -> None:
        """The last line, which has no newline (an interrupted write, or an editor's choice)."""
        self.lines += 1
        self._read([(self.lines, line)], terminated=False)

    def _odd(self, block: bytes, rows: list[tuple]) -> list[int]:
        """The numbers of the rows the reader has to read: lines not in fupin's own form, bytes that
        are not UTF-8, a ``date`` known to be no day (see :class:`NoDays`)."""
        odd = []
        if b"" in map(_ID_OF, rows):
            odd = [n for n, row in enumerate(rows) if not row[_ID]]
        if self.no_days and not self.no_days.isdisjoint(map(_DATE_OF, rows)):
            odd += [n for n, row in enumerate(rows) if row[_DATE] in self.no_days and not row[_TARGET]]
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            for n, line in enumerate(block.split(b"\n")):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    odd.append(n)
        return sorted(set(odd)) if odd else odd

    def _add_rows(self, rows: list[tuple]) -> None:
        """Count the rows of lines in fupin's own form.

        One loop, so that each row's parts are touched while they are still in the processor's
        cache (passes of ``map`` over a block cost as much here).
        """
        seen = self.seen
        remember = seen.setdefault
        cells, names, days, more, targets = self.cells, self.names, self.days, self.more, self.targets
        cell_of, name_of, day_of = cells.get, names.get, days.get
        before = len(seen)
        repeated = 0
        for row, fingerprint in zip(rows, map(hash, rows)):
            ident, plan, task, unit, period, date, _, target, _, _ = row
            first = remember(ident, fingerprint)
            if first is not fingerprint:  # an id seen before (a fingerprint is a fresh int)
                repeated += 1
                if first is HELD:
                    first = seen[ident]  # unless an earlier row of this block was its first line
                if first is HELD:  # the first line of an id some void names: it waits for the voids
                    seen[ident] = fingerprint
                    if target:
                        targets.append(target)
                    else:
                        self.waiting.append(row)
                    continue
                if first != fingerprint:
                    raise Disagreement(ident)  # another line of this id (the same line again is one entry)
                continue
            if target:
                targets.append(target)
                continue
            day = day_of(date) or days[date]
            if not day:
                raise NoDays({date})
            cell = (plan, task, period)
            units = cell_of(cell) or cells[cell]
            name = name_of(unit) or names[unit]
            if name in units:
                more.setdefault((cell, name), []).append(day)  # another completion of one obligation
            else:
                units[name] = day
        # Two rows whose fingerprints were one small int CPython shares would pass for one id's
        # first line: then the ids added do not add up, and the full reader decides.
        if len(seen) - before != len(rows) - repeated:
            raise Disagreement(b"")

    def _count(self, rows: list[tuple]) -> None:
        """Add the completions of ``rows`` (of ids no void names) to their cells."""
        cells, names, days, more = self.cells, self.names, self.days, self.more
        for _, plan, task, unit, period, date, _, _, _, _ in rows:
            cell = (plan, task, period)
            units = cells[cell]
            name = names[unit]
            if name in units:
                more.setdefault((cell, name), []).append(days[date])
            else:
                units[name] = days[date]

    def _read(self, numbered: list[tuple[int, bytes]], terminated: bool = True) -> None:
        """Lines not in fupin's own form, through the reader: (line number, bytes without the newline)."""
        from ..entries import DoneEntry, Problem, VoidEntry
        from .reader import entry_content, parse_lines

        end = b"\n" if terminated else b""
        items: list = []
        if numbered[0][0] == 1:  # only line 1 may start with a byte-order mark: read it as line 1
            parse_lines([numbered[0][1] + end], first=1, each=items)
        rest = numbered[1:] if items else numbered  # items holds line 1's, if it was read
        if rest:
            # Numbered from 2 so that no byte-order mark is taken off; problems are worded again
            # below with their true line numbers.
            parse_lines([raw + end for _, raw in rest], first=2, each=items)
        for (number, raw), item in zip(numbered, items):
            if item is None:
                continue  # a blank line
            kind = type(item)
            if kind is Problem:
                self.problems += [(p.line, p.message) for p in parse_lines([raw + end], first=number).problems]
                continue
            ident = item.id.encode("utf-8")
            content = (entry_content(item),)  # a tuple: never equal to a row's fingerprint
            first = self.seen.setdefault(ident, content)
            if first is HELD:
                self.seen[ident] = content
            elif first is not content:
                if first != content:
                    raise Disagreement(ident)
                continue
            if ident > self.top:
                self.top = ident
            if self.kept is not None and self.kept_upto is not None and ident <= self.kept_upto:
                self.kept.setdefault(ident, item)
            if kind is DoneEntry:
                self.done_entries.append(item)  # counted at the end, once every void is known
            elif kind is VoidEntry:
                self.targets.append(item.target.encode("utf-8"))
            elif item.op in MARKERS:
                self.marks.append(plain_entry(item))

    # ------------------------------------------------------------ two halves (see .halves)
    def handoff(self) -> tuple:
        """What the fold of the lines after these needs to take this one in (:meth:`take_earlier`):
        plain data a marshal string holds, and the completions the reader read (entries)."""
        return ((self.top, self.completions, self.more, self.targets, self.waiting, self.marks, self.problems),
                self.done_entries)

    def drop_first_lines(self, ids) -> None:
        """Take out what the first lines of ``ids`` here added: lines the fold of the lines before
        these holds too, where they came first (kept by :meth:`keep_first_lines`)."""
        for ident in ids:
            line = self.kept[ident]
            if type(line) is tuple:  # a line in fupin's own form
                if line[_TARGET]:
                    continue  # a void: its target is named already
                if ident in self.held:
                    self.waiting.remove(line)
                else:
                    self._uncount(line)
                continue
            from ..entries import DoneEntry, VoidEntry  # an entry the reader read

            if type(line) is DoneEntry:
                self.done_entries.remove(line)
            elif type(line) is not VoidEntry and line.op in MARKERS:
                text = line.id
                self.marks = [mark for mark in self.marks if mark[1]["id"] != text]

    def _uncount(self, row: tuple) -> None:
        _, plan, task, unit, period, date, _, _, _, _ = row
        cell = (plan, task, period)
        name, day = self.names[unit], self.days[date]
        units = self.cells[cell]
        later = self.more.get((cell, name))
        if later:
            if day in later:
                later.remove(day)
            else:
                units[name] = later.pop()
            if not later:
                del self.more[cell, name]
            return
        del units[name]
        if not units:  # no empty cell is left behind, as in a fold in one go
            del self.cells[cell]
            tasks = self.completions[self.names[plan]]
            periods = tasks[self.names[task]]
            del periods[self.names[period]]
            if not periods:
                del tasks[self.names[task]]
                if not tasks:
                    del self.completions[self.names[plan]]

    def take_earlier(self, plain: tuple, done_entries: list) -> None:
        """Take in the :meth:`handoff` of the fold of the lines before these (file order kept)."""
        top, completions, more, targets, waiting, marks, problems = plain
        if top > self.top:
            self.top = top
        self.targets = targets + self.targets
        self.waiting = waiting + self.waiting
        self.done_entries = done_entries + self.done_entries
        self.marks = marks + self.marks
        self.problems = problems + self.problems
        ours_more = self.more
        for key, days in more.items():
            ours_more.setdefault(key, []).extend(days)
        ours = self.completions
        for plan, tasks in completions.items():
            our_tasks = ours.setdefault(plan, tasks)
            if our_tasks is tasks:
                continue
            for task, periods in tasks.items():
                our_periods = our_tasks.setdefault(task, periods)
                if our_periods is periods:
                    continue
                for period, units in periods.items():
                    our_units = our_periods.setdefault(period, units)
                    if our_units is units:
                        continue
                    both = our_units.keys() & units.keys()
                    if both:  # completions of one obligation in both halves: theirs come first, order aside
                        cell = (plan.encode("utf-8"), task.encode("utf-8"), period.encode("utf-8"))
                        for unit in both:
                            ours_more.setdefault((cell, unit), []).append(our_units[unit])
                            our_units[unit] = units[unit]
                        units = {unit: day for unit, day in units.items() if unit not in both}
                    our_units.update(units)

    # ------------------------------------------------------------ the result
    def missed_voids(self) -> set[bytes]:
        """Targets of voids that :func:`void_targets` did not find, of ids already counted (then fold again
        with them held)."""
        return {t for t in self.targets if t not in self.held and t in self.seen}

    def finish(self) -> set[str]:
        """The ledger's completions (in ``completions``) and the ids named by voids.

        Raises :class:`NoDays` when some line read here has a ``date`` that is no day.
        """
        voided_raw = set(self.targets)
        days = self.days
        if 0 in map(days.__getitem__, map(_DATE_OF, self.waiting)):  # a voided line is still worded as a problem
            raise NoDays({row[_DATE] for row in self.waiting if not days[row[_DATE]]})
        self._count([row for row in self.waiting if row[_ID] not in voided_raw])
        self.waiting = []
        self.seen = {}
        for (cell, unit), more in self.more.items():  # several completions of one obligation
            units = self.cells[cell]
            units[unit] = tuple(sorted([units[unit], *more]))
        self.cells = _Cells(self)
        completions = self.completions
        voided = {t.decode("utf-8") for t in voided_raw}
        intern = sys.intern
        for entry in self.done_entries:
            if entry.id in voided:
                continue
            units = completions.setdefault(intern(entry.plan), {}).setdefault(
                intern(entry.task), {}).setdefault(intern(entry.period), {})
            unit = intern(entry.unit)
            found = units.get(unit)
            day = entry.date.toordinal()
            units[unit] = day if found is None else _merge(found, day)
        self.problems.sort()
        return voided


def _merge(found, day: int) -> tuple[int, ...]:
    """Another completion of one obligation: the ordinals sorted (as the ledger keeps them)."""
    return tuple(sorted(((found,) if type(found) is int else found) + (day,)))
