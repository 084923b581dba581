"""The cyclic garbage collector, paused while fupin makes many objects none of which is cyclic.

A leaf module, like :mod:`fupin_cli.progress`.  Reading a journal, folding it, loading a cached
plan or ledger make hundreds of thousands of small objects; the collector would walk them again
and again as they are made (more than doubling a province's read).  Nothing they make is cyclic.
"""

from __future__ import annotations

import atexit
import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside; afterwards the collector is as it was found (on, or already off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def frozen_at_exit() -> None:
    """Spare the process its last collection: as it ends, CPython looks for cycles among every
    object still alive (a big run's plan, ledger and rows: ~16 ms at big city, for memory the
    process is about to give back).  Frozen objects are not looked at: those in a cycle go with
    the process; every exit handler registered before this one still runs after it, and the
    standard streams are flushed as always.  Registered once per process."""
    global _freezing
    if not _freezing:
        atexit.register(gc.freeze)
        _freezing = True


_freezing = False
