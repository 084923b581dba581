"""``fupin export``: the plan as the official table, and export → import giving the same plan back."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import fupin_cli
from fupin_cli.plan_io.exporter import (
    SectionRow,
    TaskRow,
    chinese_numeral,
    official_table,
    round_trip_differences,
)
from fupin_cli.plan_io.tables import read_tasks
from support import shipped
from support.plans import make_plan, plan_folder

DATA = Path(fupin_cli.__file__).parent / "data"
SHIPPED = yaml.safe_load((DATA / "tasks.yaml").read_text(encoding="utf-8"))
FIELDS = ("id", "seq", "category", "text", "units", "deadline")
SECTIONS = ["一、帮扶项目", "二、社会保障政策落实", "三、医疗保险和医疗救助", "四、医疗保险和医疗救助", "五、残疾人脱贫工作",
            "（未分类）", "（未分类）", "六、金融扶贫", "七、扶贫资金筹集及使用监管", "八、抓党建促脱贫攻坚", "九、干部管理",
            "十、社会扶贫"]


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_the_shipped_plan_round_trips_through_the_official_table(fupin, tmp_path, fmt):
    table = tmp_path / f"清单.{fmt}"
    exported = fupin("export", "--format", fmt, "--output", str(table))
    assert (exported.code, exported.out, exported.err) == (0, "", f"已写入 {table}\n")   # nothing it cannot say
    folder = tmp_path / "再导入"
    imported = fupin("import", str(table), "--into", str(folder))
    assert imported.code == 0, imported.out
    back = yaml.safe_load((folder / "tasks.yaml").read_text(encoding="utf-8"))
    assert len(back["tasks"]) == shipped.TASK_COUNT
    for mine, theirs in zip(back["tasks"], SHIPPED["tasks"]):
        assert {f: mine[f] for f in FIELDS} == {f: theirs[f] for f in FIELDS}
        assert "lead" not in mine and "remark" not in mine
    header = {key: back["plan"][key] for key in ("title", "doc_no", "issued", "valid_from", "valid_to")}
    assert header == {key: SHIPPED["plan"][key] for key in header}
    assert fupin("check", "--data", str(folder)).code == 0


def test_the_workbook_looks_like_the_official_table(fupin, tmp_path):
    import openpyxl

    path = tmp_path / "清单.xlsx"
    assert fupin("export", "--output", str(path)).code == 0           # xlsx is the default
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "任务清单"
    assert [sheet.cell(row, 1).value for row in (1, 2, 3)] == [shipped.TITLE, shipped.DOC_NO, "2018年4月25日"]
    assert [cell.value for cell in sheet[4]] == ["序号", "工作任务", "责任单位", "完成时限", "备注"]
    assert sheet.freeze_panes == "A5" and sheet.print_title_rows == "$4:$4"
    assert [sheet.cell(row, 1).value for row in (5, 6, 7, 8)] == [1, 2, "一、帮扶项目", 3]
    assert sheet.cell(5, 2).value.split("\n")[1].startswith("各镇、贫困村要实行长期公示")     # 1.1 and 1.2: one row
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:E1", "A7:E7", "A8:A9", "A10:A11"} <= merged                  # title, a section, 序号 of items 3 and 4
    sections = [sheet.cell(row, 1).value for row in range(5, sheet.max_row + 1)
                if f"A{row}:E{row}" in merged]
    assert sections == SECTIONS
    labels = [r for r in merged if sheet[r.split(":")[0]].value == "落实扶贫工作责任"]
    assert len(labels) == 1 and int(labels[0].split(":")[1][1:]) - int(labels[0].split(":")[0][1:]) == 7


def test_the_document_has_a_repeated_header_and_landscape_pages(fupin, tmp_path):
    import docx

    path = tmp_path / "清单.docx"
    assert fupin("export", "--format", "docx", "--output", str(path)).code == 0
    document = docx.Document(str(path))
    assert [p.text for p in document.paragraphs] == [shipped.DOC_NO, shipped.TITLE, "2018年4月25日"]
    section = document.sections[0]
    assert section.page_width > section.page_height
    (table,) = document.tables
    assert [cell.text for cell in table.rows[0].cells] == ["序号", "工作任务", "责任单位", "完成时限", "备注"]
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert [p.text for p in table.rows[1].cells[3].paragraphs] == ["每年年底前，完成市下达给各区（县）的脱贫任务", "每季度之后10日内完成"]
    read = read_tasks(path)
    assert [t.id for t in read.tasks] == [t["id"] for t in SHIPPED["tasks"]]


# ---------------------------------------------------------------- small plans

UNITS = """\
units:
  - {name: 甲局, kind: 市直单位, aliases: [甲]}
  - {name: 乙局, kind: 市直单位}
  - {name: 各区, kind: 区县, members: [东区, 西区]}
  - {name: 东区, kind: 区县}
  - {name: 西区, kind: 区县}
