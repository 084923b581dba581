"""Plain text tables for pipes and files: no colour, nothing cut, columns fitted to the content.

Rich would do this too, but measuring and wrapping every cell costs more than
the whole report on the shipped plan; a report piped to a file or to cron's
mail needs only aligned columns, with Chinese characters counted two wide.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby

from . import Document, Table, cell_text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """Text with control characters (ANSI escapes among them) removed and newlines folded."""
    return _CONTROL.sub("", text.replace("\r\n", " ").replace("\n", " "))


def width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


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


def render(document: Document) -> str:
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
