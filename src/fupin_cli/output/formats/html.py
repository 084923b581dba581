"""HTML: the weekly supervision printout (督办周报) and the html of due/overdue lists.

One self-contained page: inline CSS only, no scripts, no external files, no web
fonts.  It prints on A4 (the table header repeats on every printed page) and
reads on screen.  The traffic light of a status is a colour, a glyph and words,
so a black-and-white printer still shows it.  Every text is escaped.
"""

from __future__ import annotations

from html import escape
from itertools import groupby

from ..document import STATUS_WORDS, Document, Table, cell_text

# Per status: (glyph, text colour, background colour).  Glyphs differ in shape, not only in colour.
STATUS_STYLE = {
    "overdue": ("●", "#b42318", "#fde8e6"),
    "due_soon": ("▲", "#8a5a00", "#fff4d6"),
    "upcoming": ("○", "#1e6b34", "#e6f4ea"),
    "ongoing": ("◇", "#0b6477", "#e3f4f7"),
    "done": ("■", "#1f4e9c", "#e5edfa"),
    "done_late": ("◆", "#8a2a7d", "#f6e6f3"),
}
_UNKNOWN_STATUS = ("◌", "#333333", "#f2f2f2")
# Tables longer than this repeat the report title above their header on every printed page.
RUNNING_HEADER_ROWS = 20

CSS = """
@page { size: A4; margin: 14mm 12mm 14mm 12mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0 auto; padding: 16px 20px; max-width: 1100px; color: #1a1a1a; background: #fff;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif;
  font-size: 10.5pt; line-height: 1.45;
}
header.doc { border-bottom: 2px solid #b42318; padding-bottom: 6px; margin-bottom: 10px; }
h1 { font-size: 17pt; margin: 0 0 4px; text-align: center; letter-spacing: 0.05em; }
p.line { margin: 2px 0; text-align: center; color: #444; font-size: 9.5pt; }
.legend { margin: 6px 0 0; text-align: center; font-size: 9pt; }
.legend span { display: inline-block; margin: 0 6px; white-space: nowrap; }
section { margin: 14px 0 0; }
h2 { font-size: 13pt; margin: 12px 0 6px; padding-left: 8px; border-left: 4px solid #b42318; }
h3 { font-size: 11pt; margin: 10px 0 4px; color: #333; }
table { width: 100%; border-collapse: collapse; font-size: 9.5pt; page-break-inside: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #8c8c8c; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #eeeeee; font-weight: bold; white-space: nowrap; }
tbody tr:nth-child(even) td { background-color: #fafafa; }
tr.running th { background: #fff; border: none; border-bottom: 1px solid #8c8c8c; font-weight: normal;
  font-size: 8pt; color: #555; text-align: right; padding: 0 0 3px; }
td.kind-text { white-space: pre-wrap; overflow-wrap: anywhere; }
td.kind-int, th.kind-int { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.col-period, td.col-task, td.col-id, td.col-seq { white-space: nowrap; }
td.kind-date { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.status { white-space: nowrap; font-weight: bold; }
td.rate { white-space: nowrap; min-width: 8em; }
.bar { display: inline-block; width: 5em; height: 0.8em; border: 1px solid #555; vertical-align: middle;
  margin-right: 4px; background: #fff; }
.fill { height: 100%; background: #2e7d32; }
.fill.low { background: #b42318; }
.fill.mid { background: #d08c00; }
.bar, .fill, td.status, tbody tr td {
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
.pct { display: inline-block; min-width: 2.8em; text-align: right; font-variant-numeric: tabular-nums; }
p.empty { color: #555; margin: 4px 0 8px; }
@media screen { tr.running { display: none; } }
@media print {
  body { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
}
"""


def _e(text) -> str:
    return escape(str(text), quote=True)


def _status_style(key) -> tuple[str, str, str]:
    return STATUS_STYLE.get(key, _UNKNOWN_STATUS)


def _status_css() -> str:
    return "\n".join(f"td.status-{key}, .legend .status-{key} {{ color: {fg}; background-color: {bg} !important; }}"
                     for key, (_, fg, bg) in STATUS_STYLE.items())


def _cell(value, kind: str, key: str = "") -> str:
    if kind == "status":
        if value is None:
            return '<td class="status"></td>'
        glyph, _, _ = _status_style(value)
        css_key = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(value))
        return (f'<td class="status status-{_e(css_key)}"><span class="glyph" aria-hidden="true">{glyph}</span>'
                f' <span class="words">{_e(STATUS_WORDS.get(value, str(value)))}</span></td>')
    if kind == "rate":
        if value is None:
            return '<td class="rate"><span class="pct">—</span></td>'
        share = min(max(float(value), 0.0), 1.0)
        level = "low" if share < 0.5 else "mid" if share < 0.8 else "high"
        return (f'<td class="rate"><div class="bar" aria-hidden="true"><div class="fill {level}" '
                f'style="width: {share * 100:.1f}%"></div></div><span class="pct">{float(value):.0%}</span></td>')
    return f'<td class="kind-{_e(kind)} col-{_e(key)}">{_e(cell_text(value, kind))}</td>'


def _table(document: Document, table: Table, rows: list[dict], heading: str) -> list[str]:
    columns = table.columns
    out = ["<table>", "<thead>"]
    if len(rows) > RUNNING_HEADER_ROWS:  # long enough to run onto another printed page
        running = document.title + (f" · {heading}" if heading else "")
        out.append(f'<tr class="running"><th colspan="{len(columns)}">{_e(running)}</th></tr>')
    out += [
           "<tr>" + "".join(f'<th class="kind-{_e(c.kind)}" scope="col">{_e(c.header)}</th>' for c in columns) + "</tr>",
           "</thead>", "<tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(_cell(row.get(c.key), c.kind, c.key) for c in columns) + "</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _section(document: Document, table: Table) -> list[str]:
    out = ["<section>"]
    if table.title:
        out.append(f"<h2>{_e(table.title)}</h2>")
    if not table.rows:
        out.append(f'<p class="empty">{_e(table.empty)}</p>')
    elif table.group_by:
        for key, group in groupby(table.rows, key=lambda r: r.get(table.group_by)):
            group = list(group)
            name = cell_text(key)
            out.append(f"<h3>{_e(name)}（{len(group)} 项）</h3>")
            out += _table(document, table, group, " · ".join(t for t in (table.title, name) if t))
    else:
        out += _table(document, table, table.rows, table.title)
    out.append("</section>")
    return out


def _legend(document: Document) -> list[str]:
    """The glyph key, when a table shows statuses: which shape means which light."""
    used = {row.get(c.key) for t in document.tables for c in t.columns if c.kind == "status" for row in t.rows}
    keys = [k for k in STATUS_WORDS if k in used]
    if not keys:
        return []
    items = "".join(f'<span class="status-{k}">{_status_style(k)[0]} {_e(STATUS_WORDS[k])}</span>' for k in keys)
    return [f'<p class="legend">图例：{items}</p>']


def render_document(document: Document) -> str:
    out = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(document.title)}</title>",
           "<style>" + CSS + _status_css() + "\n</style>", "</head>", "<body>",
           '<header class="doc">', f"<h1>{_e(document.title)}</h1>"]
    out += [f'<p class="line">{_e(line)}</p>' for line in document.lines]
    out += _legend(document)
    out.append("</header>")
    for table in document.tables:
        out += _section(document, table)
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def render(view, target=None) -> str:
    return render_document(view.document())
