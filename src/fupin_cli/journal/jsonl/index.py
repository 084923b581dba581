"""The private index of a JSON Lines journal: its ledger, cached and keyed on content.

One file per journal in the cache folder (see :mod:`fupin_cli.cache` for how it
is opened and checked), ``journal-<name>.marshal``: the ledger (completions
tally, problems, ids named by voids, marks) and what it was derived from: the
journal's stamp (device, inode, size, mtime, ctime), its size, a digest of its
bytes, its greatest id, and *checkpoints* — for offsets a quarter megabyte or
so apart, the greatest id before each — which say how far back a line of a
given id could be.

Reading the ledger:

1. the stamp is the stored one, and was not *racy* (taken within two seconds
   of the last change, when a write of the same length could keep it) → the
   stored ledger, without reading the journal;
2. otherwise the journal is read once.  If its first ``size`` bytes still
   have the stored digest, only what follows is new: nothing (a checkout that
   recreated the same file, a ``touch``), or added lines, applied to the
   stored ledger — what ``fupin done`` and ``undo`` append, and what git's
   union merge of two clones adds after our lines (theirs, with ids older than
   ours: the checkpoints say which of our last lines could share an id with
   them, and only those are read);
3. otherwise (an edit of any line, a reorder, a merge in the middle, a
   truncation) the ledger is folded again from every line
   (:mod:`~fupin_cli.journal.jsonl.fold`: lines in fupin's own form a block
   at a time, any other line through the reader; a big journal in two
   processes, see :mod:`~fupin_cli.journal.jsonl.halves`, begun by
   :meth:`JournalIndex.read_ahead` while the command reads its plan).

Whenever two different lines carry one id (a hand-made copy, a conflict) the
full reader decides, as it does when there is no cache.  The journal stays the
truth: the cache can be deleted at any time, and a stale, torn or foreign one
is ignored and rebuilt.
"""

from __future__ import annotations

import os
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from sys import intern

from ...collector import collector_paused
from ...domain.errors import JournalError
from ...progress import step
from ..ledger import (
    MARKERS,
    Completions,
    Ledger,
    add_completions,
    fold,
    marks_from_plain,
    marks_to_plain,
    plain_entry,
    remove_completion,
)
from .files import open_journal

FORMAT = 8  # 6: completions keyed by plan first; 7: and the marks; 8: checkpoints, no parse cache
RACY_NS = 2_000_000_000  # a stamp this close to the last change may hide a same-length write
BLOCK = 1 << 17  # lines are folded 128 KB at a time: the rows of a block stay in the processor's cache across its passes
CHECKPOINT_GAP = 1 << 18  # checkpoints added by appends are kept at least this far apart
LOOK_BACK = 8 << 20  # how much of the journal added lines with old ids may send the index back to read
SCAN_WINDOW = 1 << 20  # the search for voids reads the journal this much at a time (a mark each: see halves)


def ledger_of(path: Path, cache) -> Ledger:
    """The ledger of the journal at ``path``, through the index (nothing stored without a cache folder).

    Without a cache folder the index folds the journal a block of lines at a time, as it does after
    an edit, instead of holding an entry object per line; it gives what :func:`full_ledger` gives.
    """
    return JournalIndex(path, cache if cache is not None else NO_CACHE).ledger()


def full_ledger(path: Path) -> Ledger:
    """The ledger as the full reader folds it: every entry read (the oracle the index is tested against)."""
    from .reader import read_journal

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
    checkpoints: list = None  # [offset, greatest id of the lines before it], by offset (see _look_back_from)

    def ledger(self) -> Ledger:
        voided = frozenset(self.voided)
        marks = marks_from_plain([m for m in self.marks or () if m[1]["id"] not in voided])
        return Ledger(self.completions, _problems(self.problems), voided, marks)


