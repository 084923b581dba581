"""Values people type: the ONE date reader and the ONE period reader, used by every option that takes them.

Both are pure: relative words (今天, 上周五, 7月3日, 本月 …) are read against the
``today`` passed in, which is the ``--as-of`` day for every option but ``--as-of``
itself (read against the real today).  Years are bounded to
:data:`MIN_YEAR`–:data:`MAX_YEAR`, so no typed value can reach date arithmetic
that overflows.  The forms are listed once, in :data:`DATE_FORMS` and
:data:`PERIOD_FORMS`, for messages and ``--help``; README.md has the same table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from ..domain.errors import UsageError

MIN_YEAR, MAX_YEAR = 1900, 2100

DATE_FORMS = ("2018-07-15、2018/7/15、20180715、2018年7月15日、7月15日、7-15、"
              "今天、昨天、前天、上周五、本周一")
PERIOD_FORMS = ("2018-07、2018-7、2018年7月、2018-Q3、2018年第三季度、2018-H1、2018年上半年、"
                "2018、2018-W29、2018年第29周、2018-S1、本月、上月、本季度、上季度")

_NUMERALS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "大前天": -3,
                  "明天": 1, "明日": 1, "后天": 2}
_WEEK_OFFSETS = {"": 0, "本": 0, "这": 0, "这个": 0, "上": -1, "上个": -1, "下": 1, "下个": 1}


def _normal(text: str) -> str:
    """NFKC (全角 → 半角), no spaces, upper case Latin."""
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).upper()


def _number(text: str) -> int:
    """Digits, or Chinese numerals as written in dates: 七, 十五, 二十一, 三十, 二〇一八."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[units] if units else 0)
    return int("".join(str(_NUMERALS[ch]) for ch in text))


_NUM = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_YEAR = r"(\d{4}|[〇零○一二三四五六七八九]{4})"
_ABSOLUTE = (
    r"(\d{4})-(\d{1,2})-(\d{1,2})",
    r"(\d{4})/(\d{1,2})/(\d{1,2})",
    r"(\d{4})\.(\d{1,2})\.(\d{1,2})",
    r"(\d{4})(\d{2})(\d{2})",
    _YEAR + "年" + _NUM + "月" + _NUM + "[日号]?",
)
_MONTH_DAY = (
    _NUM + "月" + _NUM + "[日号]?",
    r"(\d{1,2})-(\d{1,2})",
    r"(\d{1,2})/(\d{1,2})",
)
_DAY_ONLY = _NUM + "[日号]"
_DAYS_AGO = r"(\d{1,3})天前"
_WEEKDAY = r"(本|这个|这|上个|上|下个|下)?(?:周|星期|礼拜)([一二三四五六日天七])"


