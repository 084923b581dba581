"""Finding what a person named or began to type: a task, a unit, a category, a period, a journal entry.

The ``complete_*`` functions answer Tab completion: (value, description)
pairs for what a person has typed so far, given what the rest of the command
line already says (the task, the unit, the data folder).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from datetime import date

from ..domain.errors import UsageError
from ..domain.model import Occurrence, Plan, Task
from ..domain.plans import PlanSet
from ..domain.text import normalize_name

Candidate = tuple[str, str]  # (value, what it is)


class AmbiguousTask(UsageError):
    """A bare task id that more than one plan of the folder has."""

    def __init__(self, ref: str, candidates: list[Task], plans: PlanSet) -> None:
        self.candidates = candidates
        listed = "、".join(f"{plans.task_ref(t)}（{plans.get(t.plan).title}）" for t in candidates)
        example = plans.task_ref(candidates[-1])
        super().__init__(f"任务编号 “{ref}” 在 {len(candidates)} 个清单中都有：{listed}；"
                         f"请写成 清单名:编号（如 {example}），或用 --plan 指定清单", subject="task")


def find_task(plans: PlanSet | Plan, task_id: str) -> Task:
    """The task ``task_id`` names (``ID`` or ``KEY:ID``), or a UsageError suggesting the closest ids.

    A bare id that several plans share is an :class:`AmbiguousTask`.
    """
    if isinstance(plans, Plan):
        plans = PlanSet((plans,))
    found = plans.find_tasks(task_id)
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousTask(task_id, found, plans)
    plan, bare = plans.split_ref(task_id)
    refs = {plans.task_ref(t): t for t in (plan.tasks if plan is not None else plans.all_tasks())}
    wanted = f"{plan.key}:{bare}" if plan is not None and len(plans) > 1 else bare
    close = difflib.get_close_matches(wanted, list(refs), n=6, cutoff=0.5)
    if not close and plan is None and len(plans) > 1:  # a bare id against KEY:ID names
        by_id = {t.id: plans.task_ref(t) for t in plans.all_tasks()}
        close = [by_id[c] for c in difflib.get_close_matches(bare, list(by_id), n=6, cutoff=0.5)]
    # Among equally close ids, those that share the item number come first (8.3 → 8.2 before R.3).
    close = sorted(close, key=lambda c: -len(os.path.commonprefix([c, wanted])))[:3]
    hint = f"；是否是指 {'、'.join(close)}？" if close else "（fupin list 列出全部任务）"
    where = f"清单 {plan.key} 中没有" if plan is not None else "未知的"
    raise UsageError(f"{where}任务编号 “{bare if plan is not None else task_id}”{hint}", subject="task")


def resolve_unit(plan: Plan | PlanSet, text: str, *, what: str = "--unit") -> str:
    """A canonical unit name for what a person typed: name, alias, or pinyin (全拼 or 首字母)."""
    return plan.units.resolve(text, what=what)


def resolve_units(plan: Plan | PlanSet, texts: Iterable[str], *, what: str = "--unit") -> list[str]:
    """Canonical names of every unit given (``--unit`` repeated), each once, in the order given."""
    return list(dict.fromkeys(resolve_unit(plan, text, what=what) for text in texts))


# ---------------------------------------------------------------- completion

def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pinyin_keys(label: str) -> tuple[str, str]:
    """(全拼, 首字母) of a name, lower case."""
    from pypinyin import lazy_pinyin  # only for completion: keeps start-up fast

    syllables = lazy_pinyin(label, errors="ignore")
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()


def complete_units(plan: Plan | PlanSet, incomplete: str, among: Iterable[str] | None = None) -> list[Candidate]:
    """Units whose name or alias begins with ``incomplete``, or whose pinyin does (``mz`` → 民政局).

    ``among`` limits the answer to these canonical names (the units responsible
    for the task already on the command line).
    """
    allowed = None if among is None else set(among)
    typed = normalize_name(incomplete)
    latin = typed.isascii() and typed.isalpha()
    found: dict[str, str] = {}
    for unit in plan.units.values():
        if allowed is not None and unit.name not in allowed:
            continue
        for label in (unit.name, *unit.aliases):
            if normalize_name(label).startswith(typed) or (latin and any(
                    key.startswith(typed) for key in _pinyin_keys(label))):
                found.setdefault(unit.name, unit.kind + (f"，又名 {'、'.join(unit.aliases)}" if unit.aliases else ""))
                break
    return list(found.items())


def responsible_for(plans: PlanSet, task_id: str | None, *, leaves_only: bool) -> list[str] | None:
    """The units that answer for a task (its leaves, and the groups it names unless ``leaves_only``);
    None when no one task is named (an ambiguous id among them)."""
    found = plans.find_tasks(task_id) if task_id else []
    if len(found) != 1:
        return None
    task = found[0]
    leaves = list(plans.units.responsible(task.units))
    return leaves if leaves_only else list(dict.fromkeys([*task.units, *leaves]))


def complete_tasks(plans: PlanSet, incomplete: str) -> list[Candidate]:
    """Task ids beginning with ``incomplete``; with several plans, ``KEY:ID`` too (a shared id needs it)."""
    typed = normalize_name(incomplete)
    found = [(task.id, _short(task.text)) for task in plans.all_tasks() if normalize_name(task.id).startswith(typed)]
    if len(plans) > 1:
        first: dict[str, str] = {}
        for value, about in found:
            first.setdefault(value, about)  # a shared id once, with its first plan's text
        found = list(first.items())
        found += [(plans.task_ref(task), _short(task.text)) for task in plans.all_tasks()
                  if normalize_name(plans.task_ref(task)).startswith(typed)]
    return found


def complete_categories(plans: PlanSet, incomplete: str) -> list[Candidate]:
    typed = normalize_name(incomplete)
    latin = typed.isascii() and typed.isalpha() and typed != ""
    counts: dict[str, int] = {}
    for task in plans.all_tasks():
        if task.category:
            counts[task.category] = counts.get(task.category, 0) + 1
    return [(name, f"{count} 项任务") for name, count in counts.items()
            if normalize_name(name).startswith(typed) or (latin and any(k.startswith(typed) for k in _pinyin_keys(name)))]


def open_periods(occurrences: list[Occurrence], done_count, units: list[str], today: date) -> list[Candidate]:
    """Periods of a task already begun by ``today`` that some of ``units`` has not completed, oldest first.

    ``done_count(period, unit)`` is how many live completions the unit has for the period.
    """
    found = []
    for occurrence in sorted(occurrences, key=lambda o: (o.start, o.period)):
        if occurrence.start > today:
            continue
        if any(done_count(occurrence.period, unit) < occurrence.required for unit in units):
            due = f"应完成 {occurrence.due}" if occurrence.due else "长期"
            found.append((occurrence.period, f"{occurrence.start} 至 {occurrence.end}，{due}"))
    return found


def complete_entries(entries: Iterable, incomplete: str) -> list[Candidate]:
    """Live entries (completions, progress, extensions, waivers) whose id begins with ``incomplete``, newest first."""
    from ..journal.entries import OPS
    from ..journal.ledger import live_entries

    live = [e for e in live_entries(entries) if e.id.startswith(incomplete.strip())]
    return [(e.id, f"{OPS[e.op].words} {e.task} {e.unit} {e.period}" + (f" {e.date}" if hasattr(e, "date") else "")
             + (f" {e.by}" if e.by else ""))
            for e in sorted(live, key=lambda e: e.id, reverse=True)]


# ---------------------------------------------------------------- journal entries

def find_entry(entries: Iterable, text: str):
    """The entry a person means: its whole id, or a part of it that begins or ends exactly one live id.

    The tail of an id is what a narrow table shows (``c9fa35``); the head is what
    Tab completes.  A part shared by several live completions is refused with
    them listed; a part that only names voided or void entries names those,
    so the caller can say why they cannot be voided.
    """
    from ..journal.entries import OBLIGATION_ENTRIES
    from ..journal.ledger import live_entries

    entries = list(entries)
    wanted = text.strip()
    if not wanted:
        raise UsageError("记录号不能为空（fupin journal 可查记录号）", subject="entry")
    for entry in entries:
        if entry.id == wanted:
            return entry
    matching = [e for e in entries if e.id.startswith(wanted) or e.id.endswith(wanted)]
    live_ids = {e.id for e in live_entries(entries)}
    live = [e for e in matching if e.id in live_ids]
    if len(live) == 1:
        return live[0]
    if len(live) > 1:
        shown = "、".join(e.id for e in live[:5]) + ("……" if len(live) > 5 else "")
        raise UsageError(f"“{wanted}” 可指 {len(live)} 条记录：{shown}；请多写几位", subject="entry")
    dead = [e for e in matching if type(e) in OBLIGATION_ENTRIES] or matching
    if len(dead) == 1:
        return dead[0]
    close = difflib.get_close_matches(wanted, [e.id for e in entries], n=3, cutoff=0.6)
    hint = f"；是否是指 {'、'.join(close)}？" if close else ""
    raise UsageError(f"台账中没有记录号 “{wanted}”{hint}（fupin journal 可查记录号）", subject="entry")
