"""render.html: parse the page back and compare its cells with the rows."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from fupin_cli.output import views
from fupin_cli.output.document import STATUS_WORDS, Chart, Column, Document, PageBreak, Paragraphs, Table, cell_text
from fupin_cli.output.formats import html
from fupin_cli.reports.monthly import monthly_report
from fupin_cli.reports.rows import Row
from fupin_cli.reports.weekly import weekly_report
from support import report_plans as rp

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
    """Tables (caption, header, body rows with their cells' classes and rowspans), headings, tags, style."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.tables: list[dict] = []
        self.headings: dict[str, list[str]] = {"h1": [], "h2": [], "title": []}
        self.style = ""
        self._cell: list[str] | None = None
        self._row: list | None = None
        self._part = ""
        self._heading: str | None = None
        self._text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "table":
            self.tables.append({"caption": None, "head": None, "rows": [], "classes": [], "spans": []})
        elif tag in ("thead", "tbody"):
            self._part = tag
        elif tag == "tr":
            self._row, self._row_class = [], attrs.get("class") or ""
            self._classes, self._spans = [], []
        elif tag in ("td", "th"):
            self._cell = []
            self._classes.append(attrs.get("class") or "")
            self._spans.append(int(attrs.get("rowspan", 1)))
        elif tag in self.headings:
            self._heading, self._text = tag, []
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr":
            table = self.tables[-1]
            if self._row_class == "caption":
                table["caption"] = self._row[0]
            elif self._part == "thead":
                table["head"] = self._row
            else:
                table["rows"].append(self._row)
                table["classes"].append(self._classes)
                table["spans"].append(self._spans)
        elif tag == self._heading:
            self.headings[tag].append("".join(self._text))
            self._heading = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._text.append(data)
        if self._in_style:
            self.style += data


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def strip_glyph(text: str) -> str:
    return re.sub(r"^[●▲○◇■◆◌]\s*", "", text)


def test_rows_document_cells_match_rows():
    document = views.rows_document("逾期事项", ["截至 2018-07-13，共 4 项"], ROWS, group_by_unit=False, empty="（无）")
    page = parse(html.render_document(document))
    (table,) = page.tables
    assert table["head"] == [c.header for c in document.tables[0].columns]
    body = [[strip_glyph(cell) for cell in row] for row in table["rows"]]
    assert body[0] == ["红灯·逾期", "市民政局", "5.1", SCRIPT, "2018-07", "2018-07-10", "2018-07-10", "逾期3天", "0/1"]
    assert body[1][0] == "黄灯·临近" and body[1][3] == FORMULA
    assert body[2][3] == "@SUM(A1)" and body[2][-1] == "1/2"
    assert body[3][1] == "<b>金平区</b>"


def test_status_cells_have_colour_class_glyph_and_words():
    document = views.rows_document("到期事项", [], ROWS, group_by_unit=False, empty="（无）")
    page = parse(html.render_document(document))
    (table,) = page.tables
    assert [row[0] for row in table["rows"]] == ["● 红灯·逾期", "▲ 黄灯·临近", "○ 绿灯·正常", "■ 已完成"]
    assert [c[0].split() for c in table["classes"]] == [["status", "status-overdue"], ["status", "status-due_soon"],
                                                        ["status", "status-upcoming"], ["status", "status-done"]]
    assert "td.status-overdue" in page.style


def test_script_is_escaped_and_page_is_self_contained():
    document = views.rows_document("<script>alert(2)</script>", ["行 <i>x</i>"], ROWS, group_by_unit=True,
                                   empty="（无）")
    text = html.render_document(document)
    page = parse(text)
    assert "<script" not in text.lower().replace("&lt;script", "")
    assert not [t for t, _ in page.tags if t in ("script", "link", "iframe", "img", "object", "embed")]
    assert not [a for _, a in page.tags if "src" in a or "href" in a]
    assert not re.search(r"""(src|href)\s*=|@import|url\(|@font-face""", text, re.I)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;金平区&lt;/b&gt;（1 项）" in text  # group key escaped in its caption
    assert page.headings["title"] == ["<script>alert(2)</script>"]
    assert page.headings["h1"] == ["<script>alert(2)</script>"]
    assert "@top-right { content: \"\\3c script\\3e alert(2)\\3c /script\\3e \"" in text  # safe in the CSS string


def test_page_head_print_css_and_page_numbers():
    text = html.render_document(Document("督办周报", ["第一行"], [Table("表", [Column("a", "甲")], [{"a": "x"}])],
                                         subject="市民政局", running="督办周报（2018年第29周）"))
    page = parse(text)
    assert text.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "zh-CN"}) in page.tags and ("meta", {"charset": "utf-8"}) in page.tags
    assert ("meta", {"name": "subject", "content": "市民政局"}) in page.tags
    assert "size: A4 portrait" in page.style
    assert '@bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"' in page.style
    assert '@top-right { content: "督办周报（2018年第29周）"' in page.style
    assert "thead { display: table-header-group; }" in page.style
    assert '"Noto Sans CJK SC"' in page.style and '"Microsoft YaHei"' in page.style and '"SimSun"' in page.style
    assert "print-color-adjust: exact" in page.style
    assert "size: A4 landscape" in html.render_document(Document("宽", [], [], landscape=True))


