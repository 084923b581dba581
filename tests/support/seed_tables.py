"""The seed table (tests/fixtures/seed) rebuilt as the files a clerk receives.

``seed_layout()`` reads the seed's text form on its own terms — independent of
the code under test — and the builders lay it out as an office would:

- ``build_docx``: the notice's paragraphs above (the 文号 among them, the list's
  title last), one table whose first row is the header, the header row again
  where the seed's pages broke, 序号 cells merged down over the lines that
  continue an item, several paragraphs in one cell as real Word paragraphs,
  and a 注： row merged across the table at the bottom.
- ``build_xlsx``: a merged title row, the 文号 on row 2, the header on row 3,
  序号 as numbers in merged cells, line breaks inside cells, a merged 注： row.
- ``build_delimited``: the same rows as .csv or .tsv, paragraphs as line breaks
  inside quoted cells.

A PDF extraction loses a cell's line breaks; where a seed cell has no ``<p>``
marks, spaces between Chinese characters are those lost breaks (items 4, 15),
so they become paragraphs here.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "000_0fd6b74583511a98.txt"
NOTE = "注：各项任务的责任单位中，排在第一位的为牵头单位。"
SHEET = "任务清单"
HEADER = ["序号", "工作任务", "责任单位", "完成时限"]

# Where the shipped plan made a hand judgement its note records, the import reads
# the table's layout instead.  (task id, field) → (what the import gives, words of the note that
# record the judgement, why).
JUDGED: dict[tuple[str, str], tuple[str, str, str]] = {
    ("5.1", "category"): (
        "扶贫政策体系", "这个标题也可能统领其后的社会保障",
        "item 5 is printed after the 扶贫政策体系 line and before the 社会保障政策落实 line; 4.2's note says how far "
        "扶贫政策体系 reaches cannot be told from the text, and the shipped plan gave item 5 to 社会保障 by its words"),
    ("8.1", "category"): (
        "残疾人脱贫工作", "归入“医疗保险和医疗救助”板块（判断）",
        "printed under the 残疾人脱贫工作 heading; the shipped plan moved it to 医疗 by its content"),
    ("9.2", "category"): (
        "残疾人脱贫工作", "原表没有印出教育板块的标题",
        "no heading ends 残疾人脱贫工作 before this line; the shipped plan saw an education block by its words"),
    ("10a.1", "category"): (
        "残疾人脱贫工作", "原表没有印出教育板块的标题",
        "as 9.2: the line is still under 残疾人脱贫工作 on its page; the shipped plan left education uncategorised"),
}
HEADING_LINES = ["3.2", "4.2", "5.2", "6.2", "7.2", "10a.2", "10b.2"]


@dataclass(frozen=True)
class SeedLayout:
    preamble: list[str]                  # the notice's lines above the table, the list's title last
    doc_no: str
    rows: list[list[list[str]] | None]   # each row: 4 cells of paragraphs; None where the header repeats


def _paragraphs(cell: str) -> list[str]:
    if "<p>" in cell:
        return [p.strip() for p in re.findall(r"<p>(.*?)</p>", cell) if p.strip()]
    return [p for p in re.split(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", cell.strip()) if p]


def seed_layout() -> SeedLayout:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("序号\t"))
    preamble = [line.lstrip("#").strip() for line in lines[:start] if line.strip()]
    rows: list[list[list[str]] | None] = []
    for line in lines[start + 1:]:
        if not line.strip():
            continue
        cells = (line.split("\t") + [""] * 4)[:4]
        rows.append(None if cells[0] == "序号" else [_paragraphs(cell) for cell in cells])
    doc_no = next(line for line in preamble if line.endswith("号") and "〔" in line)
    return SeedLayout(preamble, doc_no, rows)


def _seq_runs(rows: list[list[list[str]] | None]) -> list[tuple[int, int]]:
    """(first, last) row indexes of each 序号 cell and the lines that continue it on the same page."""
    runs = []
    for index, row in enumerate(rows):
        if row is None or not row[0]:
            continue
        last = index
        while last + 1 < len(rows) and rows[last + 1] is not None and not rows[last + 1][0]:
            last += 1
        if last > index:
            runs.append((index, last))
    return runs


def build_docx(path: Path) -> Path:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    layout = seed_layout()
    document = docx.Document()
    for line in layout.preamble[:-1]:
        document.add_paragraph(line)
    document.add_heading(layout.preamble[-1], level=1)
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    all_rows = [None, *layout.rows]          # the header first, then the seed's rows
    for row in all_rows:
        cells = table.add_row().cells
        for cell, paragraphs in zip(cells, [[word] for word in HEADER] if row is None else row):
            if paragraphs:
                cell.paragraphs[0].text = paragraphs[0]
                for paragraph in paragraphs[1:]:
                    cell.add_paragraph(paragraph)
    header_properties = table.rows[0]._tr.get_or_add_trPr()
    header_properties.append(OxmlElement("w:tblHeader"))  # Word repeats it on every page
    header_properties.find(qn("w:tblHeader")).set(qn("w:val"), "true")
    for first, last in _seq_runs(layout.rows):
        table.cell(first + 1, 0).merge(table.cell(last + 1, 0))
    note = table.add_row().cells
    merged = note[0].merge(note[3])
    merged.paragraphs[0].text = NOTE
    document.save(path)
    return path


def build_xlsx(path: Path) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment

    layout = seed_layout()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([layout.preamble[-1]])
    sheet.merge_cells("A1:D1")
    sheet.append([layout.doc_no])
    sheet.merge_cells("A2:D2")
    sheet.append(HEADER)
    first_data_row = 4
    for row in layout.rows:
        if row is None:
            sheet.append(HEADER)
            continue
        values = ["\n".join(paragraphs) for paragraphs in row]
        values[0] = int(values[0]) if values[0].isdigit() else values[0]
        sheet.append(values)
    for first, last in _seq_runs(layout.rows):
        sheet.merge_cells(start_row=first + first_data_row, start_column=1,
                          end_row=last + first_data_row, end_column=1)
    note_row = sheet.max_row + 1
    sheet.cell(note_row, 1, NOTE)
    sheet.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=4)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    book.save(path)
    return path


def build_delimited(path: Path, delimiter: str, encoding: str = "utf-8") -> Path:
    layout = seed_layout()
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow([layout.preamble[-1]])
        writer.writerow([layout.doc_no])
        writer.writerow([])
        writer.writerow(HEADER)
        for row in layout.rows:
            writer.writerow(HEADER if row is None else ["\n".join(paragraphs) for paragraphs in row])
        writer.writerow([NOTE])
    return path


def build(kind: str, folder: Path) -> Path:
    """The seed as ``kind`` (txt, docx, xlsx, csv, tsv) in ``folder``."""
    if kind == "txt":
        target = folder / SEED.name
        target.write_bytes(SEED.read_bytes())
        return target
    target = folder / f"seed.{kind}"
    if kind == "docx":
        return build_docx(target)
    if kind == "xlsx":
        return build_xlsx(target)
    return build_delimited(target, "," if kind == "csv" else "\t")
