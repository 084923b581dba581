"""The package's layers: dependencies point one way, no import cycles, heavy modules imported lazily."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "fupin_cli"

# Each layer may import itself and the layers after it in this list, never the ones before.
LAYERS = ["cli", "app", "channels", "output", "reports", "journal", "plan_io", "phrases", "domain", "cache", "progress",
          "collector"]
ROOT_MODULES = {"__init__", "__main__"}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """fupin module → the fupin modules it imports (anywhere in its code, lazily or not)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                found = [base] + [f"{base}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            else:
                continue
            graph[name].update(f for f in found if f in modules and f != name)
    return graph


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] not in ROOT_MODULES else None


def test_no_import_cycles():
    graph = _imports()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_layers_only_import_downwards():
    wrong = []
    for module, imported in _imports().items():
        own = _layer(module)
        if own is None:
            continue
        for other in imported:
            theirs = _layer(other)
            if theirs is not None and LAYERS.index(theirs) < LAYERS.index(own):
                wrong.append(f"{module} imports {other}")
    assert wrong == []


@pytest.mark.parametrize("library, allowed", [("typer", {"cli"}), ("click", {"cli"}), ("rich", {"cli", "output"})])
def test_only_the_edge_imports_the_cli_libraries(library, allowed):
    users = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            if any(n == library or n.startswith(library + ".") for n in names):
                users.add(_layer(_module_name(path)))
    assert users <= allowed


def test_domain_does_no_io():
    """The pure core reads no files and no clock."""
    forbidden = ("open(", "datetime.now", "date.today", "os.environ", "print(", "Path(")
    found = []
    for path in (PACKAGE / "domain").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {word}" for word in forbidden if word in text]
    assert found == []


LAZY = """
import sys, io, contextlib, os
os.environ["FUPIN_CACHE"] = sys.argv[1]
import fupin_cli.cli
loaded_at_import = {m for m in ("rich", "openpyxl", "icalendar", "dateutil", "yaml", "pypinyin", "docx")
                    if m in sys.modules}
from fupin_cli.cli import main
sys.argv = ["fupin", "due", "--unit", "市民政局", "--as-of", "2018-07-15", "--format", "json"]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main()
    except SystemExit:
        pass
assert out.getvalue().startswith("["), out.getvalue()  # the report ran (its rows are another test's)
print(sorted(loaded_at_import))
print(sorted(m for m in ("rich", "openpyxl", "icalendar", "pypinyin", "docx") if m in sys.modules))
"""


def test_heavy_modules_are_imported_lazily(tmp_path):
    """Importing the CLI loads none of the heavy libraries; a JSON report loads no renderer library."""
    run = subprocess.run([sys.executable, "-c", LAZY, str(tmp_path / "cache")], capture_output=True, text=True,
                         timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    at_import, after_json = run.stdout.splitlines()[-2:]
    assert at_import == "[]"
    assert after_json == "[]"


def test_a_cached_plan_loads_without_yaml(tmp_path):
    """With the plan cache warm, a report reads no YAML and so imports neither yaml, the validator nor the
    deadline reader (its patterns take ~35 ms to compile; labels of shared periods only describe rules), nor
    the official calendar (the occurrences are cached with the plan)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    probe = LAZY.replace('print(sorted(m for m in ("rich", "openpyxl", "icalendar", "pypinyin", "docx")',
                         'print(sorted(m for m in ("yaml", "fupin_cli.plan_io.validate", "fupin_cli.phrases.parser",'
                         ' "fupin_cli.phrases.families", "chinese_calendar")')
    probe = probe.replace('"due", "--unit", "市民政局"', '"overdue"')  # every unit: rows of shared periods too
    for _ in range(2):  # the first run fills the cache
        run = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "cache")], capture_output=True, text=True,
                             timeout=120, env=env)
        assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"


TERMINAL = """
import sys, io, os
os.environ["FUPIN_CACHE"] = sys.argv[1]
os.environ["COLUMNS"] = "80"
class Terminal(io.StringIO):
    def isatty(self):
        return True
from fupin_cli.cli import main
sys.argv = ["fupin", "due", "--unit", "市民政局", "--as-of", "2018-07-15"]
out, sys.stdout = sys.stdout, Terminal()
try:
    main()
except SystemExit:
    pass
table, sys.stdout = sys.stdout.getvalue(), out
print("╭" in table and "\x1b[1;31m" in table)
print(sorted(m for m in ("rich", "yaml", "openpyxl", "orjson") if m in sys.modules))
"""


def test_a_coloured_terminal_table_imports_no_rich(tmp_path):
    """The table a clerk sees on a terminal is drawn without rich (and, with the plan cache warm, without yaml)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for _ in range(2):  # the first run fills the plan cache
        run = subprocess.run([sys.executable, "-c", TERMINAL, str(tmp_path / "cache")], capture_output=True,
                             text=True, timeout=120, env=env)
        assert run.returncode == 0, run.stderr
    drawn, loaded = run.stdout.splitlines()[-2:]
    assert drawn == "True"
    assert loaded == "[]"
