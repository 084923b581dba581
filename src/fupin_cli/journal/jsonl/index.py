"""The private index of a JSON Lines journal: its ledger, cached and keyed on content.

Two files per journal in the cache folder (see :mod:`fupin_cli.cache` for how
they are opened and checked):

``journal-<name>.marshal``
    the ledger (completions tally, problems, ids named by voids) and what it
    was derived from: the journal's stamp (device, inode, size, mtime, ctime),
    its size, a digest of its bytes and its greatest id.
``lines-<name>.marshal``
    a parse cache keyed on each line's content (an 8-byte blake2b): what the
    line says (a completion's task, period, unit and date; a void's target; a
    progress report, extension or waiver as its plain fields …).
    Content-addressed, so it cannot go stale: a changed line has another key.

Reading the ledger:

1. the stamp is the stored one, and was not *racy* (taken within two seconds
   of the last change, when a write of the same length could keep it) → the
   stored ledger, without reading the journal;
2. otherwise the journal is read once.  If its first ``size`` bytes still
   have the stored digest, only what follows is new: nothing (a checkout that
   recreated the same file, a ``touch``), or appended lines, applied to the
   stored ledger (what ``fupin done`` and ``undo`` write);
3. otherwise (an edit of any line, a reorder, a merge, a truncation) the
   ledger is folded again from every line's meaning, and only lines never seen
   before are parsed: a merge that inserts lines costs the new lines.

Whenever two different lines carry one id (a hand-made copy, a conflict) the
full reader decides, as it does when there is no cache.  The journal stays the truth: the cache can be deleted
at any time, and a stale, torn or foreign one is ignored and rebuilt.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from sys import intern

from ...progress import step
from ..entries import DoneEntry, Problem, RemindEntry, UnknownEntry, VoidEntry, parse_day
from ..ledger import (
    MARKERS,
    Completions,
    Ledger,
    add_cells,
    add_completions,
    fold,
    marks_from_plain,
    marks_to_plain,
    plain_entry,
    remove_completion,
)
from .reader import open_journal, parse_bytes, parse_lines, read_journal

FORMAT = 7  # 6: completions keyed by plan first; 7: and the marks (progress, extensions, waivers)
RACY_NS = 2_000_000_000  # a stamp this close to the last change may hide a same-length write
_BOM = b"\xef\xbb\xbf"
_PROBLEM = 0  # a line's meaning in the parse cache: a problem, re-read with its line number
BLOCK = 1 << 20  # lines are taken about a megabyte at a time


def ledger_of(path: Path, cache) -> Ledger:
    """The ledger of the journal at ``path``, through the index (nothing stored without a cache folder).

    Without a cache folder the index folds the journal a block of lines at a time from each line's
    meaning, as it does after a merge, instead of holding an entry object per line (a province's
    million lines: a third of the memory and half the time); it gives what :func:`full_ledger` gives.
    """
    return JournalIndex(path, cache if cache is not None else NO_CACHE).ledger()


def full_ledger(path: Path) -> Ledger:
    """The ledger as the full reader folds it: every entry read (the oracle the index is tested against)."""
    contents = read_journal(path)
    return fold(contents.entries, contents.problems)


class _NoCache:
    """A cache folder that keeps nothing: the index's fold without storing it (``FUPIN_NO_CACHE``)."""

    keeps = False

    def read(self, name: str) -> None:
        return None

    def write(self, name: str, data: bytes) -> None:
        pass


NO_CACHE = _NoCache()


@dataclass
class _State:
    """What the index knows of one journal; ``completions`` may be changed in place."""

    stamp: tuple
    racy: bool
    size: int
    digest: tuple
    simple: bool  # no two lines of one id disagree: appended lines can be applied on their own
    max_id: str
    voided: set
    completions: Completions
    problems: list
    high: int = 0  # the greatest size seen (see JournalIndex.last_seen_size)
    marks: list = None  # every progress report, extension and waiver as (op, fields); the voided left out on use

    def ledger(self) -> Ledger:
        voided = frozenset(self.voided)
        marks = marks_from_plain([m for m in self.marks or () if m[1]["id"] not in voided])
        return Ledger(self.completions, [Problem(line, message) for line, message in self.problems], voided, marks)


