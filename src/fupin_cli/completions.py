"""Recording and voiding completions (销号): the rules a new journal line must pass.

Every refusal is raised before anything is written, so a refused command
leaves the journal byte for byte as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from . import plan as plans
from .errors import UsageError
from .journal import append, make_done_record, make_void_record
from .model import Occurrence, Task
from .reports import task_occurrences
from .session import Session, parse_user_date


def _responsible_leaves(session: Session, task: Task) -> list[str]:
    return list(dict.fromkeys(u for name in task.units for u in plans.members_of(session.plan, name)))


def check_unit(session: Session, task: Task, unit: str) -> None:
    plan = session.plan
    leaves = _responsible_leaves(session, task)
    if plan.units[unit].is_group:
        members = plans.members_of(plan, unit)
        raise UsageError(f"“{unit}” 是单位组，请写明是哪个成员完成的：{'、'.join(members)}")
    if unit not in leaves:
        raise UsageError(f"{unit} 不是任务 {task.id} 的责任单位；责任单位是：{'、'.join(task.units)}"
                         + (f"（即 {'、'.join(leaves)}）" if leaves != list(task.units) else ""))


def choose_occurrence(task: Task, occurrences: list[Occurrence], period: str | None,
                      done_count: Callable[[str], int], unit: str, today: date) -> Occurrence:
    """The occurrence a completion is for: the one named, or the earliest open one already begun.

    ``done_count(period)`` is how many live completions the unit has for that period.
    """
    if period is not None:
        for occurrence in occurrences:
            if occurrence.period == period.strip():
                if done_count(occurrence.period) >= occurrence.required:
                    raise UsageError(f"任务 {task.id} {unit} 的期间 {occurrence.period} 已完成"
                                     f"（需 {occurrence.required} 次，已记 {occurrence.required} 次）；"
                                     "如记录有误，先用 fupin undo 作废")
                return occurrence
        labels = [o.period for o in occurrences]
        shown = "、".join(labels[:12]) + ("……" if len(labels) > 12 else "")
        raise UsageError(f"--period “{period}” 不是任务 {task.id} 的期间；可选：{shown}")
    if task.rules and all(rule.kind == "ongoing" for rule in task.rules):
        raise UsageError(f"任务 {task.id} 是长期性任务，没有固定期限；请用 --period 指明期间，如 {today:%Y-%m}")
    for occurrence in sorted(occurrences, key=lambda o: (o.due or date.max, o.start)):
        if occurrence.start <= today and occurrence.due is not None \
                and done_count(occurrence.period) < occurrence.required:
            return occurrence
    raise UsageError(f"任务 {task.id} {unit} 没有已开始且未完成的期间；请用 --period 指明")


def record_done(session: Session, task_id: str, unit: str, period: str | None, on: str | None,
                by: str, note: str) -> tuple[dict, str]:
    plan = session.plan
    task = plans.find_task(plan, task_id)
    check_unit(session, task, unit)
    today = session.today
    completed = parse_user_date(on, "--date") if on else today
    if completed > today:
        raise UsageError(f"--date {completed} 晚于今天（{today}），不能预先销号")
    if not task.rules:
        raise UsageError(f"任务 {task.id} 没有可识别的完成时限，无法销号；运行 fupin check 查看")
    # The tally (cached for big journals) rather than every entry: a clerk's done stays quick.
    tally = session.tally()

    def done_count(label: str) -> int:
        return tally.count_of(tally.done_in(task.id, label).get(unit))

    occurrence = choose_occurrence(task, task_occurrences(plan, task, session.calendar), period, done_count,
                                   unit, today)
    record = make_done_record(task=task.id, unit=unit, period=occurrence.period, date=completed,
                              by=by, note=note, now_utc=session.now(), tz=session.tz)
    append(session.journal_path, record)
    count = done_count(occurrence.period) + 1
    late = "（逾期完成）" if occurrence.due and completed > occurrence.due else ""
    message = (f"已销号：任务 {task.id}，{unit}，期间 {occurrence.period}，完成日期 {completed}{late}；"
               f"该期间已记 {count}/{occurrence.required} 次。\n记录号：{record['id']}")
    return record, message


def record_void(session: Session, entry_id: str, reason: str, by: str) -> str:
    contents = session.read_journal()
    by_id = {e.id: e for e in contents.entries}
    target = by_id.get(entry_id.strip())
    if target is None:
        import difflib

        close = difflib.get_close_matches(entry_id, list(by_id), n=3, cutoff=0.6)
        hint = f"；是否是指：{'、'.join(close)}？" if close else "（fupin journal 可查记录号）"
        raise UsageError(f"台账中没有记录号 “{entry_id}”{hint}")
    if target.op != "done":
        raise UsageError(f"记录 {target.id} 本身是作废记录，不能再作废")
    voided = [e for e in contents.entries if e.op == "void" and e.target == target.id]
    if voided:
        raise UsageError(f"记录 {target.id} 已于 {voided[0].recorded_at} 作废（作废记录 {voided[0].id}）")
    record = make_void_record(target=target.id, reason=reason, by=by, now_utc=session.now(), tz=session.tz)
    append(session.journal_path, record)
    return (f"已作废记录 {target.id}（任务 {target.task}，{target.unit}，期间 {target.period}）。\n"
            f"作废记录号：{record['id']}")


def journal_records(session: Session, unit: str | None, task_id: str | None, since: date | None) -> list[dict]:
    from .views import entry_record

    entries = session.read_journal().entries
    voided_by = {e.target: e.id for e in entries if e.op == "void"}
    task = plans.find_task(session.plan, task_id).id if task_id else None
    units = set(plans.members_of(session.plan, unit)) if unit else None
    by_id = {e.id: e for e in entries}
    records = []
    for entry in entries:
        subject = by_id.get(entry.target, entry) if entry.op == "void" else entry
        if task and subject.task != task:
            continue
        if units is not None and subject.unit not in units:
            continue
        if since and (subject.date is None or subject.date < since):
            continue
        record = entry_record(entry, voided_by.get(entry.id))
        if entry.op == "void":  # show what the void cancels, so the table reads on its own
            record |= {"task": subject.task, "unit": subject.unit, "period": subject.period}
        records.append(record)
    return records
