"""Every word the command line says about itself, in Chinese, from this one place.

click (vendored by typer) only speaks English and its messages are not
translatable, so fupin never lets them through: help is laid out by
:mod:`fupin_cli.cli.help` with the headings and notes below, values are
checked by fupin's own parameter types (:mod:`fupin_cli.cli.options`), and the
few usage errors click still raises (unknown option, missing value, missing
argument, extra argument, unknown command) are said again here from their
type and fields, never from their English text.
"""

from __future__ import annotations

import difflib
import re

from .clicklib import exceptions as click

ClickException = click.ClickException
NoArgsIsHelpError = click.NoArgsIsHelpError

# ---------------------------------------------------------------- help

USAGE = "用法："
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
HEADINGS = {"arguments": "参数", "options": "选项", "commands": "命令"}
HELP_OPTION_HELP = "显示本帮助并退出。"
DEFAULT_NOTE = "默认：{default}"
REQUIRED_NOTE = "必填"
MULTIPLE_NOTE = "可给多次"
INSTALL_COMPLETION_HELP = "为当前的 shell（bash 或 zsh）安装 Tab 补全。"
SHOW_COMPLETION_HELP = "显示当前 shell 的补全脚本，可自行复制安装。"
VERSION_HELP = "显示版本并退出。"

# ---------------------------------------------------------------- usage errors

SEE_HELP = "用法见：{command} --help"
ERROR = "错误：{message}"

# Chinese words a clerk may type for a command: said back as a suggestion, never run.
COMMAND_WORDS = {
    "销号": "done", "完成": "done", "记录": "done", "作废": "undo", "撤销": "undo", "台账": "journal",
    "逾期": "overdue", "到期": "due", "周报": "weekly", "报表": "report", "检查": "check", "日历": "calendar",
    "单位": "units", "任务": "list", "清单": "list", "说明": "explain", "信息": "info", "初始化": "init",
}


class NoSuchCommand(click.UsageError):
    """A command name that is not one of the group's, with the names it may have meant."""

    def __init__(self, name: str, possibilities: list[str], ctx) -> None:
        super().__init__(name, ctx)
        self.name = name
        self.possibilities = possibilities


def nearest(typed: str, names) -> list[str]:
    """The nearest spellings, nearest first: dune → due (0.86), not also done (0.75)."""
    ratios = {name: difflib.SequenceMatcher(None, typed, name).ratio() for name in names}
    best = max(ratios.values(), default=0)
    return sorted((n for n, r in ratios.items() if r >= 0.6 and r >= best - 0.1), key=lambda n: -ratios[n])


def command_suggestions(name: str, commands: list[str]) -> list[str]:
    """Up to three command names close to what was typed (a prefix, a near spelling, or its Chinese word)."""
    found = [c for c in commands if name and c.startswith(name)] + nearest(name, commands)
    word = COMMAND_WORDS.get(name.strip())
    if word in commands:
        found.insert(0, word)
    return list(dict.fromkeys(found))[:3]


def did_you_mean(names) -> str:
    """``；是否是指 a、b？`` or nothing."""
    names = list(dict.fromkeys(names))
    return f"；是否是指 {'、'.join(names)}？" if names else ""


def _param_label(param) -> str:
    """How a message names a parameter: an option by its names, an argument by its metavar."""
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return param.metavar or (param.name or "").upper()
    return "/".join(sorted(param.opts, key=len, reverse=True))


def _find_option(ctx, name: str):
    command = getattr(ctx, "command", None)
    for param in (command.get_params(ctx) if command is not None else ()):
        if name in getattr(param, "opts", ()) or name in getattr(param, "secondary_opts", ()):
            return param
    return None


def _what_it_takes(param) -> str:
    """``（责任单位：全称、简称…）``: the first sentence of the parameter's help (or its metavar)."""
    if param is None:
        return ""
    detail = (getattr(param, "help", "") or "").split("。")[0] or getattr(param.type, "metavar", None) or ""
    return f"（{detail}）" if detail else ""


# click says "argument(s) (…)"; the click package of older typers "argument (…)" or "arguments (…)".
_EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra arguments? ?(?:\(s\) )?\((?P<extra>.*)\)$", re.S)


def chinese_usage_message(exc) -> str:
    """The whole message for a click usage error: what is wrong, then where the help is."""
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "fupin"
    if isinstance(exc, NoSuchCommand):
        text = f"没有命令 “{exc.name}”{did_you_mean(exc.possibilities)}"
    elif isinstance(exc, click.NoSuchOption):
        text = f"没有选项 {exc.option_name}{did_you_mean(nearest(exc.option_name, exc.possibilities or ()))}"
    elif isinstance(exc, click.MissingParameter):
        param = exc.param
        kind = "参数" if getattr(param, "param_type_name", "") == "argument" else "选项"
        text = f"缺少{kind} {_param_label(param)}{_what_it_takes(param)}"
    elif isinstance(exc, click.BadOptionUsage):
        param = _find_option(ctx, exc.option_name)
        if param is not None and getattr(param, "is_flag", False):
            text = f"选项 {exc.option_name} 不带值，直接写 {exc.option_name} 即可"
        else:
            text = f"选项 {exc.option_name} 后面缺少值{_what_it_takes(param)}"
    elif isinstance(exc, click.BadParameter):
        # fupin's types raise their own Chinese errors; only click's internal checks land here, in English.
        label = _param_label(exc.param)
        text = f"{label} 的值无效" if label else "参数的值无效"
    elif _EXTRA_ARGUMENTS.match(exc.message):
        text = f"多余的参数：{_EXTRA_ARGUMENTS.match(exc.message)['extra']}（含空格的值请加引号）"
    elif exc.message.startswith("Missing command"):
        text = "缺少命令"
    else:  # a click message this module does not know yet: never shown in English
        text = "命令行用法不对"
    return f"{ERROR.format(message=text)}\n{SEE_HELP.format(command=command)}"
