"""The families of deadline words fupin reads: one table entry per family (pattern, builder, examples).

Patterns run on normalised text (:mod:`.normalise`: ASCII digits, simplified
characters, ``号`` → ``日``, no single spaces).  At each position of a clause
the parser tries every family and keeps the longest match (ties: table order);
a builder turns the match into :class:`Built` — rules, or bounds for the rules
that follow (自2024年起, 2018年至2020年).  Builders get a :class:`Context`: the
plan's year (for dates written without one) and what the clause said before
(每年… makes a later 3月31日前 yearly).  Numbers that make no sense raise
:class:`BadNumbers`.

Shared pieces: a *point* is a date inside a year (6月30日, 9月底, 7月上旬, 上半年,
三季度, 年底, 春节前), with or without its year (2018年, 今年, 次年); lists join
points with 和、及、与、以及、; ranges (A至B) are due at B.
"""

from __future__ import annotations

import re
from functools import cache, cached_property
from datetime import date, timedelta
from typing import Callable

from ..domain.model import Rule
from ..domain.values import Frozen, Record


class BadNumbers(Exception):
    """A deadline expression was found but its numbers make no sense (out of range)."""


class Refused(Exception):
    """Words fupin reads but will not turn into dates; ``reason`` is event, vague, region or no_deadline."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# ---------------------------------------------------------------- building blocks

REL_YEARS = {"今年": 0, "本年度": 0, "本年": 0, "当年": 0, "本学年": 0,
             "次年度": 1, "次年": 1, "明年": 1, "下1年度": 1, "下1年": 1, "下年度": 1, "下年": 1,
             "翌年": 1, "第2年": 1}
_REL = "|".join(sorted(REL_YEARS, key=len, reverse=True))
_NEXT_YEAR = "|".join(sorted((w for w, n in REL_YEARS.items() if n == 1), key=len, reverse=True))

HOLIDAYS = {"春节": "春节", "元旦": "元旦", "国庆节": "国庆节", "国庆": "国庆节", "劳动节": "劳动节",
            "五一": "劳动节", "端午节": "端午节", "端午": "端午节", "中秋节": "中秋节", "中秋": "中秋节",
            "清明节": "清明节", "清明": "清明节"}
_HOL = "|".join(sorted(HOLIDAYS, key=len, reverse=True))

RANGE = r"(?:至|到|-|—|–|~|一)"
JOIN_WORDS = ("以及", "和", "及", "与", "、")
JOIN = "(?:" + "|".join(JOIN_WORDS) + ")"
AFTER = r"(?:之后|以后|后)"
WITHIN = r"(?:之内|以内|内|之前|以前|前)?"
# A time of day or a weekday in brackets after a date changes nothing: 17:00前, 上午10时, (周二).
# The weekdays are written out as words (周一|…|星期天), not as 周[一…天]: a class of Chinese
# characters costs ~0.3 ms to compile, and TIME is in nearly every family, some twice.
_WEEKDAY_WORDS = "|".join(word + day for word in ("周", "星期") for day in "一二三四五六日天")
TIME = (rf"(?:\((?:{_WEEKDAY_WORDS})\))?"
        r"(?:(?:上午|下午|中午|晚上)?\d{1,2}(?::\d{2}|[时点](?:\d{1,2}分|半)?))?")
TAIL = TIME + r"(?:之前|以前|为止|下班前|前|止|之内|以内|内)?"
DEADLINE_TAIL = re.compile(r"(?:前|止|内|底|末)$")


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _day(p: str) -> str:
    # A day number without 日 only right before a range sign (8月28-9月6日).
    return (rf"(?:(?P<{p}d>\d{{1,3}})(?:日|(?={RANGE}))|(?P<{p}x>上旬|中旬|下旬)|(?P<{p}e>底|末))")


def point(p: str = "") -> str:
    """A date inside a year, with or without its year; groups prefixed ``p``."""
    year = rf"(?:(?P<{p}y>\d{{4}})年度?|(?P<{p}rel>{_REL}))"
    return (rf"{year}?(?:(?P<{p}m>\d{{1,2}})月份?{_day(p)}?"
            rf"|(?P<{p}h>上|下)半年(?:底|末)?"
            rf"|第?(?P<{p}q>\d)季度?(?:末|底)?"
            rf"|(?:(?<=年)|(?<=年度)|(?<![\d每])年度?)(?P<{p}ye>底|末|内)"
            rf"|(?P<{p}hol>{_HOL})(?=之前|以前|前))")


def year_point(p: str = "") -> str:
    """A date inside each year (after 每年): 6月底, 3月10日, 上半年, 一季度, 年底, 次年3月."""
    return (rf"(?P<{p}rel>{_NEXT_YEAR})?(?:(?P<{p}m>\d{{1,2}})月份?{_day(p)}?"
            rf"|(?P<{p}h>上|下)半年(?:底|末)?"
            rf"|第?(?P<{p}q>\d)季度?(?:末|底)?"
            rf"|年?度?(?P<{p}ye>底|末)"
            rf"|(?P<{p}hol>{_HOL})(?=之前|以前|前))")


@cache
def _point_rx() -> re.Pattern[str]:
    return re.compile(point() + TAIL)


@cache
def _year_point_rx() -> re.Pattern[str]:
    return re.compile(year_point() + TAIL)
_BARE_YEAR_ITEM = re.compile(r"(?P<y>\d{4})年度?")


# ---------------------------------------------------------------- values

def _date(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except (ValueError, OverflowError):
        raise BadNumbers(f"日期不存在：{y}年{m}月{d}日") from None


def _month_end(y: int, m: int) -> date:
    _check_month(m)
    if m == 12:
        return _date(y, 12, 31)
    return _date(y, m + 1, 1) - timedelta(days=1)


def _check_month(m: int) -> int:
    if not 1 <= m <= 12:
        raise BadNumbers(f"月份不存在：{m}月（应为1–12月）")
    return m


def _check_day(d: int, m: int | None = None) -> int:
    if m is not None:
        _check_month(m)
    longest = 31 if m is None else (29 if m == 2 else 30 if m in (4, 6, 9, 11) else 31)
    if not 1 <= d <= longest:
        raise BadNumbers(f"日期不存在：{d}日（每月只有1–{longest}日）" if m is None
                         else f"日期不存在：{m}月{d}日（{m}月只有1–{longest}日）")
    return d


def _check_quarter(q: int) -> int:
    if not 1 <= q <= 4:
        raise BadNumbers(f"季度不存在：第{q}季度（一年只有四个季度）")
    return q


_XUN_DAY = {"上旬": 10, "中旬": 20, "下旬": None}


class Point(Frozen):
    """A point read from words: a year (or a year offset) and where in that year."""

    year: int | None = None
    offset: int | None = None  # 今年 0, 次年 +1
    month: int | None = None
    day: int | None = None
    xun: str | None = None
    end: bool = False
    half: str | None = None
    quarter: int | None = None
    year_end: bool = False
    holiday: str | None = None

    def __init__(self, year: int | None = None, offset: int | None = None, month: int | None = None,
                 day: int | None = None, xun: str | None = None, end: bool = False, half: str | None = None,
                 quarter: int | None = None, year_end: bool = False, holiday: str | None = None) -> None:
        vars(self).update(year=year, offset=offset, month=month, day=day, xun=xun, end=end, half=half,
                          quarter=quarter, year_end=year_end, holiday=holiday)

    @property
    def has_year(self) -> bool:
        return self.year is not None or self.offset is not None

    @property
    def has_day(self) -> bool:
        return self.day is not None or self.xun is not None

    def in_year(self, y: int) -> date:
        """The date this point names in year ``y``."""
        from ..domain.holidays import HolidayYearUnknown, holiday_first_day

        if self.month is not None:
            _check_month(self.month)
            if self.day is not None:
                _check_day(self.day, self.month)
                return _date(y, self.month, self.day)
            if self.xun is not None and _XUN_DAY[self.xun] is not None:
                return _date(y, self.month, _XUN_DAY[self.xun])
            return _month_end(y, self.month)
        if self.half is not None:
            return _date(y, 6, 30) if self.half == "上" else _date(y, 12, 31)
        if self.quarter is not None:
            return _month_end(y, 3 * _check_quarter(self.quarter))
        if self.holiday is not None:
            try:
                return holiday_first_day(self.holiday, y)
            except HolidayYearUnknown as exc:
                raise BadNumbers(f"官方节假日安排尚无{y}年的数据（现有{exc.known[0]}–{exc.known[1]}年），"
                                 f"不知道{y}年{self.holiday}从哪天放假") from None
        return _date(y, 12, 31)

    def resolve(self, plan_year: int, default_year: int | None = None) -> date:
        y = self.year if self.year is not None else (default_year if default_year is not None else plan_year)
        return self.in_year(y + (self.offset or 0))

    def start(self, plan_year: int) -> date:
        """The first day this point stands for (自2023年7月起 → 2023-07-01)."""
        y = (self.year if self.year is not None else plan_year) + (self.offset or 0)
        if self.month is not None:
            _check_month(self.month)
            if self.day is not None:
                return _date(y, self.month, _check_day(self.day, self.month))
            return _date(y, self.month, 1 if self.xun in (None, "上旬") else 11 if self.xun == "中旬" else 21)
        if self.half is not None:
            return _date(y, 1 if self.half == "上" else 7, 1)
        if self.quarter is not None:
            return _date(y, 3 * _check_quarter(self.quarter) - 2, 1)
        return self.in_year(y) if self.holiday else _date(y, 1, 1)

    def yearly(self) -> Rule:
        """The yearly rule due on this point of each year (每年6月底前 → month 6)."""
        if self.holiday is not None:
            raise Refused("vague", f"每年的{self.holiday}放假日期不同，要等国务院每年公布")
        after = 12 * (self.offset or 0)
        if self.month is not None:
            _check_month(self.month)
            if self.day is not None:
                return Rule(kind="year", month=self.month, day=_check_day(self.day, self.month), after_months=after)
            if self.xun is not None:
                return Rule(kind="year", month=self.month, day=_XUN_DAY[self.xun], after_months=after)
            return Rule(kind="year", month=self.month, after_months=after)
        if self.half is not None:
            return Rule(kind="year", month=6 if self.half == "上" else None, after_months=after)
        if self.quarter is not None:
            q = _check_quarter(self.quarter)
            return Rule(kind="year", month=None if q == 4 else 3 * q, after_months=after)
        return Rule(kind="year", after_months=after)


def _int(m: re.Match, name: str) -> int | None:
    value = m.group(name)
    return None if value is None else int(value)


def read_point(m: re.Match, p: str = "") -> Point:
    g = m.groupdict()
    rel = g.get(p + "rel")
    hol = g.get(p + "hol")
    return Point(year=_int(m, p + "y") if (p + "y") in g else None,
                 offset=REL_YEARS[rel] if rel else None,
                 month=_int(m, p + "m"), day=_int(m, p + "d"), xun=g.get(p + "x"),
                 end=bool(g.get(p + "e")), half=g.get(p + "h"), quarter=_int(m, p + "q"),
                 year_end=bool(g.get(p + "ye")), holiday=HOLIDAYS[hol] if hol else None)


def points_in(text: str, rx: re.Pattern[str] | None = None) -> list[Point]:
    """The points of a list (2018年10月、12月底前; 4月、7月、10月及次年1月5日前), qualifiers shared.

    A year carries forward to the items after it; a day written only on the
    last item (…及次年1月5日前) and a 年底 after bare years carry back.
    """
    rx = rx or _point_rx()
    items: list[Point] = []
    pos = 0
    while pos < len(text):
        m = rx.match(text, pos)
        bare = _BARE_YEAR_ITEM.match(text, pos) if m is None or m.end() == pos else None
        if bare is not None:
            items.append(Point(year=int(bare.group("y"))))
            pos = bare.end()
        elif m is not None and m.end() > pos:
            items.append(read_point(m))
            pos = m.end()
        else:
            pos += 1
    if not items:
        return items
    last = items[-1]
    filled: list[Point] = []
    year, offset = None, None
    for item in items:
        if item.has_year:
            year, offset = item.year, item.offset
        elif year is not None or offset is not None:
            item = Point(**{**item.__dict__, "year": year, "offset": offset})
        filled.append(item)
    result = []
    for item in filled[:-1]:
        if item.month is not None and not item.has_day and not item.end and last.has_day:
            item = Point(**{**item.__dict__, "day": last.day, "xun": last.xun})
        elif (item.month is None and item.half is None and item.quarter is None and item.holiday is None
              and not item.year_end):
            item = Point(**{**last.__dict__, "year": item.year, "offset": item.offset})
        result.append(item)
    result.append(filled[-1])
    return result


# ---------------------------------------------------------------- the table

class Context(Record):
    """What a builder may use besides its match: the plan's year and what the clause said before."""

    plan_year: int
    head: str | None = None  # the recurrence a yearless point inherits (year, month), set by 每年/每月 …
    text: str = ""           # the normalised clause

    def __init__(self, plan_year: int, head: str | None = None, text: str = "") -> None:
        self.plan_year = plan_year
        self.head = head
        self.text = text


