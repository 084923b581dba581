"""Reading official task tables: Word, Excel, CSV/TSV and the seed's text form.

    from fupin_cli.plan_io.tables import read_tasks
    table = read_tasks(Path("2019年任务清单.xlsx"))          # -> SourceTable
    for task in table.tasks: task.id, task.text, task.unit_names, task.location

Two stages, each usable alone:

- ``READERS[suffix](path, sheet=None) -> RawTable``: a reader per file type
  (``.docx``, ``.xlsx``, ``.csv``, ``.tsv``, ``.txt``), looked up by suffix with
  ``reader_for(path)``, which refuses legacy and unknown types with a message
  saying what to do.  A RawTable holds the file's grids (sheets, Word tables),
  every cell with its ``Location`` (``清单.xlsx:Sheet1!B7``, ``清单.docx:表1 第7行``,
  ``清单.txt:第7行``), merged cells expanded and marked as continuations, and
  each cell's paragraphs.  openpyxl and python-docx are imported only here.
- ``parse(raw) -> SourceTable``: header found by its words, page-break headers
  skipped, title/文号/notes kept, sections and heading lines turned into
  categories, rows split into ``SourceTask`` records with ids by the rules of
  tasks.yaml (``tasks.py`` documents them), unit cells split into names
  (``units.py``).  Unit names are not resolved against units.yaml here.

Every refusal is a ``TableError`` (a ``PlanError``, exit code 2) naming file,
sheet or table, and row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .errors import TableError
from .model import Cell, Column, Grid, Line, Location, Merge, Notice, RawTable, SourceTable, SourceTask

Reader = Callable[..., RawTable]


def _read_docx(path: Path, sheet: str | None = None) -> RawTable:
    from .docx import read_docx
    return read_docx(path, sheet)


def _read_xlsx(path: Path, sheet: str | None = None) -> RawTable:
    from .xlsx import read_xlsx
    return read_xlsx(path, sheet)


def _read_text(path: Path, sheet: str | None = None) -> RawTable:
    from .text import read_text_table
    return read_text_table(path, sheet)


READERS: dict[str, Reader] = {
    ".docx": _read_docx,
    ".xlsx": _read_xlsx,
    ".csv": _read_text,
    ".tsv": _read_text,
    ".txt": _read_text,
}

# Formats a clerk meets that cannot be read as they are: what to save them as instead.
LEGACY = {
    ".xls": ("旧版 Excel 文件", "WPS/Excel", ".xlsx"),
    ".xlt": ("旧版 Excel 模板", "WPS/Excel", ".xlsx"),
    ".et": ("WPS 表格文件", "WPS/Excel", ".xlsx"),
    ".ett": ("WPS 表格模板", "WPS/Excel", ".xlsx"),
    ".doc": ("旧版 Word 文件", "WPS/Word", ".docx"),
    ".dot": ("旧版 Word 模板", "WPS/Word", ".docx"),
    ".wps": ("WPS 文字文件", "WPS/Word", ".docx"),
    ".wpt": ("WPS 文字模板", "WPS/Word", ".docx"),
    ".pdf": ("PDF 文件", "WPS/Word", ".docx"),
}


def reader_for(path: Path) -> Reader:
    """The reader for ``path``'s suffix; a TableError for a type that cannot be read."""
    suffix = path.suffix.lower()
    if suffix in READERS:
        return READERS[suffix]
    if suffix in LEGACY:
        what, tool, target = LEGACY[suffix]
        raise TableError(f"{what}（{suffix}）不能直接导入；请用 {tool} 另存为 {target} 后再导入", Location(path.name))
    known = "、".join(READERS)
    shown = f"“{suffix}”" if suffix else "（没有扩展名）"
    raise TableError(f"不认识的文件类型{shown}；能导入的是 {known}", Location(path.name))


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    return reader_for(path)(path, sheet)


def parse(raw: RawTable) -> SourceTable:
    from .layout import lay_out, metadata
    from .tasks import build_tasks
    layout = lay_out(raw)
    tasks = build_tasks(layout)
    title, doc_no, issued = metadata(layout.preamble)
    return SourceTable(
        file=raw.file, grid=layout.grid.name, title=title, doc_no=doc_no, issued=issued,
        preamble=tuple(layout.preamble), notes=tuple(layout.notes), header=layout.header_location,
        columns=tuple(layout.header.columns.values()), ignored_columns=layout.header.ignored,
        tasks=tuple(tasks), notices=tuple(layout.notices))


def read_tasks(path: Path, sheet: str | None = None) -> SourceTable:
    """Read ``path`` and return its tasks; a TableError for anything that is not a task table."""
    return parse(read_table(path, sheet))


__all__ = ["READERS", "LEGACY", "Cell", "Column", "Grid", "Line", "Location", "Merge", "Notice", "RawTable",
           "SourceTable", "SourceTask", "TableError", "parse", "read_table", "read_tasks", "reader_for"]
