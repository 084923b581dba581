"""The private index of a JSON Lines journal: its ledger, cached, so big journals are not re-read.

A marshal file in the cache folder, keyed by the journal's path, size,
modification time and inode.  When the journal only grew by what fupin
appends (completions and voids), just the new tail is read.  The index is
only an optimisation: the journal stays the truth, the cache can be deleted at
any time, and a stale, torn or foreign one is ignored and rebuilt.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..entries import DoneEntry, Problem, VoidEntry
from ..ledger import (
    MARKERS,
    Completions,
    Ledger,
    Marks,
    add_completions,
    add_marks,
    fold,
    marks_from_plain,
    marks_to_plain,
    remove_completion,
)
from .reader import parse_lines, read_journal

FORMAT = 5  # 4: completions keyed by plan first; 5: and the marks (extensions, waivers, progress)


def ledger_of(path: Path, cache_dir: Path | None) -> Ledger:
    """The ledger of the journal at ``path``, through the index when there is a cache folder and it pays."""
    index = _Index.for_journal(path, cache_dir)
    if index is not None:
        found = index.load()
        if found is not None:
            completions, problems, marks = found
            return Ledger(completions, [Problem(line, message) for line, message in problems], marks)
    contents = read_journal(path)
    ledger = fold(contents.entries, contents.problems)
    if index is not None and index.unchanged():  # a write while we read: index it next time
        index.store(ledger.completions, [(p.line, p.message) for p in ledger.problems],
                    max((e.id for e in contents.entries), default=""), ledger.marks)
    return ledger


class _Index:
    MIN_BYTES = 1024 * 1024  # below this, reading the journal is as quick as the index
    CHECK_BYTES = 4096  # the end of the part already read, compared to tell growth from rewriting

    def __init__(self, path: Path, journal: Path, identity: tuple, size: int, mtime: int) -> None:
        self.path = path
        self.journal = journal
        self.identity = identity
        self.size = size
        self.mtime = mtime

    @classmethod
    def for_journal(cls, journal: Path, cache_dir: Path | None) -> "_Index | None":
        if cache_dir is None:
            return None
        try:
            info = journal.stat()
        except OSError:
            return None
        if info.st_size < cls.MIN_BYTES:
            return None
        from ...cache import cache_name, code_stamp

        real = str(journal.resolve())
        identity = (FORMAT, code_stamp(), real, info.st_ino, info.st_dev)
        return cls(cache_dir / f"journal-{cache_name(real)}.marshal", journal, identity,
                   info.st_size, info.st_mtime_ns)

    def load(self):
        import marshal

        try:
            identity, size, mtime, check, max_id, completions, problems, plain = marshal.loads(
                self.path.read_bytes())
            marks = marks_from_plain(plain)
        except Exception:  # missing, torn, or from another Python: a miss
            return None
        if identity != self.identity or size > self.size:
            return None
        if size == self.size:
            return (completions, problems, marks) if mtime == self.mtime else None
        max_id = self._add_tail(size, check, max_id, completions, marks)
        if max_id is None:
            return None
        self.store(completions, problems, max_id, marks)
        return completions, problems, marks

    def unchanged(self) -> bool:
        try:
            info = self.journal.stat()
        except OSError:
            return False
        return (info.st_size, info.st_mtime_ns) == (self.size, self.mtime)

    def _add_tail(self, size: int, check: bytes, max_id: str, completions: Completions, marks: Marks) -> str | None:
        """Apply the lines after ``size`` to ``completions`` and ``marks`` when they are new completions,
        marks (progress, extensions, waivers) and voids of completions.

        A void is applied when its target can be found with certainty: a
        completion written the way fupin writes it and never voided before.
        Returns the new greatest id, or None (``completions`` then unusable)
        when the journal must be read in full.
        """
        try:
            with open(self.journal, "rb") as handle:
                handle.seek(size - len(check))
                if handle.read(len(check)) != check:
                    return None  # rewritten (a merge, an edit): read it all again
                tail = handle.read(self.size - size)
                if not tail.endswith(b"\n"):
                    return None
                contents = parse_lines(tail.splitlines(keepends=True))
                if contents.problems:
                    return None
                added: dict[str, DoneEntry] = {}
                marking: list = []
                removed: list[DoneEntry] = []
                targets: set[str] = set()
                for entry in contents.entries:
                    if entry.id <= max_id:
                        return None  # an id from the past (a merge): read it all again
                    max_id = entry.id
                    if type(entry) is DoneEntry:
                        added[entry.id] = entry
                        continue
                    if type(entry) in MARKERS:
                        marking.append(entry)
                        continue
                    if type(entry) is not VoidEntry or entry.target in targets:
                        return None  # another op, or voided twice: the full reader decides
                    targets.add(entry.target)
                    if any(m.id == entry.target for m in marking):
                        return None  # a mark voided at once: the full reader decides
                    if entry.target in added:
                        del added[entry.target]
                    else:
                        target = _earlier_completion(handle, size, entry.target)
                        if target is None:
                            return None
                        removed.append(target)
        except OSError:
            return None
        for entry in removed:
            if not remove_completion(completions, entry):
                return None  # not indexed as expected: be safe, read it all
        add_completions(completions, added.values())
        add_marks(marks, marking)
        return max_id

    def store(self, completions: Completions, problems: list[tuple[int, str]], max_id: str,
              marks: Marks) -> None:
        import marshal
        import tempfile

        try:
            with open(self.journal, "rb") as handle:
                handle.seek(max(0, self.size - self.CHECK_BYTES))
                check = handle.read(min(self.size, self.CHECK_BYTES))
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".journal-")
            with os.fdopen(fd, "wb") as handle:
                marshal.dump((self.identity, self.size, self.mtime, check, max_id, completions, problems,
                              marks_to_plain(marks)), handle)
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            pass  # nowhere to cache: fine, just slower next time


def _earlier_completion(handle, size: int, target: str) -> DoneEntry | None:
    """The live completion ``target`` names in the first ``size`` bytes, or None if unsure.

    Unsure: an id fupin would not make, no line in fupin's own compact form,
    the line is not a completion, or something already names it as its target.
    """
    import mmap
    import re

    if not re.fullmatch(r"[0-9A-Za-z.:_-]+", target):
        return None
    quoted = target.encode("ascii")
    with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as whole:
        at = whole.find(b'{"id":"' + quoted + b'"', 0, size)
        if at < 0 or (at > 0 and whole[at - 1:at] != b"\n"):
            return None
        if whole.find(b'"target":"' + quoted + b'"', 0, size) >= 0:
            return None  # voided before (or a void of a void): the full reader decides
        end = whole.find(b"\n", at, size)
        line = whole[at:end + 1] if end >= 0 else b""
    contents = parse_lines([line])
    if contents.problems or len(contents.entries) != 1 or type(contents.entries[0]) is not DoneEntry:
        return None
    return contents.entries[0]
