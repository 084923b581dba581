"""China's official working days (holidays and 调休) and how a due date on a day off moves."""

from __future__ import annotations

from datetime import date, timedelta

# How a due date that falls on a day off moves.
HOLIDAY_SHIFTS = ("next_workday", "previous_workday", "none")


class HolidayCalendar:
    """Official workdays of mainland China and how a due date on a day off moves.

    Uses ``chinese_calendar`` (holidays and make-up workdays, 调休), imported on
    first use.  For years it has no data, weekends are the only days off and the
    year is added to ``unknown_years`` so the caller can warn once.
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
