"""Cell text: paragraphs, and the clean-up that carries no meaning.

Full-width digits and letters become ASCII; half-width ``, ; : ? ! ( )`` that
touch a Chinese character become their full-width forms (``各区(县)`` →
``各区（县）``); odd spaces (ideographic, no-break, tabs) become one space; spaces
next to full-width punctuation go.  Words, 错字 and the stray English of a PDF
extraction stay exactly as printed.
"""

from __future__ import annotations

import re

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_SEPARATORS = "，；：？！、。"
_OPENING = "（〔《“‘【"
_CLOSING = "）〕》”’】"

# A character that belongs to running Chinese text: Han, CJK punctuation, full-width forms, curly quotes.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201d"
_CJK_RE = re.compile(f"[{_CJK}]")
_WRAPPED_BREAK = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_P_MARK = re.compile(r"<p>(.*?)</p>", re.S)


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def clean(text: str) -> str:
    """One paragraph, tidied as the module docstring says."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            ch = chr(code - 0xFEE0)  # full-width digit or letter
        elif ch in "\u3000\u00a0\t\r\n\u2002\u2003\u2009\u200b\ufeff":
            ch = " " if ch not in "\u200b\ufeff" else ""
        out.append(ch)
    s = "".join(out)
    chars = list(s)
    for i, ch in enumerate(chars):
        if ch in _HALF_TO_FULL:
            before = s[:i].rstrip()[-1:]
            after = s[i + 1:].lstrip()[:1]
            if (before and is_cjk(before)) or (after and is_cjk(after)):
                chars[i] = _HALF_TO_FULL[ch]
    s = "".join(chars)
    s = re.sub(r" {2,}", " ", s)
    # A space beside a separator or inside brackets carries nothing; one after a closing
    # bracket may separate two names (各区（县） 市委组织部), so it stays.
    # An opening bracket belongs to the word before it (贫困村 （各帮扶单位）).
    s = re.sub(f" *([{_SEPARATORS}]) *", r"\1", s)
    s = re.sub(f" *([{_OPENING}]) *", r"\1", s)
    s = re.sub(f" +([{_CLOSING}])", r"\1", s)
    return s.strip()


def paragraphs_of(text: str, *, extracted: bool = False) -> tuple[str, ...]:
    """The paragraphs of a cell's raw text: ``<p>…</p>`` marks where there are any, else lines.

    ``extracted``: the text comes from a PDF extraction, which loses a cell's line
    breaks; where a cell has no ``<p>`` marks, a run of spaces between two Chinese
    characters was a break and becomes one again (``各区（县） 市委组织部``).
    """
    if "<p>" in text:
        pieces: list[str] = []
        end = 0
        for match in _P_MARK.finditer(text):
            pieces.extend(text[end:match.start()].splitlines())  # words outside any mark, rare
            pieces.append(match.group(1))
            end = match.end()
        pieces.extend(text[end:].replace("<p>", "").splitlines())
    else:
        pieces = text.splitlines()
        if extracted:
            pieces = [part for piece in pieces for part in _WRAPPED_BREAK.split(piece)]
    return tuple(p for p in (clean(piece) for piece in pieces) if p)