def _bounded(year: int, month: int, day: int, what: str, text: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UsageError(f"{what} 的值 “{text}” 年份超出范围：应在 {MIN_YEAR} 到 {MAX_YEAR} 年之间",
                         subject="date")
    try:
        return date(year, month, day)
    except ValueError:
        raise UsageError(f"{what} 的值 “{text}” 不是有效日期（{year} 年 {month} 月没有 {day} 日）",
                         subject="date") from None


def _match_date(value: str, what: str, text: str, today: date | Callable[[], date]) -> date | None:
    """The date ``value`` (normalised) names, None when it has none of the forms; bad numbers raise.

    ``today`` may be a function, called only for a relative form (the real today costs a time zone).
    """
    for form in _ABSOLUTE:
        match = re.fullmatch(form, value)
        if match:
            year, month, day = (_number(g) for g in match.groups())
            return _bounded(year, month, day, what, text)
    day_of = today if callable(today) else lambda: today
    for form in _MONTH_DAY:
        match = re.fullmatch(form, value)
        if match:
            month, day = (_number(g) for g in match.groups())
            return _bounded(day_of().year, month, day, what, text)
    match = re.fullmatch(_DAY_ONLY, value)
    if match:
        base = day_of()
        return _bounded(base.year, base.month, _number(match.group(1)), what, text)
    if value in _RELATIVE_DAYS:
        return day_of() + timedelta(days=_RELATIVE_DAYS[value])
    match = re.fullmatch(_DAYS_AGO, value)
    if match:
        day = day_of() - timedelta(days=int(match.group(1)))
        return _bounded(day.year, day.month, day.day, what, text)
    match = re.fullmatch(_WEEKDAY, value)
    if match:
        base = day_of()
        monday = base - timedelta(days=base.weekday()) + timedelta(weeks=_WEEK_OFFSETS[match.group(1) or ""])
        return monday + timedelta(days=_WEEKDAYS[match.group(2)])
    return None


def read_date(text: str, what: str, *, today: date | Callable[[], date]) -> date:
    """The day a person means by ``text``; ``what`` names the input in messages.

    Accepted: 2018-07-15, 2018/7/15, 2018.7.15, 20180715, 2018年7月15日 (号, 二〇一八年七月十五日);
    7月15日, 7-15, 7/15 (the year of ``today``); 15日 or 15号 (its month); 今天, 昨天, 前天,
    大前天, 明天, 后天, N天前; 周五 / 本周五 / 上周五 / 下周一 (星期, 礼拜 alike; weeks begin on Monday).
    """
    value = _normal(text)
    if not value:
        raise UsageError(f"{what} 不能为空；可写 {DATE_FORMS}", subject="date")
    day = _match_date(value, what, text, today)
    if day is None:
        raise UsageError(f"{what} 的值 “{text}” 不是有效日期；可写 {DATE_FORMS}", subject="date")
    return day


# ---------------------------------------------------------------- periods

_ORDINAL = r"(?:第)?(\d{1,2}|[一二三四五六七八九十]{1,3})"
_HALVES = {"上": 1, "下": 2, "1": 1, "2": 2}
# (pattern, kind): group 1 is the year, group 2 the number of the period within it (none for a year).
_PERIOD_FORMS: tuple[tuple[str, str], ...] = (
    (r"(\d{4})-?Q([1-4])", "quarter"),
    (_YEAR + r"年?Q([1-4])", "quarter"),
    (_YEAR + "年" + _ORDINAL + "季度?", "quarter"),
    (r"(\d{4})-?H([12])", "half"),
    (_YEAR + "年([上下])半年", "half"),
    (r"(\d{4})-?W(\d{1,2})", "week"),
    (_YEAR + "年" + _ORDINAL + "周", "week"),
    (r"(\d{4})-?S(\d)", "semester"),
    (_YEAR + "年" + _ORDINAL + "学期", "semester"),
    (r"(\d{4})[-/.](\d{1,2})", "month"),
    (r"(\d{4})(\d{2})", "month"),
    (_YEAR + "年" + _NUM + "月份?", "month"),
    (r"(\d{4})", "year"),
    (_YEAR + "年(?:度|全年)?", "year"),
)
# The same within the year of ``today``: group 1 is the number of the period.
_IN_YEAR_FORMS: tuple[tuple[str, str], ...] = (
    (_ORDINAL + "季度", "quarter"),
    (r"Q([1-4])", "quarter"),
    ("([上下])半年", "half"),
    (_NUM + "月份?", "month"),
)
_RELATIVE_PERIODS = {
    "本月": ("month", 0), "这个月": ("month", 0), "上月": ("month", -1), "上个月": ("month", -1),
    "本季度": ("quarter", 0), "这个季度": ("quarter", 0), "上季度": ("quarter", -1), "上个季度": ("quarter", -1),
    "本年": ("year", 0), "今年": ("year", 0), "本年度": ("year", 0), "去年": ("year", -1), "上年": ("year", -1),
    "本周": ("week", 0), "这周": ("week", 0), "上周": ("week", -1),
}
_PERIOD_LIMITS = {"month": 12, "quarter": 4, "half": 2, "semester": 9}


def _label(kind: str, year: int, number: int, what: str, text: str) -> str:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UsageError(f"{what} 的值 “{text}” 年份超出范围：应在 {MIN_YEAR} 到 {MAX_YEAR} 年之间",
                         subject="period")
    if kind == "year":
        return f"{year:04d}"
    if kind == "week":
        weeks = date(year, 12, 28).isocalendar()[1]  # 28 December is always in the last ISO week
        if not 1 <= number <= weeks:
            raise UsageError(f"{what} 的值 “{text}” 无效：{year} 年只有第 1 到第 {weeks} 周", subject="period")
        return f"{year:04d}-W{number:02d}"
    if not 1 <= number <= _PERIOD_LIMITS[kind]:
        raise UsageError(f"{what} 的值 “{text}” 不是有效期间；可写 {PERIOD_FORMS}", subject="period")
    return {"month": f"{year:04d}-{number:02d}", "quarter": f"{year:04d}-Q{number}",
            "half": f"{year:04d}-H{number}", "semester": f"{year:04d}-S{number}"}[kind]


def _period_number(kind: str, text: str) -> int:
    return _HALVES[text] if kind == "half" else _number(text)


def _relative_period(kind: str, offset: int, today: date) -> str:
    if kind == "month":
        index = today.year * 12 + today.month - 1 + offset
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    if kind == "quarter":
        index = today.year * 4 + (today.month - 1) // 3 + offset
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if kind == "week":
        year, week, _ = (today + timedelta(weeks=offset)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    return f"{today.year + offset:04d}"


def read_period(text: str, what: str, *, today: date) -> str:
    """The period label a person means by ``text``, as the journal and reports write it.

    Accepted: labels as reports show them (2018-07, 2018-Q3, 2018-H1, 2018, 2018-W29, 2018-S1,
    2018-04-30 for a one-off, 2018-07#2 for a task's second rule), and 2018-7, 2018/7, 201807,
    2018年7月, 2018年第三季度, 2018年3季度, 2018Q3, 2018年上半年, 2018年, 2018年度, 2018年第29周,
    2018年第一学期; 7月, 三季度, Q3, 上半年 (the year of ``today``); 本月, 上月, 本季度, 上季度,
    今年, 去年, 本周, 上周; and any date :func:`read_date` reads (a one-off's period).
    Whether the task has such a period is for the caller to say.
    """
    value = _normal(text)
    if not value:
        raise UsageError(f"{what} 不能为空；可写 {PERIOD_FORMS}", subject="period")
    base, hash_mark, rule = value.partition("#")
    # After # the rule of a shared period: its content key as reports show it (d25, ongoing, +10d …),
    # or an older journal's rule number (#4).
    rule = rule.lower()
    if hash_mark and not re.fullmatch(r"[0-9a-z+~@-]{1,40}", rule):
        raise UsageError(f"{what} 的值 “{text}” 不是有效期间：# 后应是报表所示的规则标记，如 2018-07#d25",
                         subject="period")
    suffix = f"#{rule}" if hash_mark else ""
    for pattern, kind in _PERIOD_FORMS:
        match = re.fullmatch(pattern, base)
        if match:
            number = 0 if kind == "year" else _period_number(kind, match.group(2))
            return _label(kind, _number(match.group(1)), number, what, text) + suffix
    for pattern, kind in _IN_YEAR_FORMS:
        match = re.fullmatch(pattern, base)
        if match:
            return _label(kind, today.year, _period_number(kind, match.group(1)), what, text) + suffix
    if base in _RELATIVE_PERIODS:
        return _relative_period(*_RELATIVE_PERIODS[base], today) + suffix
    day = _match_date(base, what, text, today)
    if day is None:
        raise UsageError(f"{what} 的值 “{text}” 不是有效期间；可写 {PERIOD_FORMS}；"
                         f"一次性任务写到期日，如 2018-04-30", subject="period")
    return day.isoformat() + suffix


def read_month(text: str, what: str, *, today: date) -> tuple[int, int]:
    """(year, month) of a month typed as :func:`read_period` reads one (2018-07, 2018年7月, 7月, 本月 …)."""
    label = read_period(text, what, today=today)
    match = re.fullmatch(r"(\d{4})-(\d{2})", label)
    if match is None:
        raise UsageError(f"{what} 的值 “{text}” 不是一个月份；可写 2018-07、2018-7、2018年7月、7月、本月、上月",
                         subject="month")
    return int(match.group(1)), int(match.group(2))


def read_quarter(text: str, what: str, *, today: date) -> date:
    """The first day of a quarter typed as :func:`read_period` reads one (2018-Q3, 2018年第三季度, 三季度, 上季度 …)."""
    label = read_period(text, what, today=today)
    match = re.fullmatch(r"(\d{4})-Q([1-4])", label)
    if match is None:
        raise UsageError(f"{what} 的值 “{text}” 不是一个季度；可写 2018-Q3、2018年第三季度、三季度、本季度、上季度",
                         subject="quarter")
    return date(int(match.group(1)), 3 * int(match.group(2)) - 2, 1)


def read_count(text: str, what: str, *, low: int, high: int) -> int:
    """A whole number in [low, high] (days, counts), with a message that names the range."""
    value = _normal(text)
    if not re.fullmatch(r"[+-]?\d+", value):
        raise UsageError(f"{what} 的值 “{text}” 不是整数；应是 {low} 到 {high} 之间的整数", subject="number")
    number = int(value) if len(value) <= 18 else (1 if value[0] != "-" else -1) * 10**18  # no huge ints
    if not low <= number <= high:
        raise UsageError(f"{what} 的值 {value} 超出范围：应在 {low} 到 {high} 之间", subject="number")
    return number
