"""render.docx: open the Word document again with python-docx and compare with the report."""

from __future__ import annotations

import io

import pytest
from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from fupin_cli.output import views
from fupin_cli.output.document import Column, Document, Table
from fupin_cli.output.formats import docx as word
from fupin_cli.reports.monthly import monthly_report
from fupin_cli.reports.notice import unit_notices
from fupin_cli.reports.weekly import weekly_report
from support import report_plans as rp


def read(data: bytes):
    assert data[:2] == b"PK"
    return WordDocument(io.BytesIO(data))


def cells(table) -> list[list[str]]:
    """Each row's texts, a merged cell once per row it covers (python-docx repeats it)."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def header_rows(table) -> int:
    return sum(1 for row in table.rows if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None)


@pytest.fixture
def weekly(tmp_path):
    plan = rp.plan()
    report = weekly_report(rp.timetable(plan), rp.ledger(tmp_path).as_of(rp.MONDAY))
    return read(word.render_document(views.period_document(report, plan)))


def test_title_lines_and_properties(weekly):
    paragraphs = [p.text for p in weekly.paragraphs if p.text]
    assert paragraphs[:4] == ["测试清单 督办周报（2018年第29周）", "依据：测试〔2018〕1号",
                              "统计期间：2018年7月16日至2018年7月22日，截至2018年7月16日",
                              "全市应完成 13 项，已完成 6 项，逾期未完成 7 项，完成率 46%（上周 38%）"]
    assert weekly.core_properties.title == "测试清单 督办周报（2018年第29周）"
    assert weekly.core_properties.author == "fupin"


def test_real_tables_with_repeated_header_rows_and_rows_that_do_not_split(weekly):
    summary, overdue, *rest = weekly.tables
    assert header_rows(summary) == 2 and header_rows(overdue) == 2  # the section's title and the column header
    assert cells(summary)[0][0] == "各单位完成情况"
    assert cells(summary)[1] == ["排名", "责任单位", "应完成", "已完成", "其中逾期完成", "逾期未完成", "本周到期",
                                 "下周到期", "本周已完成", "上周完成率", "本周完成率", "变化"]
    assert cells(summary)[2] == ["3", "甲局", "8", "3", "2", "5", "0", "0", "1", "25%", "38%", "▲13"]
    assert cells(summary)[-1] == ["", "合计", "13", "6", "3", "7", "1", "1", "1", "38%", "46%", "▲8"]
    for row in summary.rows[2:]:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    assert [t.rows[0].cells[0].text for t in rest] == ["本周到期（1 项，涉及 1 个单位次）",
                                                       "下周到期（1 项，涉及 1 个单位次）",
                                                       "本周已完成（1 项，涉及 1 个单位次）"]


def test_a_tasks_text_is_one_merged_cell_over_its_periods(weekly):
    overdue = weekly.tables[1]
    body = cells(overdue)[2:]
    assert [row[2] for row in body] == ["2018年3月", "2018年4月", "2018年5月", "2018年7月", "2018年第一季度",
                                        "2018年第二季度", "2018年7月10日"]
    assert [row[1] for row in body[:4]] == ["报送月度报表，并附说明"] * 4
    first = overdue.rows[2].cells[1]._tc
    assert first.tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"
    assert overdue.rows[3].cells[1]._tc.tcPr.find(qn("w:vMerge")) is not None
    assert overdue.rows[3].cells[1]._tc is first  # python-docx sees one cell


def test_a4_page_footer_numbers_and_header_title(weekly):
    section = weekly.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert section.orientation == WD_ORIENT.PORTRAIT
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    pieces = []
    for child in section.footer.paragraphs[0]._p:
        if child.tag == qn("w:fldSimple"):
            pieces.append(child.get(qn("w:instr")))
        elif child.tag == qn("w:r"):
            pieces.append("".join(t.text for t in child.iter(qn("w:t"))))
    assert pieces == ["第 ", "PAGE", " 页 共 ", "NUMPAGES", " 页"]
    assert section.header.paragraphs[0].text == "督办周报（2018年第29周）"


def test_chinese_fonts_are_named_with_alternatives(weekly):
    fonts = weekly.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:ascii")) == "Times New Roman"
    language = weekly.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert language.get(qn("w:eastAsia")) == "zh-CN"
    font_table = next(p for p in weekly.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob
    text = font_table.decode("utf-8")
    assert '<w:font w:name="宋体"><w:altName w:val="SimSun"/>' in text and '<w:charset w:val="86"/>' in text
    assert '<w:font w:name="黑体"><w:altName w:val="SimHei"/>' in text


def test_wide_documents_are_landscape():
    document = Document("宽", [], [Table("表", [Column("a", "甲")], [{"a": "x"}])], landscape=True)
    section = read(word.render_document(document)).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210


def test_a_table_too_wide_for_portrait_turns_the_page():
    from fupin_cli.output.formats import html
    from fupin_cli.output.layout import needs_landscape

    record = {"id": "20180713T040000.000001Z-a00006", "op": "void", "date": None, "task": "5.1", "unit": "龙湖区",
              "period": "2018-06", "by": "李四", "note": "录错单位", "voided_by": None,
              "target": "20180713T030000.000001Z-a00005"}
    journal = views.journal_document("journal.jsonl", [record])
    assert needs_landscape(journal)  # a 30-character id, dates, the void's target: over 180 mm
    assert read(word.render_document(journal)).sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert "size: A4 landscape" in html.render_document(journal)
    narrow = Document("窄", [], [Table("表", [Column("a", "编号"), Column("b", "工作任务", "prose")], [{"a": "1", "b": "x"}])])
    assert not needs_landscape(narrow)
    assert read(word.render_document(narrow)).sections[0].orientation == WD_ORIENT.PORTRAIT


def test_monthly_trend_is_a_table_of_bars(tmp_path):
    plan = rp.plan()
    report = monthly_report(rp.timetable(plan), rp.ledger(tmp_path), rp.MONDAY)
    document = read(word.render_document(views.period_document(report, plan)))
    trend = next(t for t in document.tables if t.rows[0].cells[0].text == "完成率走势（全市，按周）")
    assert cells(trend)[1] == ["周末", "完成率"]
    assert cells(trend)[2] == ["1/7", "████████████████████ 100%"] and cells(trend)[-1][0] == "7/16"
    assert len(trend.rows) == 2 + 29


def test_notices_one_page_each_with_salutation_table_and_signature(tmp_path):
    plan = rp.plan()
    found = unit_notices(rp.timetable(plan), rp.ledger(tmp_path).as_of(rp.MONDAY))
    document = read(word.render_document(views.notices_document(found)))
    headings = [p for p in document.paragraphs if p.text.startswith("督办通知单（")]
    assert [p.text for p in headings] == ["督办通知单（甲局）", "督办通知单（东区）", "督办通知单（西区）"]
    assert [p.paragraph_format.page_break_before for p in headings] == [None, True, True]
    texts = [p.text for p in document.paragraphs]
    assert "甲局：" in texts and "签发人：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日" in texts
    first = document.tables[0]
    assert cells(first)[1] == ["编号", "工作任务", "完成时限（原文）", "逾期未完成的期间", "最长逾期天数"]
    assert cells(first)[2] == ["1", "报送月度报表，并附说明", "每月5日前", "2018年3月、4月、5月、7月", "133"]
    assert document.sections[0].orientation == WD_ORIENT.PORTRAIT
