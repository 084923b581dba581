"""Word (docx): the printouts as documents offices edit and file.

Real Word tables: the section title and the column header are header rows Word
repeats on every page; rows never split across pages; a task's text is one
merged cell over its periods.  A4, landscape when a table is wide.  Chinese in
宋体 (SimSun) with the font table naming its alternatives, so Word or LibreOffice
without 宋体 substitutes a Chinese serif instead of showing boxes; titles in 黑体.
Page numbers “第 x 页 共 y 页” in the footer, the report's short title in the header.
"""

from __future__ import annotations

import io

from ..document import (
    Chart,
    Column,
    Document,
    PageBreak,
    Paragraphs,
    Table,
    cell_text,
    change_text,
    hoist_constant_columns,
    ordered_groups,
    rate_bar,
)
from ..layout import merged_spans, needs_landscape, print_widths

BODY_FONT = "宋体"  # SimSun
TITLE_FONT = "黑体"  # SimHei
LATIN_FONT = "Times New Roman"
# The font table's entries for the Chinese fonts: the English name as the alternative, the GB2312
# charset and a serif/sans panose, which is what Word and LibreOffice match a substitute by.
FONT_TABLE = {
    "宋体": ("SimSun", "02010600030101010101", "roman"),
    "黑体": ("SimHei", "02010609060101010101", "modern"),
}
STATUS_FILLS = {"overdue": "FDE8E6", "due_soon": "FFF4D6", "upcoming": "E6F4EA", "ongoing": "E3F4F7",
                "done": "E5EDFA", "done_late": "F6E6F3", "extended": "EEE8F7", "feedback_overdue": "FBE9DD",
                "waived": "EEEEEE"}
HEADER_FILL = "E7E6E6"
CAPTION_FILL = "FFFFFF"
TABLE_FONT_PT = 9
COMPACT_TABLE_PT = 8
BODY_PT = 10.5


def _set_fonts(run_or_style_element, east_asia: str, latin: str = LATIN_FONT) -> None:
    from docx.oxml.ns import qn

    rpr = run_or_style_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attribute, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attribute), value)


def _font_table(document) -> None:
    """Name 宋体 and 黑体 in the font table with their alternatives (SimSun, SimHei) and charset."""
    part = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
        f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, (alt, panose, family) in FONT_TABLE.items())
    blob = part.blob.decode("utf-8")
    if "</w:fonts>" in blob and 'w:name="宋体"' not in blob:
        part._blob = blob.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _styles(document) -> None:
    from docx.shared import Pt

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element, BODY_FONT)
    # Chinese text: a substitute font, where 宋体 is missing, is chosen for simplified Chinese.
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    # No automatic space between Chinese and digits (2018年6月 stays as wide as it is measured).
    properties = normal.element.get_or_add_pPr()
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        setting = OxmlElement(name)
        setting.set(qn("w:val"), "0")
        properties.append(setting)
    paragraph = normal.paragraph_format
    paragraph.space_after = Pt(0)
    paragraph.space_before = Pt(0)


MARGIN_MM = 15
COMPACT_MARGIN_MM = 12


def _page(section, landscape: bool, compact: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    margin = COMPACT_MARGIN_MM if compact else MARGIN_MM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.left_margin = section.right_margin = Mm(margin)
    section.top_margin = section.bottom_margin = Mm(margin + 1)
    section.header_distance = Mm(6)
    section.footer_distance = Mm(6)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) in ``paragraph``; ``shown`` is the text until Word updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _header_footer(section, running: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = header.add_run(running)
    run.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("第 ", ("PAGE", "1"), " 页 共 ", ("NUMPAGES", "1"), " 页"):
        if isinstance(piece, tuple):
            _field(footer, *piece)
        else:
            footer.add_run(piece).font.size = Pt(9)


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flags(row, *, header: bool = False) -> None:
    """Rows never split across pages; header rows repeat at the top of every page."""
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _write(cell, text: str, *, bold: bool = False, align: str = "left", size: float = TABLE_FONT_PT) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                           "center": WD_ALIGN_PARAGRAPH.CENTER}[align]
    # Exact line height: CJK fallback fonts' own line gaps would make every row half again as tall.
    paragraph.paragraph_format.line_spacing = Pt(size * 1.3)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold or None