def test_every_table_repeats_its_section_title_in_its_header():
    document = Document("周报", [], [Table("逾期未完成", [Column("a", "甲")], [{"a": "x"}] * 30, count="（30 项）"),
                                      Table("本周到期", [Column("a", "甲")], [], empty="（无）")])
    page = parse(html.render_document(document))
    assert [(t["caption"], t["head"], len(t["rows"])) for t in page.tables] == [("逾期未完成（30 项）", ["甲"], 30)]
    assert page.headings["h2"] == ["本周到期"]  # an empty list has no table, only its words
    assert "（无）" in html.render_document(document)


def test_grouped_table_has_a_captioned_table_per_group_each_unit_once():
    rows = [ROWS[1], ROWS[0], ROWS[2]]  # 市财政局 twice, not next to each other
    document = views.rows_document("按单位", [], rows, group_by_unit=True, empty="（无）")
    page = parse(html.render_document(document))
    assert [t["caption"] for t in page.tables] == ["市财政局（2 项）", "市民政局（1 项）"]
    assert "责任单位" not in page.tables[0]["head"]
    assert [strip_glyph(r[0]) for r in page.tables[0]["rows"]] == ["黄灯·临近", "绿灯·正常"]


def test_merged_task_text_spans_its_periods():
    columns = [Column("task", "编号"), Column("text", "工作任务", "prose"), Column("period", "期间")]
    rows = [{"task": "2.1", "text": "录入", "period": "4月"}, {"task": "2.1", "text": "录入", "period": "5月"},
            {"task": "2.2", "text": "录入", "period": "4月"}]
    page = parse(html.render_document(Document("t", [], [Table("表", columns, rows, merge=("task", "text"))])))
    (table,) = page.tables
    assert table["rows"] == [["2.1", "录入", "4月"], ["5月"], ["2.2", "录入", "4月"]]
    assert table["spans"] == [[2, 2, 1], [1], [1, 1, 1]]  # 2.2 has the same text but is another task


@pytest.fixture
def weekly_page(tmp_path):
    plan = rp.plan()
    report = weekly_report(rp.timetable(plan), rp.ledger(tmp_path).as_of(rp.MONDAY))
    document = views.period_document(report, plan)
    return document, html.render_document(document)


def test_weekly_summary_rank_rates_change_and_total(weekly_page):
    document, text = weekly_page
    page = parse(text)
    assert page.headings["h1"] == ["测试清单 督办周报（2018年第29周）"]
    summary = page.tables[0]
    assert summary["caption"] == "各单位完成情况"
    assert summary["head"] == ["排名", "责任单位", "应完成", "已完成", "其中逾期完成", "逾期未完成", "本周到期",
                               "下周到期", "本周已完成", "上周完成率", "本周完成率", "变化"]
    assert summary["rows"] == [
        ["3", "甲局", "8", "3", "2", "5", "0", "0", "1", "25%", "38%", "▲13"],
        ["1", "乙局", "1", "1", "0", "0", "0", "0", "0", "100%", "100%", "持平"],
        ["1", "东区", "2", "2", "1", "0", "0", "1", "0", "100%", "100%", "持平"],
        ["4", "西区", "2", "0", "0", "2", "1", "0", "0", "0%", "0%", "持平"],
        ["", "合计", "13", "6", "3", "7", "1", "1", "1", "38%", "46%", "▲8"],
    ]
    assert 'class="kind-change up"' in text and 'style="width: 37.5%"' in text
    assert "依据：测试〔2018〕1号" in text and "全市应完成 13 项，已完成 6 项，逾期未完成 7 项，完成率 46%（上周 38%）" in text


