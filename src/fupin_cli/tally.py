"""What the journal says is done: live completion dates per (task, unit, period).

Reports need only this, not every entry, so it is kept compact (dates as
ordinals) and, for big journals, cached: a marshal file in the user's cache
folder, keyed by the journal's path, size, modification time and inode.  The
cache is only an optimisation: the journal stays the truth, the cache can be
deleted at any time, and a stale, torn or foreign one is ignored and rebuilt.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from datetime import date
from pathlib import Path

from .journal import JournalProblem, live_completions, read_journal

Key = tuple[str, str, str]
CACHE_FORMAT = 1


class Tally:
    """Sorted completion dates (as ordinals) per obligation key, seen from ``today``."""

    def __init__(self, by_key: dict[Key, tuple[int, ...]], problems: list[JournalProblem], today: date) -> None:
        self.by_key = by_key
        self.problems = problems
        self.today = today
        self._today = today.toordinal()

    def count(self, key: Key) -> int:
        """Completions on or before today."""
        found = self.by_key.get(key)
        if found is None:
            return 0
        return len(found) if found[-1] <= self._today else bisect_right(found, self._today)

    def dates(self, key: Key) -> list[date]:
        found = self.by_key.get(key, ())
        return [date.fromordinal(d) for d in found[: self.count(key)]]

    def keys_done_since(self, since: date):
        """Keys with a completion between ``since`` and today."""
        low = since.toordinal()
        for key, found in self.by_key.items():
            if found[-1] >= low and found[0] <= self._today:
                yield key


def tally_entries(entries, problems: list[JournalProblem], today: date) -> Tally:
    by_key: dict[Key, list[int]] = {}
    for entry in live_completions(entries):
        if entry.date is None:
            continue
        key = (entry.task, entry.unit, entry.period)
        found = by_key.get(key)
        if found is None:
            by_key[key] = [entry.date.toordinal()]
        else:
            found.append(entry.date.toordinal())
    return Tally({k: tuple(sorted(v)) for k, v in by_key.items()}, problems, today)


def tally_journal(path: Path, today: date, cache_dir: Path | None) -> Tally:
    """The tally of the journal at ``path``, through the cache when one is given and worth it."""
    cache = _Cache.for_journal(path, cache_dir)
    if cache is not None:
        found = cache.load()
        if found is not None:
            by_key, problems = found
            return Tally(by_key, [JournalProblem(line, message) for line, message in problems], today)
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
        import hashlib

        real = str(journal.resolve())
        key = (CACHE_FORMAT, real, info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev)
        name = hashlib.sha256(real.encode()).hexdigest()[:32]
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
                marshal.dump((self.key, tally.by_key, problems), handle)
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            pass  # nowhere to cache: fine, just slower next time