class Built(Record):
    """What a family read: rules, or bounds for the recurring rules after it in the clause."""

    rules: list[Rule]         # a new list when not given
    bare: bool = False        # a recurrence that names no point in its period (每月, 逐年)
    head: str | None = None   # the recurrence later yearless points of the clause inherit
    since: date | None = None
    until: date | None = None
    fallback: list[Rule]      # the rules of bounds no rule follows (a new list when not given)

    def __init__(self, rules: list[Rule] | None = None, bare: bool = False, head: str | None = None,
                 since: date | None = None, until: date | None = None, fallback: list[Rule] | None = None) -> None:
        self.rules = [] if rules is None else rules
        self.bare = bare
        self.head = head
        self.since = since
        self.until = until
        self.fallback = [] if fallback is None else fallback


Builder = Callable[[re.Match, Context], Built]


class Family(Frozen):
    """A way offices write a deadline: its name, pattern, builder and examples (each tested).

    ``needs`` are groups of words (``"每|逐|按"``): every match holds a word of each
    group (tests/test_plan_load.py proves it from the pattern), so a clause without
    them is not tried, and the pattern is compiled only when a clause could hold it
    — compiling all of them costs more than reading a plan's words.

    A list family (2018年10月、12月底前; 每月5日和20日前) matches its first item
    with ``source`` and each further item, after a word of :data:`JOIN_WORDS`,
    with ``more`` — the pattern its builder reads the items with anyway — just
    as ``source(?:JOIN more)*`` would, without compiling every item twice.
    """

    name: str
    source: str
    build: Builder
    examples: tuple[str, ...]
    needs: tuple[tuple[str, ...], ...] = ()
    more: Callable[[], re.Pattern[str]] | None = None

    def __init__(self, name: str, source: str, build: Builder, examples: tuple[str, ...],
                 needs: tuple[tuple[str, ...], ...] = (), more: Callable[[], re.Pattern[str]] | None = None) -> None:
        vars(self).update(name=name, source=source, build=build, examples=examples, needs=needs, more=more)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.source)

    def may_match(self, clause: str) -> bool:
        """Whether ``clause`` holds a word of every group of ``needs``."""
        return all(any(word in clause for word in group) for group in self.needs)

    def match(self, text: str, pos: int, endpos: int) -> re.Match | ListMatch | None:
        """The family's match at ``pos``, over its whole list for a list family."""
        m = self.pattern.match(text, pos, endpos)
        if m is None or self.more is None:
            return m
        item = self.more()
        end = m.end()
        while True:  # greedy, item by item: what (?:JOIN more)* matches at the end of the pattern
            join = next((w for w in JOIN_WORDS if text.startswith(w, end, endpos)), None)
            if join is None:
                break
            following = item.match(text, end + len(join), endpos)
            if following is None:
                break
            end = following.end()
        return m if end == m.end() else ListMatch(m, end)


