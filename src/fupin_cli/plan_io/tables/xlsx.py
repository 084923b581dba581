"""Excel workbooks (.xlsx), through openpyxl (imported only when one is read).

Merged cells are expanded: every cell a merged range covers repeats the range's
value and says so (below the first row: FROM_ABOVE; along the first row:
FROM_LEFT).  A cell's line breaks are its paragraphs.  Numbers print as
written (1, not 1.0); a date cell reads 2018年6月30日.  Formulas give their
last computed value.  Hidden sheets are skipped unless named.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime, time
from pathlib import Path

from .cells import paragraphs_of
from .errors import TableError
from .files import open_package
from .model import Cell, Grid, Location, Merge, RawTable

MAX_SHEET_ROWS = 5000   # non-empty rows read per sheet; far more than the 2,000 data rows a list may have


def read_xlsx(path: Path, sheet: str | None = None) -> RawTable:
    data = open_package(path, "xlsx")
    import openpyxl  # heavy: only when a workbook is read
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported" and the like: nothing for a clerk
            book = openpyxl.load_workbook(data, data_only=True)
    except (InvalidFileException, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise TableError(f"文件已损坏，无法作为 Excel 工作簿打开（{type(exc).__name__}）；请用 WPS/Excel 重新另存为 .xlsx",
                         Location(path.name)) from None
    sheets = book.worksheets
    if sheet is not None:
        chosen = [ws for ws in sheets if ws.title == sheet or ws.title.strip() == sheet.strip()]
        if not chosen:
            names = "、".join(f"“{ws.title}”" for ws in sheets)
            raise TableError(f"工作簿里没有名为“{sheet}”的工作表；有：{names}", Location(path.name))
        sheets = chosen
    else:
        sheets = [ws for ws in sheets if ws.sheet_state == "visible"]
    return RawTable(path.name, tuple(_grid(ws, path.name) for ws in sheets))


def _grid(ws, file: str) -> Grid:
    covered: dict[tuple[int, int], tuple[Merge, tuple[int, int]]] = {}
    origins = set()
    for merged in ws.merged_cells.ranges:
        origin = (merged.min_row, merged.min_col)
        origins.add(origin)
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if (row, column) != origin:
                    covered[(row, column)] = (Merge.FROM_ABOVE if row > merged.min_row else Merge.FROM_LEFT, origin)
    width = ws.max_column
    rows: list[tuple[Cell, ...]] = []
    own: dict[tuple[int, int], tuple[str, ...]] = {}
    kept = 0
    truncated = False
    for row_number, values in enumerate(ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=width,
                                                     values_only=True), 1):
        cells = []
        for column, value in enumerate(values, 1):
            where = Location(file, row_number, column, sheet=ws.title)
            merge, origin = covered.get((row_number, column), (Merge.OWN, None))
            if origin is not None:
                cells.append(Cell(own.get(origin, ()), where, merge))
                continue
            paragraphs = paragraphs_of(_text(value))
            if (row_number, column) in origins:
                own[(row_number, column)] = paragraphs
            cells.append(Cell(paragraphs, where))
        if any(not cell.is_empty and not cell.is_continuation for cell in cells):
            kept += 1
            if kept > MAX_SHEET_ROWS:
                truncated = True
                break
        rows.append(tuple(cells))
    while rows and all(cell.is_empty or cell.is_continuation for cell in rows[-1]):
        rows.pop()
    return Grid(ws.title, tuple(rows), Location(file, sheet=ws.title), truncated=truncated)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value
        if isinstance(value, datetime):
            return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)
