"""The JSON Lines journal as a :class:`~fupin_cli.journal.store.JournalStore`."""

from __future__ import annotations

from pathlib import Path

from ..ledger import Ledger
from .reader import JournalContents, read_journal


class JsonlStore:
    """The file at ``path`` is the truth; the index in ``cache_dir`` (if any) only saves reading it."""

    def __init__(self, path: Path, cache_dir: Path | None = None) -> None:
        self.path = Path(path)
        self.cache_dir = cache_dir

    def describe(self) -> str:
        return str(self.path)

    def contents(self) -> JournalContents:
        return read_journal(self.path)

    def ledger(self) -> Ledger:
        from .index import ledger_of

        return ledger_of(self.path, self.cache_dir)

    def append(self, record: dict) -> dict:
        from .writer import append

        return append(self.path, record)
