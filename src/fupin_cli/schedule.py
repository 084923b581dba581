"""Rules → occurrences in a window, with China's official workdays.

Dates in, dates out: nothing here reads the clock.  This is the only module
that uses dateutil (``rrule`` to enumerate period starts, ``relativedelta``
for month arithmetic); ``chinese_calendar`` is imported on first use.

Period labels:

======== ============== ==================================================
kind     label          period
======== ============== ==================================================
month    ``2018-07``    the calendar month
quarter  ``2018-Q3``    July–September
half     ``2018-H2``    July–December
year     ``2018``       the calendar year
week     ``2018-W29``   the ISO week (Monday–Sunday), zero-padded
semester ``2018-S2``    from the n-th ``Settings.semester_starts`` date of
                        2018 to the day before the next start (S2 runs into
                        the next year, up to the day before its S1)
once     ``2018-04-30`` the due date itself
======== ============== ==================================================

Ongoing rules use month labels: one occurrence per calendar month, without
a due date.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Iterator

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, YEARLY, rrule

from .errors import UsageError
from .model import HOLIDAY_SHIFTS, Occurrence, Rule, Settings

__all__ = ["HolidayCalendar", "occurrences", "period_bounds", "period_label"]


class HolidayCalendar:
    """Official workdays of mainland China and how a due date on a day off moves.

    Uses ``chinese_calendar`` (holidays and make-up workdays, 调休).  For years it
    has no data, weekends are the only days off and the year is added to
    ``unknown_years`` so the caller can warn once.
    """

    def __init__(self, shift: str = "next_workday") -> None:
        if shift not in HOLIDAY_SHIFTS:
            raise ValueError(f"unknown holiday shift {shift!r}; expected one of {HOLIDAY_SHIFTS}")
        self.shift = shift
        self.unknown_years: set[int] = set()
        self._cache: dict[date, bool] = {}
        self._module = None

    def is_workday(self, d: date) -> bool:
        """True if ``d`` is an official working day (调休 Saturdays and Sundays included)."""
        cached = self._cache.get(d)
        if cached is not None:
            return cached
        if self._module is None:
            import chinese_calendar  # lazy: start-up time matters

            self._module = chinese_calendar
        try:
            result = bool(self._module.is_workday(d))
        except NotImplementedError:  # chinesecalendar's way of saying it has no data for that year
            self.unknown_years.add(d.year)
            result = d.weekday() < 5
        self._cache[d] = result
        return result

    def effective(self, d: date) -> date:
        """The date a due date ``d`` really falls on under this calendar's shift."""
        if self.shift == "none":
            return d
        step = timedelta(days=1 if self.shift == "next_workday" else -1)
        try:
            while not self.is_workday(d):
                d += step
        except OverflowError:  # pragma: no cover - the ends of the calendar
            pass
        return d


# --------------------------------------------------------------------------
# Labels and bounds
# --------------------------------------------------------------------------

def _semester_starts(settings: Settings) -> list[tuple[int, int]]:
    starts = sorted(set(tuple(s) for s in settings.semester_starts))
    return starts or [(3, 1), (9, 1)]


def _semester_date(year: int, md: tuple[int, int]) -> date:
    month, day = md
    # 29 February in a common year: the term starts on 1 March.
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, 28) + timedelta(days=1)


def _semester_end(year: int, index: int, settings: Settings) -> date:
    starts = _semester_starts(settings)
    if index + 1 < len(starts):
        nxt = _semester_date(year, starts[index + 1])
    else:
        nxt = _semester_date(year + 1, starts[0])
    return nxt - timedelta(days=1)


def _month_end(d: date) -> date:
    return d + relativedelta(day=31)


def _bounds(kind: str, start: date, settings: Settings) -> date:
    """The last day of the period of ``kind`` that starts on ``start``."""
    if kind in ("month", "ongoing"):
        return _month_end(start)
    if kind == "quarter":
        return _month_end(start + relativedelta(months=2))
    if kind == "half":
        return _month_end(start + relativedelta(months=5))
    if kind == "year":
        return date(start.year, 12, 31)
    if kind == "week":
        return start + timedelta(days=6)
    if kind == "semester":
        return _semester_end(start.year, _semester_index(start, settings), settings)
    if kind == "once":
        return start
    raise ValueError(f"unknown period kind {kind!r}")


def _semester_index(start: date, settings: Settings) -> int:
    starts = _semester_starts(settings)
    for i, md in enumerate(starts):
        if _semester_date(start.year, md) == start:
            return i
    raise ValueError(f"{start} is not a semester start")


def period_label(kind: str, start: date, settings: Settings | None = None) -> str:
    """The label of the period of ``kind`` that starts on ``start``.

    ``settings`` is only needed for semesters (default: ``Settings()``).
    """
    if kind in ("month", "ongoing"):
        return f"{start.year:04d}-{start.month:02d}"
    if kind == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    if kind == "half":
        return f"{start.year:04d}-H{1 if start.month <= 6 else 2}"
    if kind == "year":
        return f"{start.year:04d}"
    if kind == "week":
        iso = start.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if kind == "semester":
        return f"{start.year:04d}-S{_semester_index(start, settings or Settings()) + 1}"
    if kind == "once":
        return start.isoformat()
    raise ValueError(f"unknown period kind {kind!r}")


