"""render.ics: parse the calendar back with icalendar and compare with the rows."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone

from icalendar import Calendar

from fupin_cli.domain.model import Plan, Settings
from fupin_cli.domain.units import UnitIndex
from fupin_cli.reports.rows import Row
from fupin_cli.output.formats import ics

PLAN = Plan(title="2018年汕头市脱贫攻坚主要任务清单", doc_no="汕扶〔2018〕9号", issuer="汕头市扶贫开发领导小组",
            issued=date(2018, 4, 25), valid_from=date(2018, 4, 25), valid_to=date(2018, 12, 31),
            timezone="Asia/Shanghai", settings=Settings(), tasks=(), units=UnitIndex(()))

LONG = "全面落实建档立卡贫困户子女教育生活费补助政策，确保符合条件的贫困学生应助尽助，不让一个学生因贫失学辍学，并按时上报"


def make_row(task, text, unit, period, due, nominal=None, required=1) -> Row:
    return Row(task=task, text=text, category="教育扶贫", unit=unit, period=period, nominal_due=nominal or due,
               due=due, status="upcoming", days=None, required=required, done_count=0)


ROWS = [
    make_row("5.1", LONG, "市教育局", "2018-07", date(2018, 7, 31)),
    make_row("5.1", LONG, "市民政局", "2018-07", date(2018, 7, 31)),
    make_row("R.1", '=HYPERLINK("http://x"), 分号; 逗号', "市民政局", "2018-Q3", date(2018, 10, 8),
             nominal=date(2018, 9, 30), required=2),
    make_row("7.2", "<script>alert(1)</script>\n第二行", "金平区", "2018-H2", date(2018, 12, 31)),
]


def events(text: str):
    return Calendar.from_ical(text).walk("VEVENT")


def test_calendar_header_and_line_endings():
    text = ics.render_calendar(PLAN, ROWS)
    calendar = Calendar.from_ical(text)
    assert str(calendar["X-WR-CALNAME"]) == "2018年汕头市脱贫攻坚主要任务清单 到期日历"
    assert str(calendar["PRODID"]) == "-//fupin//扶贫任务清单//ZH"
    assert str(calendar["VERSION"]) == "2.0"
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_one_all_day_event_per_row():
    found = events(ics.render_calendar(PLAN, ROWS))
    assert len(found) == len(ROWS) == 4
    assert [e.decoded("DTSTART") for e in found] == [date(2018, 7, 31), date(2018, 7, 31), date(2018, 10, 8),
                                                      date(2018, 12, 31)]
    assert [e.decoded("DTEND") for e in found] == [date(2018, 8, 1), date(2018, 8, 1), date(2018, 10, 9),
                                                    date(2019, 1, 1)]
    for event in found:
        assert type(event.decoded("DTSTART")) is date  # a DATE value, not a date-time
        assert event["DTSTART"].params.get("VALUE") in (None, "DATE")
    text = ics.render_calendar(PLAN, ROWS)
    assert "DTSTART;VALUE=DATE:20180731\r\n" in text
    assert "DTEND;VALUE=DATE:20180801\r\n" in text


def test_summary_and_description():
    found = events(ics.render_calendar(PLAN, ROWS))
    # cut to 40 characters, without a dangling comma before the ellipsis
    assert str(found[0]["SUMMARY"]) == "【5.1】市教育局：全面落实建档立卡贫困户子女教育生活费补助政策，确保符合条件的贫困学生应助尽助…（2018-07）"
    assert str(found[2]["SUMMARY"]) == '【R.1】市民政局：=HYPERLINK("http://x"), 分号; 逗号（2018-Q3）'
    assert str(found[3]["SUMMARY"]) == "【7.2】金平区：<script>alert(1)</script> 第二行（2018-H2）"
    description = str(found[2]["DESCRIPTION"])
    assert description.splitlines() == [
        '工作任务：=HYPERLINK("http://x"), 分号; 逗号', "责任单位：市民政局", "期间：2018-Q3",
        "应完成日：2018-10-08", "原定日期：2018-09-30（遇节假日顺延）", "需完成次数：2", "任务编号：R.1",
        "依据：2018年汕头市脱贫攻坚主要任务清单（汕扶〔2018〕9号）"]
    assert LONG in str(found[0]["DESCRIPTION"])
    assert "原定日期：2018-07-31\n" in str(found[0]["DESCRIPTION"])


def test_uids_are_stable_distinct_and_derived_from_task_unit_period():
    first = [str(e["UID"]) for e in events(ics.render_calendar(PLAN, ROWS))]
    second = [str(e["UID"]) for e in events(ics.render_calendar(PLAN, list(reversed(ROWS))))]
    assert sorted(first) == sorted(second)
    assert len(set(first)) == len(ROWS)
    assert first[0] == hashlib.sha1("5.1|市教育局|2018-07".encode()).hexdigest() + "@fupin"


def test_output_is_reproducible_and_dtstamp_comes_from_the_row():
    assert ics.render_calendar(PLAN, ROWS) == ics.render_calendar(PLAN, ROWS)
    found = events(ics.render_calendar(PLAN, ROWS))
    assert found[2].decoded("DTSTAMP") == datetime(2018, 10, 8, tzinfo=timezone.utc)
    assert "DTSTAMP:20181008T000000Z\r\n" in ics.render_calendar(PLAN, ROWS)


def test_rows_without_due_date_and_empty_calendar():
    ongoing = Row(task="9.1", text="长期工作", category="", unit="市民政局", period="ongoing", nominal_due=None,
                  due=None, status="ongoing", days=None, required=1, done_count=0)
    assert len(events(ics.render_calendar(PLAN, [ongoing, ROWS[0]]))) == 1
    empty = Calendar.from_ical(ics.render_calendar(PLAN, []))
    assert empty.walk("VEVENT") == [] and str(empty["X-WR-CALNAME"]).endswith(" 到期日历")
