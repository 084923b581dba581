"""Plain text for pipes and files: no colour, ASCII rules, Chinese characters counted two cells wide.

Without a width (a pipe or file with no COLUMNS) nothing is folded or cut: each
row is one line, columns fitted to the content.  With a width (COLUMNS) tables
fit it the way the terminal does (see :mod:`fupin_cli.output.layout`).
"""

from __future__ import annotations

from ...domain.text import display_width, fold
from ..document import Chart, Document, PageBreak, Paragraphs, Table, cell_text, percent, rate_bar
from ..layout import Prepared, pad, prepare, record_lines

BAR_CELLS = 5


def terminal_cell(value, kind: str) -> str:
    """A cell as the terminal shows it: a completion rate with a small bar."""
    if kind == "rate" and value is not None:
        return rate_bar(value, BAR_CELLS)
    return cell_text(value, kind)


def _rule(widths: list[int], fill: str = "-") -> str:
    return "+" + "+".join(fill * (w + 2) for w in widths) + "+"


def _row_lines(cells: list[list[str]], widths: list[int], right: list[bool]) -> list[str]:
    height = max(len(c) for c in cells)
    out = []
    for i in range(height):  # headers and cells top-aligned
        parts = [pad(c[i] if i < len(c) else "", w, r) for c, w, r in zip(cells, widths, right)]
        out.append("| " + " | ".join(parts) + " |")
    return out


def table_lines(prepared: Prepared, width: int | None) -> list[str]:
    """A prepared table as plain lines: per group a heading, the header, the rows; the total last."""
    layout = prepared.layout
    out: list[str] = []
    if layout.records:
        rule = "-" * min(width or 40, 40)
        for heading, indexes in prepared.groups:
            if heading:
                out.append(heading)
            for index in indexes:
                out.append(rule)
                out += record_lines(prepared.columns, [prepared.cells[index]], width)[0]
        if prepared.total_cells:
            out.append(rule)
            out += record_lines(prepared.columns, [prepared.total_cells], width)[0]
        out.append(rule)
    else:
        widths = layout.widths
        right = [c.numeric for c in layout.columns]
        separate = layout.multiline
        for number, (heading, indexes) in enumerate(prepared.groups, start=1):
            if heading:
                out.append(heading)
            out += [_rule(widths), *_row_lines(layout.header, widths, [False] * len(widths)), _rule(widths, "=")]
            for n, index in enumerate(indexes):
                if separate and n:
                    out.append(_rule(widths))
                out += _row_lines(layout.rows[index], widths, right)
            if prepared.total and number == len(prepared.groups):
                out += [_rule(widths), *_row_lines(prepared.total, widths, right)]
            out.append(_rule(widths))
    if prepared.note:
        for line in prepared.note.split("\n"):
            out += fold(line, width) if width else [line]
    return out


def chart_lines(chart: Chart) -> list[str]:
    """A trend as one line per point: label, bar, rate."""
    label_width = max((display_width(label) for label, _ in chart.points), default=0)
    out = [chart.title]
    for label, value in chart.points:
        out.append(f"  {pad(label, label_width)}  {rate_bar(value, 20) if value is not None else percent(value)}")
    if chart.note:
        out.append(chart.note)
    return out


def paragraph_lines(block: Paragraphs, width: int | None) -> list[str]:
    out = []
    for line in block.lines:
        indent = "　　" if block.style == "body" and line else ""
        out += fold(line, width, indent=indent) if width and line else [indent + line]
    return out


def starts_with_heading(body: list) -> bool:
    """A document whose pages carry their own headings (notices) shows no title of its own."""
    return bool(body) and isinstance(body[0], Paragraphs) and body[0].style == "heading"


def render_document(document: Document, width: int | None = None, wide: bool = False) -> str:
    body = document.body()
    out = [] if starts_with_heading(body) else [
        line for text in (document.title, *document.lines) for line in (fold(text, width) if width else [text])]
    for block in body:
        out.append("")
        if isinstance(block, Table):
            if not block.rows:
                out += [line for line in (block.heading, block.empty) if line]
                continue
            prepared = prepare(block, width, wide=wide, cell=terminal_cell)
            if prepared.heading:
                out.append(prepared.heading)
            out += table_lines(prepared, width)
        elif isinstance(block, Chart):
            out += chart_lines(block)
        elif isinstance(block, Paragraphs):
            out += paragraph_lines(block, width)
        elif isinstance(block, PageBreak):
            out.append("=" * min(width or 60, 60))
    if out and out[0] == "":
        out.pop(0)
    return "\n".join(out) + "\n"


def render(view, target=None) -> str:
    width = target.width if target is not None else None
    return render_document(view.document(), width, wide=bool(target and target.wide))
