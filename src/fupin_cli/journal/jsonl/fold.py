"""Folding a whole journal into its ledger a block at a time, without an entry object per line.

A line written the way fupin writes it — a ``done`` or ``void`` line of
:func:`~fupin_cli.journal.entries.make_done_record` / ``make_void_record``: the
keys in their documented order, no spaces, no backslash escape, no control
character — is read by one regular expression (:data:`CANONICAL`) over a block
of about a megabyte, straight into the parts the ledger needs.  Every other line
(hand-written, spaced, escaped, broken, of another op, a date that is no day)
goes through the reader, so the fold gives exactly what the full reader's
:func:`~fupin_cli.journal.ledger.fold` gives; ``tests/test_fold.py`` and the
differential machine compare them.

What is kept while folding: one fingerprint per id (two lines of one id are one
entry when they are the same, and the full reader decides when they are not),
one interned name per distinct task, unit, period and plan, and the growing
ledger itself.  A void may come after the completion it cancels, so a first,
cheap pass finds every line that names ``"void"``; completions those lines
target wait until all voids are known.
"""

from __future__ import annotations

import re
import sys
from itertools import compress
from operator import is_not, itemgetter

from ..entries import DoneEntry, Problem, VoidEntry, parse_day
from ..ledger import MARKERS, Completions, plain_entry
from .reader import entry_content, parse_lines

_TEXT = rb'[^"\\\x00-\x1f]'  # a character of a JSON string that needs no escape (\n included: rows stay in their line)
# One match per line.  A line in fupin's own form fills the groups; any other line matches the
# last branch with every group empty (an id is never empty, so an empty id says "ask the reader").
# Rows: 0 id, 1 plan, 2 task, 3 unit, 4 period, 5 date (a done); 6 plan, 7 target (a void);
# 8 the rest (recorded_at, by, note), which with the others makes two lines of one id comparable.
CANONICAL = re.compile(
    rb'^(?:\{"id":"(T++)","op":"(?:'
    rb'done",(?:"plan":"(T*+)",)?"task":"(T*+)","unit":"(T*+)","period":"(T*+)","date":"(T*+)"'
    rb'|void",(?:"plan":"(T*+)",)?"target":"(T++)")'
    rb',("recorded_at":"T*+","by":"T*+","note":"T*+")\}|.*)$'.replace(b"T", _TEXT), re.M)
_ID, _UNIT, _DATE, _TARGET = 0, 3, 5, 7
_HELD = object()  # in LineFold.seen: an id some void names, no line of it read yet
_ID_OF, _CELL_OF, _UNIT_OF, _DATE_OF, _TARGET_OF = (itemgetter(0), itemgetter(1, 2, 4), itemgetter(3), itemgetter(5),
                                                   itemgetter(7))
_VOID_NEEDLE = b'"void"'


class Disagreement(Exception):
    """Two different lines carry one id: only the full reader can say which counts and what to report."""


