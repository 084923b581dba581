"""render.xlsx: load the workbook back with openpyxl and compare with the rows."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from fupin_cli.output import views
from fupin_cli.output.document import Column, Document, Table
from fupin_cli.output.formats import xlsx
from fupin_cli.reports.monthly import monthly_report
from fupin_cli.reports.rows import Row
from fupin_cli.reports.weekly import weekly_report
from support import report_plans as rp


def make_row(task="5.1", text="编制年度扶贫资金使用计划", unit="市民政局", period="2018-07",
             due=date(2018, 7, 10), status="overdue", days=-3, required=1, done_count=0, done_date=None) -> Row:
    return Row(task=task, text=text, category="资金保障", unit=unit, period=period, nominal_due=due, due=due,
               status=status, days=days, required=required, done_count=done_count, done_date=done_date)


ROWS = [
    make_row(text="<script>alert(1)</script>"),
    make_row(task="R.1", text='=HYPERLINK("http://x")', unit="市财政局", status="due_soon", days=4,
             due=date(2018, 7, 17)),
    make_row(task="3.2", text="@SUM(A1)", unit="市财政局", status="upcoming", days=20, due=date(2018, 8, 2),
             required=2, done_count=1),
    make_row(task="7.1", text="-2+3", unit="金平区", status="done", days=None, done_count=1,
             done_date=date(2018, 7, 9)),
]


def load(data: bytes):
    assert data[:2] == b"PK"
    return load_workbook(io.BytesIO(data))


@pytest.fixture
def weekly_book(tmp_path):
    plan = rp.plan()
    report = weekly_report(rp.timetable(plan), rp.ledger(tmp_path).as_of(rp.MONDAY), unit=None)
    return load(xlsx.render_document(views.period_detail_document(report)))


def test_sheet_names_are_stable_and_counts_are_in_the_title_row(weekly_book):
    assert weekly_book.sheetnames == ["各单位完成情况", "逾期未完成", "本周到期", "下周到期", "本周已完成", "说明"]
    overdue = weekly_book["逾期未完成"]
    assert overdue["A1"].value == "逾期未完成（7 项）　测试清单 督办周报（2018年第29周）"
    assert [c.value for c in overdue[2]] == ["状态", "责任单位", "编号", "工作任务", "期间", "期间代码", "应完成日",
                                             "逾期天数"]
    assert overdue.freeze_panes == "A3" and overdue.auto_filter.ref == "A2:H9"
    first = [c.value for c in overdue[3]]
    assert first[:6] == ["红灯·逾期", "甲局", "1", "报送月度报表，并附说明", "2018年3月", "2018-03"]
    assert first[6] == datetime(2018, 3, 5) and overdue["G3"].number_format == "yyyy-mm-dd" and first[7] == 133
    assert overdue["A3"].fill.fgColor.rgb.endswith("FFC7CE")


def test_every_sheet_prints_on_a4_with_header_footer_and_titles(weekly_book):
    for ws in weekly_book.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert ws.oddHeader.right.text == "督办周报（2018年第29周）"
        assert ws.oddHeader.left.text == "测试清单 督办周报（2018年第29周）"
        if ws.title != "说明":
            assert ws.print_title_rows == "$1:$2"
    assert weekly_book["逾期未完成"].page_setup.orientation == "landscape"  # eight columns
    assert weekly_book["说明"].page_setup.orientation == "portrait"


def test_summary_sheet_numbers_rates_changes_and_total(weekly_book):
    ws = weekly_book["各单位完成情况"]
    assert [c.value for c in ws[2]] == ["排名", "责任单位", "应完成", "已完成", "其中逾期完成", "逾期未完成", "本周到期",
                                        "下周到期", "本周已完成", "上周完成率", "本周完成率", "变化"]
    assert [c.value for c in ws[3]] == [3, "甲局", 8, 3, 2, 5, 0, 0, 1, 0.25, 0.375, 13]
    assert ws["K3"].number_format == "0%" and ws["L3"].number_format == '"▲"0;"▼"0;"持平"'
    assert [c.value for c in ws[7]] == [None, "合计", 13, 6, 3, 7, 1, 1, 1, pytest.approx(5 / 13), pytest.approx(6 / 13), 8]
    assert ws["B7"].font.bold
    rules = [(str(rng.sqref), rule.type) for rng in ws.conditional_formatting for rule in rng.rules]
    assert rules == [("J3:J6", "dataBar"), ("K3:K6", "dataBar")]  # the total row stays out of the bars
    assert ws.auto_filter.ref == "A2:L6"


def test_empty_lists_get_no_sheet_and_the_notes_say_so(tmp_path):
    plan = rp.plan()
    report = weekly_report(rp.timetable(plan), rp.ledger(tmp_path).as_of(date(2018, 12, 27)))
    book = load(xlsx.render_document(views.period_detail_document(report)))
    notes = [tuple(c.value for c in row) for row in book["说明"].iter_rows(min_row=5)]
    assert ("本周到期" not in book.sheetnames) == (not report.due_now)
    empty = [name for name, key in (("本周到期", "due_now"), ("下周到期", "due_next"), ("本周已完成", "done_now"))
             if not getattr(report, key)]
    assert empty  # this week lists something, and not everything
    for name in empty:
        assert name not in book.sheetnames
        assert ("（无，此表没有行）", f"{name}（0 项）", 0) in notes


def test_row_heights_follow_the_wrapped_text():
    long_text = "落实建档立卡贫困户子女教育生活费补助政策，" * 3  # 126 cells: three lines in a 48-wide column
    document = Document("高度", [], [Table("表", [Column("id", "编号"), Column("text", "工作任务", "prose")],
                                          [{"id": "1", "text": long_text}, {"id": "2", "text": "短"}])])
    ws = load(xlsx.render_document(document))["表"]
    assert ws.column_dimensions["B"].width == 50
    assert ws["B3"].alignment.wrap_text
    assert ws.row_dimensions[3].height == xlsx.LINE_HEIGHT * 3 + 3
    assert ws.row_dimensions[4].height is None  # one line: Excel's own height
    assert xlsx.wrapped_lines("甲" * 24, 50) == 1 and xlsx.wrapped_lines("甲" * 25, 50) == 2
    assert xlsx.wrapped_lines("甲\n乙", 50) == 2


def test_monthly_workbook_has_a_trend_sheet_with_a_line_chart(tmp_path):
    plan = rp.plan()
    report = monthly_report(rp.timetable(plan), rp.ledger(tmp_path), rp.MONDAY)
    book = load(xlsx.render_document(views.period_detail_document(report)))
    ws = book["完成率走势"]
    assert [c.value for c in ws[2]] == ["日期", "应完成", "已完成", "完成率"]
    assert ws.max_row == 2 + 29
    assert [c.value for c in ws[31]] == [datetime(2018, 7, 16), 13, 6, pytest.approx(6 / 13)]
    (chart,) = ws._charts
    assert type(chart).__name__ == "LineChart"
    assert chart.y_axis.number_format.formatCode == "0%" and chart.y_axis.scaling.max == 1


def test_dates_ints_status_and_formula_text():
    document = views.rows_document("逾期事项", ["截至 2018-07-13"], ROWS, group_by_unit=False, empty="（无）")
    wb = load(xlsx.render_document(document))
    assert wb.sheetnames == ["逾期事项", "说明"]
    ws = wb["逾期事项"]
    assert [c.value for c in ws[2]] == ["状态", "责任单位", "编号", "工作任务", "期间", "应完成日", "原定日期",
                                        "期限", "完成次数"]
    due = ws["F3"]
    assert isinstance(due.value, datetime) and due.value.date() == date(2018, 7, 10) and due.is_date
    assert ws["H3"].value == "逾期3天" and ws["H6"].value is None
    assert [ws.cell(row=r, column=1).value for r in range(3, 7)] == ["红灯·逾期", "黄灯·临近", "绿灯·正常", "已完成"]
    assert [ws.cell(row=r, column=4).value for r in range(3, 7)] == [
        "<script>alert(1)</script>", "'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'-2+3"]
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert ws["I4"].value == "0/1" and ws["I5"].value == "1/2" and ws["I5"].data_type == "s"


def test_sheet_titles_are_valid_and_unique():
    columns = [Column("a", "甲")]
    titles = ["a/b:c*d?[e]\\f", "a/b:c*d?[e]\\f", "", "很长" * 20, "说明"]
    document = Document("清单文档", [], [Table(t, columns, [{"a": "x"}]) for t in titles])
    wb = load(xlsx.render_document(document))
    assert wb.sheetnames == ["abcdef", "abcdef(2)", "清单文档", "很长" * 15 + "很", "说明(2)", "说明"]


def test_grouped_table_is_one_sheet_with_the_group_column():
    document = views.rows_document("按单位", [], ROWS, group_by_unit=True, empty="（无）")
    ws = load(xlsx.render_document(document))["按单位"]
    assert [c.value for c in ws[2]][:2] == ["责任单位", "状态"]
    assert [ws.cell(row=r, column=1).value for r in range(3, 7)] == ["市民政局", "市财政局", "市财政局", "金平区"]


def test_file_properties_name_the_unit(tmp_path):
    plan = rp.plan()
    report = weekly_report(rp.timetable(plan), rp.ledger(tmp_path).as_of(rp.MONDAY), unit="甲局")
    book = load(xlsx.render_document(views.period_detail_document(report)))
    assert book.properties.title == "测试清单 督办周报（甲局）（2018年第29周）"
    assert book.properties.subject == "甲局" and book.properties.keywords == "督办；甲局"
