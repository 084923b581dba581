"""Commands are built lazily: the tables in cli/app.py name every command each module registers, and a
run imports and builds only the command it executes."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import typer

from fupin_cli.cli import app as app_module
from fupin_cli.cli import commands


def test_the_tables_name_every_registered_command_in_help_order():
    top, under_report = {}, {}
    for found in pkgutil.iter_modules(commands.__path__):
        names, report_names = app_module.registered(found.name)
        top.update(dict.fromkeys(names, found.name))
        under_report.update(dict.fromkeys(report_names, found.name))
    assert app_module.COMMANDS == top
    assert app_module.REPORT_COMMANDS == under_report


def test_every_command_is_there_when_asked_for():
    root = typer.main.get_command(app_module.app)
    assert list(root.commands) == [*app_module.COMMANDS, "report"]
    assert list(root.commands["report"].commands) == list(app_module.REPORT_COMMANDS)
    assert root.get_command(None, "due").name == "due"
    assert root.get_command(None, "nope") is None


PROBE = """
import sys, io, contextlib, os
os.environ["FUPIN_CACHE"] = sys.argv[1]
from fupin_cli.cli import main
sys.argv = ["fupin", *sys.argv[2:]]
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
print(sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("fupin_cli.cli.commands.")))
"""


def _modules(tmp_path, *args):
    run = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "cache"), *args], capture_output=True,
                         text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()[-1]


def test_a_run_imports_only_its_own_command_module(tmp_path):
    assert _modules(tmp_path, "due", "--unit", "市民政局", "--as-of", "2018-07-15", "--format", "json") \
        == "['reports']"
    assert _modules(tmp_path, "list", "--format", "json") == "['plan']"
    assert _modules(tmp_path, "--version") == "[]"
    assert _modules(tmp_path, "report", "weekly", "--as-of", "2018-07-16", "--format", "json") == "['reports']"


def test_help_and_a_mistyped_command_still_see_every_command(fupin):
    page = fupin("--help").out
    assert all(f"  {name} " in page for name in app_module.COMMANDS)
    result = fupin("overdu")
    assert result.code == 2 and "是否是指 overdue" in result.err
    result = fupin("report", "weekli")
    assert result.code == 2 and "是否是指 weekly" in result.err
