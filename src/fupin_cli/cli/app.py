"""The ``fupin`` app: commands registered from their modules, and the one place errors become exits.

Library errors (``FupinError``) become a Chinese message and their exit code
here; click's own usage errors are said in Chinese by :mod:`.messages`.
Modules that only some commands need are imported inside those commands, to
keep start-up fast.

Commands are registered lazily: :data:`COMMANDS` and :data:`REPORT_COMMANDS`
name each command's module (in the order of the help page), and a run imports
and builds only the command it executes (building all of them cost every run
~13 ms and the imports of every command module).  Help pages, Tab completion
and suggestions for a mistyped name see every command, built when asked for.
A new command module registers with ``register(app, report_app)`` as before and
adds its names here; ``tests/test_cli_lazy.py`` checks the two agree.
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
            name, module, under_report=True), self.commands)


class FupinApp(FupinGroup):
    """The root group: commands built when used; answers Tab completion with fupin's own bash and zsh classes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(COMMANDS, build_command, self.commands)

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
    from .progress import on_terminal

    try:
        with on_terminal():  # long work draws a bar on stderr, on a terminal only
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
