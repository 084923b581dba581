"""What a day in the journal is: ``YYYY-MM-DD`` and nothing else.

A leaf module, so that the fold of a journal's lines reads dates by the reader's rule without
importing the entry types (see :mod:`fupin_cli.journal.jsonl.fold`).
"""

from __future__ import annotations

from datetime import date


def parse_day(text: str, cache: dict[str, date]) -> date | None:
    """``YYYY-MM-DD`` only (fromisoformat alone would also take 20180703 or weeks)."""
    d = cache.get(text)
    if d is None:
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            return None
        try:
            d = date.fromisoformat(text)
        except ValueError:
            return None
        cache[text] = d
    return d
