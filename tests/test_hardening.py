"""Hardening: bad input, hostile input, a long-used journal, time zones.

Every bad input must give a clear Chinese message on stderr naming the file, line or option,
exit code 2, no traceback, and leave the journal byte for byte as it was.  Hostile text (formulas,
scripts, control characters) reaches no spreadsheet, page or terminal as anything but text.
Faults while writing the journal (full disk, read-only file, a writer killed mid-line, many
writers at once) are tests/test_journal_writes.py.  ``pytest -m slow`` runs the long versions.
"""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from support.cli import FUPIN, cli_env, journal_lines, refused, run_cli

AS_OF = ("--as-of", "2018-07-15")


# ---------------------------------------------------------------- helpers

def replace(path: Path, old: str, new: str, *, after: str | None = None) -> int:
    """Replace the first ``old`` (after the first ``after``, if given) by ``new``; return its 1-based line."""
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    index = text.index(old, start)
    path.write_text(text[:index] + new + text[index + len(old):], encoding="utf-8")
    return text.count("\n", 0, index) + 1


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


@pytest.fixture
def seeded(fupin, journal_path) -> bytes:
    """A journal with one entry, recorded against the shipped plan; returns its bytes."""
    assert fupin("done", "5.1", "--unit", "金平区", "--period", "2018-05", *AS_OF).code == 0
    return journal_path.read_bytes()


# ---------------------------------------------------------------- 1. bad YAML

def _syntax(d: Path):
    return "tasks.yaml", replace(d / "tasks.yaml", "    text: 完成或超额完成", "    text: a: 完成或超额完成"), ["YAML"]


def _bad_indent(d: Path):
    return "tasks.yaml", replace(d / "tasks.yaml", '    seq: "1"\n', '   seq: "1"\n'), ["YAML"]


def _tab(d: Path):
    return "tasks.yaml", replace(d / "tasks.yaml", '    seq: "1"\n', '\tseq: "1"\n'), ["Tab"]


def _tasks_is_a_list(d: Path):
    (d / "tasks.yaml").write_text("- id: \"1.1\"\n- id: \"1.2\"\n", encoding="utf-8")
    return "tasks.yaml", 1, ["映射"]


def _units_is_a_list(d: Path):
    (d / "units.yaml").write_text("- 金平区\n- 龙湖区\n", encoding="utf-8")
    return "units.yaml", 1, ["映射"]


def _no_id(d: Path):
    return "tasks.yaml", replace(d / "tasks.yaml", '  - id: "1.1"\n    seq: "1"', '  - seq: "1"'), ["缺少编号"]


def _no_units(d: Path):
    line = line_of(d / "tasks.yaml", '  - id: "1.1"')
    replace(d / "tasks.yaml", "    units: [各区（县）]\n", "")
    return "tasks.yaml", line, ["缺少责任单位"]


def _duplicate_id(d: Path):
    return "tasks.yaml", replace(d / "tasks.yaml", '  - id: "1.2"', '  - id: "1.1"'), ["“1.1”", "重复"]


def _full_width_id(d: Path):
    return "tasks.yaml", replace(d / "tasks.yaml", '  - id: "5.2"', '  - id: "５.１"'), ["５.１", "5.1"]


def _impossible_date(d: Path):
    return "tasks.yaml", replace(d / "tasks.yaml", "  issued: 2018-04-25", "  issued: 2018-02-30"), ["2018-02-30"]


def _impossible_valid_to(d: Path):
    return "tasks.yaml", replace(d / "tasks.yaml", "  valid_to: 2018-12-31", "  valid_to: 2018-02-30"), [
        "valid_to", "2018-02-30"]


def _unknown_unit(d: Path):
    return "tasks.yaml", replace(d / "tasks.yaml", "    units: [各区（县）]", "    units: [不存在局]"), ["不存在局"]


def _group_contains_itself(d: Path):
    replace(d / "units.yaml", "    members: [金平区,", "    members: [各区（县）, 金平区,")
    return "units.yaml", line_of(d / "units.yaml", "  - name: 各区（县）\n"), ["各区（县）", "循环"]


