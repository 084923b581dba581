"""Several lists in one data folder: keys, KEY:ID, journal lines carrying their plan, reports across plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fupin_cli.plan_io.loader import load_plan
from support.plans import add_plan, done, plan_folder, void, write_journal

TASKS_2018 = """
- {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}
- {id: "2", text: 年度总结, units: [乙局], deadline: 2018年12月31日前}
"""
TASKS_2019 = """
- {id: "1", text: 季度报告, units: [甲局], deadline: 每季度末}
- {id: "3", text: 专项整改, units: [各区], deadline: 2019年3月31日前}
"""


@pytest.fixture
def folder(tmp_path) -> Path:
    """tasks.yaml (the 2018 list, key ``tasks``) and plans/2019.yaml, both with a task "1"."""
    data = plan_folder(tmp_path / "data", TASKS_2018)
    add_plan(data, "2019", TASKS_2019, title="2019清单", valid_from="2019-01-01", valid_to="2019-12-31")
    return data


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def written(record: dict) -> dict:
    """A journal line without what depends on the clock (id, recorded_at)."""
    return {k: v for k, v in record.items() if k not in ("id", "recorded_at")}


def keyed_rows(result) -> list[tuple]:
    assert result.code in (0, 1), result.err
    return [(r["plan"], r["task"], r["unit"], r["period"]) for r in result.json()]


# ---------------------------------------------------------------- the folder

def test_a_folder_loads_every_plan_sharing_one_unit_index(folder):
    plans = load_plan(folder).plans
    assert plans.keys == ["tasks", "2019"]
    first, second = plans
    assert second.units is first.units  # one units.yaml for the folder
    assert (first.tasks_file, second.tasks_file) == (folder / "tasks.yaml", folder / "plans" / "2019.yaml")
    assert [(t.plan, t.id) for t in plans.all_tasks()] == [("tasks", "1"), ("tasks", "2"), ("2019", "1"),
                                                          ("2019", "3")]
    assert [t.text for t in plans.find_tasks("1")] == ["报送月报", "季度报告"]
    assert [t.text for t in plans.find_tasks("2019:1")] == ["季度报告"]
    assert [t.text for t in plans.find_tasks("2019：1")] == ["季度报告"]  # a full-width colon too


def test_a_folder_of_plans_without_tasks_yaml_orders_them_by_file_name(tmp_path):
    data = tmp_path / "data"
    add_plan(data, "2019-重点任务", TASKS_2019, valid_from="2019-01-01", valid_to="2019-12-31")
    add_plan(data, "2018-专项", TASKS_2018)
    plan_folder(tmp_path / "units-only", "- {id: x, text: t, units: [甲局], deadline: 年内}")
    (data / "units.yaml").write_bytes((tmp_path / "units-only" / "units.yaml").read_bytes())
    assert load_plan(data).plans.keys == ["2018-专项", "2019-重点任务"]


def test_two_plans_with_one_key_are_refused(fupin, folder):
    add_plan(folder, "tasks", TASKS_2019)
    result = fupin("list", "--data", str(folder))
    assert result.code == 2
    assert result.err == (f"错误：{folder / 'plans' / 'tasks.yaml'}: 清单名 “tasks” 与 {folder / 'tasks.yaml'} 相同；"
                          f"每个清单的文件名须不同\n")


def test_a_folder_without_any_plan_says_where_one_goes(fupin, tmp_path):
    data = plan_folder(tmp_path / "data", TASKS_2018)
    (data / "tasks.yaml").unlink()
    result = fupin("list", "--data", str(data))
    assert result.code == 2
    assert result.err == (f"错误：{data / 'tasks.yaml'}: 找不到任务清单：数据文件夹中应有 tasks.yaml，"
                          f"或 plans/ 下的清单（如 plans/2019-重点任务.yaml）\n")


def test_info_lists_each_plan(fupin, folder):
    result = fupin("info", "--data", str(folder))
    assert result.code == 0, result.err
    keys = [line.split("：", 1)[0].rstrip("　") for line in result.out.splitlines()]
    assert keys.count("清单名") == 2 and keys.count("有效期") == 2
    assert "清单　　　：2 个：tasks、2019（--plan 清单名 只看其一；没有清单名的旧台账记录属于 tasks）" in result.out
    assert "有效期　　：2019-01-01 至 2019-12-31" in result.out
    narrowed = fupin("info", "--data", str(folder), "--plan", "2019")
    assert "有效期　　：2018-01-01" not in narrowed.out and "清单名　　：2019" in narrowed.out


# ---------------------------------------------------------------- naming a task

def test_a_bare_id_two_plans_share_is_ambiguous_and_nothing_is_written(fupin, folder, journal_path):
    result = fupin("done", "1", "--unit", "甲局", "--data", str(folder), "--as-of", "2019-04-01")
    assert result.code == 2
    assert result.err == ("错误：任务编号 “1” 在 2 个清单中都有：tasks:1（测试清单）、2019:1（2019清单）；"
                          "请写成 清单名:编号（如 2019:1），或用 --plan 指定清单\n")
    assert not journal_path.exists()


def test_key_colon_id_and_plan_narrowing_write_the_plan_into_the_line(fupin, folder, journal_path):
    data = ("--data", str(folder), "--as-of", "2019-04-01")
    first = fupin("done", "2019:1", "--unit", "甲局", "--date", "2019-03-20", *data)
    assert first.code == 0, first.err
    assert first.out.startswith("已销号：任务 2019:1，甲局，期间 2019-Q1，完成日期 2019-03-20；该期间已记 1/1 次。\n")
    second = fupin("done", "1", "--plan", "tasks", "--unit", "甲局", "--period", "2018-07", "--date", "2018-07-03",
                   *data)
    assert second.code == 0, second.err
    assert "任务 tasks:1，甲局，期间 2018-07" in second.out
    unique = fupin("done", "3", "--unit", "东区", "--date", "2019-03-29", *data)  # only 2019 has a "3"
    assert unique.code == 0, unique.err
    assert [written(r) for r in lines(journal_path)] == [
        {"op": "done", "plan": "2019", "task": "1", "unit": "甲局", "period": "2019-Q1", "date": "2019-03-20",
         "by": "", "note": ""},
        {"op": "done", "plan": "tasks", "task": "1", "unit": "甲局", "period": "2018-07", "date": "2018-07-03",
         "by": "", "note": ""},
        {"op": "done", "plan": "2019", "task": "3", "unit": "东区", "period": "2019-03-31", "date": "2019-03-29",
         "by": "", "note": ""},
    ]
    undo = fupin("undo", lines(journal_path)[0]["id"], "--reason", "录错", "--data", str(folder))
    assert undo.code == 0, undo.err
    assert undo.out.startswith(f"已作废记录 {lines(journal_path)[0]['id']}（任务 2019:1，甲局，期间 2019-Q1，"
                               f"完成日期 2019-03-20）。")
    assert written(lines(journal_path)[-1]) == {"op": "void", "plan": "2019", "target": lines(journal_path)[0]["id"],
                                                "by": "", "note": "录错"}


AT = ("--as-of", "2019-04-01")


@pytest.mark.parametrize("args, message", [
    (("done", "2019:2", "--unit", "乙局", *AT), "错误：清单 2019 中没有任务编号 “2”；是否是指 2019:3、2019:1？\n"),
    (("done", "2020:1", "--unit", "甲局", *AT), "错误：未知的任务编号 “2020:1”；是否是指 2019:1、2019:3？\n"),
    (("done", "3", "--plan", "tasks", "--unit", "东区", *AT), "错误：未知的任务编号 “3”（fupin list 列出全部任务）\n"),
    (("overdue", "--plan", "2020", *AT), "错误：--plan：数据文件夹中没有清单 “2020”，现有：tasks、2019\n"),
    (("journal", "--task", "1"), "错误：任务编号 “1” 在 2 个清单中都有：tasks:1（测试清单）、2019:1（2019清单）；"
                                 "请写成 清单名:编号（如 2019:1），或用 --plan 指定清单\n"),
    (("export", "--format", "xlsx", "--output", "x.xlsx"),
     "错误：数据文件夹中有 2 个清单（tasks、2019），请用 --plan 指定一个\n"),
])
def test_naming_refusals(fupin, folder, args, message):
    result = fupin(*args, "--data", str(folder))
    assert result.code == 2, result.out
    assert result.err == message


# ---------------------------------------------------------------- the journal and the ledger

def test_completions_stay_in_their_plan_and_older_lines_belong_to_the_first(fupin, folder, journal_path):
    write_journal(journal_path, [
        done("1", "甲局", "2018-07", "2018-07-03"),                     # written before lines named their plan
        done("1", "甲局", "2018-08", "2018-08-03", plan="tasks"),
        done("1", "甲局", "2019-Q1", "2019-03-20", plan="2019"),
        done("1", "甲局", "2018-09", "2018-09-03", plan="2019"),        # 2019:1 has no 2018-09: counts nowhere
        done("3", "西区", "2019-03-31", "2019-03-29"),                  # task 3 of the first plan: there is none
    ])
    result = fupin("overdue", "--data", str(folder), "--as-of", "2019-04-10", "--format", "json")
    assert keyed_rows(result) == [  # the official order: units as units.yaml lists them, tasks in folder order
        *[("tasks", "1", "甲局", f"2018-{m:02d}") for m in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12)],
        ("tasks", "2", "乙局", "2018-12-31"),
        ("2019", "3", "东区", "2019-03-31"),
        ("2019", "3", "西区", "2019-03-31"),
    ]
    assert result.err == "提示：台账中有 2 条完成记录对不上当前清单（任务已删除、单位已改名或完成时限已改），未计入报表；运行 fupin check 查看\n"
    check = fupin("check", "--data", str(folder))
    assert check.code == 1
    assert check.out.splitlines()[:2] == [
        f"{journal_path}:4: 记录 {lines(journal_path)[3]['id']}（清单 2019，任务 1，甲局，期间 2018-09）不计入报表："
        f"期间 “2018-09” 不是任务 1 的期间：完成时限可能已改，现在按季度（期间如 2019-Q1、2019-Q2、2019-Q3……），"
        f"这条是按月的期间；如这条记录仍有效，作废后按现在的期间重新销号",
        f"{journal_path}:5: 记录 {lines(journal_path)[4]['id']}（清单 tasks，任务 3，西区，期间 2019-03-31）不计入报表："
        f"任务 “3” 不在清单中（可能已删除或改了编号）；如这条记录仍有效，作废后按现在的任务编号重新销号",
    ]


def test_the_journal_listing_names_each_entrys_plan_and_narrows(fupin, folder, journal_path):
    older = done("1", "甲局", "2018-07", "2018-07-03")
    newer = done("1", "甲局", "2019-Q1", "2019-03-20", plan="2019")
    write_journal(journal_path, [older, newer, void(newer["id"], id="20190321T000000.000000Z-00000v")])
    everything = fupin("journal", "--data", str(folder), "--format", "json")
    assert [(r["plan"], r["op"], r["task"], r["period"]) for r in everything.json()] == [
        ("tasks", "done", "1", "2018-07"), ("2019", "done", "1", "2019-Q1"), ("2019", "void", "1", "2019-Q1")]
    by_key = fupin("journal", "--data", str(folder), "--task", "2019:1", "--format", "json")
    assert [r["id"] for r in by_key.json()] == [newer["id"], "20190321T000000.000000Z-00000v"]
    narrowed = fupin("journal", "--data", str(folder), "--plan", "tasks", "--format", "json")
    assert [r["id"] for r in narrowed.json()] == [older["id"]]


def test_a_line_naming_a_plan_the_folder_lacks_is_a_problem(fupin, folder, journal_path):
    write_journal(journal_path, [done("1", "甲局", "2018-07", "2018-07-03", plan="2018-汕扶9号")])
    check = fupin("check", "--data", str(folder))
    assert check.code == 1
    assert check.out.splitlines()[0] == (
        f"{journal_path}:1: 记录 {lines(journal_path)[0]['id']} 的清单 “2018-汕扶9号” 不在数据文件夹中"
        f"（现有：2019、tasks），不计入报表（清单文件可能改了名：改回原名）")
    overdue = fupin("overdue", "--data", str(folder), "--as-of", "2018-07-10", "--format", "json")
    assert ("tasks", "1", "甲局", "2018-07") in keyed_rows(overdue)
    assert "台账中有 1 条完成记录对不上当前清单" in overdue.err
    listed = fupin("journal", "--data", str(folder), "--format", "json")
    assert [r["plan"] for r in listed.json()] == ["2018-汕扶9号"]  # shown, so it can be found and voided
    assert fupin("journal", "--data", str(folder), "--plan", "tasks", "--format", "json").json() == []


# ---------------------------------------------------------------- reports across plans

def test_reports_cover_the_plans_of_the_day_and_plan_narrows(fupin, folder, journal_path):
    write_journal(journal_path, [done("1", "甲局", f"2018-{m:02d}", f"2018-{m:02d}-03") for m in range(1, 13)])
    data = ("--data", str(folder), "--format", "json")
    # 2018-07: only the 2018 list is in force (2019's has not begun)
    assert keyed_rows(fupin("due", "--as-of", "2018-12-20", *data)) == [("tasks", "2", "乙局", "2018-12-31")]
    # 2019-03-25: the 2019 list, and what the 2018 list left undone
    assert keyed_rows(fupin("due", "--as-of", "2019-03-25", *data)) == [
        ("2019", "1", "甲局", "2019-Q1"), ("tasks", "2", "乙局", "2018-12-31"),
        ("2019", "3", "东区", "2019-03-31"), ("2019", "3", "西区", "2019-03-31")]
    assert keyed_rows(fupin("due", "--as-of", "2019-03-25", "--plan", "2019", *data)) == [
        ("2019", "1", "甲局", "2019-Q1"), ("2019", "3", "东区", "2019-03-31"), ("2019", "3", "西区", "2019-03-31")]
    # a year after its end the 2018 list leaves the reports
    assert keyed_rows(fupin("overdue", "--as-of", "2020-01-02", *data)) == [
        *[("2019", "1", "甲局", f"2019-Q{q}") for q in (1, 2, 3, 4)],
        ("2019", "3", "东区", "2019-03-31"), ("2019", "3", "西区", "2019-03-31")]
    weekly = fupin("report", "weekly", "--as-of", "2019-03-25", *data).json()  # Monday; 03-31 is a Sunday
    assert weekly["title"] == "测试清单、2019清单"
    assert [(r["plan"], r["task"], r["unit"]) for r in weekly["overdue"]] == [("tasks", "2", "乙局")]
    assert weekly["due_this_week"] == []
    assert [(r["plan"], r["task"], r["unit"], r["due"]) for r in weekly["due_next_week"]] == [
        ("2019", "1", "甲局", "2019-04-01"), ("2019", "3", "东区", "2019-04-01"), ("2019", "3", "西区", "2019-04-01")]
    calendar = fupin("calendar", "--from", "2018-12-28", "--to", "2019-01-05", *data)
    assert [(r["plan"], r["task"], r["due"]) for r in calendar.json()] == [("tasks", "2", "2019-01-02")]


def test_as_of_outside_every_window_names_them_all(fupin, folder):
    result = fupin("overdue", "--data", str(folder), "--as-of", "2021-06-01")
    assert result.code == 2
    assert result.err == ("错误：--as-of 2021-06-01 不在任务清单的有效期内（tasks：2018-01-01 至 2018-12-31；"
                          "2019：2019-01-01 至 2019-12-31；之后一年内仍可查询逾期）\n")


def test_list_and_check_across_plans(fupin, folder, journal_path):
    listing = fupin("list", "--data", str(folder), "--format", "json")
    assert [(t["plan"], t["id"]) for t in listing.json()] == [("tasks", "1"), ("tasks", "2"), ("2019", "1"),
                                                             ("2019", "3")]
    narrowed = fupin("list", "--data", str(folder), "--plan", "2019", "--format", "json")
    assert [(t["plan"], t["id"]) for t in narrowed.json()] == [("2019", "1"), ("2019", "3")]
    check = fupin("check", "--data", str(folder))
    assert check.code == 0, check.out
    assert check.out.endswith(f"检查通过：2 个清单，4 项任务，5 个单位，台账 {journal_path}。\n")


# ---------------------------------------------------------------- the pieces

def test_which_plans_a_day_concerns(folder):
    from datetime import date

    plans = load_plan(folder).plans
    keys = lambda found: [p.key for p in found]  # noqa: E731
    assert keys(plans.reported_on(date(2017, 12, 31))) == []
    assert keys(plans.reported_on(date(2018, 12, 31))) == ["tasks"]
    assert keys(plans.reported_on(date(2019, 1, 1))) == ["tasks", "2019"]
    assert keys(plans.in_force(date(2019, 1, 1))) == ["2019"]
    assert keys(plans.reported_on(date(2020, 1, 1))) == ["tasks", "2019"]  # 366 days after 2018-12-31
    assert keys(plans.reported_on(date(2020, 1, 2))) == ["2019"]
    first, second = plans
    assert plans.view([second]) is second
    assert plans.view([]).tasks == () and plans.view([]).title == "测试清单、2019清单"
    both = plans.view([second, first])  # folder order, whatever the order asked in
    assert [(t.plan, t.id) for t in both.tasks] == [("tasks", "1"), ("tasks", "2"), ("2019", "1"), ("2019", "3")]
    assert (both.title, both.valid_from.isoformat(), both.valid_to.isoformat()) == (
        "测试清单、2019清单", "2018-01-01", "2019-12-31")


def test_lines_without_a_plan_key_join_the_first_plans_cells():
    from datetime import date

    from fupin_cli.journal.ledger import Ledger

    d = [date(2018, m, 1).toordinal() for m in (3, 5, 9)]
    ledger = Ledger({"": {"1": {"2018": {"东区": d[2]}}, "2": {"2018": {"西区": d[0]}}},
                     "tasks": {"1": {"2018": {"东区": (d[0], d[1])}}},
                     "2019": {"1": {"2019": {"东区": d[1]}}}}, [])
    merged = ledger.with_unkeyed_as("tasks")
    assert merged.completions == {"tasks": {"1": {"2018": {"东区": (d[0], d[1], d[2])}}, "2": {"2018": {"西区": d[0]}}},
                                  "2019": {"1": {"2019": {"东区": d[1]}}}}
    assert ledger.completions["tasks"]["1"]["2018"]["东区"] == (d[0], d[1])  # the ledger it came from is as it was
    assert merged.with_unkeyed_as("tasks") is merged
    moved = merged.relabelled({"2019": {"1": {"2019": "2019#2"}}})
    assert moved.completions["2019"] == {"1": {"2019#2": {"东区": d[1]}}}
    assert moved.completions["tasks"] is merged.completions["tasks"]


def test_the_journal_index_reads_keyed_lines_from_the_tail(fupin, folder, journal_path, monkeypatch, tmp_path):
    from fupin_cli.journal.jsonl import index as tally

    write_journal(journal_path, [done("1", "甲局", f"2018-{m:02d}", f"2018-{m:02d}-03") for m in range(1, 7)])
    args = ("overdue", "--data", str(folder), "--as-of", "2019-04-10", "--format", "json")
    before = keyed_rows(fupin(*args))  # builds the index
    assert ("tasks", "1", "甲局", "2018-07") in before and ("tasks", "1", "甲局", "2018-06") not in before
    assert fupin("done", "2019:1", "--unit", "甲局", "--date", "2019-03-20", "--data", str(folder),
                 "--as-of", "2019-04-10").code == 0
    assert fupin("done", "tasks:1", "--unit", "甲局", "--date", "2018-07-20", "--data", str(folder),
                 "--as-of", "2019-04-10").code == 0

    def no_full_read(self, snapshot):
        raise AssertionError("the whole journal was read again")

    with monkeypatch.context() as patched:
        patched.setattr(tally.JournalIndex, "_fold_again", no_full_read)
        grown = keyed_rows(fupin(*args))
    monkeypatch.setenv("FUPIN_NO_CACHE", "1")
    assert grown == keyed_rows(fupin(*args))
    assert set(before) - set(grown) == {("tasks", "1", "甲局", "2018-07"), ("2019", "1", "甲局", "2019-Q1")}


def test_reimporting_one_list_weighs_only_its_own_completions(fupin, tmp_path, journal_path):
    """A dropped task is refused only when its own list's journal lines hold completions of it."""
    folder = tmp_path / "data"
    table = "2020年专项清单\n序号,工作任务,责任单位,完成时限\n1,落实低保。,市民政局,逐月完成\n,发放临时救助。,市民政局,每季度末\n"
    source = tmp_path / "2020年专项清单.csv"
    source.write_text(table, encoding="utf-8")
    assert fupin("init", str(folder)).code == 0  # the shipped list as tasks.yaml
    assert fupin("import", str(source), "--into", str(folder), "--plan", "2020").code == 0
    assert [t.id for t in load_plan(folder).plans.get("2020").tasks] == ["1.1", "1.2"]
    # completions of the shipped list's 1.2 (an older line without a key, and a keyed one) …
    write_journal(folder / "journal.jsonl", [done("1.2", "金平区", "2018-06", "2018-06-20"),
                                             done("1.2", "龙湖区", "2018-06", "2018-06-21", plan="tasks")])
    source.write_text(table.replace(",发放临时救助。,市民政局,每季度末\n", ""), encoding="utf-8")
    # … do not hold back 2020's dropping its own 1.2
    assert fupin("import", str(source), "--into", str(folder), "--plan", "2020").code == 0
    assert [t.id for t in load_plan(folder).plans.get("2020").tasks] == ["1.1"]
    write_journal(folder / "journal.jsonl", [done("1.1", "市民政局", "2020-01", "2020-01-20", plan="2020")])
    source.write_text(table.replace("1,落实低保。,市民政局,逐月完成\n", "").replace(",发放", "1,发放"),
                      encoding="utf-8")
    refused = fupin("import", str(source), "--into", str(folder), "--plan", "2020")
    assert refused.code == 2
    assert "1.1（落实低保。，1 条）" in refused.err


