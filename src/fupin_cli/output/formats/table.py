"""The table format: rich tables in a terminal; off a terminal, the plain text of :mod:`.text`.

Column widths and every cell's lines come from :mod:`fupin_cli.output.layout`
(the same as the plain text), so rich only draws: it never decides where a date
or an id breaks.  Rich is imported only when a terminal is drawn on.
"""

from __future__ import annotations

import io

from ...domain.text import fold
from ..document import STATUS_COLOURS, Chart, Document, PageBreak, Paragraphs, Table
from ..layout import Prepared, pad, prepare, record_lines
from .text import chart_lines, paragraph_lines, starts_with_heading, terminal_cell


def rich_table(prepared: Prepared, indexes: list[int], *, colour: bool, total: bool):
    """One group of a prepared table as a rich Table with the prepared widths."""
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    layout = prepared.layout
    out = RichTable(box=box.ROUNDED, show_lines=layout.multiline, expand=False,
                    header_style="bold" if colour else "", show_edge=True, pad_edge=True)
    height = max(len(header) for header in layout.header)
    for column, width, header in zip(layout.columns, layout.widths, layout.header):
        # Cells arrive padded and aligned: rich only draws them.
        out.add_column("\n".join(header + [""] * (height - len(header))), width=width, min_width=width,
                       max_width=width, no_wrap=True, overflow="ignore")

    def cell(column, width, lines, style=""):
        return Text("\n".join(pad(line, width, column.numeric) for line in lines), style=style)

    for index in indexes:
        light = STATUS_COLOURS.get(prepared.statuses[index], "") if colour else ""
        out.add_row(*(cell(column, width, lines, f"bold {light}" if column.kind == "status" and light else "")
                      for column, width, lines in zip(layout.columns, layout.widths, layout.rows[index])))
    if total and prepared.total:
        out.add_section()
        out.add_row(*(cell(column, width, lines, "bold" if colour else "")
                      for column, width, lines in zip(layout.columns, layout.widths, prepared.total)))
    return out


def draw(document: Document, console, wide: bool = False) -> None:
    """Print ``document`` on a rich console, fitted to its width."""
    from rich.text import Text

    colour = not (console.no_color or console.color_system is None)
    bold = "bold" if colour else ""
    width = console.width
    body = document.body()
    if not starts_with_heading(body):
        console.print(Text("\n".join(fold(document.title, width)), style=bold))
        for line in document.lines:
            console.print(Text("\n".join(fold(line, width))))
    for number, block in enumerate(body):
        if number or not starts_with_heading(body):
            console.print()
        if isinstance(block, Table):
            if not block.rows:
                if block.heading:
                    console.print(Text(block.heading, style=bold))
                console.print(Text(block.empty))
                continue
            prepared = prepare(block, width, wide=wide, cell=terminal_cell)
            if prepared.heading:
                console.print(Text(prepared.heading, style=bold))
            if prepared.layout.records:
                rule = "─" * min(width, 40)
                for heading, indexes in prepared.groups:
                    if heading:
                        console.print(Text(heading, style=bold))
                    for index in indexes:
                        console.print(Text(rule))
                        console.print(Text("\n".join(record_lines(prepared.columns, [prepared.cells[index]], width)[0])))
                if prepared.total_cells:
                    console.print(Text(rule))
                    console.print(Text("\n".join(record_lines(prepared.columns, [prepared.total_cells], width)[0]),
                                       style=bold))
                console.print(Text(rule))
            else:
                for number, (heading, indexes) in enumerate(prepared.groups, start=1):
                    if heading:
                        console.print(Text(heading, style=bold))
                    console.print(rich_table(prepared, indexes, colour=colour, total=number == len(prepared.groups)))
            for line in prepared.note.split("\n") if prepared.note else ():
                console.print(Text("\n".join(fold(line, width))))
        elif isinstance(block, Chart):
            console.print(Text("\n".join(chart_lines(block))))
        elif isinstance(block, Paragraphs):
            console.print(Text("\n".join(paragraph_lines(block, width))))
        elif isinstance(block, PageBreak):
            console.print(Text("═" * min(width, 60)))


def render(view, target) -> str:
    if not target.terminal:
        from .text import render_document

        return render_document(view.document(), target.width, wide=target.wide)
    from rich.console import Console

    buffer = io.StringIO()
    draw(view.document(), Console(file=buffer, force_terminal=True, width=target.width, highlight=False,
                                  soft_wrap=False), wide=target.wide)
    return buffer.getvalue()
