"""Help pages list the commands from the short helps kept in cli/app.py, building none of them.

``fupin --help`` (and a bare ``fupin``, ``fupin report --help``, Tab on a command name) must not
import every command module just to say each command's first help line; the tables of short
helps beside ``COMMANDS`` must therefore say exactly what the built commands say, and the pages
drawn from them must be byte for byte the pages drawn from the built commands.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer

from fupin_cli.cli import app as app_module
from fupin_cli.cli.help import LazyCommands, short_help

TABLES = [(app_module.COMMANDS, app_module.SHORT_HELP, False),
          (app_module.REPORT_COMMANDS, app_module.REPORT_SHORT_HELP, True)]


@pytest.mark.parametrize("commands, summaries, under_report", TABLES, ids=["fupin", "fupin report"])
def test_each_short_help_is_what_the_built_command_says(commands, summaries, under_report):
    assert list(summaries) == list(commands)  # every command, in help order
    for name, module in commands.items():
        command = app_module.build_command(name, module, under_report=under_report)
        assert not command.hidden, name  # a summarised command is listed without being built to ask
        assert summaries[name] == short_help(command), name  # the first paragraph of its help text


def _root():
    return typer.main.get_command(app_module.app)


def _page(group, args: list[str], info_name: str = "fupin", parent=None) -> str:
    with group.make_context(info_name, args, parent=parent, resilient_parsing=True) as ctx:
        return ctx.get_help() + "\n"


def _built_everything(group):
    """The group with every command built and held in a plain dict: the pages typer itself drew."""
    group.commands = {name: group.commands[name] for name in group.commands}
    return group


@pytest.mark.parametrize("columns", ["80", "60"])
def test_the_fast_pages_are_the_pages_of_the_built_commands(monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    fast_root = _root()
    assert isinstance(fast_root.commands, LazyCommands)
    fast = _page(fast_root, [])
    with fast_root.make_context("fupin", [], resilient_parsing=True) as parent:
        fast_report = _page(fast_root.commands["report"], [], "report", parent)
    assert "命令：\n  list      列出任务，按工作板块分组。" in fast
    assert "命令：\n  weekly     督办周报：各单位完成情况" in fast_report

    built_root = _built_everything(_root())
    _built_everything(built_root.commands["report"])
    assert _page(built_root, []) == fast
    with built_root.make_context("fupin", [], resilient_parsing=True) as parent:
        assert _page(built_root.commands["report"], [], "report", parent) == fast_report


PROBE = """
import contextlib, io, json, sys
from fupin_cli.cli import main
sys.argv = ["fupin", *sys.argv[1:]]
out = io.StringIO()
code = 0
with contextlib.redirect_stdout(out):
    try:
        main()
    except SystemExit as exc:
        code = exc.code
modules = sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("fupin_cli.cli.commands."))
print(json.dumps({"code": code, "out": out.getvalue(), "modules": modules}))
"""


def _run(tmp_path, *args: str, **env: str) -> dict:
    """``fupin ARGS`` in a fresh interpreter with stdout a pipe (no COLUMNS: click's 80 columns)."""
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
                   "FUPIN_JOURNAL": str(tmp_path / "journal.jsonl"), "FUPIN_CACHE": str(tmp_path / "cache"),
                   **env}
    run = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120,
                         env=environment)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    return json.loads(run.stdout.splitlines()[-1])


def _pages_of_built_commands(monkeypatch) -> tuple[str, str]:
    monkeypatch.setenv("COLUMNS", "80")
    root = _built_everything(_root())
    _built_everything(root.commands["report"])
    with root.make_context("fupin", [], resilient_parsing=True) as parent:
        return _page(root, []), _page(root.commands["report"], [], "report", parent)


def test_root_and_group_help_piped_build_no_command(tmp_path, monkeypatch):
    root_page, report_page = _pages_of_built_commands(monkeypatch)
    for args, page in [(("--help",), root_page), (("-h",), root_page), ((), root_page),
                       (("report", "--help"), report_page), (("report",), report_page)]:
        result = _run(tmp_path, *args)
        assert (result["code"], result["modules"]) == (0, []), args
        assert result["out"] == page, args


def test_tab_on_a_command_name_builds_no_command(tmp_path):
    root = _built_everything(_root())
    report = _built_everything(root.commands["report"])
    for line, group in [("fupin ", root), ("fupin report ", report)]:
        result = _run(tmp_path, _FUPIN_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS=line)
        assert result["modules"] == [], line
        expected = [f"{name}\t{short_help(command)}" for name, command in group.commands.items()]
        assert result["out"] == "\n".join(expected) + "\n", line
    result = _run(tmp_path, _FUPIN_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="fupin re")
    assert result["out"].splitlines() == [f"remind\t{app_module.SHORT_HELP['remind']}",
                                          "report\t督办报表 / Supervision reports."]
    result = _run(tmp_path, _FUPIN_COMPLETE="complete_bash", COMP_WORDS="fupin e", COMP_CWORD="1")
    assert (result["out"], result["modules"]) == ("explain\nextend\nexport\n", [])
