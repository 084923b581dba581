"""Excel workbook (xlsx) of a document: one sheet per table, a 说明 sheet at the end.

Every list sheet has its header in row 1 (bold, frozen, with a filter) and data
from row 2.  Dates are real Excel dates, counts are numbers, the status is in
words with a fill colour, the completion rate is a percentage with a data bar.
Text is neutralised so no cell from the plan or journal can become a formula.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

from ..document import STATUS_WORDS, Document, Table, cell_text, neutralise_formula

# Per status: (fill, font colour) — Excel's own "good / neutral / bad" palette and kin.
STATUS_FILLS = {
    "overdue": ("FFC7CE", "9C0006"),
    "due_soon": ("FFEB9C", "9C5700"),
    "upcoming": ("C6EFCE", "006100"),
    "ongoing": ("DDF3F7", "0B6477"),
    "done": ("DDEBF7", "1F4E9C"),
    "done_late": ("F2DCEF", "8A2A7D"),
}
# A grouped table whose group key is not one of its columns gets it as a first column.
GROUP_HEADERS = {"unit": "责任单位", "category": "工作板块"}

MAX_WIDTH = 60
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def text_width(text: str) -> int:
    """Display width: East Asian wide and fullwidth characters count two (combining ones one, as Excel does)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def sheet_title(title: str, taken: set[str], fallback: str = "清单") -> str:
    """A valid, unique sheet name: invalid characters removed, at most 31 characters."""
    name = _INVALID_SHEET_CHARS.sub("", title).strip().strip("'").strip() or fallback
    name = name[:31]
    candidate, n = name, 2
    while candidate.casefold() in {t.casefold() for t in taken}:
        suffix = f"({n})"
        candidate = name[:31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def _columns(table: Table) -> list[tuple[str, str, str]]:
    """(key, header, kind) of the sheet: the table's columns, plus the group key when hidden."""
    cols = [(c.key, c.header, c.kind) for c in table.columns]
    if table.group_by and table.group_by not in {c.key for c in table.columns}:
        cols.insert(0, (table.group_by, GROUP_HEADERS.get(table.group_by, table.group_by), "text"))
    return cols


def _write_sheet(ws, table: Table) -> None:
    from openpyxl.formatting.rule import DataBarRule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    columns = _columns(table)
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="E7E6E6")
    fills = {k: (PatternFill("solid", fgColor=bg), Font(color=fg, bold=True)) for k, (bg, fg) in STATUS_FILLS.items()}
    widths = [text_width(header) for _, header, _ in columns]

    for index, (_, header, _) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    for r, row in enumerate(table.rows, start=2):
        for index, (key, _, kind) in enumerate(columns, start=1):
            value = row.get(key)
            cell = ws.cell(row=r, column=index)
            cell.border = border
            cell.alignment = Alignment(vertical="top")
            if value is None:
                shown = "—" if kind == "rate" else ""
                if shown:
                    cell.value = shown
                    cell.alignment = Alignment(horizontal="right", vertical="top")
                continue
            if kind == "date" and isinstance(value, date):
                cell.value = value  # a real Excel date, not text
                cell.number_format = "yyyy-mm-dd"
                shown = value.isoformat()[:10]
            elif kind == "int" and isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = value
                cell.number_format = "0"
                shown = str(value)
            elif kind == "rate" and isinstance(value, (int, float)):
                cell.value = float(value)
                cell.number_format = "0%"
                shown = f"{float(value):.0%}"
            elif kind == "status":
                shown = STATUS_WORDS.get(value, str(value))
                cell.value = neutralise_formula(shown)
                cell.data_type = "s"
                if value in fills:
                    cell.fill, cell.font = fills[value]
            else:
                shown = neutralise_formula(cell_text(value, kind))
                cell.value = shown
                cell.data_type = "s"  # never a formula, whatever the text starts with
            widths[index - 1] = max(widths[index - 1], max((text_width(p) for p in shown.split("\n")), default=0))

    for index, (_, _, kind) in enumerate(columns, start=1):
        width = min(widths[index - 1] + 2, MAX_WIDTH)
        if kind == "rate":
            width = max(width, 14)  # room for the bar
        ws.column_dimensions[get_column_letter(index)].width = width
        if widths[index - 1] + 2 > MAX_WIDTH:
            for r in range(2, len(table.rows) + 2):
                ws.cell(row=r, column=index).alignment = Alignment(vertical="top", wrap_text=True)

    last_row = len(table.rows) + 1
    last_col = get_column_letter(max(len(columns), 1))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last_col}{last_row}"
    for index, (_, _, kind) in enumerate(columns, start=1):
        if kind == "rate" and table.rows:
            letter = get_column_letter(index)
            ws.conditional_formatting.add(
                f"{letter}2:{letter}{last_row}",
                DataBarRule(start_type="num", start_value=0, end_type="num", end_value=1,
                            color="5B9BD5", showValue=True))

    # Printing: A4 landscape, one page wide, header row on every page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _write_notes(ws, document: Document, sheets: list[tuple[str, Table]]) -> None:
    from openpyxl.styles import Font

    ws.append([neutralise_formula(document.title)])
    ws["A1"].font = Font(bold=True, size=14)
    for line in document.lines:
        ws.append([neutralise_formula(line)])
    ws.append([])
    ws.append(["工作表", "内容", "行数"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for name, table in sheets:
        ws.append([name, neutralise_formula(table.title or document.title), len(table.rows)])
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    ws.column_dimensions["A"].width = min(max(text_width(name) for name, _ in sheets) + 2, MAX_WIDTH) if sheets else 20
    ws.column_dimensions["B"].width = 40


def render_document(document: Document) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken = {"说明"}
    sheets = []
    for table in document.tables:
        name = sheet_title(table.title, taken, fallback=document.title or "清单")
        _write_sheet(workbook.create_sheet(name), table)
        sheets.append((name, table))
    _write_notes(workbook.create_sheet("说明"), document, sheets)
    workbook.active = 0
    workbook.properties.title = document.title
    workbook.properties.subject = "\n".join(document.lines) or None
    workbook.properties.creator = "fupin"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(view, target=None) -> bytes:
    return render_document(view.document())
