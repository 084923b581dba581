"""The one facade commands use for the journal: read its entries, its ledger, append a line.

:class:`JournalStore` is the protocol; :class:`~fupin_cli.journal.jsonl.store.JsonlStore`
keeps the JSON Lines file.  A second kind of store (a database, a server) is one
more class with these methods.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Callable, Protocol

from .jsonl.reader import JournalContents
from .ledger import Ledger


class JournalStore(Protocol):
    def describe(self) -> str:
        """Where the journal is, for people (a path)."""

    def contents(self) -> JournalContents:
        """Every entry in order, one per id, and the problems of unreadable lines."""

    def ledger(self) -> Ledger:
        """What the journal says is done (through a private index where one pays)."""

    def read_ahead(self) -> None:
        """Begin reading the ledger, which :meth:`ledger` finishes, so that its slow part goes on beside
        the caller's other work (a store may do nothing here).  Raises nothing."""

    def append(self, record: dict, precondition: Callable[["JournalStore"], None] | None = None) -> dict:
        """Write one entry, whole or not at all; returns it.

        ``precondition(store)`` runs under the same lock as the write, right
        before it, and reads the journal as it is then (no other write can
        come between); it raises to refuse, and then nothing is written.
        """

    def locked(self) -> AbstractContextManager[None]:
        """Hold the journal's write lock, so another program (git) can change the file while no
        fupin write can come between."""

    def shrinkage(self) -> tuple[int | None, int] | None:
        """(size now, or None when missing; size last seen) when the journal is shorter than fupin last saw it."""

    def accept_current(self) -> None:
        """Take the journal as it is now as what fupin has seen (once a person was shown the difference)."""
