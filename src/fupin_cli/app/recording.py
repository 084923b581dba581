"""Recording and voiding completions (销号): the rules a new journal line must pass.

Every refusal is raised before anything is written, so a refused command
leaves the journal byte for byte as it was.  Results are typed; the CLI words them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..domain.errors import UsageError
from ..domain.model import Occurrence, Plan, Task
from ..journal.entries import DoneEntry, VoidEntry, make_done_record, make_void_record
from .context import RunContext, match_plan
from .lookup import find_task


class PeriodComplete(UsageError):
    """The named period already has every completion it needs."""


class PeriodUnknown(UsageError):
    """The named period is not one of the task's periods."""


class PeriodNeeded(UsageError):
    """No period was named and none can be chosen for the person.

    ``example`` is a period label to suggest when the task is ongoing (it has
    no due dates to choose from), else None.
    """

    def __init__(self, task_id: str, unit: str, example: str | None) -> None:
        self.task_id, self.unit, self.example = task_id, unit, example
        if example is not None:
            message = f"任务 {task_id} 是长期性任务，没有固定期限；请指明期间，如 {example}"
        else:
            message = f"任务 {task_id} {unit} 没有已开始且未完成的期间；请指明期间"
        super().__init__(message, subject="period")


def check_unit(plan: Plan, task: Task, unit: str) -> None:
    leaves = list(plan.units.responsible(task.units))
    if plan.units[unit].is_group:
        members = plan.units.leaves(unit)
        raise UsageError(f"“{unit}” 是单位组，请写明是哪个成员完成的：{'、'.join(members)}", subject="unit")
    if unit not in leaves:
        raise UsageError(f"{unit} 不是任务 {task.id} 的责任单位；责任单位是：{'、'.join(task.units)}"
                         + (f"（即 {'、'.join(leaves)}）" if leaves != list(task.units) else ""), subject="unit")


def choose_occurrence(task: Task, occurrences: list[Occurrence], period: str | None,
                      done_count: Callable[[str], int], unit: str, today: date) -> Occurrence:
    """The occurrence a completion is for: the one named, or the earliest open one already begun.

    ``done_count(period)`` is how many live completions the unit has for that period.
    """
    if period is not None:
        for occurrence in occurrences:
            if occurrence.period == period.strip():
                if done_count(occurrence.period) >= occurrence.required:
                    raise PeriodComplete(f"任务 {task.id} {unit} 的期间 {occurrence.period} 已完成"
                                         f"（需 {occurrence.required} 次，已记 {occurrence.required} 次）",
                                         subject="period")
                return occurrence
        labels = [o.period for o in occurrences]
        shown = "、".join(labels[:12]) + ("……" if len(labels) > 12 else "")
        raise PeriodUnknown(f"“{period}” 不是任务 {task.id} 的期间；可选：{shown}", subject="period")
    if task.rules and all(rule.kind == "ongoing" for rule in task.rules):
        raise PeriodNeeded(task.id, unit, f"{today:%Y-%m}")
    for occurrence in sorted(occurrences, key=lambda o: (o.due or date.max, o.start)):
        if occurrence.start <= today and occurrence.due is not None \
                and done_count(occurrence.period) < occurrence.required:
            return occurrence
    raise PeriodNeeded(task.id, unit, None)


@dataclass(frozen=True)
class Recorded:
    """A completion written to the journal, and where its obligation now stands."""

    record: dict
    task: Task
    unit: str
    occurrence: Occurrence
    completed: date
    count: int

    @property
    def late(self) -> bool:
        return self.occurrence.due is not None and self.completed > self.occurrence.due


def record_done(context: RunContext, task_id: str, unit: str, period: str | None, completed: date | None,
                by: str, note: str) -> Recorded:
    plan = context.plan
    task = find_task(plan, task_id)
    check_unit(plan, task, unit)
    today = context.today
    completed = completed or today
    if completed > today:
        raise CompletedInFuture(completed, today)
    if not task.rules:
        raise UsageError(f"任务 {task.id} 没有可识别的完成时限，无法销号；运行 fupin check 查看", subject="task")
    # The ledger (indexed for big journals) rather than every entry: a clerk's done stays quick.
    standing = context.standing()

    def done_count(label: str) -> int:
        return standing.count_of(standing.done_in(task.id, label).get(unit))

    occurrence = choose_occurrence(task, context.timetable.occurrences(task), period, done_count, unit, today)
    record = make_done_record(task=task.id, unit=unit, period=occurrence.period, date=completed,
                              by=by, note=note, now_utc=context.now(), tz=context.tz)
    counted: list[int] = []

    def still_open(store) -> None:
        # Counted again under the lock (labels read as the reports read them): of racing clerks
        # exactly the quota gets through.
        now = match_plan(store.ledger(), context.timetable)[0].as_of(today)
        count = now.count_of(now.done_in(task.id, occurrence.period).get(unit))
        if count >= occurrence.required:
            raise PeriodComplete(f"任务 {task.id} {unit} 的期间 {occurrence.period} 刚刚已由其他人销号完成"
                                 f"（需 {occurrence.required} 次，已记 {count} 次），本次没有记录",
                                 subject="period")
        counted.append(count)

    context.store.append(record, precondition=still_open)
    return Recorded(record, task, unit, occurrence, completed, counted[0] + 1)


