"""The supervision report over a period — a week, a month or a quarter (督办周报 / 月报 / 季报).

Per unit: what was due, done on time, done late and still overdue, what falls due
in this period and the next, what was done in it, the completion rate now and at
the end of the previous period, and the unit's rank; the four lists of rows; and
the completion rate week by week (the trend).

A *completion rate* at day ``t`` is done / (done + overdue) over the obligations
due by ``t``: done counts those due on or before ``t`` whose required completions
were reached by ``t``; overdue those due before ``t`` and not reached by then.
An extended obligation (延期) is due on its approved date; a waived one (免于考核)
is in no count and no list (the report says how many were left out).  Open
extended obligations not yet overdue are listed apart (延期中), and the progress
reports dated in the period (本周进展) follow the lists.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Iterator

from ..domain.model import Occurrence, Task
from ..domain.obligations import Scope, task_windows, units_in_scope
from ..domain.periods import add_months, month_end
from ..domain.schedule import Timetable
from .due import all_by, feedback_rows
from .order import plan_keys, sort_rows, sort_units, task_order, unit_order
from .rows import Row, alike_rows, soon_days, status_row

if TYPE_CHECKING:  # annotations only: a report from the cached ledger needs no entry type
    from ..journal.entries import ProgressEntry
    from ..journal.ledger import Standing

KINDS = ("week", "month", "quarter")
SECTION_KEYS = ("overdue", "extended", "due_now", "due_next", "done_now")
_SECTION_WORDS = {
    "week": ("逾期未完成", "延期中", "本周到期", "下周到期", "本周已完成"),
    "month": ("逾期未完成", "延期中", "本月到期", "下月到期", "本月已完成"),
    "quarter": ("逾期未完成", "延期中", "本季度到期", "下季度到期", "本季度已完成"),
}
REPORT_NAMES = {"week": "督办周报", "month": "督办月报", "quarter": "督办季报"}


def bounds(kind: str, day: date) -> tuple[date, date]:
    """First and last day of the week (ISO, Monday first), month or quarter holding ``day``."""
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if kind == "month":
        start = day.replace(day=1)
        return start, month_end(start)
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return start, month_end(add_months(start, 2))


def period_label(kind: str, start: date) -> str:
    """The period in words: 2018年第29周, 2018年7月, 2018年第三季度."""
    if kind == "week":
        year, week, _ = start.isocalendar()
        return f"{year}年第{week}周"
    if kind == "month":
        return f"{start.year}年{start.month}月"
    return f"{start.year}年第{'一二三四'[(start.month - 1) // 3]}季度"


@dataclass
class UnitSummary:
    """One unit's figures.  ``due_now``/``due_next``/``done_now`` are about the report's period and the next
    (this week / next week for the weekly); ``done_on_time``/``done_late``/``overdue`` about everything
    due so far."""

    unit: str
    overdue: int = 0
    due_now: int = 0
    due_next: int = 0
    done_now: int = 0
    done_on_time: int = 0
    done_late: int = 0
    extended: int = 0  # open, on an approved later date not yet passed (延期中)
    feedback_overdue: int = 0  # open obligations whose progress report is late (反馈逾期)
    waived: int = 0  # exempted or terminated, left out of every count
    previous_rate: float | None = None  # the rate at the end of the previous period
    rank: int | None = None  # 1 = best rate; units with nothing due yet have none

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def was_due(self) -> int:
        return self.done_on_time + self.done_late + self.overdue

    @property
    def rate(self) -> float | None:
        """Share of what was due that is done (on time or late); None when nothing was due."""
        return self.done / self.was_due if self.was_due else None

    @property
    def change(self) -> float | None:
        """Rate now minus rate at the end of the previous period; None when either is unknown."""
        if self.rate is None or self.previous_rate is None:
            return None
        return self.rate - self.previous_rate

    def __bool__(self) -> bool:
        return bool(self.was_due or self.due_now or self.due_next or self.done_now or self.extended
                    or self.feedback_overdue)


@dataclass(frozen=True)
class TrendPoint:
    day: date  # the last day of a week (or the report's day)
    done: int
    was_due: int

    @property
    def rate(self) -> float | None:
        return self.done / self.was_due if self.was_due else None


@dataclass
class PeriodReport:
    kind: str
    title: str
    doc_no: str
    issuer: str
    as_of: date
    start: date
    end: date
    next_start: date
    next_end: date
    unit: str | None = None  # the --unit the report is about, if any
    summaries: list[UnitSummary] = field(default_factory=list)
    total: UnitSummary = field(default_factory=lambda: UnitSummary("合计"))
    overdue: list[Row] = field(default_factory=list)
    due_now: list[Row] = field(default_factory=list)
    due_next: list[Row] = field(default_factory=list)
    done_now: list[Row] = field(default_factory=list)
    extended: list[Row] = field(default_factory=list)
    progress: list[ProgressEntry] = field(default_factory=list)  # reported in the period, in plan order
    task_texts: dict[tuple[str, str], str] = field(default_factory=dict)  # of the tasks in ``progress``
    waived: int = 0  # obligations left out of every count: exempted or terminated (免于考核 / 已终止)
    trend: list[TrendPoint] = field(default_factory=list)
    deadlines: dict[tuple[str, str], str] = field(default_factory=dict)  # (plan key, task id) → deadline words
    plans: tuple[str, ...] = ()  # the keys of the plans the report covers

    @property
    def previous_end(self) -> date:
        return self.start - timedelta(days=1)

    @property
    def label(self) -> str:
        return period_label(self.kind, self.start)

    @property
    def name(self) -> str:
        return REPORT_NAMES[self.kind]

    @property
    def sections(self) -> tuple[tuple[str, str], ...]:
        return tuple(zip(SECTION_KEYS, _SECTION_WORDS[self.kind]))

    # The weekly report's words, as its JSON contract names them.
    @property
    def year(self) -> int:
        return self.start.isocalendar()[0]

    @property
    def week(self) -> int:
        return self.start.isocalendar()[1]


class _Counter:
    """Due and reached dates (ordinals) of obligations, to count done and overdue at any day (the trend)."""

    def __init__(self) -> None:
        self.due_after: list[int] = []  # due + 1: due before t ⇔ due + 1 ≤ t
        self.settled: list[int] = []  # max(due, reached): due and done by t
        self.settled_after: list[int] = []  # max(due + 1, reached): due before t and done by t

    def add(self, due: int, reached: int | None) -> None:
        self.due_after.append(due + 1)
        if reached is not None:
            self.settled.append(max(due, reached))
            self.settled_after.append(max(due + 1, reached))

    def add_cell(self, due: int, units: int, reached: list[int]) -> None:
        """``units`` obligations due on ``due``, of which those in ``reached`` were reached on those days."""
        self.due_after += [due + 1] * units
        self.settled += [due if r <= due else r for r in reached]
        self.settled_after += [due + 1 if r <= due else r for r in reached]

    def freeze(self) -> None:
        for values in (self.due_after, self.settled, self.settled_after):
            values.sort()

    def at(self, day: date) -> tuple[int, int]:
        """(done, was_due) at the end of ``day``."""
        t = day.toordinal()
        done = bisect_right(self.settled, t)
        overdue = bisect_right(self.due_after, t) - bisect_right(self.settled_after, t)
        return done, done + overdue


class _UnitCounts:
    """Per unit, what was due by today and how it went, and (as :class:`_Counter` would say at that one
    day) done and was-due at the end of the previous period; kept as counts per unit name, so that a
    whole cell of units is counted at once."""

    def __init__(self, previous_end: date) -> None:
        self.before = previous_end.toordinal()
        self.counted: Counter[str] = Counter()  # obligations due by today
        self.on_time: Counter[str] = Counter()
        self.late: Counter[str] = Counter()
        self.done_before: Counter[str] = Counter()  # due by, and reached by, the previous period's end
        self.due_before: Counter[str] = Counter()  # due before the previous period's end
        self.settled_before: Counter[str] = Counter()  # ... and reached by its end

    def add(self, name: str, due: int, reached: int | None) -> None:
        self.counted[name] += 1
        before = self.before
        if due < before:
            self.due_before[name] += 1
        if reached is not None:
            if reached <= due:
                self.on_time[name] += 1
            else:
                self.late[name] += 1
            if reached <= before and due <= before:
                self.done_before[name] += 1
                if due < before:
                    self.settled_before[name] += 1

    def add_units(self, units: list[str], counted: int, due_before: int) -> None:
        """Every unit of ``units`` due by today ``counted`` times more, ``due_before`` of them before the
        previous period's end (a task's cells added up: one update per task, not per cell)."""
        self.counted.update(dict.fromkeys(units, counted))
        if due_before:
            self.due_before.update(dict.fromkeys(units, due_before))

    def add_cell(self, due: int, reached: list[str], done: dict[str, int], latest: int) -> None:
        """How the units in ``reached`` did on a cell due on ``due`` (each on ``done[unit]``, none later than
        ``latest``); :meth:`add_units` counts the cell's units."""
        before = self.before
        if latest <= due:  # all on time: most cells of a plan's past
            self.on_time.update(reached)
        else:
            self.on_time.update([name for name in reached if done[name] <= due])
            self.late.update([name for name in reached if done[name] > due])
        if due <= before:
            by_then = reached if latest <= before else [name for name in reached if done[name] <= before]
            self.done_before.update(by_then)
            if due < before:
                self.settled_before.update(by_then)

    def previous_rate(self, name: str) -> float | None:
        done = self.done_before[name]
        return _rate(done, done + self.due_before[name] - self.settled_before[name])


