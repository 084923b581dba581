"""The official calendar's rule, applied by HolidayCalendar on chinesecalendar's data, says what chinesecalendar says."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from fupin_cli.domain.holidays import HolidayCalendar


def test_every_day_is_what_chinesecalendar_says():
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    calendar = HolidayCalendar()
    day, end = date(first - 1, 12, 25), date(last + 1, 1, 10)
    checked = 0
    while day <= end:
        try:
            expected = chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year without data: weekends only, and the year is noted
            expected = day.weekday() < 5
            assert calendar.is_workday(day) is expected
            assert day.year in calendar.unknown_years
        else:
            assert calendar.is_workday(day) is expected, day
        checked += 1
        day += timedelta(days=1)
    assert calendar.unknown_years == {first - 1, last + 1}
    assert checked > 365 * (last - first + 1)


def test_known_days():
    calendar = HolidayCalendar()
    assert calendar.is_workday(date(2018, 10, 1)) is False   # 国庆节
    assert calendar.is_workday(date(2018, 9, 29)) is True    # a Saturday made a workday (调休)
    assert calendar.is_workday(date(2018, 7, 16)) is True    # a Monday
    assert calendar.is_workday(date(2018, 7, 15)) is False   # a Sunday
    assert calendar.effective(date(2018, 10, 1)) == date(2018, 10, 8)
