"""Text as people see it: names compared the way clerks write them, display width, terminal safety."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalize_name(text: str) -> str:
    """The form names are compared in: NFKC (全角 → 半角 brackets), no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes: East Asian wide and full-width characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def terminal_safe(text: str) -> str:
    """Text with control characters (ANSI escapes among them) removed and newlines folded."""
    return _CONTROL.sub("", text.replace("\r\n", " ").replace("\n", " "))
