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
    from ..journal.entries import ALL_PERIODS, OBLIGATION_ENTRIES, UnknownEntry
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

    plans = context.plans
    folder_keys = set(context.folder_plans.keys)
    tasks = {(t.plan, t.id): t for t in plans.all_tasks()}
    units = plans.units
    periods: dict[tuple[str, str], set[str]] = {}
    older: dict[tuple[str, str], dict[str, str]] = {}
    responsible: dict[tuple[str, str], frozenset[str]] = {}
    for entry in contents.entries:
        if type(entry) not in OBLIGATION_ENTRIES:  # completions, progress, extensions, waivers
            continue
        where = f"{path}:{entry.line}: 记录 {entry.id}"
        plan_key = context.entry_plan(entry)
        if plan_key not in folder_keys:
            found.append(f"{where} 的清单 “{plan_key}” 不在数据文件夹中（现有：{'、'.join(sorted(folder_keys))}），"
                         f"不计入报表（清单文件可能改了名：改回原名）")
            continue
        if plans.get(plan_key) is None:
            continue  # a plan other than the one --plan names
        key = (plan_key, entry.task)
        task = tasks.get(key)
        if task is None:
            in_plan = f"清单 {plan_key} " if len(folder_keys) > 1 else "清单"
            found.append(f"{where} 的任务 “{entry.task}” 不在{in_plan}中，不计入报表"
                         f"（任务可能已删除或改了编号；改号的请用新编号重新销号，再作废这条）")
            continue
        if entry.unit not in units:
            found.append(f"{where} 的单位 “{entry.unit}” 不在单位列表中，不计入报表"
                         f"（单位可能已改名：把旧名作为别名写进 units.yaml 的 aliases）")
            continue
        if key not in responsible:
            responsible[key] = frozenset(units.responsible(task.units))
        if entry.unit not in responsible[key]:
            found.append(f"{where}：{entry.unit} 不是任务 {task.id} 的责任单位，不计入报表"
                         f"（责任单位可能已改：作废这条，或在 tasks.yaml 中补上该单位）")
        if key not in periods:
            occurrences = context.timetable_for(context.plan_of(task)).occurrences(task)
            periods[key] = {o.period for o in occurrences}
            older[key] = journal_labels(task.rules, occurrences)
        if entry.period not in periods[key] and entry.period not in older[key] and entry.period != ALL_PERIODS:
            found.append(f"{where} 的期间 “{entry.period}” 不是任务 {task.id} 的期间，不计入报表"
                         f"（完成时限可能已改：作废这条，再按现在的期间重新销号）")
    return found


def window_notices(context: RunContext) -> list[str]:
    """One-off dates in a year outside their plan's window: a 2018 date left in a list made 2019's.

    A date earlier in the plan's own first year stays quiet: lists issued in
    April name March deadlines (the shipped 4.1), and that is no slip.
    """
    notices = []
    for plan in context.plans:
        years = range(plan.valid_from.year, plan.valid_to.year + 1)
        for task in plan.tasks:
            for rule in task.rules:
                if rule.kind == "once" and rule.date is not None and rule.date.year not in years:
                    notices.append(f"{plan.tasks_file}:{task.line}: 任务 {task.id} 的完成时限 {rule.date} "
                                   f"不在清单有效期（{plan.valid_from} 至 {plan.valid_to}）内；"
                                   f"是上一份清单留下的日期吗？请核对")
    return notices


CHECKS: tuple[Callable[[RunContext], list[str]], ...] = (plan_problems, journal_problems)


def check_all(context: RunContext) -> tuple[list[str], list[str]]:
    """(problems, notices).  A plan that cannot be loaded at all is one problem."""
    try:
        loaded = context.loaded
    except FupinError as exc:
        return [f"错误：{exc}"], []
    problems = [problem for check in CHECKS for problem in check(context)]
    return problems, list(loaded.notices) + window_notices(context)
