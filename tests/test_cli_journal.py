"""Recording completions through the CLI: done, undo, journal, check."""

from __future__ import annotations

import json

import pytest

AS_OF = ("--as-of", "2018-07-15")


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_done_records_one_line_and_prints_the_id(fupin, journal_path):
    result = fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--date", "2018-07-03",
                   "--by", "张三", "--note", "六月评残", *AS_OF)
    assert result.code == 0, result.err
    [entry] = lines(journal_path)
    assert entry["op"] == "done" and entry["task"] == "8.2" and entry["unit"] == "市残联"
    assert entry["period"] == "2018-06" and entry["date"] == "2018-07-03"
    assert entry["by"] == "张三" and entry["note"] == "六月评残"
    assert entry["recorded_at"].endswith("+08:00")
    assert entry["id"] in result.out and "期间 2018-06" in result.out


def test_done_json_is_the_entry_as_written(fupin, journal_path):
    result = fupin("done", "8.2", "--unit", "残联", "--period", "2018-06", "--format", "json", *AS_OF)
    assert result.code == 0, result.err
    assert result.json() == lines(journal_path)[0]
    assert result.json()["date"] == "2018-07-15"  # --date defaults to today (--as-of)


def test_done_without_period_takes_the_earliest_open_one(fupin):
    first = fupin("done", "8.2", "--unit", "市残联", *AS_OF)
    assert first.code == 0 and "期间 2018-04" in first.out
    second = fupin("done", "8.2", "--unit", "市残联", *AS_OF)
    assert "期间 2018-05" in second.out


@pytest.mark.parametrize("args, message", [
    (("done", "99.9", "--unit", "市残联"), "未知的任务编号 “99.9”"),
    (("done", "8.3", "--unit", "市残联"), "是否是指 8.2、8.1、R.3？"),
    (("done", "8.2", "--unit", "市民政局"), "市民政局 不是任务 8.2 的责任单位；责任单位是：市残联、各区（县）"),
    (("done", "5.1", "--unit", "各区（县）"), "是单位组，请写明是哪个成员完成的：金平区、龙湖区"),
    (("done", "8.2", "--unit", "市残联", "--period", "2018-Q3"), "不是任务 8.2 的期间"),
    (("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--date", "2018-06-31"), "不是有效日期"),
    (("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--date", "2018-07-16"), "晚于今天"),
    (("done", "16.1", "--unit", "市委组织部"), "长期性任务，没有固定期限；请用 --period"),
    (("done", "8.2"), "--unit"),
    (("done", "8.2", "--unit", "市残联", "--unit", "金平区"), "--unit 只能给一次"),
])
def test_refusals_leave_the_journal_byte_for_byte(fupin, journal_path, args, message):
    assert fupin("done", "5.1", "--unit", "金平区", "--period", "2018-05", *AS_OF).code == 0
    before = journal_path.read_bytes()
    result = fupin(*args, *AS_OF)
    assert result.code == 2, result.out
    assert message in result.err
    assert "Traceback" not in result.err
    assert journal_path.read_bytes() == before


def test_a_complete_period_is_refused(fupin, journal_path):
    assert fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", *AS_OF).code == 0
    before = journal_path.read_bytes()
    again = fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", *AS_OF)
    assert again.code == 2 and "已完成" in again.err
    assert journal_path.read_bytes() == before


def test_done_undo_done(fupin, journal_path):
    entry = fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--format", "json", *AS_OF).json()
    undone = fupin("undo", entry["id"], "--reason", "录错期间")
    assert undone.code == 0, undone.err
    void = lines(journal_path)[1]
    assert void["op"] == "void" and void["target"] == entry["id"] and void["note"] == "录错期间"
    again = fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", *AS_OF)
    assert again.code == 0, again.err
    assert len(lines(journal_path)) == 3
    twice = fupin("undo", entry["id"], "-r", "录错")
    assert twice.code == 2 and "已于" in twice.err
    void_of_void = fupin("undo", void["id"], "-r", "录错")
    assert void_of_void.code == 2 and "本身是作废记录" in void_of_void.err
    missing = fupin("undo", "no-such-id", "-r", "录错")
    assert missing.code == 2 and "没有记录号" in missing.err
    assert len(lines(journal_path)) == 3


