"""``fupin check``: every problem in the plan, the units and the journal, as lines for people.

The checks are a list of functions of the run context; each returns its findings.
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.errors import FupinError, PhraseError
from .context import RunContext


def plan_problems(context: RunContext) -> list[str]:
    return [str(error) + (f"\n{error.pointer()}" if isinstance(error, PhraseError) else "")
            for error in context.loaded.problems]


def journal_problems(context: RunContext) -> list[str]:
    from ..journal.entries import DoneEntry, UnknownEntry
    from ..journal.ledger import void_problems

    path = context.journal_path
    try:
        contents = context.store.contents()
    except FupinError as exc:
        return [f"错误：{exc}"]
    found = [f"{path}:{p.line}: {p.message}" for p in contents.problems]
    found += [f"{path}:{p.line}: {p.message}" for p in void_problems(contents.entries)]
    unknown: dict[str, list[int]] = {}
    for entry in contents.entries:
        if type(entry) is UnknownEntry:
            unknown.setdefault(entry.op, []).append(entry.line)
    for op, lines in unknown.items():
        found.append(f"{path}:{lines[0]}: 有 {len(lines)} 条记录的操作 “{op}” 是本版本不认识的（可能由更新版本写入），"
                     f"已原样保留，不计入报表")
    from ..domain.schedule import journal_labels

    plan = context.plan
    tasks = {t.id: t for t in plan.tasks}
    periods: dict[str, set[str]] = {}
    older: dict[str, dict[str, str]] = {}
    responsible: dict[str, frozenset[str]] = {}
    for entry in contents.entries:
        if type(entry) is not DoneEntry:
            continue
        where = f"{path}:{entry.line}: 记录 {entry.id}"
        task = tasks.get(entry.task)
        if task is None:
            found.append(f"{where} 的任务 “{entry.task}” 不在清单中，不计入报表"
                         f"（任务可能已删除或改了编号；改号的请用新编号重新销号，再作废这条）")
            continue
        if entry.unit not in plan.units:
            found.append(f"{where} 的单位 “{entry.unit}” 不在单位列表中，不计入报表"
                         f"（单位可能已改名：把旧名作为别名写进 units.yaml 的 aliases）")
            continue
        if task.id not in responsible:
            responsible[task.id] = frozenset(plan.units.responsible(task.units))
        if entry.unit not in responsible[task.id]:
            found.append(f"{where}：{entry.unit} 不是任务 {task.id} 的责任单位，不计入报表"
                         f"（责任单位可能已改：作废这条，或在 tasks.yaml 中补上该单位）")
        if task.id not in periods:
            occurrences = context.timetable.occurrences(task)
            periods[task.id] = {o.period for o in occurrences}
            older[task.id] = journal_labels(task.rules, occurrences)
        if entry.period not in periods[task.id] and entry.period not in older[task.id]:
            found.append(f"{where} 的期间 “{entry.period}” 不是任务 {task.id} 的期间，不计入报表"
                         f"（完成时限可能已改：作废这条，再按现在的期间重新销号）")
    return found


CHECKS: tuple[Callable[[RunContext], list[str]], ...] = (plan_problems, journal_problems)


def check_all(context: RunContext) -> tuple[list[str], list[str]]:
    """(problems, notices).  A plan that cannot be loaded at all is one problem."""
    try:
        loaded = context.loaded
    except FupinError as exc:
        return [f"错误：{exc}"], []
    problems = [problem for check in CHECKS for problem in check(context)]
    return problems, list(loaded.notices)