def _rate(done: int, was_due: int) -> float | None:
    return done / was_due if was_due else None


def rank_units(summaries: list[UnitSummary]) -> None:
    """Rank by rate, best first; equal rates share a rank (1, 2, 2, 4); no rate, no rank."""
    rated = sorted((s for s in summaries if s.rate is not None), key=lambda s: -s.rate)
    previous, rank = None, 0
    for index, summary in enumerate(rated, start=1):
        if summary.rate != previous:
            rank, previous = index, summary.rate
        summary.rank = rank


def trend_days(start: date, as_of: date, limit: int = 53) -> list[date]:
    """Sundays from the week of ``start`` up to ``as_of``, and ``as_of`` itself; at most ``limit``, the latest."""
    sunday = start + timedelta(days=6 - start.weekday())
    days = []
    while sunday < as_of:
        days.append(sunday)
        sunday += timedelta(days=7)
    days.append(as_of)
    return days[-limit:]


def period_report(timetable: Timetable, standing: Standing, scope: Scope, kind: str, start: date, end: date,
                  *, unit: str | None = None, sort: str = "official", trend: bool = False) -> PeriodReport:
    """The report of the period [start, end] as it stands on ``standing.today`` (the caller passes the
    standing as of the period's last day for a past period)."""
    plan = timetable.plan
    today = standing.today
    next_start = end + timedelta(days=1)
    next_end = bounds(kind, next_start)[1]
    report = PeriodReport(kind=kind, title=plan.title, doc_no=plan.doc_no, issuer=plan.issuer, as_of=today,
                          start=start, end=end, next_start=next_start, next_end=next_end, unit=unit)
    soon = soon_days(today, plan.settings, timetable.calendar)
    summaries: dict[str, UnitSummary] = {}
    total_counter = _Counter()

    def summary(name: str) -> UnitSummary:
        found = summaries.get(name)
        if found is None:
            found = summaries[name] = UnitSummary(name)
        return found

    def row(task: Task, name: str, occ: Occurrence, mark=None) -> Row:
        dates = standing.dates(task, occ.period, name)
        if mark is None:
            return status_row(task, name, occ, dates, today, soon)
        return status_row(task, name, occ, dates, today, soon, mark, standing.last_progress(task, name))

    # Done obligations only count, unless done in the period: no Row for the many others.
    start_ordinal, today_ordinal = start.toordinal(), standing.today_ordinal
    marked = set(standing.ledger.marked_tasks())
    previous_end = start - timedelta(days=1)
    counts = _UnitCounts(previous_end)
    listed: dict[str, Counter] = {"overdue": Counter(), "due_now": Counter(), "due_next": Counter()}
    for task, units, found in task_windows(timetable, scope, None, next_end):
        has_marks = (task.plan, task.id) in marked
        counted = due_before = 0  # cells counted a whole at a time
        for occ in found:
            done = standing.done_in(task, occ.period)
            if not has_marks and occ.required == 1 and all_by(done, today_ordinal):
                if _count_cell(report, summary, row, counts, total_counter, listed, task, occ, units, done, today,
                               start_ordinal):
                    counted += 1
                    due_before += occ.due < previous_end
                continue
            for name in units:
                reached = standing.reached(done.get(name), occ.required)
                mark = standing.mark(task, occ.period, name) if has_marks else None
                due = occ.due
                if mark:
                    if mark.waiver is not None and reached is None:
                        summary(name).waived += 1
                        continue
                    if mark.extension is not None:
                        due = mark.extension.until
                        if reached is None and due >= today:
                            report.extended.append(row(task, name, occ, mark))
                            summary(name).extended += 1
                            continue
                due_ordinal = due.toordinal()
                if due <= today:
                    counts.add(name, due_ordinal, reached)
                    total_counter.add(due_ordinal, reached)
                if reached is not None:
                    if reached >= start_ordinal:
                        report.done_now.append(row(task, name, occ, mark))
                        summary(name).done_now += 1
                elif due < today:
                    report.overdue.append(row(task, name, occ, mark))
                    summary(name).overdue += 1
                elif start <= due <= end:
                    report.due_now.append(row(task, name, occ, mark))
                    summary(name).due_now += 1
                elif next_start <= due <= next_end:
                    report.due_next.append(row(task, name, occ, mark))
                    summary(name).due_next += 1
        if counted:
            counts.add_units(units, counted, due_before)
    for task, occ, name, mark in _extended_later(timetable, standing, scope, after=next_end):
        report.extended.append(row(task, name, occ, mark))
        summary(name).extended += 1
    for late in feedback_rows(timetable, standing, scope, soon):
        summary(late.unit).feedback_overdue += 1
    report.progress = _progress_in(timetable, standing, scope, start, end)
    if report.progress:
        reported = {(p.plan, p.task) for p in report.progress}
        report.task_texts = {(t.plan, t.id): t.text for t in plan.tasks if (t.plan, t.id) in reported}
    for early in _done_early(timetable, standing, scope, after=next_end, since=start, soon=soon):
        report.done_now.append(early)
        summary(early.unit).done_now += 1

    for key, units_listed in listed.items():
        for name, count in units_listed.items():
            found = summary(name)
            setattr(found, key, getattr(found, key) + count)
    for name in counts.counted:
        found = summary(name)
        found.done_on_time += counts.on_time[name]
        found.done_late += counts.late[name]
        found.previous_rate = counts.previous_rate(name)
    total_counter.freeze()

    report.waived = sum(s.waived for s in summaries.values())
    kept = [s for s in summaries.values() if s]
    rank_units(kept)
    report.summaries = sort_units(kept, plan, sort, name_of=lambda s: s.unit)
    if sort == "overdue":
        report.summaries.sort(key=lambda s: -s.overdue)  # stable: equal counts stay in the official order
    report.total = _total(report.summaries, _rate(*total_counter.at(previous_end)))
    for key in SECTION_KEYS:
        setattr(report, key, sort_rows(getattr(report, key), plan, sort))
    if trend:
        report.trend = [TrendPoint(day, *total_counter.at(day)) for day in trend_days(plan.valid_from, today)]
    report.deadlines = {(task.plan, task.id): task.deadline for task in plan.tasks}
    report.plans = plan_keys(plan)
    return report


