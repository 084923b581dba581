"""Chinese deadline words (完成时限) → :class:`~fupin_cli.model.Rule` values.

Pure text work: no dates library, no I/O, no clock.  ``parse`` reads a
完成时限 cell such as "每季度之后10日内完成" and returns the rules it states.

Reading happens in three steps:

1. **Normalise** – NFKC per character (full-width digits and punctuation →
   ASCII), traditional variants (內→内, 後→后, 個→个 …), single spaces dropped
   (a line break or a run of two or more spaces separates clauses), Chinese
   numerals in front of a unit (年 月 日 号 次 个 天 周 季) turned into digits:
   二〇一八年 → 2018年, 十二月 → 12月, 廿五日 → 25日, 两次 → 2次, 一个月 → 1个月.
   Every normalised character remembers its index in the original text, so
   errors point at the words the clerk typed.
2. **Split** – clauses end at ``;`` ``；`` ``。`` (and line breaks).  Inside a
   clause ``、`` and commas split only where the part after them starts with a
   deadline expression and the part before already holds one
   (长期性、常态化 → two phrases; 改造任务、补助金发放到户 → filler).
3. **Match** – each part is searched with every pattern of the table below;
   the leftmost match wins (ties: the longer match, then table order).  Only
   that one expression is read; later dates in the same part are objects
   ("12月31日前完成2019年全年…计划" → 12-31 of the plan year).  A count
   (至少两次, 2次以上, 一次) anywhere in the part sets ``Rule.count``.  A part
   with no deadline expression raises :class:`PhraseError` at its start.

Families (the ``_PATTERNS`` table, in order):

* fixed date (kind ``once``): 2018年6月30日前; 2018年4月底前; 2018年底前 /
  2018年底完成 / 2018年内; 2018年上半年 / 下半年; 12月31日前, 6月底前, 年底前,
  年内, 上半年 (06-30), 下半年 (12-31) of the plan year.
* monthly: 每月N日前 (day N of the month; with 上月 in the part the period
  is the previous month: due N days after its end); 每月底前; 逐月, 每月, 按月.
* quarterly: 每季度之后/结束后N日内 (quarter end + N days); 每季度首月N日前
  (first month, day N); 每季度末; 每季度.
* half-yearly: 每半年之后N日内; 每半年(末).
* yearly: 每年年底前; 每年M月D日前; 每年M月底前; 每年.
* weekly: 每周五前 (weekday 4); 每周 (Sunday).
* per semester: 每学期开学后一个月内 (term start + 1 month − 1 day);
  每学期开学后N日内 (term start + N − 1 days); 每学期(末).
* ongoing: 长期性, 常态化, 持续, 长效.
* counts (not a deadline by themselves): 至少两次, 2次以上, 至少1次, 一次.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date
from typing import Callable

from .errors import PhraseError
from .model import Rule

__all__ = ["parse", "count_in_text", "describe"]


# --------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------

_VARIANTS = {
    "內": "内", "後": "后", "個": "个", "週": "周", "號": "号", "兩": "两",
    "開": "开", "學": "学", "長": "长", "態": "态", "續": "续", "於": "于",
    "當": "当", "○": "〇",
}

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "廿": 20, "卅": 30, "百": 100}

_CN_NUMBER = re.compile(r"[〇零一二两三四五六七八九十廿卅百]+(?=[年月日号次个天周季]|以上)")

_SEPARATOR = ";"


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


def _normalize(text: str) -> tuple[str, list[int]]:
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
                chars.append(_SEPARATOR)
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


# --------------------------------------------------------------------------
# The pattern table
# --------------------------------------------------------------------------

class _Bad(Exception):
    """A deadline expression was found but its numbers make no sense."""


_BEFORE = r"(?:之前|以前|前|为止|止)?"
_WITHIN = r"(?:之内|以内|内|之前|以前|前)?"
_AFTER = r"(?:之后|以后|后)"
_DAY = r"[日号]"
_EVERY = r"每(?:个)?"

Builder = Callable[[re.Match, int, str], Rule]


def _date(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except (ValueError, OverflowError):
        raise _Bad(f"日期不存在：{y}年{m}月{d}日") from None


def _month_end(y: int, m: int) -> date:
    if not 1 <= m <= 12:
        raise _Bad(f"月份不存在：{m}月")
    if m == 12:
        return _date(y, 12, 31)
    return date.fromordinal(_date(y, m + 1, 1).toordinal() - 1)


def _check_month(m: int) -> int:
    if not 1 <= m <= 12:
        raise _Bad(f"月份不存在：{m}月")
    return m


def _check_day(d: int, m: int | None = None) -> int:
    longest = 31 if m is None else (29 if m == 2 else 30 if m in (4, 6, 9, 11) else 31)
    if m is not None and not 1 <= m <= 12:
        raise _Bad(f"月份不存在：{m}月")
    if not 1 <= d <= longest:
        raise _Bad(f"日期不存在：{d}日" if m is None else f"日期不存在：{m}月{d}日")
    return d


def _g(m: re.Match, name: str) -> int:
    return int(m.group(name))


def _half_end(y: int, which: str) -> date:
    return _date(y, 6, 30) if which == "上" else _date(y, 12, 31)


def _monthly_day(m: re.Match, plan_year: int, part: str) -> Rule:
    d = _check_day(_g(m, "d"))
    if re.search(r"上(?:个|一)?月", part):
        # 每月5日前报送上月…: the period is the previous month, due d days after its end.
        return Rule(kind="month", after_days=d)
    return Rule(kind="month", day=d)


def _semester_days(m: re.Match, plan_year: int, part: str) -> Rule:
    n = _g(m, "n")
    if n < 1:
        raise _Bad("开学后的天数至少为1")
    return Rule(kind="semester", month=1, day=1, after_days=n - 1)


def _semester_months(m: re.Match, plan_year: int, part: str) -> Rule:
    n = _g(m, "n")
    if n < 1:
        raise _Bad("开学后的月数至少为1")
    return Rule(kind="semester", month=1, day=1, after_months=n, after_days=-1)


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": None, "天": None}

# (family, regex, builder): tried in this order; leftmost match wins.
_TABLE: list[tuple[str, str, Builder]] = [
    # -- fixed dates -------------------------------------------------------
    ("once", r"(?<![0-9])(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})" + _DAY + _BEFORE,
     lambda m, py, p: Rule(kind="once", date=_date(_g(m, "y"), _g(m, "m"), _g(m, "d")))),
    ("once", r"(?<![0-9])(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月份?(?:底|末)" + _BEFORE,
     lambda m, py, p: Rule(kind="once", date=_month_end(_g(m, "y"), _g(m, "m")))),
    ("once", r"(?<![0-9])(?P<y>[0-9]{4})年(?P<h>上|下)半年(?:底|末)?" + _BEFORE,
     lambda m, py, p: Rule(kind="once", date=_half_end(_g(m, "y"), m.group("h")))),
    ("once", r"(?<![0-9])(?P<y>[0-9]{4})年(?:年|度)?(?:底|末|内)" + _BEFORE,
     lambda m, py, p: Rule(kind="once", date=_date(_g(m, "y"), 12, 31))),
    ("once", r"(?<![0-9])(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})" + _DAY + _BEFORE,
     lambda m, py, p: Rule(kind="once", date=_date(py, _g(m, "m"), _g(m, "d")))),
    ("once", r"(?<![0-9])(?P<m>[0-9]{1,2})月份?(?:底|末)" + _BEFORE,
     lambda m, py, p: Rule(kind="once", date=_month_end(py, _g(m, "m")))),
    ("once", r"(?<![每半0-9])(?:本|今|当)?年度?(?:底|末|内)" + _BEFORE,
     lambda m, py, p: Rule(kind="once", date=_date(py, 12, 31))),
    ("once", r"(?<![每0-9])(?P<h>上|下)半年(?:底|末)?" + _BEFORE,
     lambda m, py, p: Rule(kind="once", date=_half_end(py, m.group("h")))),
    # -- monthly -------------------------------------------------------------
    ("month", _EVERY + r"月(?P<d>[0-9]{1,2})" + _DAY + _BEFORE, _monthly_day),
    ("month", _EVERY + r"月(?:底|末)" + _BEFORE,
     lambda m, py, p: Rule(kind="month")),
    ("month", r"逐月|按月|" + _EVERY + r"月",
     lambda m, py, p: Rule(kind="month")),
    # -- quarterly -----------------------------------------------------------
    ("quarter", _EVERY + r"季度?(?:末|结束)?" + _AFTER + r"(?P<n>[0-9]{1,3})个?[日天]" + _WITHIN,
     lambda m, py, p: Rule(kind="quarter", after_days=_g(m, "n"))),
    ("quarter", _EVERY + r"季度?首月(?P<d>[0-9]{1,2})" + _DAY + _BEFORE,
     lambda m, py, p: Rule(kind="quarter", month=1, day=_check_day(_g(m, "d")))),
    ("quarter", _EVERY + r"季度?(?:末|底)" + _BEFORE,
     lambda m, py, p: Rule(kind="quarter")),
    ("quarter", r"逐季度?|按季度?|" + _EVERY + r"季度?",
     lambda m, py, p: Rule(kind="quarter")),
    # -- half-yearly ---------------------------------------------------------
    ("half", r"每半年(?:末|结束)?" + _AFTER + r"(?P<n>[0-9]{1,3})个?[日天]" + _WITHIN,
     lambda m, py, p: Rule(kind="half", after_days=_g(m, "n"))),
    ("half", r"每半年(?:底|末)?" + _BEFORE,
     lambda m, py, p: Rule(kind="half")),
    # -- yearly --------------------------------------------------------------
    ("year", r"每年度?(?:年)?(?:底|末)" + _BEFORE,
     lambda m, py, p: Rule(kind="year")),
    ("year", r"每年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})" + _DAY + _BEFORE,
     lambda m, py, p: Rule(kind="year", month=_g(m, "m"), day=_check_day(_g(m, "d"), _g(m, "m")))),
    ("year", r"每年(?P<m>[0-9]{1,2})月份?(?:底|末|内)" + _BEFORE,
     lambda m, py, p: Rule(kind="year", month=_check_month(_g(m, "m")))),
    ("year", r"逐年|按年度?|每(?:1|一)?年度?",
     lambda m, py, p: Rule(kind="year")),
    # -- weekly --------------------------------------------------------------
    ("week", _EVERY + r"(?:周|星期|礼拜)(?P<w>[一二三四五六日天])" + _BEFORE,
     lambda m, py, p: Rule(kind="week", weekday=_WEEKDAYS[m.group("w")])),
    ("week", r"逐周|按周|" + _EVERY + r"(?:周|星期|礼拜)",
     lambda m, py, p: Rule(kind="week")),
    # -- per semester --------------------------------------------------------
    ("semester", r"(?:" + _EVERY + r"学期(?:开学)?|开学)" + _AFTER + r"(?P<n>[0-9]{1,2})个月" + _WITHIN,
     _semester_months),
    ("semester", r"(?:" + _EVERY + r"学期(?:开学)?|开学)" + _AFTER + r"(?P<n>[0-9]{1,3})[日天]" + _WITHIN,
     _semester_days),
    ("semester", _EVERY + r"学期(?:末|结束前)?" + _BEFORE,
     lambda m, py, p: Rule(kind="semester")),
    # -- ongoing -------------------------------------------------------------
    ("ongoing", r"长期(?:性|坚持)?|常态化|持续(?:性)?|长效",
     lambda m, py, p: Rule(kind="ongoing")),
]

_PATTERNS: list[tuple[str, re.Pattern[str], Builder]] = [
    (family, re.compile(rx), build) for family, rx, build in _TABLE
]

_COUNT = re.compile(r"(?:至少|不少于|最少)?(?<![第0-9])(?P<n>[0-9]{1,3})次(?:及?以上)?")

_CLAUSE_END = re.compile(r"[;。]")
_SOFT_SPLIT = re.compile(r"[、,]")
_BLANK = re.compile(r"[\s;。、,:!?.]*")


def _leftmost(s: str) -> tuple[re.Match, Builder] | None:
    best: tuple[tuple[int, int, int], re.Match, Builder] | None = None
    for order, (_family, rx, build) in enumerate(_PATTERNS):
        m = rx.search(s)
        if m is None or m.end() == m.start():
            continue
        key = (m.start(), -(m.end() - m.start()), order)
        if best is None or key < best[0]:
            best = (key, m, build)
    return None if best is None else (best[1], best[2])


def _starts_with_deadline(s: str) -> bool:
    return any(
        (m := rx.match(s)) is not None and m.end() > 0 for _f, rx, _b in _PATTERNS
    )


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
    s, _ = _normalize(str(text))
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
    s, where = _normalize(text)
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
            except _Bad as exc:
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


# --------------------------------------------------------------------------
# describe
# --------------------------------------------------------------------------

_EVERY_NAME = {"week": "每周", "month": "每月", "quarter": "每季度", "half": "每半年",
               "year": "每年", "semester": "每学期"}
_PERIOD_NAME = {"month": "月", "quarter": "季度", "half": "半年", "year": "年", "semester": "学期"}
_WEEKDAY_NAME = "一二三四五六日"


def _anchor(rule: Rule) -> str:
    """Where in the period the rule points before any offset."""
    k, mo, d = rule.kind, rule.month, rule.day
    name = _PERIOD_NAME[k]
    day = "末" if d is None else f"{d}日"
    if k == "month":
        return "月末" if d is None else f"当月{d}日"
    if k == "year":
        if mo is None:
            return "年底" if d is None else f"12月{d}日"
        return f"{mo}月底" if d is None else f"{mo}月{d}日"
    if k == "semester" and mo == 1 and d == 1:
        return "开学日"
    if mo is None:
        return f"{name}末" if d is None else f"{name}末月{day}"
    first = "首月" if mo == 1 else f"第{mo}个月"
    return f"{name}{first}{day}"


def describe(rule: Rule) -> str:
    """The rule in Chinese words for people, e.g. "每季度，季度结束后10日内（需完成1次）"."""
    count = f"（需完成{rule.count}次）"
    if rule.kind == "once":
        when = rule.date.isoformat() if rule.date else "日期未定"
        return f"一次性，{when}前" + (count if rule.count > 1 else "")
    if rule.kind == "ongoing":
        return "长期性，无固定期限" + (count if rule.count > 1 else "")
    every = _EVERY_NAME.get(rule.kind, rule.kind)
    am, ad = rule.after_months, rule.after_days
    if rule.kind == "week":
        wd = "日" if rule.weekday is None else _WEEKDAY_NAME[rule.weekday % 7]
        when = f"周{wd}前" if ad == 0 else f"周{wd}后{ad}日" if ad > 0 else f"周{wd}前{-ad}日"
        return f"{every}，{when}{count}"
    anchor = _anchor(rule)
    name = _PERIOD_NAME.get(rule.kind, rule.kind)
    if am == 0 and ad == 0:
        when = f"{anchor}前"
    elif anchor == "开学日" and ad == -1 and am > 0:
        when = f"开学后{am}个月内"
    elif anchor == "开学日" and am == 0 and ad >= 0:
        when = f"开学后{ad + 1}日内"
    else:
        span = (f"{am}个月" if am else "") + (f"{ad}日" if ad > 0 else "")
        tail = f"再提前{-ad}日" if ad < 0 else ""
        base = f"{name}结束" if anchor == f"{name}末" or anchor in ("月末", "年底") else anchor
        when = f"{base}后{span}内{tail}" if span else f"{base}前{tail}"
    return f"{every}，{when}{count}"
