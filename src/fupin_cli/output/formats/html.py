"""HTML: the printouts (督办周报/月报/季报, 督办通知单) and the html of every list.

One self-contained page: inline CSS only, no scripts, no external files, no web
fonts.  It prints on A4: page numbers “第 x 页 共 y 页” and the report's short title
in the page margins, every table's section title and column header repeated at
the top of each page it runs onto, a task's text printed once over its periods.
It reads on screen too.  The traffic light of a status is a colour, a glyph and
words, so a black-and-white printer still shows it.  Every text is escaped.
"""

from __future__ import annotations

from html import escape

from ..document import (
    STATUS_WORDS,
    Chart,
    Column,
    Document,
    PageBreak,
    Paragraphs,
    Table,
    cell_text,
    change_text,
    hoist_constant_columns,
    ordered_groups,
)
from ..layout import merged_spans, needs_landscape, print_widths

# Per status: (glyph, text colour, background colour).  Glyphs differ in shape, not only in colour.
STATUS_STYLE = {
    "overdue": ("●", "#b42318", "#fde8e6"),
    "due_soon": ("▲", "#8a5a00", "#fff4d6"),
    "upcoming": ("○", "#1e6b34", "#e6f4ea"),
    "ongoing": ("◇", "#0b6477", "#e3f4f7"),
    "done": ("■", "#1f4e9c", "#e5edfa"),
    "done_late": ("◆", "#8a2a7d", "#f6e6f3"),
    "extended": ("◐", "#5b3f8f", "#eee8f7"),
    "feedback_overdue": ("◍", "#a4461c", "#fbe9dd"),
    "waived": ("–", "#595959", "#eeeeee"),
}
_UNKNOWN_STATUS = ("◌", "#333333", "#f2f2f2")
PAGE_NUMBERS = '"第 " counter(page) " 页 共 " counter(pages) " 页"'

CSS = """
@page { size: A4 %(orientation)s; margin: %(margins)s;
  @top-right { content: "%(running)s"; font-size: 8pt; color: #555; }
  @bottom-center { content: %(numbers)s; font-size: 9pt; color: #333; } }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%%; }
body {
  margin: 0 auto; padding: 16px 20px; max-width: %(max_width)s; color: #1a1a1a; background: #fff;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif;
  font-size: 10pt; line-height: 1.4;
}
header.doc { border-bottom: 2px solid #b42318; padding-bottom: 5px; margin-bottom: 8px; }
h1 { font-size: 16pt; margin: 0 0 4px; text-align: center; letter-spacing: 0.04em; }
p.line { margin: 1px 0; text-align: center; color: #333; font-size: 9.5pt; }
.legend { margin: 4px 0 0; text-align: center; font-size: 8.5pt; }
.legend span { display: inline-block; margin: 0 6px; white-space: nowrap; }
section { margin: 10px 0 0; }
h2 { font-size: 12.5pt; margin: 10px 0 4px; padding-left: 8px; border-left: 4px solid #b42318; }
table { width: 100%%; border-collapse: collapse; font-size: 9pt; page-break-inside: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #8c8c8c; padding: 2px 4px; vertical-align: top; text-align: left; }
th { background: #eeeeee; font-weight: bold; }
tr.caption th { background: #fff; border: none; border-bottom: 1.5px solid #444; font-size: 10.5pt;
  text-align: left; padding: 2px 0 3px; }
tr.total td { font-weight: bold; background: #f3f3f3; border-top: 1.5px solid #444; }
td.kind-prose, td.kind-units, td.kind-period { white-space: pre-wrap; overflow-wrap: anywhere; }
td.kind-int, td.kind-change { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
th.kind-int, th.kind-change, th.kind-rate { text-align: center; }
td.kind-text, td.kind-date { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.kind-period { min-width: 6.5em; }
td.status { white-space: nowrap; font-weight: bold; }
td.rate { white-space: nowrap; }
td.up { color: #1e6b34; } td.down { color: #b42318; }
.bar { display: inline-block; width: 3.2em; height: 0.75em; border: 1px solid #555; vertical-align: middle;
  margin-right: 3px; background: #fff; }
.fill { height: 100%%; background: #2e7d32; }
.fill.low { background: #b42318; }
.fill.mid { background: #d08c00; }
.bar, .fill, td.status, tbody tr td, tr.total td {
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
.pct { display: inline-block; min-width: 2.6em; text-align: right; font-variant-numeric: tabular-nums; }
p.empty { color: #555; margin: 2px 0 6px; }
p.note { color: #444; font-size: 8.5pt; margin: 3px 0 0; }
figure { margin: 8px 0 0; break-inside: avoid; }
figure svg { width: 100%%; height: auto; max-height: 70mm; }
figcaption { font-size: 8.5pt; color: #444; }
.page-break { break-after: page; page-break-after: always; height: 0; }
div.heading { font-size: 18pt; font-weight: bold; text-align: center; letter-spacing: 0.3em; margin: 6px 0 2px; }
div.small { text-align: right; font-size: 9pt; color: #333; }
div.salutation { font-weight: bold; margin: 10px 0 4px; font-size: 11pt; }
div.body p { text-indent: 2em; margin: 2px 0; font-size: 11pt; line-height: 1.6; }
div.signature { margin: 14px 0 0 55%%; font-size: 11pt; line-height: 2.1; }
div.receipt { margin: 12px 0 0; border: 1px solid #8c8c8c; padding: 4px 8px; font-size: 10pt; line-height: 2; }
body.compact table { font-size: 8pt; line-height: 1.3; }
body.compact th, body.compact td { padding: 1px 3px; }
body.compact div.body p { font-size: 10pt; line-height: 1.4; }
body.compact div.salutation { margin: 0 0 1px; font-size: 10.5pt; }
body.compact div.small { font-size: 8.5pt; line-height: 1.2; }
body.compact div.signature { margin: 3px 0 0 42%%; font-size: 10.5pt; line-height: 1.5; }
body.compact div.receipt { margin-top: 3px; line-height: 1.4; border: none; border-top: 1px dashed #8c8c8c;
  padding: 2px 0 0; }
body.compact div.heading { font-size: 16pt; margin: 0; line-height: 1.2; }
@media screen { body { background: #fff; } }
@media print { body { max-width: none; padding: 0; } h2 { break-after: avoid; page-break-after: avoid; } }
"""


