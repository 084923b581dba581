"""Every fact of tests/support/shipped.py, derived again from the shipped files.

File facts are recounted from src/fupin_cli/data/*.yaml and the seed table with yaml and plain
string handling, never through fupin; report facts can only come from fupin's reports, so they
are asked of it once each here. When the shipped plan changes, these tests name the facts
that moved; update tests/support/shipped.py and every test using them follows.
"""

from __future__ import annotations

import yaml

from support import shipped

TASKS = yaml.safe_load((shipped.DATA / "tasks.yaml").read_text(encoding="utf-8"))
UNITS = yaml.safe_load((shipped.DATA / "units.yaml").read_text(encoding="utf-8"))["units"]


def test_the_header():
    header = TASKS["plan"]
    assert (header["title"], header["doc_no"], header["issuer"], header["issued"]) == (
        shipped.TITLE, shipped.DOC_NO, shipped.ISSUER, shipped.ISSUED)


def test_the_counts_of_tasks_and_units():
    tasks = TASKS["tasks"]
    assert len(tasks) == shipped.TASK_COUNT
    assert len({task["id"] for task in tasks}) == shipped.TASK_COUNT
    assert len(UNITS) == shipped.UNIT_COUNT
    assert len({name for task in tasks for name in task["units"]}) == shipped.UNITS_NAMED_BY_TASKS
    assert sum(1 for task in tasks if not (task.get("deadline") or "").strip()) == shipped.TASKS_WITHOUT_DEADLINE


def test_the_districts_are_the_members_of_the_district_group():
    [group] = [unit for unit in UNITS if unit["name"] == "各区（县）"]
    assert tuple(group["members"]) == shipped.DISTRICTS


def test_the_seed_table_lines():
    text = shipped.SEED.read_text(encoding="utf-8")
    table = text.split("# " + shipped.TITLE, 1)[1]
    lines = [line for line in table.splitlines() if line.count("\t") >= 2 and not line.startswith("序号\t")]
    assert len(lines) == shipped.SEED_TABLE_LINES
    assert shipped.DOC_NO in text.split("# " + shipped.TITLE, 1)[0]


def test_the_due_list_of_everyone(fupin):
    rows = fupin("due", "--as-of", "2018-07-16", "--format", "json").json()
    assert len(rows) == shipped.DUE_ROWS_2018_07_16
    assert len({row["unit"] for row in rows}) == shipped.DUE_UNITS_2018_07_16
    assert sum(row["unit"] == "各镇" for row in rows) == shipped.DUE_ROWS_OF_TOWNS_2018_07_16


def test_the_due_list_of_the_civil_affairs_bureau(fupin):
    rows = fupin("due", "--unit", "市民政局", "--as-of", "2018-07-15", "--format", "json").json()
    assert len(rows) == shipped.CIVIL_AFFAIRS_DUE_ROWS_2018_07_15


def test_the_overdue_finance_tasks(fupin):
    rows = fupin("overdue", "--category", "金融扶贫", "--as-of", "2018-07-15", "--format", "json").json()
    assert len(rows) == shipped.FINANCE_OVERDUE_ROWS_2018_07_15
    assert len({row["unit"] for row in rows}) == shipped.FINANCE_OVERDUE_UNITS_2018_07_15


def test_the_weekly_report_and_notices_of_week_29(fupin):
    on_the_journal = ("--as-of", "2018-07-16", "--journal", str(shipped.SHIPPED_JOURNAL), "--format", "json")
    overdue = fupin("report", "weekly", *on_the_journal).json()["overdue"]
    assert len({(row["task"], row["period"]) for row in overdue}) == shipped.WEEK29_OVERDUE_TASKS
    assert len(overdue) == shipped.WEEK29_OVERDUE_UNIT_TIMES
    notices = fupin("report", "notice", "--each-unit", *on_the_journal).json()["notices"]
    assert len(notices) == shipped.WEEK29_NOTICES
