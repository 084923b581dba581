"""JSON for scripts: plain records, dates as ISO strings, keys stable (see README).

Records may hold ``date`` values: orjson writes them as ISO strings (YYYY-MM-DD) itself.
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass

import orjson


def _default(value):
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def render_data(data) -> bytes:
    """``data`` as indented JSON in UTF-8, ending with a newline (bytes: a province's list is not decoded
    only to be encoded again on the way out)."""
    return orjson.dumps(data, default=_default,
                        option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE)


def render(view, target=None) -> str:
    return render_data(view.records())
