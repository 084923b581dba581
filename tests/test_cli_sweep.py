"""Every command and every option, the way a new user gets them wrong.

The commands are found by walking the real click tree (so a command added
later is swept too), and every parameter that takes a value is tried by its
*kind* (``param.type.kind``, set by fupin's parameter types in cli/options.py):

* the command with no arguments at all;
* each option with its value missing (``--unit`` at the end of the line);
* each option or argument with a value of the wrong kind (``--within abc``);
* each number, date, month or period out of range (``--within -1``, ``--as-of 1800-01-01``);
* each flag given a value (``--force=x``).

Each must end with exit 2 (or run, for a command that needs nothing), a Chinese
message, no traceback and none of click's English.  A parameter whose type is
not one of fupin's fails the test: nothing reaches a clerk unchecked.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import typer.main
from typer.core import TyperGroup

from conftest import Result
from fupin_cli.cli.app import app
from fupin_cli.cli.options import FupinType

CJK = re.compile(r"[\u4e00-\u9fff]")
# What click and typer say in English; none of it may reach a clerk.
CLICK_ENGLISH = re.compile(
    r"Usage:|Error:|Try '|for help|Missing (argument|option|parameter|command)|Invalid value|No such "
    r"(option|command)|requires an? (argument|\d+ arguments)|does not take a value|Got unexpected|is not a valid|"
    r"is not in the range|Did you mean|Show this message|Aborted|is not readable|does not exist|"
    r"Option '|Argument '|Traceback|\[default|\[required\]|env var|"
    r"No such file|Not a directory|Is a directory|Permission denied|File exists|Read-only file system")

KINDS = ("date", "period", "month", "number", "unit", "task", "category", "format", "choice", "path", "text",
         "entry", "plan")
WRONG = {"date": "明年某天", "period": "第五季度", "month": "十三月", "number": "abc", "unit": "不存在的局",
         "task": "99.99", "category": "不存在的板块", "format": "pdf", "choice": "sometimes", "entry": "nosuchid",
         "plan": "不存在的清单"}
OUT_OF_RANGE = {"date": ("1800-01-01", "2200-12-31"), "period": ("1800-07", "2018-W60"),
                "month": ("1800-07", "2200-01"), "number": ("-1", "99999999999")}


def leaf_commands(group, path=()):
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            yield from leaf_commands(command, (*path, name))
        else:
            yield (*path, name), command


ROOT = typer.main.get_command(app)
COMMANDS = dict(leaf_commands(ROOT))
PARAMS = [(path, param) for path, command in COMMANDS.items() for param in command.params]


def label(path, param=None) -> str:
    return " ".join(path) + (f" {param.opts[0] if param.opts else param.name}" if param is not None else "")


@pytest.fixture
def line(tmp_path, fupin, monkeypatch):
    """Builds a valid command line for a command (required parameters filled in) and runs it with changes."""
    monkeypatch.setenv("FUPIN_TODAY", "2018-07-15")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    file = tmp_path / "a-file.txt"
    file.write_text("x", encoding="utf-8")
    entry = fupin("done", "8.2", "--unit", "市残联", "--period", "2018-05", "--format", "json").json()["id"]
    counter = iter(range(10_000))

    def valid(param) -> str:
        kind = param.type.kind
        if kind == "path":
            return str(tmp_path / f"new-{next(counter)}") if param.type.folder else str(tmp_path / "out.txt")
        return {"date": "2018-07-03", "period": "2018-06", "month": "2018-07", "number": "3", "unit": "市残联",
                "task": "8.2", "category": "残疾人脱贫工作", "text": "x", "entry": entry, "plan": "tasks",
                "format": param.type.choices[0] if kind in ("format", "choice") else None,
                "choice": param.type.choices[0] if kind == "choice" else None}[kind]

    def wrong_paths(param) -> list[str]:
        """A file where a folder is wanted (or the other way round), and a path through a file."""
        return [str(file) if param.type.folder else str(folder), str(file / "below")]

    def run(path, command, changed=None, value=None, *, missing_value=False):
        """The command with its required parameters, ``changed`` given ``value`` (or nothing at the end)."""
        arguments, options = [], []
        for param in command.params:
            chosen = param is changed
            if not chosen and not param.required:
                continue
            if param.param_type_name == "argument":
                arguments.append(value if chosen else valid(param))
            elif chosen and missing_value:
                continue
            else:
                options += [param.opts[0], value if chosen else valid(param)]
        tail = [changed.opts[0]] if missing_value else []
        return fupin(*path, *arguments, *options, *tail)

    run.wrong_paths = wrong_paths
    return run


def assert_clean_refusal(result, *mentions: str) -> None:
    assert result.code == 2, (result.code, result.out[-300:], result.err)
    assert CJK.search(result.err), result.err
    assert not CLICK_ENGLISH.search(result.err), result.err
    assert any(m in result.err for m in mentions), (mentions, result.err)


def test_every_parameter_has_a_fupin_type():
    """A parameter click would check (in English) is a bug: every value goes through fupin's types."""
    untyped = [label(path, param) for path, param in PARAMS
               if not getattr(param, "is_flag", False) and not isinstance(param.type, FupinType)]
    assert untyped == []
    assert {param.type.kind for _, param in PARAMS if isinstance(param.type, FupinType)} <= set(KINDS)
    assert len(COMMANDS) >= 13 and ("report", "weekly") in COMMANDS


