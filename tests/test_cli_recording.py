"""Recording through the CLI: completion dates and their window, periods as clerks write them,
undo by a part of an id or --last, --unit given several times, list --notes, init, check's hints."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone

import pytest

from support.plans import done, plan_folder, void, write_journal

TASKS = """
  - {id: "1", text: 报送月报, units: [甲局, 各区], deadline: 每月5日前}
  - {id: "2", text: 上报年度方案, units: [乙局], deadline: 2018年3月31日前, note: 早于清单印发日的时限，照录。}
  - {id: "3", text: 季度抽查, units: [甲局], deadline: 每季度末}
"""


def entries(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def plan(tmp_path, monkeypatch):
    folder = plan_folder(tmp_path / "plan", TASKS, valid_from="2018-04-25")
    monkeypatch.setenv("FUPIN_DATA", str(folder))
    monkeypatch.setenv("FUPIN_TODAY", "2018-07-15")
    return folder


# ---------------------------------------------------------------- the completion date's window

def test_a_completion_before_its_period_began_is_refused_and_forced_is_marked(fupin, plan, journal_path):
    refused = fupin("done", "1", "--unit", "甲局", "--period", "2018-07", "--date", "2018-06-20")
    assert refused.code == 2
    assert refused.err == ("错误：--date 完成日期 2018-06-20 早于期间 2018-07 可开始完成的日期 2018-07-01；"
                           "期间 2018-07 的完成日期应在 2018-07-01 至 2020-01-01 之间；"
                           "如确实如此，加 --force 照记（记录中会注明）\n")
    assert not journal_path.exists() or journal_path.read_text(encoding="utf-8") == ""
    forced = fupin("done", "1", "--unit", "甲局", "--period", "2018-07", "--date", "2018-06-20", "--force")
    assert forced.code == 0, forced.err
    assert "（--force：日期超出可完成范围，已注明）" in forced.out
    [entry] = entries(journal_path)
    assert (entry["period"], entry["date"], entry["forced"]) == ("2018-07", "2018-06-20", "date_before_period")
    # A forced completion counts like any other.
    due = fupin("due", "--unit", "甲局", "--format", "json").json()
    assert "2018-07" not in {row["period"] for row in due if row["task"] == "1"}


def test_a_one_off_may_be_done_before_the_plan_began_in_its_year(fupin, plan, journal_path):
    early = fupin("done", "2", "--unit", "乙局", "--date", "2018-03-20", "--format", "json")
    assert early.code == 0, early.err
    assert early.json()["period"] == "2018-03-31" and "forced" not in early.json()
    write_journal(journal_path, [])
    too_early = fupin("done", "2", "--unit", "乙局", "--period", "2018-03-31", "--date", "2017-12-31")
    assert too_early.code == 2
    assert "早于期间 2018-03-31 可开始完成的日期 2018-01-01" in too_early.err


def test_a_completion_long_after_the_plan_is_refused(fupin, plan, journal_path, monkeypatch):
    from fupin_cli.app import context

    monkeypatch.delenv("FUPIN_TODAY")
    monkeypatch.setattr(context.RunContext, "now", staticmethod(lambda: datetime(2026, 3, 2, 4, tzinfo=timezone.utc)))
    late = fupin("done", "3", "--unit", "甲局", "--period", "2018-Q4")
    assert late.code == 2
    # A year after the due date (31 December, a day off, moved to 2 January 2019).
    assert "完成日期 2026-03-02 晚于清单有效期之后一年（2020-01-03）" in late.err
    forced = fupin("done", "3", "--unit", "甲局", "--period", "2018-Q4", "--force", "--format", "json")
    assert forced.code == 0 and forced.json()["forced"] == "date_outside_plan"


def test_future_completions_stay_refused_even_with_force(fupin, plan):
    result = fupin("done", "1", "--unit", "甲局", "--date", "明天", "--force")
    assert result.code == 2 and "--date 2018-07-16 晚于今天（2018-07-15），不能预先销号" in result.err


# ---------------------------------------------------------------- periods and dates as clerks write them

@pytest.mark.parametrize("typed", ["2018-6", "2018年6月", "2018/6", "201806", "上月", "6月"])
def test_periods_as_clerks_write_them(fupin, plan, journal_path, typed):
    result = fupin("done", "1", "--unit", "东区", "--period", typed, "--date", "7月3日")
    assert result.code == 0, result.err
    [entry] = entries(journal_path)
    assert (entry["period"], entry["date"]) == ("2018-06", "2018-07-03")


def test_a_shared_period_by_its_label_or_an_older_rule_number(fupin, tmp_path, monkeypatch, journal_path):
    folder = plan_folder(tmp_path / "two", '- {id: "1", text: 录入并审核, units: [甲局], deadline: 每月25日前；每月28日前}',
                         valid_from="2018-07-01")
    monkeypatch.setenv("FUPIN_TODAY", "2018-07-30")
    by_label = fupin("done", "1", "--unit", "甲局", "--period", "2018年7月#D25", "--data", str(folder))
    assert by_label.code == 0, by_label.err
    by_number = fupin("done", "1", "--unit", "甲局", "--period", "2018-07#2", "--data", str(folder))  # older journals
    assert by_number.code == 0, by_number.err
    assert [e["period"] for e in entries(journal_path)] == ["2018-07#d25", "2018-07#d28"]


def test_a_period_of_another_kind_names_the_one_that_holds_it(fupin, plan):
    result = fupin("done", "1", "--unit", "甲局", "--period", "2018年第三季度")
    assert result.code == 2
    # April's report was due on 5 April, before the plan took effect: it is no period of the plan.
    assert result.err == ("错误：--period “2018-Q3” 不是任务 1 的期间，可选：2018-05、2018-06、2018-07、"
                          "2018-08、2018-09、2018-10、2018-11、2018-12；是否是指 2018-07？\n")


def test_without_period_the_completion_date_chooses(fupin, plan, journal_path):
    may = fupin("done", "1", "--unit", "甲局", "--date", "2018-05-03", "--format", "json").json()
    assert may["period"] == "2018-05"  # begun on 1 May; June had not begun on 3 May
    again = fupin("done", "1", "--unit", "甲局", "--date", "上周五", "--format", "json").json()
    assert (again["period"], again["date"]) == ("2018-06", "2018-07-06")
    none_begun = fupin("done", "1", "--unit", "甲局", "--date", "2018-04-30")
    assert none_begun.code == 2 and "任务 1 甲局 没有已开始且未完成的期间" in none_begun.err


# ---------------------------------------------------------------- undo

@pytest.fixture
def recorded(plan, journal_path):
    records = [done("1", "甲局", "2018-05", "2018-05-03", id="20180503T010000.000000Z-c9fa35", by="张三"),
               done("1", "东区", "2018-05", "2018-05-04", id="20180504T010000.000000Z-77ab01", by="李四"),
               done("1", "西区", "2018-05", "2018-05-04", id="20180504T020000.000000Z-77ab02", by="张三")]
    write_journal(journal_path, records)
    return [r["id"] for r in records]


def test_undo_by_the_tail_or_head_of_an_id(fupin, recorded, journal_path):
    tail = fupin("undo", "c9fa35", "-r", "录错单位")
    assert tail.code == 0, tail.err
    assert tail.out.startswith(f"已作废记录 {recorded[0]}（任务 1，甲局，期间 2018-05，完成日期 2018-05-03）。")
    head = fupin("undo", "20180504T01", "--reason", "重复")
    assert head.code == 0, head.err
    voids = [e for e in entries(journal_path) if e["op"] == "void"]
    assert [(v["target"], v["note"]) for v in voids] == [(recorded[0], "录错单位"), (recorded[1], "重复")]


def test_undo_refuses_a_part_shared_by_several_ids(fupin, recorded, journal_path):
    before = journal_path.read_bytes()
    result = fupin("undo", "20180504T0", "-r", "x")
    assert result.code == 2
    assert result.err == f"错误：“20180504T0” 可指 2 条记录：{recorded[1]}、{recorded[2]}；请多写几位\n"
    assert "“2018050” 可指 3 条记录" in fupin("undo", "2018050", "-r", "x").err
    assert journal_path.read_bytes() == before


def test_undo_last_by_person_or_unit(fupin, recorded, journal_path):
    mine = fupin("undo", "--last", "--by", "张三", "-r", "录错")
    assert mine.code == 0, mine.err
    assert recorded[2] in mine.out  # 张三's newest: 西区's
    districts = fupin("undo", "--last", "--unit", "各区", "-r", "录错")
    assert districts.code == 0 and recorded[1] in districts.out  # 西区's is voided: 东区's is the newest live one
    nobody = fupin("undo", "--last", "--by", "王五", "-r", "录错")
    assert nobody.code == 2 and "台账中没有经办人 王五的有效销号记录" in nobody.err


@pytest.mark.parametrize("args, message", [
    (("undo", "c9fa35"), "缺少选项 --reason/-r"),
    (("undo", "c9fa35", "-r", "  "), "请用 --reason（-r）写明作废原因"),
    (("undo", "-r", "x"), "请给出要作废的记录号（或其开头、结尾几位），或用 --last"),
    (("undo", "--last", "-r", "x"), "--last 要与 --by 或 --unit 同用"),
    (("undo", "c9fa35", "--last", "--by", "张三", "-r", "x"), "--last 与记录号只能给一个"),
    (("undo", "c9fa35", "--unit", "甲局", "-r", "x"), "--unit 只与 --last 同用"),
    (("undo", "nosuch", "-r", "x"), "台账中没有记录号 “nosuch”"),
])
def test_undo_refusals(fupin, recorded, journal_path, args, message):
    before = journal_path.read_bytes()
    result = fupin(*args)
    assert result.code == 2 and message in result.err, result.err
    assert journal_path.read_bytes() == before


def test_undo_of_a_voided_entry_says_when(fupin, recorded, journal_path):
    with journal_path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(void(recorded[0], id="20180601T000000.000000Z-dead01"), ensure_ascii=False) + "\n")
    again = fupin("undo", "c9fa35", "-r", "x")
    assert again.code == 2 and f"记录 {recorded[0]} 已于" in again.err


# ---------------------------------------------------------------- several units

def test_reports_take_several_units(fupin, plan, journal_path):
    rows = fupin("due", "--unit", "甲局", "--unit", "东区", "--within", "30", "--format", "json").json()
    assert sorted({(r["unit"], r["task"]) for r in rows}) == [("东区", "1"), ("甲局", "1"), ("甲局", "3")]
    table = fupin("overdue", "--unit", "甲局", "--unit", "东区").out
    assert table.startswith("测试清单：逾期未完成事项（甲局、东区）")
    week = fupin("report", "weekly", "--unit", "甲", "--unit", "各区", "--format", "json").json()
    assert sorted(s["unit"] for s in week["summary"]) == ["东区", "甲局", "西区"]
    calendar = fupin("calendar", "--month", "7月", "--unit", "甲局", "--unit", "西区", "--format", "json").json()
    assert [(r["due"], r["task"], r["unit"]) for r in calendar] == [  # Q2 ends on a Saturday: due Monday 2 July
        ("2018-07-02", "3", "甲局"), ("2018-07-05", "1", "甲局"), ("2018-07-05", "1", "西区")]
    write_journal(journal_path, [done("1", "甲局", "2018-05", "2018-05-03"), done("1", "东区", "2018-05", "2018-05-04"),
                                 done("1", "西区", "2018-05", "2018-05-05")])
    journal = fupin("journal", "--unit", "甲局", "--unit", "西区", "--format", "json").json()
    assert [r["unit"] for r in journal] == ["甲局", "西区"]


def test_period_reports_read_months_and_quarters_as_clerks_write_them(fupin, plan):
    for typed in ("上月", "6月", "2018年6月", "2018-6"):
        report = fupin("report", "monthly", "--month", typed, "--format", "json").json()
        assert (report["start"], report["end"]) == ("2018-06-01", "2018-06-30"), typed
    for typed in ("上季度", "二季度", "2018年第二季度", "2018Q2"):
        report = fupin("report", "quarterly", "--quarter", typed, "--format", "json").json()
        assert (report["start"], report["end"]) == ("2018-04-01", "2018-06-30"), typed
    wrong = fupin("report", "quarterly", "--quarter", "2018-07")
    assert wrong.code == 2 and "--quarter 的值 “2018-07” 不是一个季度" in wrong.err
    several = fupin("report", "monthly", "--month", "上月", "--unit", "甲局", "--unit", "东区", "--format", "json").json()
    assert sorted(s["unit"] for s in several["summary"]) == ["东区", "甲局"]


# ---------------------------------------------------------------- list --notes, init, check

def test_list_notes(fupin, plan):
    plain = fupin("list", "--format", "text").out
    assert "备注" not in plain
    with_notes = fupin("list", "--notes", "--format", "text").out
    assert "备注" in with_notes and "早于清单印发日的时限，照录。" in with_notes
    csv_text = fupin("list", "--notes", "--format", "csv").out
    assert csv_text.splitlines()[0] == "\ufeff工作板块,编号,序号,工作任务,责任单位,完成时限,备注"


def test_show_a_task_with_its_note(fupin, plan):
    record = fupin("show", "1", "--format", "json").json()
    assert record == {"id": "1", "seq": "", "category": "", "text": "报送月报", "units": ["甲局", "各区"],
                      "deadline": "每月5日前", "note": "", "explicit_schedule": False,
                      "plan": "tasks", "responsible": ["甲局", "东区", "西区"], "rules": ["每月，当月5日前（需完成1次）"],
                      "obligations": record["obligations"], "timeline": []}  # the ledger's, tested in test_cli_ledger
    text = fupin("show", "2", "--format", "text").out
    assert "备注" in text and "早于清单印发日的时限，照录。" in text and "一次性，2018-03-31前" in text
    unknown = fupin("show", "9")
    assert unknown.code == 2 and "未知的任务编号 “9”" in unknown.err


def test_init_writes_ignores_and_an_empty_journal_and_adds_them_to_git(fupin, tmp_path):
    folder = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    result = fupin("init", str(folder))
    assert result.code == 0, result.err
    assert "写入 tasks.yaml、units.yaml、.gitattributes、.gitignore、journal.jsonl，并已 git add。" in result.out
    assert (folder / "journal.jsonl").read_bytes() == b""
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[1:] == [
        "*.lock", ".fupin-cache/", "__pycache__/"]
    staged = subprocess.run(["git", "-C", str(folder), "diff", "--cached", "--name-only"], capture_output=True,
                            text=True, check=True).stdout.split()
    assert sorted(staged) == [".gitattributes", ".gitignore", "journal.jsonl", "tasks.yaml", "units.yaml"]
    # The journal is never overwritten, not even with --force.
    (folder / "journal.jsonl").write_text('{"id":"x","op":"done"}\n', encoding="utf-8")
    assert fupin("init", str(folder), "--force").code == 0
    assert (folder / "journal.jsonl").read_text(encoding="utf-8") == '{"id":"x","op":"done"}\n'


def test_init_outside_git_says_nothing_of_git(fupin, tmp_path):
    result = fupin("init", str(tmp_path / "plain"))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (f"已在 {tmp_path / 'plain'} 写入 tasks.yaml、units.yaml、.gitattributes、"
                                          ".gitignore、journal.jsonl。")


def test_check_names_each_unit_once_without_doubled_punctuation(fupin, tmp_path):
    units = """\
units:
  - {name: 市民政局, kind: 市直单位, aliases: [民政局, 市民政, 民政]}
  - {name: 市残联, kind: 市直单位}
"""
    folder = plan_folder(tmp_path / "typo", '- {id: "1", text: 报送, units: [市民正局], deadline: 每月5日前}',
                         units=units)
    result = fupin("check", "--data", str(folder))
    assert result.code == 1
    assert (f"{folder / 'tasks.yaml'}:" in result.out and
            "未知的责任单位 “市民正局”，请先在 units.yaml 中登记；是否是指 市民政局？" in result.out)
    assert "？；" not in result.out and result.out.count("市民政局") == 1
