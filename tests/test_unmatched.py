"""Completions that no longer match the plan: one warning line at the end of every report, and
``fupin check`` naming each with the likely fix.

Issue 11: a renamed unit (old name kept as alias), a removed task, a changed deadline kind, or hand
variants (``金平区 `` with a space, ``13．1``, ``2018-4``) dropped completions from reports without a word.
"""

from __future__ import annotations

import pytest

from support.plans import done, plan_folder, void, write_journal

TASKS = """
- {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}
- {id: "2", text: 季度总结, units: [各区], deadline: 每季度之后10日内完成}
- {id: "13.1", text: 金融扶贫, units: [乙局], deadline: 每季度之后10日内完成}
"""
UNITS = """\
units:
  - {name: 甲局, kind: 市直单位, aliases: [甲]}
  - {name: 乙局, kind: 市直单位, aliases: [旧乙局]}
  - {name: 各区, kind: 区县, members: [东区, 西区]}
  - {name: 东区, kind: 区县}
  - {name: 西区, kind: 区县}
"""
AS_OF = ("--as-of", "2018-10-15")
WARNING = "提示：台账中有 {n} 条完成记录对不上当前清单（任务已删除、单位已改名或完成时限已改），未计入报表；运行 fupin check 查看\n"


@pytest.fixture
def office(tmp_path, journal_path):
    data = plan_folder(tmp_path / "plan", TASKS, units=UNITS)
    records = [
        done("1", "甲局", "2018-06", "2018-07-02", id="20180702T000000.000000Z-000001"),  # counts
        done("1", "甲局 ", "2018-05", "2018-06-02", id="20180702T000000.000000Z-000002"),  # a space
        done("１", "甲局", "2018-04", "2018-05-03", id="20180702T000000.000000Z-000003"),  # full-width id
        done("1", "甲局", "2018-4", "2018-05-04", id="20180702T000000.000000Z-000004"),  # 2018-4
        done("2", "东区", "2018-07", "2018-07-05", id="20180702T000000.000000Z-000005"),  # was monthly
        done("9", "甲局", "2018-06", "2018-07-06", id="20180702T000000.000000Z-000006"),  # task removed
        done("13.1", "旧乙局", "2018-Q2", "2018-07-07", id="20180702T000000.000000Z-000007"),  # renamed
        done("2", "甲局", "2018-Q2", "2018-07-08", id="20180702T000000.000000Z-000008"),  # not responsible
        done("13．1", "乙局", "2018-Q1", "2018-04-09", id="20180702T000000.000000Z-000009"),  # 13．1
        done("9", "乙局", "2018-06", "2018-07-10", id="20180702T000000.000000Z-000010"),  # voided: no matter
        void("20180702T000000.000000Z-000010", id="20180703T000000.000000Z-000011"),
    ]
    write_journal(journal_path, records)
    return data


@pytest.mark.parametrize("report", [["overdue"], ["due", "--within", "30"], ["report", "weekly"]])
@pytest.mark.parametrize("fmt", ["json", "table"])
def test_reports_end_with_one_line_counting_them(fupin, office, report, fmt):
    result = fupin(*report, "--format", fmt, *AS_OF, "--data", str(office))
    assert result.code == 0
    assert result.err == WARNING.format(n=8)


