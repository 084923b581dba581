"""Recording and voiding completions (销号): the rules a new journal line must pass.

Every refusal is raised before anything is written, so a refused command
leaves the journal byte for byte as it was.  Results are typed; the CLI words them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ..domain.errors import UsageError
from ..domain.model import Occurrence, Plan, Settings, Task
from ..journal.entries import OBLIGATION_ENTRIES, DoneEntry, VoidEntry, make_done_record, make_void_record
from .context import RunContext
from .lookup import find_task

FORCED_KEY = "forced"  # on a completion recorded with --force: why it would have been refused


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
                      done_count: Callable[[str], int], unit: str, day: date,
                      settings: Settings = Settings(),
                      opens: Callable[[Occurrence], date] = lambda o: o.start) -> Occurrence:
    """The occurrence a completion is for: the one named, or the earliest open one that ``day`` may complete.

    ``period`` is a label as :func:`fupin_cli.app.inputs.read_period` gives it;
    ``done_count(period)`` is how many live completions the unit has for that period;
    ``opens(occurrence)`` is the first day a completion may count for it.
    """
    if period is not None:
        for occurrence in occurrences:
            if occurrence.period == period:
                if done_count(occurrence.period) >= occurrence.required:
                    raise PeriodComplete(f"任务 {task.id} {unit} 的期间 {occurrence.period} 已完成"
                                         f"（需 {occurrence.required} 次，已记 {occurrence.required} 次）",
                                         subject="period")
                return occurrence
        raise PeriodUnknown(_unknown_period(task, occurrences, period, settings), subject="period")
    if task.rules and all(rule.kind == "ongoing" for rule in task.rules):
        raise PeriodNeeded(task.id, unit, f"{day:%Y-%m}")
    for occurrence in sorted(occurrences, key=lambda o: (o.due or date.max, o.start)):
        if opens(occurrence) <= day and occurrence.due is not None \
                and done_count(occurrence.period) < occurrence.required:
            return occurrence
    raise PeriodNeeded(task.id, unit, None)


def _unknown_period(task: Task, occurrences: list[Occurrence], period: str, settings: Settings) -> str:
    """Why ``period`` is not one of the task's, with the period that holds it when there is one."""
    from ..domain.periods import read_label

    labels = [o.period for o in occurrences]
    shown = "、".join(labels[:12]) + ("……" if len(labels) > 12 else "")
    read = read_label(period.partition("#")[0], settings)
    holding = [o.period for o in occurrences if read is not None and o.start <= read[1] <= o.end]
    hint = f"；是否是指 {holding[0]}？" if holding else ""
    return f"“{period}” 不是任务 {task.id} 的期间，可选：{shown}{hint}"


def completion_window(plan: Plan, occurrence: Occurrence) -> tuple[date, date]:
    """The days a completion for ``occurrence`` may be dated without --force.

    Not before its period began (a one-off: not before the plan took effect, or
    1 January of its due year if that is earlier), and not more than a year
    after the plan's end or the due date, whichever is later.
    """
    if occurrence.start == occurrence.end == occurrence.nominal_due:  # a one-off: its period is its date
        first = min(plan.valid_from, occurrence.start.replace(month=1, day=1))
    else:
        first = occurrence.start
    last = max(plan.valid_to, occurrence.due or plan.valid_to) + timedelta(days=366)
    return first, last