def _cycle_of_groups(d: Path):
    units = d / "units.yaml"
    replace(units, "  - name: 金平区\n    kind: 区县\n    aliases: []\n",
            "  - name: 金平区\n    kind: 区县\n    aliases: []\n    members: [龙湖区]\n")
    replace(units, "  - name: 龙湖区\n    kind: 区县\n    aliases: []\n",
            "  - name: 龙湖区\n    kind: 区县\n    aliases: []\n    members: [金平区]\n")
    # The line named must be that of a unit in the cycle, not of the outer group that reaches it.
    return "units.yaml", (line_of(units, "  - name: 金平区"), line_of(units, "  - name: 龙湖区")), [
        "循环", "金平区", "龙湖区"]


def _empty(d: Path):
    (d / "tasks.yaml").write_bytes(b"")
    return "tasks.yaml", None, ["空"]


def _blank(d: Path):
    (d / "units.yaml").write_bytes(b"  \n\n\t\n")
    return "units.yaml", None, ["空"]


def _huge(d: Path):
    with open(d / "tasks.yaml", "wb") as handle:
        handle.write(b"# " + b"x" * (1024 * 1024 - 3) + b"\n")
        handle.seek(50 * 1024 * 1024 - 1)
        handle.write(b"\n")
    return "tasks.yaml", None, ["过大"]


def _binary(d: Path):
    (d / "tasks.yaml").write_bytes(b"plan:\n  title: \x00\x01\x02\xff\xfe binary\n" + bytes(range(256)))
    return "tasks.yaml", None, ["二进制"]


def _gbk(d: Path):
    text = (d / "tasks.yaml").read_text(encoding="utf-8")
    (d / "tasks.yaml").write_bytes(text.encode("gbk"))
    first_non_ascii = next(i for i, ch in enumerate(text) if ord(ch) > 127)
    return "tasks.yaml", text.count("\n", 0, first_non_ascii) + 1, ["GBK", "UTF-8"]


def _python_tag(d: Path):
    line = replace(d / "tasks.yaml", "    text: 完成或超额完成", "    text: !!python/name:os.system 完成或超额完成")
    return "tasks.yaml", line, ["标签"]


BAD_PLANS = {f.__name__.lstrip("_"): f for f in (
    _syntax, _bad_indent, _tab, _tasks_is_a_list, _units_is_a_list, _no_id, _no_units, _duplicate_id,
    _full_width_id, _impossible_date, _impossible_valid_to, _unknown_unit, _group_contains_itself,
    _cycle_of_groups, _empty, _blank, _huge, _binary, _gbk, _python_tag)}


@pytest.mark.parametrize("case", list(BAD_PLANS))
def test_bad_plan_is_refused_with_file_and_line(fupin, plan_dir, journal_path, case):
    assert fupin("done", "5.1", "--unit", "金平区", "--period", "2018-05", "--data", str(plan_dir), *AS_OF).code == 0
    before = journal_path.read_bytes()
    name, line, fragments = BAD_PLANS[case](plan_dir)
    started = time.monotonic()
    result = fupin("list", "--data", str(plan_dir))
    assert time.monotonic() - started < 5
    refused(result, str(plan_dir / name), *fragments)
    assert result.out == ""
    if isinstance(line, tuple):
        assert any(f"{name}:{n}" in result.err for n in line), (line, result.err)
    elif line is not None:
        assert f"{name}:{line}" in result.err, (line, result.err)
    assert not re.search(r"[A-Za-z]{3,}Error", result.err), result.err  # no Python exception names
    # Nothing is written by a command that would write.
    done = fupin("done", "5.1", "--unit", "金平区", "--period", "2018-06", "--data", str(plan_dir), *AS_OF)
    refused(done, name)
    assert journal_path.read_bytes() == before


