"""The rest of the 台账: progress reports, approved extensions and exemptions (evidence: app/evidence.py).

Every function checks everything before it writes, then appends one line through
the store (locked, fsynced): a refusal leaves the journal byte for byte as it
was.  Results are typed; the CLI words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.errors import UsageError
from ..domain.model import Occurrence, Plan, Task
from ..journal.entries import (
    ALL_PERIODS,
    make_extend_record,
    make_progress_record,
    make_waive_record,
)
from ..journal.ledger import Mark
from .context import RunContext
from .lookup import find_task
from .recording import PeriodUnknown, _unknown_period, check_unit
from .text import checked_text


@dataclass(frozen=True)
class Duty:
    """One obligation named on the command line, and what the journal already says of it."""

    plan: Plan
    task: Task
    unit: str
    occurrence: Occurrence
    done_count: int
    mark: Mark

    @property
    def done(self) -> bool:
        return self.done_count >= self.occurrence.required

    @property
    def due(self) -> date | None:
        """The due date that counts now: the latest live extension's, else the plan's."""
        extension = self.mark.extension
        return extension.until if extension else self.occurrence.due


def _occurrences(context: RunContext, plan: Plan, task: Task) -> list[Occurrence]:
    return context.timetable_for(plan).occurrences(task)


def _named_occurrence(task: Task, occurrences: list[Occurrence], period: str, plan: Plan) -> Occurrence:
    from ..domain.schedule import journal_labels

    labels = {o.period: o for o in occurrences}
    period = period if period in labels else journal_labels(task.rules, occurrences).get(period, period)
    if period not in labels:
        raise PeriodUnknown(f"--period {_unknown_period(task, occurrences, period, plan.settings)}", subject="period")
    return labels[period]


def duty(context: RunContext, task_id: str, unit: str, period: str) -> Duty:
    """The obligation of ``unit`` on ``task_id`` for ``period`` (a label as read_period gives it)."""
    task = find_task(context.plans, task_id)
    plan = context.plan_of(task)
    check_unit(plan, task, unit)
    if not task.rules:
        raise UsageError(f"任务 {task.id} 没有可识别的完成时限；运行 fupin check 查看", subject="task")
    occurrence = _named_occurrence(task, _occurrences(context, plan, task), period, plan)
    return _duty(context, plan, task, unit, occurrence)


def _duty(context: RunContext, plan: Plan, task: Task, unit: str, occurrence: Occurrence, standing=None) -> Duty:
    standing = standing or context.standing()
    count = standing.count_of(standing.done_in(task, occurrence.period).get(unit))
    return Duty(plan, task, unit, occurrence, count, standing.ledger.mark(task, occurrence.period, unit))


def _unchanged(context: RunContext, found: Duty, what: str):
    """A precondition for the store's append: the obligation stands as it was checked (nobody completed,
    extended or waived it meanwhile), read again under the journal's lock."""

    def check(store) -> None:
        now = context.matched(store.ledger())[0].as_of(context.today)
        again = _duty(context, found.plan, found.task, found.unit, found.occurrence, now)
        waiver = (lambda d: d.mark.waiver.id if d.mark.waiver else None)
        if (again.done_count, again.due, waiver(again)) != (found.done_count, found.due, waiver(found)):
            raise UsageError(f"任务 {found.task.id} {found.unit} 的期间 {found.occurrence.period} 刚刚已由其他人"
                             f"更新（销号、延期或免于考核），本次{what}没有记录；请用 fupin show {found.task.id} 查看后再试",
                             subject="period")

    return check


# ---------------------------------------------------------------- progress (进展)

@dataclass(frozen=True)
class Reported:
    record: dict
    duty: Duty


def record_progress(context: RunContext, task_id: str, unit: str, period: str | None, on: date | None, *,
                    done: str, problem: str = "", next_step: str = "", percent: int | None = None, by: str = "",
                    note: str = "") -> Reported:
    """Append a progress report.  Without ``period``: the period holding ``on`` for an ongoing task, else the
    unit's earliest period begun by then and not done (or the latest begun, when all are done)."""
    done = checked_text(done, "--done", required=True)
    problem = checked_text(problem, "--problem")
    next_step = checked_text(next_step, "--next")
    note = checked_text(note, "--note")
    by = checked_text(by, "--by")
    if percent is not None and not 0 <= percent <= 100:
        raise UsageError(f"--percent 应在 0 到 100 之间，而不是 {percent}", subject="percent")
    today = context.today
    on = on or today
    if on > today:
        raise UsageError(f"--date {on} 晚于今天（{today}），不能预先报送进展", subject="date")
    if period is not None:
        found = duty(context, task_id, unit, period)
    else:
        found = _progress_duty(context, task_id, unit, on)
    if found.mark.waiver is not None:
        raise UsageError(f"任务 {found.task.id} {unit} 的期间 {found.occurrence.period} 已免于考核"
                         f"（{found.mark.waiver.reason}），不再报送进展；如有误，先用 fupin undo 作废免于考核记录",
                         subject="period")
    record = make_progress_record(plan=found.task.plan, task=found.task.id, unit=unit,
                                  period=found.occurrence.period, date=on, done=done, problem=problem,
                                  next=next_step, percent=percent, by=by, note=note, now_utc=context.now(),
                                  tz=context.tz)
    context.store.append(record)
    return Reported(record, found)


