"""Reports: pure functions of (plan, completions, today) that return rows.

Nothing here reads files, prints, or asks the clock; the CLI passes all of it in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Iterable

from . import plan as plans
from .model import Entry, Obligation, Occurrence, Plan, Row, Task
from .schedule import HolidayCalendar, occurrences

# Most urgent first: what is late, then what is due, then the rest.
_STATUS_ORDER = {"overdue": 0, "due_soon": 1, "upcoming": 2, "ongoing": 3, "done_late": 4, "done": 5}


@dataclass(frozen=True)
class Scope:
    """What a report looks at: which units (None = all) and categories."""

    units: frozenset[str] | None = None
    category: str | None = None

    @classmethod
    def for_unit(cls, plan: Plan, unit: str | None, category: str | None = None) -> "Scope":
        leaves = frozenset(plans.members_of(plan, unit)) if unit else None
        return cls(units=leaves, category=category)


def task_occurrences(plan: Plan, task: Task, calendar: HolidayCalendar) -> list[Occurrence]:
    """All occurrences of a task's rules in the plan window.

    Two rules of one task can share a period (每月25日前录入 and 每月28日前审核 both
    give ``2018-07``); the later rule's label then carries its number, ``2018-07#2``,
    so that each duty is recorded and reported on its own.

    A recurring period that was already due before the plan took effect (the
    spring term's 2018-04-02 for a list issued 2018-04-25) is no obligation of
    this plan; a one-off date the plan names stays, even an early one.
    """
    window = (plan.valid_from, plan.valid_to)
    found: list[Occurrence] = []
    seen: set[str] = set()
    for index, rule in enumerate(task.rules):
        own = occurrences(rule, index, window, plan.settings, calendar)
        if rule.kind != "once":
            own = [o for o in own if o.due is None or o.due >= plan.valid_from]
        if any(o.period in seen for o in own):
            own = [replace(o, period=f"{o.period}#{index + 1}") for o in own]
        seen.update(o.period for o in own)
        found.extend(own)
    return found


def obligations(plan: Plan, calendar: HolidayCalendar, scope: Scope = Scope()) -> Iterable[Obligation]:
    """Every occurrence of every task for every responsible (leaf) unit in scope."""
    for task in plan.tasks:
        if scope.category and task.category != scope.category:
            continue
        units = [u for name in task.units for u in plans.members_of(plan, name)]
        if scope.units is not None:
            units = [u for u in units if u in scope.units]
        if not units:
            continue
        found = task_occurrences(plan, task, calendar)
        for unit in dict.fromkeys(units):
            for occurrence in found:
                yield Obligation(task=task, unit=unit, occurrence=occurrence)


def completion_index(completions: Iterable[Entry], today: date) -> dict[tuple[str, str, str], list[date]]:
    """(task, unit, period) → sorted completion dates on or before today."""
    index: dict[tuple[str, str, str], list[date]] = defaultdict(list)
    for entry in completions:
        if entry.date is not None and entry.date <= today:
            index[(entry.task, entry.unit, entry.period)].append(entry.date)
    for dates in index.values():
        dates.sort()
    return index


def status_row(obligation: Obligation, done_dates: list[date], today: date, warn_days: int) -> Row:
    occ, task = obligation.occurrence, obligation.task
    done_count = len(done_dates)
    done_date = done_dates[occ.required - 1] if done_count >= occ.required else None
    days = (occ.due - today).days if occ.due else None
    if done_date is not None:
        status = "done_late" if occ.due and done_date > occ.due else "done"
    elif occ.due is None:
        status = "ongoing"
    elif days < 0:
        status = "overdue"
    elif days <= warn_days:
        status = "due_soon"
    else:
        status = "upcoming"
    return Row(task=task.id, text=task.text, category=task.category, unit=obligation.unit,
               period=occ.period, nominal_due=occ.nominal_due, due=occ.due, status=status,
               days=days, required=occ.required, done_count=done_count, done_date=done_date)


def all_rows(plan: Plan, completions: Iterable[Entry], today: date, calendar: HolidayCalendar,
             scope: Scope = Scope(), warn_days: int | None = None) -> list[Row]:
    warn = plan.settings.warn_days if warn_days is None else warn_days
    index = completion_index(completions, today)
    return [status_row(ob, index.get((ob.task.id, ob.unit, ob.occurrence.period), []), today, warn)
            for ob in obligations(plan, calendar, scope)]


def _urgency(row: Row):
    return (_STATUS_ORDER[row.status], row.due or date.max, row.unit, row.task, row.period)


def due_rows(plan: Plan, completions: Iterable[Entry], today: date, calendar: HolidayCalendar,
             scope: Scope = Scope(), within: int | None = None) -> list[Row]:
    """Open obligations that are overdue or due within ``within`` days, most urgent first."""
    rows = all_rows(plan, completions, today, calendar, scope, within)
    return sorted((r for r in rows if r.status in ("overdue", "due_soon")), key=_urgency)


def overdue_rows(plan: Plan, completions: Iterable[Entry], today: date, calendar: HolidayCalendar,
                 scope: Scope = Scope()) -> list[Row]:
    rows = all_rows(plan, completions, today, calendar, scope)
    return sorted((r for r in rows if r.status == "overdue"), key=lambda r: (r.unit, r.due, r.task, r.period))


def calendar_rows(plan: Plan, calendar: HolidayCalendar, start: date, end: date,
                  scope: Scope = Scope(), task_id: str | None = None) -> list[Row]:
    """Occurrences whose effective due date lies in [start, end], by date."""
    rows = []
    for ob in obligations(plan, calendar, scope):
        occ = ob.occurrence
        if task_id and ob.task.id != task_id:
            continue
        if occ.due is None or not start <= occ.due <= end:
            continue
        rows.append(Row(task=ob.task.id, text=ob.task.text, category=ob.task.category, unit=ob.unit,
                        period=occ.period, nominal_due=occ.nominal_due, due=occ.due, status="upcoming",
                        days=None, required=occ.required, done_count=0))
    return sorted(rows, key=lambda r: (r.due, r.task, r.period, r.unit))


# ---------------------------------------------------------------- weekly report

@dataclass
class UnitSummary:
    unit: str
    overdue: int = 0
    due_this_week: int = 0
    due_next_week: int = 0
    done_this_week: int = 0
    # The plan so far: everything whose due date has passed or been met.
    done_on_time: int = 0
    done_late: int = 0
    open_overdue: int = 0

    @property
    def was_due(self) -> int:
        return self.done_on_time + self.done_late + self.open_overdue

    @property
    def rate(self) -> float | None:
        """Share of what was due that is done (on time or late); None when nothing was due."""
        return (self.done_on_time + self.done_late) / self.was_due if self.was_due else None


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


def weekly_report(plan: Plan, completions: Iterable[Entry], today: date, calendar: HolidayCalendar,
                  scope: Scope = Scope()) -> WeeklyReport:
    year, week, weekday = today.isocalendar()
    week_start = today - timedelta(days=weekday - 1)
    week_end = week_start + timedelta(days=6)
    next_start, next_end = week_start + timedelta(days=7), week_end + timedelta(days=7)
    report = WeeklyReport(title=plan.title, doc_no=plan.doc_no, as_of=today, year=year, week=week,
                          week_start=week_start, week_end=week_end)
    summaries: dict[str, UnitSummary] = {}
    for row in all_rows(plan, completions, today, calendar, scope):
        if row.status == "ongoing":
            continue  # ongoing work has no due date: never listed as due
        summary = summaries.setdefault(row.unit, UnitSummary(row.unit))
        if row.status == "overdue":
            report.overdue.append(row)
            summary.overdue += 1
            summary.open_overdue += 1
        elif row.status in ("done", "done_late"):
            # Completions after today were filtered out, so every done row counts.
            if row.status == "done":
                summary.done_on_time += 1
            else:
                summary.done_late += 1
            if week_start <= row.done_date <= week_end:
                report.done_this_week.append(row)
                summary.done_this_week += 1
        elif week_start <= row.due <= week_end:
            report.due_this_week.append(row)
            summary.due_this_week += 1
        elif next_start <= row.due <= next_end:
            report.due_next_week.append(row)
            summary.due_next_week += 1
    report.summaries = sorted(
        (s for s in summaries.values() if s.was_due or s.overdue or s.due_this_week or s.due_next_week or s.done_this_week),
        key=lambda s: (-s.overdue, s.rate if s.rate is not None else 2.0, s.unit))
    report.overdue.sort(key=lambda r: (r.due, r.unit, r.task))
    for rows in (report.due_this_week, report.due_next_week):
        rows.sort(key=lambda r: (r.due, r.unit, r.task))
    report.done_this_week.sort(key=lambda r: (r.done_date, r.unit, r.task))
    return report