class JournalIndex:
    def __init__(self, journal: Path, cache) -> None:
        from ...cache import cache_name, code_stamp

        real = os.path.realpath(journal)
        name = cache_name(real)
        self.journal = Path(journal)
        self.cache = cache
        self.name = f"journal-{name}.marshal"
        self.lines_name = f"lines-{name}.marshal"
        self.identity = (FORMAT, code_stamp(), real)

    # ------------------------------------------------------------ the stored state
    def _load(self) -> _State | None:
        import marshal

        data = self.cache.read(self.name)
        if data is None:
            return None
        try:
            identity, *fields = marshal.loads(data)
            if identity != self.identity:
                return None
            state = _State(*fields)
            state.voided = set(state.voided)
            return state
        except Exception:  # torn, foreign, or from another Python: a miss
            return None

    def _store(self, state: _State) -> None:
        import marshal

        try:
            data = marshal.dumps((self.identity, state.stamp, state.racy, state.size, state.digest, state.simple,
                                  state.max_id, sorted(state.voided), state.completions, state.problems, state.high,
                                  state.marks or []))
        except ValueError:  # pragma: no cover - only plain data is stored
            return
        self.cache.write(self.name, data)

    def last_seen_size(self) -> int | None:
        """The greatest size fupin has seen the journal at (None if never).

        Reading a shorter journal does not lower it: a journal only grows, and
        a shorter one may be a rewrite in progress (git) or lost lines.  Only
        :meth:`accept_current` does, once ``fupin check`` has shown the difference.
        """
        state = self._load()
        return None if state is None else state.high

    def accept_current(self) -> None:
        """Take the journal as it is now as what fupin has seen."""
        self.ledger()
        state = self._load()
        if state is not None and state.high != state.size:
            state.high = state.size
            self._store(state)

    # ------------------------------------------------------------ reading
    def ledger(self) -> Ledger:
        fd = open_journal(self.journal)
        if fd is None:
            return Ledger({}, [])  # what was last seen is kept: a vanished journal may come back
        try:
            before = os.fstat(fd)
            stamp = _stamp(before)
            state = self._load()
            if state is not None and state.stamp == stamp and not state.racy:
                return state.ledger()
            snapshot = _Snapshot(fd, before.st_size)
            result = None
            if state is not None and snapshot.size >= state.size and snapshot.digest(state.size) == state.digest:
                result = state if snapshot.size == state.size else self._with_tail(state, snapshot)
            if result is None:
                result = self._fold_again(snapshot)
            result.digest = snapshot.digest(snapshot.size)
            steady = _stamp(os.fstat(fd)) == stamp and snapshot.whole
        except OSError:
            contents = read_journal(self.journal)  # says what went wrong, in words
            return fold(contents.entries, contents.problems)
        finally:
            os.close(fd)
        result.high = max(snapshot.size, state.high if state is not None else 0)
        result.size = snapshot.size
        if steady:
            result.stamp = stamp
            result.racy = time.time_ns() - max(stamp[3], stamp[4]) < RACY_NS
            self._store(result)
        return result.ledger()

    def _fold_again(self, snapshot: "_Snapshot") -> _State:
        import gc

        gc_was_enabled = gc.isenabled()
        gc.disable()  # hundreds of thousands of small tuples, none cyclic (as in the reader)
        try:
            return self._rebuild(snapshot)
        except (TypeError, ValueError, IndexError, AttributeError):  # a parse cache of another shape
            return self._full(snapshot)
        finally:
            if gc_was_enabled:
                gc.enable()

    def _with_tail(self, state: _State, snapshot: "_Snapshot") -> _State | None:
        """``state`` with the lines after ``state.size`` applied, or None when only a full fold can tell."""
        size = state.size
        if not state.simple or (size and snapshot.read(size - 1, size) != b"\n"):
            return None
        tail = snapshot.read(size, snapshot.size)
        if not tail.endswith(b"\n"):
            return None
        import io

        contents = parse_lines(io.BytesIO(tail))
        if contents.problems:
            return None  # their line numbers come from the full fold
        max_id = state.max_id
        added: dict[str, DoneEntry] = {}
        targets: list[str] = []
        marked: list = []
        for entry in contents.entries:
            if entry.id <= state.max_id:
                return None  # an id from the past (a merge): the full fold decides
            max_id = max(max_id, entry.id)
            if type(entry) is DoneEntry:
                added[entry.id] = entry
            elif type(entry) is VoidEntry:
                targets.append(entry.target)
            elif type(entry) in MARKERS:
                marked.append(plain_entry(entry))
        removed: list[DoneEntry] = []
        for target in dict.fromkeys(targets):
            if target in state.voided:
                continue  # voided before: a second void changes nothing
            if target in added or target > state.max_id:
                continue  # a completion of the tail (dropped below), or nothing written before
            found = snapshot.earlier_entry(size, target)
            if found is None:
                return None  # not in fupin's own form: the full fold decides
            if type(found) is DoneEntry:
                removed.append(found)
        voided = state.voided | set(targets)
        for entry in removed:
            if not remove_completion(state.completions, entry):
                return None  # not counted as expected: be safe
        add_completions(state.completions, [e for e in added.values() if e.id not in voided])
        state.voided = voided
        state.max_id = max_id
        state.marks = (state.marks or []) + marked
        return state

    def _rebuild(self, snapshot: "_Snapshot") -> _State:
        """The state of ``data`` folded from every line's meaning; only unseen lines are parsed.

        The journal is taken a block of lines at a time, so that besides the bytes only the
        lines' meanings are held (names interned, one object per distinct name).
        """
        from _blake2 import blake2b

        keeps = getattr(self.cache, "keeps", True)
        known = self._load_lines() if keeps else {}
        get = known.get
        fresh: dict = {}  # the parse cache to store: this journal's lines only
        remember = fresh.__setitem__ if keeps else _forget
        seen: dict[str, tuple] = {}
        live: list[tuple] = []
        marked: list = []
        voided: set[str] = set()
        problems: list[tuple[int, str]] = []
        parsed = number = 0
        fast = _FastMeanings()
        for lines in snapshot.blocks():
            step("读取台账", snapshot.done, snapshot.size)  # a bar on a terminal, when this takes a while
            keys = [blake2b(raw, digest_size=8).digest() for raw in lines]
            meanings = [get(key) for key in keys] if known else [None] * len(keys)
            if number == 0 and lines[0].startswith(_BOM):
                # Only the first line may carry a byte-order mark; its meaning is not cached.
                keys[0] = None
                meanings[0] = _meaning_of(lines[0] + b"\n", 1)
            unseen = [n for n, meaning in enumerate(meanings) if meaning is None]
            if unseen:
                parsed += len(unseen)
                # Lines as fupin writes them are read straight into their meaning; any other
                # line through the reader (numbered from 2, so no byte-order mark is taken off;
                # a problem's words are made again below with its true line number).
                rest = fast.fill(lines, unseen, meanings)
                if rest:
                    each: list = []
                    parse_lines([lines[n] + b"\n" for n in rest], first=2, each=each)
                    for n, item in zip(rest, each):
                        meanings[n] = _meaning(item)
            for n, key in enumerate(keys):
                meaning = meanings[n]
                if key is not None:
                    remember(key, meaning)
                size = len(meaning) if meaning != _PROBLEM else -1
                if size > 0:  # an entry: a completion (6), a void (2) or an op this version does not know (1)
                    first = seen.get(meaning[0], _ABSENT)
                    if first is not _ABSENT:
                        if first == key and key is not None:
                            continue  # the same line again (a union merge): one entry
                        return self._full(snapshot)  # one id on two different lines: the reader decides
                    seen[meaning[0]] = key
                    if size == 6:
                        live.append(meaning)
                    elif size == 4:  # a progress report, an extension or a waiver: (id, "mark", op, fields)
                        marked.append((meaning[2], meaning[3]))
                    elif size == 2:
                        voided.add(meaning[1])
                elif size < 0:
                    problems += [(p.line, p.message) for p in
                                 parse_lines([lines[n] + b"\n"], first=number + n + 1).problems]
            number += len(lines)
        last = snapshot.unterminated
        if last:
            meaning = _meaning_of(last, number + 1)
            if meaning == _PROBLEM:
                problems += [(p.line, p.message) for p in parse_lines([last], first=number + 1).problems]
            elif meaning and _fold_in(meaning, None, seen, live, voided, marked):
                return self._full(snapshot)
        completions: Completions = {}
        add_cells(completions, (m[1:] for m in live if m[0] not in voided))
        if keeps and _worth_storing(parsed, len(fresh), len(known)):
            self._store_lines(fresh)
        return _State((), False, 0, (), True, max(seen, default=""), voided, completions, problems, 0, marked)

    def _load_lines(self) -> dict:
        import marshal

        cached = self.cache.read(self.lines_name)
        if cached is None:
            return {}
        try:
            identity, known = marshal.loads(cached)
        except Exception:
            return {}
        return known if identity == self.identity and type(known) is dict else {}

    def _store_lines(self, known: dict) -> None:
        import marshal

        self.cache.write(self.lines_name, marshal.dumps((self.identity, known)))

    def _full(self, snapshot: "_Snapshot") -> _State:
        """The reader's own answer, when two lines carry one id."""
        contents = parse_bytes(snapshot.read(0, snapshot.size))
        ledger = fold(contents.entries, contents.problems)
        return _State((), False, 0, (), False, max((e.id for e in contents.entries), default=""),
                      set(ledger.voided), ledger.completions, [(p.line, p.message) for p in contents.problems], 0,
                      marks_to_plain(ledger.marks))