class CompletedInFuture(UsageError):
    """A completion dated after today."""

    def __init__(self, completed: date, today: date) -> None:
        self.completed, self.today = completed, today
        super().__init__(f"完成日期 {completed} 晚于今天（{today}），不能预先销号", subject="date")


class NotInJournal(UsageError):
    """No entry has the id a person gave."""


class AlreadyVoided(UsageError):
    """The entry is voided already (perhaps by someone else a moment ago)."""


@dataclass(frozen=True)
class Voided:
    record: dict
    target: DoneEntry


def record_void(context: RunContext, entry_id: str, reason: str, by: str) -> Voided:
    contents = context.journal_contents()
    by_id = {e.id: e for e in contents.entries}
    target = by_id.get(entry_id.strip())
    if target is None:
        import difflib

        close = difflib.get_close_matches(entry_id, list(by_id), n=3, cutoff=0.6)
        hint = f"；是否是指：{'、'.join(close)}？" if close else ""
        raise NotInJournal(f"台账中没有记录号 “{entry_id}”{hint}", subject="entry")
    if type(target) is not DoneEntry:
        raise UsageError(f"记录 {target.id} 本身是作废记录，不能再作废", subject="entry")
    voided = [e for e in contents.entries if type(e) is VoidEntry and e.target == target.id]
    if voided:
        raise AlreadyVoided(f"记录 {target.id} 已于 {voided[0].recorded_at} 作废（作废记录 {voided[0].id}）",
                            subject="entry")
    record = make_void_record(target=target.id, reason=reason, by=by, now_utc=context.now(), tz=context.tz)

    def not_voided_meanwhile(store) -> None:
        if target.id in store.ledger().voided:
            raise AlreadyVoided(f"记录 {target.id} 刚刚已由其他人作废，本次没有写入", subject="entry")

    context.store.append(record, precondition=not_voided_meanwhile)
    return Voided(record, target)


def journal_records(context: RunContext, unit: str | None, task_id: str | None, since: date | None) -> list[dict]:
    """The journal's entries as records for people and scripts, filtered, voids beside what they cancel."""
    entries = context.journal_contents().entries
    voided_by = {e.target: e.id for e in entries if type(e) is VoidEntry}
    task = find_task(context.plan, task_id).id if task_id else None
    units = set(context.plan.units.leaves(unit)) if unit else None
    by_id = {e.id: e for e in entries}
    records = []
    for entry in entries:
        subject = by_id.get(entry.target, entry) if type(entry) is VoidEntry else entry
        if task and getattr(subject, "task", None) != task:
            continue
        if units is not None and getattr(subject, "unit", None) not in units:
            continue
        if since and (getattr(subject, "date", None) is None or subject.date < since):
            continue
        record = entry_record(entry, voided_by.get(entry.id))
        if type(entry) is VoidEntry:  # show what the void cancels, so the table reads on its own
            record |= {"task": getattr(subject, "task", ""), "unit": getattr(subject, "unit", ""),
                       "period": getattr(subject, "period", "")}
        records.append(record)
    return records


def entry_record(entry, voided_by: str | None) -> dict:
    """One journal entry as a record (the JSON of ``fupin journal``)."""
    day = getattr(entry, "date", None)
    return {"id": entry.id, "op": entry.op, "task": getattr(entry, "task", ""), "unit": getattr(entry, "unit", ""),
            "period": getattr(entry, "period", ""), "date": day.isoformat() if day else None,
            "recorded_at": getattr(entry, "recorded_at", ""), "by": getattr(entry, "by", ""),
            "note": getattr(entry, "note", ""), "target": getattr(entry, "target", "") or None,
            "voided_by": voided_by, "line": entry.line}