def test_quota_of_two_per_year(fupin):
    # R.2: 每年至少两次带队走访 → two completions per year.
    first = fupin("done", "R.2", "--unit", "金平区", "--period", "2018", "--date", "2018-05-01", *AS_OF)
    assert first.code == 0, first.err and "1/2" in first.out
    second = fupin("done", "R.2", "--unit", "金平区", "--period", "2018", "--date", "2018-07-01", *AS_OF)
    assert "2/2" in second.out
    third = fupin("done", "R.2", "--unit", "金平区", "--period", "2018", *AS_OF)
    assert third.code == 2 and "已完成" in third.err


def test_group_members_are_independent(fupin):
    assert fupin("done", "5.1", "--unit", "金平区", "--period", "2018-06", *AS_OF).code == 0
    assert fupin("done", "5.1", "--unit", "龙湖区", "--period", "2018-06", *AS_OF).code == 0
    refused = fupin("done", "5.1", "--unit", "金平区", "--period", "2018-06", *AS_OF)
    assert refused.code == 2


def test_journal_lists_entries_with_voids_marked(fupin):
    kept = fupin("done", "8.2", "--unit", "市残联", "--period", "2018-05", "--format", "json", *AS_OF).json()
    voided = fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--format", "json", *AS_OF).json()
    fupin("undo", voided["id"], "-r", "录错")
    fupin("done", "5.1", "--unit", "金平区", "--period", "2018-06", *AS_OF)
    records = fupin("journal", "--unit", "市残联", "--format", "json").json()
    assert [(r["op"], r["period"], r["voided_by"] is not None) for r in records] == [
        ("done", "2018-05", False), ("done", "2018-06", True), ("void", "2018-06", False)]
    assert records[0]["id"] == kept["id"]
    table = fupin("journal", "--task", "8.2").out
    assert "已作废" in table and "有效" in table
    since = fupin("journal", "--since", "2018-07-15", "--format", "json").json()
    assert len(since) == 4
    csv_text = fupin("journal", "--format", "csv").out
    assert csv_text.startswith("\ufeff记录号,类型,完成日期")


def test_check_reports_journal_problems(fupin, journal_path):
    assert fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", *AS_OF).code == 0
    with journal_path.open("a", encoding="utf-8") as handle:
        handle.write("this is not json\n")
        handle.write(json.dumps({"id": "x1", "op": "done", "task": "99.1", "unit": "市残联", "period": "2018-06",
                                 "date": "2018-07-01", "recorded_at": "", "by": "", "note": ""},
                                ensure_ascii=False) + "\n")
        handle.write(json.dumps({"id": "x2", "op": "done", "task": "8.2", "unit": "市残联", "period": "2018-13",
                                 "date": "2018-07-01", "recorded_at": "", "by": "", "note": ""},
                                ensure_ascii=False) + "\n")
        handle.write(json.dumps({"id": "x3", "op": "void", "target": "nowhere", "recorded_at": "", "by": "",
                                 "note": ""}) + "\n")
    result = fupin("check")
    assert result.code == 1
    out = result.out
    assert f"{journal_path}:2:" in out
    assert "任务 “99.1” 不在清单中" in out and f"{journal_path}:3:" in out
    assert "期间 “2018-13” 不是任务 8.2 的期间" in out
    assert f"{journal_path}:5:" in out
    # Reports still work, with the bad line skipped and a warning on stderr.
    due = fupin("due", "--unit", "市残联", "--format", "json", *AS_OF)
    assert due.code == 0 and "第 2 行" in due.err


def test_torn_last_line_is_a_warning_and_the_next_write_is_whole(fupin, journal_path):
    assert fupin("done", "8.2", "--unit", "市残联", "--period", "2018-05", *AS_OF).code == 0
    with journal_path.open("ab") as handle:
        handle.write(b'{"id":"torn","op":"done","task":"8.2"')
    assert fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", *AS_OF).code == 0
    text = journal_path.read_text(encoding="utf-8").splitlines()
    assert len(text) == 3 and json.loads(text[2])["period"] == "2018-06"
    records = fupin("journal", "--format", "json")
    assert [r["period"] for r in records.json()] == ["2018-05", "2018-06"]
    assert "第 2 行" in records.err


def test_journal_beside_the_data_folder(fupin, plan_dir, monkeypatch):
    monkeypatch.delenv("FUPIN_JOURNAL")
    assert fupin("done", "8.2", "--unit", "市残联", "--data", str(plan_dir), *AS_OF).code == 0
    assert (plan_dir / "journal.jsonl").exists()
    assert str(plan_dir / "journal.jsonl") in fupin("info", "--data", str(plan_dir)).out
