"""Reports: pure functions of (plan, tally of completions as of today) that return rows.

Nothing here reads files, prints, or asks the clock; the CLI passes all of it in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Iterator

from . import plan as plans
from .model import Obligation, Occurrence, Plan, Row, Task
from .schedule import HolidayCalendar, occurrences
from .tally import Tally

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
    key = (task.rules, plan.valid_from, plan.valid_to, plan.settings, calendar)
    cached = _OCCURRENCES.get(key)
    if cached is None:
        cached = _OCCURRENCES[key] = _task_occurrences(plan, task, calendar)
    return cached


# Many tasks share their words (逐月完成 …): their occurrences are computed once per run.
_OCCURRENCES: dict[tuple, list[Occurrence]] = {}


def _task_occurrences(plan: Plan, task: Task, calendar: HolidayCalendar) -> list[Occurrence]:
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


def _units_in_scope(plan: Plan, task: Task, scope: Scope, leaves: dict[str, list[str]]) -> list[str]:
    units: dict[str, None] = {}
    for name in task.units:
        if name not in leaves:
            leaves[name] = plans.members_of(plan, name)
        units.update(dict.fromkeys(leaves[name]))
    if scope.units is not None:
        return [u for u in units if u in scope.units]
    return list(units)


def _task_windows(plan: Plan, calendar: HolidayCalendar, scope: Scope, due_from: date | None,
                  due_until: date | None) -> Iterator[tuple[Task, list[str], list[Occurrence]]]:
    """(task, units in scope, occurrences) for each task, occurrences limited to the due window."""
    leaves: dict[str, list[str]] = {}
    windowed = due_from is not None or due_until is not None
    low, high = due_from or date.min, due_until or date.max
    for task in plan.tasks:
        if scope.category and task.category != scope.category:
            continue
        found = task_occurrences(plan, task, calendar)
        if windowed:
            found = [o for o in found if o.due is not None and low <= o.due <= high]
        if found:
            units = _units_in_scope(plan, task, scope, leaves)
            if units:
                yield task, units, found


def obligations(plan: Plan, calendar: HolidayCalendar, scope: Scope = Scope(), *,
                due_from: date | None = None, due_until: date | None = None) -> Iterator[Obligation]:
    """Every occurrence of every task for every responsible (leaf) unit in scope.

    With ``due_from``/``due_until`` only occurrences whose effective due date lies
    in that range (so no ongoing ones): reports look at a window, and skipping
    the rest before expanding groups keeps province-sized plans fast.
    """
    for task, units, found in _task_windows(plan, calendar, scope, due_from, due_until):
        for unit in units:
            for occurrence in found:
                yield Obligation(task, unit, occurrence)


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


def _open_rows(plan: Plan, tally: Tally, calendar: HolidayCalendar, scope: Scope,
               due_until: date, warn_days: int) -> list[Row]:
    """Rows of the obligations due by ``due_until`` that are not done.

    The hot loop of every report on a big plan: no object is made for an
    obligation until it turns out to be open.
    """
    rows = []
    count_of = tally.count_of
    for task, units, found in _task_windows(plan, calendar, scope, None, due_until):
        for occ in found:
            done = tally.done_in(task.id, occ.period)
            required = occ.required
            for unit in units:
                if count_of(done.get(unit)) < required:
                    rows.append(status_row(Obligation(task, unit, occ), tally.dates(task.id, occ.period, unit),
                                           tally.today, warn_days))
    return rows


def _urgency(row: Row):
    return (_STATUS_ORDER[row.status], row.due or date.max, row.unit, row.task, row.period)


def due_rows(plan: Plan, tally: Tally, calendar: HolidayCalendar,
             scope: Scope = Scope(), within: int | None = None) -> list[Row]:
    """Open obligations that are overdue or due within ``within`` days, most urgent first."""
    days = plan.settings.warn_days if within is None else within
    rows = _open_rows(plan, tally, calendar, scope, tally.today + timedelta(days=days), days)
    return sorted(rows, key=_urgency)


def overdue_rows(plan: Plan, tally: Tally, calendar: HolidayCalendar, scope: Scope = Scope()) -> list[Row]:
    rows = _open_rows(plan, tally, calendar, scope, tally.today - timedelta(days=1), plan.settings.warn_days)
    return sorted(rows, key=lambda r: (r.unit, r.due, r.task, r.period))


def calendar_rows(plan: Plan, calendar: HolidayCalendar, start: date, end: date,
                  scope: Scope = Scope(), task_id: str | None = None) -> list[Row]:
    """Occurrences whose effective due date lies in [start, end], by date."""
    rows = []
    for ob in obligations(plan, calendar, scope, due_from=start, due_until=end):
        occ = ob.occurrence
        if task_id and ob.task.id != task_id:
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


def weekly_report(plan: Plan, tally: Tally, calendar: HolidayCalendar, scope: Scope = Scope()) -> WeeklyReport:
    """The ISO week around ``today``: per-unit summary and the four lists.

    Ongoing work has no due date and is never listed as due.
    """
    today = tally.today
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
        return status_row(Obligation(task, unit, occ), tally.dates(task.id, occ.period, unit), today, warn)

    # Done obligations only count, unless done this week: no Row for the many others.
    week_start_ordinal = week_start.toordinal()
    for task, units, found in _task_windows(plan, calendar, scope, None, next_end):
        for occ in found:
            done = tally.done_in(task.id, occ.period)
            due_ordinal = occ.due.toordinal()
            for unit in units:
                reached = tally.reached(done.get(unit), occ.required)
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
    for row in _done_early(plan, tally, calendar, scope, after=next_end, since=week_start):
        report.done_this_week.append(row)
        summary(row.unit).done_this_week += 1

    report.summaries = sorted(filter(None, summaries.values()),
                              key=lambda s: (-s.overdue, s.rate if s.rate is not None else 2.0, s.unit))
    report.overdue.sort(key=lambda r: (r.due, r.unit, r.task))
    for rows in (report.due_this_week, report.due_next_week):
        rows.sort(key=lambda r: (r.due, r.unit, r.task))
    report.done_this_week.sort(key=lambda r: (r.done_date, r.unit, r.task))
    return report


def _done_early(plan: Plan, tally: Tally, calendar: HolidayCalendar, scope: Scope,
                after: date, since: date) -> Iterator[Row]:
    """Obligations due after ``after`` whose required completions were reached on or after ``since``."""
    later: dict[tuple[str, str], tuple[Task, Occurrence]] = {}
    for task in plan.tasks:
        if not scope.category or task.category == scope.category:
            for occ in task_occurrences(plan, task, calendar):
                if occ.due is not None and occ.due > after:
                    later[(task.id, occ.period)] = (task, occ)
    leaves: dict[str, list[str]] = {}
    responsible: dict[str, set[str]] = {}
    for task_id, period, unit in tally.done_since(since):
        found = later.get((task_id, period))
        if found is None:
            continue
        task, occ = found
        if task_id not in responsible:
            responsible[task_id] = set(_units_in_scope(plan, task, scope, leaves))
        dates = tally.dates(task_id, period, unit)
        if len(dates) >= occ.required and dates[occ.required - 1] >= since and unit in responsible[task_id]:
            yield status_row(Obligation(task, unit, occ), dates, tally.today, plan.settings.warn_days)