class ListMatch:
    """A list family's match: the first item's groups, the whole list's span (all a builder reads)."""

    def __init__(self, first: re.Match, end: int) -> None:
        self.first = first
        self._end = end

    def start(self) -> int:
        return self.first.start()

    def end(self) -> int:
        return self._end

    def group(self, name: int | str = 0) -> str:
        if name == 0:
            return self.first.string[self.first.start():self._end]
        return self.first.group(name)


def _family(name: str, rx: str, build: Builder, *examples: str, needs: tuple[str, ...],
            more: Callable[[], re.Pattern[str]] | None = None) -> Family:
    return Family(name, rx, build, examples, tuple(tuple(group.split("|")) for group in needs), more)


# -- one-off dates

_ONCE_PREFIX = r"(?:截至|截止(?:到|至)?|直到|直至|到|至)?"


def _once(m: re.Match, ctx: Context) -> Built:
    points = points_in(m.group(0))
    if ctx.head == "year" and not any(p.year is not None for p in points):
        return Built([p.yearly() for p in points], head="year")
    return Built([Rule(kind="once", date=p.resolve(ctx.plan_year), holiday=p.holiday or "") for p in points])


def _bare_year(m: re.Match, ctx: Context) -> Built:
    return Built([Rule(kind="once", date=_date(int(m.group("y")), 12, 31))])


