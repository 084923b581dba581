"""Folding a big journal in two processes: its first part in a child, the rest here.

A province's journal (a million lines) takes seconds to fold, one core at a time; the first run
after a ``git pull`` pays it.  Machines have two cores or more, so a forked child begins folding
the journal from its first line as soon as the index knows the whole of it must be folded —
before the plan is read, when a command reads the ledger ahead (see
:meth:`~fupin_cli.journal.jsonl.index.JournalIndex.read_ahead`).  When this process comes to the
ledger, it asks the child where to start: the child, wherever it has got to, cuts what is left
in two at a line (:func:`_cut`), goes on up to there while this process folds the lines after
it, and hands its fold over (:meth:`LineFold.handoff`).  Before folding, the child looks for
voids in the whole journal (:meth:`_Snapshot.scanning`, counting lines on the way, so that the
lines after the cut are numbered from the right one) — or, asked before that is through, leaves
the search after the cut to this process — and both parts hold back the completions a void
anywhere may cancel.

The parts meet where one id has lines on both sides (a git union merge copies lines; a hand edit
may change one).  The second part keeps the first line of every id up to the greatest id of its
first block (:meth:`LineFold.keep_first_lines`).  In a journal in fupin's order (ids grow with
the line number; merged-in copies are older) that covers every id of the first part, which the
child's greatest id confirms; the child then says which of those ids it has read and in what
form, the same line is taken out of the second part (it came first in the file), and another line
of one id goes to the full reader, as it does in one process.  Whenever anything is not so — a
journal in another order, a void the first pass could not see, a date that is no day, a child
that fails — :meth:`FoldInTwo.finish` returns None and the journal is folded in one process.
"""

from __future__ import annotations

import marshal
import os
import struct
import weakref

from ...progress import attach, step
from .fold import HELD, Disagreement, LineFold

TWO_PROCESSES_FROM = 1 << 20  # bytes (~5,000 lines): below, a fork and a handoff cost about what they save
CHILD_SHARE = 0.47  # of what is left when asked: the child also packs its fold to hand it over (measured ~6 %)
_LENGTH = struct.Struct("<Q")


