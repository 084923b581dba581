"""Free text a clerk types into the journal (progress, reasons, names): checked before anything is written."""

from __future__ import annotations

import unicodedata

from ..domain.errors import UsageError
from ..journal.entries import TEXT_LIMIT

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def checked_text(value: str, option: str, *, required: bool = False) -> str:
    """Free text a clerk typed: at most :data:`TEXT_LIMIT` characters, no control characters, trimmed."""
    text = (value or "").strip()
    if required and not text:
        raise UsageError(f"{option} 不能为空", subject=option)
    if len(text) > TEXT_LIMIT:
        raise UsageError(f"{option} 太长：{len(text)} 个字，最多 {TEXT_LIMIT} 个字", subject=option)
    bad = next((ch for ch in text if unicodedata.category(ch) == "Cc" or ch in _BIDI), None)
    if bad is not None:
        raise UsageError(f"{option} 含有控制字符（U+{ord(bad):04X}），请只写文字", subject=option)
    return text
