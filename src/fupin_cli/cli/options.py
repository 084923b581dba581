"""Options shared by several commands, their shell completion, and the checks on their values.

No ``from __future__ import annotations`` here or in the command modules:
typer would have to evaluate every annotation string, a third of its start-up.
"""

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..app.context import RunContext
from ..domain.errors import FupinError, UsageError

# ---------------------------------------------------------------- shell completion

def _complete_units(incomplete: str) -> list[str]:
    try:
        plans = RunContext().plans
    except FupinError:
        return []
    return [name for name in plans.units.labels() if name.startswith(incomplete)]


def complete_tasks(incomplete: str) -> list[str]:
    try:
        plans = RunContext().plans
    except FupinError:
        return []
    refs = dict.fromkeys(task.id for task in plans.all_tasks())  # bare ids, then KEY:ID for every task
    if len(plans) > 1:
        refs.update(dict.fromkeys(plans.task_ref(task) for task in plans.all_tasks()))
    return [ref for ref in refs if ref.startswith(incomplete)]


def _complete_plans(incomplete: str) -> list[str]:
    try:
        plans = RunContext().folder_plans
    except FupinError:
        return []
    return [key for key in plans.keys if key.startswith(incomplete)]


# ---------------------------------------------------------------- shared options

DataOpt = Annotated[Optional[Path], typer.Option(
    "--data", help="数据文件夹（含 tasks.yaml、units.yaml）；默认用随软件安装的清单。环境变量 FUPIN_DATA。",
    show_default=False)]
JournalOpt = Annotated[Optional[Path], typer.Option(
    "--journal", help="销号台账文件；默认在数据文件夹或用户数据目录的 journal.jsonl。环境变量 FUPIN_JOURNAL。",
    show_default=False)]
AsOfOpt = Annotated[Optional[str], typer.Option(
    "--as-of", help="以哪一天为“今天”（YYYY-MM-DD）；默认为计划时区的今天。环境变量 FUPIN_TODAY。",
    show_default=False)]
ShiftOpt = Annotated[Optional[str], typer.Option(
    "--holiday-shift", help="节假日顺延规则：next_workday、previous_workday 或 none；默认按计划设置。",
    show_default=False)]
PlanOpt = Annotated[Optional[str], typer.Option(
    "--plan", help="只看数据文件夹中的这一个清单（tasks 即 tasks.yaml，或 plans/ 下文件名，如 2019-重点任务）。",
    autocompletion=_complete_plans, show_default=False)]
UnitOpt = Annotated[Optional[list[str]], typer.Option(
    "--unit", "-u", help="责任单位：全称、简称、所属单位组或拼音（如 市民政局、民政局、mzj）。",
    autocompletion=_complete_units, show_default=False)]
CategoryOpt = Annotated[Optional[str], typer.Option("--category", "-c", help="只看某个工作板块，如 金融扶贫。",
                                                    show_default=False)]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="写入文件而不是屏幕。", show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help="--output 的文件已存在时覆盖它。")]
ExitCodeOpt = Annotated[bool, typer.Option("--exit-code", help="有逾期事项时以退出码 1 结束（供 cron 告警）。")]
TaskOpt = Annotated[Optional[str], typer.Option("--task", "-t", help="只看这项任务。", autocompletion=complete_tasks,
                                                show_default=False)]


def format_option(choices: tuple[str, ...]):
    return typer.Option("--format", "-f", help=f"输出格式：{'、'.join(choices)}。")


def context(**options) -> RunContext:
    """The run context of a command, its warnings printed on stderr as they come."""
    from .output import warn

    return RunContext(**options, warn=warn)


def one_unit(ctx: RunContext, values: Optional[list[str]]) -> Optional[str]:
    from ..app.lookup import resolve_unit

    if not values:
        return None
    if len(values) > 1:
        raise UsageError(f"--unit 只能给一次，而这里给了 {len(values)} 次：{'、'.join(values)}", subject="unit")
    return resolve_unit(ctx.plans, values[0])


def check_category(ctx: RunContext, category: Optional[str]) -> Optional[str]:
    if category is None:
        return None
    known = list(dict.fromkeys(t.category for t in ctx.plans.all_tasks() if t.category))
    if category not in known:
        raise UsageError(f"--category：没有工作板块 “{category}”，现有：{'、'.join(known)}", subject="category")
    return category