def _stamp(info: os.stat_result) -> tuple:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class _Snapshot:
    """The journal's first ``size`` bytes (its size when the run looked), read through its descriptor.

    Reads are pieces, never the whole file at once (except for the full reader); the digest of
    the bytes read from the start is kept as it goes, so the digest of the whole file after a
    prefix (or after :meth:`blocks`) costs only what was not read yet.  ``whole`` turns False if
    the file was cut shorter meanwhile.
    """

    def __init__(self, fd: int, size: int) -> None:
        self.fd = fd
        self.size = size
        self.whole = True
        self.unterminated = b""
        self._at = 0  # the digest covers [0, _at)
        self._crc = 0
        self._adler = 1

    def read(self, start: int, stop: int) -> bytes:
        chunks = []
        while start < stop:
            chunk = os.pread(self.fd, min(stop - start, 1 << 24), start)
            if not chunk:
                self.whole = False
                break
            chunks.append(chunk)
            start += len(chunk)
        return b"".join(chunks)

    @property
    def done(self) -> int:
        """How many bytes have been read from the start."""
        return self._at

    def _add(self, chunk: bytes) -> None:
        from zlib import adler32, crc32

        self._crc = crc32(chunk, self._crc)
        self._adler = adler32(chunk, self._adler)
        self._at += len(chunk)

    def digest(self, stop: int) -> tuple[int, int]:
        """The digest of the first ``stop`` bytes (as :func:`fupin_cli.cache.content_digest` makes it)."""
        if stop < self._at:
            self._at, self._crc, self._adler = 0, 0, 1
        while self._at < stop:
            chunk = self.read(self._at, min(stop, self._at + (1 << 24)))
            if not chunk:
                break
            self._add(chunk)
        return self._crc, self._adler

    def blocks(self):
        """The complete lines (without their newlines), about a megabyte of them at a time.

        Afterwards ``unterminated`` holds a last line without its newline (b"" when there is none).
        """
        self._at, self._crc, self._adler = 0, 0, 1
        carry = b""
        while self._at < self.size:
            chunk = self.read(self._at, min(self.size, self._at + BLOCK))
            if not chunk:
                break
            self._add(chunk)
            data = carry + chunk if carry else chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                carry = data  # one line longer than a block
                continue
            carry = data[cut + 1:]
            yield data[:cut].split(b"\n")
        self.unterminated = carry

    def earlier_entry(self, size: int, target: str):
        """The entry ``target`` names in the first ``size`` bytes, if written in fupin's own form; else None."""
        import mmap
        import re

        if not re.fullmatch(r"[0-9A-Za-z.:_-]+", target):
            return None
        needle = b'{"id":"' + target.encode("ascii") + b'"'
        with mmap.mmap(self.fd, 0, access=mmap.ACCESS_READ) as whole:
            at = whole.find(needle, 0, size)
            while at > 0 and whole[at - 1:at] != b"\n":
                at = whole.find(needle, at + 1, size)
            if at < 0:
                return None
            end = whole.find(b"\n", at, size)
            line = whole[at:end + 1]
        contents = parse_lines([line])
        if contents.problems or len(contents.entries) != 1 or contents.entries[0].id != target:
            return None
        return contents.entries[0]


