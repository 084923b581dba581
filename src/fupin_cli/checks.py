"""``fupin check``: every problem in the plan, the units and the journal, as lines for people."""

from __future__ import annotations

from .errors import FupinError, PhraseError
from .session import Session


def check_all(session: Session) -> tuple[list[str], list[str]]:
    """(problems, notices).  A plan that cannot be loaded at all is one problem."""
    try:
        loaded = session.loaded
    except FupinError as exc:
        return [f"错误：{exc}"], []
    problems = []
    for error in loaded.problems:
        problems.append(str(error) + (f"\n{error.pointer()}" if isinstance(error, PhraseError) else ""))
    problems.extend(journal_problems(session))
    return problems, list(loaded.notices)


def journal_problems(session: Session) -> list[str]:
    from .journal import check_voids, read_journal
    from .reports import task_occurrences

    path = session.journal_path
    try:
        contents = read_journal(path)
    except FupinError as exc:
        return [f"错误：{exc}"]
    found = [f"{path}:{p.line}: {p.message}" for p in contents.problems]
    found += [f"{path}:{p.line}: {p.message}" for p in check_voids(contents.entries)]
    plan = session.plan
    tasks = {t.id: t for t in plan.tasks}
    periods: dict[str, set[str]] = {}
    from .plan import members_of

    for entry in contents.entries:
        if entry.op != "done":
            continue
        where = f"{path}:{entry.line}: 记录 {entry.id}"
        task = tasks.get(entry.task)
        if task is None:
            found.append(f"{where} 的任务 “{entry.task}” 不在清单中")
            continue
        if entry.unit not in plan.units:
            found.append(f"{where} 的单位 “{entry.unit}” 不在单位列表中")
            continue
        leaves = {u for name in task.units for u in members_of(plan, name)}
        if entry.unit not in leaves:
            found.append(f"{where}：{entry.unit} 不是任务 {task.id} 的责任单位")
        if task.id not in periods:
            periods[task.id] = {o.period for o in task_occurrences(plan, task, session.calendar)}
        if entry.period not in periods[task.id]:
            found.append(f"{where} 的期间 “{entry.period}” 不是任务 {task.id} 的期间")
    return found