def _count_cell(report: PeriodReport, summary, row, counts: _UnitCounts, total: _Counter, listed: dict[str, Counter],
                task: Task, occ: Occurrence, units: list[str], done, today: date, start_ordinal: int) -> bool:
    """One occurrence of an unmarked task needing one completion, every completion of it dated by today
    (``done``: unit → date ordinal): what :func:`period_report`'s loop does unit by unit, a cell at a time.
    The open units it lists are counted in ``listed`` (section → unit → how many).  True when the cell is
    due by today: the caller then counts its units (:meth:`_UnitCounts.add_units`)."""
    due = occ.due
    due_ordinal = due.toordinal()
    reached = [name for name in units if name in done] if done else []
    latest = max(done.values()) if done else 0
    counted = due <= today
    if counted:
        counts.add_cell(due_ordinal, reached, done, latest)
        total.add_cell(due_ordinal, len(units),
                       list(done.values()) if len(reached) == len(done) else [done[name] for name in reached])
    if latest >= start_ordinal:
        for name in reached:
            if done[name] >= start_ordinal:
                report.done_now.append(row(task, name, occ))
                summary(name).done_now += 1
    if len(reached) == len(units):
        return counted
    if due < today:
        section, key = report.overdue, "overdue"
    elif report.start <= due <= report.end:
        section, key = report.due_now, "due_now"
    elif report.next_start <= due <= report.next_end:
        section, key = report.due_next, "due_next"
    else:
        return counted
    missing = [name for name in units if name not in done]
    section += alike_rows(row(task, "", occ), missing)  # no completion, no mark: their rows alike
    listed[key].update(missing)
    return counted