class CompletedOutsideWindow(UsageError):
    """A completion dated before its period could have begun, or outside the plan's window."""

    def __init__(self, completed: date, occurrence: Occurrence, window: tuple[date, date]) -> None:
        self.completed, self.occurrence, self.window = completed, occurrence, window
        first, last = window
        if completed < first:
            why = f"早于期间 {occurrence.period} 可开始完成的日期 {first}"
            self.reason = "date_before_period"
        else:
            why = f"晚于清单有效期之后一年（{last}）"
            self.reason = "date_outside_plan"
        super().__init__(f"完成日期 {completed} {why}；期间 {occurrence.period} 的完成日期应在 {first} 至 {last} 之间",
                         subject="date")


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
                by: str, note: str, *, force: bool = False, evidence: list[str] | None = None) -> Recorded:
    """Append a completion; ``force`` records one dated outside its window, marked ``forced`` in the entry.

    ``task_id`` is ``ID`` or ``KEY:ID``; the window is that of the task's own plan, and the line names it.
    ``evidence``: files (hashed, not copied) and links behind the completion, checked before anything is written.
    """
    items = None
    if evidence:
        from .evidence import evidence_items

        items = evidence_items(evidence, context.journal_path.parent)
    task = find_task(context.plans, task_id)
    plan = context.plan_of(task)
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
        return standing.count_of(standing.done_in(task, label).get(unit))

    occurrences = context.timetable_for(plan).occurrences(task)
    if period is not None and period not in {o.period for o in occurrences}:
        from ..domain.schedule import journal_labels

        period = journal_labels(task.rules, occurrences).get(period, period)  # 2018-07#4, as older versions wrote
    occurrence = choose_occurrence(task, occurrences, period, done_count, unit, completed,
                                   plan.settings, lambda o: completion_window(plan, o)[0])
    waiver = standing.ledger.mark(task, occurrence.period, unit).waiver
    if waiver is not None:
        raise UsageError(f"任务 {task.id} {unit} 的期间 {occurrence.period} 已免于考核（{waiver.reason}）；"
                         f"如确已完成，先用 fupin undo {waiver.id[-6:]} 作废免于考核记录", subject="period")
    window = completion_window(plan, occurrence)
    forced = None
    if not window[0] <= completed <= window[1]:
        refusal = CompletedOutsideWindow(completed, occurrence, window)
        if not force:
            raise refusal
        forced = refusal.reason
    record = make_done_record(plan=task.plan, task=task.id, unit=unit, period=occurrence.period, date=completed,
                              by=by, note=note, now_utc=context.now(), tz=context.tz, evidence=items)
    if forced:
        record[FORCED_KEY] = forced  # an unknown key to older readers: kept and ignored
    counted: list[int] = []

    def still_open(store) -> None:
        # Counted again under the lock (labels read as the reports read them): of racing clerks
        # exactly the quota gets through.
        now = context.matched(store.ledger())[0].as_of(today)
        count = now.count_of(now.done_in(task, occurrence.period).get(unit))
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
    target: DoneEntry  # or any entry about an obligation: progress, extension, waiver


def last_entry(entries, *, by: str | None, units: set[str] | None) -> DoneEntry:
    """The newest live entry (completion, progress, extension, waiver) recorded by ``by`` and/or for one of
    ``units`` (``undo --last``)."""
    from ..journal.ledger import live_entries

    live = [e for e in live_entries(entries)
            if (by is None or e.by == by) and (units is None or e.unit in units)]
    if not live:
        who = "、".join(part for part in (by is not None and f"经办人 {by}", units and f"单位 {'、'.join(sorted(units))}")
                       if part)
        raise NotInJournal(f"台账中没有{who}的有效销号记录", subject="entry")
    return max(live, key=lambda e: e.id)  # ids sort by the time they were recorded


def record_void(context: RunContext, entry_id: str | None, reason: str, by: str, *,
                last_by: str | None = None, last_units: set[str] | None = None) -> Voided:
    """Void one completion: named by (a unique part of) its id, or the newest of ``last_by`` / ``last_units``."""
    from .lookup import find_entry

    if not reason.strip():
        raise UsageError("请用 --reason（-r）写明作废原因，如 -r 录错单位", subject="reason")
    contents = context.journal_contents()
    if entry_id is not None:
        try:
            target = find_entry(contents.entries, entry_id)
        except UsageError as exc:
            raise NotInJournal(exc.message, subject="entry") from None
    else:
        entries = contents.entries
        if context.narrowed:  # --last with --plan: the newest of that plan's completions
            keys = set(context.plans.keys)
            entries = [e for e in entries if not hasattr(e, "task") or context.entry_plan(e) in keys]
        target = last_entry(entries, by=last_by, units=last_units)
    if type(target) is VoidEntry:
        raise UsageError(f"记录 {target.id} 本身是作废记录，不能再作废", subject="entry")
    if type(target) not in OBLIGATION_ENTRIES:
        raise UsageError(f"记录 {target.id} 的操作 “{target.op}” 是本版本不认识的，不能作废", subject="entry")
    voided = [e for e in contents.entries if type(e) is VoidEntry and e.target == target.id]
    if voided:
        raise AlreadyVoided(f"记录 {target.id} 已于 {voided[0].recorded_at} 作废（作废记录 {voided[0].id}）",
                            subject="entry")
    record = make_void_record(plan=context.entry_plan(target), target=target.id, reason=reason.strip(), by=by,
                              now_utc=context.now(), tz=context.tz)

    def not_voided_meanwhile(store) -> None:
        if target.id in store.ledger().voided:
            raise AlreadyVoided(f"记录 {target.id} 刚刚已由其他人作废，本次没有写入", subject="entry")

    context.store.append(record, precondition=not_voided_meanwhile)
    return Voided(record, target)


