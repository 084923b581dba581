"""The official order, --sort, the due grouping bug, period words and the yellow light in working days."""

from __future__ import annotations

import re
from datetime import date

import pytest

from fupin_cli.domain.model import Rule, Settings
from fupin_cli.output.views import units_words
from fupin_cli.reports.labels import period_words, rule_hint
from fupin_cli.reports.order import unit_order
from fupin_cli.reports.rows import soon_days
from support import report_plans as rp
from support import shipped
from support.plans import make_plan, plan_folder

AS_OF = ("--as-of", "2018-07-16")


def test_unit_order_is_units_yaml_with_groups_expanded_in_member_order():
    plan = make_plan("""- {id: "1", text: 甲, units: [甲局], deadline: 每月5日前}""", units="""\
units:
  - {name: 市直, kind: 其他, members: [丙局, 甲局]}
  - {name: 乙局, kind: 市直单位}
  - {name: 甲局, kind: 市直单位}
  - {name: 丙局, kind: 市直单位}
  - {name: 各区, kind: 区县, members: [西区, 东区]}
  - {name: 东区, kind: 区县}
  - {name: 西区, kind: 区县}
""")
    assert list(unit_order(plan.units)) == ["丙局", "甲局", "乙局", "西区", "东区"]


def test_shipped_units_in_the_official_order(fupin):
    summary = fupin("report", "weekly", "--format", "json", *AS_OF).json()["summary"]
    names = [s["unit"] for s in summary]
    assert names[:7] == list(shipped.DISTRICTS)
    assert names.index("市民政局") < names.index("人行汕头中支")  # not by code point (人 < 市)


def test_due_gives_each_unit_one_heading(fupin):
    """The grouping bug: sorted by urgency and then grouped, 各镇 was headed eight times."""
    rows = fupin("due", "--format", "json", *AS_OF).json()
    per_unit: dict[str, int] = {}
    for row in rows:
        per_unit[row["unit"]] = per_unit.get(row["unit"], 0) + 1
    assert per_unit["各镇"] == shipped.DUE_ROWS_OF_TOWNS_2018_07_16
    assert len(per_unit) == shipped.DUE_UNITS_2018_07_16 and len(rows) == shipped.DUE_ROWS_2018_07_16
    for sort in ("official", "due", "overdue", "name"):
        out = fupin("due", "--sort", sort, *AS_OF).out
        headings = re.findall(r"^(\S+)（(\d+) 项）$", out, re.M)
        assert {name: int(count) for name, count in headings} == per_unit, sort  # each unit once, all its rows
        assert len(headings) == shipped.DUE_UNITS_2018_07_16, sort


def test_due_sorted_by_name_is_by_pinyin(fupin, tmp_path):
    data = plan_folder(tmp_path / "p", rp.TASKS)
    rows = fupin("due", "--sort", "name", "--format", "json", "--data", str(data),
                 "--journal", str(tmp_path / "j.jsonl"), *AS_OF).json()
    assert list(dict.fromkeys(r["unit"] for r in rows)) == ["东区", "甲局", "西区", "乙局"]


def test_sort_must_be_known(fupin):
    result = fupin("due", "--sort", "urgency", *AS_OF)
    assert result.code == 2 and "--sort 的值 “urgency” 无效，可选：official、due、overdue、name" in result.err


# ---------------------------------------------------------------- words

@pytest.mark.parametrize("label, words", [
    ("2018-07", "2018年7月"), ("2018-07#4", "2018年7月"), ("2018-07#d28", "2018年7月"), ("2018-Q3", "2018年第三季度"),
    ("2018-H1", "2018年上半年"),
    ("2018", "2018年"), ("2018-W29", "2018年第29周"), ("2018-S1", "2018年春季学期"), ("2018-S2", "2018年秋季学期"),
    ("2018-06-30", "2018年6月30日"), ("nonsense", "nonsense"),
])
def test_period_words(label, words):
    assert period_words(label, Settings()) == words