def _shown(value, column: Column) -> str:
    if column.kind == "rate":
        return cell_text(value, "rate")
    if column.kind == "change":
        return change_text(value)
    return cell_text(value, column.kind)


def _table(document, table: Table, rows: list[dict], caption: str, total: dict | None, width_mm: float,
           size: float = TABLE_FONT_PT) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt

    columns = [c for c in table.columns if c.key != table.group_by]
    widths = print_widths(columns, [[_shown(r.get(c.key), c) for c in columns] for r in rows + ([total] if total else [])],
                          width_mm, size)
    out = document.add_table(rows=0, cols=len(columns))
    out.style = document.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False
    if caption:
        row = out.add_row()
        _row_flags(row, header=True)
        merged = row.cells[0].merge(row.cells[-1]) if len(columns) > 1 else row.cells[0]
        _write(merged, caption, bold=True, size=10.5)
        _shade(merged, CAPTION_FILL)
    row = out.add_row()
    _row_flags(row, header=True)
    for cell, column in zip(row.cells, columns):
        _write(cell, column.header, bold=True, align="center", size=size)
        _shade(cell, HEADER_FILL)
    spans = merged_spans(table, rows)
    first_body = len(out.rows)
    for values in rows:
        row = out.add_row()
        _row_flags(row)
        for cell, column in zip(row.cells, columns):
            value = values.get(column.key)
            if column.key in table.merge and spans[len(out.rows) - 1 - first_body].get(column.key) == 0:
                continue
            _write(cell, _shown(value, column), align="right" if column.numeric or column.kind == "rate" else "left",
                   bold=column.kind == "status", size=size)
            if column.kind == "status" and value in STATUS_FILLS:
                _shade(cell, STATUS_FILLS[value])
    for index, span in enumerate(spans):
        for position, column in enumerate(columns):
            if span.get(column.key, 1) > 1:
                top = out.rows[first_body + index].cells[position]
                top.merge(out.rows[first_body + index + span[column.key] - 1].cells[position])
    if total:
        row = out.add_row()
        _row_flags(row)
        for cell, column in zip(row.cells, columns):
            _write(cell, _shown(total.get(column.key), column), bold=True,
                   align="right" if column.numeric or column.kind == "rate" else "left", size=size)
            _shade(cell, "F3F3F3")
    # Word reads the cells' widths, LibreOffice the table grid's: set both.
    for column, width in zip(out.columns, widths):
        column.width = Mm(width)
    for row in out.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)
    for paragraph in (p for row in out.rows for cell in row.cells for p in cell.paragraphs):
        paragraph.paragraph_format.space_after = Pt(0)


def _heading(document, text: str, *, size: float = 12, align: str = "left", spacing: float = 6) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_before = Pt(spacing)
    paragraph.paragraph_format.space_after = Pt(3)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    _set_fonts(run._r, TITLE_FONT)


def _section(document, table: Table, width_mm: float, size: float = TABLE_FONT_PT) -> None:
    from docx.shared import Pt

    table = hoist_constant_columns(table)
    if not table.rows:
        _heading(document, table.heading)
        document.add_paragraph(table.empty)
    elif table.group_by:
        _heading(document, table.heading)
        groups = ordered_groups(table.rows, table.group_by)
        for number, (key, group) in enumerate(groups, start=1):
            caption = " · ".join(t for t in (table.title, f"{cell_text(key)}（{len(group)} 项）") if t)
            _table(document, table, group, caption, table.total if number == len(groups) else None, width_mm, size)
            document.add_paragraph()
    else:
        _table(document, table, table.rows, table.heading, table.total, width_mm, size)
    if table.note:
        note = document.add_paragraph()
        note.add_run(table.note).font.size = Pt(8.5)


