"""The official table as an Excel workbook (openpyxl, imported only here, only when one is written).

One sheet 任务清单: the title merged across the top, the 文号 and the issue date
under it, the header row (bold, frozen, repeated on every printed page), section
rows merged across, 序号 cells merged down over an item's rows, text wrapped,
A4 landscape fitted to the page width.  Every cell is text as written: a task
that starts with ``=`` stays words, never a formula.
"""

from __future__ import annotations

import io

from .exporter import OfficialTable, SectionRow, TaskRow, preamble_lines

WIDTHS = (7, 60, 34, 34, 16)
LINE_HEIGHT = 15            # points per line of 11-point text; Excel and WPS do not grow rows of merged sheets
SHEET = "任务清单"


def write_xlsx(table: OfficialTable) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    columns = len(table.header)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")

    def put(row: int, column: int, value):
        cell = sheet.cell(row, column)
        if isinstance(value, str):
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.data_type = "s"            # words stay words: "=…" is not a formula
        else:
            cell.value = value
        return cell

    def across(row: int, text: str, alignment: Alignment, font: Font | None = None, framed: bool = False):
        cell = put(row, 1, text)
        cell.alignment = alignment
        if font is not None:
            cell.font = font
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        if framed:
            for column in range(1, columns + 1):
                sheet.cell(row, column).border = border

    row = 0
    for index, line in enumerate(preamble_lines(table)):
        row += 1
        if index == 0:
            across(row, line, Alignment(horizontal="center", vertical="center", wrap_text=True), Font(size=16, bold=True))
            sheet.row_dimensions[row].height = 30
        elif line == table.doc_no:
            across(row, line, Alignment(horizontal="center"))
        else:
            across(row, line, Alignment(horizontal="right"))
    row += 1
    header_row = row
    for column, word in enumerate(table.header, 1):
        cell = put(row, column, word)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for entry in table.rows:
        row += 1
        if isinstance(entry, SectionRow):
            across(row, entry.text, Alignment(vertical="center"), Font(bold=True), framed=True)
            continue
        values = (_seq_value(entry) if entry.seq_span else None, entry.text, entry.units, entry.deadline, entry.remark)
        for column, value in enumerate(values, 1):
            cell = put(row, column, value) if value not in (None, "") else sheet.cell(row, column)
            cell.border = border
            cell.alignment = Alignment(horizontal="center", vertical="center") if column == 1 else wrap_top
        sheet.row_dimensions[row].height = LINE_HEIGHT * max(
            _lines(value, WIDTHS[column - 1]) for column, value in enumerate(values[1:], 2) if column <= len(WIDTHS))
        if entry.seq_span > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row + entry.seq_span - 1, end_column=1)
    for column, width in enumerate(WIDTHS[:columns], 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _lines(value, width: int) -> int:
    """Lines a wrapped cell of ``width`` characters needs (Chinese characters count two)."""
    from ..domain.text import display_width

    if not value:
        return 1
    return sum(max(1, -(-display_width(paragraph) // max(width - 2, 1))) for paragraph in str(value).split("\n"))


def _seq_value(entry: TaskRow):
    """A 序号 of digits as a number, as offices type it; anything else as words."""
    return int(entry.seq) if entry.seq.isdigit() and len(entry.seq) < 10 else entry.seq or None
