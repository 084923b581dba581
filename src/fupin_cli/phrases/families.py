"""The families of deadline words fupin reads: one table entry per family (pattern, builder, examples).

Tried in table order; the leftmost match in a part wins (ties: the longer
match, then table order).  A builder turns a match into a :class:`Rule`; it
gets the plan's year (for dates written without one) and the whole part (for
words elsewhere in it, like 上月).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from ..domain.model import Rule


class BadNumbers(Exception):
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
        raise BadNumbers(f"日期不存在：{y}年{m}月{d}日") from None


def _month_end(y: int, m: int) -> date:
    if not 1 <= m <= 12:
        raise BadNumbers(f"月份不存在：{m}月")
    if m == 12:
        return _date(y, 12, 31)
    return date.fromordinal(_date(y, m + 1, 1).toordinal() - 1)


def _check_month(m: int) -> int:
    if not 1 <= m <= 12:
        raise BadNumbers(f"月份不存在：{m}月")
    return m


def _check_day(d: int, m: int | None = None) -> int:
    longest = 31 if m is None else (29 if m == 2 else 30 if m in (4, 6, 9, 11) else 31)
    if m is not None and not 1 <= m <= 12:
        raise BadNumbers(f"月份不存在：{m}月")
    if not 1 <= d <= longest:
        raise BadNumbers(f"日期不存在：{d}日" if m is None else f"日期不存在：{m}月{d}日")
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
        raise BadNumbers("开学后的天数至少为1")
    return Rule(kind="semester", month=1, day=1, after_days=n - 1)


def _semester_months(m: re.Match, plan_year: int, part: str) -> Rule:
    n = _g(m, "n")
    if n < 1:
        raise BadNumbers("开学后的月数至少为1")
    return Rule(kind="semester", month=1, day=1, after_months=n, after_days=-1)


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": None, "天": None}



@dataclass(frozen=True)
class Family:
    """A way offices write a deadline: the kind of rule it gives, its pattern, its builder, examples."""

    kind: str
    pattern: re.Pattern[str]
    build: Builder
    examples: tuple[str, ...]


def _family(kind: str, rx: str, build: Builder, *examples: str) -> Family:
    return Family(kind, re.compile(rx), build, examples)


FAMILIES: tuple[Family, ...] = (
    # -- fixed dates -------------------------------------------------------
    _family("once", r"(?<![0-9])(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})" + _DAY + _BEFORE,
            lambda m, py, p: Rule(kind="once", date=_date(_g(m, "y"), _g(m, "m"), _g(m, "d"))),
            "2018年6月30日前", "2018年9月30号"),
    _family("once", r"(?<![0-9])(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月份?(?:底|末)" + _BEFORE,
            lambda m, py, p: Rule(kind="once", date=_month_end(_g(m, "y"), _g(m, "m"))),
            "2018年4月底前", "2018年10月份末"),
    _family("once", r"(?<![0-9])(?P<y>[0-9]{4})年(?P<h>上|下)半年(?:底|末)?" + _BEFORE,
            lambda m, py, p: Rule(kind="once", date=_half_end(_g(m, "y"), m.group("h"))),
            "2018年上半年", "2018年下半年底前"),
    _family("once", r"(?<![0-9])(?P<y>[0-9]{4})年(?:年|度)?(?:底|末|内)" + _BEFORE,
            lambda m, py, p: Rule(kind="once", date=_date(_g(m, "y"), 12, 31)),
            "2018年底前", "2018年内", "2018年度末"),
    _family("once", r"(?<![0-9])(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})" + _DAY + _BEFORE,
            lambda m, py, p: Rule(kind="once", date=_date(py, _g(m, "m"), _g(m, "d"))),
            "12月31日前", "9月30号"),
    _family("once", r"(?<![0-9])(?P<m>[0-9]{1,2})月份?(?:底|末)" + _BEFORE,
            lambda m, py, p: Rule(kind="once", date=_month_end(py, _g(m, "m"))),
            "6月底前", "11月份末"),
    _family("once", r"(?<![每半0-9])(?:本|今|当)?年度?(?:底|末|内)" + _BEFORE,
            lambda m, py, p: Rule(kind="once", date=_date(py, 12, 31)),
            "年底前", "年内", "本年度末"),
    _family("once", r"(?<![每0-9])(?P<h>上|下)半年(?:底|末)?" + _BEFORE,
            lambda m, py, p: Rule(kind="once", date=_half_end(py, m.group("h"))),
            "上半年", "下半年底前"),
    # -- monthly -------------------------------------------------------------
    _family("month", _EVERY + r"月(?P<d>[0-9]{1,2})" + _DAY + _BEFORE, _monthly_day,
            "每月25日前", "每月5日前报送上月"),
    _family("month", _EVERY + r"月(?:底|末)" + _BEFORE,
            lambda m, py, p: Rule(kind="month"),
            "每月底前", "每个月末"),
    _family("month", r"逐月|按月|" + _EVERY + r"月",
            lambda m, py, p: Rule(kind="month"),
            "逐月完成", "按月报送"),
    # -- quarterly -----------------------------------------------------------
    _family("quarter", _EVERY + r"季度?(?:末|结束)?" + _AFTER + r"(?P<n>[0-9]{1,3})个?[日天]" + _WITHIN,
            lambda m, py, p: Rule(kind="quarter", after_days=_g(m, "n")),
            "每季度之后10日内完成", "每季结束后15天内"),
    _family("quarter", _EVERY + r"季度?首月(?P<d>[0-9]{1,2})" + _DAY + _BEFORE,
            lambda m, py, p: Rule(kind="quarter", month=1, day=_check_day(_g(m, "d"))),
            "每季度首月10日前",),
    _family("quarter", _EVERY + r"季度?(?:末|底)" + _BEFORE,
            lambda m, py, p: Rule(kind="quarter"),
            "每季度末", "每季底前"),
    _family("quarter", r"逐季度?|按季度?|" + _EVERY + r"季度?",
            lambda m, py, p: Rule(kind="quarter"),
            "按季度报送", "每季度组织一次抽查"),
    # -- half-yearly ---------------------------------------------------------
    _family("half", r"每半年(?:末|结束)?" + _AFTER + r"(?P<n>[0-9]{1,3})个?[日天]" + _WITHIN,
            lambda m, py, p: Rule(kind="half", after_days=_g(m, "n")),
            "每半年结束后10日内",),
    _family("half", r"每半年(?:底|末)?" + _BEFORE,
            lambda m, py, p: Rule(kind="half"),
            "每半年", "每半年末前"),
    # -- yearly --------------------------------------------------------------
    _family("year", r"每年度?(?:年)?(?:底|末)" + _BEFORE,
            lambda m, py, p: Rule(kind="year"),
            "每年年底前", "每年度末"),
    _family("year", r"每年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})" + _DAY + _BEFORE,
            lambda m, py, p: Rule(kind="year", month=_g(m, "m"), day=_check_day(_g(m, "d"), _g(m, "m"))),
            "每年6月30日前",),
    _family("year", r"每年(?P<m>[0-9]{1,2})月份?(?:底|末|内)" + _BEFORE,
            lambda m, py, p: Rule(kind="year", month=_check_month(_g(m, "m"))),
            "每年6月底前", "每年3月份内"),
    _family("year", r"逐年|按年度?|每(?:1|一)?年度?",
            lambda m, py, p: Rule(kind="year"),
            "每年落实一次", "按年度报送"),
    # -- weekly --------------------------------------------------------------
    _family("week", _EVERY + r"(?:周|星期|礼拜)(?P<w>[一二三四五六日天])" + _BEFORE,
            lambda m, py, p: Rule(kind="week", weekday=_WEEKDAYS[m.group("w")]),
            "每周五前", "每星期一"),
    _family("week", r"逐周|按周|" + _EVERY + r"(?:周|星期|礼拜)",
            lambda m, py, p: Rule(kind="week"),
            "每周报送", "按周调度"),
    # -- per semester --------------------------------------------------------
    _family("semester", r"(?:" + _EVERY + r"学期(?:开学)?|开学)" + _AFTER + r"(?P<n>[0-9]{1,2})个月" + _WITHIN,
            _semester_months,
            "每学期开学后一个月内完成",),
    _family("semester", r"(?:" + _EVERY + r"学期(?:开学)?|开学)" + _AFTER + r"(?P<n>[0-9]{1,3})[日天]" + _WITHIN,
            _semester_days,
            "每学期开学后15日内", "开学后30天内"),
    _family("semester", _EVERY + r"学期(?:末|结束前)?" + _BEFORE,
            lambda m, py, p: Rule(kind="semester"),
            "每学期末", "每学期"),
    # -- ongoing -------------------------------------------------------------
    _family("ongoing", r"长期(?:性|坚持)?|常态化|持续(?:性)?|长效",
            lambda m, py, p: Rule(kind="ongoing"),
            "长期性", "常态化抓落实"),
)