class JournalIndex:
    def __init__(self, journal: Path, cache) -> None:
        from ...cache import cache_name, code_stamp

        real = os.path.realpath(journal)
        name = cache_name(real)
        self.journal = Path(journal)
        self.cache = cache
        self.name = f"journal-{name}.marshal"
        self.lines_name = f"lines-{name}.marshal"  # no longer written; removed when found
        self.identity = (FORMAT, code_stamp(), real)
        self.keeps = getattr(cache, "keeps", True)  # NO_CACHE stores nothing: no digest to keep, nothing to accept
        self._ahead: _Reading | None = None  # a read begun by read_ahead

    # ------------------------------------------------------------ the stored state
    def _load(self) -> _State | None:
        import marshal

        data = self.cache.read(self.name)
        if data is None:
            return None
        try:
            with collector_paused():  # a province's ledger is a million completions
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
                                  state.marks or [], state.checkpoints or []))
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
        """Take the journal as it is now as what fupin has seen (nothing to take without a cache)."""
        if not self.keeps:
            return
        self.ledger()
        state = self._load()
        if state is not None and state.high != state.size:
            state.high = state.size
            self._store(state)

    # ------------------------------------------------------------ reading
    def read_ahead(self) -> None:
        """Begin reading the ledger, which :meth:`ledger` finishes: when every line of a big journal
        must be folded again, a child begins folding it now (see :mod:`.halves`), beside what the
        caller does meanwhile (the commands that read the ledger read the plan first).  Nothing is
        said here: whatever goes wrong is met again, and worded, by :meth:`ledger`."""
        if self._ahead is None:
            try:
                self._ahead = self._begin()
            except (JournalError, OSError):
                pass

    def ledger(self) -> Ledger:
        reading, self._ahead = self._ahead, None
        if reading is None:
            reading = self._begin()
        if reading is None:
            return Ledger({}, [])  # what was last seen is kept: a vanished journal may come back
        return self._finish(reading)

    def _begin(self) -> "_Reading | None":
        """The journal opened and looked at: whether the stored state holds, or what is left to do; when
        that is every line, the fold of a big journal is begun in two processes."""
        fd = open_journal(self.journal)
        if fd is None:
            return None
        reading = _Reading(fd)
        try:
            before = os.fstat(fd)
            reading.stamp = stamp = _stamp(before)
            reading.state = state = self._load()
            if state is not None and state.stamp == stamp and not state.racy:
                return reading
            reading.snapshot = snapshot = _Snapshot(fd, before.st_size, digest=self.keeps)
            if state is not None and snapshot.size >= state.size and snapshot.digest(state.size) == state.digest:
                reading.prefix = True  # only lines after the stored ones are new (see _with_tail)
            else:
                from .halves import FoldInTwo

                reading.started = FoldInTwo.begin(snapshot)
        except OSError:
            reading.failed = True
        return reading

    def _finish(self, reading: "_Reading") -> Ledger:
        state, stamp, snapshot = reading.state, reading.stamp, reading.snapshot
        if reading.failed:
            reading.close()
            return self._read_in_words()
        try:
            if snapshot is None:
                return state.ledger()
            result = None
            if reading.prefix:
                result = state if snapshot.size == state.size else self._with_tail(state, snapshot)
            if result is None:
                result = self._fold_again(snapshot, reading.started)
            if self.keeps:
                result.digest = snapshot.digest(snapshot.size)
            steady = _stamp(os.fstat(reading.fd)) == stamp and snapshot.whole
        except OSError:
            return self._read_in_words()
        finally:
            reading.close()
        result.high = max(snapshot.size, state.high if state is not None else 0)
        result.size = snapshot.size
        if steady and self.keeps:
            result.stamp = stamp
            result.racy = time.time_ns() - max(stamp[3], stamp[4]) < RACY_NS
            self._store(result)
        return result.ledger()

    def _read_in_words(self) -> Ledger:
        """The full reader's ledger, when the descriptor could not be read: it says what went wrong, in words."""
        from .reader import read_journal

        contents = read_journal(self.journal)
        return fold(contents.entries, contents.problems)

    def _fold_again(self, snapshot: "_Snapshot", started=None) -> _State:
        """Every line folded again (``started``: a :class:`~.halves.FoldInTwo` begun when the journal was opened)."""
        from .fold import Disagreement

        remove = getattr(self.cache, "remove", None)
        if remove is not None:
            remove(self.lines_name)  # the parse cache of versions before FORMAT 8 (a province's: 70 MB)

        with collector_paused():  # a million small objects
            try:
                return self._rebuild(snapshot, started)
            except Disagreement:
                return self._full(snapshot)

    def _with_tail(self, state: _State, snapshot: "_Snapshot") -> _State | None:
        """``state`` with the lines after ``state.size`` applied, or None when only a full fold can tell.

        Added lines with new ids are what ``fupin done`` and ``undo`` write.  Added lines with ids
        from the past are what git's union merge adds after ours (the other clone's): the checkpoints
        say from where on our lines could hold such an id, and those lines are read to see whether
        an added line is one of ours again (a duplicate, left out), another line of one id (the
        full fold decides), or new.
        """
        size = state.size
        if not state.simple or (size and snapshot.read(size - 1, size) != b"\n"):
            return None
        tail = snapshot.read(size, snapshot.size)
        if not tail.endswith(b"\n"):
            return None
        import io

        from ..entries import DoneEntry, VoidEntry
        from .reader import entry_content, parse_lines

        contents = parse_lines(io.BytesIO(tail), first=2 if size else 1)  # only line 1 may carry a byte-order mark
        if contents.problems:
            return None  # their line numbers come from the full fold
        entries = contents.entries
        max_id = state.max_id
        targets = list(dict.fromkeys(e.target for e in entries if type(e) is VoidEntry))
        # Targets that may be written before the tail and that no void had named yet: their entries
        # may lose a completion.
        unsettled = [t for t in targets if t not in state.voided and t <= max_id]
        past = [e.id for e in entries if e.id <= max_id]
        earlier: dict | None = None  # the entries of the lines that may share an id with the tail, by id
        if past or unsettled:
            start = _look_back_from(state.checkpoints or [], min(past + unsettled))
            if size - start <= LOOK_BACK:
                earlier = {e.id: e for e in parse_lines(io.BytesIO(snapshot.read(start, size)),
                                                        first=2 if start else 1).entries}
            elif past:
                return None  # an id from long ago: the full fold decides
        if past:
            kept = []
            for entry in entries:
                found = earlier.get(entry.id) if entry.id <= max_id else None
                if found is None:
                    kept.append(entry)
                elif entry_content(found) != entry_content(entry):
                    return None  # another line of this id: the full reader reports it
            entries = kept  # a line both clones had is one entry
        ids = {entry.id for entry in entries}
        unsettled = [t for t in unsettled if t not in ids]  # a new entry's completion is simply not counted
        added: dict[str, DoneEntry] = {}
        marked: list = []
        for entry in entries:
            if type(entry) is DoneEntry:
                added[entry.id] = entry
            elif entry.op in MARKERS:
                marked.append(plain_entry(entry))
        removed: list[DoneEntry] = []
        for target in unsettled:
            if earlier is not None:
                found = earlier.get(target)  # none: no line before the tail has this id
            else:
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
        state.max_id = max([max_id, *ids])
        state.marks = (state.marks or []) + marked
        state.checkpoints = _with_checkpoint(state.checkpoints or [], size, max_id)
        return state

    def _rebuild(self, snapshot: "_Snapshot", started=None) -> _State:
        """The state of the journal folded from every line (see :mod:`~fupin_cli.journal.jsonl.fold`)."""
        from .fold import LineFold, NoDays
        from .halves import FoldInTwo

        held: set[bytes] | None = None
        no_days: set[bytes] = set()
        started = started or FoldInTwo.begin(snapshot)
        tries = 0
        while True:
            tries += 1
            try:
                # Only the first try may fold in two: another one has lines for the reader (see NoDays).
                found = started.finish() if started is not None and tries == 1 else None
                if found is not None:
                    lines, checkpoints = found
                    held = lines.held
                else:
                    if held is None:
                        held = snapshot.void_targets()
                    lines = LineFold(held, no_days)
                    checkpoints = []
                    for end, block in snapshot.blocks():
                        step("读取台账", snapshot.done, snapshot.size)  # a bar on a terminal, when this takes a while
                        lines.add_block(block)
                        checkpoints.append([end, lines.max_id])
                    if snapshot.unterminated:
                        lines.add_last(snapshot.unterminated)
                missed = lines.missed_voids()
                if missed:
                    held |= missed  # a void the first pass could not see (an escaped op): again, holding its target
                    continue
                voided = lines.finish()
            except NoDays as found:
                no_days |= found.dates  # again, leaving those lines to the reader, which words the problem
                continue
            break
        return _State((), False, 0, (), True, lines.max_id, voided, lines.completions, lines.problems, 0,
                      lines.marks, _thinned(checkpoints))

    def _full(self, snapshot: "_Snapshot") -> _State:
        """The reader's own answer, when two lines carry one id."""
        from .reader import parse_bytes

        contents = parse_bytes(snapshot.read(0, snapshot.size))
        ledger = fold(contents.entries, contents.problems)
        return _State((), False, 0, (), False, max((e.id for e in contents.entries), default=""),
                      set(ledger.voided), ledger.completions, [(p.line, p.message) for p in contents.problems], 0,
                      marks_to_plain(ledger.marks), [])


