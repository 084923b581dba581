"""What every command needs: the data folder, the plan, the journal store, today, the calendar.

The wiring between options/environment and the library; it holds no business
rules.  Warnings meant for people go to the ``warn`` callback (the CLI prints
them on stderr), each kind once.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Callable

from ..domain.errors import UsageError
from ..domain.holidays import HOLIDAY_SHIFTS
from ..domain.model import Plan, Task
from ..domain.plans import PlanSet
from ..domain.values import Frozen
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
    ``plan`` (``--plan KEY``) narrows the run to one of the folder's plans.
    """

    def __init__(self, data: Path | None = None, journal: Path | None = None,
                 as_of: str | None = None, holiday_shift: str | None = None, *,
                 plan: str | None = None,
                 as_of_source: str = "--as-of", warn: Callable[[str], None] | None = None) -> None:
        from ..plan_io.loader import data_dir_from

        self.data_dir = data_dir_from(data)
        self._journal_option = journal
        self._plan_option = plan
        self._as_of_option = as_of if as_of is not None else os.environ.get("FUPIN_TODAY") or None
        self._as_of_source = as_of_source if as_of is not None else "FUPIN_TODAY"
        if holiday_shift is not None and holiday_shift not in HOLIDAY_SHIFTS:
            raise UsageError(f"--holiday-shift 的值 “{holiday_shift}” 无效，可选：{'、'.join(HOLIDAY_SHIFTS)}",
                             subject="holiday_shift")
        self._holiday_shift = holiday_shift
        self.warnings: list[str] = []
        self._warn = warn or self.warnings.append
        self._warned: set[str] = set()
        self._calendars: dict[str, object] = {}
        self._timetables: dict[str, object] = {}

    def warn(self, message: str) -> None:
        self._warn(message)

    # -- plans
    @cached_property
    def loaded(self):
        """Every plan of the data folder (LoadedPlans), whatever ``--plan`` says."""
        from ..plan_io.loader import load_plan

        return load_plan(self.data_dir)

    @property
    def folder_plans(self) -> PlanSet:
        """Every plan of the data folder; the first one owns journal lines without a plan key."""
        loaded = self.loaded
        if loaded.problems and "phrases" not in self._warned:
            self._warned.add("phrases")
            self.warn(f"有 {len(loaded.problems)} 项任务的完成时限无法识别，未计入报表；运行 fupin check 查看")
        return loaded.plans

    @cached_property
    def plans(self) -> PlanSet:
        """The plans this run looks at: the folder's, or the one ``--plan`` names."""
        plans = self.folder_plans
        if self._plan_option is None:
            return plans
        narrowed = plans.narrowed(self._plan_option)
        if narrowed is None:
            raise UsageError(f"--plan：数据文件夹中没有清单 “{self._plan_option}”，现有：{'、'.join(plans.keys)}",
                             subject="plan")
        return narrowed

    @property
    def narrowed(self) -> bool:
        """Whether ``--plan`` narrowed the run to one of the folder's plans."""
        return self._plan_option is not None

    @property
    def plan(self) -> Plan:
        """The one plan of a command that works on one list (export, explain …).

        With several plans and no ``--plan`` it is a usage error naming them.
        """
        plans = self.plans
        if len(plans) > 1:
            raise UsageError(f"数据文件夹中有 {len(plans)} 个清单（{'、'.join(plans.keys)}），"
                             f"请用 --plan 指定一个", subject="plan")
        return plans.first

    def plan_in_force(self, day: date) -> Plan:
        """The plan a command about one list uses when none is named: the only one, else the first in force on ``day``."""
        plans = self.plans
        if len(plans) == 1:
            return plans.first
        return next(iter(plans.in_force(day)), plans.first)

    def plan_of(self, task: Task) -> Plan:
        """The plan ``task`` belongs to."""
        found = self.folder_plans.get(task.plan)
        assert found is not None, task.plan  # tasks only come from the folder's plans
        return found

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

        # Only fupin's own default place is created; a folder someone named must exist.
        return JsonlStore(self.journal_path, active_cache(), make_folder=self.journal_source == "用户数据目录")

    def journal_contents(self):
        contents = self.store.contents()
        self._warn_journal(contents.problems)
        return contents

    def entry_plan(self, entry) -> str:
        """The key of the plan a journal entry belongs to: its own, or (an older line) the folder's first."""
        return entry.plan or self.folder_plans.first.key

    def _warn_journal(self, problems) -> None:
        if problems and "journal" not in self._warned:
            self._warned.add("journal")
            for problem in problems[:3]:
                self.warn(f"{self.journal_path}: {problem.message}")
            if len(problems) > 3:
                self.warn(f"台账还有 {len(problems) - 3} 处问题；运行 fupin check 查看")

    def read_ledger_ahead(self) -> None:
        """Begin reading the journal's ledger now, so that a big journal's fold goes on while the plan is
        read (see :meth:`~fupin_cli.journal.store.JournalStore.read_ahead`); :attr:`ledger` finishes it."""
        self.store.read_ahead()

    @cached_property
    def ledger(self):
        """What the journal says is done, for the plans looked at, its labels read against them."""
        ledger = self.store.ledger()
        self._warn_journal(ledger.problems)
        ledger, unmatched = self.matched(ledger)
        if unmatched and "unmatched" not in self._warned:
            self._warned.add("unmatched")
            self.warn(f"台账中有 {unmatched} 条完成记录对不上当前清单（任务已删除、单位已改名或完成时限已改），"
                      f"未计入报表；运行 fupin check 查看")
        return ledger

    def standing(self):
        """What the journal says is done, seen from today."""
        return self.ledger.as_of(self.today)

    def matched(self, ledger):
        """``ledger`` as the store read it, read against the plans looked at; and how many completions match no duty.

        Lines without a plan key count for the folder's first plan.
        """
        ledger = ledger.with_unkeyed_as(self.folder_plans.first.key)
        return match_plan(ledger, self.plans, self.timetable_for,
                          folder_keys=None if self.narrowed else set(self.folder_plans.keys))

    # -- time
    @cached_property
    def today(self) -> date:
        plans = self.plans
        if self._as_of_option:
            # 今天, 昨天, 上周五 … are read against the real today in the plan's time zone (asked only then).
            day = read_date(self._as_of_option, self._as_of_source,
                            today=lambda: self.now().astimezone(self.tz).date())
            if not plans.reported_on(day):
                raise UsageError(f"{self._as_of_source} {day} 不在任务清单的有效期内"
                                 f"（{windows_text(plans)}；之后一年内仍可查询逾期）", subject="as_of")
            return day
        return self.now().astimezone(self.tz).date()

    @cached_property
    def tz(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.plans.first.timezone)

    @staticmethod
    def now() -> datetime:
        return datetime.now(timezone.utc)

    @cached_property
    def reported_plans(self) -> tuple[Plan, ...]:
        """The plans a report on today covers: in force, or ended less than a year ago."""
        return self.plans.reported_on(self.today)

    def today_notice(self) -> TodayNotice | None:
        """What to say at the end of a report when the real today lies outside the plans' windows.

        None when today was given (--as-of, FUPIN_TODAY) or some plan is in force.
        """
        if self._as_of_option:
            return None
        plans, day = self.plans, self.today
        if plans.in_force(day):
            return None
        windows = windows_text(plans)
        if not self.reported_plans:
            return TodayNotice(f"今天（{day}）不在任何任务清单的有效期内（{windows}；之后一年内仍可查询逾期），"
                               f"报表中没有列出任何事项。请导入今年的清单（fupin import），"
                               f"或用 --as-of 指定日期。", outside=True)
        return TodayNotice(f"今天（{day}）不在任务清单的有效期内（{windows}），只列出已结束清单遗留的事项；"
                           f"可用 --as-of 指定日期", outside=False)

    # -- holidays and occurrences
    def calendar_for(self, plan: Plan):
        """The official calendar under ``plan``'s holiday rule (or --holiday-shift); one per rule."""
        shift = self._holiday_shift or plan.settings.holiday_shift
        found = self._calendars.get(shift)
        if found is None:
            from ..domain.holidays import HolidayCalendar

            found = self._calendars[shift] = HolidayCalendar(shift)
        return found

    @property
    def calendar(self):
        """The calendar of the first plan looked at (month grids, explain)."""
        return self.calendar_for(self.plans.first)

    def timetable_for(self, plan: Plan):
        """``plan``'s occurrences in its own window, computed once per run."""
        found = self._timetables.get(plan.key)
        if found is None:
            from ..domain.schedule import Timetable

            calendar = self.calendar_for(plan)
            found = self._timetables[plan.key] = Timetable(plan, calendar, self._known_occurrences(plan, calendar))
        return found

    def _known_occurrences(self, plan: Plan, calendar) -> dict | None:
        """task id → occurrences the plan cache holds for ``plan``, if they were worked out on this calendar's rule."""
        times = self.loaded.times.get(plan.key)
        if times is None or self.loaded.plans.get(plan.key) is not plan:
            return None
        shift, unknown_years, lists, of_task = times
        if shift != calendar.shift:
            return None  # --holiday-shift: worked out anew
        calendar.unknown_years.update(unknown_years)  # still said at the end of the run
        return {task: lists[place] for task, place in of_task.items()}

    def timetable_of(self, plans: tuple[Plan, ...]):
        """One timetable over ``plans`` (a plain one for a single plan), its ``plan`` their :meth:`PlanSet.view`."""
        view = self.plans.view(plans)
        if len(plans) == 1:
            return self.timetable_for(plans[0])
        from ..domain.plans import CombinedTimetable
        from ..domain.schedule import Timetable

        if not plans:
            return Timetable(view, self.calendar)
        return CombinedTimetable(view, {plan.key: self.timetable_for(plan) for plan in plans})

    @cached_property
    def timetable(self):
        """The timetable of what reports cover today (:attr:`reported_plans`)."""
        return self.timetable_of(self.reported_plans)

    def finish(self) -> None:
        """Warnings that can only be known at the end of a run."""
        unknown = set()
        for calendar in self._calendars.values():
            unknown |= calendar.unknown_years
        if unknown:
            years = "、".join(str(y) for y in sorted(unknown))
            self.warn(f"尚无 {years} 年的法定节假日数据，这些年份只按周末顺延")


