"""The ``fupin`` app: commands registered from their modules, and the one place errors become exits.

Library errors (``FupinError``) become a Chinese message and their exit code
here; click's own usage errors are said in Chinese by :mod:`.messages`.
Modules that only some commands need are imported inside those commands, to
keep start-up fast.

Commands are registered lazily: :data:`COMMANDS` and :data:`REPORT_COMMANDS`
name each command's module (in the order of the help page), and a run imports
and builds only the command it executes (building all of them cost every run
~13 ms and the imports of every command module).  Help pages and Tab on a
command name list every command from :data:`SHORT_HELP` and
:data:`REPORT_SHORT_HELP`, building none; suggestions for a mistyped name need
only the names.  A new command module registers with ``register(app,
report_app)`` as before and adds its names and short helps here;
``tests/test_cli_lazy.py`` and ``tests/test_cli_help_fast.py`` check they agree.
"""

import os
import sys
from typing import Annotated

import typer

from .. import __version__
from ..domain.errors import FupinError
from .help import FupinGroup, FupinTyper, LazyCommands
from .messages import (
    ERROR,
    INSTALL_COMPLETION_HELP,
    SHOW_COMPLETION_HELP,
    VERSION_HELP,
    ClickException,
    NoArgsIsHelpError,
    chinese_usage_message,
)


# name → module in cli/commands, in the order the help page lists them
COMMANDS = {
    "list": "plan", "show": "plan", "units": "plan", "info": "plan", "init": "plan", "check": "plan",
    "explain": "deadlines", "calendar": "deadlines",
    "done": "journal", "undo": "journal", "journal": "journal",
    "progress": "ledger", "extend": "ledger", "waive": "ledger",
    "due": "reports", "overdue": "reports",
    "import": "importing", "export": "importing",
    "sync": "sync",
    "remind": "remind",
}
REPORT_COMMANDS = {"weekly": "reports", "monthly": "reports", "quarterly": "reports", "notice": "reports"}

# name → the first paragraph of the command's help, as help.short_help makes it of the built command:
# help pages list the commands from here, importing none of their modules (building all cost
# ``fupin --help`` ~40 ms); tests/test_cli_help_fast.py keeps each equal to the command's own.
SHORT_HELP = {
    "list": "列出任务，按工作板块分组。List the tasks.",
    "show": "一项任务的全部内容和经过：工作任务、责任单位、完成时限及 fupin 的理解、备注；各单位各期间的应完成日"
            "（原定与延期后）和状态；台账中关于它的每一条记录（进展、延期及批准人、销号及佐证、免于考核、作废及原因），"
            "按登记先后。Show one task.",
    "units": "列出全部责任单位，含类别、别名、成员和任务数。List the responsible units.",
    "info": "显示所用的清单、单位和台账文件，以及计划的有效期和设置。Show files and settings in use.",
    "init": "把随软件安装的清单复制到文件夹，供本单位编辑；之后用 --data 文件夹 或 FUPIN_DATA 使用它。 "
            "Write an editable copy of the shipped plan.",
    "check": "检查清单、单位文件和销号台账，列出每个问题；无问题退出码 0，有问题 1。Validate everything.",
    "explain": "说明 fupin 如何理解一段完成时限（每条规则出自哪几个字），并列出之后的到期日。Explain a deadline phrase.",
    "calendar": "列出某段时间内到期的事项（默认为本月），每项任务、期间、单位一行。Deadlines in a window.",
    "done": "记录一次完成（销号），打印新记录号。Record a completion.",
    "undo": "作废一条销号记录：追加一条作废记录，原记录保留，台账可追溯。Void an entry.",
    "journal": "列出销号台账的记录，最新的在最后，已作废的有标记。List journal entries.",
    "progress": "报送一次进展：进展情况、存在问题、下步计划、完成百分比。Report progress.",
    "extend": "记录一次经批准的延期：原应完成日保留，事项按新日期计，显示为延期中。Record an approved extension.",
    "waive": "免于考核 / 终止：事项不再计入应完成和完成率，显示为免于考核及其原因。Exempt an obligation.",
    "due": "本单位欠什么、什么已逾期：列出逾期和即将到期的未完成事项，按单位和清单顺序。What is due and late.",
    "overdue": "只列逾期未完成的事项，按单位分组并计数。Only what is overdue.",
    "import": "把 Word/Excel 任务清单表格导入为数据文件夹（tasks.yaml、units.yaml），并列出需要核对的地方。 "
              "Import an official task table.",
    "export": "把清单导出为正式的任务清单表格（序号、工作任务、责任单位、完成时限、备注），可再用 fupin import 导入。 "
              "Export the plan as the official table.",
    "sync": "与其他办公室同步：提交数据文件夹的改动，从远程拉取（台账按行合并）并推送；全程锁住台账。Share through git.",
    "remind": "催办：把逾期和即将到期的事项发到各单位的钉钉群、企业微信群和邮箱，每次送达记入台账。Send reminders.",
}
REPORT_SHORT_HELP = {
    "weekly": "督办周报：各单位完成情况（排名、合计、与上周比较），逾期未完成、本周到期、下周到期、本周已完成。"
              "Weekly report.",
    "monthly": "督办月报：本月各单位完成情况（与上月比较）、完成率按周走势、逾期未完成、本月到期、下月到期、本月已完成。"
               "Monthly report.",
    "quarterly": "督办季报：本季度各单位完成情况（与上季度比较）、完成率按周走势、逾期未完成、本季度到期、下季度到期、"
                 "本季度已完成。Quarterly report.",
    "notice": "督办通知单：每个单位一页，列出逾期和即将到期的事项及其完成时限原文，留签发、签收位置。Notices to units.",
}


