"""render.csv: every cell reads back as written when a spreadsheet opens the file (checked with LibreOffice)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from fupin_cli.output.document import Column, Document, Table
from fupin_cli.output.formats import csv as csv_format
from fupin_cli.output.formats.csv import guarded

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc; .ci/run does)")

# What a spreadsheet would read as something else if written plainly, and plain text that it reads as is.
GUESSED = ["10.10", "1.10", "1/2", "0/1", "2018-07", "2018-07-16", "2018-Q3", "2018-W29", "10a", "10a.1", "00123",
           "1e5", "12:30", "50%", "-3", "+1", "(1)", "（1）", "2018年7月", "2018年7月（每月25日前录入）", "TRUE", "false",
           "Jan-18", "$5", ".5"]
PLAIN = ["R.1", "市民政局", "红灯·逾期", "各区（县）全部7个、各镇（共8个单位）", "按时准确完成贫困村贫困户建档立卡工作。", "A股",
         "report", ""]
FORMULAS = ["=1+1", '=HYPERLINK("http://evil","点我")', "@SUM(A1)", "+1+1 评残", "-2+3", "\t=1", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", GUESSED)
def test_what_a_spreadsheet_would_change_is_a_string_constant(text):
    assert guarded(text) == '="' + text.replace('"', '""') + '"'


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_stays_plain(text):
    assert guarded(text) == text


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_is_one_string_constant(text):
    assert guarded(text) == '="' + text.replace('"', '""') + '"'


def test_long_formula_like_text_gets_the_apostrophe():
    long = "=" + "长" * 300  # over Excel's 255-character limit for a string in a formula
    assert guarded(long) == "'" + long
    assert guarded("=第一行\n第二行") == "'=第一行\n第二行"


def test_counts_stay_numbers_and_the_group_is_a_column():
    columns = [Column("task", "编号"), Column("due", "应完成日", "date"), Column("days", "逾期天数", "int"),
               Column("rate", "完成率", "rate"), Column("progress", "完成次数")]
    rows = [{"unit": "市民政局", "task": "10.10", "due": date(2018, 7, 2), "days": 14, "rate": 0.25, "progress": "1/2"}]
    text = csv_format.render_document(Document("t", [], [Table("", columns, rows, group_by="unit")]))
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        ["责任单位", "编号", "应完成日", "逾期天数", "完成率", "完成次数"],
        ["市民政局", '="10.10"', '="2018-07-02"', "14", '="25%"', '="1/2"']]


def _libreoffice_round_trip(tmp_path: Path, source: Path, options: str) -> list[list[str]]:
    """``source`` opened by LibreOffice Calc as a double-click would (comma-separated, UTF-8, its default
    type detection; ``options`` may add Chinese locale and special-number detection) and saved as text
    exactly as the cells show."""
    out = tmp_path / "out"
    command = [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
               f"--infilter=CSV:{options}",
               "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", "--outdir", str(out),
               str(source)]
    result = subprocess.run(command, capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    text = (out / source.name).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@needs_libreoffice
@pytest.mark.parametrize("options", ["44,34,76,1", "44,34,76,1,,2052,false,true"],
                         ids=["defaults", "chinese-locale-special-numbers"])
def test_libreoffice_reads_every_cell_as_written(tmp_path, options):
    cells = GUESSED + PLAIN[:-1] + FORMULAS[:-2]
    columns = [Column(f"c{i}", f"列{i}") for i in range(len(cells))]
    document = Document("t", [], [Table("", columns, [{f"c{i}": text for i, text in enumerate(cells)}])])
    source = tmp_path / "cells.csv"
    source.write_text(csv_format.render_document(document), encoding="utf-8")
    header, row = _libreoffice_round_trip(tmp_path, source, options)
    assert header == [c.header for c in columns]
    assert dict(zip(cells, row)) == dict(zip(cells, cells))


@needs_libreoffice
def test_the_weekly_csv_reads_back_as_its_json(tmp_path, fupin):
    source = tmp_path / "weekly.csv"
    assert fupin("report", "weekly", "--as-of", "2018-07-16", "--output", str(source)).code == 0
    report = fupin("report", "weekly", "--as-of", "2018-07-16", "--format", "json").json()
    table = _libreoffice_round_trip(tmp_path, source, "44,34,76,1,,2052,false,true")
    overdue = [row for row in table if row[0] == "逾期未完成"]
    assert len(overdue) == len(report["overdue"])
    header = next(row for row in table if row[0] == "表" and "期间代码" in row)
    index = {name: header.index(name) for name in ("编号", "期间代码", "应完成日", "逾期天数")}
    assert [(r[index["编号"]], r[index["期间代码"]], r[index["应完成日"]], r[index["逾期天数"]]) for r in overdue] == [
        (r["task"], r["period"], r["due"], str(-r["days"])) for r in report["overdue"]]
    assert any(r[index["编号"]] == "10a.1" for r in overdue) and any(r[index["期间代码"]] == "2018-04#d28" for r in overdue)
