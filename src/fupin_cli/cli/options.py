"""Options shared by several commands: their types, Chinese names, help, checks and Tab completion.

Every parameter that takes a value has one of fupin's types (``kind`` says
which: date, period, month, number, unit, task, category, format, choice,
path, text, entry).  A type names its value in help (``--as-of 日期``), checks
it with a Chinese message where it can without the plan, and completes it on
Tab from what the rest of the command line already says (``--data`` of the
same line, the task already typed, the unit …).  tests/test_cli_sweep.py walks
every parameter by its kind.

No ``from __future__ import annotations`` here or in the command modules:
typer would have to evaluate every annotation string, a third of its start-up.
"""

from pathlib import Path
from typing import Annotated, Optional

import typer
from .clicklib import shell_completion, types

from ..app.context import RunContext
from ..domain.errors import FupinError, UsageError

DATE_HELP = "写法：2018-07-15、2018/7/15、20180715、2018年7月15日、7月15日、7-15、今天、昨天、前天、上周五、本周一"
PERIOD_HELP = ("写法：2018-07、2018-7、2018年7月、2018-Q3、2018年第三季度、2018-H1、2018年上半年、2018、"
               "2018-W29、本月、上月、本季度")
WITHIN_LIMIT = 3660  # days: ten years is more than any plan looks ahead


def _name(param) -> str:
    """How a message names the parameter: its longest option name, or an argument's metavar."""
    if param is None:
        return "值"
    if param.param_type_name == "argument":
        return param.metavar or (param.name or "").upper()
    return max(param.opts, key=len)


# ---------------------------------------------------------------- completion context

def completion_context(ctx) -> Optional[RunContext]:
    """The run context the command line being completed would have (its --data, --journal, --as-of)."""
    params = getattr(ctx, "params", None) or {}
    try:
        return RunContext(data=params.get("data"), journal=params.get("journal"), as_of=params.get("as_of"),
                          plan=params.get("plan_key"))
    except FupinError:
        return None


def line_value(ctx, name: str):
    """What the command line being completed says for the parameter ``name``.

    While an option's value is being typed click stops parsing at that option,
    so arguments before it are left in ``ctx.args``, unconverted.
    """
    params = getattr(ctx, "params", None) or {}
    if params.get(name) is not None:
        return params[name]
    arguments = [p for p in ctx.command.get_params(ctx) if p.param_type_name == "argument"]
    for position, param in enumerate(arguments):
        if param.name == name and position < len(ctx.args):
            return ctx.args[position]
    return None


def _plans(ctx):
    """The plans the command line being completed looks at (its --data and --plan), or None."""
    run = completion_context(ctx)
    try:
        return run.plans if run is not None else None
    except FupinError:
        return None


def _items(candidates) -> list:
    return [shell_completion.CompletionItem(value, help=about or None) for value, about in candidates]


# ---------------------------------------------------------------- the types

class FupinType(types.ParamType):
    """A value of one kind: its Chinese metavar, its check, its completion."""

    kind = "text"
    metavar = "文字"

    @property
    def name(self) -> str:  # click's name for the type (click shows it nowhere fupin lets it)
        return self.kind

    def get_metavar(self, param, ctx) -> str:
        return self.metavar

    def convert(self, value, param, ctx):
        return value

    def candidates(self, ctx, incomplete: str) -> list[tuple[str, str]]:
        return []

    def shell_complete(self, ctx, param, incomplete):
        try:
            return _items(self.candidates(ctx, incomplete))
        except FupinError:
            return []


class Text(FupinType):
    kind = "text"

    def __init__(self, metavar: str = "文字") -> None:
        self.metavar = metavar


class DateValue(FupinType):
    """A date as people write it; read by app.inputs.read_date once the as-of day is known."""

    kind = "date"
    metavar = "日期"


class PeriodValue(FupinType):
    """A period; completes the task's open periods when the task (and unit) are on the line."""

    kind = "period"
    metavar = "期间"

    def candidates(self, ctx, incomplete):
        from ..app.lookup import find_task, open_periods

        run = completion_context(ctx)
        task_id = line_value(ctx, "task")
        if run is None or not task_id:
            return []
        task = find_task(run.plans, task_id)
        plan = run.plan_of(task)
        units = [u for u in plan.units.responsible(task.units)]
        typed_unit = line_value(ctx, "unit")
        if typed_unit:
            names = typed_unit if isinstance(typed_unit, (list, tuple)) else [typed_unit]
            chosen = set()
            for name in names:
                chosen.update(plan.units.leaves(plan.units.resolve(name)))
            units = [u for u in units if u in chosen] or units
        standing = run.standing()

        def done_count(period: str, unit: str) -> int:
            return standing.count_of(standing.done_in(task, period).get(unit))

        found = open_periods(run.timetable_for(plan).occurrences(task), done_count, units, run.today)
        return [(label, about) for label, about in found if label.startswith(incomplete.strip())]


class MonthValue(FupinType):
    kind = "month"
    metavar = "年月"


