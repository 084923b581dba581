"""Period kinds: one registry entry per kind says how its periods start, end, are labelled and read back.

======== ============== ==================================================
kind     label          period
======== ============== ==================================================
month    ``2018-07``    the calendar month
quarter  ``2018-Q3``    July–September
half     ``2018-H2``    July–December
bimonth  ``2018-B4``    two months: B1 January–February … B6
                        November–December (每两个月, 每双月, 每单月)
dekad    ``2018-07-D2`` a 旬 of a month: D1 the 1st–10th, D2 the
                        11th–20th, D3 the 21st to the month's end (每旬)
year     ``2018``       the calendar year
week     ``2018-W29``   the ISO week (Monday–Sunday), zero-padded
semester ``2018-S2``    from the n-th ``Settings.semester_starts`` date of
                        2018 to the day before the next start (S2 runs into
                        the next year, up to the day before its S1)
once     ``2018-04-30`` the due date itself
ongoing  ``2018-07``    monthly periods without a due date
======== ============== ==================================================

A new kind is one more :class:`PeriodKind` in ``KINDS`` and a phrase family
that builds rules of it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Callable, Iterator

from .model import Settings
from .values import Frozen


def month_end(d: date) -> date:
    """The last day of ``d``'s month."""
    following = date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)
    return following - timedelta(days=1)


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months, the day clamped to the target month's length (31 Jan + 1 = 28/29 Feb)."""
    year, month = divmod(d.year * 12 + d.month - 1 + months, 12)
    first = date(year, month + 1, 1)
    return min(first + timedelta(days=d.day - 1), month_end(first))


# ---------------------------------------------------------------- semesters

def semester_starts(settings: Settings) -> list[tuple[int, int]]:
    starts = sorted(set(tuple(s) for s in settings.semester_starts))
    return starts or [(3, 1), (9, 1)]


def semester_date(year: int, md: tuple[int, int]) -> date:
    month, day = md
    # 29 February in a common year: the term starts on 1 March.
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, 28) + timedelta(days=1)


def _semester_index(start: date, settings: Settings) -> int:
    for i, md in enumerate(semester_starts(settings)):
        if semester_date(start.year, md) == start:
            return i
    raise ValueError(f"{start} is not a semester start")


def _semester_next(start: date, settings: Settings) -> date:
    starts = semester_starts(settings)
    index = _semester_index(start, settings)
    if index + 1 < len(starts):
        return semester_date(start.year, starts[index + 1])
    return semester_date(start.year + 1, starts[0])


def _semester_containing(d: date, settings: Settings) -> date:
    candidates = [semester_date(y, md) for y in (d.year - 1, d.year) for md in semester_starts(settings)]
    return max(c for c in candidates if c <= d)


def _semester_from_label(m: re.Match, settings: Settings) -> date:
    starts = semester_starts(settings)
    n = int(m.group(2))
    if not 1 <= n <= len(starts):
        raise ValueError(m.group(0))
    return semester_date(int(m.group(1)), starts[n - 1])


# ---------------------------------------------------------------- the registry

class PeriodKind(Frozen):
    """How periods of one kind are laid out on the calendar.

    ``containing(d)`` is the start of the period holding ``d``, ``following(start)``
    the start of the next one, ``label(start)`` its name in the journal and reports,
    and ``label_pattern``/``from_label`` read such a name back.
    """

    name: str
    containing: Callable[[date, Settings], date]
    following: Callable[[date, Settings], date]
    label: Callable[[date, Settings], str]
    label_pattern: re.Pattern[str] | None
    from_label: Callable[[re.Match, Settings], date] | None
    recurring: bool = True
    has_due_date: bool = True

    def __init__(self, name: str, containing: Callable[[date, Settings], date],
                 following: Callable[[date, Settings], date], label: Callable[[date, Settings], str],
                 label_pattern: re.Pattern[str] | None, from_label: Callable[[re.Match, Settings], date] | None,
                 recurring: bool = True, has_due_date: bool = True) -> None:
        vars(self).update(name=name, containing=containing, following=following, label=label,
                          label_pattern=label_pattern, from_label=from_label, recurring=recurring,
                          has_due_date=has_due_date)

    def end(self, start: date, settings: Settings) -> date:
        """The last day of the period that starts on ``start``."""
        return self.following(start, settings) - timedelta(days=1)

    def starts(self, low: date, high: date, settings: Settings) -> Iterator[date]:
        """Start dates of the periods that overlap [low, high]."""
        start = self.containing(low, settings)
        while start <= high:
            yield start
            start = self.following(start, settings)


