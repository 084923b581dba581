"""Where long library work says how far it has come; the command line decides whether anyone sees it.

A leaf module, like :mod:`fupin_cli.cache`: library code calls :func:`step`
(a block of the journal folded, a task of a report done) and nothing happens
unless the CLI attached a sink — which it does only when stderr is a
terminal (:mod:`fupin_cli.cli.progress` draws a bar there after a second).
So pipes and cron never see progress, and a run that is fast pays one
``None`` test per step.
"""

from __future__ import annotations

from typing import Callable

_sink: Callable[[str, int, int], None] | None = None


def step(phase: str, done: int = 0, total: int = 0) -> None:
    """``done`` of ``total`` (0: unknown) of ``phase`` (Chinese words, e.g. 读取台账) is done."""
    if _sink is not None:
        _sink(phase, done, total)


def attach(sink: Callable[[str, int, int], None] | None) -> Callable[[str, int, int], None] | None:
    """Send steps to ``sink`` (None: to nobody); returns the sink it replaces."""
    global _sink
    previous, _sink = _sink, sink
    return previous