@pytest.mark.parametrize("path", list(COMMANDS), ids=[" ".join(p) for p in COMMANDS])
def test_command_without_arguments(tmp_path, path):
    """A real process: a command that needs nothing may write anything (export writes an xlsx to a pipe)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FUPIN_TODAY": "2018-07-15",
           "FUPIN_JOURNAL": str(tmp_path / "journal.jsonl"), "FUPIN_CACHE": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "fupin_cli", *path], cwd=tmp_path, env=env, capture_output=True,
                         timeout=120)
    result = Result(run.returncode, "", run.stderr.decode("utf-8"))
    if any(p.required for p in COMMANDS[path].params):
        assert_clean_refusal(result, "缺少")
    elif result.code == 2:  # nothing is required of click, but the command needs a choice (notice: a unit)
        assert_clean_refusal(result, "请用", "请给出", "缺少")
    else:
        assert result.code in (0, 1), result.err
        assert not CLICK_ENGLISH.search(result.err), result.err


@pytest.mark.parametrize("path", list(COMMANDS), ids=[" ".join(p) for p in COMMANDS])
def test_missing_required_argument_is_named(fupin, monkeypatch, path):
    """The crash of issue 16 (AttributeError in usage.py) for every command with a required argument."""
    command = COMMANDS[path]
    arguments = [p for p in command.params if p.param_type_name == "argument" and p.required]
    for argument in arguments:
        others = [o for p in command.params if p.required and p.param_type_name == "option"
                  for o in (p.opts[0], "x")]
        result = fupin(*path, *others)
        assert_clean_refusal(result, f"缺少参数 {argument.metavar}")


VALUE_OPTIONS = [(path, p) for path, p in PARAMS if p.param_type_name == "option" and not getattr(p, "is_flag", False)]
FLAGS = [(path, p) for path, p in PARAMS if getattr(p, "is_flag", False) and p.opts[0].startswith("--")]
TYPED = [(path, p) for path, p in PARAMS if isinstance(p.type, FupinType) and not getattr(p, "is_flag", False)]


@pytest.mark.parametrize("path, param", VALUE_OPTIONS, ids=[label(*item) for item in VALUE_OPTIONS])
def test_option_without_its_value(line, path, param):
    result = line(path, COMMANDS[path], param, missing_value=True)
    assert_clean_refusal(result, param.opts[0])
    assert "缺少值" in result.err or "缺少选项" in result.err


@pytest.mark.parametrize("path, param", [item for item in TYPED if item[1].type.kind in WRONG or
                                         item[1].type.kind == "path"],
                         ids=[label(*item) for item in TYPED if item[1].type.kind in WRONG or
                              item[1].type.kind == "path"])
def test_value_of_the_wrong_kind(line, path, param):
    kind = param.type.kind
    for value in line.wrong_paths(param) if kind == "path" else [WRONG[kind]]:
        result = line(path, COMMANDS[path], param, value)
        assert_clean_refusal(result, value, *(param.opts if param.param_type_name == "option" else ()))


@pytest.mark.parametrize("path, param", [item for item in TYPED if item[1].type.kind in OUT_OF_RANGE],
                         ids=[label(*item) for item in TYPED if item[1].type.kind in OUT_OF_RANGE])
def test_values_out_of_range(line, path, param):
    for value in OUT_OF_RANGE[param.type.kind]:
        result = line(path, COMMANDS[path], param, value)
        assert_clean_refusal(result, value)


def test_flags_do_not_take_values(fupin):
    for path, param in FLAGS:
        result = fupin(*path, f"{param.opts[0]}=x")
        assert_clean_refusal(result, param.opts[0])
        assert "不带值" in result.err, (path, result.err)


@pytest.mark.parametrize("args, suggestion, help_path", [
    (("dune",), "是否是指 due？", "fupin --help"),
    (("repot",), "是否是指 report？", "fupin --help"),
    (("report", "weely"), "是否是指 weekly？", "fupin report --help"),
    (("销号",), "是否是指 done？", "fupin --help"),
    (("jounral",), "是否是指 journal？", "fupin --help"),
])
def test_unknown_command_names_the_likely_one(fupin, args, suggestion, help_path):
    result = fupin(*args)
    assert_clean_refusal(result, suggestion)
    assert result.err == f"错误：没有命令 “{args[-1]}”；{suggestion}\n用法见：{help_path}\n"


def test_unknown_option_and_extra_argument(fupin):
    option = fupin("list", "--formt", "json")
    assert option.err == "错误：没有选项 --formt；是否是指 --format？\n用法见：fupin list --help\n"
    assert fupin("due", "--untl", "x").err.startswith("错误：没有选项 --untl；是否是指 --unit？\n")
    extra = fupin("list", "市民政局")
    assert extra.code == 2
    assert extra.err == "错误：多余的参数：市民政局（含空格的值请加引号）\n用法见：fupin list --help\n"


def test_click_messages_fupin_does_not_know_are_never_shown_in_english():
    from fupin_cli.cli.clicklib import exceptions as click

    from fupin_cli.cli.messages import chinese_usage_message

    assert chinese_usage_message(click.UsageError("Something new.")) == "错误：命令行用法不对\n用法见：fupin --help"
    assert chinese_usage_message(click.BadParameter("Value must be an iterable.")) == (
        "错误：参数的值无效\n用法见：fupin --help")
