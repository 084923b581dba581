"""Steps 2 and 3 of reading deadline words: split into clauses and parts, match each part with a family.

Clauses end at ``;`` ``；`` ``。`` (and line breaks).  Inside a clause ``、`` and
commas split only where the part after them starts with a deadline expression
and the part before already holds one (长期性、常态化 → two phrases;
改造任务、补助金发放到户 → filler).  Only the leftmost expression of a part is
read; later dates in the same part are objects ("12月31日前完成2019年全年…计划" →
12-31 of the plan year).  A count (至少两次, 2次以上, 一次) anywhere in the part
sets ``Rule.count``.  A part with no deadline expression raises
:class:`PhraseError` at its start.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..domain.errors import PhraseError
from ..domain.model import Rule
from .families import FAMILIES, BadNumbers, Builder
from .normalise import normalize

_COUNT = re.compile(r"(?:至少|不少于|最少)?(?<![第0-9])(?P<n>[0-9]{1,3})次(?:及?以上)?")

_CLAUSE_END = re.compile(r"[;。]")
_SOFT_SPLIT = re.compile(r"[、,]")
_BLANK = re.compile(r"[\s;。、,:!?.]*")


def _leftmost(s: str) -> tuple[re.Match, Builder] | None:
    best: tuple[tuple[int, int, int], re.Match, Builder] | None = None
    for order, family in enumerate(FAMILIES):
        build = family.build
        m = family.pattern.search(s)
        if m is None or m.end() == m.start():
            continue
        key = (m.start(), -(m.end() - m.start()), order)
        if best is None or key < best[0]:
            best = (key, m, build)
    return None if best is None else (best[1], best[2])


def _starts_with_deadline(s: str) -> bool:
    return any((m := family.pattern.match(s)) is not None and m.end() > 0 for family in FAMILIES)


def _split(s: str, begin: int, end: int, rx: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of s[begin:end] between matches of rx (separators dropped)."""
    spans = []
    start = begin
    for m in rx.finditer(s, begin, end):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, end))
    return spans


def _parts(s: str, begin: int, end: int) -> list[tuple[int, int]]:
    """Split one clause at 、 and commas that separate deadline phrases."""
    groups: list[tuple[int, int]] = []
    for a, b in _split(s, begin, end, _SOFT_SPLIT):
        if groups and not (_starts_with_deadline(s[a:b]) and _leftmost(s[groups[-1][0]:groups[-1][1]])):
            groups[-1] = (groups[-1][0], b)
        else:
            groups.append((a, b))
    return groups


def count_in_text(text: str) -> int | None:
    """The first count requirement (至少两次, 2次以上, 一次 …) in text, or None."""
    s, _ = normalize(str(text))
    for m in _COUNT.finditer(s):
        n = int(m.group("n"))
        if n >= 1:
            return n
    return None


def _error(text: str, where: list[int], index: int, message: str) -> PhraseError:
    position = where[index] if index < len(where) else len(text)
    return PhraseError(message, phrase=text, position=position)


def _original(text: str, where: list[int], a: int, b: int) -> str:
    if a >= b:
        return ""
    return text[where[a]: where[b - 1] + 1].strip()


def parse(text: str, plan_year: int) -> tuple[Rule, ...]:
    """The rules stated by the deadline words ``text``.

    Raises :class:`PhraseError` (and nothing else) when the words are empty or
    a clause holds no deadline expression that fupin can read.
    """
    if not isinstance(text, str):
        raise PhraseError("完成时限应为文字", phrase=repr(text), position=0)
    s, where = normalize(text)
    rules: list[Rule] = []
    seen: set[Rule] = set()
    for a, b in _split(s, 0, len(s), _CLAUSE_END):
        if _BLANK.fullmatch(s, a, b):
            continue
        source = _original(text, where, a, b)
        for pa, pb in _parts(s, a, b):
            part = s[pa:pb]
            if _BLANK.fullmatch(part):
                continue
            found = _leftmost(part)
            if found is None:
                skip = len(part) - len(part.lstrip(",、:"))
                words = _original(text, where, pa, pb)
                raise _error(
                    text, where, pa + skip,
                    f"无法识别完成时限“{words}”：没有找到期限"
                    "（如“2018年6月30日前”“每月25日前”“每季度之后10日内”“长期性”）",
                )
            m, build = found
            try:
                rule = build(m, plan_year, part)
            except BadNumbers as exc:
                raise _error(text, where, pa + m.start(),
                             f"无法识别完成时限“{_original(text, where, pa + m.start(), pa + m.end())}”：{exc}") from None
            except (ValueError, OverflowError, TypeError):
                raise _error(text, where, pa + m.start(),
                             f"无法识别完成时限“{_original(text, where, pa + m.start(), pa + m.end())}”") from None
            count = None
            for c in _COUNT.finditer(part):
                if int(c.group("n")) >= 1:
                    count = int(c.group("n"))
                    break
            if count is not None:
                rule = replace(rule, count=count)
            key = replace(rule, source="")
            if key in seen:
                continue
            seen.add(key)
            rules.append(replace(rule, source=source))
    if not rules:
        raise PhraseError("完成时限为空：请填写期限（如“2018年6月30日前”“每月25日前”“长期性”）",
                          phrase=text, position=0)
    return tuple(rules)

