"""CSV for Excel and WPS: UTF-8 with a BOM, formula-like text neutralised."""

from __future__ import annotations

import csv
import io

from ..document import Document, cell_text, neutralise_formula


def render_document(document: Document) -> str:
    """All tables of the document, one after another; the first row of each is its header.

    Documents with several tables (the weekly report) get a 表 column naming the table.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    several = len(document.tables) > 1
    for index, table in enumerate(document.tables):
        if several:
            writer.writerow(["表", *(c.header for c in table.columns)])
        elif index == 0:
            writer.writerow([c.header for c in table.columns])
        for row in table.rows:
            cells = [_cell(row.get(c.key), c.kind) for c in table.columns]
            writer.writerow([table.title, *cells] if several else cells)
    return "\ufeff" + buffer.getvalue()


def _cell(value, kind: str) -> str:
    text = cell_text(value, kind)
    return neutralise_formula(text) if kind == "text" else text


def render(view, target=None) -> str:
    return render_document(view.document())
