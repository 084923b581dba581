"""Markdown (GitHub tables) for pasting into wikis and mails."""

from __future__ import annotations

from itertools import groupby

from ..document import Document, Table, cell_text


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(table: Table, rows: list[dict]) -> list[str]:
    lines = ["| " + " | ".join(_escape(c.header) for c in table.columns) + " |",
             "|" + "|".join("---:" if c.kind == "int" else "---" for c in table.columns) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(_escape(cell_text(row.get(c.key), c.kind)) for c in table.columns) + " |")
    return lines


def render_document(document: Document) -> str:
    out = [f"# {_escape(document.title)}", ""]
    for line in document.lines:
        out += [_escape(line), ""]
    for table in document.tables:
        if table.title:
            out += [f"## {_escape(table.title)}", ""]
        if not table.rows:
            out += [table.empty, ""]
        elif table.group_by:
            for key, group in groupby(table.rows, key=lambda r: r.get(table.group_by)):
                group = list(group)
                out += [f"### {_escape(str(key))}（{len(group)} 项）", "", *_table(table, group), ""]
        else:
            out += [*_table(table, table.rows), ""]
    return "\n".join(out)


def render(view, target=None) -> str:
    return render_document(view.document())
