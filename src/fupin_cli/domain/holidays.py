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
        self._days: tuple | None = None  # (holidays, make-up workdays, first year, last year) once read

    def is_workday(self, d: date) -> bool:
        """True if ``d`` is an official working day (调休 Saturdays and Sundays included).

        The rule of ``chinese_calendar.is_workday`` on its data: a make-up workday, or a weekday that
        is no holiday.  Applied here because that function works out the years its data covers anew
        on every call (min and max over every holiday, ~40 µs: 15 ms of a big city's occurrences);
        a year outside them is chinesecalendar's NotImplementedError there, weekends only here.
        """
        cached = self._cache.get(d)
        if cached is not None:
            return cached
        if self._days is None:
            import chinese_calendar  # lazy: start-up time matters

            holidays = chinese_calendar.holidays
            self._days = (holidays, chinese_calendar.workdays, min(holidays).year, max(holidays).year)
        holidays, workdays, first, last = self._days
        if first <= d.year <= last:
            result = d in workdays or (d.weekday() < 5 and d not in holidays)
        else:  # no data for that year (it is published each December): weekends are the only days off
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


# ---------------------------------------------------------------- holidays by name

# The names offices write → chinese_calendar's holiday names.
HOLIDAY_NAMES = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Tomb-sweeping Day",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-autumn Festival",
    "国庆节": "National Day",
}


class HolidayYearUnknown(LookupError):
    """The official calendar has no data for that year yet (it is published each December)."""

    def __init__(self, name: str, year: int, known: tuple[int, int]) -> None:
        super().__init__(f"{year}年{name}")
        self.name, self.year, self.known = name, year, known


def holiday_first_day(name: str, year: int) -> date:
    """The first day off of the holiday ``name`` (春节, 国庆节 …) of ``year``.

    The holiday of a year is the run of days off named after it whose last day
    falls in that year: 2019's 元旦 runs 2018-12-30 … 2019-01-01, so it starts on
    2018-12-30.  Raises :class:`HolidayYearUnknown` when the official calendar
    (package ``chinesecalendar``) does not cover the year.
    """
    import chinese_calendar  # lazy: start-up time matters

    english = HOLIDAY_NAMES[name]
    days = chinese_calendar.holidays
    known = (min(days).year, max(days).year)
    if not known[0] <= year <= known[1]:
        raise HolidayYearUnknown(name, year, known)
    named = sorted(d for d, holiday in days.items() if holiday == english
                   and year - 1 <= d.year <= year)
    runs: list[list[date]] = []
    for day in named:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        if run[-1].year == year:
            return run[0]
    raise HolidayYearUnknown(name, year, known)  # pragma: no cover - a covered year always has each holiday
