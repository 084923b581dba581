"""``fupin check``: every problem in the plan, the units and the journal, as lines for people.

The checks are a list of functions of the run context; each returns its findings.
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.errors import FupinError, PhraseError, UsageError
from .context import RunContext


def plan_problems(context: RunContext) -> list[str]:
    return [str(error) + (f"\n{error.pointer()}" if isinstance(error, PhraseError) else "")
            for error in context.loaded.problems]


def journal_problems(context: RunContext) -> list[str]:
    from ..journal.entries import UnknownEntry
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
    found += _lost_lines(context)
    found += _unmatched(context, contents)
    found += _odd_dates(context, contents)
    found += _unmatched_marks(context, contents)
    return found


def _lost_lines(context: RunContext) -> list[str]:
    """A journal only grows: one shorter than fupin last saw it, or missing lines git has, lost records."""
    from .sync import lines_lost_since_commit

    path = context.journal_path
    found = []
    shrunk = context.store.shrinkage()
    if shrunk is not None:
        size, seen = shrunk
        found.append(f"{path}: 台账不存在了，但 fupin 上次读取时它有 {seen} 字节：记录可能已丢失" if size is None else
                     f"{path}: 台账比 fupin 上次读取时短（现在 {size} 字节，上次 {seen} 字节）：记录可能已丢失，"
                     f"请与备份或 git 历史核对（本次检查之后以现在的台账为准）")
    lost = lines_lost_since_commit(path)
    if lost:
        found.append(f"{path}: 台账中有 {len(lost)} 行已提交到 git 的记录不见了（如：{lost[0][:80]}）；"
                     f"用 git diff 查看，用 git checkout -- {path.name} 恢复后重新登记之后的销号")
    try:
        context.store.accept_current()  # shown to a person: from now on the journal as it is is the truth
    except FupinError:
        pass
    return found


def _unmatched(context: RunContext, contents) -> list[str]:
    """Each live completion that no longer matches its plan, with the likely fix."""
    from ..journal.ledger import live_completions
    from .unmatched import PlanMatcher

    path = context.journal_path
    folder_keys = context.folder_plans.keys
    several = len(folder_keys) > 1
    matchers: dict[str, PlanMatcher] = {}
    found = []
    for entry in live_completions(contents.entries):
        where = f"{path}:{entry.line}: 记录 {entry.id}"
        plan_key = context.entry_plan(entry)
        if plan_key not in folder_keys:
            found.append(f"{where} 的清单 “{plan_key}” 不在数据文件夹中（现有：{'、'.join(sorted(folder_keys))}），"
                         f"不计入报表（清单文件可能改了名：改回原名）")
            continue
        plan = context.plans.get(plan_key)
        if plan is None:
            continue  # a plan other than the one --plan names
        matcher = matchers.get(plan_key)
        if matcher is None:
            matcher = matchers[plan_key] = PlanMatcher(plan, context.timetable_for(plan))
        mismatch = matcher.mismatch(entry.task, entry.unit, entry.period)
        if mismatch is None:
            continue
        fix = mismatch.fix
        if mismatch.corrected is not None:
            task, unit, period = mismatch.corrected
            ref = f"{plan_key}:{task}" if several else task
            fix += (f"：fupin undo {entry.id} --reason 更正写法 && fupin done {ref} --unit {unit} "
                    f"--period {period} --date {entry.date}")
        in_plan = f"清单 {plan_key}，" if several else ""
        found.append(f"{where}（{in_plan}任务 {entry.task}，{entry.unit}，期间 {entry.period}）"
                     f"不计入报表：{mismatch.why}；{fix}")
    return found


def _unmatched_marks(context: RunContext, contents) -> list[str]:
    """Live progress reports, extensions and waivers whose task, unit or period the plan does not have."""
    from ..journal.entries import ALL_PERIODS, OPS
    from ..journal.ledger import MARKERS, live_entries

    path = context.journal_path
    found = []
    periods: dict = {}
    for entry in live_entries(contents.entries):
        if entry.op not in MARKERS:
            continue
        plan = context.plans.get(context.entry_plan(entry))
        if plan is None:
            continue  # another list than --plan names, or a list the folder lacks (named with the completions)
        where = f"{path}:{entry.line}: {OPS[entry.op].words}记录 {entry.id}"
        task = plan.find_task(entry.task)
        if task is None:
            found.append(f"{where} 的任务 “{entry.task}” 不在清单中，不计入报表")
            continue
        if entry.unit not in plan.units.responsible(task.units):
            found.append(f"{where}：{entry.unit} 不是任务 {task.id} 的责任单位，不计入报表")
            continue
        key = (plan.key, task.id)
        if key not in periods:
            periods[key] = {o.period for o in context.timetable_for(plan).occurrences(task)}
        if entry.period != ALL_PERIODS and entry.period not in periods[key]:
            found.append(f"{where} 的期间 “{entry.period}” 不是任务 {task.id} 的期间，不计入报表")
    return found


def _odd_dates(context: RunContext, contents) -> list[str]:
    """Completion dates no clerk could have meant: after today, or long before the entry's plan began."""
    from datetime import timedelta

    from ..journal.entries import DoneEntry

    try:
        today = context.today
    except UsageError:  # a given today outside every list's window: check still checks, against the real one
        today = context.now().astimezone(context.tz).date()
    found = []
    for entry in contents.entries:
        if type(entry) is not DoneEntry:
            continue
        plan = context.folder_plans.get(context.entry_plan(entry)) or context.folder_plans.first
        earliest = plan.valid_from - timedelta(days=366)
        if not earliest <= entry.date <= today:
            when = f"晚于今天（{today}）" if entry.date > today else f"早于任务清单有效期（{plan.valid_from} 起）一年以上"
            found.append(f"{context.journal_path}:{entry.line}: 记录 {entry.id} 的完成日期 {entry.date} {when}，"
                         f"可能录错了；作废后按正确日期重新销号")
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
