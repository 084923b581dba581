"""What every command needs: the data folder, the plan, the journal store, today, the calendar.

The wiring between options/environment and the library; it holds no business
rules.  Warnings meant for people go to the ``warn`` callback (the CLI prints
them on stderr), each kind once.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from typing import Callable

from ..domain.errors import UsageError
from ..domain.holidays import HOLIDAY_SHIFTS
from ..domain.model import Plan
from .inputs import read_date

JOURNAL_FILENAME = "journal.jsonl"


def default_journal_path(data_dir: Path | None) -> Path:
    """``data_dir/journal.jsonl``, or the same name in the user's data folder for the shipped plan."""
    if data_dir is not None:
        return Path(data_dir) / JOURNAL_FILENAME
    import platformdirs

    return platformdirs.user_data_path("fupin") / JOURNAL_FILENAME


class RunContext:
    """Resolved options for one command run.

    ``as_of`` is what the person typed (or None); ``as_of_source`` names where
    it came from in messages.  Without ``as_of``, FUPIN_TODAY is used.
    """

    def __init__(self, data: Path | None = None, journal: Path | None = None,
                 as_of: str | None = None, holiday_shift: str | None = None, *,
                 as_of_source: str = "--as-of", warn: Callable[[str], None] | None = None) -> None:
        from ..plan_io.loader import data_dir_from

        self.data_dir = data_dir_from(data)
        self._journal_option = journal
        self._as_of_option = as_of if as_of is not None else os.environ.get("FUPIN_TODAY") or None
        self._as_of_source = as_of_source if as_of is not None else "FUPIN_TODAY"
        if holiday_shift is not None and holiday_shift not in HOLIDAY_SHIFTS:
            raise UsageError(f"--holiday-shift 的值 “{holiday_shift}” 无效，可选：{'、'.join(HOLIDAY_SHIFTS)}",
                             subject="holiday_shift")
        self._holiday_shift = holiday_shift
        self.warnings: list[str] = []
        self._warn = warn or self.warnings.append
        self._warned: set[str] = set()

    def warn(self, message: str) -> None:
        self._warn(message)

    # -- plan
    @cached_property
    def loaded(self):
        from ..plan_io.loader import load_plan

        return load_plan(self.data_dir)

    @property
    def plan(self) -> Plan:
        loaded = self.loaded
        if loaded.problems and "phrases" not in self._warned:
            self._warned.add("phrases")
            self.warn(f"有 {len(loaded.problems)} 项任务的完成时限无法识别，未计入报表；运行 fupin check 查看")
        return loaded.plan

    # -- journal
    @cached_property
    def journal_path(self) -> Path:
        if self._journal_option is not None:
            return self._journal_option
        env = os.environ.get("FUPIN_JOURNAL")
        if env:
            return Path(env)
        return default_journal_path(self.data_dir)

    @property
    def journal_source(self) -> str:
        if self._journal_option is not None:
            return "--journal"
        if os.environ.get("FUPIN_JOURNAL"):
            return "FUPIN_JOURNAL"
        return "数据文件夹" if self.data_dir is not None else "用户数据目录"

    @cached_property
    def store(self):
        from ..cache import active_cache
        from ..journal.jsonl.store import JsonlStore

        return JsonlStore(self.journal_path, active_cache())

    def journal_contents(self):
        contents = self.store.contents()
        self._warn_journal(contents.problems)
        return contents

    def _warn_journal(self, problems) -> None:
        if problems and "journal" not in self._warned:
            self._warned.add("journal")
            for problem in problems[:3]:
                self.warn(f"{self.journal_path}: {problem.message}")
            if len(problems) > 3:
                self.warn(f"台账还有 {len(problems) - 3} 处问题；运行 fupin check 查看")

    @cached_property
    def ledger(self):
        """What the journal says is done, as written (read once per run)."""
        ledger = self.store.ledger()
        self._warn_journal(ledger.problems)
        return ledger

    def standing(self):
        """What the journal says is done, seen from today, its labels read against the current plan."""
        ledger, unmatched = match_plan(self.ledger, self.timetable)
        if unmatched and "unmatched" not in self._warned:
            self._warned.add("unmatched")
            self.warn(f"台账中有 {unmatched} 条完成记录对不上当前清单（任务已删除、单位已改名或完成时限已改），"
                      f"未计入报表；运行 fupin check 查看")
        return ledger.as_of(self.today)

    # -- time
    @cached_property
    def today(self) -> date:
        plan = self.plan
        if self._as_of_option:
            # 今天, 昨天, 上周五 … are read against the real today in the plan's time zone (asked only then).
            day = read_date(self._as_of_option, self._as_of_source,
                            today=lambda: self.now().astimezone(self.tz).date())
            latest = plan.valid_to + timedelta(days=366)
            if not plan.valid_from <= day <= latest:
                raise UsageError(f"{self._as_of_source} {day} 不在任务清单的有效期内"
                                 f"（{plan.valid_from} 至 {plan.valid_to}，之后一年内仍可查询逾期）",
                                 subject="as_of")
            return day
        return self.now().astimezone(self.tz).date()

    @cached_property
    def tz(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.plan.timezone)

    @staticmethod
    def now() -> datetime:
        return datetime.now(timezone.utc)

    def check_today_in_plan(self) -> None:
        """Say once when the real today lies outside the plan, as cron would otherwise report stale years."""
        plan, day = self.plan, self.today
        if not self._as_of_option and not plan.valid_from <= day <= plan.valid_to:
            self.warn(f"今天（{day}）不在任务清单有效期（{plan.valid_from} 至 {plan.valid_to}）内；"
                      f"可用 --as-of 指定日期")

    # -- holidays and occurrences
    @cached_property
    def calendar(self):
        from ..domain.holidays import HolidayCalendar

        return HolidayCalendar(self._holiday_shift or self.plan.settings.holiday_shift)

    @cached_property
    def timetable(self):
        from ..domain.schedule import Timetable

        return Timetable(self.plan, self.calendar)

    def finish(self) -> None:
        """Warnings that can only be known at the end of a run."""
        calendar = self.__dict__.get("calendar")
        if calendar is not None and calendar.unknown_years:
            years = "、".join(str(y) for y in sorted(calendar.unknown_years))
            self.warn(f"尚无 {years} 年的法定节假日数据，这些年份只按周末顺延")