def _total(summaries: list[UnitSummary], previous_rate: float | None) -> UnitSummary:
    total = UnitSummary("合计", previous_rate=previous_rate)
    for s in summaries:
        total.overdue += s.overdue
        total.due_now += s.due_now
        total.due_next += s.due_next
        total.done_now += s.done_now
        total.done_on_time += s.done_on_time
        total.done_late += s.done_late
        total.extended += s.extended
        total.feedback_overdue += s.feedback_overdue
    return total


def _done_early(timetable: Timetable, standing: Standing, scope: Scope, after: date, since: date,
                soon: int) -> Iterator[Row]:
    """Obligations due after ``after`` whose required completions were reached on or after ``since``.

    Only the cells of such occurrences are looked at, and in them only units with a completion since then.
    """
    plan = timetable.plan
    since_ordinal = since.toordinal()
    for task in plan.tasks:
        if scope.category and task.category != scope.category:
            continue
        responsible = None
        for occ in timetable.occurrences(task):
            if occ.due is None or occ.due <= after:
                continue
            done = standing.done_in(task, occ.period)
            recent = [unit for unit, value in done.items()
                      if (value if type(value) is int else value[-1]) >= since_ordinal]
            if not recent:
                continue
            if responsible is None:
                responsible = set(units_in_scope(plan.units, task, scope))
            for unit in recent:
                dates = standing.dates(task, occ.period, unit)
                if len(dates) >= occ.required and dates[occ.required - 1] >= since and unit in responsible:
                    yield status_row(task, unit, occ, dates, standing.today, soon)