def _chart(document, chart: Chart, width_mm: float) -> None:
    """The trend as a table with a bar per week (a Word table prints and edits everywhere)."""
    rows = [{"label": label, "bar": rate_bar(value, 20) if value is not None else "—"} for label, value in chart.points]
    columns = [Column("label", "周末"), Column("bar", chart.y_label)]
    _table(document, Table(chart.title, columns, rows), rows, chart.title, None, min(width_mm, 120))
    if chart.note:
        from docx.shared import Pt

        document.add_paragraph().add_run(chart.note).font.size = Pt(8.5)


def _paragraphs(document, block: Paragraphs) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if block.style == "heading":
        for line in block.lines:
            _heading(document, line, size=18, align="center", spacing=0)
        return
    if block.style == "receipt":
        for line in block.lines:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.space_before = Pt(6)
            paragraph.add_run(line).font.size = Pt(10)
        return
    size = 10.5 if block.style in ("body", "salutation", "signature") else 9
    for line in block.lines:
        paragraph = document.add_paragraph()
        fmt = paragraph.paragraph_format
        run = paragraph.add_run(line)
        run.font.size = Pt(size)
        fmt.line_spacing = Pt(size * 1.45)
        if block.style == "body":
            fmt.first_line_indent = Pt(2 * size)
        elif block.style == "salutation":
            run.bold = True
            fmt.space_before = Pt(4)
        elif block.style == "signature":
            fmt.left_indent = Pt(200)
            fmt.line_spacing = Pt(size * 1.8)
        elif block.style == "small":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _break_before(word, index: int) -> None:
    """Start a new page at the body element ``index`` (the first of the block just written)."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    element = word.element.body[index]
    if element.tag != qn("w:p"):  # a table first: an empty paragraph before it carries the break
        paragraph = word.add_paragraph()
        element.addprevious(paragraph._p)
        element = paragraph._p
    Paragraph(element, word._body).paragraph_format.page_break_before = True


def render_document(document: Document) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    word = WordDocument()
    _styles(word)
    _font_table(word)
    section = word.sections[0]
    landscape = needs_landscape(document, COMPACT_TABLE_PT if document.compact else TABLE_FONT_PT)
    _page(section, landscape, document.compact)
    _header_footer(section, document.running or document.title)
    width_mm = (297 if landscape else 210) - 2 * (COMPACT_MARGIN_MM if document.compact else MARGIN_MM)
    body = document.body()
    if not (body and isinstance(body[0], Paragraphs) and body[0].style == "heading"):
        _heading(word, document.title, size=16, align="center", spacing=0)
        for line in document.lines:
            paragraph = word.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(line).font.size = Pt(10)
    new_page = False
    for block in body:
        if isinstance(block, PageBreak):
            new_page = True  # the next block starts the page: a break paragraph of its own could spill onto one
            continue
        before = len(word.element.body) - 1  # new elements go before the closing w:sectPr
        if isinstance(block, Table):
            _section(word, block, width_mm, COMPACT_TABLE_PT if document.compact else TABLE_FONT_PT)
        elif isinstance(block, Chart):
            _chart(word, block, width_mm)
        elif isinstance(block, Paragraphs):
            _paragraphs(word, block)
        if new_page:
            _break_before(word, before)
            new_page = False
    properties = word.core_properties
    properties.title = document.title
    properties.subject = document.subject or (document.lines[0] if document.lines else "")
    properties.author = "fupin"
    properties.keywords = "督办" + (f"；{document.subject}" if document.subject else "")
    properties.comments = "；".join(document.lines)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def render(view, target=None) -> bytes:
    return render_document(view.document())


