"""A small plan and journal for the report tests, every date worked out by hand below.

Units (units.yaml order): 甲局, 乙局, 各区 = 东区 + 西区.  Official leaf order: 甲局, 乙局, 东区, 西区 —
by code point it would be 东区 < 乙局 < 甲局 < 西区.

Tasks (plan order) and their due dates on China's 2018 official calendar (next working day):
  1 甲局      每月5日前   01-05, 02-05, 03-05, 04-08 (清明 4-5…7 off, Sunday 4-8 a working day),
                          05-07 (5-5 a Saturday), 06-05, 07-05, 08-06 (8-5 a Sunday), 09-05,
                          10-08 (国庆 10-1…7), 11-05, 12-05
  2 东区 西区 每季度末    Q1 04-02 (3-31 a Saturday), Q2 07-02, Q3 09-30 (a Sunday, but a working day),
                          Q4 2019-01-02 (元旦 12-30…1-1)
  3 乙局 甲局 2018年7月10日前
  4 西区      2018年7月20日前
  5 东区      2018年7月25日前

Journal: 1/甲局 January done 01-04 (on time), February 02-10 (late), June 07-16 (late);
2/东区 Q1 03-30 (on time), Q2 07-03 (late); 3/乙局 07-09 (on time).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from support.plans import done, make_plan, plan_folder, write_journal

TASKS = """
- {id: "1", text: 报送月度报表，并附说明, units: [甲局], deadline: 每月5日前}
- {id: "2", text: 召开季度推进会, units: [各区], deadline: 每季度末}
- {id: "3", text: 上半年工作总结, units: [乙局, 甲局], deadline: 2018年7月10日前}
- {id: "4", text: 报送半年统计, units: [西区], deadline: 2018年7月20日前}
- {id: "5", text: 拨付第三季度资金, units: [东区], deadline: 2018年7月25日前}
"""

JOURNAL = [
    done("1", "甲局", "2018-01", "2018-01-04"),
    done("1", "甲局", "2018-02", "2018-02-10"),
    done("1", "甲局", "2018-06", "2018-07-16"),
    done("2", "东区", "2018-Q1", "2018-03-30"),
    done("2", "东区", "2018-Q2", "2018-07-03"),
    done("3", "乙局", "2018-07-10", "2018-07-09"),
]

MONDAY = date(2018, 7, 16)


def plan(**header):
    return make_plan(TASKS, **header)


def ledger(tmp_path: Path, records: list[dict] = JOURNAL):
    """The ledger of ``records`` read through the real journal store (no cache); lines without a plan key
    count for the plan of ``tasks.yaml``, as the run context does."""
    from fupin_cli.journal.jsonl.store import JsonlStore

    path = write_journal(tmp_path / "journal.jsonl", records)
    return JsonlStore(path, None).ledger().with_unkeyed_as("tasks")


def timetable(the_plan):
    from fupin_cli.domain.holidays import HolidayCalendar
    from fupin_cli.domain.schedule import Timetable

    return Timetable(the_plan, HolidayCalendar(the_plan.settings.holiday_shift))


def folder(tmp_path: Path, records: list[dict] = JOURNAL, **header) -> tuple[Path, Path]:
    """(data folder, journal) for CLI tests."""
    data = plan_folder(tmp_path / "plan", TASKS, **header)
    journal = write_journal(tmp_path / "plan" / "journal.jsonl", records)
    return data, journal