def _progress_duty(context: RunContext, task_id: str, unit: str, on: date) -> Duty:
    task = find_task(context.plans, task_id)
    plan = context.plan_of(task)
    check_unit(plan, task, unit)
    from ..reports.rows import begins

    occurrences = sorted(_occurrences(context, plan, task), key=lambda o: (begins(o, plan.valid_from), o.period))
    begun = [o for o in occurrences if begins(o, plan.valid_from) <= on]
    if not begun:
        raise UsageError(f"任务 {task.id} 在 {on} 还没有开始的期间；请用 --period 指明", subject="period")
    holding = [o for o in begun if o.due is None and o.start <= on <= o.end]
    if holding:
        return _duty(context, plan, task, unit, holding[-1])
    duties = [_duty(context, plan, task, unit, o) for o in begun if o.due is not None]
    open_ones = [d for d in duties if not d.done and d.mark.waiver is None]
    if open_ones:
        return min(open_ones, key=lambda d: (d.occurrence.due, d.occurrence.start))
    if duties:
        return duties[-1]
    return _duty(context, plan, task, unit, begun[-1])


# ---------------------------------------------------------------- extensions (延期)

@dataclass(frozen=True)
class Extended:
    record: dict
    duty: Duty
    until: date
    due_before: date
    late: bool


def record_extension(context: RunContext, task_id: str, unit: str, period: str, until: date, *, reason: str,
                     approved_by: str, approved_on: date | None = None, late: bool = False, by: str = "",
                     note: str = "") -> Extended:
    """Append an approved extension: due on ``until`` instead of the current due date (the plan's, or the last
    extension's).  Refused when ``until`` is not after it, when the obligation is done, waived or has no due
    date, and when asked for after the due date without ``late``."""
    reason = checked_text(reason, "--reason", required=True)
    approved_by = checked_text(approved_by, "--approved-by", required=True)
    note = checked_text(note, "--note")
    by = checked_text(by, "--by")
    today = context.today
    if approved_on is not None and approved_on > today:
        raise UsageError(f"--approved-on {approved_on} 晚于今天（{today}）", subject="approved_on")
    found = duty(context, task_id, unit, period)
    label = f"任务 {found.task.id} {unit} 的期间 {found.occurrence.period}"
    if found.due is None:
        raise UsageError(f"{label} 是长期性任务，没有应完成日，无需延期", subject="period")
    if found.done:
        raise UsageError(f"{label} 已完成，无需延期", subject="period")
    if found.mark.waiver is not None:
        raise UsageError(f"{label} 已免于考核，无需延期", subject="period")
    current = found.due
    if until <= current:
        raise UsageError(f"--until {until} 不晚于现在的应完成日 {current}；延期后的日期须在其后", subject="until")
    asked_late = today > current
    if asked_late and not late:
        raise UsageError(f"{label} 的应完成日 {current} 已过（今天 {today}）；到期后才申请的延期须加 --late，"
                         f"记录中会注明", subject="late")
    record = make_extend_record(plan=found.task.plan, task=found.task.id, unit=unit, period=found.occurrence.period,
                                until=until, reason=reason, approved_by=approved_by, approved_on=approved_on,
                                due_before=current, late=asked_late, by=by, note=note, now_utc=context.now(),
                                tz=context.tz)
    context.store.append(record, precondition=_unchanged(context, found, "延期"))
    return Extended(record, found, until, current, asked_late)


# ---------------------------------------------------------------- exemptions (免于考核 / 终止)

@dataclass(frozen=True)
class Waived:
    record: dict
    task: Task
    unit: str
    period: str  # a label, or ALL_PERIODS


def record_waiver(context: RunContext, task_id: str, unit: str, period: str | None, *, all_periods: bool,
                  reason: str, approved_by: str, by: str = "", note: str = "") -> Waived:
    """Append an exemption of one period (``period``) or of every period (``all_periods``) of a task for a unit.

    Refused for a done obligation (its completion stands; void it first) and for one already waived.
    """
    reason = checked_text(reason, "--reason", required=True)
    approved_by = checked_text(approved_by, "--approved-by", required=True)
    note = checked_text(note, "--note")
    by = checked_text(by, "--by")
    task = find_task(context.plans, task_id)
    plan = context.plan_of(task)
    check_unit(plan, task, unit)
    if (period is None) == (not all_periods):
        raise UsageError("请用 --period 指明免于考核的期间，或用 --all-periods 免除全部期间（二者选一）",
                         subject="period")
    if all_periods:
        every = context.standing().ledger.mark(task, ALL_PERIODS, unit)
        if every.waiver is not None and every.waiver.period == ALL_PERIODS:
            raise UsageError(f"任务 {task.id} {unit} 已全部免于考核（记录 {every.waiver.id}）", subject="period")
        label = ALL_PERIODS
    else:
        found = duty(context, task_id, unit, period)
        task, label = found.task, found.occurrence.period
        where = f"任务 {task.id} {unit} 的期间 {label}"
        if found.done:
            raise UsageError(f"{where} 已完成（已记 {found.done_count}/{found.occurrence.required} 次），"
                             f"不能免于考核；如完成记录有误，先用 fupin undo 作废", subject="period")
        if found.mark.waiver is not None:
            raise UsageError(f"{where} 已免于考核（记录 {found.mark.waiver.id}）", subject="period")
    record = make_waive_record(plan=task.plan, task=task.id, unit=unit, period=label, reason=reason,
                               approved_by=approved_by, by=by, note=note, now_utc=context.now(), tz=context.tz)
    context.store.append(record, precondition=None if all_periods else _unchanged(context, found, "免于考核"))
    return Waived(record, task, unit, label)
