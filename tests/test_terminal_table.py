"""The terminal table drawn by fupin itself (no rich): the same boxes rich drew, colour by SGR codes,
NO_COLOR and dumb terminals honoured, widths in display cells."""

from __future__ import annotations

import io
import re

import pytest

from fupin_cli.domain.text import display_width
from fupin_cli.output.document import Column, Document, Table
from fupin_cli.output.formats import table as table_format
from fupin_cli.output.formats.text import starts_with_heading, terminal_cell
from fupin_cli.output.layout import pad, prepare

TEXT = "按时准确完成贫困村贫困户建档立卡工作，及时审核、上报录入扶贫信息管理系统相关信息，同时填入帮扶记录簿。"
SGR = re.compile(r"\x1b\[[0-9;]*m")
COLUMNS = [Column("status", "状态", "status"), Column("task", "编号", "text"), Column("text", "工作任务", "prose"),
           Column("period", "期间", "period"), Column("due", "应完成日", "date"), Column("days", "逾期天数", "int")]


def _document() -> Document:
    rows = [{"status": status, "task": f"2.{n}", "text": TEXT[: 10 + 7 * n], "period": "2018-04#d25",
             "due": "2018-04-25", "days": 80 - n} for n, status in enumerate(("overdue", "due_soon", "upcoming"), 1)]
    return Document("督办周报（市民政局）", ["截至 2018-07-16"], [Table("逾期未完成", COLUMNS, rows, count="（3 项）")])


def _by_rich(document: Document, width: int) -> str:
    """How fupin drew a terminal table with rich until it drew them itself (the reference)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(file=io.StringIO(), width=width, force_terminal=True, no_color=True, color_system=None,
                      highlight=False, soft_wrap=False)
    body = document.body()
    if not starts_with_heading(body):
        console.print(Text(document.title))
        for line in document.lines:
            console.print(Text(line))
    for number, block in enumerate(body):
        if number or not starts_with_heading(body):
            console.print()
        prepared = prepare(block, width, cell=terminal_cell)
        console.print(Text(prepared.heading))
        layout = prepared.layout
        out = RichTable(box=box.ROUNDED, show_lines=layout.multiline, expand=False, show_edge=True, pad_edge=True)
        for column, w, header in zip(layout.columns, layout.widths, layout.header):
            out.add_column("\n".join(header), width=w, min_width=w, max_width=w, no_wrap=True, overflow="ignore")
        for row in layout.rows:
            out.add_row(*(Text("\n".join(pad(line, w, column.numeric) for line in lines))
                          for column, w, lines in zip(layout.columns, layout.widths, row)))
        console.print(out)
        for line in prepared.note.split("\n") if prepared.note else ():
            console.print(Text(line))
    return console.file.getvalue()


@pytest.mark.parametrize("width", [80, 100, 120, 200])
def test_without_colour_the_table_is_what_rich_drew(width):
    assert table_format.draw(_document(), width, colour=False) == _by_rich(_document(), width)


def test_colour_marks_status_and_header_and_nothing_else_changes():
    plain = table_format.draw(_document(), 80, colour=False)
    coloured = table_format.draw(_document(), 80, colour=True)
    assert SGR.sub("", coloured) == plain
    assert "\x1b[1;31m红灯·逾期" in coloured and "\x1b[1;33m黄灯·临近" in coloured
    assert "\x1b[1m 状态" in coloured  # the header bold
    assert coloured.splitlines()[0] == "\x1b[1m督办周报（市民政局）\x1b[0m"
    # every line fits 80 cells; no date, period or id is broken
    for line in plain.splitlines():
        assert display_width(line) <= 80
    assert plain.count("2018-04-25") == 3 and plain.count("2018-04#d25") == 3
    assert all(f"2.{n}" in plain for n in (1, 2, 3))


@pytest.mark.parametrize("environ, wanted", [
    ({}, True), ({"TERM": "xterm-256color"}, True), ({"NO_COLOR": "1"}, False), ({"NO_COLOR": ""}, True),
    ({"TERM": "dumb"}, False), ({"TERM": "unknown"}, False),
])
def test_colour_follows_no_color_and_the_terminal_kind(environ, wanted):
    assert table_format.colour_wanted(environ) is wanted


def test_a_heading_wider_than_the_terminal_is_folded():
    document = Document("标题" * 30, [], [Table("逾期未完成", COLUMNS, [], empty="无")])
    out = table_format.draw(document, 40, colour=False)
    assert all(display_width(line) <= 40 for line in out.splitlines())
    assert out.replace("\n", "").startswith("标题" * 30)


def test_a_real_terminal_run_is_coloured_unless_no_color(fupin, monkeypatch):
    """Through the CLI on a (pretend) terminal: coloured by default, plain with NO_COLOR."""
    import sys

    class Tty(io.StringIO):
        def isatty(self):
            return True

    for no_color, expect in (("", True), ("1", False)):
        monkeypatch.setenv("NO_COLOR", no_color)
        monkeypatch.setenv("COLUMNS", "80")
        monkeypatch.delenv("TERM", raising=False)
        stdout = Tty()
        monkeypatch.setattr(sys, "stdout", stdout)
        from fupin_cli.cli import output

        from fupin_cli.output.formats import View

        output.show(View(document=_document), "table")
        text = stdout.getvalue()
        assert ("\x1b[1;31m红灯·逾期" in text) is expect
        assert SGR.sub("", text) == table_format.draw(_document(), 80, colour=False)
