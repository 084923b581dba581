"""Views of deadlines for people: ``explain`` and the calendar window and month grid."""

from __future__ import annotations

import calendar as months
from datetime import date, timedelta

from .errors import UsageError
from .model import Plan, Row
from .render import Column, Document, Table
from .schedule import HolidayCalendar, occurrences

NEXT_COUNT = 6


def explain_phrase(plan: Plan, phrase: str, today: date, calendar: HolidayCalendar) -> dict:
    """How fupin reads ``phrase`` and its next due dates on or after ``today``."""
    from .phrases import describe, parse

    rules = parse(phrase, plan.valid_from.year)
    # Far enough ahead for six yearly dates; labels are per period, so a window works for every kind.
    window = (today - timedelta(days=400), today + timedelta(days=366 * NEXT_COUNT + 31))
    upcoming = []
    for index, rule in enumerate(rules):
        for occ in occurrences(rule, index, window, plan.settings, calendar):
            if occ.due is not None and occ.due >= today:
                upcoming.append(occ)
    upcoming.sort(key=lambda o: (o.due, o.rule_index))
    return {
        "phrase": phrase,
        "ongoing": all(rule.kind == "ongoing" for rule in rules),
        "rules": [{"kind": r.kind, "count": r.count, "description": describe(r), "source": r.source}
                  for r in rules],
        "next": [{"period": o.period, "nominal_due": o.nominal_due.isoformat(), "due": o.due.isoformat()}
                 for o in upcoming[:NEXT_COUNT]],
    }


def explain_document(result: dict) -> Document:
    rules = Table("理解为", [Column("n", "#", "int"), Column("description", "规则"), Column("source", "原文")],
                  [{"n": i + 1, **r} for i, r in enumerate(result["rules"])])
    upcoming = Table("之后的到期日", [Column("period", "期间"), Column("nominal_due", "原定日期"),
                                   Column("due", "应完成日（节假日顺延后）")],
                     result["next"], empty="长期性任务，没有到期日" if result["ongoing"] else "（无）")
    return Document(title=f"完成时限：{result['phrase']}", tables=[rules, upcoming])


def calendar_window(month: str | None, start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The window a calendar shows: --month, or --from/--to, or the month of today."""
    if month is not None:
        if start or end:
            raise UsageError("--month 不能与 --from/--to 同时使用")
        try:
            year, number = (int(part) for part in month.strip().split("-"))
            first = date(year, number, 1)
        except ValueError:
            raise UsageError(f"--month 的值 “{month}” 应写成 YYYY-MM，如 2018-07") from None
        return first, date(year, number, months.monthrange(year, number)[1])
    first = start or today.replace(day=1)
    last = end or (date(first.year, first.month, months.monthrange(first.year, first.month)[1]) if not start
                   else first + timedelta(days=30))
    if last < first:
        raise UsageError(f"--to {last} 早于 --from {first}")
    return first, last


WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def month_grid(first: date, rows: list[Row], calendar: HolidayCalendar) -> Table:
    """A Monday-first month grid: each day with its count of deadlines; 休 marks a day off."""
    counts: dict[date, int] = {}
    for row in rows:
        counts[row.due] = counts.get(row.due, 0) + 1
    weeks = []
    for week in months.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        cells = {}
        for index, day in enumerate(week):
            if day.month != first.month:
                cells[str(index)] = ""
                continue
            mark = "" if calendar.is_workday(day) else "休"
            count = f" {counts[day]}项" if day in counts else ""
            cells[str(index)] = f"{day.day}{mark}{count}"
        weeks.append(cells)
    return Table(f"{first.year}年{first.month}月（休=休息日，N项=当天到期事项数）",
                 [Column(str(i), f"周{name}") for i, name in enumerate(WEEKDAYS)], weeks)
