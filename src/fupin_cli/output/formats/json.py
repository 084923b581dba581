"""JSON for scripts: plain records, dates as ISO strings, keys stable (see README)."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import date

import orjson


def _default(value):
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def render_data(data) -> str:
    return orjson.dumps(data, default=_default, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode() + "\n"


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def render(view, target=None) -> str:
    return render_data(view.records())