def _e(text) -> str:
    return escape(str(text), quote=True)


def _css_string(text: str) -> str:
    """``text`` inside a CSS string: quotes, backslashes and anything that could close the style escaped."""
    return "".join(f"\\{ord(ch):x} " if ch in '\\"<>&' or ord(ch) < 0x20 else ch for ch in text)


def _status_style(key) -> tuple[str, str, str]:
    return STATUS_STYLE.get(key, _UNKNOWN_STATUS)


def _status_css() -> str:
    return "\n".join(f"td.status-{key}, .legend .status-{key} {{ color: {fg}; background-color: {bg} !important; }}"
                     for key, (_, fg, bg) in STATUS_STYLE.items())


def _cell(value, column: Column, rowspan: int = 1) -> str:
    kind, key = column.kind, column.key
    span = f' rowspan="{rowspan}"' if rowspan > 1 else ""
    if kind == "status":
        if value is None:
            return f'<td class="status"{span}></td>'
        glyph, _, _ = _status_style(value)
        css_key = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(value))
        return (f'<td class="status status-{_e(css_key)}"{span}><span class="glyph" aria-hidden="true">{glyph}</span>'
                f' <span class="words">{_e(STATUS_WORDS.get(value, str(value)))}</span></td>')
    if kind == "rate":
        if value is None:
            return f'<td class="rate"{span}><span class="pct">—</span></td>'
        share = min(max(float(value), 0.0), 1.0)
        level = "low" if share < 0.5 else "mid" if share < 0.8 else "high"
        return (f'<td class="rate"{span}><div class="bar" aria-hidden="true"><div class="fill {level}" '
                f'style="width: {share * 100:.1f}%"></div></div><span class="pct">{float(value):.0%}</span></td>')
    if kind == "change":
        direction = "" if value is None or round(value * 100) == 0 else " up" if value > 0 else " down"
        return f'<td class="kind-change{direction}"{span}>{_e(change_text(value))}</td>'
    return f'<td class="kind-{_e(kind)} col-{_e(key)}"{span}>{_e(cell_text(value, kind))}</td>'


