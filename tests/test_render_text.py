"""Terminal text: safety, width, folding, and tables that fit 80/100/120/200 columns (rich and plain)."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from fupin_cli.domain.text import display_width, fold, shorten, terminal_safe
from fupin_cli.output.document import Column, Document, Table
from fupin_cli.output.formats import table as table_format
from fupin_cli.output.formats import text as text_format
from fupin_cli.output.layout import fold_names, lay_out

TEXT = "按时准确完成贫困村贫困户建档立卡工作，及时审核、上报录入扶贫信息管理系统相关信息，同时填入帮扶记录簿，并整理归档。"


# ---------------------------------------------------------------- terminal safety

@pytest.mark.parametrize("raw, safe", [
    ("a\x1b[31mred\x1b[0mb", "aredb"),                      # CSI colour, whole sequence
    ("x\x1b]0;title\x07y", "xy"),                           # OSC window title ended by BEL
    ("x\x1b]52;c;ZXZpbA==\x1b\\y", "xy"),                   # OSC 52 clipboard write ended by ST
    ("x\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\y", "xlinky"),  # OSC 8 hyperlink: the words stay
    ("a\x9b31mb", "ab"),                                    # 8-bit CSI
    ("a\x9d0;t\x9cb", "ab"),                                # 8-bit OSC … ST
    ("a\x07b\x08c\x00d\x7fe\x85f", "abcd e f".replace(" e", "e").replace("e f", "e f")),  # BEL BS NUL DEL; NEL → space
    ("abc\u202edcba", "abcdcba"),                           # RLO bidi override
    ("a\u2066b\u2069c\u200ed\u200ff\u061cg", "abcdfg"),      # isolates, LRM/RLM, ALM
    ("甲\u200b乙\u200c丙\u200d丁\u2060戊\ufeff己", "甲乙丙丁戊己"),  # zero-width space/joiners, word joiner, BOM
    ("soft\u00adhyphen", "softhyphen"),
    ("line\r\nbreak\nand\rreturn", "line break andreturn"),  # one logical line; CR never survives
    ("tab\there", "tab here"),
    ("市民政局", "市民政局"),
])
def test_terminal_safe_removes_what_a_terminal_acts_on_or_hides(raw, safe):
    assert terminal_safe(raw) == safe


def test_terminal_safe_keeps_lines_for_messages():
    assert terminal_safe("第一行\x1b[2J\n第二行\r\n第三行\x1b]0;x\x07", keep_newlines=True) == "第一行\n第二行\n第三行"


def test_display_width_counts_chinese_twice_and_marks_not_at_all():
    assert display_width("2018-07-16") == 10
    assert display_width("市民政局") == 8
    assert display_width("（县）") == 6
    assert display_width("红灯·逾期") == 9  # the middle dot is one cell, as rich counts it
    assert display_width("e\u0301") == 1
    assert display_width("…▲▼█░") == 5
    for text in ("市民政局", "红灯·逾期", "（县）2018年", "…▲▼"):
        assert display_width(text) == cell_len(text)


# ---------------------------------------------------------------- folding

def test_fold_keeps_numbers_dates_and_words_whole_and_never_starts_a_line_with_closing_punctuation():
    text = "符合条件的贫困人口100%纳入农村低保，2018-04-25前完成；R.1、10a.2等项目。"
    for width in range(10, 40):  # from the widest atom up
        lines = fold(text, width)
        assert "".join(lines) == text
        assert all(display_width(line) <= width for line in lines)
        assert not any(line[0] in "，。、；：）" for line in lines)
        for atom in ("100%", "2018-04-25", "R.1", "10a.2"):
            assert any(atom in line for line in lines), (width, lines)


def test_fold_prefers_to_end_a_line_after_a_clause():
    assert fold(TEXT, 30) == ["按时准确完成贫困村贫困户建档立", "卡工作，及时审核、上报录入扶贫",
                              "信息管理系统相关信息，", "同时填入帮扶记录簿，", "并整理归档。"]
    assert fold(TEXT, 30, prefer_clauses=False) == ["按时准确完成贫困村贫困户建档立", "卡工作，及时审核、上报录入扶贫",
                                                    "信息管理系统相关信息，同时填入", "帮扶记录簿，并整理归档。"]


def test_fold_never_ends_a_line_with_an_opening_bracket():
    assert fold("一二三四五六七（八）九", 16) == ["一二三四五六七", "（八）九"]
    assert fold("各镇每季度将贫困人口变化情况报各区（县）政府", 20) == [
        "各镇每季度将贫困人口", "变化情况报各区（县）", "政府"]


def test_no_last_line_of_one_character():
    assert fold("残疾人生活补助及护理补贴领取到位。", 30) == ["残疾人生活补助及护理补贴领取", "到位。"]
    assert fold("建档立卡贫困户医保报销后合规医疗费用按不低于80%的比例给予补助", 30) == [
        "建档立卡贫困户医保报销后合规医", "疗费用按不低于80%的比例给予", "补助"]
    assert fold("同时填入帮扶记录簿，并整理归档。好", 20) == ["同时填入帮扶记录簿，", "并整理归档。好"]


def test_a_paragraph_keeps_its_indent_when_folded():
    assert fold("根据清单，截至2018年7月16日，你单位有逾期事项。", 24, indent="　　") == [
        "　　根据清单，", "截至2018年7月16日，", "你单位有逾期事项。"]
    assert fold("短句。", 24, indent="　　") == ["　　短句。"]


def test_shorten_ends_with_an_ellipsis_in_the_width():
    lines = shorten(fold(TEXT, 20), 20, 3)
    assert lines == ["按时准确完成贫困村贫", "困户建档立卡工作，", "及时审核、上报录入…"]
    assert shorten(["一行"], 20, 3) == ["一行"]


def test_unit_lists_break_only_between_names():
    words = "各区（县）全部7个、各镇、贫困村、各帮扶单位（共10个单位）"
    assert fold_names(words, 20) == ["各区（县）全部7个、", "各镇、贫困村、", "各帮扶单位", "（共10个单位）"]
    assert fold_names(words, 18) == ["各区（县）", "全部7个、各镇、", "贫困村、各帮扶单位", "（共10个单位）"]
    assert fold_names("2018年4月（每月25日前录入）", 10, "period") == ["2018年4月", "（每月25日", "前录入）"]


# ---------------------------------------------------------------- layout

COLUMNS = [Column("status", "状态", "status"), Column("task", "编号"), Column("text", "工作任务", "prose"),
           Column("period", "期间"), Column("due", "应完成日", "date"), Column("nominal", "原定日期", "date", priority=3),
           Column("days", "逾期天数", "int", priority=2)]
ROW = ["红灯·逾期", "10a.2", TEXT, "2018-04#4", "2018-04-28", "2018-04-28", "79"]


@pytest.mark.parametrize("width", [80, 100, 120, 200])
def test_layout_fits_and_ids_dates_periods_never_break(width):
    layout = lay_out(COLUMNS, [ROW, ROW], width)
    assert not layout.records
    assert sum(layout.widths) + 3 * len(layout.widths) + 1 <= width
    for row in layout.rows:
        for column, lines in zip(layout.columns, row):
            if column.fit == "fixed":
                assert len(lines) == 1, (column.key, lines)
    texts = [row[layout.columns.index(next(c for c in layout.columns if c.key == "text"))] for row in layout.rows]
    joined = "".join(texts[0])
    if width < 100:
        assert joined.endswith("…") and layout.shortened
    else:
        assert joined == TEXT


def test_layout_leaves_out_low_priority_columns_first_and_says_so():
    layout = lay_out(COLUMNS, [ROW], 60)
    assert [c.key for c in layout.dropped] == ["nominal", "days"]
    assert [c.key for c in layout.columns] == ["status", "task", "text", "period", "due"]
    wide = lay_out(COLUMNS, [ROW], 60, wide=True)
    assert wide.records  # --wide keeps every column: too many for 60 cells, so one record per row


def test_without_a_width_nothing_folds():
    layout = lay_out(COLUMNS, [ROW], None)
    assert all(len(lines) == 1 for lines in layout.rows[0])
    assert layout.widths[2] == display_width(TEXT)


def test_too_narrow_for_any_table_gives_records():
    layout = lay_out(COLUMNS, [ROW], 40)
    assert layout.records


# ---------------------------------------------------------------- the renderers, rich and plain

def _document(rows: int = 3) -> Document:
    data = [{"status": "overdue", "task": f"2.{i}", "text": TEXT, "period": "2018-04#4", "due": "2018-04-28",
             "nominal": "2018-04-28", "days": 79, "unit": "市民政局"} for i in range(1, rows + 1)]
    columns = COLUMNS + [Column("unit", "责任单位", "units", hoist=True)]
    return Document("督办周报", ["依据：汕扶〔2018〕9号"], [Table("逾期未完成", columns, data, count=f"（{rows} 项）")])


def _rich(document: Document, width: int) -> str:
    """The terminal renderer (boxed tables; once drawn by rich, now by fupin itself), without colour."""
    return table_format.draw(document, width, colour=False)


@pytest.mark.parametrize("width", [80, 100, 120, 200])
def test_rich_and_plain_fit_the_width_and_agree(width):
    rich_text = _rich(_document(), width)
    plain = text_format.render_document(_document(), width)
    for out in (rich_text, plain):
        assert max(cell_len(line) for line in out.splitlines()) <= width
        assert "2018-04-28" in out and "2018-04#4" in out and "10a.2" not in out.replace("2.1", "")
        assert "逾期未完成（市民政局，3 项）" in out  # the unit, the same on every row, is in the heading
        assert "│ 市民政局" not in out and "| 市民政局" not in out
    # the same widths: each rich row line and plain row line hold the same cells
    rich_rows = [re.sub(r"[│╭╮╰╯├┤┬┴┼─]", "|", line) for line in rich_text.splitlines() if line.startswith("│")]
    plain_rows = [line for line in plain.splitlines() if line.startswith("|")]
    assert [len(r) for r in rich_rows] == [len(p) for p in plain_rows]


def test_plain_text_without_a_width_keeps_each_row_on_one_line():
    plain = text_format.render_document(_document(), None)
    assert any(TEXT in line for line in plain.splitlines())
    assert "…" not in plain


def test_wide_shows_all_words_in_a_narrow_terminal():
    assert "…" in _rich(_document(), 80)
    assert "…" not in table_format.draw(_document(), 80, colour=False, wide=True)


# ---------------------------------------------------------------- printed column widths

def test_printed_widths_fill_the_page_and_give_room_where_it_saves_lines():
    from fupin_cli.output.layout import CELL_PADDING_MM, print_widths

    columns = [Column("task", "编号"), Column("text", "工作任务", "prose"), Column("period", "期间", "period"),
               Column("due", "应完成日", "date"), Column("units", "未完成单位", "units")]
    cells = [["2.1", TEXT, "2018年4月（每月25日前录入）", "2018-04-25", "各区（县）全部7个、各镇（共8个单位）"],
             ["5.1", "社会保障政策落实", "2018年第二季度", "2018-07-02", "甲局"]]
    widths = print_widths(columns, cells, 186, 9)
    assert sum(widths) == pytest.approx(186)
    per_mm = 2 / (9 * 0.3528)
    assert widths[0] == pytest.approx(4 / per_mm + CELL_PADDING_MM)  # 编号: its header, two characters
    assert widths[3] == pytest.approx(10 / per_mm + CELL_PADDING_MM)  # a date, whole
    assert widths[2] >= 14 / per_mm + CELL_PADDING_MM  # 2018年第二季度 on one line
    assert widths[1] == max(widths)  # the task's text gets the most room
