"""The ``fupin`` app: commands registered from their modules, and the one place errors become exits.

Library errors (``FupinError``) become a Chinese message and their exit code
here; click's own usage errors are said in Chinese by :mod:`.messages`.
Modules that only some commands need are imported inside those commands, to
keep start-up fast.
"""

import os
import sys
from typing import Annotated

import typer

from .. import __version__
from ..domain.errors import FupinError
from .commands import deadlines, importing, journal, ledger, plan, remind, reports, sync
from .help import FupinGroup, FupinTyper
from .messages import (
    ERROR,
    INSTALL_COMPLETION_HELP,
    SHOW_COMPLETION_HELP,
    VERSION_HELP,
    ClickException,
    NoArgsIsHelpError,
    chinese_usage_message,
)


class FupinApp(FupinGroup):
    """The root group: answers Tab completion with fupin's own bash and zsh classes."""

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
                        no_args_is_help=True)
app.add_typer(report_app, name="report")
for commands in (plan, deadlines, journal, ledger, reports, importing, sync, remind):
    commands.register(app, report_app)


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
    try:
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