def registered(module_name: str) -> tuple[dict, dict]:
    """The typer command infos a command module registers: (top-level, under ``report``), by name."""
    import importlib

    module = importlib.import_module(f"{__package__}.commands.{module_name}")
    top, report = FupinTyper(), FupinTyper()
    module.register(top, report)
    return ({info.name: info for info in top.registered_commands},
            {info.name: info for info in report.registered_commands})


_registered: dict[str, tuple[dict, dict]] = {}


def build_command(name: str, module_name: str, *, under_report: bool = False):
    """The click command ``name`` of ``module_name``, built now (what typer did for all at start-up)."""
    if module_name not in _registered:
        _registered[module_name] = registered(module_name)
    info = _registered[module_name][1 if under_report else 0][name]
    return typer.main.get_command_from_info(info, pretty_exceptions_short=app.pretty_exceptions_short,
                                            rich_markup_mode=None)


class ReportGroup(FupinGroup):
    """``fupin report``: its commands built when used."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(REPORT_COMMANDS, lambda name, module: build_command(
            name, module, under_report=True), self.commands, REPORT_SHORT_HELP)


class FupinApp(FupinGroup):
    """The root group: commands built when used; answers Tab completion with fupin's own bash and zsh classes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(COMMANDS, build_command, self.commands, SHORT_HELP)

    def _main_shell_completion(self, ctx_args, prog_name, complete_var=None) -> None:
        if os.environ.get(complete_var or "_FUPIN_COMPLETE"):
            from typer._completion_classes import completion_init

            from .completion import register

            completion_init()  # typer's classes for the other shells, then fupin's for bash and zsh
            register()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)


app = FupinTyper(
    name="fupin",
    cls=FupinApp,
    help="扶贫任务清单督办工具 (fupin): tasks, deadlines, completions (销号) and overdue reports.\n\n"
         "例 / Example:  fupin due --unit 市民政局 --as-of 2018-07-15",
    no_args_is_help=True,
    add_completion=False,  # fupin's own --install-completion: Chinese, and hooks that keep pinyin
    pretty_exceptions_enable=False,
)
report_app = FupinTyper(help="督办报表 / Supervision reports.\n\n"
                             "例：fupin report weekly --as-of 2018-07-16 --format html --output 周报.html",
                        no_args_is_help=True, cls=ReportGroup)
app.add_typer(report_app, name="report")


def _version(value: bool) -> None:
    if value:
        print(f"fupin {__version__}")
        raise typer.Exit()


def _install_completion(value: bool) -> None:
    if value:
        from pathlib import Path

        from .completion import detect_shell, install

        shell = detect_shell()
        path = install(shell, Path.home())
        print(f"已为 {shell} 安装 Tab 补全：{path}\n重新打开终端后生效。")
        raise typer.Exit()


def _show_completion(value: bool) -> None:
    if value:
        from .completion import detect_shell, script

        print(script(detect_shell()), end="")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", "-V", help=VERSION_HELP, callback=_version,
                                          is_eager=True)] = False,
    install_completion: Annotated[bool, typer.Option("--install-completion", help=INSTALL_COMPLETION_HELP,
                                                     callback=_install_completion, is_eager=True)] = False,
    show_completion: Annotated[bool, typer.Option("--show-completion", help=SHOW_COMPLETION_HELP,
                                                  callback=_show_completion, is_eager=True)] = False,
) -> None:
    """扶贫任务清单督办工具。"""


def main() -> None:
    """Console entry point: the one place errors become messages and exit codes."""
    from ..collector import collector_paused, frozen_at_exit
    from .progress import on_terminal

    frozen_at_exit()

    # One run is short and makes almost nothing cyclic, while a province's report holds hundreds of thousands
    # of objects (plan, ledger, rows) that the cyclic collector would walk again and again: about a tenth
    # of a warm run.  Paused for the run, back on after it (the tests run the CLI in their own process).
    try:
        with collector_paused(), on_terminal():  # long work draws a bar on stderr, on a terminal only
            _run()
    finally:
        _say_cache_notices()


def _say_cache_notices() -> None:
    """Why a cache folder was not used, once per run (library code only collects the reasons)."""
    from ..cache import take_notices
    from ..domain.text import terminal_safe

    for notice in take_notices():
        try:
            print(terminal_safe(f"提示：{notice}", keep_newlines=True), file=sys.stderr)
        except (OSError, ValueError):  # stderr closed (a broken pipe)
            return


def _run() -> None:
    from ..domain.text import terminal_safe

    try:
        code = app(standalone_mode=False, prog_name="fupin")
    except FupinError as exc:
        # Messages quote what was typed or read (units, task text, file names): shown safely.
        print(terminal_safe(ERROR.format(message=exc), keep_newlines=True), file=sys.stderr)
        if getattr(exc, "phrase", None):
            print(terminal_safe(exc.pointer(), keep_newlines=True), file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("已取消", file=sys.stderr)
        sys.exit(130)
    except ClickException as exc:
        if isinstance(exc, NoArgsIsHelpError):
            print(exc.format_message())  # a bare ``fupin`` or ``fupin report`` asks for help
            sys.exit(0)
        print(terminal_safe(chinese_usage_message(exc), keep_newlines=True), file=sys.stderr)
        sys.exit(2)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (``| head``): not an error
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug of ours: say so plainly; FUPIN_DEBUG=1 shows the traceback
        if os.environ.get("FUPIN_DEBUG"):
            raise
        print(terminal_safe(f"错误：fupin 内部错误（{type(exc).__name__}: {exc}）。", keep_newlines=True) + "请把命令和这条消息报告给维护人员；"
              "设置 FUPIN_DEBUG=1 可看到详细信息。", file=sys.stderr)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