# ---------------------------------------------------------------- the 清单 column

SHARED = """
- {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}
"""
SPECIAL = """
- {id: "1", text: 整改台账, units: [甲局, 东区], deadline: 每月5日前}
"""


@pytest.fixture
def same_year(tmp_path) -> Path:
    """Two lists of one year, each with a monthly task "1": their July duties share id and period."""
    data = plan_folder(tmp_path / "data", SHARED, valid_from="2019-01-01", valid_to="2019-12-31")
    add_plan(data, "专项", SPECIAL, title="专项整改清单", valid_from="2019-01-01", valid_to="2019-12-31")
    return data


def table_block(out: str, heading: str) -> list[str]:
    """The rows (header first) of the bordered table right under the line ``heading`` in a text printout."""
    lines = out.split(f"\n{heading}\n", 1)[1].splitlines()
    block = []
    for line in lines:
        if not line.startswith(("|", "+")):
            break
        block.append(line)
    return [line for line in block if line.startswith("|")]


def test_a_report_across_lists_shows_which_list_each_row_is_of(fupin, folder, journal_path):
    write_journal(journal_path, [done("1", "甲局", f"2018-{m:02d}", f"2018-{m:02d}-03") for m in range(1, 13)])
    both = fupin("overdue", "--data", str(folder), "--as-of", "2019-04-10", "--format", "text")
    assert both.out.splitlines()[0] == "测试清单、2019清单：逾期未完成事项"
    assert table_block(both.out, "甲局（1 项）") == [
        "| 清单  | 状态      | 编号 | 工作任务 | 期间       | 应完成日   | 原定日期   | 期限     | 完成次数 |",
        "| 2019  | 红灯·逾期 | 1    | 季度报告 | 2019-Q1    | 2019-04-01 | 2019-03-31 | 逾期9天  | 0/1      |",
    ]
    one = fupin("overdue", "--data", str(folder), "--as-of", "2019-04-10", "--format", "text", "--plan", "2019")
    assert one.out.splitlines()[0] == "2019清单：逾期未完成事项"
    assert "清单 |" not in one.out and "| 状态      | 编号 |" in one.out


