"""The rule shapes of the second pass: two-month and 旬 periods, working days, bounds, explicit schedule keys."""

from __future__ import annotations

from datetime import date

import pytest

from fupin_cli.domain.errors import PlanError
from fupin_cli.domain.holidays import HolidayCalendar
from fupin_cli.domain.model import Rule, Settings
from fupin_cli.domain.periods import KINDS, read_label
from fupin_cli.domain.schedule import Timetable, add_workdays, occurrences
from support.plans import make_plan

D = date.fromisoformat
CAL = HolidayCalendar("none")


def table(rule, lo="2023-01-01", hi="2023-12-31"):
    return [(o.period, o.nominal_due and o.nominal_due.isoformat())
            for o in occurrences(rule, 0, (D(lo), D(hi)), Settings(), CAL)]


@pytest.mark.parametrize("label, kind, start, end", [
    ("2023-B1", "bimonth", "2023-01-01", "2023-02-28"),
    ("2024-B1", "bimonth", "2024-01-01", "2024-02-29"),
    ("2023-B6", "bimonth", "2023-11-01", "2023-12-31"),
    ("2023-07-D1", "dekad", "2023-07-01", "2023-07-10"),
    ("2023-07-D2", "dekad", "2023-07-11", "2023-07-20"),
    ("2023-02-D3", "dekad", "2023-02-21", "2023-02-28"),
])
def test_new_labels_read_back(label, kind, start, end):
    assert read_label(label, Settings()) == (kind, D(start), D(end))
    assert KINDS[kind].label(D(start), Settings()) == label


@pytest.mark.parametrize("label", ["2023-B0", "2023-B7", "2023-07-D0", "2023-07-D4", "2023-13-D1"])
def test_bad_new_labels(label):
    assert read_label(label, Settings()) is None


def test_two_months_and_dekads():
    assert table(Rule(kind="bimonth"), hi="2023-06-30") == [
        ("2023-B1", "2023-02-28"), ("2023-B2", "2023-04-30"), ("2023-B3", "2023-06-30")]
    assert table(Rule(kind="bimonth", month=1, day=5), hi="2023-04-30") == [
        ("2023-B1", "2023-01-05"), ("2023-B2", "2023-03-05")]
    assert table(Rule(kind="dekad"), lo="2023-02-01", hi="2023-02-28") == [
        ("2023-02-D1", "2023-02-10"), ("2023-02-D2", "2023-02-20"), ("2023-02-D3", "2023-02-28")]


def test_working_days_count_on_the_official_calendar():
    # 2023-10-01 … 10-06 National Day; Saturday 10-07 and Sunday 10-08 were working days (调休).
    assert add_workdays(D("2023-09-30"), 5, CAL) == D("2023-10-11")
    assert add_workdays(D("2023-09-28"), 1, CAL) == D("2023-10-07")
    assert add_workdays(D("2023-04-30"), -1, CAL) == D("2023-04-28")  # 29, 30 April off
    assert add_workdays(D("2023-04-28"), -1, CAL) == D("2023-04-28")
    assert add_workdays(D("2023-04-28"), 0, CAL) == D("2023-04-28")
    assert table(Rule(kind="month", workdays=5), hi="2023-03-31") == [
        ("2023-01", "2023-02-07"), ("2023-02", "2023-03-07"), ("2023-03", "2023-04-10")]


def test_months_after_a_period_end_keep_the_month_end():
    assert table(Rule(kind="year", after_months=4), hi="2023-12-31") == [("2023", "2024-04-30")]
    assert table(Rule(kind="half", after_months=2), hi="2023-06-30") == [("2023-H1", "2023-08-31")]


def test_bounds_limit_the_periods():
    rule = Rule(kind="quarter", since=D("2023-07-01"), until=D("2024-03-31"))
    assert table(rule, hi="2024-12-31") == [("2023-Q3", "2023-09-30"), ("2023-Q4", "2023-12-31"),
                                            ("2024-Q1", "2024-03-31")]


def test_once_with_working_days_is_labelled_by_the_date_the_words_name():
    (o,) = occurrences(Rule(kind="once", date=D("2023-09-30"), workdays=5), 0, (D("2023-01-01"), D("2023-12-31")),
                       Settings(), CAL)
    assert (o.period, o.nominal_due) == ("2023-09-30", D("2023-10-11"))


def test_schedule_mappings_take_the_new_keys():
    plan = make_plan("""
      - id: "1"
        text: 报送
        units: [甲局]
        schedule:
          - {every: bimonth, day: 10}
          - {every: month, workdays: 5, since: 2018-07-01}
          - {every: dekad}
          - {every: quarter, until: 2018-09-30}
    """)
    rules = plan.tasks[0].rules
    assert [r.meaning for r in rules] == [
        Rule(kind="bimonth", day=10), Rule(kind="month", workdays=5, since=D("2018-07-01")), Rule(kind="dekad"),
        Rule(kind="quarter", until=D("2018-09-30"))]
    found = Timetable(plan, CAL).occurrences(plan.tasks[0])
    assert [o.period for o in found if o.period.endswith("Q3") or o.period.endswith("Q4")] == ["2018-Q3"]
    assert min(o.period for o in found if o.rule_index == 1) == "2018-07"


@pytest.mark.parametrize("entry, says", [
    ("{every: month, workdays: 99}", "workdays 应是 -23 到 60"),
    ("{every: month, since: 2018-02-30}", "since “2018-02-30” 不是有效日期"),
    ("{every: month, since: 2018-09-01, until: 2018-08-01}", "早于"),
    ("{every: fortnight}", "every 应是"),
])
def test_bad_schedule_mappings(entry, says, tmp_path):
    from support.plans import plan_folder
    from fupin_cli.plan_io.validate import build_plan, build_units
    from fupin_cli.plan_io.yaml_source import read_yaml

    folder = plan_folder(tmp_path, f'- {{id: "1", text: 报送, units: [甲局], schedule: [{entry}]}}')
    with pytest.raises(PlanError) as info:
        build_plan(folder / "tasks.yaml", read_yaml(folder / "tasks.yaml"),
                   build_units(folder / "units.yaml", read_yaml(folder / "units.yaml")), folder / "units.yaml")
    assert says in info.value.message and info.value.line
