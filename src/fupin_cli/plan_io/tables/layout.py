"""From grids to the rows of a task table: header, page breaks, sections, data, notes.

- The header is found by its words (``header.py``) in the first grid that has
  one; a Word table split at page breaks continues in the following tables of
  the same width.  Rows above the header are the preamble: the title (the
  nearest line above the header that is not a 文号, a date or an 附件 line),
  the 文号 (汕扶〔2018〕9号, brackets normalised to 〔〕) and a date line
  (2018年4月25日) are taken from it.
- A later row made of column names only is the header repeated at a page
  break: skipped, and remembered as a page break (see ``tasks.py``).
- A row whose first text starts with 注：/备注：/说明：/附注： ends the table: it
  and every row after it are notes.  In a Word file, paragraphs after the table
  from the first such line on are notes too.
- A section row — one text and nothing in the 责任单位/完成时限 columns (a
  heading alone in its row, or one merged cell across the row), possibly with a
  section numeral such as 一 in the 序号 column — is the category of the rows
  below it; its enumerator (一、 （一） 1.) is dropped.  A section row reading
  （未分类） (how fupin shows a task without a 工作板块, and how ``fupin export``
  prints one) is a section without a heading: the rows below it have none.
- Empty rows, and rows whose only content is a 序号 (a template's unused
  numbered rows), are skipped.  Any other row is a data row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .errors import TableError
from .header import FIELD_NAMES, FIELD_WORDS, REQUIRED, Header, columns_of, header_words, is_header_like
from .model import Cell, Column, Grid, Location, Merge, Notice, RawTable

NOTE_START = re.compile(r"^(?:注|备注|说明|附注)\s*\d*\s*[：:]")
ENUMERATOR = re.compile(r"^(?:第[一二三四五六七八九十百]+(?:部分|项|章|节)?[、.．:：\s]*|[一二三四五六七八九十百]+[、.．]\s*"
                        r"|（[一二三四五六七八九十百\d]+）\s*|\(?\d+[)）]\s*|\d+[、.．]\s*(?!\d))")
DOC_NO = re.compile(r"(?:^|\s)([\u4e00-\u9fff]{1,8})\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d+)\s*号(?=\s|$)")
DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
NOT_TITLE = re.compile(r"^(?:附件\s*\d*\s*[：:]?|(?:填报|制表|填表)?单位\s*[：:].*|.*(?:印发|下发|转发).*的?通知)$")
SECTION_NUMERAL = re.compile(r"^(?:第?[一二三四五六七八九十百]+(?:部分)?[、.．]?|（[一二三四五六七八九十百]+）|[A-Z][、.．]?)$")
BARE_NUMBER = re.compile(r"^[\d.．、\s]+$")
UNCATEGORISED = ("未分类", "（未分类）")


@dataclass
class DataRow:
    cells: dict[str, Cell]                 # field → cell (units: the first units column)
    units: list[tuple[Cell, bool]]         # every units column's cell, with its lead flag
    location: Location                     # the row (its 工作任务 cell)


@dataclass(frozen=True)
class PageBreak:
    location: Location


@dataclass(frozen=True)
class Section:
    text: str
    location: Location


@dataclass
class Layout:
    grid: Grid
    header: Header
    header_location: Location
    entries: list                          # DataRow | PageBreak | Section, in order
    preamble: list[str]
    notes: list[str]
    notices: list[Notice]
    truncated: bool


def strip_enumerator(text: str) -> str:
    return ENUMERATOR.sub("", text, count=1).strip()


def lay_out(raw: RawTable) -> Layout:
    found = _find_header(raw)
    grid_index, row_index = found
    grid = raw.grids[grid_index]
    header_rows = [grid.rows[row_index]]
    following = grid.rows[row_index + 1] if row_index + 1 < len(grid.rows) else None
    if following is not None and header_words(following) and all(
            index in header_words(following) or cell.is_empty or cell.is_continuation
            for index, cell in enumerate(following)):
        header_rows.append(following)     # 责任单位 over 牵头单位 | 配合单位
    columns, ignored = columns_of(header_rows)
    header_location = grid.rows[row_index][0].location.row_only()
    _check_columns(columns, header_location)
    header = Header(row_index + len(header_rows) - 1, columns, ignored)

    preamble = [line.text for line in grid.before]
    for row in grid.rows[:row_index]:
        text = " ".join(cell.text.replace("\n", " ") for cell in row if not cell.is_empty and not cell.is_continuation)
        if text:
            preamble.append(text)

    rows: list[tuple[Cell, ...]] = list(grid.rows[header.row + 1:])
    truncated = grid.truncated
    notices: list[Notice] = []
    if raw.grids_continue:
        width = len(grid.rows[row_index])
        for later in raw.grids[grid_index + 1:]:
            if later.rows and len(later.rows[0]) == width:
                rows.extend(later.rows)
                truncated = truncated or later.truncated
            elif later.rows:
                notices.append(Notice(later.location, "这个表格的列数与任务表不同，没有读取"))

    entries: list = []
    notes: list[str] = []
    for row in rows:
        own = [(index, cell) for index, cell in enumerate(row) if not cell.is_empty and not cell.is_continuation]
        if notes:
            text = " ".join(cell.text.replace("\n", " ") for _, cell in own)
            if text:
                notes.append(text)
            continue
        if not own:
            continue
        where = _row_location(row, header)
        if NOTE_START.match(own[0][1].text):
            notes.append(" ".join(cell.text.replace("\n", " ") for _, cell in own))
            continue
        if is_header_like(row):
            entries.append(PageBreak(where))
            continue
        section = _section_text(row, own, header)
        if section is not None:
            entries.append(Section(section, where))
            continue
        seq_index = header.index_of("seq")
        if all(index == seq_index for index, _ in own) and BARE_NUMBER.match(own[0][1].text):
            continue                          # a numbered row left blank
        for index, cell in own:
            if index not in header.columns:
                notices.append(Notice(cell.location, f"这一格有内容（{_short(cell.text)}），但表头没有这一列，没有读取"))
        entries.append(DataRow({column.field: row[index] for index, column in reversed(header.columns.items())},
                               [(row[index], header.columns[index].lead) for index in header.indexes_of("units")],
                               where))
    if raw.grids_continue:
        below = False
        for line in raw.after:
            below = below or bool(NOTE_START.match(line.text))
            if below:
                notes.append(line.text)
    return Layout(grid, header, header_location, entries, preamble, notes, notices, truncated)


def _find_header(raw: RawTable) -> tuple[int, int]:
    for grid_index, grid in enumerate(raw.grids):
        for row_index, row in enumerate(grid.rows):
            if len(header_words(row)) >= 2:
                return grid_index, row_index
    wanted = "“工作任务”“责任单位”“完成时限”"
    if raw.grids_continue or (raw.grids and raw.grids[0].name and raw.grids[0].name.startswith("表")):
        if not raw.grids:
            raise TableError("文档里没有表格，不像是任务清单；任务清单应排成表格（序号、工作任务、责任单位、完成时限）",
                             Location(raw.file))
        which = "表格" if len(raw.grids) == 1 else f"{len(raw.grids)} 个表格都"
        raise TableError(f"文档里的{which}找不到表头：没有一行同时写着{wanted}等列名", Location(raw.file))
    if len(raw.grids) == 1:
        raise TableError(f"找不到表头：没有一行同时写着{wanted}等列名", raw.grids[0].location)
    if not raw.grids:
        raise TableError("工作簿里没有可读的工作表", Location(raw.file))
    names = "、".join(f"“{grid.name}”" for grid in raw.grids)
    raise TableError(f"找不到表头：工作表{names}都没有一行同时写着{wanted}等列名", Location(raw.file))


def _check_columns(columns: dict[int, Column], where: Location) -> None:
    present = {column.field for column in columns.values()}
    for field in REQUIRED:
        if field not in present:
            synonyms = "/".join(FIELD_WORDS[field])
            raise TableError(f"表头缺少“{FIELD_NAMES[field]}”列（可写作 {synonyms}）", where)
    seen: dict[str, Column] = {}
    for column in columns.values():
        if column.field == "units":
            continue
        if column.field in seen:
            first = seen[column.field]
            raise TableError(f"表头有两列都是“{FIELD_NAMES[column.field]}”（“{first.label}”和“{column.label}”），"
                             "不知道该读哪一列", where)
        seen[column.field] = column


def _row_location(row: tuple[Cell, ...], header: Header) -> Location:
    text_index = header.index_of("text")
    return row[text_index].location if text_index is not None else row[0].location.row_only()


def _section_text(row: tuple[Cell, ...], own: list[tuple[int, Cell]], header: Header) -> str | None:
    """The heading of a section row, or None when the row is not one."""
    fields = {index: header.columns[index].field for index in header.columns}
    if any(fields.get(index) in ("units", "deadline", "remark", "leader") for index, _ in own):
        return None
    text_index = header.index_of("text")
    if text_index is not None and row[text_index].merge is Merge.FROM_ABOVE:
        return None                           # a sub-row of a task whose text spans rows
    texts = [cell.text for _, cell in own]
    seq_index = header.index_of("seq")
    if len(own) == 2 and own[0][0] == seq_index and SECTION_NUMERAL.match(texts[0].strip()):
        texts = texts[1:]
    if len(texts) != 1 or BARE_NUMBER.match(texts[0]):
        return None
    heading = strip_enumerator(texts[0].replace("\n", ""))
    if heading in UNCATEGORISED:
        return ""                             # an explicit end of the sections above: no heading
    return heading or None


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= 20 else text[:19] + "…"


def metadata(preamble: list[str]) -> tuple[str, str, date | None]:
    """(title, 文号, date) from the lines above the header."""
    lines = [line.lstrip("#").strip() for line in preamble]
    doc_no = ""
    for line in lines:
        match = DOC_NO.search(line)
        if match:
            doc_no = f"{match.group(1)}〔{match.group(2)}〕{match.group(3)}号"
            break
    issued = None
    for line in lines:
        match = DATE_LINE.match(line)
        if match:
            try:
                issued = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                pass
    title = ""
    for line in reversed(lines):
        if not line or DATE_LINE.match(line) or NOT_TITLE.match(line):
            continue
        if DOC_NO.search(line) and len(DOC_NO.sub("", line).strip()) == 0:
            continue
        title = line
        break
    return title, doc_no, issued
