"""What the journal says is done: live completion dates per task, period and unit.

Reports need only this, not every entry, so it is kept compact: nested dicts
task → period → unit → completion date ordinal (or a sorted tuple of them when
there are several), names interned so that repeated ones are stored once.
For big journals it is cached: a marshal file in the user's cache folder,
keyed by the journal's path, size, modification time and inode.  The cache is
only an optimisation: the journal stays the truth, the cache can be deleted at
any time, and a stale, torn or foreign one is ignored and rebuilt.
"""

from __future__ import annotations

import os
import sys
from bisect import bisect_right
from datetime import date
from pathlib import Path

from .journal import JournalProblem, live_completions, read_journal

Done = int | tuple[int, ...]  # one completion's date ordinal, or several, sorted
ByTask = dict[str, dict[str, dict[str, Done]]]
CACHE_FORMAT = 2
_NOTHING: dict = {}


class Tally:
    """Completion dates per obligation, seen from ``today`` (later ones do not count yet)."""

    def __init__(self, by_task: ByTask, problems: list[JournalProblem], today: date) -> None:
        self.by_task = by_task
        self.problems = problems
        self.today = today
        self.today_ordinal = today.toordinal()

    def done_in(self, task: str, period: str) -> dict[str, Done]:
        """unit → completions for one task and period (hot loops look units up in it)."""
        return self.by_task.get(task, _NOTHING).get(period, _NOTHING)

    def count_of(self, done: Done | None) -> int:
        """How many of ``done`` (a value of :meth:`done_in`) fall on or before today."""
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

    def dates(self, task: str, period: str, unit: str) -> list[date]:
        done = self.done_in(task, period).get(unit)
        if done is None:
            return []
        ordinals = (done,) if type(done) is int else done
        return [date.fromordinal(d) for d in ordinals[: self.count_of(done)]]

    def done_since(self, since: date):
        """(task, period, unit) of every obligation with a completion between ``since`` and today."""
        low = since.toordinal()
        for task, periods in self.by_task.items():
            for period, units in periods.items():
                for unit, done in units.items():
                    first, last = (done, done) if type(done) is int else (done[0], done[-1])
                    if last >= low and first <= self.today_ordinal:
                        yield task, period, unit


def tally_entries(entries, problems: list[JournalProblem], today: date) -> Tally:
    intern = sys.intern
    by_task: ByTask = {}
    cells: dict[tuple[str, str], dict[str, Done]] = {}  # (task, period) → its units, one lookup per entry
    for entry in live_completions(entries):
        if entry.date is None:
            continue
        cell = (entry.task, entry.period)
        units = cells.get(cell)
        if units is None:
            units = cells[cell] = by_task.setdefault(intern(entry.task), {}).setdefault(intern(entry.period), {})
        ordinal = entry.date.toordinal()
        done = units.get(entry.unit)
        if done is None:
            units[intern(entry.unit)] = ordinal
        else:
            units[entry.unit] = tuple(sorted(((done,) if type(done) is int else done) + (ordinal,)))
    return Tally(by_task, problems, today)


def tally_journal(path: Path, today: date, cache_dir: Path | None) -> Tally:
    """The tally of the journal at ``path``, through the cache when one is given and worth it.

    When the journal only grew by new completions since the cache was written
    (what ``fupin done`` does), just the new lines are read.
    """
    cache = _Cache.for_journal(path, cache_dir)
    if cache is not None:
        found = cache.load()
        if found is not None:
            by_task, problems = found
            return Tally(by_task, [JournalProblem(line, message) for line, message in problems], today)
    contents = read_journal(path)
    tally = tally_entries(contents.entries, contents.problems, today)
    if cache is not None and cache.unchanged():  # a write while we read: cache next time
        cache.store(tally.by_task, [(p.line, p.message) for p in tally.problems],
                    max((e.id for e in contents.entries), default=""))
    return tally


