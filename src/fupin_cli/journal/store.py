"""The one facade commands use for the journal: read its entries, its ledger, append a line.

:class:`JournalStore` is the protocol; :class:`~fupin_cli.journal.jsonl.store.JsonlStore`
keeps the JSON Lines file.  A second kind of store (a database, a server) is one
more class with these four methods.
"""

from __future__ import annotations

from typing import Protocol

from .jsonl.reader import JournalContents
from .ledger import Ledger


class JournalStore(Protocol):
    def describe(self) -> str:
        """Where the journal is, for people (a path)."""

    def contents(self) -> JournalContents:
        """Every entry in order, one per id, and the problems of unreadable lines."""

    def ledger(self) -> Ledger:
        """What the journal says is done (through a private index where one pays)."""

    def append(self, record: dict) -> dict:
        """Write one entry, whole or not at all; returns it."""