def test_check_reports_a_bad_plan_without_a_traceback(fupin, plan_dir):
    _duplicate_id(plan_dir)
    result = fupin("check", "--data", str(plan_dir))
    assert result.code in (1, 2)
    assert "Traceback" not in result.err + result.out
    assert "tasks.yaml" in result.out + result.err and "重复" in result.out + result.err


def test_utf8_bom_is_accepted(fupin, plan_dir):
    without = fupin("list", "--data", str(plan_dir), "--format", "json")
    units_without = fupin("units", "--data", str(plan_dir), "--format", "json")
    assert without.code == 0, without.err
    for name in ("tasks.yaml", "units.yaml"):
        path = plan_dir / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with_bom = fupin("list", "--data", str(plan_dir), "--format", "json")
    assert with_bom.code == 0, with_bom.err
    assert with_bom.out == without.out
    assert fupin("units", "--data", str(plan_dir), "--format", "json").out == units_without.out
    assert fupin("check", "--data", str(plan_dir)).code == 0


# ---------------------------------------------------------------- 2. unreadable deadline

def test_unreadable_deadline_is_named_by_check(fupin, plan_dir):
    line = replace(plan_dir / "tasks.yaml", "deadline: 逐月完成", "deadline: 择机完成", after='  - id: "8.2"')
    result = fupin("check", "--data", str(plan_dir))
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    assert f"tasks.yaml:{line}" in result.out
    assert "任务 8.2" in result.out and "择机完成" in result.out
    assert re.search(r"^\s*择机完成\s*$", result.out, re.M), result.out
    assert re.search(r"^\s*\^\s*$", result.out, re.M), result.out  # the caret line
    # Everything else still works; the task is left out of reports with a word on stderr.
    listed = fupin("list", "--data", str(plan_dir), "--format", "json")
    assert listed.code == 0 and "fupin check" in listed.err
    due = fupin("due", "--data", str(plan_dir), "--format", "json", *AS_OF)
    assert due.code == 0 and "8.2" not in {row["task"] for row in due.json()}


# ---------------------------------------------------------------- 3. options

@pytest.mark.parametrize("period, done_on, as_of", [
    ("2018-04", "2018/7/3", "2018/7/15"),
    ("2018-05", "20180703", "20180715"),
    ("2018-06", "2018年7月3日", "2018年7月15日"),
])
def test_date_forms_for_as_of_and_date(fupin, journal_path, period, done_on, as_of):
    result = fupin("done", "8.2", "--unit", "市残联", "--period", period, "--date", done_on, "--as-of", as_of,
                   "--format", "json")
    assert result.code == 0, result.err
    assert journal_lines(journal_path)[-1]["date"] == "2018-07-03"
    report = fupin("due", "--unit", "市残联", "--as-of", as_of, "--format", "json")
    assert report.code == 0, report.err
    assert report.out == fupin("due", "--unit", "市残联", "--as-of", "2018-07-15", "--format", "json").out


@pytest.mark.parametrize("args, fragments", [
    (("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--as-of", "2018-13-01"), ("--as-of", "2018-13-01", "不是有效日期")),
    (("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--date", "2018-13-01", *AS_OF), ("--date", "不是有效日期")),
    (("done", "8.2", "--unit", "市残联", "--period", "2018-Q3", *AS_OF), ("2018-Q3", "不是任务 8.2 的期间")),
    (("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--as-of", "2016-01-01"), ("--as-of", "2016-01-01", "有效期")),
    (("done", "8.2", "--unit", "", "--period", "2018-06", *AS_OF), ("--unit", "不能为空")),
    (("done", "8.2", "--unit", "  ", "--period", "2018-06", *AS_OF), ("--unit", "不能为空")),
    (("done", "8.2", "--unit", "市残联", "--unit", "市残联", "--period", "2018-06", *AS_OF), ("--unit 只能给一次",)),
    (("due", "--as-of", "2018-13-01"), ("--as-of", "不是有效日期")),
    (("overdue", "--as-of", "2016-01-01"), ("--as-of", "有效期")),
    (("due", "--unit", ""), ("--unit", "不能为空")),
    (("journal", "--since", "2018-02-30"), ("--since", "不是有效日期")),
    (("due", "--within", "-1", *AS_OF), ("--within",)),
    (("due", "--format", "pdf", *AS_OF), ("--format", "pdf")),
])
def test_bad_options_are_refused(fupin, seeded, journal_path, args, fragments):
    result = fupin(*args)
    refused(result, *fragments)
    assert journal_path.read_bytes() == seeded


