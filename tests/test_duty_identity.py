"""Stable duty identity (issue 11): a completion counts for the same duty however the task's rules are reordered
or added to; journals with the labels of older versions (2018-07#2) are read against the current plan."""

from __future__ import annotations

import json

from support.plans import done, plan_folder, write_journal

from fupin_cli.domain.holidays import HolidayCalendar
from fupin_cli.domain.model import Rule
from fupin_cli.domain.schedule import Timetable, journal_labels

from support.plans import make_plan

AS_OF = "2018-07-31"


def task(deadline: str) -> str:
    return f'- {{id: "1", text: 录入与审核, units: [甲局], deadline: "{deadline}"}}'


def open_periods(fupin, folder) -> list[tuple[str, str]]:
    result = fupin("due", "--data", str(folder), "--as-of", AS_OF, "--within", "0", "--format", "json")
    assert result.code == 0, result.err
    return sorted((row["period"], row["nominal_due"]) for row in result.json())


def test_labels_of_a_shared_period_carry_each_rules_content():
    plan = make_plan(task("每月25日前；每月28日前；长期性"), valid_from="2018-07-01", valid_to="2018-07-31")
    found = Timetable(plan, HolidayCalendar("none")).occurrences(plan.tasks[0])
    assert [o.period for o in found] == ["2018-07#d25", "2018-07#d28", "2018-07#ongoing"]
    alone = make_plan(task("每月25日前；每季度末"), valid_from="2018-07-01", valid_to="2018-07-31")
    assert [o.period for o in Timetable(alone, HolidayCalendar("none")).occurrences(alone.tasks[0])] == [
        "2018-07", "2018-Q3"]


def test_rule_keys_come_from_content():
    assert Rule(kind="month", day=25).key == "month@d25"
    assert Rule(kind="year", month=6).key == "year@m6"
    assert Rule(kind="quarter", after_days=10).key == "quarter@+10d"
    assert Rule(kind="month", workdays=5).key == "month@+5wd"
    assert Rule(kind="year", count=2).key == "year@x2"
    assert Rule(kind="month", day=25, source="每月25日前录入", words="每月25日前", span=(0, 6)).key == "month@d25"


def test_inserting_and_reordering_rules_moves_no_completion(fupin, tmp_path):
    folder = plan_folder(tmp_path / "plan", task("每月25日前；每月28日前"), valid_from="2018-07-01",
                         valid_to="2018-08-31")
    recorded = fupin("done", "1", "--unit", "甲局", "--period", "2018-07#d25", "--date", "2018-07-24",
                     "--data", str(folder), "--as-of", AS_OF)
    assert recorded.code == 0, recorded.err
    assert open_periods(fupin, folder) == [("2018-07#d28", "2018-07-28")]

    plan_folder(folder, task("每月28日前；每月25日前"), valid_from="2018-07-01", valid_to="2018-08-31")
    assert open_periods(fupin, folder) == [("2018-07#d28", "2018-07-28")]

    plan_folder(folder, task("每月20日前；每月28日前；每月25日前"), valid_from="2018-07-01", valid_to="2018-08-31")
    assert open_periods(fupin, folder) == [("2018-07#d20", "2018-07-20"), ("2018-07#d28", "2018-07-28")]

    check = fupin("check", "--data", str(folder))
    assert check.code == 0, check.out + check.err


def test_labels_older_versions_wrote_are_read_against_the_current_plan(fupin, tmp_path):
    folder = plan_folder(tmp_path / "plan", task("每月25日前；每月28日前"), valid_from="2018-07-01",
                         valid_to="2018-08-31")
    # Before content keys: the first rule's label plain, the second's with its position.
    write_journal(tmp_path / "journal.jsonl", [
        done("1", "甲局", "2018-07", "2018-07-24"),
        done("1", "甲局", "2018-07#2", "2018-07-27"),
    ])
    assert open_periods(fupin, folder) == []
    result = fupin("due", "--data", str(folder), "--as-of", "2018-07-31", "--within", "60", "--format", "json")
    assert [(r["period"], r["done_count"]) for r in result.json()] == [("2018-08#d25", 0), ("2018-08#d28", 0)]
    assert result.err == ""
    check = fupin("check", "--data", str(folder))
    assert check.code == 0, check.out + check.err


def test_journal_labels_map():
    plan = make_plan(task("每月28日前；每月25日前；每季度末"), valid_from="2018-07-01", valid_to="2018-07-31")
    found = Timetable(plan, HolidayCalendar("none")).occurrences(plan.tasks[0])
    assert journal_labels(plan.tasks[0].rules, found) == {
        "2018-07#1": "2018-07#d28", "2018-07#2": "2018-07#d25",
        "2018-07": "2018-07#d25",   # a plain label of a shared period: the rule due first in it
        "2018-Q3#3": "2018-Q3",
    }


def test_completions_that_match_no_duty_are_counted_in_a_warning_and_listed_by_check(fupin, tmp_path):
    folder = plan_folder(tmp_path / "plan", task("每月25日前"), valid_from="2018-07-01", valid_to="2018-08-31")
    write_journal(tmp_path / "journal.jsonl", [
        done("1", "甲局", "2018-07", "2018-07-24"),
        done("9", "甲局", "2018-07", "2018-07-24"),       # the task was removed
        done("1", "乙局", "2018-07", "2018-07-24"),       # not responsible
        done("1", "甲局", "2018-07-31", "2018-07-24"),    # the deadline changed
    ])
    result = fupin("overdue", "--data", str(folder), "--as-of", AS_OF, "--format", "json")
    assert result.code == 0 and json.loads(result.out) == []
    assert result.err.strip().splitlines()[-1] == (
        "提示：台账中有 3 条完成记录对不上当前清单（任务已删除、单位已改名或完成时限已改），未计入报表；运行 fupin check 查看")
    check = fupin("check", "--data", str(folder))
    assert check.code == 1
    assert "任务 “9” 不在清单中" in check.out and "改了编号" in check.out
    assert "乙局 不是任务 1 的责任单位" in check.out
    assert "期间 “2018-07-31” 不是任务 1 的期间" in check.out and "完成时限可能已改" in check.out