class FoldInTwo:
    """A fold of every line of a snapshot, begun in a forked child (:meth:`begin`) and finished here."""

    def __init__(self, snapshot, pid: int, inbox: int, outbox: int) -> None:
        self.snapshot = snapshot
        self._inbox, self._outbox = inbox, outbox
        # Never finished (the run ended first, or failed): the child is stopped and its pipes closed.
        self._end = weakref.finalize(self, _stop_child, pid, inbox, outbox)

    @classmethod
    def begin(cls, snapshot) -> FoldInTwo | None:
        """The child folding ``snapshot`` (an index ``_Snapshot``) from its start, or None when the
        journal is better folded in one process (small, no ``fork``, a thread running, no process
        or pipe to spare)."""
        import threading

        if snapshot.size < TWO_PROCESSES_FROM or not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        try:
            child_reads, parent_writes = os.pipe()
            parent_reads, child_writes = os.pipe()
        except OSError:  # out of file descriptors
            return None
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory
            for fd in (child_reads, parent_writes, parent_reads, child_writes):
                os.close(fd)
            return None
        if pid == 0:  # pragma: no cover - the child's lines run in the child (the result is tested)
            os.close(parent_writes)
            os.close(parent_reads)
            _first_part(snapshot, child_reads, child_writes)
        os.close(child_reads)
        os.close(child_writes)
        return cls(snapshot, pid, parent_reads, parent_writes)

    def finish(self) -> tuple[LineFold, list] | None:
        """The fold and its checkpoints, or None: fold in one process instead (see the module's doc)."""
        try:
            return _second_part(self.snapshot, self._inbox, self._outbox)
        except (EOFError, BrokenPipeError):
            return None  # the child is gone (killed, out of memory)
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop the child (done or not) and close the pipes; once, whoever asks first."""
        self._end()


def _stop_child(pid: int, inbox: int, outbox: int) -> None:
    import signal

    os.close(inbox)
    os.close(outbox)
    try:
        os.kill(pid, signal.SIGKILL)  # done or not, it has nothing more to say
    except OSError:
        pass
    os.waitpid(pid, 0)


def _cut(marks: list, at: int, lines: int, size: int) -> tuple[int, int]:
    """Where the second part starts, and how many lines come before it: of the line starts the scan
    marked after ``at`` (and ``at`` itself, ``lines`` lines in), the nearest to the child's share of
    what is left."""
    middle = at + int((size - at) * CHILD_SHARE)
    return min([(at, lines), *((offset, before) for offset, before in marks if offset > at)],
               key=lambda mark: abs(mark[0] - middle))


def _first_part(snapshot, inbox: int, outbox: int) -> None:
    """In the child: look for voids in the whole journal and fold it from the first line, until asked
    where the other process should start; then go on up to there, hand the fold over, answer which
    of the ids the second part kept it has read and in what form, and exit.

    Asked before the search for voids is through (a big journal, a plan read quickly), the child
    and the other process share what is left of it (see :func:`_second_part`)."""
    import select

    def asking() -> bool:  # the other process waits for where to start
        return select.select([inbox], [], [], 0)[0] != []

    try:
        attach(None)  # the parent draws the progress
        targets: set[bytes] = set()
        marks: list = []
        cut = None
        for found, mark in snapshot.scanning(0, snapshot.size):
            targets |= found
            marks.append(mark)
            if mark[0] < snapshot.size and asking():  # the other part looks for voids after what this one saw
                _receive(inbox)
                middle = int(snapshot.size * CHILD_SHARE)
                if mark[0] >= middle:  # a line start already counted
                    cut, before = _cut(marks, 0, 0, snapshot.size)
                    _send(outbox, _pack(("split", cut, mark[0])))
                else:
                    cut, before = snapshot.line_start_after(middle) or snapshot.size, mark[1]
                    _send(outbox, _pack(("split", cut, cut)))
                    for found, (_, before) in snapshot.scanning(mark[0], cut, mark[1]):
                        targets |= found
                _send(outbox, _pack(("scanned", targets, before)))
                targets |= _unpack(_receive(inbox))
                break
        else:
            if marks and marks[-1][0] < snapshot.size:
                # The start of a last line without its newline is no place to cut: that part would
                # hold no block to check the child's ids against (LineFold.keep_first_lines).
                marks.pop()
        lines = LineFold(targets)
        checkpoints = []
        at = 0
        while cut is None or at < cut:
            if cut is None and asking():
                _receive(inbox)
                cut, before = _cut(marks, at, lines.lines, snapshot.size)
                _send(outbox, _pack(("cut", cut, before, targets)))
                continue
            end, block = next(snapshot.blocks(start=at, stop=cut, digest=False), (at, None))
            if block is None:  # the end of the journal, or of this part
                told = cut is not None
                cut = snapshot.size if not told else cut  # all of it, before being asked: the other part is empty
                if cut == snapshot.size and snapshot.unterminated:
                    lines.add_last(snapshot.unterminated)
                if not told:
                    _receive(inbox)
                    _send(outbox, _pack(("cut", cut, lines.lines, targets)))
                break
            lines.add_block(block)
            checkpoints.append([end, lines.max_id])
            at = end
        plain, done_entries = lines.handoff()
        _send(outbox, _pack(("folded", marshal.dumps((plain, checkpoints)), done_entries, snapshot.whole)))
        asked = _unpack(_receive(inbox))  # the ids the second part kept (it closes the pipe if it gives up)
        seen = lines.seen
        _send(outbox, _pack({ident: seen[ident] for ident in asked if seen.get(ident, HELD) is not HELD}))
    except Disagreement:
        _send_quietly(outbox, _pack(("disagree",)))
    except BaseException:  # anything else: the parent folds in one process and meets it there
        _send_quietly(outbox, _pack(("again",)))
    finally:
        os._exit(0)  # never back into the caller's code, and no buffers of the parent's flushed twice


def _second_part(snapshot, inbox: int, outbox: int) -> tuple[LineFold, list] | None:
    """Here: ask the child where to start, fold from there to the end, take the child's fold in.

    A child still looking for voids cuts at :data:`CHILD_SHARE` of the journal and says from where
    on this process should look for them (after the cut, or after what the child has seen), while
    the child looks up to the cut; they exchange what they found."""
    _send(outbox, _pack(("where",)))
    found = _unpack(_receive(inbox))
    if found[0] == "split":
        _, cut, scan_from = found
        held, _ = snapshot.scan(scan_from, snapshot.size)
        found = _unpack(_receive(inbox))
        if found[0] != "scanned":
            return None
        _send(outbox, _pack(held))
        _, child_found, before = found
        held |= child_found
    elif found[0] == "cut":
        _, cut, before, held = found
    else:
        return None
    lines = LineFold(held)
    lines.lines = before
    lines.keep_first_lines()
    checkpoints = []
    for end, block in snapshot.blocks(start=cut):
        step("读取台账", snapshot.done - cut, snapshot.size - cut)  # the parts go at one pace
        lines.add_block(block)
        checkpoints.append([end, lines.top])
    if snapshot.unterminated:
        lines.add_last(snapshot.unterminated)
    answer = _unpack(_receive(inbox))
    if answer[0] == "disagree":
        raise Disagreement(b"")
    if answer[0] != "folded":
        return None
    _, plain, done_entries, whole = answer
    snapshot.whole = snapshot.whole and whole  # a journal cut shorter meanwhile: the fold is not stored
    earlier, earlier_checkpoints = marshal.loads(plain)
    top = earlier[0]
    if lines.kept_upto is None:  # nothing here but, maybe, a last line without its newline
        if lines.lines > before:
            return None  # which the child's ids were not looked for in
    elif top > lines.kept_upto:
        return None  # the first part has ids this part did not keep: not in fupin's order
    if not held.issuperset(earlier[3]) or not held.issuperset(lines.targets):
        return None  # a void the first pass could not see: its target may be on either side
    _send(outbox, _pack(list(lines.kept)))
    firsts = _unpack(_receive(inbox))
    if type(firsts) is not dict:  # the child failed after its handoff
        return None
    seen = lines.seen
    for ident, first in firsts.items():
        if seen[ident] != first:
            raise Disagreement(ident)  # another line of an id the first part has
    lines.drop_first_lines(firsts)
    lines.take_earlier(earlier, done_entries)
    return lines, earlier_checkpoints + [[end, max(top, own).decode("utf-8")] for end, own in checkpoints]


def _pack(message) -> bytes:
    """A message between the parts: marshal data (fast, and no import), or a pickle when it holds
    entries the reader read (lines not in fupin's own form)."""
    try:
        return b"m" + marshal.dumps(message)
    except ValueError:
        import pickle

        return b"p" + pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(data: bytes):
    if data[:1] == b"m":
        return marshal.loads(memoryview(data)[1:])
    import pickle

    return pickle.loads(memoryview(data)[1:])


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _send_quietly(fd: int, data: bytes) -> None:
    try:
        _send(fd, data)
    except OSError:
        pass


def _receive(fd: int) -> bytes:
    head = _read_exactly(fd, _LENGTH.size)
    return _read_exactly(fd, _LENGTH.unpack(head)[0])


def _read_exactly(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("the other half stopped")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
