"""Plain text tables for pipes and files: no colour, nothing cut, columns fitted to the content.

Rich would do this too, but measuring and wrapping every cell costs more than
the whole report on the shipped plan; a report piped to a file or to cron's
mail needs only aligned columns, with Chinese characters counted two wide.
"""

from __future__ import annotations

from itertools import groupby

from ...domain.text import display_width as width
from ...domain.text import terminal_safe as safe
from ..document import Document, Table, cell_text


def _table(table: Table, rows: list[dict]) -> list[str]:
    header = [safe(c.header) for c in table.columns]
    body = [[safe(cell_text(row.get(c.key), c.kind)) for c in table.columns] for row in rows]
    widths = [max(width(cell) for cell in column) for column in zip(header, *body)]
    right = [c.kind == "int" for c in table.columns]

    def line(cells: list[str]) -> str:
        padded = []
        for cell, size, align_right in zip(cells, widths, right):
            gap = " " * (size - width(cell))
            padded.append(gap + cell if align_right else cell + gap)
        return "| " + " | ".join(padded) + " |"

    rule = "+" + "+".join("-" * (size + 2) for size in widths) + "+"
    return [rule, line(header), rule.replace("-", "="), *(line(cells) for cells in body), rule]


def render_document(document: Document) -> str:
    out = [safe(document.title), *(safe(line) for line in document.lines)]
    for table in document.tables:
        out.append("")
        if table.title:
            out.append(safe(table.title))
        if not table.rows:
            out.append(table.empty)
        elif table.group_by:
            for key, group in groupby(table.rows, key=lambda r: r.get(table.group_by)):
                group = list(group)
                out += [f"{safe(str(key))}（{len(group)} 项）", *_table(table, group)]
        else:
            out += _table(table, table.rows)
    return "\n".join(out) + "\n"


def render(view, target=None) -> str:
    return render_document(view.document())
