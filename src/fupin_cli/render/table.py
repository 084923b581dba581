"""Rich tables for the terminal (off a terminal, ``render.plain`` lays reports out)."""

from __future__ import annotations

import sys
from itertools import groupby

from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from . import STATUS_COLOURS, Document, Table, cell_text
from .plain import safe


def make_console(file=None) -> Console:
    """A console for stdout: coloured and fitted in a terminal, else plain and never cut.

    Off a terminal rich would squeeze tables into 80 columns and cut words with
    an ellipsis; we give it room (COLUMNS if set) so every cell stays whole.
    """
    stream = file or sys.stdout
    if hasattr(stream, "isatty") and stream.isatty():
        return Console(file=stream, highlight=False)
    import os

    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else 100_000
    return Console(file=stream, width=width, color_system=None, force_terminal=False,
                   highlight=False, soft_wrap=False, no_color=True)


def rich_table(table: Table, rows: list[dict], *, plain: bool) -> RichTable:
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


def render(document: Document, console: Console) -> None:
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
