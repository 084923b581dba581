"""The plan cache keeps each plan's occurrences, worked out once on the official calendar: a report from it
shows what one worked out anew shows, the calendar's missing years are still said, and other calendar data
or another holiday rule never gets the cached dates."""

from __future__ import annotations

from fupin_cli.domain.holidays import HolidayCalendar
from fupin_cli.domain.schedule import Timetable
from fupin_cli.plan_io import loader
from support.plans import plan_folder

# 每月5日前: 2018-10-05 falls in the National Day holiday (1–7 October); the 8th is the next working day,
# 30 September (a Sunday made a working day, 调休) the previous one.
MONTHLY = '- {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}'


def october_due(result) -> str:
    assert result.code == 0, result.err
    return next(row["due"] for row in result.json() if row["period"] == "2018-10")


def test_a_report_from_the_cached_occurrences_is_the_one_worked_out_anew(tmp_path, fupin, monkeypatch):
    folder = plan_folder(tmp_path / "data", MONTHLY)
    args = ("due", "--format", "json", "--as-of", "2018-10-01", "--within", "10", "--data", str(folder))
    monkeypatch.setenv("FUPIN_NO_CACHE", "1")
    anew = fupin(*args)
    monkeypatch.delenv("FUPIN_NO_CACHE")
    filling, cached = fupin(*args), fupin(*args)
    assert october_due(anew) == "2018-10-08"
    assert filling.out == cached.out == anew.out
    assert loader.load_plan(folder).times  # the second run did read them from the cache


def test_another_holiday_rule_works_the_dates_out_anew(tmp_path, fupin):
    folder = plan_folder(tmp_path / "data", MONTHLY)
    args = ("due", "--format", "json", "--as-of", "2018-10-01", "--within", "10", "--data", str(folder))
    assert october_due(fupin(*args)) == "2018-10-08"  # fills the cache under the plan's own rule
    assert october_due(fupin(*args, "--holiday-shift", "none")) == "2018-10-05"
    assert october_due(fupin(*args, "--holiday-shift", "previous_workday")) == "2018-09-30"
    assert october_due(fupin(*args)) == "2018-10-08"


def test_a_year_without_calendar_data_is_said_from_the_cache_too(tmp_path, fupin):
    folder = plan_folder(tmp_path / "data", MONTHLY, valid_from="2099-01-01", valid_to="2099-12-31")
    args = ("overdue", "--as-of", "2099-03-10", "--data", str(folder))
    for _ in range(2):  # the second run reads the occurrences from the cache
        result = fupin(*args)
        assert result.code == 0, result.err
        assert "尚无 2099 年的法定节假日数据，这些年份只按周末顺延" in result.err


def test_the_cached_occurrences_are_each_tasks_own(tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_CACHE", str(tmp_path / "cache"))
    folder = plan_folder(tmp_path / "data", MONTHLY + '\n- {id: "2", text: 汇总, units: [乙局], deadline: 每季度之后10日内完成}'
                         + '\n- {id: "3", text: 报送, units: [东区], deadline: 每月5日前}')
    loaded = loader.load_plan(folder)
    plan = loaded.plans.first
    shift, unknown, lists, of_task = loaded.times[plan.key]
    assert (shift, unknown, len(lists)) == ("next_workday", (), 2)  # tasks 1 and 3 share their words
    fresh = Timetable(plan, HolidayCalendar(shift))
    assert {task.id: lists[of_task[task.id]] for task in plan.tasks} == {
        task.id: fresh.occurrences(task) for task in plan.tasks}


def test_other_calendar_data_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("FUPIN_CACHE", str(tmp_path / "cache"))
    folder = plan_folder(tmp_path / "data", MONTHLY)
    files = [folder / "tasks.yaml", folder / "units.yaml"]
    loader.load_plan(folder)
    assert loader.PlanCache.for_files(folder, files).load() is not None
    monkeypatch.setattr(loader, "holiday_data", lambda: ("constants.py", 1, 2))  # chinesecalendar upgraded
    assert loader.PlanCache.for_files(folder, files).load() is None