class Count(FupinType):
    """A whole number in [low, high], checked as it is read."""

    kind = "number"

    def __init__(self, low: int, high: int, metavar: str = "天数", refusal: str | None = None) -> None:
        self.low, self.high, self.metavar, self.refusal = low, high, metavar, refusal

    def convert(self, value, param, ctx):
        from ..app.inputs import read_count

        if isinstance(value, int):
            return value
        try:
            return read_count(str(value), _name(param), low=self.low, high=self.high)
        except UsageError:
            if self.refusal is None:
                raise
            raise UsageError(f"{_name(param)} {self.refusal.format(value=value)}", subject="number") from None


YEAR = Count(1900, 2100, metavar="年份", refusal="应是四位年份，如 2019，而不是 {value}")


class UnitName(FupinType):
    """A unit by name, alias, group or pinyin; completes the units of the task already typed."""

    kind = "unit"
    metavar = "单位"

    def __init__(self, leaves_only: bool = False) -> None:
        # A unit that records (done) is one leaf; every other --unit may be given several times.
        self.leaves_only = self.single = leaves_only
        self.repeatable = not leaves_only

    def convert(self, value, param, ctx):
        if not str(value).strip():
            raise UsageError(f"{_name(param)} 不能为空", subject="unit")
        return value

    def candidates(self, ctx, incomplete):
        from ..app.lookup import complete_units, responsible_for

        plans = _plans(ctx)
        if plans is None:
            return []
        among = responsible_for(plans, line_value(ctx, "task"), leaves_only=self.leaves_only)
        return complete_units(plans, incomplete, among)


class TaskId(FupinType):
    kind = "task"
    metavar = "任务编号"

    def candidates(self, ctx, incomplete):
        from ..app.lookup import complete_tasks

        plans = _plans(ctx)
        return complete_tasks(plans, incomplete) if plans is not None else []


class CategoryName(FupinType):
    kind = "category"
    metavar = "板块"

    def candidates(self, ctx, incomplete):
        from ..app.lookup import complete_categories

        plans = _plans(ctx)
        return complete_categories(plans, incomplete) if plans is not None else []


class PlanKey(FupinType):
    """A list of the data folder by its key; completes the folder's keys with their titles."""

    kind = "plan"
    metavar = "清单名"

    def candidates(self, ctx, incomplete):
        run = completion_context(ctx)
        if run is None:
            return []
        return [(plan.key, plan.title) for plan in run.folder_plans if plan.key.startswith(incomplete.strip())]


class Choice(FupinType):
    """One of a few words, checked as it is read."""

    kind = "choice"

    def __init__(self, choices: tuple[str, ...], metavar: str, descriptions: Optional[dict] = None) -> None:
        self.choices, self.metavar, self.descriptions = tuple(choices), metavar, descriptions or {}

    def convert(self, value, param, ctx):
        text = str(value).strip()
        if text not in self.choices:
            raise UsageError(f"{_name(param)} 的值 “{value}” 无效，可选：{'、'.join(self.choices)}",
                             subject=self.kind)
        return text

    def candidates(self, ctx, incomplete):
        return [(c, self.descriptions.get(c, "")) for c in self.choices if c.startswith(incomplete)]


class FormatName(Choice):
    kind = "format"

    def __init__(self, choices: tuple[str, ...]) -> None:
        from ..output.formats import FORMATS

        super().__init__(choices, "格式", {name: FORMATS[name].description for name in choices})


class PathValue(FupinType):
    """A file or folder; completed by the shell's own file-name completion.

    ``creates``: a folder the command makes (init, import --into), said so when a file is in the way.
    """

    kind = "path"

    def __init__(self, folder: bool, metavar: str, creates: bool = False) -> None:
        self.folder, self.metavar, self.creates = folder, metavar, creates

    def convert(self, value, param, ctx):
        if isinstance(value, Path):
            return value
        if not str(value).strip():
            raise UsageError(f"{_name(param)} 不能为空", subject="path")
        path = Path(value)
        existing = next((p for p in path.parents if p.exists()), None)
        if existing is not None and not existing.is_dir():
            why = f"{existing} 是文件，不是文件夹"
            raise UsageError(f"无法创建文件夹 {path}：{why}" if self.creates else f"{_name(param)} {path} 无效：{why}",
                             subject="path")
        if self.folder and path.exists() and not path.is_dir():
            raise UsageError(f"{path} 已存在，而且不是文件夹；请用 {_name(param)} 指定一个文件夹", subject="path")
        if not self.folder and path.is_dir():
            raise UsageError(f"{_name(param)} {path} 是文件夹，这里要的是文件", subject="path")
        return path


class EvidenceValue(FupinType):
    """A file (hashed when recorded, never copied) or an http(s):// link behind a completion (佐证材料)."""

    kind = "path"
    metavar = "文件或链接"
    folder = False

    def convert(self, value, param, ctx):
        import re

        text = str(value).strip()
        if not text:
            raise UsageError(f"{_name(param)} 不能为空", subject="path")
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$", text):
            return text
        path = Path(text)
        existing = next((p for p in path.parents if p.exists()), None)
        if existing is not None and not existing.is_dir():
            raise UsageError(f"{_name(param)} {path} 无效：{existing} 是文件，不是文件夹", subject="path")
        if path.is_dir():
            raise UsageError(f"{_name(param)} {path} 是文件夹，这里要的是文件或链接", subject="path")
        return text


