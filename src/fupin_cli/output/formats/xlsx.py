"""Excel workbook (xlsx): one sheet per table of the spreadsheet document, a 说明 sheet at the end.

Sheet names are the tables' stable names (逾期未完成), never their counts, so links and
macros survive from week to week; the count is in each sheet's title row.  Row 1 is
that title, row 2 the header (bold, frozen, with a filter), data from row 3.  Dates
are real Excel dates, counts numbers, rates percentages with a data bar, changes
numbers shown ▲/▼; a status is in words with a fill colour.  Long text wraps and each
row is as tall as its wrapped text.  Every sheet prints on A4 (landscape when wide),
one page wide, title and header repeated, with the report's title, the week and
“第 x 页 共 y 页” in the page header and footer.  A list with no rows gets no sheet
(the 说明 sheet says so).  Text is neutralised so no cell can become a formula.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

from ..document import STATUS_WORDS, Chart, Document, Table, cell_text, neutralise_formula

# Per status: (fill, font colour) — Excel's own "good / neutral / bad" palette and kin.
STATUS_FILLS = {
    "overdue": ("FFC7CE", "9C0006"),
    "due_soon": ("FFEB9C", "9C5700"),
    "upcoming": ("C6EFCE", "006100"),
    "ongoing": ("DDF3F7", "0B6477"),
    "done": ("DDEBF7", "1F4E9C"),
    "done_late": ("F2DCEF", "8A2A7D"),
    "extended": ("E4DCF2", "5B3F8F"),
    "feedback_overdue": ("F8DCC8", "A4461C"),
    "waived": ("EDEDED", "595959"),
}
# A grouped table whose group key is not one of its columns gets it as a first column.
GROUP_HEADERS = {"unit": "责任单位", "category": "工作板块"}
WRAPPED_KINDS = {"prose": 48, "brief": 48, "units": 30, "period": 18}  # wrapped columns and their widths (characters)
MAX_WIDTH = 60
LINE_HEIGHT = 15.0  # points per line of the default 11 pt font
FIRST_DATA_ROW = 3
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


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapped cell ``width`` characters wide (Chinese characters count two)."""
    room = max(int(width) - 1, 1)
    return sum(max(1, -(-text_width(part) // room)) for part in text.split("\n"))


def _page_setup(ws, document: Document, landscape: bool, title_rows: str | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    running = (document.running or document.title).replace("&", "&&")
    ws.oddHeader.left.text = document.title.replace("&", "&&")
    ws.oddHeader.left.size = 8
    ws.oddHeader.right.text = running
    ws.oddHeader.right.size = 8
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.left.size = 8
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9


def _write_sheet(ws, document: Document, table: Table) -> None:
    from openpyxl.formatting.rule import DataBarRule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    columns = _columns(table)
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="E7E6E6")
    fills = {k: (PatternFill("solid", fgColor=bg), Font(color=fg, bold=True)) for k, (bg, fg) in STATUS_FILLS.items()}
    widths = [float(min(text_width(header), 12)) for _, header, _ in columns]

    title = ws.cell(row=1, column=1, value=neutralise_formula(f"{table.heading}　{document.title}"))
    title.data_type = "s"
    title.font = Font(bold=True, size=12)
    title.alignment = Alignment(vertical="center")
    ws.row_dimensions[1].height = 20
    for index, (_, header, _) in enumerate(columns, start=1):
        cell = ws.cell(row=2, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    rows = table.rows + ([table.total] if table.total else [])
    for r, row in enumerate(rows, start=FIRST_DATA_ROW):
        total = table.total is not None and r == FIRST_DATA_ROW + len(table.rows)
        for index, (key, _, kind) in enumerate(columns, start=1):
            value = row.get(key)
            cell = ws.cell(row=r, column=index)
            cell.border = border
            wrap = kind in WRAPPED_KINDS
            cell.alignment = Alignment(vertical="top", wrap_text=wrap)
            if total:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="F2F2F2")
            if value is None:
                if kind in ("rate", "change"):
                    cell.value = "—"
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
            elif kind == "change" and isinstance(value, (int, float)):
                cell.value = round(float(value) * 100)  # percentage points
                cell.number_format = '"▲"0;"▼"0;"持平"'
                shown = "▲000"
            elif kind == "status":
                shown = STATUS_WORDS.get(value, str(value))
                cell.value = neutralise_formula(shown)
                cell.data_type = "s"
                if value in fills and not total:
                    cell.fill, cell.font = fills[value]
            else:
                shown = neutralise_formula(cell_text(value, kind))
                cell.value = shown
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if not wrap:
                widths[index - 1] = max(widths[index - 1], max((text_width(p) for p in shown.split("\n")), default=0))

    for index, (_, _, kind) in enumerate(columns, start=1):
        if kind in WRAPPED_KINDS:
            longest = max([text_width(cell_text(row.get(columns[index - 1][0]), kind)) for row in rows] or [0])
            widths[index - 1] = max(widths[index - 1], min(longest, WRAPPED_KINDS[kind]))
        width = min(widths[index - 1] + 2, MAX_WIDTH)
        if kind == "rate":
            width = max(width, 11)  # room for the bar
        widths[index - 1] = width
        ws.column_dimensions[get_column_letter(index)].width = width

    # Each row as tall as its wrapped text; the header as tall as its longest header.
    header_lines = max(wrapped_lines(header, widths[i]) for i, (_, header, _) in enumerate(columns))
    ws.row_dimensions[2].height = LINE_HEIGHT * header_lines + 3
    for r, row in enumerate(rows, start=FIRST_DATA_ROW):
        lines = max([wrapped_lines(cell_text(row.get(key), kind), widths[i])
                     for i, (key, _, kind) in enumerate(columns) if kind in WRAPPED_KINDS] or [1])
        if lines > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * lines + 3

    last_row = FIRST_DATA_ROW + len(table.rows) - 1
    last_col = get_column_letter(max(len(columns), 1))
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A2:{last_col}{last_row}"
    for index, (_, _, kind) in enumerate(columns, start=1):
        if kind == "rate" and table.rows:
            letter = get_column_letter(index)
            ws.conditional_formatting.add(
                f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}",
                DataBarRule(start_type="num", start_value=0, end_type="num", end_value=1,
                            color="5B9BD5", showValue=True))
    if table.note:
        note = ws.cell(row=last_row + (3 if table.total else 2), column=1, value=neutralise_formula(table.note))
        note.data_type = "s"
        note.font = Font(italic=True, size=9)
    _page_setup(ws, document, landscape=len(columns) > 6, title_rows="1:2")


def _write_chart(ws, table: Table, title: str) -> None:
    """A line chart of the trend sheet's rate column, beside the data."""
    from openpyxl.chart import LineChart, Reference

    keys = [c.key for c in table.columns]
    if "rate" not in keys or len(table.rows) < 2:
        return
    rate_col = keys.index("rate") + 1
    chart = LineChart()
    chart.title = title
    chart.y_axis.title = "完成率"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.x_axis.title = "周末"
    chart.x_axis.number_format = "m/d"
    chart.height, chart.width = 8, 18
    data = Reference(ws, min_col=rate_col, min_row=2, max_row=FIRST_DATA_ROW + len(table.rows) - 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=FIRST_DATA_ROW, max_row=FIRST_DATA_ROW + len(table.rows) - 1))
    chart.legend = None
    ws.add_chart(chart, f"{chr(ord('A') + len(keys) + 1)}2")


def _write_notes(ws, document: Document, sheets: list[tuple[str | None, Table]]) -> None:
    from openpyxl.styles import Alignment, Font

    ws.append([neutralise_formula(document.title)])
    ws["A1"].font = Font(bold=True, size=14)
    for line in document.lines:
        ws.append([neutralise_formula(line)])
    ws.append([])
    ws.append(["工作表", "内容", "行数"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for name, table in sheets:
        ws.append([name or "（无，此表没有行）", neutralise_formula(table.heading or document.title), len(table.rows)])
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    named = [name for name, _ in sheets if name]
    ws.column_dimensions["A"].width = min(max([text_width(n) for n in named] + [18]) + 2, 30)
    ws.column_dimensions["B"].width = 50
    ws.column_dimensions["C"].width = 8
    for r in range(1, ws.max_row + 1):  # the title and lines wrap across column A only: give them room
        value = ws.cell(row=r, column=1).value
        if isinstance(value, str) and r <= 1 + len(document.lines):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
            lines = wrapped_lines(value, 30 + 50 + 8)
            ws.row_dimensions[r].height = LINE_HEIGHT * lines + (6 if r == 1 else 2)
    _page_setup(ws, document, landscape=False, title_rows=None)


def render_document(document: Document) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken = {"说明"}
    sheets: list[tuple[str | None, Table]] = []
    for block in document.body():
        if isinstance(block, Chart):
            continue  # the spreadsheet document carries the trend as a table, charted below
        if not isinstance(block, Table):
            continue
        if not block.rows:  # no header-only sheets: the 说明 sheet lists the empty table
            sheets.append((None, block))
            continue
        name = sheet_title(block.title, taken, fallback=document.title or "清单")
        ws = workbook.create_sheet(name)
        _write_sheet(ws, document, block)
        if block.title == "完成率走势":
            _write_chart(ws, block, f"{block.title}{block.count}")
        sheets.append((name, block))
    _write_notes(workbook.create_sheet("说明"), document, sheets)
    workbook.active = 0
    workbook.properties.title = document.title
    workbook.properties.subject = document.subject or None
    workbook.properties.description = "\n".join(document.lines) or None
    workbook.properties.keywords = "督办" + (f"；{document.subject}" if document.subject else "")
    workbook.properties.creator = "fupin"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(view, target=None) -> bytes:
    return render_document(view.spreadsheet())