def test_the_weekly_printout_keeps_each_lists_duty_apart(fupin, same_year):
    result = fupin("report", "weekly", "--data", str(same_year), "--as-of", "2019-06-30", "--format", "text")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "测试清单、专项整改清单 督办周报（2019年第26周）"
    assert table_block(result.out, "下周到期（2 项，涉及 3 个单位次）") == [
        "| 清单  | 编号 | 工作任务 | 期间      | 应完成日   | 未完成单位              |",
        "| tasks | 1    | 报送月报 | 2019年7月 | 2019-07-05 | 甲局                    |",
        "| 专项  | 1    | 整改台账 | 2019年7月 | 2019-07-05 | 甲局、东区（共2个单位） |",
    ]
    notice = fupin("report", "notice", "--unit", "甲局", "--data", str(same_year), "--as-of", "2019-07-01",
                   "--format", "json").json()
    assert [(r["plan"], r["task"], r["period"], r["deadline"]) for r in notice["notices"][0]["due_soon"]] == [
        ("tasks", "1", "2019-07", "每月5日前"), ("专项", "1", "2019-07", "每月5日前")]


def test_one_list_in_a_folder_prints_no_list_column(fupin, same_year):
    (same_year / "plans" / "专项.yaml").unlink()
    result = fupin("report", "weekly", "--data", str(same_year), "--as-of", "2019-06-30", "--format", "text")
    assert table_block(result.out, "下周到期（1 项，涉及 1 个单位次）") == [
        "| 编号 | 工作任务 | 期间      | 应完成日   | 未完成单位 |",
        "| 1    | 报送月报 | 2019年7月 | 2019-07-05 | 甲局       |",
    ]


def test_show_and_units_across_lists(fupin, folder):
    shown = fupin("show", "2019:1", "--data", str(folder), "--format", "json").json()
    assert (shown["plan"], shown["id"], shown["text"]) == ("2019", "1", "季度报告")
    text = fupin("show", "1", "--plan", "2019", "--data", str(folder), "--format", "text").out
    assert text.splitlines()[0] == "2019清单：任务 1" and "| 清单         | 2019 " in text
    units = fupin("units", "--data", str(folder), "--format", "json").json()
    assert [(u["name"], u["tasks"]) for u in units] == [("甲局", 2), ("乙局", 1), ("各区", 1), ("东区", 1), ("西区", 1)]
    narrowed = fupin("units", "--plan", "tasks", "--data", str(folder), "--format", "json").json()
    assert [(u["name"], u["tasks"]) for u in narrowed] == [("甲局", 1), ("乙局", 1), ("各区", 0), ("东区", 0),
                                                          ("西区", 0)]