def void_targets(blocks) -> set[bytes]:
    """The ids (UTF-8) named as ``target`` by every line that could be a void, from ``blocks`` of whole lines.

    Only lines holding the bytes ``"void"`` are read (a void written with an escaped op is not
    among them; :meth:`LineFold.finish` notices and asks for another pass).
    """
    targets: set[bytes] = set()
    for block in blocks:
        at = block.find(_VOID_NEEDLE)
        while at >= 0:
            start = block.rfind(b"\n", 0, at) + 1
            end = block.find(b"\n", at)
            if end < 0:
                end = len(block)
            line = block[start:end]
            row = CANONICAL.match(line).groups(b"")
            if row[_TARGET]:
                targets.add(row[_TARGET])
            elif not row[_ID]:
                for entry in parse_lines([line + b"\n"], first=2).entries:
                    if type(entry) is VoidEntry:
                        targets.add(entry.target.encode("utf-8"))
            at = block.find(_VOID_NEEDLE, end)
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
    """(plan, task, period) as read → its units (unit as read → date(s) as read), made when first asked for."""

    def __missing__(self, cell: tuple) -> dict:
        units = self[cell] = {}
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

    A province's million lines make every step per line count, so the rows of a block go through
    a few passes of C (``map``, ``compress``, dict methods) rather than a loop in Python; the rare
    rows (another line of an id seen before, a held completion, a void, a line for the reader, a
    second completion of one obligation) are picked out and dealt with one by one.  While
    folding, a cell's units are the bytes read and their completions the date's bytes (a fresh
    object per line, so that ``setdefault`` tells a second completion from the first by
    identity); :meth:`finish` turns them into names and day ordinals.
    """

    def __init__(self, held: set[bytes], no_days: set[bytes] = frozenset()) -> None:
        # id → fingerprint of its first line (an int, or an entry's content); held ids start as _HELD
        self.seen: dict[bytes, object] = dict.fromkeys(held, _HELD)
        self.held = held
        self.no_days = no_days  # dates of lines in fupin's form known to be no day (for the reader to word)
        self.cells = _Cells()  # (plan, task, period) as read → unit → date as read
        self.more: dict[tuple, list[bytes]] = {}  # (cell, unit) → the dates of its later completions
        self.names = _Names()
        self.days = _Days()
        self.targets: list[bytes] = []  # of every void
        self.waiting: list[tuple] = []  # rows of completions of held ids
        self.done_entries: list[DoneEntry] = []  # completions the reader read
        self.marks: list[tuple[str, dict]] = []  # progress, extensions, waivers as plain data, all of them
        self.problems: list[tuple[int, str]] = []
        self.completions: Completions = {}
        self.top = b""  # the greatest id read (of a line that may be an entry: never less than the true one)
        self.lines = 0

    @property
    def max_id(self) -> str:
        return self.top.decode("utf-8")

    # ------------------------------------------------------------ reading
    def add_block(self, block: bytes) -> None:
        """Fold the lines of ``block`` (whole lines, without the last newline) that follow those read so far."""
        rows = CANONICAL.findall(block)
        first = self.lines + 1
        self.lines += len(rows)
        ids = list(map(_ID_OF, rows))
        top = max(ids)
        if top > self.top:
            self.top = top
        odd = self._odd(block, rows, ids)
        if odd:
            lines = block.split(b"\n")
            odd_lines = [(first + n, lines[n]) for n in odd]
            odd = set(odd)
            rows = [row for n, row in enumerate(rows) if n not in odd]
            ids = list(map(_ID_OF, rows))
        if rows:
            self._add_rows(rows, ids)
        if odd:
            self._read(odd_lines)

    def add_last(self, line: bytes) -> None:
        """The last line, which has no newline (an interrupted write, or an editor's choice)."""
        self.lines += 1
        self._read([(self.lines, line)], terminated=False)

    def _odd(self, block: bytes, rows: list[tuple], ids: list[bytes]) -> list[int]:
        """The numbers of the rows the reader has to read: lines not in fupin's own form, bytes that
        are not UTF-8, a ``date`` known to be no day (see :meth:`finish`)."""
        odd = []
        if b"" in ids:
            odd = [n for n, ident in enumerate(ids) if not ident]
        if self.no_days:
            dates = list(map(_DATE_OF, rows))
            if not self.no_days.isdisjoint(dates):
                odd += [n for n, date in enumerate(dates) if date in self.no_days]
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            for n, line in enumerate(block.split(b"\n")):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    odd.append(n)
        return sorted(set(odd)) if odd else odd

    def _add_rows(self, rows: list[tuple], ids: list[bytes]) -> None:
        """Count the rows of lines in fupin's own form."""
        seen = self.seen
        size = len(rows)
        before = len(seen)
        fingerprints = list(map(hash, rows))
        firsts = list(map(seen.setdefault, ids, fingerprints))
        # A fingerprint is a fresh int, so a first that is not this row's fingerprint is an earlier
        # line's (or _HELD); if both were one small int CPython shares, the count below tells.
        others = list(compress(range(size), map(is_not, firsts, fingerprints)))
        if len(seen) - before != size - len(others):
            raise Disagreement(b"")
        keep = None  # which rows are counted here, when some are not
        if others:
            keep = [True] * size
            for n in others:
                first = firsts[n]
                if first is _HELD:
                    first = seen[ids[n]]  # an earlier row of this block may have been its first line
                keep[n] = False
                if first is _HELD:  # the first line of an id some line voids: its completion waits
                    seen[ids[n]] = fingerprints[n]
                    if not rows[n][_TARGET]:
                        self.waiting.append(rows[n])
                        continue
                elif first != fingerprints[n]:
                    raise Disagreement(ids[n])  # another line of this id (the same line again is one entry)
                else:
                    continue
                self.targets.append(rows[n][_TARGET])  # a void whose own id some void names
        targets = list(map(_TARGET_OF, rows))
        voids = list(compress(range(size), targets))
        if voids:
            keep = keep or [True] * size
            for n in voids:
                if keep[n]:
                    self.targets.append(targets[n])
                    keep[n] = False
        self._count(rows if keep is None else list(compress(rows, keep)))

    def _count(self, rows: list[tuple]) -> None:
        """Add the completions of ``rows`` (first lines of their ids, not voided) to their cells."""
        units = list(map(self.cells.__getitem__, map(_CELL_OF, rows)))
        dates = list(map(_DATE_OF, rows))
        firsts = map(dict.setdefault, units, map(self.names.__getitem__, map(_UNIT_OF, rows)), dates)
        for n in compress(range(len(rows)), map(is_not, firsts, dates)):
            row = rows[n]  # the unit has a completion in this cell already
            self.more.setdefault((_CELL_OF(row), self.names[row[_UNIT]]), []).append(dates[n])

    def _read(self, numbered: list[tuple[int, bytes]], terminated: bool = True) -> None:
        """Lines not in fupin's own form, through the reader: (line number, bytes without the newline)."""
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
            if first is _HELD:
                self.seen[ident] = content
            elif first is not content:
                if first != content:
                    raise Disagreement(ident)
                continue
            if ident > self.top:
                self.top = ident
            if kind is DoneEntry:
                self.done_entries.append(item)  # counted at the end, once every void is known
            elif kind is VoidEntry:
                self.targets.append(item.target.encode("utf-8"))
            elif kind in MARKERS:
                self.marks.append(plain_entry(item))

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
        names, days, cells = self.names, self.days, self.cells
        day_of = days.__getitem__
        if 0 in map(day_of, map(_DATE_OF, self.waiting)):  # a voided line is still worded as a problem
            raise NoDays({row[_DATE] for row in self.waiting if not days[row[_DATE]]})
        self._count([row for row in self.waiting if row[_ID] not in voided_raw])
        self.waiting = []
        self.seen = {}
        completions = self.completions
        for (plan, task, period), units in cells.items():
            ordinals = list(map(day_of, units.values()))
            if 0 in ordinals:
                raise NoDays({d for d in units.values() if not days[d]})
            units.update(zip(list(units), ordinals))
            completions.setdefault(names[plan], {}).setdefault(names[task], {})[names[period]] = units
        for (cell, unit), dates in self.more.items():
            units = cells[cell]
            ordinals = [units[unit], *map(day_of, dates)]
            if 0 in ordinals:
                raise NoDays({d for d in dates if not days[d]})
            units[unit] = tuple(sorted(ordinals))
        self.cells = _Cells()
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
