"""The report commands' options: --format from --output's ending, COLUMNS in a pipe, --wide, and no escape
sequence from any input reaching a person in any human-readable format or message (JSON keeps the data)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook
from rich.cells import cell_len

from support.plans import done, plan_folder, write_journal

AS_OF = ("--as-of", "2018-07-16")


@pytest.mark.parametrize("name, kind", [("周报.html", "html"), ("周报.HTM", "html"), ("周报.docx", "docx"),
                                        ("周报.xlsx", "xlsx"), ("周报.csv", "csv"), ("周报.md", "markdown"),
                                        ("周报.json", "json"), ("周报.txt", "text")])
def test_format_follows_the_output_ending(fupin, tmp_path, name, kind):
    path = tmp_path / name
    result = fupin("report", "weekly", *AS_OF, "--output", str(path))
    assert result.code == 0, result.err
    data = path.read_bytes()
    if kind in ("docx", "xlsx"):
        assert ("word/document.xml" if kind == "docx" else "xl/workbook.xml") in zipfile.ZipFile(path).namelist()
    elif kind == "html":
        assert data.startswith(b"<!DOCTYPE html>")
    elif kind == "json":
        assert json.loads(data)["week"] == "2018-W29"
    elif kind == "csv":
        assert data.startswith("\ufeff表,".encode())
    elif kind == "markdown":
        assert data.startswith("# 2018年汕头市脱贫攻坚主要任务清单 督办周报".encode())
    else:
        assert data.startswith("2018年汕头市脱贫攻坚主要任务清单 督办周报".encode()) and b"+---" in data


def test_a_format_that_contradicts_the_ending_is_refused(fupin, tmp_path):
    path = tmp_path / "周报.docx"
    result = fupin("report", "weekly", "--format", "html", "--output", str(path), *AS_OF)
    assert result.code == 2 and not path.exists()
    assert "--format html 与 --output 的扩展名 “.docx”（docx）不一致" in result.err
    unknown = fupin("due", "--output", str(tmp_path / "周报.pdf"), *AS_OF)
    assert unknown.code == 2 and "无法从 --output 的扩展名 “.pdf” 判断格式" in unknown.err
    calendar_only = fupin("due", "--output", str(tmp_path / "到期.ics"), *AS_OF)
    assert calendar_only.code == 2 and "表示 ics 格式，本命令不能输出该格式" in calendar_only.err
    assert fupin("due", "--format", "table", "--output", str(tmp_path / "到期.txt"), *AS_OF).code == 0
    assert fupin("due", "--output", str(tmp_path / "到期"), *AS_OF).code == 0  # no ending: plain text


def test_a_pipe_follows_columns_when_set_and_never_wraps_otherwise(fupin, monkeypatch):
    wide = fupin("due", "--unit", "金平区", *AS_OF).out
    assert max(cell_len(line) for line in wide.splitlines()) > 200  # each row on one line
    assert "…" not in wide
    monkeypatch.setenv("COLUMNS", "80")
    narrow = fupin("due", "--unit", "金平区", *AS_OF).out
    assert max(cell_len(line) for line in narrow.splitlines()) <= 80
    assert "…" in narrow and "2018-04#d28" in narrow and "10a.1" in narrow
    full = fupin("due", "--unit", "金平区", "--wide", *AS_OF).out
    assert "…" not in full and max(cell_len(line) for line in full.splitlines()) <= 80


def test_unit_column_moves_into_the_title(fupin, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    out = fupin("report", "weekly", "--unit", "市民政局", *AS_OF).out
    lines = out.splitlines()
    assert lines[0] == "2018年汕头市脱贫攻坚主要任务清单 督办周报（市民政局）（2018年第29周）"
    assert lines[3] == "市民政局应完成 13 项，已完成 0 项，逾期未完成 13 项，完成率 0%（上周 0%）"
    after = out.split("逾期未完成（13 项）\n")[1]
    assert after.startswith("+------+") and "市民政局" not in after  # no unit column, no heading per unit
    overdue = fupin("overdue", "--unit", "市民政局", *AS_OF).out
    assert "逾期未完成事项（市民政局）" in overdue and "| 市民政局" not in overdue


# ---------------------------------------------------------------- escapes from every input

ESC = "\x1b[31m红\x1b[0m\x1b]0;title\x07\x1b]52;c;ZXZpbA==\x07\x9b2J\u202etxet\u200b\ufeff"
SHOWN = "红txet"  # what a person sees of ESC
RAW_MARKS = ("\x1b", "\x07", "\x9b", "\u202e", "\u200b", "\ufeff", "[31m", "]0;", "52;c")


@pytest.fixture
def hostile(tmp_path):
    """A plan whose task text and a journal whose note and by carry escapes, bidi overrides, zero-width."""
    text = json.dumps("报送" + ESC)  # YAML double-quoted strings take JSON's escapes
    data = plan_folder(tmp_path / "plan", f"""
