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

    plans = context.plans
    folder_keys = set(context.folder_plans.keys)
    tasks = {(t.plan, t.id): t for t in plans.all_tasks()}
    units = plans.units
    periods: dict[tuple[str, str], set[str]] = {}
    older: dict[tuple[str, str], dict[str, str]] = {}
    responsible: dict[tuple[str, str], frozenset[str]] = {}
    for entry in contents.entries:
        if type(entry) is not DoneEntry:
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
        if entry.period not in periods[key] and entry.period not in older[key]:
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


def remind_findings(context: RunContext) -> tuple[list[str], list[str]]:
    """(problems, notices) of the reminder routes in units.yaml (see app.reminding).

    Every route is validated as ``fupin remind`` would; a secret this environment
    lacks is a notice (cron may have it), anything else a problem.  No value of a
    secret is ever part of a finding.
    """
    import os

    from ..plan_io.loader import UNITS_FILE, shipped_data_dir
    from .reminding import read_remind_settings, resolve_route

    folder = context.data_dir if context.data_dir is not None else shipped_data_dir()
    try:
        settings = read_remind_settings(folder / UNITS_FILE)
        store = _LenientStore.from_environ(os.environ)
    except FupinError as exc:
        return [f"错误：{exc}"], []
    problems: list[str] = []
    configs = [*settings.default, *settings.leader]
    for name, routes in settings.units.items():
        configs += routes
    for name, routes in settings.unit_leaders.items():
        configs += routes
    for config in configs:
        try:
            resolve_route(config, settings, store)
        except FupinError as exc:
            problems.append(f"错误：{exc}")
    notices = [f"{where}：占位符 ${{{name}}} 在当前环境中没有值（环境变量或 FUPIN_SECRETS 的密钥文件），"
               f"fupin remind 运行时需要它" for name, where in dict.fromkeys(store.missing)]
    return problems, notices


class _LenientStore:
    """A SecretStore that notes a missing secret instead of refusing it (for check)."""

    @classmethod
    def from_environ(cls, environ):
        from ..channels import SecretError, SecretStore

        class Lenient(SecretStore):
            missing: list

            def get(self, name: str, *, where: str) -> str:
                try:
                    return super().get(name, where=where)
                except SecretError:
                    self.missing.append((name, where))
                    return "fupin-check-placeholder"

        store = Lenient.from_environ(environ)
        store.missing = []
        return store


CHECKS: tuple[Callable[[RunContext], list[str]], ...] = (plan_problems, journal_problems)


def check_all(context: RunContext) -> tuple[list[str], list[str]]:
    """(problems, notices).  A plan that cannot be loaded at all is one problem."""
    try:
        loaded = context.loaded
    except FupinError as exc:
        return [f"错误：{exc}"], []
    problems = [problem for check in CHECKS for problem in check(context)]
    remind_problems, remind_notices = remind_findings(context)
    return problems + remind_problems, list(loaded.notices) + window_notices(context) + remind_notices