def _range(m: re.Match, ctx: Context) -> Built:
    start = read_point(m, "a")
    inherited = False
    if m.group("bdd"):
        end = Point(**{**start.__dict__, "day": int(m.group("bdd")), "xun": None, "end": False})
        inherited = True
    else:
        end = read_point(m, "b")
        if not end.has_year and start.has_year:
            end = Point(**{**end.__dict__, "year": start.year, "offset": start.offset})
            inherited = True
    yearly = m.group("every") is not None or (ctx.head == "year" and start.year is None and end.year is None)
    if yearly:
        if end.holiday or start.holiday:
            return Built([end.yearly()])  # refuses: holidays move from year to year
        if end.offset is None and start.offset is None and end.in_year(2000) < start.start(2000):
            end = Point(**{**end.__dict__, "offset": 1})  # 每年11月至3月: March of the next year
        return Built([end.yearly()], head="year")
    first = start.start(ctx.plan_year)
    last = end.resolve(ctx.plan_year)
    if last < first and (inherited or not end.has_year):
        last = Point(**{**end.__dict__, "offset": (end.offset or 0) + 1}).resolve(ctx.plan_year)
    return Built([Rule(kind="once", date=last, holiday=end.holiday or "")])


def _quarter_offset_once(m: re.Match, ctx: Context) -> Built:
    q = _check_quarter(int(m.group("q")))
    return Built([Rule(kind="once", date=_month_end(ctx.plan_year, 3 * q) + timedelta(days=int(m.group("n"))))])