_ABSENT = object()
REWRITE_SHARE = 100  # the parse cache is written again once this many lines in one are new to it


def _worth_storing(parsed: int, lines: int, known: int) -> bool:
    """Whether to write the parse cache again after a fold that parsed ``parsed`` of ``lines`` lines.

    Content-addressed, it is never wrong, only incomplete or holding lines the journal no longer
    has: after a union merge that brought a few lines, rewriting a province's (70 MB) costs more
    than parsing those few lines again next time.  So it is written when it was empty, when more
    than one line in ``REWRITE_SHARE`` was new, or when it holds twice the journal's lines.
    """
    if lines < 10_000:  # small: always exactly the journal's lines
        return bool(parsed) or known != lines
    return known == 0 or parsed * REWRITE_SHARE > lines or known > 2 * lines


def _forget(key, meaning) -> None:
    """Where a line's meaning goes when nothing is stored."""


class _FastMeanings:
    """Meanings of ``done`` lines written the way fupin writes them, read without making entries.

    The same test as the reader's fast path (the nine keys, or ten with ``plan``, all text, a
    non-empty id, a YYYY-MM-DD date); any other line is left to the reader.
    """

    def __init__(self) -> None:
        import orjson
        from operator import itemgetter

        self.loads = orjson.loads
        self.error = orjson.JSONDecodeError
        self.keys = itemgetter("id", "op", "task", "unit", "period", "date", "recorded_at", "by", "note")
        self.ordinals: dict[str, int] = {}
        self.dates: dict = {}

    def fill(self, lines: list[bytes], unseen: list[int], meanings: list) -> list[int]:
        """Set ``meanings[n]`` for each line of ``unseen`` read here; the lines left for the reader."""
        loads, error, keys, ordinals, join = self.loads, self.error, self.keys, self.ordinals, "".join
        rest = []
        for n in unseen:
            try:
                obj = loads(lines[n])
                vals = keys(obj)
                join(vals)  # TypeError unless every value is text
            except (error, KeyError, TypeError):
                rest.append(n)
                continue
            size = len(obj)
            plan = obj.get("plan") if size == 10 else ""
            if vals[1] != "done" or not vals[0] or type(plan) is not str or (size != 9 and size != 10):
                rest.append(n)
                continue
            ordinal = ordinals.get(vals[5])
            if ordinal is None:
                day = parse_day(vals[5], self.dates)
                if day is None:
                    rest.append(n)
                    continue
                ordinal = ordinals[vals[5]] = day.toordinal()
            meanings[n] = (vals[0], intern(plan), intern(vals[2]), intern(vals[4]), intern(vals[3]), ordinal)
        return rest


