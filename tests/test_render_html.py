"""render.html: parse the page back and compare its cells with the rows."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

from fupin_cli.output import views
from fupin_cli.reports.rows import Row
from fupin_cli.output.document import STATUS_WORDS, Column, Document, Table, cell_text
from fupin_cli.output.formats import html
from fupin_cli.reports.weekly import UnitSummary, WeeklyReport

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'


def make_row(task="5.1", text="编制年度扶贫资金使用计划", unit="市民政局", period="2018-07",
             due=date(2018, 7, 10), status="overdue", days=-3, required=1, done_count=0, done_date=None,
             category="资金保障") -> Row:
    return Row(task=task, text=text, category=category, unit=unit, period=period, nominal_due=due, due=due,
               status=status, days=days, required=required, done_count=done_count, done_date=done_date)


ROWS = [
    make_row(text=SCRIPT),
    make_row(task="R.1", text=FORMULA, unit="市财政局", status="due_soon", days=4, due=date(2018, 7, 17)),
    make_row(task="3.2", text="@SUM(A1)", unit="市财政局", status="upcoming", days=20, due=date(2018, 8, 2),
             required=2, done_count=1),
    make_row(task="7.1", text="建档立卡 & 动态调整 \"精准\"", unit="<b>金平区</b>", status="done", days=None,
             done_count=1, done_date=date(2018, 7, 9)),
]


class Page(HTMLParser):
    """Collects elements, table cells (by table) and headings of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.tables: list[list[list[str]]] = []   # tables → body rows → cell texts
        self.heads: list[list[str]] = []          # tables → last header row texts
        self.cell_classes: list[list[list[str]]] = []
        self.headings: dict[str, list[str]] = {"h1": [], "h2": [], "h3": [], "title": []}
        self._cell: list[str] | None = None
        self._heading: str | None = None
        self._in_thead = False
        self._row: list[str] | None = None
        self._row_classes: list[str] = []
        self._style = False
        self.style = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "table":
            self.tables.append([])
            self.heads.append([])
            self.cell_classes.append([])
        elif tag == "thead":
            self._in_thead = True
        elif tag == "tr":
            self._row, self._row_classes = [], []
            self._row_is_running = "running" in (attrs.get("class") or "")
        elif tag in ("td", "th"):
            self._cell = []
            self._row_classes.append(attrs.get("class") or "")
        elif tag in self.headings:
            self._heading, self._text = tag, []
        elif tag == "style":
            self._style = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr":
            if self._in_thead:
                if not self._row_is_running:
                    self.heads[-1] = self._row
            else:
                self.tables[-1].append(self._row)
                self.cell_classes[-1].append(self._row_classes)
            self._row = None
        elif tag == "thead":
            self._in_thead = False
        elif tag == self._heading:
            self.headings[tag].append("".join(self._text))
            self._heading = None
        elif tag == "style":
            self._style = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._text.append(data)
        if self._style:
            self.style += data


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def weekly() -> WeeklyReport:
    return WeeklyReport(
        title="2018年汕头市脱贫攻坚主要任务清单", doc_no="汕扶〔2018〕9号", as_of=date(2018, 7, 13),
        year=2018, week=28, week_start=date(2018, 7, 9), week_end=date(2018, 7, 15),
        summaries=[UnitSummary("市民政局", overdue=1, done_on_time=3),
                   UnitSummary("市财政局", due_this_week=1), UnitSummary("金平区", done_on_time=2)],
        overdue=[ROWS[0]], due_this_week=[ROWS[1]], due_next_week=[], done_this_week=[ROWS[3]])


def expected_cells(table: Table, row: dict) -> list[str]:
    out = []
    for c in table.columns:
        value = row.get(c.key)
        if c.kind == "status":
            out.append(STATUS_WORDS[value])
        elif c.kind == "rate":
            out.append("—" if value is None else f"{value:.0%}")
        else:
            out.append(cell_text(value, c.kind))
    return out


def strip_glyph(text: str) -> str:
    return re.sub(r"^[●▲○◇■◆◌]\s*", "", text)


def test_rows_document_cells_match_rows():
    document = views.rows_document("逾期事项", ["截至 2018-07-13，共 4 项"], ROWS, group_by_unit=False, empty="（无）")
    page = parse(html.render_document(document))
    (table,) = document.tables
    assert len(page.tables) == 1
    assert page.heads[0] == [c.header for c in table.columns]
    body = [[strip_glyph(cell) for cell in row] for row in page.tables[0]]
    assert body == [expected_cells(table, r) for r in table.rows]
    # explicit values, not only computed ones
    assert body[0][:7] == ["红灯·逾期", "市民政局", "5.1", SCRIPT, "2018-07", "2018-07-10", "2018-07-10"]
    assert body[0][7:] == ["逾期3天", "0/1"]
    assert body[1][0] == "黄灯·临近" and body[1][3] == FORMULA
    assert body[2][3] == "@SUM(A1)" and body[2][-1] == "1/2"
    assert body[3][1] == "<b>金平区</b>"