def _progress_in(timetable: Timetable, standing: Standing, scope: Scope, start: date, end: date) -> list[ProgressEntry]:
    """The progress reports dated in [start, end] on tasks and units the report covers: tasks in plan
    order, units in the official order, then by date."""
    plan = timetable.plan
    tasks = task_order(plan)
    units = unit_order(plan.units)
    by_key = {(task.plan, task.id): task for task in plan.tasks
              if not scope.category or task.category == scope.category}
    found = [p for p in standing.progress_between(start, end)
             if (p.plan, p.task) in by_key and (scope.units is None or p.unit in scope.units)]
    return sorted(found, key=lambda p: (tasks.get((p.plan, p.task), len(tasks)), units.get(p.unit, len(units)),
                                        p.date, p.id))


def _extended_later(timetable: Timetable, standing: Standing, scope: Scope, after: date):
    """(task, occurrence, unit, mark) of open obligations due by the plan after ``after`` that carry a live
    extension: the window of the lists leaves them out, but 延期中 lists every extended obligation."""
    plan = timetable.plan
    marked = set(standing.ledger.marked_tasks())
    for task in plan.tasks:
        if (task.plan, task.id) not in marked or (scope.category and task.category != scope.category):
            continue
        units = set(units_in_scope(plan.units, task, scope))
        for occ in timetable.occurrences(task):
            if occ.due is None or occ.due <= after:
                continue
            for name, mark in standing.marks_in(task, occ.period).items():
                if name not in units or mark.extension is None:
                    continue
                mark = standing.mark(task, occ.period, name)
                if mark.waiver is None and standing.reached(standing.done_in(task, occ.period).get(name),
                                                            occ.required) is None:
                    yield task, occ, name, mark