def _months(n: int) -> Callable[[date, Settings], date]:
    return lambda start, settings: add_months(start, n)


def _monthly_containing(size: int) -> Callable[[date, Settings], date]:
    return lambda d, settings: date(d.year, size * ((d.month - 1) // size) + 1, 1)


def _dekad_containing(d: date, settings: Settings) -> date:
    return d.replace(day=1 if d.day <= 10 else 11 if d.day <= 20 else 21)


def _dekad_following(start: date, settings: Settings) -> date:
    if start.day < 21:
        return start + timedelta(days=10)
    return add_months(start.replace(day=1), 1)


def _dekad_from_label(m: re.Match, settings: Settings) -> date:
    n = int(m.group(3))
    if not 1 <= n <= 3:
        raise ValueError(m.group(0))
    return date(int(m.group(1)), int(m.group(2)), 10 * n - 9)


_MONTH_LABEL = re.compile(r"(\d{4})-(\d{2})", re.ASCII)

KINDS: dict[str, PeriodKind] = {kind.name: kind for kind in (
    PeriodKind("once", lambda d, s: d, lambda start, s: start + timedelta(days=1),
               lambda start, s: start.isoformat(), re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII),
               lambda m, s: date(int(m.group(1)), int(m.group(2)), int(m.group(3))), recurring=False),
    PeriodKind("month", _monthly_containing(1), _months(1),
               lambda start, s: f"{start.year:04d}-{start.month:02d}", _MONTH_LABEL,
               lambda m, s: date(int(m.group(1)), int(m.group(2)), 1)),
    PeriodKind("quarter", _monthly_containing(3), _months(3),
               lambda start, s: f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}",
               re.compile(r"(\d{4})-Q([1-4])", re.ASCII),
               lambda m, s: date(int(m.group(1)), 3 * int(m.group(2)) - 2, 1)),
    PeriodKind("half", _monthly_containing(6), _months(6),
               lambda start, s: f"{start.year:04d}-H{1 if start.month <= 6 else 2}",
               re.compile(r"(\d{4})-H([12])", re.ASCII),
               lambda m, s: date(int(m.group(1)), 1 if m.group(2) == "1" else 7, 1)),
    PeriodKind("bimonth", _monthly_containing(2), _months(2),
               lambda start, s: f"{start.year:04d}-B{(start.month + 1) // 2}",
               re.compile(r"(\d{4})-B([1-6])", re.ASCII),
               lambda m, s: date(int(m.group(1)), 2 * int(m.group(2)) - 1, 1)),
    PeriodKind("dekad", _dekad_containing, _dekad_following,
               lambda start, s: f"{start.year:04d}-{start.month:02d}-D{start.day // 10 + 1}",
               re.compile(r"(\d{4})-(\d{2})-D(\d)", re.ASCII), _dekad_from_label),
    PeriodKind("week", lambda d, s: d - timedelta(days=d.weekday()), lambda start, s: start + timedelta(days=7),
               lambda start, s: "{:04d}-W{:02d}".format(*start.isocalendar()[:2]),
               re.compile(r"(\d{4})-W(\d{2})", re.ASCII),
               lambda m, s: date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)),
    PeriodKind("semester", _semester_containing, _semester_next,
               lambda start, s: f"{start.year:04d}-S{_semester_index(start, s) + 1}",
               re.compile(r"(\d{4})-S(\d)", re.ASCII), _semester_from_label),
    PeriodKind("year", lambda d, s: date(d.year, 1, 1), lambda start, s: date(start.year + 1, 1, 1),
               lambda start, s: f"{start.year:04d}", re.compile(r"(\d{4})", re.ASCII),
               lambda m, s: date(int(m.group(1)), 1, 1)),
    # Ongoing work is recorded per calendar month and is never due.
    PeriodKind("ongoing", _monthly_containing(1), _months(1),
               lambda start, s: f"{start.year:04d}-{start.month:02d}", None, None, has_due_date=False),
)}

PERIOD_KINDS = tuple(KINDS)


def read_label(label: str, settings: Settings) -> tuple[str, date, date] | None:
    """``(kind, start, end)`` of a period label, or None if it is not one."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(label)).strip().upper()
    for kind in KINDS.values():
        if kind.label_pattern is None:
            continue
        m = kind.label_pattern.fullmatch(text)
        if m is None:
            continue
        try:
            start = kind.from_label(m, settings)
            return kind.name, start, kind.end(start, settings)
        except (ValueError, OverflowError):
            return None
    return None