def test_status_cells_have_colour_class_glyph_and_words():
    document = views.rows_document("到期事项", [], ROWS, group_by_unit=False, empty="（无）")
    page = parse(html.render_document(document))
    statuses = [row[0] for row in page.tables[0]]
    classes = [row[0] for row in page.cell_classes[0]]
    assert statuses == ["● 红灯·逾期", "▲ 黄灯·临近", "○ 绿灯·正常", "■ 已完成"]
    assert [c.split() for c in classes] == [["status", "status-overdue"], ["status", "status-due_soon"],
                                            ["status", "status-upcoming"], ["status", "status-done"]]
    assert "td.status-overdue" in page.style


def test_script_is_escaped_and_page_is_self_contained():
    document = views.rows_document("<script>alert(2)</script>", ["行 <i>x</i>"], ROWS,
                                   group_by_unit=True, empty="（无）")
    text = html.render_document(document)
    page = parse(text)
    assert "<script" not in text.lower().replace("&lt;script", "")
    assert not [t for t, _ in page.tags if t in ("script", "link", "iframe", "img", "object", "embed")]
    assert not [a for _, a in page.tags if "src" in a or "href" in a]
    assert not re.search(r"""(src|href)\s*=|@import|url\(|@font-face""", text, re.I)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;金平区&lt;/b&gt;" in text  # group key escaped in its heading
    assert page.headings["title"] == ["<script>alert(2)</script>"]
    assert page.headings["h1"] == ["<script>alert(2)</script>"]


def test_page_head_and_print_css():
    text = html.render_document(Document("督办周报", ["第一行"], [Table("表", [Column("a", "甲")], [{"a": "x"}])]))
    page = parse(text)
    assert text.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "zh-CN"}) in page.tags
    assert ("meta", {"charset": "utf-8"}) in page.tags
    assert "@page" in page.style and "size: A4" in page.style
    assert "thead { display: table-header-group; }" in page.style
    assert '"Noto Sans CJK SC"' in page.style and '"Microsoft YaHei"' in page.style and '"SimSun"' in page.style
    assert "print-color-adjust: exact" in page.style and "-webkit-print-color-adjust: exact" in page.style


def test_grouped_table_has_a_heading_and_table_per_group():
    rows = sorted(ROWS, key=lambda r: r.unit)
    document = views.rows_document("按单位", [], rows, group_by_unit=True, empty="（无）")
    page = parse(html.render_document(document))
    assert page.headings["h3"] == ["<b>金平区</b>（1 项）", "市民政局（1 项）", "市财政局（2 项）"]
    assert len(page.tables) == 3
    assert "责任单位" not in page.heads[0]
    assert [len(t) for t in page.tables] == [1, 1, 2]
    assert [strip_glyph(r[0]) for r in page.tables[2]] == ["黄灯·临近", "绿灯·正常"]


def test_empty_table_shows_its_message():
    document = views.rows_document("逾期事项", [], [], group_by_unit=False, empty="目前没有逾期事项")
    text = html.render_document(document)
    assert "目前没有逾期事项" in text
    assert parse(text).tables == []


def test_weekly_report_summary_rates_and_sections():
    report = weekly()
    document = views.weekly_document(report)
    text = html.render_document(document)
    page = parse(text)
    assert page.headings["h1"] == ["2018年汕头市脱贫攻坚主要任务清单 督办周报（2018年第28周）"]
    assert page.headings["h2"] == ["各单位汇总", "逾期未完成（1 项）", "本周到期（1 项）", "下周到期（0 项）",
                                   "本周已完成（1 项）"]
    summary = page.tables[0]
    assert page.heads[0][-1] == "完成率"
    assert [r[0] for r in summary] == ["市民政局", "市财政局", "金平区"]
    assert [r[-1] for r in summary] == ["75%", "—", "100%"]
    assert [r[1] for r in summary] == ["1", "0", "0"]
    assert 'style="width: 75.0%"' in text and 'style="width: 100.0%"' in text
    shown = [t for t in document.tables if t.rows]  # an empty table shows its message, not a <table>
    assert len(shown) == len(page.tables) == 4
    for table, parsed in zip(shown, page.tables):
        assert [[strip_glyph(c) for c in row] for row in parsed] == [expected_cells(table, r) for r in table.rows]
    assert "（无）" in text  # 下周到期 is empty
    overdue = page.tables[1][0]
    assert overdue == ["● 红灯·逾期", "市民政局", "5.1", SCRIPT, "2018-07", "2018-07-10", "3"]
    assert page.tables[3][0][-1] == "2018-07-09"  # done date, ISO


def test_long_tables_repeat_the_title_in_their_header():
    columns = [Column("a", "甲")]
    document = Document("督办<周报>", [], [Table("短表", columns, [{"a": "x"}] * 3),
                                          Table("长表", columns, [{"a": "y"}] * 30)])
    text = html.render_document(document)
    page = parse(text)
    assert text.count('<tr class="running">') == 1
    assert "督办&lt;周报&gt; · 长表" in text
    assert [len(t) for t in page.tables] == [3, 30] and page.heads == [["甲"], ["甲"]]