def _once_workdays(m: re.Match, ctx: Context) -> Built:
    p = read_point(m)
    n = int(m.group("n"))
    return Built([Rule(kind="once", date=p.resolve(ctx.plan_year), workdays=n)])


# -- recurring: month

_EVERY_MONTH = r"(?:每个?月份?|逐月|按月)(?:的)?"
_MONTH_ITEM = (r"(?:(?P<d>\d{1,3})日|月?(?P<e>底|末)|(?P<x>上旬|中旬|下旬)"
               r"|第(?P<week>\d)周|(?P<last>最后1个工作日))")
@cache
def _month_item_rx() -> re.Pattern[str]:
    return re.compile(_MONTH_ITEM + TAIL)
_PREVIOUS_MONTH = re.compile(r"上(?:1个?|个)?月")


def _monthly(m: re.Match, ctx: Context) -> Built:
    rules = []
    for item in _month_item_rx().finditer(m.group(0), len(m.group("head"))):
        if item.group("d"):
            d = _check_day(int(item.group("d")))
            if _PREVIOUS_MONTH.search(ctx.text):
                # 每月5日前报送上月…: the period is the month reported on, due d days after it ends.
                rules.append(Rule(kind="month", after_days=d))
            else:
                rules.append(Rule(kind="month", day=d))
        elif item.group("x"):
            rules.append(Rule(kind="month", day=_XUN_DAY[item.group("x")]))
        elif item.group("week"):
            week = int(item.group("week"))
            if not 1 <= week <= 4:
                raise BadNumbers(f"每月第{week}周说不清是哪几天（只读第1–4周）")
            rules.append(Rule(kind="month", day=7 * week))
        elif item.group("last"):
            rules.append(Rule(kind="month", workdays=-1))
        else:
            rules.append(Rule(kind="month"))
    return Built(rules, head="month")


def _plain(kind: str, head: str | None = None) -> Builder:
    return lambda m, ctx: Built([Rule(kind=kind)], bare=True, head=head)


def _after(kind: str) -> Builder:
    """…结束后N日内 / N个工作日内 / N个月内 / 次月N日前 after the end of each period."""

    def build(m: re.Match, ctx: Context) -> Built:
        g = m.groupdict()
        if g.get("nd"):
            return Built([Rule(kind=kind, after_days=_check_day(int(g["nd"])))], head=None)
        n = int(g["n"])
        unit = g["u"]
        if n < 1:
            raise BadNumbers("结束后的天数至少为1")
        if unit == "工作日":
            if n > 60:
                raise BadNumbers(f"{n}个工作日太长（最多60个）")
            return Built([Rule(kind=kind, workdays=n)])
        if unit == "月":
            if n > 24:
                raise BadNumbers(f"{n}个月太长（最多24个月）")
            return Built([Rule(kind=kind, after_months=n)])
        if n > 366:
            raise BadNumbers(f"{n}日太长（最多366日）")
        return Built([Rule(kind=kind, after_days=n)])

    return build


def _next_month(m: re.Match, ctx: Context) -> Built:
    g = m.groupdict()
    if g.get("d"):
        return Built([Rule(kind="month", after_days=_check_day(int(g["d"])))], head="month")
    if g.get("n"):
        return Built([Rule(kind="month", after_days=_check_day(int(g["n"])))], head="month")
    if g.get("wd"):
        n = int(g["wd"])
        if not 1 <= n <= 23:
            raise BadNumbers(f"次月没有第{n}个工作日")
        return Built([Rule(kind="month", workdays=n)], head="month")
    return Built([Rule(kind="month", after_months=1)], head="month")


def _month_or_quarter(m: re.Match, ctx: Context) -> Built:
    d = _check_day(int(m.group("d")))
    return Built([Rule(kind="month", after_days=d), Rule(kind="quarter", after_days=d)])


# -- recurring: quarter

_EVERY_QUARTER = r"(?:每个?季度?|逐季度?|按季度?)(?:的)?"
_QUARTER_ITEM = (r"(?:(?P<pos>首月|第\d个月|末月|最后1个月)"
                 r"(?:(?P<d>\d{1,2})日|(?P<x>上旬|中旬|下旬)|(?P<pe>底|末))?|(?P<e>末|底))")
@cache
def _quarter_item_rx() -> re.Pattern[str]:
    return re.compile(_QUARTER_ITEM + TAIL)