_LABELS = [
    ("once", re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)),
    ("month", re.compile(r"(\d{4})-(\d{2})", re.ASCII)),
    ("quarter", re.compile(r"(\d{4})-Q([1-4])", re.ASCII)),
    ("half", re.compile(r"(\d{4})-H([12])", re.ASCII)),
    ("week", re.compile(r"(\d{4})-W(\d{2})", re.ASCII)),
    ("semester", re.compile(r"(\d{4})-S(\d)", re.ASCII)),
    ("year", re.compile(r"(\d{4})", re.ASCII)),
]


def period_bounds(label: str, settings: Settings) -> tuple[str, date, date]:
    """``(kind, start, end)`` of a period label; UsageError if it is malformed."""
    text = unicodedata.normalize("NFKC", str(label)).strip().upper()
    for kind, rx in _LABELS:
        m = rx.fullmatch(text)
        if m is None:
            continue
        try:
            y = int(m.group(1))
            if kind == "once":
                start = date(y, int(m.group(2)), int(m.group(3)))
            elif kind == "month":
                start = date(y, int(m.group(2)), 1)
            elif kind == "quarter":
                start = date(y, 3 * int(m.group(2)) - 2, 1)
            elif kind == "half":
                start = date(y, 1 if m.group(2) == "1" else 7, 1)
            elif kind == "week":
                start = date.fromisocalendar(y, int(m.group(2)), 1)
            elif kind == "semester":
                starts = _semester_starts(settings)
                n = int(m.group(2))
                if not 1 <= n <= len(starts):
                    raise ValueError(label)
                start = _semester_date(y, starts[n - 1])
            else:
                start = date(y, 1, 1)
            return kind, start, _bounds(kind, start, settings)
        except (ValueError, OverflowError):
            break
    raise UsageError(
        f"无法识别的期次“{label}”：应写作 2018-07（月）、2018-Q3（季度）、2018-H2（半年）、"
        "2018（年）、2018-W29（周）、2018-S1（学期）或 2018-04-30（一次性）"
    )


# --------------------------------------------------------------------------
# Occurrences
# --------------------------------------------------------------------------

def _first_start(kind: str, d: date, settings: Settings) -> date:
    """Start of the period of ``kind`` that contains ``d``."""
    if kind in ("month", "ongoing"):
        return d.replace(day=1)
    if kind == "quarter":
        return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    if kind == "half":
        return date(d.year, 1 if d.month <= 6 else 7, 1)
    if kind == "year":
        return date(d.year, 1, 1)
    if kind == "week":
        return d - timedelta(days=d.weekday())
    if kind == "semester":
        candidates = [_semester_date(y, md) for y in (d.year - 1, d.year)
                      for md in _semester_starts(settings)]
        return max(c for c in candidates if c <= d)
    raise ValueError(f"unknown period kind {kind!r}")


def _starts(kind: str, window: tuple[date, date], settings: Settings) -> Iterator[date]:
    """Start dates of the periods of ``kind`` that overlap ``window``."""
    lo, hi = window
    first = _first_start(kind, lo, settings)
    if kind == "semester":
        starts = _semester_starts(settings)
        years = rrule(YEARLY, dtstart=date(first.year, 1, 1), until=hi)
        gen = (_semester_date(y.year, md) for y in years for md in starts)
        return (d for d in gen if first <= d <= hi)
    freq, interval = {
        "month": (MONTHLY, 1), "ongoing": (MONTHLY, 1), "quarter": (MONTHLY, 3),
        "half": (MONTHLY, 6), "year": (YEARLY, 1), "week": (WEEKLY, 1),
    }[kind]
    return (dt.date() for dt in rrule(freq, interval=interval, dtstart=first, until=hi))


def _nominal_due(rule: Rule, start: date, end: date) -> date:
    if rule.kind == "week":
        return start + timedelta(days=(6 if rule.weekday is None else rule.weekday) + rule.after_days)
    if rule.kind == "semester" and rule.month == 1 and rule.day == 1:
        base = start  # the term's first day, even when it is not the 1st of a month
    else:
        month_start = (end.replace(day=1) if rule.month is None
                       else start.replace(day=1) + relativedelta(months=rule.month - 1))
        base = month_start + relativedelta(day=31 if rule.day is None else rule.day)
    return base + relativedelta(months=rule.after_months, days=rule.after_days)


def occurrences(rule: Rule, rule_index: int, window: tuple[date, date],
                settings: Settings, calendar: HolidayCalendar) -> list[Occurrence]:
    """The occurrences of ``rule`` whose periods overlap ``window`` (inclusive), sorted.

    A one-off rule always yields its one occurrence, inside the window or not.
    """
    if rule.kind == "once":
        if rule.date is None:
            return []
        return [Occurrence(period=rule.date.isoformat(), start=rule.date, end=rule.date,
                           nominal_due=rule.date, due=calendar.effective(rule.date),
                           required=rule.count, rule_index=rule_index)]
    lo, hi = window
    if lo > hi:
        return []
    result = []
    for start in _starts(rule.kind, window, settings):
        end = _bounds(rule.kind, start, settings)
        if end < lo or start > hi:
            continue
        if rule.kind == "ongoing":
            nominal = due = None
        else:
            nominal = _nominal_due(rule, start, end)
            due = calendar.effective(nominal)
        result.append(Occurrence(period=period_label(rule.kind, start, settings),
                                 start=start, end=end, nominal_due=nominal, due=due,
                                 required=rule.count, rule_index=rule_index))
    result.sort(key=lambda o: (o.start, o.period))
    return result
