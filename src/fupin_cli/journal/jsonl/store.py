"""The JSON Lines journal as a :class:`~fupin_cli.journal.store.JournalStore`."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..ledger import Ledger
from .reader import JournalContents, read_journal


class JsonlStore:
    """The file at ``path`` is the truth; the index in ``cache`` (a CacheFolder, if any) only saves reading it."""

    def __init__(self, path: Path, cache=None) -> None:
        self.path = Path(path)
        self.cache = cache

    def describe(self) -> str:
        return str(self.path)

    def contents(self) -> JournalContents:
        return read_journal(self.path)

    def ledger(self) -> Ledger:
        from .index import ledger_of

        return ledger_of(self.path, self.cache)

    def _last_seen(self) -> int | None:
        if self.cache is None:
            return None
        from .index import JournalIndex

        return JournalIndex(self.path, self.cache).last_seen_size()

    def append(self, record: dict, precondition: Callable[["JsonlStore"], None] | None = None) -> dict:
        from .writer import append

        check = None if precondition is None else (lambda: precondition(self))
        return append(self.path, record, last_seen=self._last_seen(), precondition=check)

    @contextmanager
    def locked(self) -> Iterator[None]:
        from .lock import JournalLock
        from .writer import resolve_target

        target = resolve_target(self.path)
        with JournalLock(target, shown=self.path) as lock:
            yield
            try:
                lock.remember(os.stat(target).st_size)
            except OSError:
                pass

    def shrinkage(self) -> tuple[int, int] | None:
        seen = self._last_seen()
        try:
            size = os.stat(self.path).st_size
        except OSError:
            return None
        return (size, seen) if seen is not None and size < seen else None