def _quarterly(m: re.Match, ctx: Context) -> Built:
    rules = []
    for item in _quarter_item_rx().finditer(m.group(0), len(m.group("head"))):
        pos = item.group("pos")
        if pos is None:
            rules.append(Rule(kind="quarter"))
            continue
        month = 1 if pos == "首月" else 3 if pos in ("末月", "最后1个月") else int(pos[1:-2])
        if not 1 <= month <= 3:
            raise BadNumbers(f"季度没有第{month}个月（一个季度只有三个月）")
        if item.group("d"):
            day = _check_day(int(item.group("d")))
        elif item.group("x"):
            day = _XUN_DAY[item.group("x")]
        else:
            day = None
        rules.append(Rule(kind="quarter", month=None if month == 3 else month, day=day))
    return Built(rules)


# -- recurring: year

_EVERY_YEAR = r"(?:每1?年度?|逐年|按年度?)(?:的)?"


def _yearly(m: re.Match, ctx: Context) -> Built:
    return Built([p.yearly() for p in points_in(m.group(0)[len(m.group("head")):], _year_point_rx())], head="year")


# -- recurring: week, two months, 旬, term

_EVERY_WEEK = r"(?:每个?(?:周|星期|礼拜)|逐周|按周)"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": None, "天": None}


def _weekly(m: re.Match, ctx: Context) -> Built:
    return Built([Rule(kind="week", weekday=_WEEKDAYS[w]) for w in re.findall(r"[一二三四五六日天]", m.group("days"))])


def _bad_weekday(m: re.Match, ctx: Context) -> Built:
    raise BadNumbers(f"星期没有“{m.group('bad')}”（只有周一至周日）")


def _two_months(first: bool) -> Builder:
    def build(m: re.Match, ctx: Context) -> Built:
        day = _check_day(int(m.group("d"))) if m.group("d") else None
        return Built([Rule(kind="bimonth", month=1 if first else None, day=day)])

    return build


def _semester_days(m: re.Match, ctx: Context) -> Built:
    n = int(m.group("n"))
    if not 1 <= n <= 366:
        raise BadNumbers("开学后的天数应为1–366")
    return Built([Rule(kind="semester", month=1, day=1, after_days=n - 1)])


def _semester_months(m: re.Match, ctx: Context) -> Built:
    n = int(m.group("n"))
    if not 1 <= n <= 6:
        raise BadNumbers("开学后的月数应为1–6")
    return Built([Rule(kind="semester", month=1, day=1, after_months=n, after_days=-1)])


# -- bounds

def _since(m: re.Match, ctx: Context) -> Built:
    if m.group("sy"):
        start = _date(int(m.group("sy")), 1, 1)
    else:
        start = read_point(m).start(ctx.plan_year)
    return Built(since=start)


def _years(m: re.Match, ctx: Context) -> Built:
    first, last = int(m.group("y1")), int(m.group("y2"))
    if last < first:
        raise BadNumbers(f"{first}年至{last}年：结束年早于开始年")
    return Built(since=_date(first, 1, 1), until=_date(last, 12, 31),
                 fallback=[Rule(kind="once", date=_date(last, 12, 31))])


def _year_on(m: re.Match, ctx: Context) -> Built:
    return Built(since=_date(int(m.group("y")), 1, 1), head="year")


def _persist(m: re.Match, ctx: Context) -> Built:
    p = read_point(m)
    return Built([Rule(kind="once", date=p.resolve(ctx.plan_year), holiday=p.holiday or "")])


_ONGOING = r"长期性|长期坚持|长期|常态化|常态|持续性|持续|长效"
_POINT_WORDS = "月|半|季|底|末|内|春|元|国|劳|五|端|中|清"  # a point holds one of them (the needs of 日期)