def test_bad_fupin_today_names_the_variable(fupin, seeded, journal_path, monkeypatch):
    monkeypatch.setenv("FUPIN_TODAY", "2018-13-01")
    refused(fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06"), "FUPIN_TODAY", "不是有效日期")
    assert journal_path.read_bytes() == seeded


# ---------------------------------------------------------------- 4. journal problems

def test_check_reports_each_bad_journal_line_and_reports_ignore_them(fupin, plan_dir, journal_path, tmp_path):
    data = ("--data", str(plan_dir))
    kept = fupin("done", "8.2", "--unit", "市残联", "--period", "2018-05", "--format", "json", *data, *AS_OF).json()
    voided = fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--format", "json", *data, *AS_OF).json()
    assert fupin("undo", voided["id"], "-r", "录错", *data).code == 0
    gone = fupin("done", "9.1", "--unit", "市残联", "--period", "2018-06", "--format", "json", *data, *AS_OF).json()
    assert gone["task"] == "9.1"
    clean = tmp_path / "clean.jsonl"
    clean_lines = [line for line in journal_path.read_text(encoding="utf-8").splitlines()
                   if json.loads(line)["id"] != gone["id"]]
    clean.write_text("\n".join(clean_lines) + "\n", encoding="utf-8")
    void = journal_lines(journal_path)[2]
    assert void["op"] == "void"
    with journal_path.open("a", encoding="utf-8") as handle:
        handle.write("{this is not json\n")                                                   # line 5
        handle.write(json.dumps({"id": "m1", "op": "done", "task": "8.2"}) + "\n")           # line 6
        handle.write(json.dumps({"id": "vv1", "op": "void", "target": void["id"], "recorded_at": "",
                                 "by": "", "note": "作废的作废"}, ensure_ascii=False) + "\n")  # line 7
    # The plan no longer has task 9.1 (line 4 of the journal).
    replace(plan_dir / "tasks.yaml", '  - id: "9.1"', '  - id: "9.1b"')
    before = journal_path.read_bytes()

    result = fupin("check", *data)
    assert result.code == 1, result.out
    assert "Traceback" not in result.err
    out = result.out
    assert f"{journal_path}:5:" in out and "JSON" in out
    assert f"{journal_path}:6:" in out and "缺少键" in out
    assert f"{journal_path}:7:" in out and "作废记录" in out
    assert f"{journal_path}:4:" in out and "“9.1”" in out and "不在清单中" in out

    for command in ("due", "overdue"):
        bad = fupin(command, *data, "--format", "json", *AS_OF)
        assert bad.code == 0, bad.err
        assert "Traceback" not in bad.err and "第 5 行" in bad.err
        good = fupin(command, *data, "--format", "json", "--journal", str(clean), *AS_OF)
        assert good.code == 0, good.err
        assert bad.json() == good.json(), command
    # The void of a void changed nothing: 2018-06 is still open, 2018-05 still done.
    rows = fupin("due", *data, "--unit", "市残联", "--format", "json", *AS_OF).json()
    assert ("8.2", "2018-06") in {(r["task"], r["period"]) for r in rows}
    assert ("8.2", "2018-05") not in {(r["task"], r["period"]) for r in rows}
    table = fupin("journal", *data)
    assert table.code == 0 and kept["id"] in table.out
    assert journal_path.read_bytes() == before


# ---------------------------------------------------------------- 5. hostile input

def _alias_bomb(levels: int = 9) -> str:
    text = "bomb0: &l0 [" + ", ".join(['"哈哈哈哈哈哈哈哈"'] * 10) + "]\n"
    for i in range(1, levels):
        text += f"bomb{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]\n"
    return text


def _limited(seconds: int = 60):
    def limit():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    return limit


@pytest.mark.parametrize("where", ["id", "text", "warn_days", "key", "units"])
def test_alias_bomb_is_refused_quickly(plan_dir, tmp_path, where):
    """A billion-laughs document (10**9 strings through aliases) must not hang or eat the memory."""
    tasks = plan_dir / "tasks.yaml"
    replace(tasks, "plan:\n", _alias_bomb() + "plan:\n")
    if where == "id":
        replace(tasks, '  - id: "1.1"', "  - id: *l8")
    elif where == "text":
        replace(tasks, "    text: 完成或超额完成", "    text: *l8\n    x: 完成或超额完成")
    elif where == "warn_days":
        replace(tasks, "  warn_days: 14", "  warn_days: *l8")
    elif where == "key":
        replace(tasks, "  warn_days: 14", "  ? *l8\n  : 14")
    else:
        replace(tasks, "    units: [各区（县）]", "    units: *l8")
    started = time.monotonic()
    try:
        result = subprocess.run([*FUPIN, "list", "--data", str(plan_dir)], capture_output=True, text=True,
                                env=cli_env(tmp_path / "journal.jsonl"), timeout=6, preexec_fn=_limited(10))
    except subprocess.TimeoutExpired:
        pytest.fail(f"fupin list did not finish within 6 s on an alias bomb in {where}")
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert "tasks.yaml" in result.stderr and "Traceback" not in result.stderr
    assert time.monotonic() - started < 6


@pytest.mark.parametrize("nested", [
    "plan: " + "{a: " * 990 + "1" + "}" * 990 + "\n",
    "plan: " + "[" * 990 + "]" * 990 + "\n",
    "plan:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 990)) + "  " * 990 + "x: 1\n",
    "[" * 5000 + "]" * 5000,
])
def test_deeply_nested_yaml_is_a_clear_error(fupin, plan_dir, nested):
    (plan_dir / "tasks.yaml").write_text(nested, encoding="utf-8")
    refused(fupin("list", "--data", str(plan_dir)), "tasks.yaml")


@pytest.mark.parametrize("file, old, tagged", [
    ("tasks.yaml", "    text: 完成或超额完成",
     '    text: !!python/object/apply:os.system ["touch {marker}"]\n    x: 完成或超额完成'),
    ("tasks.yaml", "plan:\n", 'evil: !!python/object/apply:os.system ["touch {marker}"]\nplan:\n'),
    ("units.yaml", "units:\n", 'evil: !!python/object/new:subprocess.check_output [["touch", "{marker}"]]\nunits:\n'),
])
def test_python_tags_are_refused_and_never_run(fupin, plan_dir, tmp_path, file, old, tagged):
    marker = tmp_path / "pwned-marker"
    replace(plan_dir / file, old, tagged.format(marker=marker))
    for command in (("list",), ("units",), ("due", *AS_OF)):
        refused(fupin(*command, "--data", str(plan_dir)), file, "标签")
    check = fupin("check", "--data", str(plan_dir))
    assert check.code != 0 and "Traceback" not in check.err
    assert not marker.exists()


def test_script_in_task_text_is_escaped_in_html(fupin, plan_dir, tmp_path):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    replace(plan_dir / "tasks.yaml", "text: 每月组织一次下乡为残疾人贫困户进行评残。", f"text: '{payload}'")
    data = ("--data", str(plan_dir))
    for args in (("due", "--unit", "市残联", *AS_OF), ("overdue", *AS_OF),
                 ("report", "weekly", "--as-of", "2018-07-16")):
        result = fupin(*args, *data, "--format", "html")
        assert result.code == 0, result.err
        assert "&lt;script&gt;" in result.out, args
        assert "<script>" not in result.out and "<img src=x" not in result.out, args
    page = tmp_path / "due.html"  # written to a file, the same
    assert fupin("due", "--unit", "市残联", *data, "--format", "html", "--output", str(page), *AS_OF).code == 0
    written = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in written and "<script>" not in written and "<img src=x" not in written


FORMULAS = ['=HYPERLINK("http://evil") 评残', "+1+1 评残", "-1+1 评残", "@SUM(A1) 评残",
            '=HYPERLINK("http://evil.example","点我")<script>alert(1)</script>']
CONSTANT = r'="(?:[^"]|"")*"'  # one string constant: shows its text, runs nothing


@pytest.mark.parametrize("payload", FORMULAS)
def test_formula_text_is_neutralised_in_csv_and_xlsx(fupin, plan_dir, tmp_path, payload):
    from openpyxl import load_workbook
    import csv

    replace(plan_dir / "tasks.yaml", "text: 每月组织一次下乡为残疾人贫困户进行评残。", f"text: '{payload}'")
    data = ("--data", str(plan_dir))
    rows = fupin("due", "--unit", "市残联", "--format", "json", *data, *AS_OF).json()
    assert payload in [row["text"] for row in rows]  # the data keeps the text as written
    assert fupin("done", "9.1", "--unit", "市残联", "--period", "2018-06", "--note", payload, "--by", payload,
                 *data, *AS_OF).code == 0
    for args in (("list",), ("due", "--unit", "市残联", *AS_OF), ("overdue", *AS_OF), ("journal",)):
        result = fupin(*args, *data, "--format", "csv")
        assert result.code == 0, result.err
        cells = [cell for row in csv.reader(io.StringIO(result.out.lstrip("\ufeff"))) for cell in row]
        shown = [cell[2:-1].replace('""', '"') if re.fullmatch(r'="(?:[^"]|"")*"', cell) else cell for cell in cells]
        hits = [cell for cell, text in zip(cells, shown) if payload[1:] in text]
        assert hits, args
        for cell in hits:  # neutral text, or one string constant ="…" that shows the text and runs nothing
            assert (cell[:1] not in ("=", "+", "-", "@", "\t", "\r")
                    or re.fullmatch(CONSTANT, cell)), (args, cell)
        if args[0] == "due":  # every cell of a report, not only the payload's
            assert all(re.fullmatch(CONSTANT, cell) for cell in cells if cell.startswith("=")), cells
            assert not any(cell.startswith(("+", "@", "-")) for cell in cells), cells
            if payload.startswith("="):
                assert '="' + payload.replace('"', '""') + '"' in cells
    target = tmp_path / "weekly.xlsx"
    assert fupin("report", "weekly", *data, "--as-of", "2018-07-16", "--format", "xlsx",
                 "--output", str(target)).code == 0
    book = load_workbook(target)
    found = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), (sheet.title, cell.value)
                if isinstance(cell.value, str) and payload[1:] in cell.value:
                    found = True
                    assert cell.value[:1] not in ("=", "+", "-", "@")
    assert found