def _table(table: Table, rows: list[dict], caption: str, total: dict | None, size: float = 9,
           width_mm: float = 186) -> list[str]:
    columns = [c for c in table.columns if c.key != table.group_by]
    cells = [[cell_text(r.get(c.key), c.kind) if c.kind != "rate" else "████ 100%" for c in columns]
             for r in rows + ([total] if total else [])]
    widths = print_widths(columns, cells, width_mm, size)
    share = sum(widths)
    out = ["<table>", "<colgroup>" + "".join(f'<col style="width: {w * 100 / share:.1f}%">' for w in widths)
           + "</colgroup>", "<thead>"]
    if caption:  # the section's title, repeated with the header on every printed page
        out.append(f'<tr class="caption"><th colspan="{len(columns)}">{_e(caption)}</th></tr>')
    out += ["<tr>" + "".join(f'<th class="kind-{_e(c.kind)}" scope="col">{_e(c.header)}</th>' for c in columns)
            + "</tr>", "</thead>", "<tbody>"]
    spans = merged_spans(table, rows)
    for row, span in zip(rows, spans):
        cells = []
        for column in columns:
            rowspan = span.get(column.key, 1)
            if rowspan == 0:
                continue
            cells.append(_cell(row.get(column.key), column, rowspan))
        out.append("<tr>" + "".join(cells) + "</tr>")
    if total:
        out.append('<tr class="total">' + "".join(_cell(total.get(c.key), c) for c in columns) + "</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _section(table: Table, size: float = 9, width_mm: float = 186) -> list[str]:
    table = hoist_constant_columns(table)
    out = ["<section>"]
    if not table.rows:
        out.append(f"<h2>{_e(table.heading)}</h2>")
        out.append(f'<p class="empty">{_e(table.empty)}</p>')
    elif table.group_by:
        out.append(f"<h2>{_e(table.heading)}</h2>")
        groups = ordered_groups(table.rows, table.group_by)
        for number, (key, group) in enumerate(groups, start=1):
            name = cell_text(key)
            caption = " · ".join(t for t in (table.title, f"{name}（{len(group)} 项）") if t)
            out += _table(table, group, caption, table.total if number == len(groups) else None, size, width_mm)
    else:
        out += _table(table, table.rows, table.heading, table.total, size, width_mm)
    if table.note:
        out.append(f'<p class="note">{_e(table.note)}</p>')
    out.append("</section>")
    return out


def chart_svg(chart: Chart, width: int = 680, height: int = 220) -> str:
    """A line chart of rates (0–100%) as inline SVG: gridlines, the line, a dot and a label per point."""
    left, right, top, bottom = 44, 12, 14, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    points = chart.points
    count = max(len(points), 1)
    step = plot_w / max(count - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if count > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top + plot_h * (1 - min(max(value, 0.0), 1.0))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{_e(chart.title)}" font-family="sans-serif" font-size="10">']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        ty = y(tick)
        out.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{ty + 3.5:.1f}" text-anchor="end" fill="#555">{tick:.0%}</text>')
    every = max(1, -(-count // 14))  # at most about 14 labels on the axis
    for i, (label, _) in enumerate(points):
        if i % every == 0 or i == count - 1:
            out.append(f'<text x="{x(i):.1f}" y="{height - bottom + 14}" text-anchor="middle" fill="#333">'
                       f"{_e(label)}</text>")
    known = [(i, v) for i, (_, v) in enumerate(points) if v is not None]
    if len(known) > 1:
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in known)
        out.append(f'<polyline points="{path}" fill="none" stroke="#1f4e9c" stroke-width="2"/>')
    for i, v in known:
        out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="#1f4e9c"/>')
    if known:
        i, v = known[-1]
        out.append(f'<text x="{x(i) - 4:.1f}" y="{y(v) - 7:.1f}" text-anchor="end" fill="#1f4e9c" '
                   f'font-weight="bold">{v:.0%}</text>')
    out.append(f'<text x="{left}" y="{height - 6}" fill="#555">{_e(chart.y_label)}（按周）</text>')
    out.append("</svg>")
    return "".join(out)


def _chart(chart: Chart) -> list[str]:
    out = ["<section>", f"<h2>{_e(chart.title)}</h2>", "<figure>", chart_svg(chart)]
    if chart.note:
        out.append(f"<figcaption>{_e(chart.note)}</figcaption>")
    out += ["</figure>", "</section>"]
    return out


def _paragraphs(block: Paragraphs) -> list[str]:
    if block.style == "body":
        return ['<div class="body">', *(f"<p>{_e(line)}</p>" for line in block.lines), "</div>"]
    lines = "<br>".join(_e(line) if line else "&nbsp;" for line in block.lines)
    return [f'<div class="{_e(block.style)}">{lines}</div>']


def _legend(document: Document) -> list[str]:
    """The glyph key, when a table shows statuses: which shape means which light."""
    used = {row.get(c.key) for t in document.all_tables() for c in t.columns if c.kind == "status" for row in t.rows}
    keys = [k for k in STATUS_WORDS if k in used]
    if not keys:
        return []
    items = "".join(f'<span class="status-{k}">{_status_style(k)[0]} {_e(STATUS_WORDS[k])}</span>' for k in keys)
    return [f'<p class="legend">图例：{items}</p>']


def render_document(document: Document) -> str:
    running = document.running or document.title
    landscape = needs_landscape(document, 8 if document.compact else 9)
    css = CSS % {"orientation": "landscape" if landscape else "portrait",
                 "margins": "10mm 11mm 13mm 11mm" if document.compact else "14mm 12mm 16mm 12mm",
                 "running": _css_string(running), "numbers": PAGE_NUMBERS,
                 "max_width": "1400px" if landscape else "1000px"}
    head = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(document.title)}</title>", '<meta name="generator" content="fupin">']
    if document.subject:
        head.append(f'<meta name="subject" content="{_e(document.subject)}">')
    if document.lines:
        head.append(f'<meta name="description" content="{_e("；".join(document.lines))}">')
    out = head + ["<style>" + css + _status_css() + "\n</style>", "</head>",
                  '<body class="compact">' if document.compact else "<body>"]
    body = document.body()
    if not (body and isinstance(body[0], Paragraphs) and body[0].style == "heading"):
        out += ['<header class="doc">', f"<h1>{_e(document.title)}</h1>"]
        out += [f'<p class="line">{_e(line)}</p>' for line in document.lines]
        out += _legend(document)
        out.append("</header>")
    for block in body:
        if isinstance(block, Table):
            out += _section(block, 8 if document.compact else 9, 273 if landscape else 186)
        elif isinstance(block, Chart):
            out += _chart(block)
        elif isinstance(block, Paragraphs):
            out += _paragraphs(block)
        elif isinstance(block, PageBreak):
            out.append('<div class="page-break"></div>')
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def render(view, target=None) -> str:
    return render_document(view.document())
