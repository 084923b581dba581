"""Folding a big journal in two processes: its first half in a child, the second half here.

A province's journal (a million lines) takes seconds to fold, one core at a time; the first run
after a ``git pull`` pays it.  Machines have two cores or more, so the journal is cut at a line
near its middle, a forked child folds the lines before the cut while this process folds the
lines after it, and the child hands its fold over (:meth:`LineFold.handoff`).  Before folding,
each half looks for voids among its own lines and they share the ids those name, so that both
hold back the completions a void anywhere may cancel.

The halves meet where one id has lines on both sides (a git union merge copies lines; a hand
edit may change one).  The second half keeps the first line of every id up to the greatest id of
its first block (:meth:`LineFold.keep_first_lines`).  In a journal in fupin's order (ids grow with
the line number; merged-in copies are older) that covers every id of the first half, which the
child's greatest id confirms; the child then says which of those ids it has read and in what
form, the same line is taken out of the second half (it came first in the file), and another line
of one id goes to the full reader, as it does in one process.  Whenever anything is not so — a
journal in another order, a void the first pass could not see, a date that is no day, a child
that fails — this returns None and the journal is folded in one process, as before.
"""

from __future__ import annotations

import marshal
import os
import struct

from ...progress import attach, step
from .fold import HELD, Disagreement, LineFold

TWO_PROCESSES_FROM = 1 << 20  # bytes (~5,000 lines): below, a fork and a handoff cost about what they save
_LENGTH = struct.Struct("<Q")


def fold_in_two(snapshot) -> tuple[LineFold, list] | None:
    """The fold of every line of ``snapshot`` (an index ``_Snapshot``) and its checkpoints, or None
    when it is better folded in one process (see the module's doc)."""
    import signal
    import threading

    if snapshot.size < TWO_PROCESSES_FROM or not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    cut = snapshot.line_start_after(snapshot.size // 2)
    if cut is None:
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
        _first_half(snapshot, cut, child_reads, child_writes)
    os.close(child_reads)
    os.close(child_writes)
    try:
        return _second_half(snapshot, cut, parent_reads, parent_writes)
    except (EOFError, BrokenPipeError):
        return None  # the child is gone (killed, out of memory)
    finally:
        os.close(parent_reads)
        os.close(parent_writes)
        try:
            os.kill(pid, signal.SIGKILL)  # done or not, it has nothing more to say
        except OSError:
            pass
        os.waitpid(pid, 0)


def _first_half(snapshot, cut: int, inbox: int, outbox: int) -> None:
    """In the child: look for voids before ``cut`` (the halves share what they find), fold those
    lines, hand the fold over, answer which of the ids the second half kept it has read and in
    what form, exit."""
    try:
        attach(None)  # the parent draws the progress
        targets, newlines = snapshot.scan(0, cut)
        _send(outbox, _pack(("scanned", targets, newlines)))
        lines = LineFold(targets | _unpack(_receive(inbox)))
        checkpoints = []
        for end, block in snapshot.blocks(stop=cut, digest=False):
            lines.add_block(block)
            checkpoints.append([end, lines.max_id])
        plain, done_entries = lines.handoff()
        _send(outbox, _pack(("folded", marshal.dumps((plain, checkpoints)), done_entries, snapshot.whole)))
        asked = _unpack(_receive(inbox))  # the ids the second half kept (it closes the pipe if it gives up)
        seen = lines.seen
        _send(outbox, _pack({ident: seen[ident] for ident in asked if seen.get(ident, HELD) is not HELD}))
    except Disagreement:
        _send_quietly(outbox, _pack(("disagree",)))
    except BaseException:  # anything else: the parent folds in one process and meets it there
        _send_quietly(outbox, _pack(("again",)))
    finally:
        os._exit(0)  # never back into the caller's code, and no buffers of the parent's flushed twice


def _second_half(snapshot, cut: int, inbox: int, outbox: int) -> tuple[LineFold, list] | None:
    targets, _ = snapshot.scan(cut, snapshot.size)
    found = _unpack(_receive(inbox))
    if found[0] != "scanned":
        return None
    _, first_targets, newlines = found
    _send(outbox, _pack(targets))
    held = targets | first_targets
    lines = LineFold(held)
    lines.lines = newlines
    lines.keep_first_lines()
    checkpoints = []
    for end, block in snapshot.blocks(start=cut):
        step("读取台账", snapshot.done - cut, snapshot.size - cut)  # the halves go at one pace
        lines.add_block(block)
        checkpoints.append([end, lines.top])
    if snapshot.unterminated:
        lines.add_last(snapshot.unterminated)
    answer = _unpack(_receive(inbox))
    if answer[0] == "disagree":
        raise Disagreement(b"")
    if answer[0] != "folded" or lines.kept_upto is None:
        return None
    _, plain, done_entries, whole = answer
    snapshot.whole = snapshot.whole and whole  # a journal cut shorter meanwhile: the fold is not stored
    earlier, earlier_checkpoints = marshal.loads(plain)
    top = earlier[0]
    if top > lines.kept_upto:
        return None  # the first half has ids this half did not keep: not in fupin's order
    if not held.issuperset(earlier[3]) or not held.issuperset(lines.targets):
        return None  # a void the first pass could not see: its target may be on either side
    _send(outbox, _pack(list(lines.kept)))
    firsts = _unpack(_receive(inbox))
    if type(firsts) is not dict:  # the child failed after its handoff
        return None
    seen = lines.seen
    for ident, first in firsts.items():
        if seen[ident] != first:
            raise Disagreement(ident)  # another line of an id the first half has
    lines.drop_first_lines(firsts)
    lines.take_earlier(earlier, done_entries)
    return lines, earlier_checkpoints + [[end, max(top, own).decode("utf-8")] for end, own in checkpoints]


def _pack(message) -> bytes:
    """A message between the halves: marshal data (fast, and no import), or a pickle when it holds
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