def _fold_in(meaning: tuple, key, seen: dict, live: list, voided: set, marked: list) -> bool:
    """Count one line's entry; True when another line has its id (same entry or not: the reader decides)."""
    if meaning[0] in seen:
        return True
    seen[meaning[0]] = key
    if len(meaning) == 6:
        live.append(meaning)
    elif len(meaning) == 2:
        voided.add(meaning[1])
    elif len(meaning) == 4:
        marked.append((meaning[2], meaning[3]))
    return False


def _meaning_of(raw: bytes, number: int):
    """The meaning of one line read on its own, as line ``number``."""
    each: list = []
    parse_lines([raw], first=number, each=each)
    return _meaning(each[0]) if each else ()


def _meaning(item):
    """What one parsed line says, as plain data for the parse cache.

    (): blank.  ``_PROBLEM``: a problem.  A completion: (id, plan, task,
    period, unit, date ordinal); a void: (id, target); a reminder, or an op this
    version does not know: (id,) — neither counts; a progress report, extension or waiver: (id, "mark", op, its fields as
    plain data).  What else a line holds matters only when two lines share an
    id, and then the full reader decides.
    """
    kind = type(item)
    if item is None:
        return ()
    if kind is DoneEntry:
        return (item.id, intern(item.plan), intern(item.task), intern(item.period), intern(item.unit),
                item.date.toordinal())
    if kind is VoidEntry:
        return (item.id, item.target)
    if kind is UnknownEntry or kind is RemindEntry:
        return (item.id,)
    if kind in MARKERS:
        return (item.id, "mark", *plain_entry(item))
    return _PROBLEM
