"""One task's story (``fupin show``): its obligations as they stand, and every journal entry about it in order.

What an entry says is worded by :data:`TIMELINE`, one function per op: an op added
later (催办 …) is one more line there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..domain.model import Task
from ..journal.entries import ALL_PERIODS, OPS, RemindEntry, VoidEntry
from ..reports.rows import Row, begins, status_row
from .context import RunContext


def _evidence_words(item: dict) -> str:
    if "url" in item and "path" not in item:
        return str(item["url"])
    digest = str(item.get("sha256", ""))[:8]
    return f"{item.get('path')}（{item.get('bytes')} 字节，SHA-256 {digest}…）"


def _done_words(entry) -> str:
    words = f"完成日期 {entry.date}"
    if entry.evidence:
        words += "；佐证：" + "、".join(_evidence_words(item) for item in entry.evidence)
    return words


def _progress_words(entry) -> str:
    parts = [f"{label}：{text}" for label, text in (("进展", entry.done), ("问题", entry.problem),
                                                     ("下步", entry.next)) if text]
    if entry.percent is not None:
        parts.append(f"完成 {entry.percent}%")
    return f"{entry.date} " + "；".join(parts)


def _extend_words(entry) -> str:
    before = f"（原 {entry.due_before}）" if entry.due_before else ""
    when = f" {entry.approved_on}" if entry.approved_on else ""
    late = "；应完成日已过才申请" if entry.late else ""
    return f"延期至 {entry.until}{before}，{entry.approved_by}{when} 批准；原因：{entry.reason}{late}"


def _waive_words(entry) -> str:
    scope = "全部期间" if entry.period == ALL_PERIODS else "本期间"
    return f"免于考核（{scope}），{entry.approved_by} 批准；原因：{entry.reason}"


def _remind_words(entry) -> str:
    channel = {"dingtalk": "钉钉", "wecom": "企业微信", "email": "邮件"}.get(entry.channel, entry.channel)
    return f"{channel}{'（领导）' if entry.route == 'leader' else ''}送达，{entry.date} 的催办"


# What each op's entry says in the timeline; a void is worded with the entry it cancels.
TIMELINE: dict[str, Callable] = {
    "done": _done_words,
    "progress": _progress_words,
    "extend": _extend_words,
    "waive": _waive_words,
}


@dataclass(frozen=True)
class TimelineLine:
    recorded_at: str
    op: str
    words: str  # the op in Chinese
    unit: str
    period: str
    detail: str
    by: str
    id: str
    state: str  # 有效, 已作废（…）, or for a void what it cancels


@dataclass(frozen=True)
class History:
    task: Task
    obligations: list[Row]
    waivers: dict[tuple[str, str], str]  # (unit, period) → the reason of its live waiver
    timeline: list[TimelineLine]


def task_history(context: RunContext, task: Task, units: list[str] | None, period: str | None) -> History:
    """The obligations of ``task`` begun by today (for ``units`` — leaves — and ``period`` if given) and every
    entry about them, voids included, in the order they were recorded."""
    plan = context.plan_of(task)
    today = context.today
    responsible = list(plan.units.responsible(task.units))
    shown_units = [u for u in responsible if units is None or u in units]
    standing = context.standing()
    occurrences = [o for o in context.timetable_for(plan).occurrences(task)
                   if (period is None and begins(o, plan.valid_from) <= today) or o.period == period]
    rows, waivers = [], {}
    for unit in shown_units:
        for occ in occurrences:
            mark = standing.mark(task, occ.period, unit)
            rows.append(status_row(task, unit, occ, standing.dates(task, occ.period, unit), today, 0,
                                   mark, standing.last_progress(task, unit)))
            if mark.waiver is not None:
                waivers[(unit, occ.period)] = mark.waiver.reason
    return History(task, rows, waivers, _timeline(context, task, set(shown_units), period))


def _timeline(context: RunContext, task: Task, units: set[str], period: str | None) -> list[TimelineLine]:
    entries = context.journal_contents().entries
    by_id = {e.id: e for e in entries}
    voids = {e.target: e for e in sorted((e for e in entries if type(e) is VoidEntry), key=lambda e: e.id,
                                         reverse=True)}  # the first void of each target wins

    def about(entry) -> bool:
        return (hasattr(entry, "task") and context.entry_plan(entry) == task.plan and entry.task == task.id
                and entry.unit in units and (period is None or entry.period in (period, ALL_PERIODS)))

    lines = []
    for entry in sorted(entries, key=lambda e: e.id):
        if type(entry) is VoidEntry:
            target = by_id.get(entry.target)
            if target is None or not about(target):
                continue
            lines.append(TimelineLine(entry.recorded_at, entry.op, OPS[entry.op].words, target.unit, target.period,
                                      f"作废{OPS[target.op].words}记录 {target.id}：{entry.note}", entry.by,
                                      entry.id, "有效"))
            continue
        if type(entry) is RemindEntry:  # a 催办 naming this task's items (issue 17)
            named = [p for t, p in entry.items if t == task.id and (period is None or p == period)]
            if named and context.entry_plan(entry) == task.plan and entry.unit in units:
                lines.append(TimelineLine(entry.recorded_at, entry.op, OPS[entry.op].words, entry.unit,
                                          "、".join(named), _remind_words(entry), entry.by, entry.id, "已送达"))
            continue
        if not about(entry) or entry.op not in TIMELINE:
            continue
        void = voids.get(entry.id)
        state = f"已作废（{void.id}）" if void is not None else "有效"
        lines.append(TimelineLine(entry.recorded_at, entry.op, OPS[entry.op].words, entry.unit, entry.period,
                                  TIMELINE[entry.op](entry), entry.by, entry.id, state))
    return lines


def obligation_record(row: Row, waiver: str | None) -> dict:
    """One obligation in ``show --format json``."""
    iso = (lambda d: d.isoformat() if isinstance(d, date) else None)
    return {"unit": row.unit, "period": row.period, "original_due": iso(row.original_due), "due": iso(row.due),
            "status": row.status, "extensions": row.extensions, "done_count": row.done_count,
            "required": row.required, "done_date": iso(row.done_date), "waived": waiver}


def line_record(line: TimelineLine) -> dict:
    return {"recorded_at": line.recorded_at, "op": line.op, "unit": line.unit, "period": line.period,
            "detail": line.detail, "by": line.by, "id": line.id, "state": line.state}
