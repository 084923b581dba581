"""The official table as a Word document (python-docx, imported only here, only when one is written).

A4 landscape; the 文号 and the title above the table, the issue date under
the title; one table (Table Grid) whose header row Word repeats on every page;
section rows merged across; 序号 cells merged down over an item's rows; several
paragraphs of a cell as Word paragraphs.  Text in 宋体 (SimSun) for Chinese.
"""

from __future__ import annotations

import io
import re

from .exporter import OfficialTable, SectionRow, preamble_lines

WIDTHS_CM = (1.4, 10.5, 5.8, 5.8, 2.7)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")   # not allowed in XML 1.0


def write_docx(table: OfficialTable) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "宋体")
    page = document.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Cm(2))

    lines = preamble_lines(table)
    title, rest = lines[0], lines[1:]
    if table.doc_no:
        document.add_paragraph(_clean(table.doc_no)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(_clean(title))
    run.bold = True
    run.font.size = Pt(16)
    for line in rest:
        if line != table.doc_no:
            document.add_paragraph(_clean(line)).alignment = WD_ALIGN_PARAGRAPH.RIGHT

    columns = len(table.header)
    grid = document.add_table(rows=1, cols=columns)
    grid.style = "Table Grid"
    for cell, word in zip(grid.rows[0].cells, table.header):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.paragraphs[0].add_run(word).bold = True
    properties = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)                      # Word prints the header on every page

    merges: list[tuple[int, int]] = []
    for entry in table.rows:
        cells = grid.add_row().cells
        if isinstance(entry, SectionRow):
            merged = cells[0].merge(cells[-1])
            merged.paragraphs[0].add_run(_clean(entry.text)).bold = True
            continue
        index = len(grid.rows) - 1
        if entry.seq_span:
            _fill(cells[0], entry.seq)
            cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if entry.seq_span > 1:
            merges.append((index, index + entry.seq_span - 1))
        for cell, value in zip(cells[1:], (entry.text, entry.units, entry.deadline, entry.remark)):
            _fill(cell, value)
    for first, last in merges:
        grid.cell(first, 0).merge(grid.cell(last, 0))
    grid.autofit = False
    for column, width in zip(grid.columns, WIDTHS_CM):
        column.width = Cm(width)                   # the table grid, which LibreOffice and WPS follow
    for row in grid.rows:
        for cell, width in zip(row.cells, WIDTHS_CM):
            cell.width = Cm(width)                 # and each cell, which Word follows
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _fill(cell, value: str) -> None:
    paragraphs = [_clean(p) for p in value.split("\n")] if value else []
    if not paragraphs:
        return
    cell.paragraphs[0].text = paragraphs[0]
    for paragraph in paragraphs[1:]:
        cell.add_paragraph(paragraph)


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", text)