CONTROL_NOTE = "前\x1b[31m红\x1b[0m\x1b]0;PWNED\x07\x1b[2J\x08\r\x9b2J\x00后"


@pytest.mark.parametrize("terminal", [False, True])
def test_control_characters_in_a_note_never_reach_the_terminal(fupin, journal_path, monkeypatch, terminal):
    assert fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--note", CONTROL_NOTE,
                 "--by", "\x1b]0;BY\x07张三", *AS_OF).code == 0
    assert journal_lines(journal_path)[0]["note"] == CONTROL_NOTE  # stored as given
    if terminal:
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    for args in (("journal",), ("journal", "--unit", "市残联"), ("due", "--unit", "市残联", *AS_OF)):
        result = fupin(*args)
        assert result.code == 0, result.err
        for raw in ("\x1b]", "\x1b[2J", "\x1b[31m红", "\x07", "\x08", "\r", "\x9b", "\x00"):
            assert raw not in result.out, (args, repr(raw))
        if args[0] == "journal":  # the whole sequence goes, not only its escape byte
            assert "前" in result.out and "后" in result.out and "红" in result.out
            if not terminal:  # (on a terminal fupin colours its own words)
                assert "[31m" not in result.out and "[0m" not in result.out


def test_output_is_never_overwritten_without_force(fupin, tmp_path):
    target = tmp_path / "report.csv"
    target.write_text("keep me", encoding="utf-8")
    for args, suffix in ((("due", "--format", "csv", *AS_OF), ".csv"), (("report", "weekly", "--format", "html", *AS_OF), ".html"),
                         (("calendar", "--month", "2018-07", "--format", "ics", *AS_OF), ".ics")):
        existing = target.with_suffix(suffix)  # the ending agrees with --format (a mismatch is refused anyway)
        existing.write_text("keep me", encoding="utf-8")
        refused(fupin(*args, "--output", str(existing)), "--force")
        assert existing.read_text(encoding="utf-8") == "keep me"
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "elsewhere.csv")  # dangling: still not written through without --force
    refused(fupin("due", "--format", "csv", "--output", str(link), *AS_OF), "--force")
    assert not (tmp_path / "elsewhere.csv").exists()
    forced = fupin("due", "--format", "csv", "--output", str(target), "--force", *AS_OF)
    assert forced.code == 0, forced.err
    assert target.read_text(encoding="utf-8-sig").startswith("编号") or "keep me" not in target.read_text(encoding="utf-8")
    page = target.with_suffix(".html")
    forced = fupin("report", "weekly", "--format", "html", "--output", str(page), "--force", *AS_OF)
    assert forced.code == 0 and "督办周报" in page.read_text(encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    refused(fupin("due", "--format", "csv", "--output", str(folder), "--force", *AS_OF), str(folder))


# ---------------------------------------------------------------- 6d. a long-used journal

@pytest.mark.slow
def test_a_million_entries_give_the_same_report_as_the_clean_journal(fupin, tmp_path):
    rows = fupin("calendar", "--from", "2018-04-25", "--to", "2018-12-31", "--format", "json", *AS_OF).json()
    triples = sorted({(r["task"], r["unit"], r["period"]) for r in rows})
    assert len(triples) > 100
    rng = random.Random(1000000)
    live_set = set(rng.sample(triples, len(triples) // 2))  # the other half only ever has voided completions
    dumps = orjson.dumps
    lines: list[bytes] = []
    clean: list[bytes] = []
    pending_voids: list[str] = []
    n = 0
    while len(lines) < 1_000_000:
        n += 1
        triple = triples[rng.randrange(len(triples))]
        task, unit, period = triple
        entry_id = f"2018{n:016d}-{rng.randrange(16 ** 6):06x}"
        line = dumps({"id": entry_id, "op": "done", "task": task, "unit": unit, "period": period,
                      "date": f"2018-{rng.randrange(5, 8):02d}-{rng.randrange(1, 29):02d}",
                      "recorded_at": "2018-07-01T10:00:00+08:00", "by": "某人", "note": ""})
        lines.append(line)
        if triple in live_set and rng.random() < 0.7:
            clean.append(line)
        else:
            pending_voids.append(entry_id)
        if len(pending_voids) > 50 or (pending_voids and rng.random() < 0.3):
            target = pending_voids.pop(rng.randrange(len(pending_voids)))
            lines.append(dumps({"id": f"2019{n:016d}-v", "op": "void", "target": target,
                                "recorded_at": "2018-07-02T10:00:00+08:00", "by": "", "note": "录错"}))
        if rng.random() < 0.05:  # a line twice, as after a git union merge
            lines.append(lines[rng.randrange(len(lines))])
    for target in pending_voids:
        lines.append(dumps({"id": f"2019void-{target}", "op": "void", "target": target,
                            "recorded_at": "", "by": "", "note": ""}))
    big = tmp_path / "big.jsonl"
    big.write_bytes(b"\n".join(lines) + '\n{"id":"torn","op":"done","task":"8.2","unit":"市'.encode())
    small = tmp_path / "small.jsonl"
    small.write_bytes(b"\n".join(clean) + b"\n")
    for as_of in ("2018-07-15", "2018-10-08", "2019-01-15"):
        started = time.monotonic()
        long_used = fupin("overdue", "--format", "json", "--journal", str(big), "--as-of", as_of)
        elapsed = time.monotonic() - started
        assert long_used.code == 0, long_used.err
        assert "不完整" in long_used.err
        fresh = fupin("overdue", "--format", "json", "--journal", str(small), "--as-of", as_of)
        assert fresh.code == 0, fresh.err
        assert long_used.json() == fresh.json(), as_of
        assert elapsed < 60, elapsed
    assert fupin("overdue", "--format", "json", "--journal", str(big), "--as-of", "2019-01-15").json()


# ---------------------------------------------------------------- 6e. time

def test_machine_time_zone_does_not_matter(tmp_path):
    journal = tmp_path / "journal.jsonl"
    zones = ("UTC", "Asia/Shanghai", "Etc/GMT+12")
    jobs = {}
    for tz in zones:
        env = cli_env(journal, TZ=tz, HOME=str(tmp_path / "no-such-home"))
        commands = [("json", ("due", "--as-of", "2018-07-15", "--format", "json"))]
        if tz != "Asia/Shanghai":
            commands.append(("plain", ("due",)))
        if tz == "UTC":
            commands.append(("info", ("info",)))
        for name, args in commands:  # off a terminal: plain text
            jobs[tz, name] = subprocess.Popen([*FUPIN, *args], env=env, stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, text=True)
    before = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    results = {key: (proc.communicate(timeout=120), proc.returncode) for key, proc in jobs.items()}
    after = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    for key, ((out, err), code) in results.items():
        # Run today, the shipped 2018 list has long ended: the report says so last and exits 3.
        assert code == (3 if key[1] == "plain" else 0) and "Traceback" not in err, (key, err)
    for tz in zones[::2]:
        # Without --as-of, "today" is today in Asia/Shanghai whatever TZ says.
        out = results[tz, "plain"][0][0]
        assert f"截至 {before}" in out or f"截至 {after}" in out, (tz, out[:300])
    assert len({results[tz, "json"][0][0] for tz in zones}) == 1


def test_no_home_and_no_journal_variable(tmp_path):
    env = {k: v for k, v in cli_env(tmp_path / "x").items() if k not in ("FUPIN_JOURNAL", "XDG_DATA_HOME")}
    env.update(HOME=str(tmp_path / "no-such-home"), TZ="UTC")
    for args in (("info",), ("overdue", "--as-of", "2018-07-15", "--format", "json"), ("report", "weekly", "--as-of",
                                                                                        "2018-07-16", "--format", "json")):
        result = run_cli(*args, env=env)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "no-such-home" / ".local" / "share" / "fupin").exists()  # reading creates no journal folder
    # A home that cannot hold a data folder (here: it is a file): recording is a clear error.
    (tmp_path / "home-file").write_text("", encoding="utf-8")
    env["HOME"] = str(tmp_path / "home-file")
    done = run_cli("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--as-of", "2018-07-15", env=env)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "日记账" in done.stderr or "台账" in done.stderr


def test_a_year_without_holiday_data_is_said_once(fupin, plan_dir):
    replace(plan_dir / "tasks.yaml", "valid_to: 2018-12-31", "valid_to: 2027-12-31")
    result = fupin("calendar", "--month", "2027-01", "--as-of", "2027-01-05", "--format", "json",
                   "--data", str(plan_dir))
    assert result.code == 0, result.err
    assert isinstance(result.json(), list) and result.json()
    assert all(row["due"].startswith("2027-01") for row in result.json())
    lines = [line for line in result.err.splitlines() if "2027" in line]
    assert len(lines) == 1 and "节假日" in lines[0], result.err
    table = fupin("calendar", "--month", "2027-01", "--as-of", "2027-01-05", "--data", str(plan_dir))
    assert table.code == 0 and len([l for l in table.err.splitlines() if "2027" in l]) == 1
