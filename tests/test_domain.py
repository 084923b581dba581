"""The pure core on tiny inline plans: units and groups, the timetable, obligations, status."""

from __future__ import annotations

from datetime import date

import pytest

from fupin_cli.domain.errors import UsageError
from fupin_cli.domain.holidays import HolidayCalendar
from fupin_cli.domain.model import Task
from fupin_cli.domain.obligations import Scope, obligations
from fupin_cli.domain.schedule import Timetable
from fupin_cli.domain.status import status_of
from fupin_cli.domain.units import Unit, UnitIndex
from support.plans import make_plan

D = date.fromisoformat

NESTED = UnitIndex([
    Unit("全市", "其他", members=("各区", "甲局")),
    Unit("甲局", "市直单位", aliases=("甲",)),
    Unit("各区", "区县", aliases=("区（县）",), members=("东区", "西区")),
    Unit("东区", "区县"),
    Unit("西区", "区县"),
    Unit("乙局", "市直单位"),
])


def test_unit_index_lookup_by_name_alias_and_written_forms():
    assert NESTED.lookup("甲") == "甲局"
    assert NESTED.lookup(" 区(县) ") == "各区"  # half-width brackets and spaces as clerks type them
    assert NESTED.lookup("丙局") is None
    assert list(NESTED) == ["全市", "甲局", "各区", "东区", "西区", "乙局"]  # the official order


def test_leaves_groups_and_related_through_nesting():
    assert NESTED.leaves("全市") == ("东区", "西区", "甲局")
    assert NESTED.leaves("东区") == ("东区",)
    assert NESTED.groups_of("东区") == {"各区", "全市"}
    assert NESTED.groups_of("乙局") == frozenset()
    assert NESTED.related("各区") == {"各区", "全市", "东区", "西区"}
    assert NESTED.responsible(("乙局", "各区", "东区")) == ("乙局", "东区", "西区")


def test_resolve_says_what_was_meant_or_why_not():
    assert NESTED.resolve("甲") == "甲局"
    with pytest.raises(UsageError, match="未知的单位 “丙局”"):
        NESTED.resolve("丙局")
    with pytest.raises(UsageError, match="不能为空"):
        NESTED.resolve("  ")


def test_unit_index_stays_linear_on_a_province():
    villages = [Unit(f"村{i}", "村") for i in range(20_000)]
    index = UnitIndex([Unit("全部村", "村", members=tuple(u.name for u in villages)), *villages])
    assert len(index.leaves("全部村")) == 20_000
    assert all(index.groups_of(u.name) == {"全部村"} for u in villages)


MONTHLY = """
- {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前报送上月}
- {id: "2", text: 录入与审核, units: [各区], deadline: 每月25日前录入；每月28日前审核}
- {id: "3", text: 年度总结, units: [乙局, 各区], deadline: 2018年12月31日前}
"""


def test_timetable_gives_each_duty_its_period_and_due_date():
    plan = make_plan(MONTHLY, valid_from="2018-07-01", valid_to="2018-08-31")
    timetable = Timetable(plan, HolidayCalendar("next_workday"))
    first = timetable.occurrences(plan.tasks[0])
    # 每月5日前报送上月: June is reported by 5 July; the plan starts in July, so June's report is due inside it.
    assert [(o.period, o.nominal_due, o.due) for o in first] == [
        ("2018-07", D("2018-08-05"), D("2018-08-06")),  # 5 August is a Sunday
        ("2018-08", D("2018-09-05"), D("2018-09-05")),
    ]
    second = timetable.occurrences(plan.tasks[1])
    assert [(o.period, o.due) for o in second] == [
        ("2018-07#d25", D("2018-07-25")), ("2018-08#d25", D("2018-08-27")),  # 25 August is a Saturday
        ("2018-07#d28", D("2018-07-30")), ("2018-08#d28", D("2018-08-28")),  # 28 July is a Saturday
    ]
    assert timetable.occurrences(plan.tasks[1]) is second  # computed once per rule set


def test_obligations_expand_groups_within_a_scope_and_window():
    plan = make_plan(MONTHLY, valid_from="2018-07-01", valid_to="2018-08-31")
    timetable = Timetable(plan, HolidayCalendar("none"))
    everything = {(o.task.id, o.unit, o.occurrence.period) for o in obligations(timetable)}
    assert ("3", "东区", "2018-12-31") in everything and ("3", "乙局", "2018-12-31") in everything
    west = {(o.task.id, o.occurrence.period) for o in obligations(timetable, Scope.for_unit(plan.units, "西区"),
                                                                due_from=D("2018-07-01"),
                                                                due_until=D("2018-07-31"))}
    assert west == {("2", "2018-07#d25"), ("2", "2018-07#d28")}


def test_tasks_for_a_unit_include_its_groups_and_a_groups_members():
    plan = make_plan(MONTHLY)
    assert [t.id for t in plan.tasks_for_unit("东区")] == ["2", "3"]
    assert [t.id for t in plan.tasks_for_unit("各区")] == ["2", "3"]
    assert [t.id for t in plan.tasks_for_unit("甲局")] == ["1"]
    assert isinstance(plan.find_task(" 2 "), Task) and plan.find_task("9") is None


@pytest.mark.parametrize("due, required, done, today, expected", [
    ("2018-07-10", 1, [], "2018-07-11", ("overdue", -1, None)),
    ("2018-07-10", 1, [], "2018-07-10", ("due_soon", 0, None)),
    ("2018-07-30", 1, [], "2018-07-10", ("upcoming", 20, None)),
    ("2018-07-10", 1, ["2018-07-09"], "2018-07-20", ("done", -10, D("2018-07-09"))),
    ("2018-07-10", 2, ["2018-07-09", "2018-07-12"], "2018-07-20", ("done_late", -10, D("2018-07-12"))),
    ("2018-07-10", 2, ["2018-07-09"], "2018-07-20", ("overdue", -10, None)),
    (None, 1, [], "2018-07-20", ("ongoing", None, None)),
])
def test_status_is_the_traffic_light(due, required, done, today, expected):
    assert status_of(D(due) if due else None, required, [D(d) for d in done], D(today), 14) == expected