def test_rule_hints_tell_two_duties_of_one_period_apart(fupin):
    plan = make_plan("""
- {id: "2.1", text: 录入, units: [甲局], deadline: 镇及贫困村录入人员在每月25日前录入当月的村、户项目建设情况；区（县）、镇两级在每月28日前完成信息录入的审核工作}
- {id: "3", text: 报送, units: [甲局], deadline: 每月5日前；每季度末}
""")
    first, second = plan.tasks
    assert [rule_hint(first.rules, i) for i in range(2)] == ["每月25日前录入", "每月28日前审核"]
    assert [rule_hint(second.rules, i) for i in range(2)] == ["", ""]  # a month and a quarter: no clash
    twice = (Rule("month", day=25, source="每月25日前"), Rule("month", day=25, source="每月25日前"))
    assert rule_hint(twice, 1) == "每月25日前（第2项要求）"


def test_weekly_printout_says_periods_in_words_and_the_basis(fupin):
    out = fupin("report", "weekly", "--wide", *AS_OF).out
    assert f"依据：{shipped.DOC_NO}" in out
    assert "2018年4月（每月25日前录入）" in out and "2018年4月（每月28日前审核）" in out
    assert "2018-04#" not in out


def test_units_in_one_cell():
    groups = {"各区": ("东区", "西区", "南区", "北区")}
    assert units_words(["甲局", "东区", "西区", "南区", "北区", "乙局"], groups) == "甲局、各区全部4个、乙局（共6个单位）"
    assert units_words(["东区", "南区", "北区"], groups) == "各区除西区外3个（共3个单位）"
    assert units_words(["东区", "南区"], groups) == "东区、南区（共2个单位）"
    assert units_words(["甲局"], groups) == "甲局"


# ---------------------------------------------------------------- the yellow light in working days

def test_yellow_light_counts_official_working_days():
    plan = rp.plan(warn_days=14)
    from fupin_cli.domain.holidays import HolidayCalendar

    calendar = HolidayCalendar("next_workday")
    friday = date(2018, 9, 28)  # before 国庆; Saturday 9-29 and Sunday 9-30 were working days
    assert soon_days(friday, plan.settings, calendar) == 14  # no yellow_workdays: warn_days, as always
    with_workdays = Settings(yellow_workdays=3)
    assert soon_days(friday, with_workdays, calendar) == 10  # 9-29, 9-30, then 10-8
    assert soon_days(friday, Settings(yellow_workdays=2), calendar) == 2
    assert soon_days(friday, Settings(yellow_workdays=0), calendar) == 0


def test_yellow_workdays_in_the_plan_header(fupin, tmp_path):
    tasks = """
- {id: "1", text: 节前, units: [甲局], deadline: 2018年10月8日前}
- {id: "2", text: 节后, units: [甲局], deadline: 2018年10月9日前}
"""
    header = ("plan:\n  title: 测试\n  doc_no: ''\n  valid_from: 2018-01-01\n  valid_to: 2018-12-31\n"
              "  timezone: Asia/Shanghai\n  warn_days: 14\n  yellow_workdays: 3\n")
    data = plan_folder(tmp_path / "p", tasks, header=header)
    run = ("--data", str(data), "--journal", str(tmp_path / "j.jsonl"), "--as-of", "2018-09-28", "--format", "json")
    rows = fupin("due", *run).json()
    assert [(r["task"], r["status"]) for r in rows] == [("1", "due_soon"), ("2", "upcoming")]
    plain = plan_folder(tmp_path / "q", tasks)  # without yellow_workdays: 14 calendar days, both yellow
    rows = fupin("due", "--data", str(plain), *run[2:]).json()
    assert [(r["task"], r["status"]) for r in rows] == [("1", "due_soon"), ("2", "due_soon")]


def test_yellow_workdays_must_be_a_small_whole_number(fupin, tmp_path):
    header = ("plan:\n  title: 测试\n  valid_from: 2018-01-01\n  valid_to: 2018-12-31\n"
              "  timezone: Asia/Shanghai\n  yellow_workdays: -1\n")
    data = plan_folder(tmp_path / "p", rp.TASKS, header=header)
    result = fupin("due", "--data", str(data), *AS_OF)
    assert result.code == 2 and "yellow_workdays 应是 0 到 366 之间的整数" in result.err and "tasks.yaml" in result.err
