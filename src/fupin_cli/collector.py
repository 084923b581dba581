"""The cyclic garbage collector, paused while fupin makes many objects none of which is cyclic.

A leaf module, like :mod:`fupin_cli.progress`.  Reading a journal, folding it, loading a cached
plan or ledger make hundreds of thousands of small objects; the collector would walk them again
and again as they are made (more than doubling a province's read).  Nothing they make is cyclic.
"""

from __future__ import annotations

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
