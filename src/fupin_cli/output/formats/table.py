"""The table format: boxed, coloured tables in a terminal; off a terminal, the plain text of :mod:`.text`.

Column widths and every cell's lines come from :mod:`fupin_cli.output.layout`
(the same as the plain text), so this module only draws: it never decides
where a date or an id breaks.  It draws the rounded box itself and colours
with plain ANSI SGR codes: importing rich and laying out its tables cost a
terminal run more (~45 ms) than the whole report.  Colour follows the same
rules rich applied: none when ``NO_COLOR`` is set (to anything) or ``TERM``
is ``dumb``/``unknown``.
"""

from __future__ import annotations

import os

from ...domain.text import display_width, fold
from ..document import STATUS_COLOURS, Chart, Document, PageBreak, Paragraphs, Table
from ..layout import Prepared, pad, prepare, record_lines
from .text import chart_lines, paragraph_lines, starts_with_heading, terminal_cell

# SGR codes of the status colours' names (the standard eight, as every terminal knows them).
_SGR = {"black": "30", "red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35",
        "cyan": "36", "white": "37"}
BOLD = "1"
_RESET = "\x1b[0m"


def colour_wanted(environ=os.environ) -> bool:
    """Whether a terminal gets colour: not when NO_COLOR is set to anything, nor on a dumb terminal."""
    if environ.get("NO_COLOR", "") != "":
        return False
    return environ.get("TERM", "").strip().lower() not in ("dumb", "unknown")


class Painter:
    """Styles lines with SGR codes, or leaves them as they are when colour is off."""

    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, *codes: str) -> str:
        codes = tuple(code for code in codes if code)
        if not (self.colour and codes and text):
            return text
        return f"\x1b[{';'.join(codes)}m{text}{_RESET}"

    def lines(self, text: str, *codes: str) -> str:
        return "\n".join(self(line, *codes) for line in text.split("\n"))


def status_codes(status, colour: bool) -> tuple[str, ...]:
    light = STATUS_COLOURS.get(status, "") if colour else ""
    return (BOLD, _SGR[light]) if light in _SGR else ()


def _crop(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells (the layout keeps lines within; this is only a guard)."""
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        w = display_width(ch)
        if used + w > width:
            break
        out += ch
        used += w
    return out + " " * (width - used)


def box_table(prepared: Prepared, indexes: list[int], paint: Painter, *, total: bool) -> list[str]:
    """One group of a prepared table in a rounded box, as lines (as rich drew it, cell for cell)."""
    layout = prepared.layout
    widths = layout.widths

    def rule(left: str, middle: str, right: str) -> str:
        return left + middle.join("─" * (w + 2) for w in widths) + right

    def block(cells: list[list[str]], styles: list[tuple[str, ...]], numeric: list[bool]) -> list[str]:
        height = max((len(lines) for lines in cells), default=1) or 1
        out = []
        for n in range(height):
            parts = []
            for lines, width, codes, right in zip(cells, widths, styles, numeric):
                line = lines[n] if n < len(lines) else ""
                parts.append(paint(_crop(pad(line, width, right), width), *codes))
            out.append("│ " + " │ ".join(parts) + " │")
        return out

    numeric = [column.numeric for column in layout.columns]
    height = max(len(header) for header in layout.header)
    headers = [header + [""] * (height - len(header)) for header in layout.header]
    lines = [rule("╭", "┬", "╮")]
    if paint.colour:  # the header bold, padding and all, one run per line
        for n in range(height):
            lines.append("│" + "│".join(paint(" " + _crop(pad(header[n], width), width) + " ", BOLD)
                                        for header, width in zip(headers, widths)) + "│")
    else:
        lines += block(headers, [()] * len(widths), [False] * len(widths))
    lines.append(rule("├", "┼", "┤"))
    separator = rule("├", "┼", "┤")
    for number, index in enumerate(indexes):
        if number and layout.multiline:
            lines.append(separator)
        codes = status_codes(prepared.statuses[index], paint.colour)
        lines += block(layout.rows[index],
                       [codes if column.kind == "status" else () for column in layout.columns], numeric)
    if total and prepared.total:
        lines.append(separator)
        lines += block(prepared.total, [(BOLD,)] * len(widths), numeric)
    lines.append(rule("╰", "┴", "╯"))
    return lines


def draw(document: Document, width: int, *, colour: bool, wide: bool = False) -> str:
    """``document`` as terminal text fitted to ``width`` cells, coloured when ``colour``."""
    paint = Painter(colour)
    out: list[str] = []

    def say(text: str = "", *codes: str) -> None:
        # A line wider than the terminal (a long heading, a chart) is folded here, as the terminal
        # would otherwise wrap it anywhere.
        text = "\n".join(piece for line in text.split("\n")
                         for piece in (fold(line, width) if display_width(line) > width else (line,)))
        out.append(paint.lines(text, *codes) if codes else text)

    bold = BOLD
    body = document.body()
    if not starts_with_heading(body):
        say("\n".join(fold(document.title, width)), bold)
        for line in document.lines:
            say("\n".join(fold(line, width)))
    for number, block in enumerate(body):
        if number or not starts_with_heading(body):
            say()
        if isinstance(block, Table):
            if not block.rows:
                if block.heading:
                    say(block.heading, bold)
                say(block.empty)
                continue
            prepared = prepare(block, width, wide=wide, cell=terminal_cell)
            if prepared.heading:
                say(prepared.heading, bold)
            if prepared.layout.records:
                rule = "─" * min(width, 40)
                for heading, indexes in prepared.groups:
                    if heading:
                        say(heading, bold)
                    for index in indexes:
                        say(rule)
                        say("\n".join(record_lines(prepared.columns, [prepared.cells[index]], width)[0]))
                if prepared.total_cells:
                    say(rule)
                    say("\n".join(record_lines(prepared.columns, [prepared.total_cells], width)[0]), bold)
                say(rule)
            else:
                for number, (heading, indexes) in enumerate(prepared.groups, start=1):
                    if heading:
                        say(heading, bold)
                    out.append("\n".join(box_table(prepared, indexes, paint,
                                                    total=number == len(prepared.groups))))
            for line in prepared.note.split("\n") if prepared.note else ():
                say("\n".join(fold(line, width)))
        elif isinstance(block, Chart):
            say("\n".join(chart_lines(block)))
        elif isinstance(block, Paragraphs):
            say("\n".join(paragraph_lines(block, width)))
        elif isinstance(block, PageBreak):
            say("═" * min(width, 60))
    return "".join(text + "\n" for text in out)


def render(view, target) -> str:
    if not target.terminal:
        from .text import render_document

        return render_document(view.document(), target.width, wide=target.wide)
    return draw(view.document(), target.width or 80, colour=colour_wanted(), wide=target.wide)