def journal_records(context: RunContext, units: list[str], task_id: str | None, since: date | None) -> list[dict]:
    """The journal's entries as records for people and scripts, filtered, voids beside what they cancel.

    ``units`` are canonical names (groups stand for their members); [] means every unit.  Only entries
    of the plan ``--plan`` names, if it names one; each record names the plan it counts for.
    """
    entries = context.journal_contents().entries
    voided_by = {e.target: e.id for e in entries if type(e) is VoidEntry}
    plans = set(context.plans.keys) if context.narrowed else None
    task = find_task(context.plans, task_id) if task_id else None
    units = {leaf for name in units for leaf in context.plans.units.leaves(name)} if units else None
    by_id = {e.id: e for e in entries}
    records = []
    for entry in entries:
        subject = by_id.get(entry.target, entry) if type(entry) is VoidEntry else entry
        plan = context.entry_plan(subject) if hasattr(subject, "plan") else ""
        if plans is not None and plan not in plans:
            continue
        if task and (plan, getattr(subject, "task", None)) != (task.plan, task.id):
            continue
        if units is not None and getattr(subject, "unit", None) not in units:
            continue
        if since and (getattr(subject, "date", None) is None or subject.date < since):
            continue
        record = entry_record(entry, voided_by.get(entry.id), plan)
        if type(entry) is VoidEntry:  # show what the void cancels, so the table reads on its own
            record |= {"task": getattr(subject, "task", ""), "unit": getattr(subject, "unit", ""),
                       "period": getattr(subject, "period", "")}
        records.append(record)
    return records


# The keys of each op beyond those every record has (a completion's evidence only when it has some).
OWN_KEYS = {"progress": ("done", "problem", "next", "percent"),
            "extend": ("until", "reason", "approved_by", "approved_on", "due_before", "late"),
            "waive": ("reason", "approved_by")}


def entry_record(entry, voided_by: str | None, plan: str = "") -> dict:
    """One journal entry as a record (the JSON of ``fupin journal``); ``plan`` is the plan it counts for."""
    day = getattr(entry, "date", None)
    record = {"id": entry.id, "op": entry.op, "task": getattr(entry, "task", ""), "unit": getattr(entry, "unit", ""),
              "period": getattr(entry, "period", ""), "date": day.isoformat() if day else None,
              "recorded_at": getattr(entry, "recorded_at", ""), "by": getattr(entry, "by", ""),
              "note": getattr(entry, "note", ""), "target": getattr(entry, "target", "") or None,
              "voided_by": voided_by, "line": entry.line, "plan": plan}
    for key in OWN_KEYS.get(entry.op, ()):
        value = getattr(entry, key)
        record[key] = value.isoformat() if isinstance(value, date) else value
    if getattr(entry, "evidence", ()):
        record["evidence"] = [dict(item) for item in entry.evidence]
    return record | _remind_keys(entry)


def _remind_keys(entry) -> dict:
    """A reminder's own keys in its record: where it went and the items it named (task ids and periods)."""
    items = getattr(entry, "items", None)
    if entry.op != "remind" or items is None:
        return {}
    return {"task": "、".join(dict.fromkeys(task for task, _ in items)),
            "period": "、".join(dict.fromkeys(period for _, period in items)),
            "channel": entry.channel, "route": entry.route,
            "items": [{"task": task, "period": period} for task, period in items]}
