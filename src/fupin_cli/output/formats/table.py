"""The table format: rich tables in a terminal; off a terminal, the plain text of :mod:`.text`.

Rich is imported only when a terminal is drawn on.
"""

from __future__ import annotations

import io
from itertools import groupby

from ...domain.text import terminal_safe as safe
from ..document import STATUS_COLOURS, Document, Table, cell_text


def rich_table(table: Table, rows: list[dict], *, plain: bool):
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    out = RichTable(box=box.ASCII2 if plain else box.ROUNDED,
                    show_lines=False, expand=False, header_style="" if plain else "bold")
    for column in table.columns:
        numeric = column.kind in ("int",)
        out.add_column(column.header, justify="right" if numeric else "left",
                       overflow="fold", no_wrap=plain)
    for row in rows:
        style = "" if plain else STATUS_COLOURS.get(row.get("status"), "")
        cells = []
        for column in table.columns:
            text = Text(safe(cell_text(row.get(column.key), column.kind)))
            if column.kind == "status" and style:
                text.stylize(f"bold {style}")
            cells.append(text)
        out.add_row(*cells)
    return out


def draw(document: Document, console) -> None:
    """Print ``document`` on a rich console."""
    from rich.text import Text

    plain = console.no_color or console.color_system is None
    console.print(Text(safe(document.title), style="" if plain else "bold"))
    for line in document.lines:
        console.print(Text(safe(line)))
    for table in document.tables:
        console.print()
        if not table.rows:
            console.print(Text(f"{table.title}：{table.empty}" if table.title else table.empty))
            continue
        if table.group_by:
            if table.title:
                console.print(Text(safe(table.title), style="" if plain else "bold"))
            for key, group in groupby(table.rows, key=lambda r: r.get(table.group_by)):
                group = list(group)
                console.print(Text(f"{safe(str(key))}（{len(group)} 项）", style="" if plain else "bold"))
                console.print(rich_table(table, group, plain=plain))
        else:
            if table.title:
                console.print(Text(safe(table.title), style="" if plain else "bold"))
            console.print(rich_table(table, table.rows, plain=plain))


def render(view, target) -> str:
    if not target.terminal:
        from .text import render_document

        return render_document(view.document())
    from rich.console import Console

    buffer = io.StringIO()
    draw(view.document(), Console(file=buffer, force_terminal=True, width=target.width, highlight=False))
    return buffer.getvalue()
