"""The JSON Lines journal as a :class:`~fupin_cli.journal.store.JournalStore`."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:  # annotations only: the reader is imported to read entries
    from ..ledger import Ledger
    from .reader import JournalContents


class JsonlStore:
    """The file at ``path`` is the truth; the index in ``cache`` (a CacheFolder, if any) only saves reading it."""

    def __init__(self, path: Path, cache=None, make_folder: bool = False) -> None:
        self.path = Path(path)
        self.cache = cache
        self.make_folder = make_folder  # the journal's folder may be created (fupin's own default place)
        self._index = None

    def describe(self) -> str:
        return str(self.path)

    def contents(self) -> JournalContents:
        from .reader import read_journal

        return read_journal(self.path)

    def _journal_index(self):
        """One index per store: it remembers what fupin had seen of the journal before this run (nothing
        stored without a cache folder)."""
        if self._index is None:
            from .index import NO_CACHE, JournalIndex

            self._index = JournalIndex(self.path, self.cache if self.cache is not None else NO_CACHE)
        return self._index

    def read_ahead(self) -> None:
        """Begin reading the ledger (see :meth:`~fupin_cli.journal.jsonl.index.JournalIndex.read_ahead`)."""
        self._journal_index().read_ahead()

    def ledger(self) -> Ledger:
        return self._journal_index().ledger()

    def _last_seen(self) -> int | None:
        return self._journal_index().last_seen_size()

    def append(self, record: dict, precondition: Callable[["JsonlStore"], None] | None = None) -> dict:
        from .writer import append

        check = None if precondition is None else (lambda: precondition(self))
        return append(self.path, record, last_seen=self._last_seen(), precondition=check,
                      make_folder=self.make_folder)

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

    def accept_current(self) -> None:
        self._journal_index().accept_current()

    def shrinkage(self) -> tuple[int | None, int] | None:
        seen = self._last_seen()
        if seen is None:
            return None
        try:
            size = os.stat(self.path).st_size
        except FileNotFoundError:
            return None, seen
        except OSError:
            return None
        return (size, seen) if size < seen else None

