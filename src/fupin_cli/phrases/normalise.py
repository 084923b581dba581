"""Step 1 of reading deadline words: normalise the text, remembering where each character came from.

NFKC per character (full-width digits and punctuation → ASCII), traditional
variants (內→内, 後→后, 個→个 …), single spaces dropped (a line break or a run
of two or more spaces separates clauses), Chinese numerals in front of a unit
(年 月 日 号 次 个 天 周 季) turned into digits: 二〇一八年 → 2018年, 十二月 → 12月,
廿五日 → 25日, 两次 → 2次, 一个月 → 1个月.  Every normalised character remembers
its index in the original text, so errors point at the words the clerk typed.
"""

from __future__ import annotations

import re
import unicodedata

_VARIANTS = {
    "內": "内", "後": "后", "個": "个", "週": "周", "號": "号", "兩": "两",
    "開": "开", "學": "学", "長": "长", "態": "态", "續": "续", "於": "于",
    "當": "当", "○": "〇",
}

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "廿": 20, "卅": 30, "百": 100}

_CN_NUMBER = re.compile(r"[〇零一二两三四五六七八九十廿卅百]+(?=[年月日号次个天周季]|以上)")

SEPARATOR = ";"


def _cn_value(run: str) -> str | None:
    """A Chinese numeral as ASCII digits, or None if it is not a plain number."""
    if not any(ch in _CN_UNITS for ch in run):
        # 二〇一八 → 2018, 五 → 5: read digit by digit.
        return "".join(str(_CN_DIGITS[ch]) for ch in run)
    total = 0
    current: int | None = None
    for ch in run:
        if ch in _CN_DIGITS:
            if current is not None:
                return None
            current = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if ch in "廿卅":
                if current is not None:
                    return None
                total += unit
            else:
                total += (1 if current is None else current) * unit
            current = None
    if current is not None:
        total += current
    return str(total)


def normalize(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the original index."""
    chars: list[str] = []
    where: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            run = text[i:j]
            if "\n" in run or "\r" in run or j - i >= 2:
                chars.append(SEPARATOR)
                where.append(i)
            i = j
            continue
        out = _VARIANTS.get(ch)
        if out is None:
            out = unicodedata.normalize("NFKC", ch)
        for c in out:
            if not c.isspace():
                chars.append(_VARIANTS.get(c, c))
                where.append(i)
        i += 1

    # Chinese numerals in front of a unit → ASCII digits.
    s = "".join(chars)
    out_chars: list[str] = []
    out_where: list[int] = []
    last = 0
    for m in _CN_NUMBER.finditer(s):
        value = _cn_value(m.group())
        if value is None:
            continue
        out_chars.extend(s[last:m.start()])
        out_where.extend(where[last:m.start()])
        out_chars.extend(value)
        out_where.extend([where[m.start()]] * len(value))
        last = m.end()
    out_chars.extend(s[last:])
    out_where.extend(where[last:])
    return "".join(out_chars), out_where