FAMILIES: tuple[Family, ...] = (
    # -- one-off dates ------------------------------------------------------
    _family("日期", rf"{_ONCE_PREFIX}(?:\d{{4}}年度?{JOIN})*{_unnamed(point())}{TAIL}", _once,
            "2018年6月30日前", "2018年4月底前", "12月31日前", "9月", "2018年12月", "年底前", "今年年底前",
            "本年度内", "上半年", "第三季度末", "2023年11月下旬", "次年3月底前", "明年6月底前",
            "2018年10月、12月底前", "2018年、2019年年底前", "截至2018年6月30日",
            "4月、7月、10月及次年1月5日前", "春节前", "2025年春节前", "元旦前", "国庆节前",
            needs=(_POINT_WORDS,), more=_point_rx),
    _family("只写年份", r"(?P<y>\d{4})年度?(?=完成|实现|全面|全部|基本|达到|建成|争取|力争|确保|启动|开展|[,;:]|$)",
            _bare_year, "2015年完成", needs=("年",)),
    _family("区间", rf"(?:从|自)?(?P<every>{_EVERY_YEAR})?{point('a')}{TIME}{RANGE}"
                  rf"(?:{point('b')}|(?P<bdd>\d{{1,2}})日){TAIL}",
            _range,
            "7月3日至7月15日", "2023年3月1日到6月30日", "5月—8月", "5月-8月", "9月1日到7日",
            "8月28-9月6日", "5月30日一6月4日", "10月20日～11月10日", "12月1日至次年2月底",
            "2018年1月中旬至3月底", "从2019年11月20日至2020年春节前", "每年11月至次年3月", "每年1月1日至6月30日",
            # and a point: not compiled (the costliest pattern) for 每年至少两次
            needs=("-|~|–|—|一|到|至", _POINT_WORDS)),
    _family("季度季后", rf"第?(?P<q>\d)季度?季后(?P<n>\d{{1,3}})[日天]{TAIL}", _quarter_offset_once,
            "一季度季后7日", "三季度季后10日12:00", needs=("季后",)),
    _family("日期后工作日", rf"{point()}{AFTER}(?P<n>\d{{1,2}})个工作日{WITHIN}", _once_workdays,
            "2023年9月30日后5个工作日内", needs=("工作日",)),
    _family("持续到", rf"(?:持续|延长)(?:到|至){point()}{TAIL}", _persist, "持续到2018年底", "延长到2015年6月30日", needs=("持续|延长",)),
    # -- monthly -------------------------------------------------------------
    _family("每月某日", rf"(?P<head>{_EVERY_MONTH}){_MONTH_ITEM}{TAIL}", _monthly,
            "每月25日前", "每月5日前报送上月", "每月5日和20日前", "每月15日和月底前", "每月底前",
            "每月上旬", "每月中旬", "每月下旬", "每月第一周", "每月最后一个工作日", "每个月月底前",
            needs=("每|逐|按", "月"), more=_month_item_rx),
    _family("每月结束后", rf"(?:{_EVERY_MONTH}|(?<![\d每上下本当个次])月)(?:结束|终了|末)?{AFTER}"
                        r"(?P<n>\d{1,3})个?(?P<u>工作日|日|天)" + WITHIN,
            _after("month"), "每月结束后5个工作日内", "月后3日前", "月后18日前", needs=("月", "后")),
    _family("次月", r"(?:次月|下月|下个月|下1个月)(?:1日起(?P<n>\d{1,2})日|(?P<d>\d{1,2})日|第(?P<wd>\d{1,2})个工作日"
                  r"|(?P<e>底|末))" + TAIL,
            _next_month, "次月5日前", "下月10日前", "次月第5个工作日前", "次月1日起15日内", needs=("次月|下月|下个月|下1个月",)),
    _family("次月（季度）", r"次月\(季度\)(?P<d>\d{1,2})日" + WITHIN, _month_or_quarter, "次月(季度)十五日内", needs=("次月(季度)",)),
    _family("每月", rf"{_EVERY_MONTH}", _plain("month", "month"), "逐月完成", "按月报送", "每月上报", needs=("每|逐|按", "月")),
    # -- quarterly -----------------------------------------------------------
    _family("每季度某时", rf"(?P<head>{_EVERY_QUARTER}){_QUARTER_ITEM}{TAIL}", _quarterly,
            "每季度末", "每季底前", "每季度首月10日前", "每季度第一个月15日前", "每季度末月20日前",
            "每季度最后一个月20日前", "每季度第二个月底前", "每季度末月中旬前",
            needs=("每|逐|按", "季"), more=_quarter_item_rx),
    _family("每季度结束后", rf"(?:{_EVERY_QUARTER}|(?<![\d第每上下本当])季度?)(?:末|结束|终了)?{AFTER}"
                          r"(?:次月(?P<nd>\d{1,2})日|(?P<n>\d{1,3})个?(?P<u>工作日|日|天))" + WITHIN,
            _after("quarter"),
            "每季度之后10日内完成", "每季结束后15天内", "季后7日", "每季度结束后次月10日前",
            "每季度结束后10个工作日内", "每季度后10日内", needs=("季", "后")),
    _family("次季度", r"次季度?(?P<n>\d{1,3})个?(?P<u>日|天)" + WITHIN, _after("quarter"), "次季度十五日内", needs=("次季",)),
    _family("每季度", _EVERY_QUARTER, _plain("quarter"), "按季度报送", "每季度组织一次抽查", needs=("每|逐|按", "季")),
    # -- half-yearly ---------------------------------------------------------
    _family("每半年结束后", r"(?:每|逐|按)半年度?(?:末|结束|终了)?" + AFTER + r"(?P<n>\d{1,3})个?(?P<u>工作日|日|天)"
            + WITHIN, _after("half"), "每半年结束后10日内", "每半年结束后10个工作日内", needs=("半年", "后")),
    _family("每半年末", r"(?:每|逐|按)半年度?(?:底|末)" + TAIL, lambda m, ctx: Built([Rule(kind="half")]),
            "每半年末前", needs=("半年", "底|末")),
    _family("每半年", r"(?:每|逐|按)半年度?", _plain("half"), "每半年", "每半年报送一次", needs=("每|逐|按", "半年")),
    # -- yearly --------------------------------------------------------------
    _family("每年某时", rf"(?P<head>{_EVERY_YEAR}){_unnamed(year_point())}{TAIL}", _yearly,
            "每年年底前", "每年6月底前", "每年6月30日前", "每年3月份", "每年3月底和9月底前", "每年3月、9月",
            "每年3月中旬前", "每年一季度", "每年上半年", "每年末", "每年度年底前",
            needs=("每|逐|按", "年"), more=_year_point_rx),
    _family("每年结束后", rf"(?:{_EVERY_YEAR}|(?<![\d每上下本当今明次])年度?)(?:结束|终了)?{AFTER}"
                        r"(?P<n>\d{1,3})个?(?P<u>工作日|日|天|月)" + WITHIN,
            _after("year"), "年后十日前", "年度终了后4个月内", "每年结束后15个工作日内", needs=("年", "后")),
    _family("每年", _EVERY_YEAR, _plain("year", "year"), "每年落实一次", "按年度报送", "每年至少两次", needs=("每|逐|按", "年")),
    # -- weekly --------------------------------------------------------------
    _family("每周几", rf"{_EVERY_WEEK}(?:星期|周|礼拜)?(?P<days>[一二三四五六日天](?:、?[一二三四五六日天])*){TAIL}", _weekly,
            "每周五前", "每星期一", "每周一、三、五", "每周四下班前", "每周二中午12时前", "每礼拜三前", needs=("每|逐|按", "周|星期|礼拜")),
    _family("周几不存在", rf"{_EVERY_WEEK}(?P<bad>[七八九十零〇](?![个次日天])|\d+(?![\d个次日天]))", _bad_weekday,
            needs=("每|逐|按", "周|星期|礼拜")),
    _family("每周", _EVERY_WEEK, _plain("week"), "每周", "按周调度", needs=("每|逐|按", "周|星期|礼拜")),
    # -- two months, 旬 ---------------------------------------------------------
    _family("双月", r"(?:每(?:2个月|双月)|(?<!每)双月)(?:之|的)?(?:(?P<d>\d{1,2})日)?" + TAIL, _two_months(False),
            "每两个月", "每双月", "每双月10日前", "双月之十日前", needs=("双月|2个月",)),
    _family("单月", r"每?单月(?:之|的)?(?:(?P<d>\d{1,2})日)?" + TAIL, _two_months(True), "每单月", "单月5日前", needs=("单月",)),
    _family("每旬", r"(?:每|逐)旬(?:底|末)?" + TAIL, lambda m, ctx: Built([Rule(kind="dekad")]), "每旬", "每旬末前", needs=("每|逐", "旬")),
    # -- per term ------------------------------------------------------------
    _family("开学后几个月", r"(?:每个?学期(?:开学)?|开学)" + AFTER + r"(?P<n>\d{1,2})个月" + WITHIN,
            _semester_months, "每学期开学后一个月内完成", needs=("开学|学期", "后", "个月")),
    _family("开学后几日", r"(?:每个?学期(?:开学)?|开学)" + AFTER + r"(?P<n>\d{1,3})[日天]" + WITHIN,
            _semester_days, "每学期开学后15日内", "开学后30天内", needs=("开学|学期", "后")),
    _family("每学期", r"每个?学期(?:末|结束前)?" + TAIL, lambda m, ctx: Built([Rule(kind="semester")]),
            "每学期末", "每学期", needs=("学期",)),
    # -- bounds ----------------------------------------------------------------
    _family("自某时起", rf"(?:自|从)?(?:(?P<sy>\d{{4}})年度?|{point()})(?:起|开始)", _since,
            "自2024年起每季度末", "自2023年7月起长期坚持", needs=("起|开始",)),
    _family("某年至某年", r"(?:自|从)?(?P<y1>\d{4})年?(?:至|到|-|—)(?P<y2>\d{4})年(?:间|期间)?(?:内)?(?:的)?",
            _years, "2018年至2020年每年年底前", needs=("年", "至|到|-|—")),
    _family("某年及以后", r"(?P<y>\d{4})年度?(?:及|和|以及)?以后(?:每年)?", _year_on,
            "2014年度及以后年报时间为下一年1月1日至6月30日", needs=("以后",)),
    # -- ongoing -------------------------------------------------------------
    _family("长期性", _ONGOING, lambda m, ctx: Built([Rule(kind="ongoing")]),
            "长期性", "常态化抓落实", "长期坚持", "持续推进", "长效推进", needs=("长期|常态|持续|长效",)),
)
