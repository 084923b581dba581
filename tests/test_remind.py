"""Reminders below the command line: the remind journal op, chase counts, settings, notices, ics alarms."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from fupin_cli.app import chases, reminding
from fupin_cli.channels import SecretStore
from fupin_cli.domain.errors import PlanError
from fupin_cli.journal.entries import RemindEntry, make_remind_record
from fupin_cli.journal.jsonl.reader import read_journal
from fupin_cli.journal.jsonl.store import JsonlStore
from fupin_cli.journal.jsonl.writer import append

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2018, 7, 16, 1, 30, tzinfo=timezone.utc)


def record(unit="甲局", items=(("1", "2018-07"),), day=date(2018, 7, 16), channel="dingtalk", route="unit",
           plan="tasks"):
    return make_remind_record(plan=plan, unit=unit, channel=channel, route=route, items=list(items), day=day,
                              now_utc=NOW, tz=SHANGHAI)


# --- the journal op ----------------------------------------------------------------


def test_a_remind_line_is_written_and_read_back(tmp_path):
    path = tmp_path / "journal.jsonl"
    line = append(path, record(items=[("1", "2018-07"), ("4", "2018-06-30")]))
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert line["recorded_at"] == "2018-07-16T09:30:00+08:00"
    assert '"items":[{"task":"1","period":"2018-07"},{"task":"4","period":"2018-06-30"}]' in text
    [entry] = read_journal(path).entries
    assert entry == RemindEntry(id=line["id"], unit="甲局", channel="dingtalk", route="unit",
                                items=(("1", "2018-07"), ("4", "2018-06-30")), date=date(2018, 7, 16),
                                recorded_at="2018-07-16T09:30:00+08:00", line=1, plan="tasks")


def wanted(shown: str) -> str:
    return '第 1 行键 "items" 的值应为事项列表 [{"task": …, "period": …}, …]，实际是 ' + shown + '，已忽略'


@pytest.mark.parametrize("items, problem", [
    ([], wanted("[]")),
    ("1", wanted('"1"')),
    ([{"task": "1"}], wanted('[{"task":"1"}]')),
    ([{"task": 1, "period": "2018-07"}], wanted('[{"task":1,"period":"2018-07"}]')),
])
def test_a_bad_remind_line_is_a_problem_not_a_crash(tmp_path, items, problem):
    line = record() | {"items": items}
    path = tmp_path / "journal.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    contents = read_journal(path)
    assert contents.entries == [] and [p.message for p in contents.problems] == [problem]


def test_reminders_do_not_count_as_completions(tmp_path):
    from fupin_cli.journal.ledger import fold

    path = tmp_path / "journal.jsonl"
    append(path, record())
    contents = read_journal(path)
    assert fold(contents.entries, contents.problems).completions == {}


# --- chase counts ------------------------------------------------------------------


def test_chases_are_distinct_days_per_item_and_unit(tmp_path):
    path = tmp_path / "journal.jsonl"
    for line in (record(day=date(2018, 7, 12)), record(day=date(2018, 7, 12), channel="email"),
                 record(day=date(2018, 7, 13), items=[("1", "2018-07"), ("2", "2018-07-20")]),
                 record(unit="乙局", day=date(2018, 7, 13)),
                 record(day=date(2018, 7, 16), route="leader", channel="email")):
        append(path, line)
    old = record(day=date(2018, 7, 14)) | {"id": "20180714T000000.000000Z-aaaaaa"}
    del old["plan"]  # a line without a plan key belongs to the folder's first plan
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(old, ensure_ascii=False) + "\n")
    days = chases.journal_chase_days(JsonlStore(path), "tasks")
    assert days == {
        ("tasks", "1", "2018-07", "甲局"): {date(2018, 7, 12), date(2018, 7, 13), date(2018, 7, 14), date(2018, 7, 16)},
        ("tasks", "2", "2018-07-20", "甲局"): {date(2018, 7, 13)},
        ("tasks", "1", "2018-07", "乙局"): {date(2018, 7, 13)},
    }
    key = ("tasks", "1", "2018-07", "甲局")
    assert chases.chased(days, key) == 4
    assert chases.chased(days, key, before=date(2018, 7, 16)) == 3
    assert chases.chased(days, key, until=date(2018, 7, 13)) == 2
    assert chases.unit_chases(days, "tasks", "1") == [("甲局", 4, date(2018, 7, 16)), ("乙局", 1, date(2018, 7, 13))]
    # The whole reader agrees with the search for remind lines only.
    assert chases.chase_days(read_journal(path).entries, "tasks") == days


def test_a_journal_without_reminders_is_not_parsed(tmp_path, monkeypatch):
    path = tmp_path / "journal.jsonl"
    path.write_text('{"id":"a","op":"done","task":"1","unit":"甲局","period":"2018-07","date":"2018-07-03",'
                    '"recorded_at":"","by":"","note":""}\n', encoding="utf-8")
    import fupin_cli.journal.jsonl.reader as reader

    monkeypatch.setattr(reader, "parse_lines", lambda lines: pytest.fail("parsed a journal without reminders"))
    assert chases.journal_chase_days(JsonlStore(path), "tasks") == {}
    assert chases.journal_chase_days(JsonlStore(tmp_path / "missing.jsonl"), "tasks") == {}


# --- settings from units.yaml -------------------------------------------------------


def units_file(tmp_path, text: str) -> Path:
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_routes_of_a_unit_its_own_else_the_default(tmp_path):
    path = units_file(tmp_path, """\
