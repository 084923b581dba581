"""Text tables: .csv, .tsv, and the tab-separated .txt of a PDF extraction.

``.txt`` is read line by line, cells split at tabs, no quoting (the seed's form:
``<p>…</p>`` marks paragraphs, lines without a tab are the document's prose).
``.csv`` and ``.tsv`` are read with the csv module, so a quoted cell may hold
line breaks (its paragraphs).  A file that uses ``<p>`` marks anywhere is a PDF
extraction: in its cells without marks, spaces between Chinese characters are
lost line breaks (see ``cells.paragraphs_of``).  UTF-8 (with or without BOM) or
GB18030/GBK, as Excel and WPS save them on Chinese Windows.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .cells import paragraphs_of
from .errors import TableError
from .files import OLE2_MAGIC, ZIP_MAGIC, read_bytes
from .model import Cell, Grid, Location, RawTable

MAX_TEXT_ROWS = 5000   # non-empty rows read; far more than the 2,000 data rows a list may have


def read_text_table(path: Path, sheet: str | None = None) -> RawTable:
    """Reader for .txt, .csv and .tsv."""
    where = Location(path.name)
    if sheet is not None:
        raise TableError(f"文本表格没有工作表，不能选“{sheet}”（--sheet 只用于 .xlsx 和 .docx）", where)
    data = read_bytes(path)
    if data.startswith(ZIP_MAGIC):
        raise TableError("这其实是 Excel 或 Word 文件（压缩包格式），只是扩展名写成了 "
                         f"{path.suffix}；请把扩展名改为 .xlsx 或 .docx", where)
    if data.startswith(OLE2_MAGIC) or b"\x00" in data[:4096]:
        raise TableError("这是二进制文件，不是文本表格", where)
    text = _decode(data, where)
    if not text.strip():
        raise TableError("文件是空的", where)
    extracted = "<p>" in text
    suffix = path.suffix.lower()
    if suffix == ".txt":
        lines = text.split("\n")
        records = ((number, line.rstrip("\r").split("\t")) for number, line in enumerate(lines, 1))
    else:
        records = _csv_records(text, "," if suffix == ".csv" else "\t")
    rows: list[tuple[int, list[Cell]]] = []
    truncated = False
    kept = 0
    try:
        for number, values in records:
            cells = [Cell(paragraphs_of(value, extracted=extracted), Location(path.name, number, column))
                     for column, value in enumerate(values, 1)]
            if any(not cell.is_empty for cell in cells):
                kept += 1
                if kept > MAX_TEXT_ROWS:
                    truncated = True
                    break
            rows.append((number, cells))
    except csv.Error as exc:
        raise TableError(f"CSV 格式错误：{exc}", where) from None
    width = max((len(cells) for _, cells in rows), default=0)
    grid_rows = tuple(tuple(cells + [Cell((), Location(path.name, number, column))
                                     for column in range(len(cells) + 1, width + 1)])
                      for number, cells in rows)
    return RawTable(path.name, (Grid(None, grid_rows, where, truncated=truncated),))


def _decode(data: bytes, where: Location) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a BOM, as Notepad and Excel write it; it carries no meaning
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    raise TableError("文件既不是 UTF-8 也不是 GBK 编码的文本，读不出来", where)


def _csv_records(text: str, delimiter: str):
    """(first line number, cells) of each CSV record; a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    line = 0
    for values in reader:
        yield line + 1, values
        line = reader.line_num