def test_check_lists_each_with_the_likely_fix(fupin, office, journal_path):
    result = fupin("check", "--data", str(office))
    assert result.code == 1
    at = f"{journal_path}:"
    expected = [
        f"{at}2: 记录 20180702T000000.000000Z-000002（任务 1，甲局 ，期间 2018-05）不计入报表：单位应写作 “甲局”"
        f"（原写法 “甲局 ” 多了空格或用了全角字符）；作废后按正确的写法重新销号：fupin undo "
        f"20180702T000000.000000Z-000002 --reason 更正写法 && fupin done 1 --unit 甲局 --period 2018-05 "
        f"--date 2018-06-02",
        f"{at}3: 记录 20180702T000000.000000Z-000003（任务 １，甲局，期间 2018-04）不计入报表：任务编号应写作 “1”；"
        f"作废后按正确的写法重新销号：fupin undo 20180702T000000.000000Z-000003 --reason 更正写法 && fupin done 1 "
        f"--unit 甲局 --period 2018-04 --date 2018-05-03",
        f"{at}4: 记录 20180702T000000.000000Z-000004（任务 1，甲局，期间 2018-4）不计入报表：期间应写作 “2018-04”；"
        f"作废后按正确的写法重新销号：fupin undo 20180702T000000.000000Z-000004 --reason 更正写法 && fupin done 1 "
        f"--unit 甲局 --period 2018-04 --date 2018-05-04",
        f"{at}5: 记录 20180702T000000.000000Z-000005（任务 2，东区，期间 2018-07）不计入报表：期间 “2018-07” 不是任务 2 的期间："
        f"完成时限可能已改，现在按季度（期间如 2018-Q1、2018-Q2、2018-Q3……），这条是按月的期间；如这条记录仍有效，"
        f"作废后按现在的期间重新销号",
        f"{at}6: 记录 20180702T000000.000000Z-000006（任务 9，甲局，期间 2018-06）不计入报表：任务 “9” 不在清单中"
        f"（可能已删除或改了编号）；如这条记录仍有效，作废后按现在的任务编号重新销号",
        f"{at}7: 记录 20180702T000000.000000Z-000007（任务 13.1，旧乙局，期间 2018-Q2）不计入报表：单位 “旧乙局” 已改名为 "
        f"“乙局”（旧名现为别名）；作废后按正确的写法重新销号：fupin undo 20180702T000000.000000Z-000007 --reason 更正写法 "
        f"&& fupin done 13.1 --unit 乙局 --period 2018-Q2 --date 2018-07-07",
        f"{at}8: 记录 20180702T000000.000000Z-000008（任务 2，甲局，期间 2018-Q2）不计入报表：甲局 不是任务 2 的责任单位"
        f"（可能清单改了责任单位）；如确是误记，作废这条记录",
        f"{at}9: 记录 20180702T000000.000000Z-000009（任务 13．1，乙局，期间 2018-Q1）不计入报表：任务编号应写作 “13.1”；"
        f"作废后按正确的写法重新销号：fupin undo 20180702T000000.000000Z-000009 --reason 更正写法 && fupin done 13.1 "
        f"--unit 乙局 --period 2018-Q1 --date 2018-04-09",
    ]
    assert result.out.splitlines() == expected + ["发现 8 个问题。"]


def test_the_fix_check_gives_makes_the_warning_go(fupin, office):
    data = ("--data", str(office))
    assert fupin("undo", "20180702T000000.000000Z-000004", "--reason", "更正写法", *data).code == 0
    assert fupin("done", "1", "--unit", "甲局", "--period", "2018-04", "--date", "2018-05-04", *data, *AS_OF).code == 0
    assert fupin("overdue", *AS_OF, *data).err == WARNING.format(n=7)


def test_no_warning_when_everything_matches(fupin, tmp_path, journal_path):
    data = plan_folder(tmp_path / "plan", TASKS, units=UNITS)
    write_journal(journal_path, [done("1", "甲局", "2018-06", "2018-07-02")])
    assert fupin("overdue", *AS_OF, "--data", str(data)).err == ""


def test_a_completion_dated_9999_is_reported_by_check(fupin, tmp_path, journal_path):
    data = plan_folder(tmp_path / "plan", TASKS, units=UNITS)
    write_journal(journal_path, [done("1", "甲局", "2018-06", "9999-12-31", id="20180702T000000.000000Z-00000a"),
                                 done("1", "甲局", "2018-07", "1900-01-01", id="20180702T000000.000000Z-00000b")])
    result = fupin("check", "--data", str(data))
    assert result.code == 1
    assert result.out.splitlines()[:2] == [
        f"{journal_path}:1: 记录 20180702T000000.000000Z-00000a 的完成日期 9999-12-31 晚于今天（{today()}），可能录错了；"
        f"作废后按正确日期重新销号",
        f"{journal_path}:2: 记录 20180702T000000.000000Z-00000b 的完成日期 1900-01-01 早于任务清单有效期（2018-01-01 起）"
        f"一年以上，可能录错了；作废后按正确日期重新销号"]


def today() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
