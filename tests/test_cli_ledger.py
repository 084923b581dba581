"""The whole 台账 on the command line: progress, extend, waive, done --evidence, undo of any of them, show's
timeline, the reports that read them, and every refusal leaving the journal byte for byte as it was.

The plan (as of Sunday 2018-07-15 unless said): task 1 is monthly (每月5日前: July due 07-05), task 2 a one-off
due 2018-09-30 reporting progress monthly, task 3 ongoing (长期性) reporting weekly by the header's
``progress_every: week``, task 4 a one-off due 2018-08-31 without a reporting cycle.
"""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from support.plans import HEADER, plan_folder

TASKS = """
- {id: "1", text: 报送月报, units: [甲局, 各区], deadline: 每月5日前}
- {id: "2", text: 完成普查, units: [甲局], deadline: 2018年9月30日前, progress_every: month}
- {id: "3", text: 长期坚持, units: [甲局], deadline: 长期性}
- {id: "4", text: 完成验收, units: [甲局, 各区], deadline: 2018年8月31日前}
"""
WEEKLY = HEADER.format(valid_from="2018-01-01", valid_to="2018-12-31", holiday_shift="next_workday",
                       warn_days=14) + "  progress_every: week\n"
AS_OF = ("--as-of", "2018-07-15")


@pytest.fixture
def data(tmp_path, monkeypatch):
    folder = plan_folder(tmp_path / "data", TASKS, header=WEEKLY)
    monkeypatch.setenv("FUPIN_DATA", str(folder))
    # A clock that ticks a minute per entry written, so recorded_at and the order of ids are known.
    from fupin_cli.app import context

    ticks = itertools.count()
    start = datetime(2018, 7, 15, 1, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(context.RunContext, "now", staticmethod(lambda: start + timedelta(minutes=next(ticks))))
    return folder


@pytest.fixture
def journal(tmp_path) -> Path:
    return tmp_path / "journal.jsonl"


def lines(journal: Path) -> list[dict]:
    return [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]


def rows(result) -> list[tuple]:
    assert result.code in (0, 1), result.err
    return [(r["task"], r["unit"], r["period"], r["due"], r["status"]) for r in result.json()]


def ok(result):
    assert result.code == 0, result.err
    return result


# ---------------------------------------------------------------- progress

def test_progress_is_one_line_with_the_documented_keys(fupin, data, journal):
    record = ok(fupin("progress", "1", "--unit", "甲局", "--period", "2018-07", "--date", "7月10日", "--done", "已报送初稿",
                      "--problem", "数据未齐", "--next", "月底前定稿", "--percent", "50", "--by", "张三",
                      "--format", "json", *AS_OF)).json()
    assert list(record) == ["id", "op", "plan", "task", "unit", "period", "date", "done", "problem", "next", "percent",
                            "recorded_at", "by", "note"]
    assert {k: v for k, v in record.items() if k != "id"} == {
        "op": "progress", "plan": "tasks", "task": "1", "unit": "甲局", "period": "2018-07", "date": "2018-07-10",
        "done": "已报送初稿", "problem": "数据未齐", "next": "月底前定稿", "percent": 50,
        "recorded_at": "2018-07-15T09:00:00+08:00", "by": "张三", "note": ""}
    assert lines(journal) == [record]


def test_progress_without_a_period(fupin, data, journal):
    """An ongoing task: the period holding the day; another: the unit's earliest open period begun by then."""
    ok(fupin("progress", "3", "--unit", "甲局", "--date", "2018-07-10", "--done", "坚持", *AS_OF))
    ok(fupin("progress", "1", "--unit", "东区", "--done", "补报", *AS_OF))
    ok(fupin("progress", "2", "--unit", "甲局", "--done", "已开展", *AS_OF))  # a one-off: begun with the plan
    assert [(e["task"], e["unit"], e["period"], e["date"]) for e in lines(journal)] == [
        ("3", "甲局", "2018-07", "2018-07-10"), ("1", "东区", "2018-01", "2018-07-15"),
        ("2", "甲局", "2018-09-30", "2018-07-15")]
    said = fupin("progress", "1", "--unit", "东区", "--done", "再报", *AS_OF)
    assert said.out == ("已记进展：任务 1，东区，期间 2018-01，2018-07-15。\n"
                        f"记录号：{lines(journal)[-1]['id']}\n")


def test_progress_on_a_done_obligation_is_allowed(fupin, data, journal):
    ok(fupin("done", "1", "--unit", "甲局", "--period", "2018-06", "--date", "2018-06-04", *AS_OF))
    ok(fupin("progress", "1", "--unit", "甲局", "--period", "2018-06", "--done", "已办结，材料归档", *AS_OF))
    assert [e["op"] for e in lines(journal)] == ["done", "progress"]


# ---------------------------------------------------------------- refusals: nothing written

SEED = ("done", "1", "--unit", "甲局", "--period", "2018-06", "--date", "2018-06-04")

REFUSALS = [
    (("progress", "1", "--unit", "甲局", "--done", "x", "--percent", "101"), "--percent"),
    (("progress", "1", "--unit", "甲局", "--done", "x", "--percent", "-1"), "--percent"),
    (("progress", "1", "--unit", "甲局", "--done", "长" * 2001), "--done 太长：2001 个字，最多 2000 个字"),
    (("progress", "1", "--unit", "甲局", "--done", "好\x1b[31m红"), "--done 含有控制字符（U+001B）"),
    (("progress", "1", "--unit", "甲局", "--done", "x", "--problem", "a\u202eb"), "--problem 含有控制字符（U+202E）"),
    (("progress", "1", "--unit", "甲局", "--done", "  "), "--done 不能为空"),
    (("progress", "1", "--unit", "甲局", "--done", "x", "--date", "2018-07-16"), "--date 2018-07-16 晚于今天"),
    (("progress", "1", "--unit", "甲局", "--done", "x", "--period", "2018-Q3"), "--period “2018-Q3” 不是任务 1 的期间"),
    (("extend", "4", "--unit", "甲局", "--period", "2018-08-31", "--until", "明年某天", "--reason", "r",
      "--approved-by", "李"), "--until"),
    (("extend", "4", "--unit", "甲局", "--period", "2018-08-31", "--until", "2018-08-31", "--reason", "r",
      "--approved-by", "李"), "--until 2018-08-31 不晚于现在的应完成日 2018-08-31"),
    (("extend", "4", "--unit", "甲局", "--period", "2018-08-31", "--until", "2018-08-01", "--reason", "r",
      "--approved-by", "李"), "--until 2018-08-01 不晚于现在的应完成日 2018-08-31"),
    (("extend", "1", "--unit", "甲局", "--period", "2018-07", "--until", "2018-07-31", "--reason", "r",
      "--approved-by", "李"), "的应完成日 2018-07-05 已过（今天 2018-07-15）；到期后才申请的延期须加 --late"),
    (("extend", "1", "--unit", "甲局", "--period", "2018-06", "--until", "2018-07-31", "--reason", "r",
      "--approved-by", "李", "--late"), "任务 1 甲局 的期间 2018-06 已完成，无需延期"),
    (("extend", "3", "--unit", "甲局", "--period", "2018-07", "--until", "2018-07-31", "--reason", "r",
      "--approved-by", "李"), "是长期性任务，没有应完成日，无需延期"),
    (("extend", "4", "--unit", "甲局", "--period", "2018-08-31", "--until", "2018-09-30", "--reason", "r",
      "--approved-by", " "), "--approved-by 不能为空"),
    (("extend", "4", "--unit", "甲局", "--period", "2018-08-31", "--until", "2018-09-30", "--reason", "r",
      "--approved-by", "李", "--approved-on", "2018-07-16"), "--approved-on 2018-07-16 晚于今天"),
    (("waive", "1", "--unit", "甲局", "--period", "2018-06", "--reason", "r", "--approved-by", "李"),
     "任务 1 甲局 的期间 2018-06 已完成（已记 1/1 次），不能免于考核"),
    (("waive", "1", "--unit", "甲局", "--period", "2018-07", "--all-periods", "--reason", "r", "--approved-by", "李"),
     "二者选一"),
    (("waive", "1", "--unit", "甲局", "--reason", "r", "--approved-by", "李"), "请用 --period 指明免于考核的期间"),
    (("waive", "1", "--unit", "各区", "--period", "2018-07", "--reason", "r", "--approved-by", "李"), "是单位组"),
    (("done", "1", "--unit", "甲局", "--period", "2018-07", "--evidence", "没有这个文件.pdf"),
     "--evidence 没有这个文件.pdf 不存在"),
]


@pytest.mark.parametrize("args, message", REFUSALS, ids=[" ".join(a[:2]) + f" {i}" for i, (a, _) in enumerate(REFUSALS)])
def test_every_refusal_is_exit_2_in_chinese_and_writes_nothing(fupin, data, journal, args, message):
    ok(fupin(*SEED, *AS_OF))
    before = journal.read_bytes()
    result = fupin(*args, *AS_OF)
    assert result.code == 2, (result.out, result.err)
    assert message in result.err and result.err.startswith("错误："), result.err
    assert "Traceback" not in result.err
    assert journal.read_bytes() == before


def test_evidence_that_is_a_folder_is_refused(fupin, data, journal, tmp_path):
    result = fupin("done", "1", "--unit", "甲局", "--period", "2018-07", "--evidence", str(tmp_path), *AS_OF)
    assert result.code == 2 and f"--evidence {tmp_path} 是文件夹" in result.err
    assert not journal.exists()


def test_waived_obligations_refuse_completion_progress_extension_and_a_second_waiver(fupin, data, journal):
    ok(fupin("waive", "4", "--unit", "东区", "--period", "2018-08-31", "--reason", "不适用", "--approved-by", "李主任",
             *AS_OF))
    before = journal.read_bytes()
    tail = lines(journal)[0]["id"][-6:]
    for args, message in [
        (("done", "4", "--unit", "东区", "--period", "2018-08-31"),
         f"任务 4 东区 的期间 2018-08-31 已免于考核（不适用）；如确已完成，先用 fupin undo {tail} 作废免于考核记录"),
        (("progress", "4", "--unit", "东区", "--period", "2018-08-31", "--done", "x"), "已免于考核（不适用），不再报送进展"),
        (("extend", "4", "--unit", "东区", "--period", "2018-08-31", "--until", "2018-09-30", "--reason", "r",
          "--approved-by", "李"), "已免于考核，无需延期"),
        (("waive", "4", "--unit", "东区", "--period", "2018-08-31", "--reason", "r", "--approved-by", "李"),
         "已免于考核（记录 "),
    ]:
        result = fupin(*args, *AS_OF)
        assert result.code == 2 and message in result.err, (args, result.err)
    assert journal.read_bytes() == before


# ---------------------------------------------------------------- extensions

def test_extensions_stack_and_voiding_restores_the_due_date_before(fupin, data, journal):
    extend = ("extend", "4", "--unit", "甲局", "--period", "2018-08-31")
    first = ok(fupin(*extend, "--until", "2018-09-28", "--reason", "等数据", "--approved-by", "李主任",
                     "--approved-on", "2018-07-12", "--format", "json", *AS_OF)).json()
    assert list(first) == ["id", "op", "plan", "task", "unit", "period", "until", "reason", "approved_by",
                           "approved_on", "due_before", "late", "recorded_at", "by", "note"]
    assert (first["until"], first["due_before"], first["approved_on"], first["late"]) == (
        "2018-09-28", "2018-08-31", "2018-07-12", False)
    refused = fupin(*extend, "--until", "2018-09-20", "--reason", "r", "--approved-by", "李", *AS_OF)
    assert refused.code == 2 and "--until 2018-09-20 不晚于现在的应完成日 2018-09-28" in refused.err
    second = ok(fupin(*extend, "--until", "2018-10-31", "--reason", "再等", "--approved-by", "李主任", *AS_OF))
    assert second.out.startswith("已记延期：任务 4，甲局，期间 2018-08-31，应完成日 2018-09-28 → 2018-10-31；第 2 次延期。\n")

    def standing(as_of: str) -> tuple:
        found = [r for r in fupin("due", "--unit", "甲局", "--within", "200", "--format", "json", "--as-of", as_of).json()
                 if r["task"] == "4"]
        return tuple((r["due"], r["original_due"], r["extensions"], r["status"], r["days"]) for r in found)

    assert standing("2018-07-15") == (("2018-10-31", "2018-08-31", 2, "extended", 108),)
    red = fupin("overdue", "--unit", "甲局", "--format", "json", "--as-of", "2018-11-05").json()
    assert [(r["due"], r["status"], r["days"]) for r in red if r["task"] == "4"] == [("2018-10-31", "overdue", -5)]
    undone = ok(fupin("undo", lines(journal)[-1]["id"], "-r", "批复有误"))
    assert "已作废延期记录" in undone.out and "应完成日恢复为 2018-09-28" in undone.out
    assert standing("2018-07-15") == (("2018-09-28", "2018-08-31", 1, "extended", 75),)
    ok(fupin("undo", first["id"], "-r", "撤回"))
    assert standing("2018-07-15") == (("2018-08-31", "2018-08-31", 0, "due_soon", 47),)  # within 200 days


def test_an_extension_after_the_due_date_needs_late_and_says_so(fupin, data, journal):
    assert ("1", "甲局", "2018-07", "2018-07-05", "overdue") in rows(
        fupin("overdue", "--unit", "甲局", "--format", "json", *AS_OF))
    record = ok(fupin("extend", "1", "--unit", "甲局", "--period", "2018-07", "--until", "2018-07-31", "--reason", "补报",
                      "--approved-by", "李主任", "--late", "--format", "json", *AS_OF)).json()
    assert (record["late"], record["due_before"], record["until"]) == (True, "2018-07-05", "2018-07-31")
    assert ("1", "甲局", "2018-07", "2018-07-31", "extended") not in rows(
        fupin("overdue", "--unit", "甲局", "--format", "json", *AS_OF))
    assert [r[:4] for r in rows(fupin("overdue", "--unit", "甲局", "--format", "json", *AS_OF)) if r[2] == "2018-07"] \
        == []
    # --late on a day before the due date is allowed and not recorded as late
    on_time = ok(fupin("extend", "4", "--unit", "甲局", "--period", "2018-08-31", "--until", "2018-09-30", "--reason",
                       "r", "--approved-by", "李", "--late", "--format", "json", *AS_OF)).json()
    assert on_time["late"] is False


# ---------------------------------------------------------------- waivers

def test_waivers_leave_the_lists_and_the_rates_and_the_report_says_so(fupin, data, journal):
    ok(fupin("waive", "1", "--unit", "东区", "--all-periods", "--reason", "终止：职能划转", "--approved-by", "李主任",
             *AS_OF))
    ok(fupin("waive", "1", "--unit", "西区", "--period", "2018-06", "--reason", "不适用", "--approved-by", "李主任",
             *AS_OF))
    assert lines(journal)[0]["period"] == "*"
    late = rows(fupin("overdue", "--format", "json", *AS_OF))
    assert [r for r in late if r[:2] == ("1", "东区")] == []
    assert [r[2] for r in late if r[:2] == ("1", "西区")] == ["2018-01", "2018-02", "2018-03", "2018-04", "2018-05",
                                                             "2018-07"]
    weekly = fupin("report", "weekly", "--format", "json", *AS_OF).json()
    assert weekly["waived"] == 8  # 东区's seven months due so far, 西区's June
    summary = {s["unit"]: (s["was_due"], s["overdue"], s["waived"]) for s in weekly["summary"]}
    assert "东区" not in summary  # nothing left to count this week
    assert summary["西区"] == (6, 6, 1) and summary["甲局"] == (7, 7, 0)
    text = fupin("report", "weekly", "--format", "text", *AS_OF).out
    assert "免于考核（不适用或已终止）的 8 项不计入应完成和完成率。" in text


# ---------------------------------------------------------------- the reporting cycle (反馈逾期)

def feedback(fupin, as_of: str, *extra: str) -> list[tuple]:
    found = fupin("overdue", "--unit", "甲局", "--include-feedback", "--format", "json", "--as-of", as_of, *extra).json()
    return [(r["task"], r["period"], r["status"], r["feedback_due"]) for r in found if r["status"] == "feedback_overdue"]


def test_the_feedback_cycle_with_explicit_dates(fupin, data, journal):
    # Nothing reported: the first report was due one cycle after the plan's first day.
    assert feedback(fupin, "2018-07-15") == [("2", "2018-09-30", "feedback_overdue", "2018-02-01"),
                                            ("3", "2018-07", "feedback_overdue", "2018-01-08")]
    plain = fupin("overdue", "--unit", "甲局", "--format", "json", *AS_OF).json()
    assert {r["status"] for r in plain} == {"overdue"}
    ok(fupin("progress", "3", "--unit", "甲局", "--date", "2018-07-10", "--done", "坚持", *AS_OF))
    ok(fupin("progress", "2", "--unit", "甲局", "--date", "2018-06-30", "--done", "普查过半", *AS_OF))
    assert feedback(fupin, "2018-07-15") == []
    assert feedback(fupin, "2018-07-17") == []  # the weekly report is due on 07-17: not late that day
    assert feedback(fupin, "2018-07-18") == [("3", "2018-07", "feedback_overdue", "2018-07-17")]
    assert feedback(fupin, "2018-07-31") == [("2", "2018-09-30", "feedback_overdue", "2018-07-30"),
                                            ("3", "2018-07", "feedback_overdue", "2018-07-17")]
    # `due` lists them without asking; the weekly summary counts them.
    due = fupin("due", "--unit", "甲局", "--format", "json", "--as-of", "2018-07-18").json()
    assert [(r["task"], r["status"]) for r in due if r["task"] == "3"] == [("3", "feedback_overdue")]
    assert "反馈逾期 1 项" in fupin("due", "--unit", "甲局", "--as-of", "2018-07-18").out
    weekly = fupin("report", "weekly", "--format", "json", "--as-of", "2018-07-18").json()
    assert {s["unit"]: s["feedback_overdue"] for s in weekly["summary"]}["甲局"] == 1


def test_progress_every_is_checked_with_file_and_line(fupin, tmp_path):
    bad = plan_folder(tmp_path / "bad", """
    - {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前, progress_every: daily}
    """)
    result = fupin("list", "--data", str(bad))
    assert result.code == 2
    assert result.err == (f"错误：{bad / 'tasks.yaml'}:12:73: progress_every 应是 week（每周）、month（每月）"
                          f"或 quarter（每季度）之一，而不是“daily”\n")
    header = plan_folder(tmp_path / "header", TASKS, header=WEEKLY.replace("week", "fortnight"))
    result = fupin("list", "--data", str(header))
    assert result.code == 2 and f"{header / 'tasks.yaml'}:11" in result.err and "progress_every" in result.err


# ---------------------------------------------------------------- evidence

def test_done_with_evidence_hashes_files_keeps_links_and_check_reports_changes(fupin, data, journal,
                                                                              tmp_path_factory):
    inside = journal.parent / "材料" / "名册.txt"
    inside.parent.mkdir()
    inside.write_bytes(b"roll\n")
    outside = tmp_path_factory.mktemp("elsewhere") / "照片.jpg"
    outside.write_bytes(b"\xff\xd8jpeg")
    record = ok(fupin("done", "1", "--unit", "甲局", "--period", "2018-07", "--evidence", str(inside), "--evidence",
                      str(outside), "--evidence", "https://example.org/公示?id=1", "--format", "json", *AS_OF)).json()
    assert record["evidence"] == [
        {"path": "材料/名册.txt", "sha256": record["evidence"][0]["sha256"], "bytes": 5},
        {"path": str(outside.resolve()), "sha256": record["evidence"][1]["sha256"], "bytes": 6},
        {"url": "https://example.org/公示?id=1"}]
    import hashlib

    assert record["evidence"][0]["sha256"] == hashlib.sha256(b"roll\n").hexdigest()
    assert record["evidence"][1]["sha256"] == hashlib.sha256(b"\xff\xd8jpeg").hexdigest()
    assert fupin("check", "--evidence").code == 0
    inside.write_bytes(b"roll, edited\n")
    outside.unlink()
    result = fupin("check", "--evidence")
    assert result.code == 1
    found = [line for line in result.out.splitlines() if "佐证材料" in line]
    where = f"{journal}:1: 记录 {record['id']}（任务 1 甲局 2018-07）的佐证材料"
    assert found == [
        f"{where} 材料/名册.txt 已改变（登记时 5 字节，现在 13 字节；SHA-256 "
        f"{hashlib.sha256(b'roll' + bytes([10])).hexdigest()[:12]}… → "
        f"{hashlib.sha256(b'roll, edited' + bytes([10])).hexdigest()[:12]}…）",
        f"{where} {outside.resolve()} 已不存在"]
    assert fupin("check").code == 0  # without --evidence the files are not looked at


# ---------------------------------------------------------------- undo, journal, check of unknown ops

def test_undo_voids_any_entry_and_refuses_a_void(fupin, data, journal):
    ok(fupin("progress", "1", "--unit", "甲局", "--period", "2018-07", "--done", "x", *AS_OF))
    ok(fupin("waive", "4", "--unit", "东区", "--period", "2018-08-31", "--reason", "不适用", "--approved-by", "李",
             *AS_OF))
    progress_id, waive_id = (e["id"] for e in lines(journal))
    said = ok(fupin("undo", progress_id[-6:], "-r", "录错"))
    assert said.out.startswith(f"已作废进展记录 {progress_id}（任务 1，甲局，期间 2018-07，报送日期 2018-07-15）。\n")
    said = ok(fupin("undo", "--last", "--unit", "东区", "-r", "批复撤回"))
    assert said.out.startswith(f"已作废免于考核记录 {waive_id}（任务 4，东区，期间 2018-08-31，原因：不适用）。\n")
    void_id = lines(journal)[-1]["id"]
    before = journal.read_bytes()
    again = fupin("undo", void_id, "-r", "x")
    assert again.code == 2 and "本身是作废记录，不能再作废" in again.err and journal.read_bytes() == before
    assert fupin("done", "4", "--unit", "东区", "--period", "2018-08-31", *AS_OF).code == 0  # the waiver is gone


def test_journal_lists_every_op_with_its_own_keys(fupin, data, journal):
    ok(fupin("progress", "1", "--unit", "甲局", "--period", "2018-07", "--done", "初稿", "--percent", "30", *AS_OF))
    ok(fupin("extend", "4", "--unit", "甲局", "--period", "2018-08-31", "--until", "2018-09-30", "--reason", "等数据",
             "--approved-by", "李主任", *AS_OF))
    ok(fupin("waive", "4", "--unit", "东区", "--period", "2018-08-31", "--reason", "不适用", "--approved-by", "李主任",
             *AS_OF))
    records = fupin("journal", "--format", "json", *AS_OF).json()
    assert [(r["op"], r.get("percent"), r.get("until"), r.get("reason")) for r in records] == [
        ("progress", 30, None, None), ("extend", None, "2018-09-30", "等数据"), ("waive", None, None, "不适用")]
    text = fupin("journal", "--format", "text", *AS_OF).out
    for words in ("进展：初稿；完成 30%", "延期至 2018-09-30（原 2018-08-31），李主任 批准；原因：等数据",
                  "免于考核（本期间），李主任 批准；原因：不适用"):
        assert words in text


def test_an_op_from_a_newer_version_is_kept_and_reported_once(fupin, data, journal):
    ok(fupin("progress", "1", "--unit", "甲局", "--period", "2018-07", "--done", "x", *AS_OF))
    newer = [{"id": f"20180716T00000{i}.000000Z-00000{i}", "op": "escalate", "plan": "tasks", "task": "1",
              "unit": "甲局", "period": "2018-07", "to": "市委督查室"} for i in range(2)]
    with journal.open("a", encoding="utf-8") as handle:
        for record in newer:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    before = journal.read_bytes()
    result = fupin("check")
    assert result.code == 1
    assert [line for line in result.out.splitlines() if "escalate" in line] == [
        f"{journal}:2: 有 2 条记录的操作 “escalate” 是本版本不认识的（可能由更新版本写入），已原样保留，不计入报表"]
    ok(fupin("progress", "1", "--unit", "甲局", "--period", "2018-07", "--done", "y", *AS_OF))
    assert journal.read_bytes().startswith(before)  # appended after, never rewritten


# ---------------------------------------------------------------- show: the whole story

def test_show_tells_one_items_story_in_order(fupin, data, journal, tmp_path):
    proof = journal.parent / "验收单.txt"
    proof.write_bytes(b"ok\n")
    ok(fupin("progress", "4", "--unit", "甲局", "--period", "2018-08-31", "--date", "2018-07-10", "--done", "已招标",
             "--problem", "资金未到", "--next", "8月验收", "--percent", "40", "--by", "张三", *AS_OF))
    ok(fupin("extend", "4", "--unit", "甲局", "--period", "2018-08-31", "--until", "2018-09-28", "--reason", "资金晚到",
             "--approved-by", "李主任", "--approved-on", "2018-07-12", "--by", "张三", *AS_OF))
    ok(fupin("extend", "4", "--unit", "甲局", "--period", "2018-08-31", "--until", "2018-10-31", "--reason", "再延",
             "--approved-by", "李主任", "--by", "张三", *AS_OF))
    ok(fupin("undo", "--last", "--by", "张三", "-r", "批复有误"))
    ok(fupin("done", "4", "--unit", "甲局", "--period", "2018-08-31", "--date", "2018-07-14", "--evidence", str(proof),
             "--by", "张三", *AS_OF))
    ok(fupin("waive", "4", "--unit", "东区", "--period", "2018-08-31", "--reason", "不适用", "--approved-by", "李主任",
             *AS_OF))
    ids = [e["id"] for e in lines(journal)]
    shown = fupin("show", "4", "--format", "json", *AS_OF).json()
    assert [(o["unit"], o["period"], o["original_due"], o["due"], o["status"], o["extensions"], o["done_date"],
             o["waived"]) for o in shown["obligations"]] == [
        ("甲局", "2018-08-31", "2018-08-31", "2018-09-28", "done", 1, "2018-07-14", None),
        ("东区", "2018-08-31", "2018-08-31", "2018-08-31", "waived", 0, None, "不适用"),
        ("西区", "2018-08-31", "2018-08-31", "2018-08-31", "upcoming", 0, None, None)]
    digest = __import__("hashlib").sha256(b"ok\n").hexdigest()[:8]
    assert [(t["recorded_at"], t["op"], t["unit"], t["detail"], t["by"], t["state"]) for t in shown["timeline"]] == [
        ("2018-07-15T09:00:00+08:00", "progress", "甲局",
         "2018-07-10 进展：已招标；问题：资金未到；下步：8月验收；完成 40%", "张三", "有效"),
        ("2018-07-15T09:01:00+08:00", "extend", "甲局",
         "延期至 2018-09-28（原 2018-08-31），李主任 2018-07-12 批准；原因：资金晚到", "张三", "有效"),
        ("2018-07-15T09:02:00+08:00", "extend", "甲局",
         "延期至 2018-10-31（原 2018-09-28），李主任 批准；原因：再延", "张三", f"已作废（{ids[3]}）"),
        ("2018-07-15T09:03:00+08:00", "void", "甲局", f"作废延期记录 {ids[2]}：批复有误", "张三", "有效"),
        ("2018-07-15T09:04:00+08:00", "done", "甲局", f"完成日期 2018-07-14；佐证：验收单.txt（3 字节，SHA-256 {digest}…）",
         "张三", "有效"),
        ("2018-07-15T09:05:00+08:00", "waive", "东区", "免于考核（本期间），李主任 批准；原因：不适用", "", "有效")]
    one = fupin("show", "4", "--unit", "东区", "--period", "2018-08-31", "--format", "text", *AS_OF).out
    assert "免于考核：不适用" in one and "已招标" not in one
    assert fupin("show", "4", "--unit", "乙局", *AS_OF).err.startswith("错误：--unit 乙局 不是任务 4 的责任单位")


# ---------------------------------------------------------------- reports: the weekly printout and notices

def test_the_weekly_report_shows_latest_progress_extensions_and_this_weeks_progress(fupin, data, journal, monkeypatch):
    ok(fupin("progress", "1", "--unit", "东区", "--period", "2018-07", "--date", "2018-07-13",
             "--done", "已完成全区数据汇总和初审工作，正在逐户复核", "--problem", "两个镇数据未报", "--next", "下周一前报送",
             "--percent", "80", *AS_OF))
    ok(fupin("extend", "4", "--unit", "西区", "--period", "2018-08-31", "--until", "2018-09-30", "--reason", "资金",
             "--approved-by", "李主任", *AS_OF))
    weekly = fupin("report", "weekly", "--unit", "各区", "--format", "json", *AS_OF).json()
    late = [r for r in weekly["overdue"] if (r["task"], r["unit"], r["period"]) == ("1", "东区", "2018-07")]
    assert late[0]["last_progress"] == {
        "id": lines(journal)[0]["id"], "date": "2018-07-13", "done": "已完成全区数据汇总和初审工作，正在逐户复核",
        "problem": "两个镇数据未报", "next": "下周一前报送", "percent": 80, "by": ""}
    assert [(r["task"], r["unit"], r["due"], r["original_due"], r["extensions"], r["status"])
            for r in weekly["extended"]] == [("4", "西区", "2018-09-30", "2018-08-31", 1, "extended")]
    assert [(p["task"], p["unit"], p["date"], p["percent"]) for p in weekly["progress_this_week"]] == [
        ("1", "东区", "2018-07-13", 80)]
    assert {s["unit"]: s["extended"] for s in weekly["summary"]} == {"东区": 0, "西区": 1}
    # In a terminal the latest progress is one line cut with …; in html it is whole.
    monkeypatch.setenv("COLUMNS", "120")
    table = fupin("report", "weekly", "--unit", "各区", "--by", "unit", *AS_OF).out
    words = "进展：已完成全区数据汇总和初审工作，正在逐户复核；问题：两个镇数据未报；下步：下周一前报送（7月13日，80%）"
    assert words not in table
    cut = [line for line in table.splitlines() if "进展：已完成" in line]
    assert cut and all("…" in line for line in cut)
    assert "延期中（1 项）" in table and "本周进展（1 条）" in table
    html = fupin("report", "weekly", "--unit", "各区", "--format", "html", *AS_OF).out
    assert words in html and "最新进展" in html and "延期次数" in html
    wide = fupin("report", "weekly", "--unit", "各区", "--by", "unit", "--wide", *AS_OF).out
    assert words in wide.replace("\n", "").replace(" ", "").replace("|", "") or "下周一前报送（7月13日，80%）" in wide


def test_notices_show_the_latest_progress(fupin, data, journal):
    ok(fupin("progress", "1", "--unit", "西区", "--period", "2018-07", "--date", "2018-07-13", "--done", "已催报",
             "--next", "本周报送", *AS_OF))
    html = fupin("report", "notice", "--unit", "西区", "--format", "html", *AS_OF).out
    assert "最新进展" in html and "进展：已催报；下步：本周报送（7月13日）" in html
    assert "最新进展" not in fupin("report", "notice", "--unit", "东区", "--format", "html", *AS_OF).out


# ---------------------------------------------------------------- the README's recipe

def test_the_readme_ledger_recipe_leaves_what_it_says(tmp_path):
    from test_readme_recipes import block_with, environment, run_sh

    env = environment(tmp_path)
    result = run_sh(block_with("fupin extend 8.2"), tmp_path, env)
    assert result.returncode == 0, result.stderr
    journal = Path(env["XDG_DATA_HOME"]) / "fupin" / "journal.jsonl"
    entries = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert [(e["op"], e.get("period"), e.get("until")) for e in entries] == [
        ("progress", "2018-07", None), ("extend", "2018-07", "2018-08-31"), ("extend", "2018-07", "2018-09-14"),
        ("void", None, None), ("done", "2018-06", None), ("waive", "2018-06", None)]
    assert entries[3]["target"] == entries[2]["id"]
    assert [e.get("url") or e.get("path") for e in entries[4]["evidence"]] == [
        str((tmp_path / "work" / "评残名册.txt").resolve()), "https://example.org/评残公示"]  # outside the journal's folder
    weekly = json.loads((tmp_path / "work" / "周报.json").read_text(encoding="utf-8"))
    assert [(r["task"], r["period"], r["due"], r["original_due"], r["extensions"], r["last_progress"]["done"])
            for r in weekly["extended"]] == [("8.2", "2018-07", "2018-08-31", "2018-07-31", 1, "已完成摸底")]
    assert "延期中" in result.stdout and "作废延期记录" in result.stdout


def test_check_names_marks_that_match_no_duty(fupin, data, journal):
    stray = [
        {"id": "20180716T000000.000000Z-00000a", "op": "progress", "plan": "tasks", "task": "9", "unit": "甲局",
         "period": "2018-07", "date": "2018-07-10", "done": "x", "problem": "", "next": "", "percent": None,
         "recorded_at": "", "by": "", "note": ""},
        {"id": "20180716T000000.000000Z-00000b", "op": "waive", "plan": "tasks", "task": "2", "unit": "东区",
         "period": "*", "reason": "r", "approved_by": "李", "recorded_at": "", "by": "", "note": ""},
        {"id": "20180716T000000.000000Z-00000c", "op": "extend", "plan": "tasks", "task": "4", "unit": "甲局",
         "period": "2018-Q3", "until": "2018-10-31", "reason": "r", "approved_by": "李", "approved_on": None,
         "due_before": "2018-08-31", "late": False, "recorded_at": "", "by": "", "note": ""},
        {"id": "20180716T000000.000000Z-00000d", "op": "waive", "plan": "tasks", "task": "1", "unit": "东区",
         "period": "*", "reason": "r", "approved_by": "李", "recorded_at": "", "by": "", "note": ""},
    ]
    journal.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in stray), encoding="utf-8")
    result = fupin("check")
    assert result.code == 1
    assert [line for line in result.out.splitlines() if "不计入报表" in line] == [
        f"{journal}:1: 进展记录 20180716T000000.000000Z-00000a 的任务 “9” 不在清单中，不计入报表",
        f"{journal}:2: 免于考核记录 20180716T000000.000000Z-00000b：东区 不是任务 2 的责任单位，不计入报表",
        f"{journal}:3: 延期记录 20180716T000000.000000Z-00000c 的期间 “2018-Q3” 不是任务 4 的期间，不计入报表"]