"""


def test_leads_remarks_and_formula_like_words_come_back(fupin, tmp_path):
    folder = plan_folder(tmp_path / "原", """
      - {id: "1.1", seq: "1", category: 民生, text: "=SUM(A1:A9)", units: [甲局, 各区], lead: [甲局],
         deadline: 逐月完成, remark: 每月5日前报送}
      - {id: "1.2", seq: "", category: 民生, text: "第一段\\n第二段", units: [乙局], deadline: 每季度末}
      - {id: "2.1", seq: "2", category: "", text: +86 热线, units: [东区, 西区], lead: [西区], deadline: 2018年6月底前}
    """, units=UNITS)
    for fmt in ("xlsx", "docx"):
        table = tmp_path / f"表.{fmt}"
        assert fupin("export", "--format", fmt, "--output", str(table), "--data", str(folder)).err == f"已写入 {table}\n"
        back = tmp_path / f"回-{fmt}"
        back.mkdir()
        (back / "units.yaml").write_bytes((folder / "units.yaml").read_bytes())   # a folder that knows the units
        assert fupin("import", str(table), "--into", str(back), "--year", "2018").code == 0
        tasks = yaml.safe_load((back / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
        assert [(t["id"], t["seq"], t["category"], t["text"], t["units"], t.get("lead"), t["deadline"], t.get("remark"))
                for t in tasks] == [
            ("1.1", "1", "民生", "=SUM(A1:A9)", ["甲局", "各区"], ["甲局"], "逐月完成", "每月5日前报送"),
            ("1.2", "", "民生", "第一段\n第二段", ["乙局"], None, "每季度末", None),
            ("2.1", "2", "", "+86 热线", ["东区", "西区"], ["西区"], "2018年6月底前", None)]
    import openpyxl
    cell = openpyxl.load_workbook(tmp_path / "表.xlsx").active["B6"]
    assert (cell.value, cell.data_type) == ("=SUM(A1:A9)", "s")


def test_what_a_table_cannot_say_is_listed_on_export(fupin, tmp_path):
    folder = plan_folder(tmp_path / "原", """
      - {id: "1.1", seq: "1", text: 落实低保。, units: [甲局], deadline: 逐月完成}
      - {id: "7.1", seq: "1", text: 开展培训。, units: [乙局], deadline: 每年年底前}
      - {id: "8.1", seq: "8", text: "落实(低保)", units: [乙局], deadline: 每年年底前}
    """, units=UNITS)
    table = tmp_path / "表.xlsx"
    result = fupin("export", "--output", str(table), "--data", str(folder))
    assert result.code == 0
    assert result.err == (f"已写入 {table}\n提示：下列 3 处在表格中无法原样表示，再用 fupin import 导入时会不同：\n"
                          "  任务 1.1：再导入后编号为“1a.1”，而清单中为“1.1”\n"
                          "  任务 7.1：再导入后编号为“1b.1”，而清单中为“7.1”\n"
                          "  任务 8.1：再导入后工作任务为“落实（低保）”，而清单中为“落实(低保)”\n")


def test_categories_become_section_rows_only_where_the_reader_needs_them():
    plan = make_plan("""
      - {id: "1.1", seq: "1", category: "", text: 甲。, units: [甲局], deadline: 逐月完成}
      - {id: "2.1", seq: "2", category: 社会保障, text: 乙。, units: [甲局], deadline: 逐月完成}
      - {id: "2.2", seq: "", category: 社会保障, text: 丙。, units: [甲局], deadline: 逐月完成}
      - {id: "3.1", seq: "3", category: "", text: 丁。, units: [甲局], deadline: 逐月完成}
      - {id: "R.1", seq: "", category: 组织保障, text: 戊。, units: [甲局], deadline: 逐月完成}
      - {id: "R.2", seq: "", category: 组织保障, text: 己。, units: [甲局], deadline: 逐月完成}
      - {id: "4.1", seq: "4", category: 组织保障, text: 庚。, units: [甲局], deadline: 逐月完成}
    """, units=UNITS)
    table = official_table(plan)
    shown = [row.text if isinstance(row, SectionRow) else (row.tasks, row.seq, row.seq_span) for row in table.rows]
    assert shown == [(("1.1",), "1", 1), "一、社会保障", (("2.1",), "2", 2), (("2.2",), "2", 0), "（未分类）",
                     (("3.1",), "3", 1), (("R.1",), "组织保障", 2), (("R.2",), "组织保障", 0), "二、组织保障",
                     (("4.1",), "4", 1)]
    assert round_trip_differences(plan, table) == []
    assert all(isinstance(row, (SectionRow, TaskRow)) for row in table.rows)


def test_section_numerals():
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 20, 35, 99)] == ["一", "九", "十", "十一", "二十", "三十五", "九十九"]


def test_export_options(fupin, tmp_path, monkeypatch):
    import sys

    assert fupin("export", "--format", "pdf", "--output", str(tmp_path / "x.pdf")).err == \
        "错误：--format 的值 “pdf” 无效，可选：xlsx、docx\n"
    existing = tmp_path / "已有.xlsx"
    existing.write_bytes(b"old")
    result = fupin("export", "--output", str(existing))
    assert (result.code, result.err) == (2, f"错误：文件已存在：{existing}（如要覆盖，加 --force）\n")
    assert existing.read_bytes() == b"old"
    assert fupin("export", "--output", str(existing), "--force").code == 0 and existing.read_bytes()[:2] == b"PK"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert fupin("export", "--format", "docx").err == "错误：docx 是二进制文件，请用 --output 文件名.docx 写入文件\n"


def test_an_uncategorised_section_row_reads_as_no_category(tmp_path):
    """The reader side of （未分类）: rows below it have no category, and a heading line does not give them one."""
    path = tmp_path / "清单.csv"
    path.write_text("\n".join([
        "序号,工作任务,责任单位,完成时限",
        "一、社会保障,,,",
        "1,落实低保。,市民政局,逐月完成",
        "（未分类）,,,",
        "2,开展培训。,市人社局,每年年底前",
        ",危房改造,市住建局,2019年底前",
        "3,实施改造。,市住建局,2019年底前",
    ]) + "\n", encoding="utf-8")
    assert [(t.id, t.category, t.from_heading) for t in read_tasks(path).tasks] == [
        ("1.1", "社会保障", False), ("2.1", "", False), ("2.2", "危房改造", True), ("3.1", "危房改造", False)]
