"""Today, --as-of and the year turning: the word about today last and in the exit code; init and the journal;
one-off dates a new year's list left behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from fupin_cli.app.context import RunContext
from support.plans import add_plan, done, plan_folder, write_journal

MONTHLY = """
- {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}
"""


def at(monkeypatch, *moment: int) -> None:
    """The real clock reads ``moment`` (UTC) for the CLI run (the RunContext.now seam)."""
    monkeypatch.setattr(RunContext, "now", staticmethod(lambda: datetime(*moment, tzinfo=timezone.utc)))


@pytest.fixture
def folder(tmp_path) -> Path:
    return plan_folder(tmp_path / "data", MONTHLY)  # valid 2018-01-01 … 2018-12-31


# ---------------------------------------------------------------- the closing word and exit 3

def test_overdue_today_on_an_ended_list_says_so_last_and_exits_3(fupin, monkeypatch):
    at(monkeypatch, 2026, 3, 1, 2)  # FUPIN_TODAY is unset by the fixture: the real "today", 10:00 in Shantou
    result = fupin("overdue")
    assert result.code == 3
    assert result.out == ("2018年汕头市脱贫攻坚主要任务清单：逾期未完成事项\n截至 2026-03-01：0 个单位共逾期 0 项\n\n"
                          "没有逾期事项\n")
    assert result.err.splitlines()[-1] == (
        "提示：今天（2026-03-01）不在任何任务清单的有效期内（2018-04-25 至 2018-12-31；之后一年内仍可查询逾期），"
        "报表中没有列出任何事项。请导入今年的清单（fupin import），或用 --as-of 指定日期。")
    assert result.err.count("今天") == 1  # once, and only at the end
    assert fupin("overdue", "--exit-code", "--format", "json").code == 3  # cron sees it whatever the format


def test_the_closing_word_comes_after_the_whole_report_in_one_stream(tmp_path):
    """Run for real (this machine's clock is past 2019) with stderr into stdout: the warning is the last line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUPIN_")}
    env.update(FUPIN_JOURNAL=str(tmp_path / "journal.jsonl"), FUPIN_CACHE=str(tmp_path / "cache"))
    run = subprocess.run([sys.executable, "-m", "fupin_cli", "overdue", "--format", "text"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    assert run.returncode == 3
    last = run.stdout.rstrip("\n").splitlines()[-1]
    assert re.fullmatch(r"提示：今天（\d{4}-\d\d-\d\d）不在任何任务清单的有效期内（2018-04-25 至 2018-12-31；"
                        r"之后一年内仍可查询逾期），报表中没有列出任何事项。请导入今年的清单（fupin import），"
                        r"或用 --as-of 指定日期。", last), run.stdout[-400:]
    assert run.stdout.count("提示：") == 1


def test_in_the_year_after_a_list_its_leftovers_are_reported_and_the_word_comes_last(fupin, folder, monkeypatch):
    at(monkeypatch, 2019, 3, 1, 2)
    write_journal(Path(os.environ["FUPIN_JOURNAL"]),
                  [done("1", "甲局", f"2018-{m:02d}", f"2018-{m:02d}-03") for m in range(1, 12)])
    result = fupin("overdue", "--data", str(folder), "--format", "json")
    assert result.code == 0, result.err
    assert [(r["task"], r["period"], r["days"]) for r in result.json()] == [("1", "2018-12", -86)]
    assert result.err == ("提示：今天（2019-03-01）不在任务清单的有效期内（2018-01-01 至 2018-12-31），"
                          "只列出已结束清单遗留的事项；可用 --as-of 指定日期\n")
    assert fupin("overdue", "--data", str(folder), "--exit-code").code == 1  # overdue rows: cron's usual 1


def test_no_word_while_some_list_is_in_force_or_a_day_is_given(fupin, folder, monkeypatch):
    add_plan(folder, "2019", MONTHLY, title="2019清单", valid_from="2019-01-01", valid_to="2019-12-31")
    at(monkeypatch, 2019, 3, 1, 2)
    assert fupin("due", "--data", str(folder)).err == ""
    at(monkeypatch, 2026, 3, 1, 2)
    given = fupin("due", "--data", str(folder), "--as-of", "2019-03-01")
    assert (given.code, given.err) == (0, "")
    monkeypatch.setenv("FUPIN_TODAY", "2019-03-01")
    assert (fupin("report", "weekly", "--data", str(folder)).code, fupin("due", "--data", str(folder)).err) == (0, "")


def test_reports_run_today_beyond_every_list_all_exit_3(fupin, folder, monkeypatch):
    at(monkeypatch, 2026, 3, 1, 2)
    for args in (("due",), ("overdue",), ("report", "weekly"), ("calendar",)):
        result = fupin(*args, "--data", str(folder))
        assert result.code == 3, args
        assert result.err.splitlines()[-1].startswith("提示：今天（2026-03-01）不在任何任务清单的有效期内"), args
    named = fupin("calendar", "--data", str(folder), "--month", "2018-07")  # a window named outright
    assert (named.code, named.err) == (0, "")
    month = fupin("report", "monthly", "--data", str(folder), "--month", "2018-06", "--format", "json")
    assert (month.code, month.err) == (0, "")
    assert [(r["task"], r["period"]) for r in month.json()["overdue"]] == [
        ("1", f"2018-{m:02d}") for m in range(1, 7)]  # as the month stood on its last day, 06-30


# ---------------------------------------------------------------- init and the journal

def test_init_says_where_the_journal_lives_and_offers_the_old_one(fupin, tmp_path, monkeypatch):
    monkeypatch.delenv("FUPIN_JOURNAL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    old = tmp_path / "xdg" / "fupin" / "journal.jsonl"  # the shipped plan's journal, as before init
    old.parent.mkdir(parents=True)
    write_journal(old, [done("8.2", "市残联", "2018-06", "2018-07-03"), done("5.1", "金平区", "2018-05", "2018-06-01")])
    folder = tmp_path / "扶贫数据"
    result = fupin("init", str(folder))
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:] == [
        f"销号台账：使用 --data {folder} 时读写 {folder / 'journal.jsonl'}。",
        f"原来使用的台账 {old} 有 2 条记录，不会自动带到新文件夹；如要带上：fupin init {folder} --journal-from {old}",
        f"以后运行：fupin list --data {folder}  或设置 FUPIN_DATA={folder}",
    ]
    assert (folder / "journal.jsonl").read_bytes() == b""  # init's empty journal, ready to take the old one
    (folder / "tasks.yaml").write_text((folder / "tasks.yaml").read_text(encoding="utf-8") + "# 本地\n",
                                       encoding="utf-8")
    edited = (folder / "tasks.yaml").read_bytes()
    taken = fupin("init", str(folder), "--journal-from", str(old))  # the offer, as printed
    assert taken.code == 0, taken.err
    assert taken.out.splitlines()[:4] == [
        f"{folder} 中已有清单（{folder / 'tasks.yaml'}、{folder / 'units.yaml'}），未改动。",
        f"已在 {folder} 写入 journal.jsonl。",
        f"已把台账 {old} 的 2 条记录复制到 {folder / 'journal.jsonl'}（原文件未改动）。",
        f"销号台账：使用 --data {folder} 时读写 {folder / 'journal.jsonl'}。",
    ]
    assert (folder / "tasks.yaml").read_bytes() == edited
    assert (folder / "journal.jsonl").read_bytes() == old.read_bytes()
    report = fupin("overdue", "--data", str(folder), "--as-of", "2018-07-15", "--unit", "市残联", "--format", "json")
    assert ("8.2", "2018-06") not in {(r["task"], r["period"]) for r in report.json()}  # the completions count
    assert ("8.2", "2018-05") in {(r["task"], r["period"]) for r in report.json()}
    again = fupin("init", str(folder), "--journal-from", str(old), "--force")
    assert again.code == 2
    assert again.err == (f"错误：{folder / 'journal.jsonl'} 已有记录，台账从不覆盖；"
                         f"如要合并两份台账，请用 git（union 合并）或手工追加\n")
    rerun = fupin("init", str(folder), "--force")
    assert f"{folder / 'journal.jsonl'} 已有 2 条记录，保持不变。" in rerun.out.splitlines()


def test_init_with_the_journal_variable_set_says_it_still_wins(fupin, tmp_path, journal_path):
    folder = tmp_path / "新"
    result = fupin("init", str(folder))
    assert result.code == 0, result.err
    assert result.out.splitlines()[1] == (f"销号台账：环境变量 FUPIN_JOURNAL={journal_path} 已设置，各命令仍读写它，"
                                          f"不随 --data 改变；要改用 {folder / 'journal.jsonl'}，请取消这个变量。")


def test_init_journal_from_a_missing_file_writes_nothing(fupin, tmp_path):
    folder = tmp_path / "新"
    result = fupin("init", str(folder), "--journal-from", str(tmp_path / "没有.jsonl"))
    assert result.code == 2
    assert result.err == f"错误：{tmp_path / '没有.jsonl'}: --journal-from：找不到这份台账（应是一个 journal.jsonl 文件）\n"
    assert not folder.exists()


# ---------------------------------------------------------------- check: dates left behind

def test_check_warns_about_one_off_dates_a_new_years_list_left_behind(fupin, tmp_path):
    folder = plan_folder(tmp_path / "data", """
      - {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}
      - {id: "2", text: 年度总结, units: [乙局], deadline: 2018年12月31日前}
      - {id: "3", text: 开展检查, units: [乙局], schedule: [{every: once, date: 2019-06-30}]}
      - {id: "4", text: 上年遗留, units: [乙局], schedule: [{every: once, date: 2020-01-15}]}
    """, valid_from="2019-01-01", valid_to="2019-12-31")
    result = fupin("check", "--data", str(folder))
    assert result.code == 0, result.out
    tasks = folder / "tasks.yaml"
    assert result.out.splitlines()[:2] == [
        f"提示：{tasks}:13: 任务 2 的完成时限 2018-12-31 不在清单有效期（2019-01-01 至 2019-12-31）内；"
        f"是上一份清单留下的日期吗？请核对",
        f"提示：{tasks}:15: 任务 4 的完成时限 2020-01-15 不在清单有效期（2019-01-01 至 2019-12-31）内；"
        f"是上一份清单留下的日期吗？请核对",
    ]
    assert len(result.out.splitlines()) == 3


def test_the_shipped_plan_has_no_date_left_behind(fupin):
    """4.1's 2018-03-31 precedes the list (issued 2018-04-25) but is its own year's: no word."""
    result = fupin("check")
    assert result.code == 0, result.out
    assert "不在清单有效期" not in result.out


def test_the_readme_cron_line_mails_the_closing_word_when_every_list_has_run_out(tmp_path, folder):
    """The daily cron line of the README, run for real on this machine's today (past 2019): exit 3 is mailed."""
    from test_readme_recipes import cron_commands, environment

    [daily] = [c for c in cron_commands() if "mail" in c and "fupin remind" not in c]
    env = environment(tmp_path)
    del env["FUPIN_TODAY"]
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "mail").write_text('#!/bin/sh\nprintf "mail %s\\n" "$*" >> "$MAIL_LOG"\ncat >> "$MAIL_LOG"\n',
                               encoding="utf-8")
    (fake / "mail").chmod(0o755)
    env.update(PATH=f"{fake}:{env['PATH']}", MAIL_LOG=str(tmp_path / "mail.log"), FUPIN_DATA=str(folder),
               FUPIN_JOURNAL=str(tmp_path / "journal.jsonl"))
    run = subprocess.run(["sh", "-c", daily], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    sent = (tmp_path / "mail.log").read_text(encoding="utf-8").splitlines()
    assert sent[0] == "mail -s 扶贫任务清单已过有效期 office@example.org"
    assert re.fullmatch(r"提示：今天（\d{4}-\d\d-\d\d）不在任何任务清单的有效期内（2018-01-01 至 2018-12-31；"
                        r"之后一年内仍可查询逾期），报表中没有列出任何事项。请导入今年的清单（fupin import），"
                        r"或用 --as-of 指定日期。", sent[-1]), sent
    assert run.stderr.splitlines()[-1] == sent[-1]  # and cron's own mail has it too
