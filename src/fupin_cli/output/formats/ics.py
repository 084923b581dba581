"""iCalendar (RFC 5545) of deadlines, for Outlook, WPS and phone calendars.

One all-day event per row on its effective due date.  The UID is derived from
task, unit and period, so importing a newer file updates events instead of
duplicating them; DTSTAMP comes from the row, never the clock, so the same
rows always give the same file.  ``alarms`` (days before the due date, from
``calendar --alarm 3d,1d``) add a VALARM each, going off at 09:00 that day.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, time, timedelta, timezone

from ...domain.model import Plan
from ...domain.text import terminal_safe
from ...reports.rows import Row

PRODID = "-//fupin//扶贫任务清单//ZH"
SUMMARY_TEXT_LENGTH = 40
ALARM_HOUR = 9  # an alarm goes off at 09:00 of its day, not at midnight
_SPACE = re.compile(r"\s+")


def event_uid(row: Row) -> str:
    """Stable per (task, unit, period): sha1 hex of the three joined by "|", then "@fupin"."""
    key = "|".join((row.task, row.unit, row.period))
    return hashlib.sha1(key.encode("utf-8")).hexdigest() + "@fupin"


def shorten(text: str, length: int = SUMMARY_TEXT_LENGTH) -> str:
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= length:
        return text
    return text[:length - 1].rstrip(" ，,、；;：:。.") + "…"


def summary(row: Row) -> str:
    """The event's title; calendars show it to people, so nothing in it may act on a terminal or hide."""
    return terminal_safe(f"【{row.task}】{row.unit}：{shorten(row.text)}（{row.period}）")


def description(plan: Plan, row: Row) -> str:
    lines = [f"工作任务：{row.text}", f"责任单位：{row.unit}", f"期间：{row.period}",
             f"应完成日：{row.due.isoformat()}"]
    if row.nominal_due and row.nominal_due != row.due:
        lines.append(f"原定日期：{row.nominal_due.isoformat()}（遇节假日顺延）")
    elif row.nominal_due:
        lines.append(f"原定日期：{row.nominal_due.isoformat()}")
    lines.append(f"需完成次数：{row.required}")
    lines.append(f"任务编号：{row.task}")
    lines.append(f"依据：{plan.title}" + (f"（{plan.doc_no}）" if plan.doc_no else ""))
    return "\n".join(terminal_safe(line) for line in lines)


def alarm_words(days: int) -> str:
    return "今天到期" if days == 0 else f"{days} 天后到期"


def render_calendar(plan: Plan, rows: list[Row], alarms: tuple[int, ...] = ()) -> str:
    """The calendar as text with CRLF line endings; rows without a due date are left out.

    Each of ``alarms`` (whole days before the due date, 0 = the day itself) is a
    VALARM relative to the event's start: -P3D plus 9 hours is 09:00 three days before.
    """
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", terminal_safe(f"{plan.title} 到期日历"))
    if plan.timezone:
        calendar.add("x-wr-timezone", plan.timezone)
    for row in rows:
        if row.due is None:
            continue  # ongoing work has no day to put in a calendar
        event = Event()
        event.add("uid", event_uid(row))
        event.add("dtstamp", datetime.combine(row.due, time(0, 0), tzinfo=timezone.utc))
        event.add("dtstart", row.due)
        event.add("dtend", row.due + timedelta(days=1))
        event.add("summary", summary(row))
        event.add("description", description(plan, row))
        if row.category:
            event.add("categories", [terminal_safe(row.category)])
        event.add("transp", "TRANSPARENT")
        for days in alarms:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", terminal_safe(f"{alarm_words(days)}：{summary(row)}"))
            alarm.add("trigger", timedelta(days=-days, hours=ALARM_HOUR))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def render(view, target=None) -> str:
    return render_calendar(*view.calendar())