- {{id: "1", text: {text}, units: [甲局], deadline: 每月5日前}}
""")
    journal = write_journal(tmp_path / "journal.jsonl", [
        done("1", "甲局", "2018-06", "2018-06-04", note="备注" + ESC, by="张三" + ESC)])
    return ("--data", str(data), "--journal", str(journal))


def clean(text: str) -> None:
    assert not [mark for mark in RAW_MARKS if mark in text], [mark for mark in RAW_MARKS if mark in text]


@pytest.mark.parametrize("fmt", ["table", "text", "markdown", "csv", "html"])
@pytest.mark.parametrize("command", [("due",), ("overdue",), ("report", "weekly"), ("report", "monthly"),
                                     ("report", "notice", "--unit", "甲局"), ("list",)])
def test_no_escape_reaches_a_person_in_text_formats(fupin, hostile, fmt, command):
    args = (*command, "--format", fmt, *(hostile[:2] if command == ("list",) else hostile + AS_OF))
    result = fupin(*args)
    assert result.code in (0, 1), result.err
    clean(result.out.removeprefix("\ufeff"))  # a CSV's own BOM, for Excel
    assert "报送" + SHOWN in result.out or "报送" + SHOWN in result.out.replace('""', '"')


def test_no_escape_in_the_journal_view_calendar_and_office_files(fupin, hostile, tmp_path):
    for fmt in ("table", "csv"):
        out = fupin("journal", "--format", fmt, *hostile).out.removeprefix("\ufeff")
        clean(out)
        assert "备注" + SHOWN in out and "张三" + SHOWN in out
    ics = fupin("calendar", "--month", "2018-07", "--format", "ics", *hostile[:2], *AS_OF).out
    clean(ics.replace("\r\n ", ""))
    assert "报送" + SHOWN in ics.replace("\r\n ", "")
    book = tmp_path / "周报.xlsx"
    assert fupin("report", "weekly", *hostile, *AS_OF, "--output", str(book)).code in (0, 1)
    values = [str(c.value) for ws in load_workbook(book).worksheets for row in ws.iter_rows() for c in row if c.value]
    clean("\n".join(values))
    assert any("报送" + SHOWN in v for v in values)
    word = tmp_path / "周报.docx"
    assert fupin("report", "weekly", *hostile, *AS_OF, "--output", str(word)).code in (0, 1)
    document = WordDocument(str(word))
    texts = [c.text for t in document.tables for row in t.rows for c in row.cells]
    clean("\n".join(texts))
    assert any("报送" + SHOWN in t for t in texts)


def test_json_keeps_the_data_exact(fupin, hostile):
    rows = fupin("due", "--format", "json", *hostile, *AS_OF).json()
    assert rows[0]["text"] == "报送" + ESC
    entries = fupin("journal", "--format", "json", *hostile).json()
    assert entries[0]["note"] == "备注" + ESC and entries[0]["by"] == "张三" + ESC


def test_messages_quote_input_safely(fupin, hostile, tmp_path):
    unknown = fupin("due", "--unit", "乙\x1b]0;pwn\x07局\u202e", *AS_OF)
    assert unknown.code == 2 and "乙局" in unknown.err
    clean(unknown.err)
    bad_date = fupin("due", "--as-of", "2018-07-\x1b[2J16")
    assert bad_date.code == 2
    clean(bad_date.err)
    bad_sort = fupin("due", "--sort", "\x1b[31mx", *AS_OF)
    assert bad_sort.code == 2 and "“x”" in bad_sort.err
    clean(bad_sort.err)
    written = fupin("due", *hostile, *AS_OF, "--output", str(tmp_path / "a\x1b[1mb.txt"))
    assert written.code == 0
    clean(written.err)


def test_check_shows_journal_problems_safely(fupin, hostile, tmp_path):
    journal = tmp_path / "journal.jsonl"
    journal.write_text(journal.read_text(encoding="utf-8") + '{"op":"done","task":"9\x1b]0;x\x07"}\n', encoding="utf-8")
    result = fupin("check", *hostile)
    clean(result.out + result.err)


def test_csv_cells_from_escaped_text_read_back(fupin, hostile):
    text = fupin("due", "--format", "csv", *hostile, *AS_OF).out
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert any(cell == "报送" + SHOWN for row in rows for cell in row)