def match_plan(ledger, timetable) -> tuple:
    """The ledger with its period labels read against the plan, and how many completions match no duty.

    This is where the journal meets the plan, so this is where labels written by
    older versions are read (``2018-07#4`` → the rule at position 4, a plain label of
    a period several rules share → the rule due first in it; see
    :func:`fupin_cli.domain.schedule.journal_labels`).  The journal itself is
    never rewritten.  A completion matches no duty when its task is gone, its
    unit is not responsible, or its period is not one of the task's.
    """
    from ..domain.schedule import journal_labels

    plan = timetable.plan
    tasks = {task.id: task for task in plan.tasks}
    relabel: dict[str, dict[str, str]] = {}
    unmatched = 0
    for task_id, periods in ledger.completions.items():
        task = tasks.get(task_id)
        if task is None:
            unmatched += sum(_count(done) for units in periods.values() for done in units.values())
            continue
        found = timetable.occurrences(task)
        labels = {o.period for o in found}
        if not labels.issuperset(periods):
            mapping = journal_labels(task.rules, found)
            for period in [p for p in periods if p not in labels]:
                if period in mapping:
                    relabel.setdefault(task_id, {})[period] = mapping[period]
                else:
                    unmatched += sum(_count(done) for done in periods[period].values())
        # Units no longer responsible: one set operation per task unless there are some.
        strangers = set().union(*periods.values()).difference(plan.units.responsible(task.units))
        if strangers:
            for period, units in periods.items():
                if period in labels or period in relabel.get(task_id, ()):
                    unmatched += sum(_count(units[unit]) for unit in strangers.intersection(units))
    return (ledger.relabelled(relabel) if relabel else ledger), unmatched


def _count(done) -> int:
    return 1 if type(done) is int else len(done)