class EntryId(FupinType):
    """A journal entry id (or a unique part of one); completes the ids of live completions."""

    kind = "entry"
    metavar = "记录号"

    def candidates(self, ctx, incomplete):
        from ..app.lookup import complete_entries

        run = completion_context(ctx)
        return complete_entries(run.journal_contents().entries, incomplete) if run is not None else []


# ---------------------------------------------------------------- shared options

DataOpt = Annotated[Optional[Path], typer.Option(
    "--data", click_type=PathValue(folder=True, metavar="文件夹"), show_default=False,
    help="数据文件夹（含 tasks.yaml、units.yaml）；默认用随软件安装的清单。环境变量 FUPIN_DATA。")]
JournalOpt = Annotated[Optional[Path], typer.Option(
    "--journal", click_type=PathValue(folder=False, metavar="文件"), show_default=False,
    help="销号台账文件；默认为数据文件夹（或用户数据目录）中的 journal.jsonl。环境变量 FUPIN_JOURNAL。")]
AsOfOpt = Annotated[Optional[str], typer.Option(
    "--as-of", click_type=DateValue(), show_default=False,
    help=f"以哪一天为“今天”；默认为计划时区的今天。环境变量 FUPIN_TODAY。{DATE_HELP}。")]
ShiftOpt = Annotated[Optional[str], typer.Option(
    "--holiday-shift", show_default=False,
    click_type=Choice(("next_workday", "previous_workday", "none"), "规则",
                      {"next_workday": "顺延到下一个工作日", "previous_workday": "提前到上一个工作日",
                       "none": "不调整"}),
    help="到期日逢休息日时：next_workday 顺延、previous_workday 提前、none 不调整；默认按计划设置。")]
PlanOpt = Annotated[Optional[str], typer.Option(
    "--plan", click_type=PlanKey(), show_default=False,
    help="只看数据文件夹中的这一个清单：tasks（即 tasks.yaml）或 plans/ 下的文件名，如 2019-重点任务。")]
UnitsOpt = Annotated[Optional[list[str]], typer.Option(
    "--unit", "-u", click_type=UnitName(), show_default=False,
    help="责任单位：全称、简称、单位组或拼音（如 市民政局、民政局、mzj）。")]
CategoryOpt = Annotated[Optional[str], typer.Option(
    "--category", "-c", click_type=CategoryName(), show_default=False, help="只看某个工作板块，如 金融扶贫。")]
OutputOpt = Annotated[Optional[Path], typer.Option(
    "--output", "-o", click_type=PathValue(folder=False, metavar="文件"), show_default=False,
    help="写入文件而不是屏幕。")]
ForceOpt = Annotated[bool, typer.Option("--force", help="--output 的文件已存在时覆盖它。")]
ExitCodeOpt = Annotated[bool, typer.Option("--exit-code", help="有逾期事项时以退出码 1 结束（供 cron 告警）。")]
TaskOpt = Annotated[Optional[str], typer.Option(
    "--task", "-t", click_type=TaskId(), show_default=False, help="只看这项任务。")]
ByOpt = Annotated[str, typer.Option("--by", click_type=Text("姓名"), show_default=False, help="经办人。")]


def format_option(choices: tuple[str, ...]):
    return typer.Option("--format", "-f", click_type=FormatName(choices), help=f"输出格式：{'、'.join(choices)}。")


def context(*, reads_ledger: bool = False, **options) -> RunContext:
    """The run context of a command, its warnings printed on stderr as they come.  A command that
    ``reads_ledger`` has the journal's read begun before anything else (see RunContext.read_ledger_ahead)."""
    from .output import warn

    run = RunContext(**options, warn=warn)
    if reads_ledger:
        run.read_ledger_ahead()
    if options.get("plan") is not None:
        run.plans  # a --plan naming no list is refused whether or not the command needs the plans
    if options.get("as_of") is not None:
        run.today  # a bad --as-of is refused whether or not the command needs the day
    return run


def read_date(ctx: RunContext, text: Optional[str], option: str):
    """A date option's value, read against the as-of day (None when not given)."""
    from ..app.inputs import read_date as read

    return None if text is None else read(text, option, today=ctx.today)


def units_of(ctx: RunContext, values: Optional[list[str]]) -> list[str]:
    """The canonical units of a repeatable --unit, each once ([] when none was given)."""
    from ..app.lookup import resolve_units

    return resolve_units(ctx.plans, values or [])


def scope_of(ctx: RunContext, names: list[str], category: Optional[str] = None):
    """What a report looks at: the leaves of every unit named (all units when none), and a category."""
    from ..domain.obligations import Scope

    units = ctx.plans.units
    leaves = frozenset(leaf for name in names for leaf in units.leaves(name)) if names else None
    return Scope(units=leaves, category=category)


def one_unit(ctx: RunContext, values: Optional[list[str]]) -> Optional[str]:
    """The one unit of a command that records for a single unit."""
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
