"""Markdown (GitHub tables) for pasting into wikis and mails."""

from __future__ import annotations

from ...domain.values import replace
from ..document import (
    Chart,
    Document,
    PageBreak,
    Paragraphs,
    Table,
    cell_text,
    hoist_constant_columns,
    ordered_groups,
    rate_bar,
)
from ..layout import merged


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _table(table: Table, rows: list[dict], total: dict | None) -> list[str]:
    columns = [c for c in table.columns if c.key != table.group_by]
    lines = ["| " + " | ".join(_escape(c.header) for c in columns) + " |",
             "|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(_escape(cell_text(row.get(c.key), c.kind)) for c in columns) + " |")
    if total:
        lines.append("| " + " | ".join(f"**{_escape(cell_text(total.get(c.key), c.kind))}**"
                                       if cell_text(total.get(c.key), c.kind) else "" for c in columns) + " |")
    return lines


def _section(table: Table) -> list[str]:
    table = hoist_constant_columns(table)
    out = [f"## {_escape(table.heading)}", ""] if table.heading else []
    if not table.rows:
        return out + [_escape(table.empty), ""]
    shown = replace(table, rows=merged(table))
    if table.group_by:
        groups = ordered_groups(shown.rows, table.group_by)
        for number, (key, group) in enumerate(groups, start=1):
            out += [f"### {_escape(cell_text(key))}（{len(group)} 项）", "",
                    *_table(table, group, table.total if number == len(groups) else None), ""]
    else:
        out += [*_table(table, shown.rows, table.total), ""]
    if table.note:
        out += [_escape(table.note), ""]
    return out


def render_document(document: Document) -> str:
    out = [f"# {_escape(document.title)}", ""]
    for line in document.lines:
        out += [_escape(line), ""]
    for block in document.body():
        if isinstance(block, Table):
            out += _section(block)
        elif isinstance(block, Chart):
            out += [f"## {_escape(block.title)}", "", "```"]
            out += [f"{_escape(label):>6}  {rate_bar(value, 20) if value is not None else '—'}"
                    for label, value in block.points]
            out += ["```", ""]
            if block.note:
                out += [_escape(block.note), ""]
        elif isinstance(block, Paragraphs):
            if block.style == "heading":
                out += [f"## {_escape(line)}" for line in block.lines] + [""]
            else:
                out += [_escape(line) + ("  " if block.style in ("signature", "receipt") else "")
                        for line in block.lines] + [""]
        elif isinstance(block, PageBreak):
            out += ["---", ""]
    return "\n".join(out)


def render(view, target=None) -> str:
    return render_document(view.document())
