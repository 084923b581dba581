"""normalize_name drops every whitespace character, as the regular expression it replaced (\\s+) did."""

from __future__ import annotations

import re
import sys
import unicodedata

from fupin_cli.domain.text import normalize_name


def test_every_whitespace_character_is_dropped_and_nothing_else():
    spaces = [chr(code) for code in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(code))]
    assert len(spaces) == 29
    for space in spaces:
        assert normalize_name(f"市{space}民政局") == "市民政局", hex(ord(space))
    for text in ("各区（县）", "ＡＢＣ 民政局", "金平区\u3000民政局", "Shi Min\tZheng", "\u200b村"):
        expected = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()
        assert normalize_name(text) == expected


def test_known_forms():
    assert normalize_name("各区（县）") == "各区(县)"
    assert normalize_name(" 市 民政局 ") == "市民政局"
    assert normalize_name("ＡＢＣ") == "abc"
