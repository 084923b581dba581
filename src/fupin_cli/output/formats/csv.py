"""CSV for Excel, WPS and LibreOffice: UTF-8 with a BOM; every cell reads back as written when the file
is opened by double-click.

Spreadsheets guess types when they open a CSV: ``10.10`` becomes the number 10.1,
``1/2`` a date (2 January), ``2018-07-16`` a date shown the locale's way, ``10a`` a
time in Excel, ``2018年7月`` a date in a Chinese Excel.  The technique: a cell that a
spreadsheet could take for a number, date, time, fraction, percentage or boolean is
written as a string formula, ``="10.10"`` — Excel, WPS and LibreOffice (whose CSV
import evaluates formulas by default) show the text inside and store it as text.
Counts (the ``int`` columns) stay plain numbers, as they should.

Formula neutralising stays: text that starts like a formula (= + - @, tab, CR) is
written the same way when it is short (``="=1+1"`` shows ``=1+1`` and runs nothing,
since it is one string constant); text longer than Excel's 255-character limit for a
string in a formula gets the leading apostrophe instead.
"""

from __future__ import annotations

import csv
import io
import re

from ..document import Column, Document, cell_text, neutralise_formula, percent

MAX_FORMULA_STRING = 255
GROUP_HEADERS = {"unit": "责任单位", "category": "工作板块"}
# What a spreadsheet would turn into something else: anything starting with a digit, sign, dot,
# currency or a bracketed number (numbers, dates, times, fractions, percentages, 10a/10p times,
# 2018年7月, (1) …),
# booleans, and English month or weekday words that Excel reads as dates.
_GUESSED = re.compile(
    r"[\d+\-.,$¥€£]|[(（]\s*\d|true$|false$|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)\w*[\s\-/.]*\d",
    re.I)


def guarded(text: str) -> str:
    """``text`` as a CSV cell that reads back as written (see the module's note)."""
    if not text:
        return text
    risky = text[:1] in ("=", "+", "-", "@", "\t", "\r") or _GUESSED.match(text) is not None
    if not risky:
        return text
    if len(text) <= MAX_FORMULA_STRING and "\n" not in text and "\r" not in text:
        return '="' + text.replace('"', '""') + '"'
    return neutralise_formula(text)


def _cell(value, kind: str) -> str:
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a count: let it be a number
    if kind == "rate":
        return guarded(percent(value)) if value is not None else ""
    return guarded(cell_text(value, kind))


def render_document(document: Document) -> str:
    """All tables of the document, one after another; the first row of each is its header.

    Documents with several tables (the weekly report) get a 表 column naming the table.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    tables = document.all_tables()
    several = len(tables) > 1
    for index, table in enumerate(tables):
        columns = list(table.columns)
        if table.group_by and table.group_by not in {c.key for c in columns}:  # the group is a column here
            columns.insert(0, Column(table.group_by, GROUP_HEADERS.get(table.group_by, table.group_by)))
        if several:
            writer.writerow(["表", *(c.header for c in columns)])
        elif index == 0:
            writer.writerow([c.header for c in columns])
        rows = table.rows + ([table.total] if table.total else [])
        for row in rows:
            cells = [_cell(row.get(c.key), c.kind) for c in columns]
            writer.writerow([guarded(table.title), *cells] if several else cells)
    return "\ufeff" + buffer.getvalue()


def render(view, target=None) -> str:
    return render_document(view.spreadsheet())
