"""render.xlsx: load the workbook back with openpyxl and compare with the rows."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook

from fupin_cli.output import views
from fupin_cli.reports.rows import Row
from fupin_cli.output.document import Column, Document, Table
from fupin_cli.output.formats import xlsx
from fupin_cli.reports.weekly import UnitSummary, WeeklyReport


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


def weekly_document():
    report = WeeklyReport(
        title="2018年汕头市脱贫攻坚主要任务清单", doc_no="汕扶〔2018〕9号", as_of=date(2018, 7, 13),
        year=2018, week=28, week_start=date(2018, 7, 9), week_end=date(2018, 7, 15),
        summaries=[UnitSummary("市民政局", overdue=1, done_on_time=3),
                   UnitSummary("市财政局", due_this_week=1), UnitSummary("金平区", done_on_time=2)],
        overdue=[ROWS[0]], due_this_week=[ROWS[1]], due_next_week=[], done_this_week=[ROWS[3]])
    return views.weekly_document(report)


def test_weekly_workbook_sheets_headers_and_notes():
    document = weekly_document()
    wb = load(xlsx.render_document(document))
    assert wb.sheetnames == ["各单位汇总", "逾期未完成（1 项）", "本周到期（1 项）", "下周到期（0 项）",
                             "本周已完成（1 项）", "说明"]
    assert wb.active.title == "各单位汇总"
    assert wb.properties.title == "2018年汕头市脱贫攻坚主要任务清单 督办周报（2018年第28周）"
    for table, ws in zip(document.tables, wb.worksheets):
        assert [c.value for c in ws[1]] == [c.header for c in table.columns]
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
        assert ws.max_row == len(table.rows) + 1
    notes = wb["说明"]
    assert notes["A1"].value == "2018年汕头市脱贫攻坚主要任务清单 督办周报（2018年第28周）"
    assert notes["A2"].value == "汕扶〔2018〕9号  2018-07-09 至 2018-07-15，截至 2018-07-13"


def test_summary_sheet_rates_and_data_bar():
    wb = load(xlsx.render_document(weekly_document()))
    ws = wb["各单位汇总"]
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == ["市民政局", "市财政局", "金平区"]
    assert ws["B2"].value == 1 and isinstance(ws["B2"].value, int)  # 逾期未完成, a number
    assert ws["I2"].value == 0.75 and ws["I2"].number_format == "0%"
    assert ws["I3"].value == "—"  # nothing was due
    assert ws["I4"].value == 1.0
    rules = [(str(rng.sqref), rule) for rng in ws.conditional_formatting for rule in rng.rules]
    assert [(ref, rule.type) for ref, rule in rules] == [("I2:I4", "dataBar")]
    assert ws.auto_filter.ref == "A1:I4"


def test_dates_ints_status_and_formula_text():
    document = views.rows_document("逾期事项", ["截至 2018-07-13"], ROWS, group_by_unit=False, empty="（无）")
    wb = load(xlsx.render_document(document))
    assert wb.sheetnames == ["逾期事项", "说明"]
    ws = wb["逾期事项"]
    assert [c.value for c in ws[1]] == ["状态", "责任单位", "编号", "工作任务", "期间", "应完成日", "原定日期",
                                        "期限", "完成次数"]
    due = ws["F2"]
    assert isinstance(due.value, datetime) and due.value.date() == date(2018, 7, 10)
    assert due.number_format == "yyyy-mm-dd" and due.is_date
    assert ws["H2"].value == "逾期3天"
    assert ws["H5"].value is None  # no days for a done row
    assert ws["I2"].value == "0/1"
    assert [ws.cell(row=r, column=1).value for r in range(2, 6)] == ["红灯·逾期", "黄灯·临近", "绿灯·正常", "已完成"]
    assert ws["A2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["A3"].fill.fgColor.rgb.endswith("FFEB9C")
    texts = [ws.cell(row=r, column=4) for r in range(2, 6)]
    assert [c.value for c in texts] == ["<script>alert(1)</script>", "'=HYPERLINK(\"http://x\")", "'@SUM(A1)",
                                        "'-2+3"]
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert ws["I3"].value == "0/1" and ws["I4"].value == "1/2" and ws["I4"].data_type == "s"


def test_column_widths_fit_chinese_text():
    long_text = "落实" * 50
    document = Document("宽度", [], [Table("表", [Column("a", "工作任务"), Column("b", "编号"), Column("n", "数", "int")],
                                          [{"a": long_text, "b": "ab", "n": 12345}, {"a": "短", "b": "abc", "n": 1}])])
    ws = load(xlsx.render_document(document))["表"]
    assert ws.column_dimensions["A"].width == 60  # capped
    assert ws["A2"].alignment.wrap_text
    assert ws.column_dimensions["B"].width == 2 * 2 + 2  # 编号 (width 4) is wider than "abc"
    assert ws.column_dimensions["C"].width == 5 + 2


def test_sheet_titles_are_valid_and_unique():
    columns = [Column("a", "甲")]
    titles = ["a/b:c*d?[e]\\f", "a/b:c*d?[e]\\f", "", "很长" * 20, "说明"]
    document = Document("清单文档", [], [Table(t, columns, [{"a": "x"}]) for t in titles])
    wb = load(xlsx.render_document(document))
    assert wb.sheetnames == ["abcdef", "abcdef(2)", "清单文档", "很长" * 15 + "很", "说明(2)", "说明"]
    assert all(len(name) <= 31 for name in wb.sheetnames)


def test_grouped_table_is_one_sheet_with_the_group_column():
    document = views.rows_document("按单位", [], ROWS, group_by_unit=True, empty="（无）")
    ws = load(xlsx.render_document(document))["按单位"]
    assert [c.value for c in ws[1]][:2] == ["责任单位", "状态"]
    assert [ws.cell(row=r, column=1).value for r in range(2, 6)] == ["市民政局", "市财政局", "市财政局", "金平区"]


def test_empty_table_keeps_its_header():
    document = views.rows_document("逾期事项", [], [], group_by_unit=False, empty="（无）")
    ws = load(xlsx.render_document(document))["逾期事项"]
    assert ws.max_row == 1 and ws["A1"].value == "状态" and ws.freeze_panes == "A2"