class _Cache:
    MIN_BYTES = 1024 * 1024  # below this, reading the journal is as quick as the cache
    CHECK_BYTES = 4096  # the end of the part already read, compared to tell growth from rewriting

    def __init__(self, path: Path, journal: Path, identity: tuple, size: int, mtime: int) -> None:
        self.path = path
        self.journal = journal
        self.identity = identity
        self.size = size
        self.mtime = mtime

    @classmethod
    def for_journal(cls, journal: Path, cache_dir: Path | None) -> "_Cache | None":
        if cache_dir is None or os.environ.get("FUPIN_NO_CACHE"):
            return None
        try:
            info = journal.stat()
        except OSError:
            return None
        if info.st_size < cls.MIN_BYTES:
            return None
        from .session import cache_name, code_stamp

        real = str(journal.resolve())
        identity = (CACHE_FORMAT, code_stamp("journal", "tally"), real, info.st_ino, info.st_dev)
        return cls(cache_dir / f"journal-{cache_name(real)}.marshal", journal, identity,
                   info.st_size, info.st_mtime_ns)

    def load(self):
        import marshal

        try:
            identity, size, mtime, check, max_id, by_task, problems = marshal.loads(self.path.read_bytes())
        except Exception:  # missing, torn, or from another Python: a miss
            return None
        if identity != self.identity or size > self.size:
            return None
        if size == self.size:
            return (by_task, problems) if mtime == self.mtime else None
        max_id = self._add_new_completions(size, check, max_id, by_task)
        if max_id is None:
            return None
        self.store(by_task, problems, max_id)
        return by_task, problems

    def unchanged(self) -> bool:
        try:
            info = self.journal.stat()
        except OSError:
            return False
        return (info.st_size, info.st_mtime_ns) == (self.size, self.mtime)

    def _add_new_completions(self, size: int, check: bytes, max_id: str, by_task: ByTask) -> str | None:
        """Apply the lines after ``size`` to ``by_task`` when they are new completions and voids.

        A void is applied when fupin can find what it cancels with certainty:
        a completion written the way fupin writes it and never voided before.
        Returns the new greatest id, or None (and ``by_task`` untouched) when
        the journal must be read in full.
        """
        from .journal import parse_lines

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
                added, removed, targets = {}, [], set()
                for entry in contents.entries:
                    if entry.id <= max_id:
                        return None  # an id from the past (a merge): read it all again
                    max_id = entry.id
                    if entry.op == "done":
                        added[entry.id] = entry
                        continue
                    if entry.target in targets:
                        return None  # voided twice: the full reader decides
                    targets.add(entry.target)
                    if entry.target in added:
                        del added[entry.target]
                    else:
                        target = _earlier_completion(handle, size, entry.target)
                        if target is None:
                            return None
                        removed.append(target)
        except OSError:
            return None
        left: dict[tuple[str, str, str], list[int]] = {}  # what each voided key keeps, checked first
        for entry in removed:
            key = (entry.task, entry.period, entry.unit)
            if key not in left:
                left[key] = list(_ordinals(by_task.get(entry.task, _NOTHING).get(entry.period, _NOTHING).get(entry.unit)))
            if entry.date.toordinal() not in left[key]:
                return None  # not in the tally as expected: be safe, read it all
            left[key].remove(entry.date.toordinal())
        for (task, period, unit), ordinals in left.items():
            units = by_task[task][period]
            if not ordinals:
                del units[unit]
            else:
                units[unit] = ordinals[0] if len(ordinals) == 1 else tuple(ordinals)
        news = tally_entries(list(added.values()), [], date.today())
        for task, periods in news.by_task.items():
            for period, units in periods.items():
                known = by_task.setdefault(task, {}).setdefault(period, {})
                for unit, done in units.items():
                    merged = _ordinals(known.get(unit)) + _ordinals(done)
                    known[unit] = merged[0] if len(merged) == 1 else tuple(sorted(merged))
        return max_id

    def store(self, by_task: ByTask, problems: list[tuple[int, str]], max_id: str) -> None:
        import marshal
        import tempfile

        try:
            with open(self.journal, "rb") as handle:
                handle.seek(max(0, self.size - self.CHECK_BYTES))
                check = handle.read(min(self.size, self.CHECK_BYTES))
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".journal-")
            with os.fdopen(fd, "wb") as handle:
                marshal.dump((self.identity, self.size, self.mtime, check, max_id, by_task, problems), handle)
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            pass  # nowhere to cache: fine, just slower next time


def _ordinals(done: Done | None) -> tuple[int, ...]:
    if done is None:
        return ()
    return (done,) if type(done) is int else done


def _earlier_completion(handle, size: int, target: str):
    """The live completion ``target`` names in the first ``size`` bytes, or None if unsure.

    Unsure: an id fupin would not make, no line in fupin's own compact form,
    the line is not a completion, or something already names it as its target.
    """
    import mmap
    import re

    from .journal import parse_lines

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
    if contents.problems or len(contents.entries) != 1 or contents.entries[0].op != "done":
        return None
    return contents.entries[0]
