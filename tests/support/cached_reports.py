"""The reports the cache tests compare, with and without caches (FUPIN_NO_CACHE)."""

from __future__ import annotations

AS_OF = ("--as-of", "2018-10-15")


def reports(fupin) -> list:
    return [fupin("overdue", "--format", "json", *AS_OF).json(),
            fupin("due", "--format", "json", "--within", "30", *AS_OF).json(),
            fupin("report", "weekly", "--format", "json", *AS_OF).json()]


def without_cache(fupin, monkeypatch) -> list:
    monkeypatch.setenv("FUPIN_NO_CACHE", "1")
    try:
        return reports(fupin)
    finally:
        monkeypatch.delenv("FUPIN_NO_CACHE")
