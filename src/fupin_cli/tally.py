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
    for entry in live_completions(entries):
        if entry.date is None:
            continue
        units = by_task.setdefault(intern(entry.task), {}).setdefault(intern(entry.period), {})
        ordinal = entry.date.toordinal()
        done = units.get(entry.unit)
        if done is None:
            units[intern(entry.unit)] = ordinal
        else:
            units[entry.unit] = tuple(sorted(((done,) if type(done) is int else done) + (ordinal,)))
    return Tally(by_task, problems, today)


def tally_journal(path: Path, today: date, cache_dir: Path | None) -> Tally:
    """The tally of the journal at ``path``, through the cache when one is given and worth it."""
    cache = _Cache.for_journal(path, cache_dir)
    if cache is not None:
        found = cache.load()
        if found is not None:
            by_task, problems = found
            return Tally(by_task, [JournalProblem(line, message) for line, message in problems], today)
    contents = read_journal(path)
    tally = tally_entries(contents.entries, contents.problems, today)
    if cache is not None:
        cache.store(tally)
    return tally


class _Cache:
    MIN_BYTES = 1024 * 1024  # below this, reading the journal is as quick as the cache

    def __init__(self, path: Path, key: tuple) -> None:
        self.path = path
        self.key = key

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
        from .session import cache_name

        real = str(journal.resolve())
        key = (CACHE_FORMAT, real, info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev)
        name = cache_name(real)
        return cls(cache_dir / f"journal-{name}.marshal", key)

    def load(self):
        import marshal

        try:
            data = marshal.loads(self.path.read_bytes())
            if data[0] != self.key:
                return None
            return data[1], data[2]
        except Exception:  # missing, torn, or from another Python: a miss
            return None

    def store(self, tally: Tally) -> None:
        import marshal
        import tempfile

        problems = [(p.line, p.message) for p in tally.problems]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".journal-")
            with os.fdopen(fd, "wb") as handle:
                marshal.dump((self.key, tally.by_task, problems), handle)
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            pass  # nowhere to cache: fine, just slower next time