def _problems(found: list) -> list:
    """The stored (line, message) pairs as the reader's problems (entries are imported only when there are some)."""
    if not found:
        return []
    from ..entries import Problem

    return [Problem(line, message) for line, message in found]


def _stamp(info: os.stat_result) -> tuple:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class _Reading:
    """One read of the journal by the index, from :meth:`JournalIndex._begin` to ``_finish``: its
    descriptor and stamp, the stored state, and what is left to do (nothing when ``snapshot`` is None)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.stamp: tuple = ()
        self.state: _State | None = None
        self.snapshot: _Snapshot | None = None
        self.prefix = False  # the journal begins with the stored state's bytes
        self.started = None  # a FoldInTwo under way (see JournalIndex._begin)
        self.failed = False  # the descriptor could not be read: the full reader words why
        self._closed = weakref.finalize(self, os.close, fd)  # a read begun ahead and never finished

    def close(self) -> None:
        if self.started is not None:
            self.started.stop()  # finished already, or not wanted after all
        self._closed()


class _Snapshot:
    """The journal's first ``size`` bytes (its size when the run looked), read through its descriptor.

    Reads are pieces, never the whole file at once (except for the full reader).  With ``digest``,
    the digest of the bytes read from the start is kept as it goes, so the digest of the whole file
    after a prefix (or after :meth:`blocks`) costs only what was not read yet; without (nothing
    is stored), none is made.  ``whole`` turns False if the file was cut shorter meanwhile.
    """

    def __init__(self, fd: int, size: int, digest: bool = True) -> None:
        self.fd = fd
        self.size = size
        self.keeps_digest = digest
        self.whole = True
        self.unterminated = b""
        self.done = 0  # how far blocks() has read
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

    def blocks(self, digest: bool = True, start: int = 0, stop: int | None = None):
        """(end, block): the complete lines from offset ``start`` (a line's start) up to offset
        ``end``, a block of them at a time, joined by their newlines (the last newline left out);
        up to ``stop`` (a line's start; the snapshot's size by default).

        With ``digest`` (and a snapshot that keeps one) the digest goes on as the bytes go by.
        Afterwards ``unterminated`` holds a last line without its newline (b"" when there is none).
        """
        digest = digest and self.keeps_digest
        stop = self.size if stop is None else stop
        at = start
        carry = b""
        while at < stop:
            chunk = self.read(at, min(stop, at + BLOCK))
            if not chunk:
                break
            if digest and at <= self._at < at + len(chunk):
                self._add(chunk[self._at - at:])
            at += len(chunk)
            self.done = at
            data = carry + chunk if carry else chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                carry = data  # one line longer than a block
                continue
            carry = data[cut + 1:]
            yield at - len(carry), data[:cut]
        self.unterminated = carry

    def line_start_after(self, offset: int) -> int | None:
        """The offset of the first line that starts after ``offset`` (None: none within a megabyte)."""
        found = self.read(offset, min(self.size, offset + (1 << 20))).find(b"\n")
        return None if found < 0 or offset + found + 1 >= self.size else offset + found + 1

    def void_targets(self) -> set[bytes]:
        """The targets of the lines that may be voids (see :func:`~fupin_cli.journal.jsonl.fold.void_targets`)."""
        return self.scan(0, self.size)[0]

    def scan(self, start: int, stop: int) -> tuple[set[bytes], list[tuple[int, int]]]:
        """The void targets (see :meth:`void_targets`) of the bytes from ``start`` to ``stop`` (both
        a line's start, or the end), and marks along the way (see :meth:`scanning`)."""
        targets: set[bytes] = set()
        marks: list[tuple[int, int]] = []
        for found, mark in self.scanning(start, stop):
            targets |= found
            marks.append(mark)
        return targets, marks

    def scanning(self, start: int, stop: int, lines: int = 0):
        """For each ``SCAN_WINDOW`` or so of the bytes from ``start`` to ``stop`` (both a line's start,
        or the end): the void targets of its lines, and a mark (the offset of the start of the line
        after them, how many lines come before it: ``lines`` before ``start``, and those counted).
        Not through :meth:`blocks`: a byte search needs no block of whole lines of its own, and
        copying them out costs a tenth of the scan.

        Read, not mapped: a journal cut shorter meanwhile (a writer undoing its line) gives a short
        read here, where a mapping would kill the process with SIGBUS.
        """
        from .fold import void_targets

        at = start
        carry = b""
        while at < stop:
            chunk = self.read(at, min(stop, at + SCAN_WINDOW))
            if not chunk:
                break
            at += len(chunk)
            data = carry + chunk if carry else chunk
            cut = data.rfind(b"\n") + 1 if at < stop else len(data)
            lines += data.count(b"\n", 0, cut)
            # the start of a whole line: after the last newline read (a last line without one is no whole line)
            yield (void_targets(data, 0, cut, at - len(data)), (at - len(data) + data.rfind(b"\n", 0, cut) + 1, lines))
            carry = data[cut:]

    def earlier_entry(self, size: int, target: str):
        """The entry ``target`` names in the first ``size`` bytes, if written in fupin's own form; else None."""
        import mmap
        import re

        from .reader import parse_lines

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


def _look_back_from(checkpoints: list, lowest: str) -> int:
    """The offset from which on a line may carry an id of ``lowest`` or more: the last checkpoint
    before which every id is smaller (0 when there is none)."""
    from bisect import bisect_left

    found = bisect_left([top for _, top in checkpoints], lowest)
    return checkpoints[found - 1][0] if found else 0


def _with_checkpoint(checkpoints: list, offset: int, top: str) -> list:
    """``checkpoints`` and (``offset``, ``top``), the one before it dropped when it is closer than
    ``CHECKPOINT_GAP`` to its own predecessor (the newest is always kept: a union merge looks back
    to it)."""
    if checkpoints and checkpoints[-1][0] == offset:
        return checkpoints
    checkpoints = [*checkpoints, [offset, top]]
    if len(checkpoints) >= 3 and checkpoints[-2][0] - checkpoints[-3][0] < CHECKPOINT_GAP:
        del checkpoints[-2]
    return checkpoints


def _thinned(checkpoints: list) -> list:
    """Checkpoints at least ``CHECKPOINT_GAP`` apart, the last one kept."""
    kept: list = []
    for offset, top in checkpoints:
        kept = _with_checkpoint(kept, offset, top)
    return kept