class TodayNotice(Frozen):
    """The closing word of a report run on a real today outside the plans' windows.

    ``outside``: today lies even beyond the grace year of every plan, so the
    report is empty; the CLI then exits with its own code, for cron.
    """

    message: str
    outside: bool

    def __init__(self, message: str, outside: bool) -> None:
        vars(self).update(message=message, outside=outside)


def windows_text(plans: PlanSet) -> str:
    """``2018-04-25 至 2018-12-31``, or ``tasks：… ；2019：…`` for several plans."""
    if len(plans) == 1:
        return f"{plans.first.valid_from} 至 {plans.first.valid_to}"
    return "；".join(f"{plan.key}：{plan.valid_from} 至 {plan.valid_to}" for plan in plans)


def match_plan(ledger, plans: PlanSet, timetable_for, folder_keys: set[str] | None = None) -> tuple:
    """The ledger with its period labels read against ``plans``, and how many completions match no duty.

    This is where the journal meets the plans, so this is where labels written by
    older versions are read (``2018-07#4`` → the rule at position 4, a plain label of
    a period several rules share → the rule due first in it; see
    :func:`fupin_cli.domain.schedule.journal_labels`).  The journal itself is
    never rewritten.  A completion matches no duty when its task is gone, its
    unit is not responsible, or its period is not one of the task's; and, when
    ``folder_keys`` is given, when its plan is none of them (a plan renamed).
    Completions of the folder's other plans (``--plan`` named one) are left alone.
    """
    from ..domain.schedule import journal_labels

    relabel: dict[str, dict[str, dict[str, str]]] = {}
    unmatched = 0
    for plan_key, tasks_done in ledger.completions.items():
        plan = plans.get(plan_key)
        if plan is None:
            if folder_keys is not None and plan_key not in folder_keys:
                unmatched += sum(_count(done) for periods in tasks_done.values()
                                 for units in periods.values() for done in units.values())
            continue
        timetable = timetable_for(plan)
        tasks = {task.id: task for task in plan.tasks}
        for task_id, periods in tasks_done.items():
            task = tasks.get(task_id)
            if task is None:
                unmatched += sum(_count(done) for units in periods.values() for done in units.values())
                continue
            found = timetable.occurrences(task)
            labels = {o.period for o in found}
            moved: dict[str, str] = {}
            if not labels.issuperset(periods):
                mapping = journal_labels(task.rules, found)
                for period in [p for p in periods if p not in labels]:
                    if period in mapping:
                        moved[period] = mapping[period]
                    else:
                        unmatched += sum(_count(done) for done in periods[period].values())
            if moved:
                relabel.setdefault(plan_key, {})[task_id] = moved
            # Units no longer responsible: one set operation per task unless there are some.
            strangers = set().union(*periods.values()).difference(plan.units.responsible(task.units))
            if strangers:
                for period, units in periods.items():
                    if period in labels or period in moved:
                        unmatched += sum(_count(units[unit]) for unit in strangers.intersection(units))
    return (ledger.relabelled(relabel) if relabel else ledger), unmatched


def _count(done) -> int:
    return 1 if type(done) is int else len(done)
