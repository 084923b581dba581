"""The header row: found by its words, wherever it is.

A row is the header when at least two of its cells are column names from the
table below (after dropping spaces and line breaks, ``完成\\n时限`` is 完成时限;
a bracketed addition such as ``责任单位（牵头单位列前）`` still counts).  The
first such row is the header; a second header row right under it whose cells
are all column names refines it (``责任单位`` over ``牵头单位 | 配合单位``).
工作任务, 责任单位 and 完成时限 (or a synonym of each) are required; 序号,
备注 and 牵头领导 are optional.  Every later row made of column names only is
the header repeated at a page break and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Cell, Column, Merge

# field → the words that name it.  A units column is lead (牵头), support (配合/协办) or plain.
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "text": ("工作任务", "任务", "重点任务", "工作内容", "主要任务", "任务内容"),
    "units": ("责任单位", "牵头单位", "配合单位", "责任部门", "牵头部门", "协办单位", "配合部门"),
    "deadline": ("完成时限", "时间要求", "完成时间", "时限要求", "完成时间节点"),
    "remark": ("备注",),
    "leader": ("牵头领导", "责任领导"),
}
LEAD_WORDS = ("牵头单位", "牵头部门")
REQUIRED = ("text", "units", "deadline")
FIELD_NAMES = {"seq": "序号", "text": "工作任务", "units": "责任单位", "deadline": "完成时限",
               "remark": "备注", "leader": "牵头领导"}

_WORD_FIELD = {word: name for name, words in FIELD_WORDS.items() for word in words}
_BRACKETED = re.compile(r"^(.+?)[（(].*[）)]$")


def header_word(text: str) -> str | None:
    """The column name a header cell holds (``完成\\n时限`` → 完成时限), or None."""
    compact = re.sub(r"\s+", "", text)
    if compact in _WORD_FIELD:
        return compact
    bracketed = _BRACKETED.match(compact)
    if bracketed and bracketed.group(1) in _WORD_FIELD:
        return bracketed.group(1)
    return None


def field_of(word: str) -> str:
    return _WORD_FIELD[word]


def header_words(row: tuple[Cell, ...]) -> dict[int, str]:
    """Column index → column name, for the cells of ``row`` that hold one (each merged cell once)."""
    found = {}
    for index, cell in enumerate(row):
        if cell.is_empty or (cell.is_continuation and cell.merge is Merge.FROM_LEFT):
            continue
        word = header_word(cell.text)
        if word is not None:
            found[index] = word
    return found


def is_header_like(row: tuple[Cell, ...]) -> bool:
    """Two or more column names, and nothing else of its own in the row."""
    words = header_words(row)
    if len(words) < 2:
        return False
    return all(index in words or cell.is_empty or cell.is_continuation for index, cell in enumerate(row))


@dataclass(frozen=True)
class Header:
    """The recognised columns of a table."""

    row: int                         # index of the (last) header row in the grid
    columns: dict[int, Column]       # grid column → recognised column
    ignored: tuple[str, ...]         # labels of columns that feed nothing

    def index_of(self, field: str) -> int | None:
        for index, column in self.columns.items():
            if column.field == field:
                return index
        return None

    def indexes_of(self, field: str) -> list[int]:
        return [index for index, column in self.columns.items() if column.field == field]


def columns_of(rows: list[tuple[Cell, ...]]) -> tuple[dict[int, Column], tuple[str, ...]]:
    """Columns named by one or two stacked header rows; the lower row's word wins."""
    named: dict[int, tuple[str, Cell]] = {}
    for row in rows:
        for index, word in header_words(row).items():
            named[index] = (word, row[index])
        # a merged upper cell (责任单位 across two columns) names the columns it covers
        for index, cell in enumerate(row):
            if index not in named and cell.is_continuation and cell.merge is Merge.FROM_LEFT:
                word = header_word(cell.text)
                if word is not None:
                    named[index] = (word, cell)
    columns = {index: Column(field_of(word), word, cell.location, lead=word in LEAD_WORDS)
               for index, (word, cell) in sorted(named.items())}
    ignored = []
    for row in rows[-1:]:
        for index, cell in enumerate(row):
            if index not in columns and not cell.is_empty and not cell.is_continuation:
                ignored.append(cell.text.replace("\n", ""))
    return columns, tuple(ignored)