remind:
  title: 催办通知
  default:
    wecom: {webhook: "https://qyapi.example.org/cgi-bin/webhook/send?key=${KEY}"}
  leader:
    email: [boss@example.org]
units:
  - name: 甲局
    remind:
      email: [jia@example.org]
      dingtalk: {webhook: "https://oapi.example.org/robot/send?access_token=t"}
      leader:
        email: [jia-boss@example.org]
  - {name: 乙局}
""")
    settings = reminding.read_remind_settings(path)
    assert settings.title == "催办通知"
    kind, routes = settings.routes_of("甲局")
    assert kind == "unit"
    # Routes are tried in channel order, whatever order they were written in.
    assert [(r.channel, r.where) for r in routes] == [("dingtalk", f"{path}:11 甲局 的 remind"),
                                                      ("email", f"{path}:10 甲局 的 remind")]
    assert [r.config for r in settings.leader_of("甲局")] == [["jia-boss@example.org"]]
    kind, routes = settings.routes_of("乙局")
    assert (kind, [r.channel for r in routes]) == ("default", ["wecom"])
    assert [r.config for r in settings.leader_of("乙局")] == [["boss@example.org"]]
    # Secrets are resolved only when a route is used, and never kept in the settings.
    assert "${KEY}" in repr(settings.default[0].config)
    route = reminding.resolve_route(settings.default[0], settings, SecretStore({"KEY": "k-123"}))
    assert "k-123" not in repr(route)


@pytest.mark.parametrize("text, message, line", [
    ("remind: [a]\nunits: []\n", "remind: 应该是键值映射（title、mail、default、leader），不是列表", 1),
    ("remind:\n  title: ''\nunits: []\n", "remind.title 应该是一段文字（消息的标题，如 督办提醒）", 2),
    ("units:\n  - name: 甲局\n    remind: {sms: [1]}\n",
     "甲局 的 remind 里有不认识的键 sms；可用的键：dingtalk、wecom、email、leader", 3),
    ("units:\n  - name: 甲局\n    remind:\n      leader: {leader: {}}\n",
     "甲局 的 remind.leader 里有不认识的键 leader；可用的键：dingtalk、wecom、email", 4),
])
def test_bad_settings_name_the_file_and_line(tmp_path, text, message, line):
    path = units_file(tmp_path, text)
    with pytest.raises(PlanError) as caught:
        reminding.read_remind_settings(path)
    assert str(caught.value) == f"{path}:{line}: {message}"


# --- what a unit is told ------------------------------------------------------------


def test_overdue_items_come_oldest_first_then_what_falls_due(tmp_path):
    from support.plans import make_plan

    from fupin_cli.domain.holidays import HolidayCalendar
    from fupin_cli.domain.schedule import Timetable
    from fupin_cli.journal.ledger import fold
    from fupin_cli.reports.notice import unit_notices

    plan = make_plan("""
      - {id: "1", text: 后到期的逾期, units: [甲局], deadline: 2018年7月10日前}
      - {id: "2", text: 即将到期, units: [甲局], deadline: 2018年7月20日前}
      - {id: "3", text: 最早到期的逾期, units: [甲局], deadline: 2018年5月31日前}
      - {id: "4", text: 乙的事, units: [乙局], deadline: 2018年7月25日前}
    """)
    timetable = Timetable(plan, HolidayCalendar("next_workday"))
    standing = fold([], []).as_of(date(2018, 7, 16))
    found = unit_notices(timetable, standing)
    days = {(plan.key, "3", "2018-05-31", "甲局"): {date(2018, 7, 9), date(2018, 7, 16)}}
    jia, yi = reminding.unit_reminders(found, days, title="督办提醒", plan_title=plan.title, several_plans=False,
                                       escalate_after=1)
    assert [(i.task, i.kind, i.days, i.chased) for i in jia.notice.items] == [
        ("3", "overdue", 46, 1), ("1", "overdue", 6, 0), ("2", "due_soon", 4, 0)]
    assert jia.keys[0] == (plan.key, "3", "2018-05-31", "甲局")
    assert jia.escalated == (0,)
    assert [i.task for i in jia.leader_notice().items] == ["3"]
    assert jia.leader_notice().title == "督办提醒（多次催办未办结，报领导）"
    assert [(i.task, i.kind, i.days) for i in yi.notice.items] == [("4", "due_soon", 9)]
    assert yi.escalated == ()


def test_remind_records_one_per_plan_of_the_items():
    from fupin_cli.channels import Notice, Route

    message = reminding.Planned("甲局", "unit", Route("dingtalk", None), Notice("甲局", "t", "", (), date(2018, 7, 16)),
                                (("tasks", "1", "2018-07", "甲局"), ("2019", "1", "2019-Q1", "甲局"),
                                 ("tasks", "4", "2018-06-30", "甲局")))
    lines = reminding.remind_records(message, day=date(2018, 7, 16), now_utc=NOW, tz=SHANGHAI)
    assert [(l["plan"], l["items"]) for l in lines] == [
        ("tasks", [{"task": "1", "period": "2018-07"}, {"task": "4", "period": "2018-06-30"}]),
        ("2019", [{"task": "1", "period": "2019-Q1"}])]
    assert {l["date"] for l in lines} == {"2018-07-16"} and {l["channel"] for l in lines} == {"dingtalk"}


# --- calendar alarms ----------------------------------------------------------------


def test_calendar_ics_alarms_parse_back(fupin):
    result = fupin("calendar", "--as-of", "2018-07-15", "--month", "2018-07", "--unit", "市民政局",
                   "--format", "ics", "--alarm", "1d,3d")
    assert result.code == 0, result.err
    events = Calendar.from_ical(result.out).walk("VEVENT")
    assert [e.decoded("DTSTART") for e in events] == [date(2018, 7, 2)] * 5 + [date(2018, 7, 31)] * 4
    for event in events:
        alarms = event.walk("VALARM")
        assert [a.decoded("TRIGGER") for a in alarms] == [timedelta(days=-3, hours=9), timedelta(days=-1, hours=9)]
        assert [str(a["ACTION"]) for a in alarms] == ["DISPLAY", "DISPLAY"]
        summary = str(event["SUMMARY"])
        assert [str(a["DESCRIPTION"]) for a in alarms] == [f"3 天后到期：{summary}", f"1 天后到期：{summary}"]
    # 09:00 three days before the first due day (2018-07-02).
    first = events[0]
    assert first.decoded("DTSTART") + first.walk("VALARM")[0].decoded("TRIGGER") == date(2018, 6, 29) + timedelta(hours=9)
    assert "TRIGGER:-P2DT15H\r\n" in result.out and "TRIGGER:-PT15H\r\n" in result.out
    # Without --alarm nothing changes.
    plain = fupin("calendar", "--as-of", "2018-07-15", "--month", "2018-07", "--unit", "市民政局", "--format", "ics")
    assert "VALARM" not in plain.out
    same_day = fupin("calendar", "--as-of", "2018-07-15", "--month", "2018-07", "--format", "ics", "--alarm", "0天")
    assert Calendar.from_ical(same_day.out).walk("VALARM")[0].decoded("TRIGGER") == timedelta(hours=9)


@pytest.mark.parametrize("args, message", [
    (("--format", "ics", "--alarm", "3h"), "错误：--alarm 的值 “3h” 无效：写作 3d,1d（到期前几天提醒，0 到 60，0d 为到期当天；"
                                          "每次在当天 9 时提醒）\n"),
    (("--format", "ics", "--alarm", "61d"), "错误：--alarm 的值 “61d” 无效：写作 3d,1d（到期前几天提醒，0 到 60，0d 为到期当天；"
                                           "每次在当天 9 时提醒）\n"),
    (("--format", "ics", "--alarm", ","), "错误：--alarm 不能为空；写作 3d,1d\n"),
    (("--alarm", "3d"), "错误：--alarm 需与 --format ics 同用（提醒由日历软件发出）\n"),
])
def test_bad_alarms_are_refused(fupin, args, message):
    result = fupin("calendar", "--as-of", "2018-07-15", *args)
    assert (result.code, result.out, result.err) == (2, "", message)


def test_the_journal_index_knows_a_reminder_counts_for_nothing(fupin, tmp_path, monkeypatch):
    """Reminders beside completions: the same reports with and without the index, built by appends and by
    a fold of every line (the reminder among them)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("FUPIN_CACHE", str(cache))
    journal = tmp_path / "journal.jsonl"
    assert fupin("done", "5.1", "--unit", "金平区", "--period", "2018-06", "--as-of", "2018-07-15").code == 0
    append(journal, record(unit="市民政局", items=[("5.1", "2018-06")], day=date(2018, 7, 15)))
    assert fupin("done", "5.1", "--unit", "龙湖区", "--period", "2018-06", "--as-of", "2018-07-15").code == 0

    def overdue():
        return fupin("overdue", "--format", "json", "--as-of", "2018-07-16").json()

    monkeypatch.setenv("FUPIN_NO_CACHE", "1")
    plain = overdue()
    monkeypatch.delenv("FUPIN_NO_CACHE")
    assert overdue() == plain  # builds the index
    for state in cache.glob("journal-*"):
        state.unlink()
    assert overdue() == plain  # folded again from every line
    assert not any(("5.1", unit, "2018-06") == (r["task"], r["unit"], r["period"]) for r in plain
                   for unit in ("金平区", "龙湖区"))