def test_weekly_lists_are_consolidated_per_task_and_period(weekly_page):
    _, text = weekly_page
    page = parse(text)
    overdue = page.tables[1]
    assert overdue["caption"] == "逾期未完成（7 项，涉及 7 个单位次）"
    assert overdue["head"] == ["编号", "工作任务", "期间", "应完成日", "逾期天数", "未完成单位"]
    assert overdue["rows"] == [
        ["1", "报送月度报表，并附说明", "2018年3月", "2018-03-05", "133", "甲局"],
        ["2018年4月", "2018-04-08", "99", "甲局"],
        ["2018年5月", "2018-05-07", "70", "甲局"],
        ["2018年7月", "2018-07-05", "11", "甲局"],
        ["2", "召开季度推进会", "2018年第一季度", "2018-04-02", "105", "西区"],
        ["2018年第二季度", "2018-07-02", "14", "西区"],
        ["3", "上半年工作总结", "2018年7月10日", "2018-07-10", "6", "甲局"],
    ]
    captions = [t["caption"] for t in page.tables]
    assert captions == ["各单位完成情况", "逾期未完成（7 项，涉及 7 个单位次）", "本周到期（1 项，涉及 1 个单位次）",
                        "下周到期（1 项，涉及 1 个单位次）", "本周已完成（1 项，涉及 1 个单位次）"]
    assert page.tables[4]["rows"] == [["1", "报送月度报表，并附说明", "2018年6月", "2018-06-05", "甲局（7月16日，逾期完成）"]]


def test_by_unit_sections_drop_the_unit_column(tmp_path):
    plan = rp.plan()
    report = weekly_report(rp.timetable(plan), rp.ledger(tmp_path).as_of(rp.MONDAY))
    page = parse(html.render_document(views.period_document(report, plan, by_unit=True)))
    overdue = [t for t in page.tables if t["caption"].startswith("逾期未完成")]
    assert [t["caption"] for t in overdue] == ["逾期未完成 · 甲局（5 项）", "逾期未完成 · 西区（2 项）"]
    assert overdue[0]["head"] == ["编号", "工作任务", "期间", "应完成日", "逾期天数"]


def test_monthly_has_an_inline_svg_trend(tmp_path):
    plan = rp.plan()
    report = monthly_report(rp.timetable(plan), rp.ledger(tmp_path), rp.MONDAY)
    text = html.render_document(views.period_document(report, plan))
    page = parse(text)
    assert "完成率走势（全市，按周）" in page.headings["h2"]
    svg = re.search(r"<svg [^>]*>.*?</svg>", text, re.S).group(0)
    assert svg.count("<circle ") == 29  # a dot per week, and the report's day
    assert ">46%</text>" in svg  # the last rate, labelled
    points = re.search(r'<polyline points="([^"]+)"', svg).group(1).split()
    assert len(points) == 29
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[0] == 14.0 and ys[-1] == pytest.approx(14 + 170 * (1 - 6 / 13), abs=0.1)  # 100% at the top


def test_chart_with_no_rates_draws_no_line():
    text = html.chart_svg(Chart("走势", [("1/7", None), ("1/14", None)]))
    assert "<polyline" not in text and "<circle" not in text and "1/14" in text


def test_notice_pages_break_and_have_no_document_header():
    document = Document("督办通知单", [], blocks=[Paragraphs(["督办通知单（甲局）"], style="heading"),
                                                  Paragraphs(["甲局："], style="salutation"), PageBreak(),
                                                  Paragraphs(["督办通知单（乙局）"], style="heading")], compact=True)
    text = html.render_document(document)
    assert '<body class="compact">' in text and '<header class="doc">' not in text
    assert text.count('<div class="page-break"></div>') == 1
    assert '<div class="heading">督办通知单（甲局）</div>' in text


def test_cells_in_the_expected_words():
    assert cell_text(None, "rate") == "—" and cell_text(0.5, "rate") == "50%"
    assert STATUS_WORDS["done_late"] == "逾期完成"
