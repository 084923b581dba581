"""``report weekly``: the ISO week around today — per-unit summary and the four lists (督办周报)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterator

from ..domain.model import Obligation, Occurrence, Task
from ..domain.obligations import Scope, task_windows, units_in_scope
from ..domain.schedule import Timetable
from ..journal.ledger import Standing
from .rows import Row, status_row


@dataclass
class UnitSummary:
    unit: str
    overdue: int = 0
    due_this_week: int = 0
    due_next_week: int = 0
    done_this_week: int = 0
    # The plan so far, over what was due by today: done on time, done late, overdue.
    done_on_time: int = 0
    done_late: int = 0

    @property
    def was_due(self) -> int:
        return self.done_on_time + self.done_late + self.overdue

    @property
    def rate(self) -> float | None:
        """Share of what was due that is done (on time or late); None when nothing was due."""
        return (self.done_on_time + self.done_late) / self.was_due if self.was_due else None

    def __bool__(self) -> bool:
        return bool(self.was_due or self.due_this_week or self.due_next_week or self.done_this_week)


@dataclass
class WeeklyReport:
    title: str
    doc_no: str
    as_of: date
    year: int
    week: int
    week_start: date
    week_end: date
    summaries: list[UnitSummary] = field(default_factory=list)
    overdue: list[Row] = field(default_factory=list)
    due_this_week: list[Row] = field(default_factory=list)
    due_next_week: list[Row] = field(default_factory=list)
    done_this_week: list[Row] = field(default_factory=list)

    SECTIONS = (("overdue", "逾期未完成"), ("due_this_week", "本周到期"),
                ("due_next_week", "下周到期"), ("done_this_week", "本周已完成"))


def weekly_report(timetable: Timetable, standing: Standing, scope: Scope = Scope()) -> WeeklyReport:
    """The ISO week around ``today``: per-unit summary and the four lists.

    Ongoing work has no due date and is never listed as due.
    """
    plan = timetable.plan
    today = standing.today
    year, week, weekday = today.isocalendar()
    week_start = today - timedelta(days=weekday - 1)
    week_end = week_start + timedelta(days=6)
    next_start, next_end = week_start + timedelta(days=7), week_end + timedelta(days=7)
    report = WeeklyReport(title=plan.title, doc_no=plan.doc_no, as_of=today, year=year, week=week,
                          week_start=week_start, week_end=week_end)
    warn = plan.settings.warn_days
    summaries: dict[str, UnitSummary] = {}

    def summary(unit: str) -> UnitSummary:
        found = summaries.get(unit)
        if found is None:
            found = summaries[unit] = UnitSummary(unit)
        return found

    def row(task: Task, unit: str, occ: Occurrence) -> Row:
        return status_row(Obligation(task, unit, occ), standing.dates(task, occ.period, unit), today, warn)

    # Done obligations only count, unless done this week: no Row for the many others.
    week_start_ordinal = week_start.toordinal()
    for task, units, found in task_windows(timetable, scope, None, next_end):
        for occ in found:
            done = standing.done_in(task, occ.period)
            due_ordinal = occ.due.toordinal()
            for unit in units:
                reached = standing.reached(done.get(unit), occ.required)
                if reached is not None:
                    if occ.due <= today:
                        if reached <= due_ordinal:
                            summary(unit).done_on_time += 1
                        else:
                            summary(unit).done_late += 1
                    if reached >= week_start_ordinal:
                        report.done_this_week.append(row(task, unit, occ))
                        summary(unit).done_this_week += 1
                elif occ.due < today:
                    report.overdue.append(row(task, unit, occ))
                    summary(unit).overdue += 1
                elif occ.due <= week_end:
                    report.due_this_week.append(row(task, unit, occ))
                    summary(unit).due_this_week += 1
                elif next_start <= occ.due:
                    report.due_next_week.append(row(task, unit, occ))
                    summary(unit).due_next_week += 1
    for row in _done_early(timetable, standing, scope, after=next_end, since=week_start):
        report.done_this_week.append(row)
        summary(row.unit).done_this_week += 1

    report.summaries = sorted(filter(None, summaries.values()),
                              key=lambda s: (-s.overdue, s.rate if s.rate is not None else 2.0, s.unit))
    report.overdue.sort(key=lambda r: (r.due, r.unit, r.task))
    for rows in (report.due_this_week, report.due_next_week):
        rows.sort(key=lambda r: (r.due, r.unit, r.task))
    report.done_this_week.sort(key=lambda r: (r.done_date, r.unit, r.task))
    return report


def _done_early(timetable: Timetable, standing: Standing, scope: Scope,
                after: date, since: date) -> Iterator[Row]:
    """Obligations due after ``after`` whose required completions were reached on or after ``since``."""
    plan = timetable.plan
    later: dict[tuple[str, str, str], tuple[Task, Occurrence]] = {}
    for task in plan.tasks:
        if not scope.category or task.category == scope.category:
            for occ in timetable.occurrences(task):
                if occ.due is not None and occ.due > after:
                    later[(task.plan, task.id, occ.period)] = (task, occ)
    responsible: dict[tuple[str, str], set[str]] = {}
    for plan_key, task_id, period, unit in standing.done_since(since):
        found = later.get((plan_key, task_id, period))
        if found is None:
            continue
        task, occ = found
        if (plan_key, task_id) not in responsible:
            responsible[(plan_key, task_id)] = set(units_in_scope(plan.units, task, scope))
        dates = standing.dates(task, period, unit)
        if len(dates) >= occ.required and dates[occ.required - 1] >= since \
                and unit in responsible[(plan_key, task_id)]:
            yield status_row(Obligation(task, unit, occ), dates, standing.today, plan.settings.warn_days)
