"""The values a table source is read into: cells with locations, and task records.

A reader turns a file into a ``RawTable`` (grids of ``Cell``, each knowing where
it stands and whether a merged cell carried its value there); ``parse`` turns
that into a ``SourceTable``: the list's metadata and its ``SourceTask`` records.
Everything here is a frozen value; nothing reads files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


def column_letter(number: int) -> str:
    """1 → A, 27 → AA (spreadsheet column names)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Location:
    """Where a cell, row or paragraph stands in its file.

    ``str()`` gives the form a clerk can look up: ``清单.xlsx:Sheet1!B7`` for a
    spreadsheet cell, ``清单.docx:表1 第7行`` for a Word table row,
    ``清单.txt:第7行`` for a line of a text table, ``清单.docx:正文第3段`` for a
    paragraph outside the tables.
    """

    file: str
    row: int | None = None          # 1-based: sheet row, table row, line, or paragraph
    column: int | None = None       # 1-based grid column
    sheet: str | None = None        # spreadsheet: the sheet's name
    table: int | None = None        # Word: the table's number, 1-based
    paragraph: bool = False         # Word: a body paragraph rather than a table row

    def __str__(self) -> str:
        if self.sheet is not None:
            if self.row is None:
                return f"{self.file}:{self.sheet}"
            if self.column is None:
                return f"{self.file}:{self.sheet} 第{self.row}行"
            return f"{self.file}:{self.sheet}!{column_letter(self.column)}{self.row}"
        if self.table is not None:
            return f"{self.file}:表{self.table}" if self.row is None else f"{self.file}:表{self.table} 第{self.row}行"
        if self.paragraph:
            return f"{self.file}:正文第{self.row}段"
        return self.file if self.row is None else f"{self.file}:第{self.row}行"

    def row_only(self) -> "Location":
        """The same place without the column (a whole row)."""
        return Location(self.file, self.row, None, self.sheet, self.table, self.paragraph)

    def grid_only(self) -> "Location":
        """The sheet or table this place is in (no row)."""
        return Location(self.file, None, None, self.sheet, self.table, False)


class Merge(Enum):
    """Whether a cell holds its own value or one a merged cell spreads over it."""

    OWN = "own"
    FROM_ABOVE = "above"   # covered by a vertical merge: a 序号/责任单位 spanning rows
    FROM_LEFT = "left"     # covered by a horizontal merge: a title or section row across columns


@dataclass(frozen=True)
class Cell:
    """One grid position.  ``paragraphs`` are the cell's paragraphs (Word
    paragraphs, spreadsheet line breaks, ``<p>`` marks), already trimmed and
    without empty ones; a covered cell repeats the merged cell's paragraphs."""

    paragraphs: tuple[str, ...]
    location: Location
    merge: Merge = Merge.OWN

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def is_continuation(self) -> bool:
        return self.merge is not Merge.OWN

    @property
    def is_empty(self) -> bool:
        return not self.paragraphs


@dataclass(frozen=True)
class Line:
    """A paragraph of a document outside any table (a Word title, a 注： below the table)."""

    text: str
    location: Location


@dataclass(frozen=True)
class Grid:
    """One sheet or one Word table: rows of cells, all rows the same width."""

    name: str | None                      # sheet name, "表1", or None for a text file
    rows: tuple[tuple[Cell, ...], ...]
    location: Location                    # the sheet or table as a whole
    before: tuple[Line, ...] = ()         # Word: body paragraphs between the previous table and this one
    truncated: bool = False               # the reader stopped early (far more rows than any list has)


@dataclass(frozen=True)
class RawTable:
    """What a reader returns: the file's grids in document order.

    ``grids_continue``: a Word table split at page breaks arrives as several
    tables, so later grids of the same width continue the first one; sheets of
    a workbook never continue each other.
    """

    file: str
    grids: tuple[Grid, ...]
    grids_continue: bool = False
    after: tuple[Line, ...] = ()          # Word: body paragraphs after the last table


@dataclass(frozen=True)
class Column:
    """A recognised header column: which field it feeds and how it was labelled."""

    field: str            # seq / text / units / deadline / remark / leader
    label: str            # the header words as printed, e.g. 牵头单位
    location: Location
    lead: bool = False    # a units column that names the lead (牵头单位/牵头部门)


@dataclass(frozen=True)
class SourceTask:
    """One task of an imported table, before its unit names are resolved.

    ``id`` follows the rules of ``tasks.yaml`` (see ``fupin_cli.plan_io.tables.tasks``);
    ``seq`` is the printed 序号 of the row ("" for a row without one);
    ``unit_names`` are the names as written, split and expanded (市民政局、人社局 →
    市民政局, 市人社局) but not yet matched against units.yaml; ``lead_units`` the
    ones marked as lead (a 牵头单位 column or “（牵头）”).
    """

    id: str
    seq: str
    category: str
    text: str
    unit_names: tuple[str, ...]
    lead_units: tuple[str, ...]
    deadline: str
    remark: str
    location: Location
    units_text: str = ""                   # the 责任单位 words this record was made from
    leader: str = ""                       # 牵头领导, where the table has that column
    part: tuple[int, int] | None = None    # (n, of): paragraph n of a row split into several tasks
    from_heading: bool = False             # a category heading line: the text is the heading,
                                           # the units and deadline belong to an unnamed sub-item


@dataclass(frozen=True)
class Notice:
    """Something the reading noticed and did not act on (cell text outside any column …)."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True)
class SourceTable:
    """A task table as read: metadata, columns and task records."""

    file: str
    grid: str | None                       # sheet name or 表N the tasks were read from
    title: str
    doc_no: str                            # 文号, e.g. 汕扶〔2018〕9号; "" when none is printed
    issued: date | None                    # a date line above the table (2018年4月25日)
    preamble: tuple[str, ...]              # every line above the header, in order
    notes: tuple[str, ...]                 # 注：… rows after the table
    header: Location
    columns: tuple[Column, ...]
    ignored_columns: tuple[str, ...]
    tasks: tuple[SourceTask, ...]
    notices: tuple[Notice, ...] = field(default=())
