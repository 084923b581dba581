"""Word documents (.docx), through python-docx (imported only when one is read).

The body is walked in order: paragraphs before a table are its ``before``
lines (the title, the 文号), paragraphs after the last table are ``after``
(a 注： written under the table).  Each table becomes a grid read from its XML,
so merges are seen as Word stores them: a cell spanning columns (gridSpan)
repeats along its row as FROM_LEFT, a vertically merged cell (vMerge continue)
repeats the cell above as FROM_ABOVE.  A cell's paragraphs, and the lines of a
paragraph broken with Shift+Enter, are the cell's paragraphs; deleted tracked
text is not read, inserted tracked text is.  Tables nested in a cell are not
read (their text is not the outer table's).
"""

from __future__ import annotations

from pathlib import Path

from .cells import paragraphs_of
from .errors import TableError
from .files import open_package
from .model import Cell, Grid, Line, Location, Merge, RawTable

MAX_TABLE_ROWS = 5000


def read_docx(path: Path, sheet: str | None = None) -> RawTable:
    data = open_package(path, "docx")
    import docx  # heavy: only when a document is read
    from docx.oxml.ns import qn
    try:
        document = docx.Document(data)
    except Exception as exc:  # python-docx raises bare KeyError/ValueError/lxml errors on damaged parts
        raise TableError(f"文件已损坏，无法作为 Word 文档打开（{type(exc).__name__}）；请用 WPS/Word 重新另存为 .docx",
                         Location(path.name)) from None
    file = path.name
    grids: list[Grid] = []
    lines: list[Line] = []
    paragraph_number = 0
    for element in _body_blocks(document.element.body, qn):
        if element.tag == qn("w:p"):
            text = _paragraph_text(element, qn)
            for line in paragraphs_of(text):
                paragraph_number += 1
                lines.append(Line(line, Location(file, paragraph_number, paragraph=True)))
        else:
            number = len(grids) + 1
            grids.append(_grid(element, file, number, tuple(lines), qn))
            lines = []
    if sheet is not None:
        wanted = sheet.strip().removeprefix("表")
        chosen = [grid for grid in grids if grid.name == f"表{wanted}"]
        if not chosen:
            raise TableError(f"文档里没有“{sheet}”；共有 {len(grids)} 个表格（表1…表{len(grids)}）", Location(file))
        return RawTable(file, tuple(chosen), grids_continue=False)
    return RawTable(file, tuple(grids), grids_continue=True, after=tuple(lines))


def _body_blocks(body, qn):
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for child in body.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_blocks(content, qn)


def _paragraph_text(p, qn) -> str:
    """The visible text of a paragraph; a line break (Shift+Enter) is a new line."""
    parts = []
    for node in p.iter(qn("w:t"), qn("w:br"), qn("w:cr"), qn("w:tab")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append(" ")
        elif node.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
    return "".join(parts)


def _cell_paragraphs(tc, qn) -> tuple[str, ...]:
    texts = []
    for p in tc.iterchildren(qn("w:p"), qn("w:sdt")):
        if p.tag == qn("w:sdt"):
            content = p.find(qn("w:sdtContent"))
            texts.extend(_paragraph_text(q, qn) for q in (content.iterchildren(qn("w:p")) if content is not None else ()))
        else:
            texts.append(_paragraph_text(p, qn))
    return tuple(line for text in texts for line in paragraphs_of(text))


def _grid(tbl, file: str, number: int, before: tuple[Line, ...], qn) -> Grid:
    name = f"表{number}"
    raw_rows: list[list[tuple[tuple[str, ...], Merge]]] = []
    for tr in tbl.iterchildren(qn("w:tr")):
        row: list[tuple[tuple[str, ...], Merge]] = [((), Merge.OWN)] * tr.grid_before
        for tc in tr.iterchildren(qn("w:tc")):
            span = max(tc.grid_span, 1)
            if tc.vMerge == "continue":
                column = len(row)
                above = raw_rows[-1][column][0] if raw_rows and column < len(raw_rows[-1]) else ()
                row.extend([(above, Merge.FROM_ABOVE)] * span)
            else:
                paragraphs = _cell_paragraphs(tc, qn)
                row.append((paragraphs, Merge.OWN))
                row.extend([(paragraphs, Merge.FROM_LEFT)] * (span - 1))
        raw_rows.append(row)
        if len(raw_rows) > MAX_TABLE_ROWS:
            break
    truncated = len(raw_rows) > MAX_TABLE_ROWS
    raw_rows = raw_rows[:MAX_TABLE_ROWS]
    grid_width = len(tbl.tblGrid.findall(qn("w:gridCol"))) if tbl.tblGrid is not None else 0
    width = max([grid_width, *(len(row) for row in raw_rows)])
    rows = tuple(
        tuple(Cell(paragraphs, Location(file, row_number, column, table=number), merge)
              for column, (paragraphs, merge) in enumerate(row + [((), Merge.OWN)] * (width - len(row)), 1))
        for row_number, row in enumerate(raw_rows, 1))
    return Grid(name, rows, Location(file, table=number), before=before, truncated=truncated)
