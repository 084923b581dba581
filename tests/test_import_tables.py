"""Reading official task tables (plan_io.tables): the seed in every format, and bad input."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import yaml

import fupin_cli
from fupin_cli.domain.errors import PlanError
from fupin_cli.plan_io.tables import READERS, Merge, TableError, read_table, read_tasks, reader_for
from support import shipped
from support.seed_tables import HEADER, HEADING_LINES, JUDGED, NOTE, SEED, SHEET, build

DATA = Path(fupin_cli.__file__).parent / "data"
SHIPPED = yaml.safe_load((DATA / "tasks.yaml").read_text(encoding="utf-8"))
UNITS = yaml.safe_load((DATA / "units.yaml").read_text(encoding="utf-8"))["units"]
LOOKUP = {label: unit["name"] for unit in UNITS for label in (unit["name"], *unit["aliases"])}
FORMATS = ["txt", "docx", "xlsx", "csv", "tsv"]


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seed")
    return {kind: build(kind, folder) for kind in FORMATS}


def fail(path: Path, sheet: str | None = None) -> TableError:
    with pytest.raises(TableError) as caught:
        read_tasks(path, sheet)
    error = caught.value
    assert isinstance(error, PlanError) and error.exit_code == 2
    return error


# ---------------------------------------------------------------- the seed, in every format

@pytest.mark.parametrize("kind", FORMATS)
def test_the_seed_reads_as_the_shipped_plan(seed_files, kind):
    table = read_tasks(seed_files[kind])
    shipped = SHIPPED["tasks"]
    assert [task.id for task in table.tasks] == [task["id"] for task in shipped]
    for record, task in zip(table.tasks, shipped):
        for field in ("seq", "category", "text", "deadline"):
            judged = JUDGED.get((task["id"], field))
            if judged is None:
                assert getattr(record, field) == task[field], (task["id"], field)
            else:
                read_as, note_words, _why = judged
                assert getattr(record, field) == read_as, (task["id"], field)
                assert any(note_words in other.get("note", "") for other in shipped)
        assert [LOOKUP[name] for name in record.unit_names] == task["units"], task["id"]
        assert record.lead_units == ()
        assert record.from_heading == (task["id"] in HEADING_LINES), task["id"]


@pytest.mark.parametrize("kind", FORMATS)
def test_the_seed_keeps_title_doc_no_and_notes(seed_files, kind):
    table = read_tasks(seed_files[kind])
    assert table.title == SHIPPED["plan"]["title"] == shipped.TITLE
    assert table.doc_no == SHIPPED["plan"]["doc_no"] == shipped.DOC_NO
    assert table.notes == (() if kind == "txt" else (NOTE,))
    assert table.notices == ()
    assert [column.label for column in table.columns] == HEADER
    assert table.ignored_columns == ()


def test_the_seed_text_keeps_the_notice_date_and_preamble(seed_files):
    table = read_tasks(seed_files["txt"])
    assert table.issued == shipped.ISSUED == SHIPPED["plan"]["issued"]
    assert table.preamble[:2] == (f"# {shipped.ISSUER}文件", shipped.DOC_NO)
    assert len(table.preamble) == 8 and table.grid is None


@pytest.mark.parametrize("kind, header, locations", [
    ("txt", "000_0fd6b74583511a98.txt:第21行",
     {"1.1": "000_0fd6b74583511a98.txt:第22行", "10b.1": "000_0fd6b74583511a98.txt:第45行",
      "R.1": "000_0fd6b74583511a98.txt:第56行", "17.1": "000_0fd6b74583511a98.txt:第69行"}),
    ("docx", "seed.docx:表1 第1行",
     {"1.1": "seed.docx:表1 第2行", "10b.1": "seed.docx:表1 第23行",
      "R.1": "seed.docx:表1 第33行", "17.1": "seed.docx:表1 第45行"}),
    ("xlsx", f"seed.xlsx:{SHEET} 第3行",
     {"1.1": f"seed.xlsx:{SHEET}!B4", "10b.1": f"seed.xlsx:{SHEET}!B25",
      "R.1": f"seed.xlsx:{SHEET}!B35", "17.1": f"seed.xlsx:{SHEET}!B47"}),
])
def test_records_say_where_they_come_from(seed_files, kind, header, locations):
    table = read_tasks(seed_files[kind])
    assert str(table.header) == header
    found = {task.id: str(task.location) for task in table.tasks if task.id in locations}
    assert found == locations


def test_multi_paragraph_rows_split_paragraph_by_paragraph(seed_files):
    tasks = {task.id: task for task in read_tasks(seed_files["docx"]).tasks}
    assert [tasks[i].part for i in ("1.1", "1.2", "2.1", "2.4", "15.1", "15.2", "3.1")] == \
        [(1, 2), (2, 2), (1, 4), (4, 4), (1, 2), (2, 2), None]
    # item 2: three task paragraphs, four unit paragraphs: the third paragraph splits at the comma before 各级政府
    assert tasks["2.3"].text == "扶贫云大数据平台建设 with 数据监控，区（县）级行业部门负责提供数据给区（县）扶贫办导入"
    assert tasks["2.4"].units_text == "市、区（县）、镇各级政府，区（县）有关部门、贫困村"
    assert tasks["2.4"].unit_names == ("市人民政府", "各区（县）", "各镇", "区（县）有关部门", "贫困村")
    # the line after item 4: only its unit cell has two paragraphs, so it is one task with one name list
    assert tasks["4.2"].part is None and tasks["4.2"].unit_names[:3] == ("各镇", "市委组织部", "市经信局")
    assert tasks["4.2"].unit_names[-2:] == ("银监会汕头监管分局", "供电局")


def test_merged_cells_are_expanded_and_marked(seed_files):
    raw = read_table(seed_files["docx"])
    rows = raw.grids[0].rows
    # table row 23 is the second “10”; row 22 (危房改造政策落实) sits in the merged 序号 cell of row 21
    assert (rows[20][0].text, rows[20][0].merge) == ("10", Merge.OWN)
    assert (rows[21][0].text, rows[21][0].merge) == ("10", Merge.FROM_ABOVE)
    assert rows[21][1].text == "危房改造政策落实" and not rows[21][1].is_continuation
    assert [cell.merge for cell in rows[-1]] == [Merge.OWN, Merge.FROM_LEFT, Merge.FROM_LEFT, Merge.FROM_LEFT]
    assert rows[-1][3].text == NOTE
    book = read_table(seed_files["xlsx"]).grids[0].rows
    assert [(cell.text, cell.merge, str(cell.location)) for cell in book[0][:2]] == [
        ("2018年汕头市脱贫攻坚主要任务清单", Merge.OWN, f"seed.xlsx:{SHEET}!A1"),
        ("2018年汕头市脱贫攻坚主要任务清单", Merge.FROM_LEFT, f"seed.xlsx:{SHEET}!B1")]
    assert (book[23][0].text, book[23][0].merge, book[23][1].text) == ("10", Merge.FROM_ABOVE, "危房改造政策落实")
    assert book[4][1].paragraphs[2].startswith("扶贫云大数据平台建设 with 数据监控")  # a line break in the cell


def test_the_text_form_keeps_paragraph_marks_and_lost_line_breaks():
    raw = read_table(SEED)
    rows = {cell.location.row: row for row in raw.grids[0].rows for cell in row[:1]}
    assert len(rows[22][2].paragraphs) == 2
    assert rows[67][2].paragraphs == ("各区（县）、镇、贫困村（各帮扶单位）", "市委组织部，各区（县）、镇、贫困村")
    assert rows[67][3].paragraphs == ("每年年底前完成", "长期性、常态化抓落实")
    assert rows[57][0].text == "落实扶贫工作责任" and str(rows[57][0].location) == "000_0fd6b74583511a98.txt:第57行"


def test_readers_are_looked_up_by_suffix(tmp_path):
    assert sorted(READERS) == [".csv", ".docx", ".tsv", ".txt", ".xlsx"]
    assert reader_for(Path("名单.XLSX")) is READERS[".xlsx"]
    assert reader_for(Path("a.tsv")) is reader_for(Path("b.txt"))


def test_reading_text_tables_imports_neither_openpyxl_nor_docx():
    code = ("import sys; from pathlib import Path; from fupin_cli.plan_io.tables import read_tasks; "
            f"assert len(read_tasks(Path({str(SEED)!r})).tasks) == {shipped.TASK_COUNT}; "
            "print(sorted(m for m in ('openpyxl', 'docx') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------- small tables

def xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = (), sheets: dict | None = None) -> Path:
    import openpyxl
    book = openpyxl.Workbook()
    layout = [(name, *content) for name, content in sheets.items()] if sheets else [("Sheet1", rows, merges)]
    for index, (name, sheet_rows, sheet_merges) in enumerate(layout):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        for row in sheet_rows:
            sheet.append(row)
        for merge in sheet_merges:
            sheet.merge_cells(merge)
    book.save(path)
    return path


def csv_file(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_header_found_below_title_rows_with_synonyms_and_broken_words(tmp_path):
    path = xlsx(tmp_path / "重点工作.xlsx", [
        ["附件1"], [], ["2019年市委市政府重点工作任务清单"], ["填报单位：市扶贫办"],
        ["序 号", "重点任务", "牵头\n单位", "配合单位", "时间要求", "牵头领导", "备注", "进度"],
        [1, "完成年度脱贫任务。", "市扶贫办", "市财政局、人社局", datetime(2019, 6, 30), "王副市长", "", "50%"],
        [2.0, "开展扶贫档案培训。", "市扶贫办（牵头）", "各区（县）", "每季度末", "", "每年一次", ""],
    ])
    table = read_tasks(path)
    assert table.title == "2019年市委市政府重点工作任务清单" and table.doc_no == "" and table.issued is None
    assert str(table.header) == "重点工作.xlsx:Sheet1 第5行"
    assert [(c.field, c.label, c.lead) for c in table.columns] == [
        ("seq", "序号", False), ("text", "重点任务", False), ("units", "牵头单位", True),
        ("units", "配合单位", False), ("deadline", "时间要求", False), ("leader", "牵头领导", False),
        ("remark", "备注", False)]
    assert table.ignored_columns == ("进度",)
    first, second = table.tasks
    assert (first.id, first.seq, first.text, first.deadline, first.leader) == \
        ("1.1", "1", "完成年度脱贫任务。", "2019年6月30日", "王副市长")
    assert first.unit_names == ("市扶贫办", "市财政局", "市人社局") and first.lead_units == ("市扶贫办",)
    assert (second.id, second.seq, second.remark) == ("2.1", "2", "每年一次")
    assert second.unit_names == ("市扶贫办", "各区（县）") and second.lead_units == ("市扶贫办",)
    assert [str(n) for n in table.notices] == ["重点工作.xlsx:Sheet1!H6: 这一格有内容（50%），但表头没有这一列，没有读取"]


def test_two_row_header_and_vertical_merges_of_units_and_sections(tmp_path):
    path = xlsx(tmp_path / "整改.xlsx", [
        ["专项整改清单"],
        ["序号", "整改任务", "责任单位", None, "完成时限"],
        [None, None, "牵头单位", "配合单位", None],
        ["一、资金管理", None, None, None, None],
        [1, "清理滞留资金。", "市财政局", "各区（县）", "2019年3月底前"],
        [2, "建立资金台账。", None, None, "2019年4月底前"],
        ["序号", "整改任务", "责任单位", None, "完成时限"],
        ["二、项目管理", None, None, None, None],
        [3, "核查项目进度。", "市扶贫办", "", "每月25日前"],
    ], merges=("A1:E1", "C2:D2", "A2:A3", "B2:B3", "E2:E3", "A4:E4", "C5:C6", "D5:D6", "A8:E8"))
    with pytest.raises(TableError) as caught:  # 整改任务 is not a name of the task column
        read_tasks(path)
    assert str(caught.value) == ("整改.xlsx:Sheet1 第2行: 表头缺少“工作任务”列"
                                 "（可写作 工作任务/任务/重点任务/工作内容/主要任务/任务内容）")
    import openpyxl
    book = openpyxl.load_workbook(path)
    book.active["B2"] = "工作任务"
    book.active["B7"] = "工作任务"
    book.save(path)
    table = read_tasks(path)
    assert [(c.field, c.label, c.lead) for c in table.columns] == [
        ("seq", "序号", False), ("text", "工作任务", False), ("units", "牵头单位", True),
        ("units", "配合单位", False), ("deadline", "完成时限", False)]
    assert [(t.id, t.category, t.unit_names, t.lead_units, t.deadline) for t in table.tasks] == [
        ("1.1", "资金管理", ("市财政局", "各区（县）"), ("市财政局",), "2019年3月底前"),
        ("2.1", "资金管理", ("市财政局", "各区（县）"), ("市财政局",), "2019年4月底前"),
        ("3.1", "项目管理", ("市扶贫办",), ("市扶贫办",), "每月25日前"),
    ]
    assert table.title == "专项整改清单"


def test_repeated_headers_are_skipped_and_sections_carry_over_page_breaks(tmp_path):
    path = csv_file(tmp_path / "清单.csv", [
        "序号,工作任务,责任单位,完成时限",
        ",一、社会保障,,",
        "1,落实低保。,市民政局,逐月完成",
        "序号,工作任务,责任单位,完成时限",
        "2,发放养老金。,市人社局,逐月完成",
        ",（二）医疗救助,,",
        "3,资助参保。,市医保局,2019年底前",
        "序号,工作任务,责任单位,完成时限",
    ])
    table = read_tasks(path)
    assert [(t.id, t.category, str(t.location)) for t in table.tasks] == [
        ("1.1", "社会保障", "清单.csv:第3行"), ("2.1", "社会保障", "清单.csv:第5行"),
        ("3.1", "医疗救助", "清单.csv:第7行")]


def test_sections_that_number_their_own_items_prefix_the_ids(tmp_path):
    path = csv_file(tmp_path / "清单.csv", [
        "序号,工作任务,责任单位,完成时限",
        "一,社会保障,,",
        "1,落实低保。,市民政局,逐月完成",
        "2,发放养老金。,市人社局,逐月完成",
        "二,医疗救助,,",
        "1,资助参保。,市医保局,2019年底前",
        ",落实大病保险。,市医保局,2019年底前",
    ])
    assert [(t.id, t.seq, t.category) for t in read_tasks(path).tasks] == [
        ("1-1.1", "1", "社会保障"), ("1-2.1", "2", "社会保障"), ("2-1.1", "1", "医疗救助"), ("2-1.2", "", "医疗救助")]


def test_a_table_without_seq_numbers_its_rows(tmp_path):
    path = csv_file(tmp_path / "清单.csv", [
        "工作任务,责任单位,完成时限", "落实低保。,\"市民政局,各区(县)\",逐月完成", "发放养老金。,市人社局,逐月完成"])
    assert [(t.id, t.seq, t.unit_names) for t in read_tasks(path).tasks] == [
        ("1.1", "", ("市民政局", "各区（县）")), ("2.1", "", ("市人社局",))]


def test_a_gbk_csv_and_full_width_punctuation(tmp_path):
    path = csv_file(tmp_path / "清单.csv", [
        "序号,工作任务,责任单位,完成时限", "１,  落实低保(含特困) ,  市民政局、人社局 ， 镇  ,逐月完成 "], "gbk")
    (task,) = read_tasks(path).tasks
    assert (task.id, task.seq, task.text, task.unit_names, task.deadline) == \
        ("1.1", "1", "落实低保（含特困）", ("市民政局", "市人社局", "各镇"), "逐月完成")


def test_the_first_sheet_with_a_header_is_read_unless_one_is_named(tmp_path):
    table_rows = [["序号", "工作任务", "责任单位", "完成时限"], [1, "落实低保。", "市民政局", "逐月完成"]]
    other_rows = [["序号", "工作任务", "责任单位", "完成时限"], [1, "发放养老金。", "市人社局", "逐月完成"]]
    path = xlsx(tmp_path / "book.xlsx", [], sheets={
        "说明": ([["本表说明"]], ()), "主表": (table_rows, ()), "附表": (other_rows, ())})
    assert [t.text for t in read_tasks(path).tasks] == ["落实低保。"]
    assert [t.text for t in read_tasks(path, "附表").tasks] == ["发放养老金。"]
    assert str(read_tasks(path, "附表").tasks[0].location) == "book.xlsx:附表!B2"
    assert str(fail(path, "总表")) == "book.xlsx: 工作簿里没有名为“总表”的工作表；有：“说明”、“主表”、“附表”"


def docx_file(path: Path, before: list[str], tables: list[list[list[str]]], after: list[str] = ()) -> Path:
    import docx
    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    for rows in tables:
        table = document.add_table(rows=0, cols=len(rows[0]))
        for row in rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
    for line in after:
        document.add_paragraph(line)
    document.save(path)
    return path


def test_a_word_table_split_at_a_page_break_continues_and_notes_below_it_are_kept(tmp_path):
    path = docx_file(tmp_path / "清单.docx", ["粤扶办〔2019〕12号", "2019年脱贫攻坚任务清单"], [
        [["序号", "工作任务", "责任单位", "完成时限"], ["1", "落实低保。", "市民政局", "逐月完成"]],
        [["2", "发放养老金。", "市人社局", "逐月完成"]],
        [["无关", "表格"]],
    ], ["注：本表由市扶贫办负责解释。", "抄送：市委办"])
    table = read_tasks(path)
    assert (table.title, table.doc_no) == ("2019年脱贫攻坚任务清单", "粤扶办〔2019〕12号")
    assert [(t.id, str(t.location)) for t in table.tasks] == [("1.1", "清单.docx:表1 第2行"), ("2.1", "清单.docx:表2 第1行")]
    assert table.notes == ("注：本表由市扶贫办负责解释。", "抄送：市委办")
    assert [str(n) for n in table.notices] == ["清单.docx:表3: 这个表格的列数与任务表不同，没有读取"]


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("name, message", [
    ("清单.xls", "旧版 Excel 文件（.xls）不能直接导入；请用 WPS/Excel 另存为 .xlsx 后再导入"),
    ("清单.et", "WPS 表格文件（.et）不能直接导入；请用 WPS/Excel 另存为 .xlsx 后再导入"),
    ("清单.doc", "旧版 Word 文件（.doc）不能直接导入；请用 WPS/Word 另存为 .docx 后再导入"),
    ("清单.wps", "WPS 文字文件（.wps）不能直接导入；请用 WPS/Word 另存为 .docx 后再导入"),
    ("清单.odt", "不认识的文件类型“.odt”；能导入的是 .docx、.xlsx、.csv、.tsv、.txt"),
    ("清单", "不认识的文件类型（没有扩展名）；能导入的是 .docx、.xlsx、.csv、.tsv、.txt"),
])
def test_file_types_that_cannot_be_read(tmp_path, name, message):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert str(fail(path)) == f"{name}: {message}"


def ole2(*streams: str) -> bytes:
    """An OLE2 compound file as far as the reader looks: its signature and directory entry names."""
    names = b"".join(name.encode("utf-16-le").ljust(64, b"\0") for name in ("Root Entry", *streams))
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + names


@pytest.mark.parametrize("name, content, message", [
    ("加密.xlsx", ole2("EncryptionInfo", "EncryptedPackage"),
     "文件设置了打开密码（已加密），无法读取；请用 WPS/Excel 打开，取消密码后另存为 .xlsx 再导入"),
    ("加密.docx", ole2("EncryptionInfo", "EncryptedPackage"),
     "文件设置了打开密码（已加密），无法读取；请用 WPS/Word 打开，取消密码后另存为 .docx 再导入"),
    ("旧.xlsx", ole2("Workbook"), "这其实是旧版 .xls 格式的文件，只是扩展名写成了 .xlsx；请用 WPS/Excel 另存为 .xlsx 后再导入"),
    ("旧.docx", ole2("WordDocument"), "这其实是旧版 .doc 格式的文件，只是扩展名写成了 .docx；请用 WPS/Word 另存为 .docx 后再导入"),
    ("文本.xlsx", "序号,工作任务".encode(), "文件已损坏或不是 .xlsx 格式（无法作为 Excel 工作簿打开）"),
    ("空.docx", b"", "文件是空的"),
])
def test_encrypted_legacy_and_foreign_packages(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert str(fail(path)) == f"{name}: {message}"


def test_a_truncated_workbook_and_a_word_file_named_xlsx(tmp_path, seed_files):
    cut = tmp_path / "断.xlsx"
    cut.write_bytes(seed_files["xlsx"].read_bytes()[:3000])
    assert str(fail(cut)) == "断.xlsx: 文件已损坏（压缩包读不出来），无法作为 Excel 工作簿打开；请重新保存或重新下载"
    renamed = tmp_path / "改名.xlsx"
    renamed.write_bytes(seed_files["docx"].read_bytes())
    assert str(fail(renamed)) == "改名.xlsx: 这其实是 Word 文档，只是扩展名写成了 .xlsx；请把扩展名改为 .docx"
    other = tmp_path / "别的.docx"
    with zipfile.ZipFile(other, "w") as package:
        package.writestr("content.xml", "<office:document/>")
    assert str(fail(other)) == "别的.docx: 文件不是 Word 文档（压缩包里没有 word/document.xml）"


def test_damaged_zip_members(tmp_path, seed_files):
    data = bytearray(seed_files["xlsx"].read_bytes())
    with zipfile.ZipFile(seed_files["xlsx"]) as package:
        info = package.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start:start + 8] = bytes(8)  # the deflated bytes no longer inflate
    damaged = tmp_path / "坏.xlsx"
    damaged.write_bytes(bytes(data))
    assert str(fail(damaged)) == "坏.xlsx: 文件已损坏（压缩包读不出来），无法作为 Excel 工作簿打开；请重新保存或重新下载"
    stored = tmp_path / "校验.xlsx"
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(stored.read_bytes())
    data[data.index(b"<workbook/>")] = ord("[")  # stored bytes changed: the CRC no longer matches
    stored.write_bytes(bytes(data))
    assert str(fail(stored)) == \
        "校验.xlsx: 文件已损坏（其中的 xl/workbook.xml 读不出来），无法作为 Excel 工作簿打开；请重新保存或重新下载"


def test_a_word_document_of_prose_and_one_whose_table_has_no_header(tmp_path):
    prose = docx_file(tmp_path / "通知.docx", ["关于做好2019年脱贫攻坚工作的通知", "各区（县）：现将有关事项通知如下。"], [])
    assert str(fail(prose)) == ("通知.docx: 文档里没有表格，不像是任务清单；"
                                "任务清单应排成表格（序号、工作任务、责任单位、完成时限）")
    table = docx_file(tmp_path / "名单.docx", ["参会名单"], [[["姓名", "单位"], ["张三", "市民政局"]]])
    assert str(fail(table)) == "名单.docx: 文档里的表格找不到表头：没有一行同时写着“工作任务”“责任单位”“完成时限”等列名"


def test_a_sheet_without_a_header(tmp_path):
    path = xlsx(tmp_path / "名单.xlsx", [["姓名", "单位"], ["张三", "市民政局"]])
    assert str(fail(path)) == "名单.xlsx:Sheet1: 找不到表头：没有一行同时写着“工作任务”“责任单位”“完成时限”等列名"
    two = xlsx(tmp_path / "两表.xlsx", [], sheets={"甲": ([["姓名"]], ()), "乙": ([["单位"]], ())})
    assert str(fail(two)) == "两表.xlsx: 找不到表头：工作表“甲”、“乙”都没有一行同时写着“工作任务”“责任单位”“完成时限”等列名"


@pytest.mark.parametrize("header, message", [
    (["序号", "工作任务", "责任单位"], "表头缺少“完成时限”列（可写作 完成时限/时间要求/完成时间/时限要求/完成时间节点）"),
    (["序号", "工作任务", "完成时限"], "表头缺少“责任单位”列（可写作 责任单位/牵头单位/配合单位/责任部门/牵头部门/协办单位/配合部门）"),
    (["序号", "工作任务", "责任单位", "完成时限", "完成时间"], "表头有两列都是“完成时限”（“完成时限”和“完成时间”），不知道该读哪一列"),
])
def test_a_header_with_a_missing_or_doubled_column(tmp_path, header, message):
    path = xlsx(tmp_path / "清单.xlsx", [["2019年任务清单"], header, [1, "落实低保。", "市民政局", "逐月完成"]])
    assert str(fail(path)) == f"清单.xlsx:Sheet1 第2行: {message}"


def test_two_thousand_rows_are_read_and_one_more_is_refused(tmp_path):
    rows = [["序号", "工作任务", "责任单位", "完成时限"]] + \
        [[n, f"第{n}项任务。", "市民政局", "逐月完成"] for n in range(1, 2001)]
    assert len(read_tasks(xlsx(tmp_path / "满.xlsx", rows)).tasks) == 2000
    path = xlsx(tmp_path / "超.xlsx", [["标题"], *rows, [2001, "第2001项任务。", "市民政局", "逐月完成"]])
    assert str(fail(path)) == "超.xlsx:Sheet1 第2003行: 数据超过 2000 行（这里是第 2001 行），不像是一份任务清单；请把表格分成几个文件再导入"


def test_duplicate_seq_numbers_that_cannot_be_told_apart(tmp_path):
    apart = csv_file(tmp_path / "隔开.csv", [
        "序号,工作任务,责任单位,完成时限", "1,甲。,市民政局,逐月完成", "2,乙。,市民政局,逐月完成", "1,丙。,市民政局,逐月完成"])
    assert str(fail(apart)) == "隔开.csv:第4行: 序号“1”重复：隔开.csv:第2行 已经用过，而且两行之间隔着别的序号，无法区分；请核对序号"
    pasted = csv_file(tmp_path / "粘贴.csv", [
        "序号,工作任务,责任单位,完成时限", "1,甲。,市民政局,逐月完成", "1,甲。,市民政局,逐月完成"])
    assert str(fail(pasted)) == ("粘贴.csv:第3行: 这一行与 粘贴.csv:第2行 完全相同（序号、工作任务、责任单位、完成时限都一样），"
                                 "像是重复粘贴；请删去一行")
    repeated = csv_file(tmp_path / "连续.csv", [
        "序号,工作任务,责任单位,完成时限", "1,甲。,市民政局,逐月完成", "1,乙。,市民政局,逐月完成", ",丙。,市民政局,逐月完成"])
    assert [t.id for t in read_tasks(repeated).tasks] == ["1a.1", "1b.1", "1b.2"]


def test_a_row_with_units_but_no_task_and_other_text_trouble(tmp_path):
    blank = csv_file(tmp_path / "空任务.csv", ["序号,工作任务,责任单位,完成时限", "1,,市民政局,逐月完成"])
    assert str(fail(blank)) == ("空任务.csv:第2行: 这一行有责任单位或完成时限，工作任务栏却是空的；"
                                "如果它属于上一行的任务，请把工作任务单元格合并")
    binary = tmp_path / "乱.csv"
    binary.write_bytes(b"\x00\x01\x02 not text")
    assert str(fail(binary)) == "乱.csv: 这是二进制文件，不是文本表格"
    assert str(fail(csv_file(tmp_path / "空.tsv", ["  "]))) == "空.tsv: 文件是空的"
    assert str(fail(SEED, "Sheet1")) == \
        "000_0fd6b74583511a98.txt: 文本表格没有工作表，不能选“Sheet1”（--sheet 只用于 .xlsx 和 .docx）"
    assert str(fail(tmp_path / "无.xlsx")) == "无.xlsx: 找不到文件"


# ---------------------------------------------------------------- unit words and the generalised seed rules

@pytest.mark.parametrize("words, names, leads", [
    ("市民政局、人社局、财政局", ["市民政局", "市人社局", "市财政局"], []),
    ("各区（县）、镇、贫困村（各帮扶单位）", ["各区（县）", "各镇", "贫困村", "各帮扶单位"], []),
    ("市、区（县）、镇各级政府", ["市人民政府", "各区（县）", "各镇"], []),
    ("分散贫困户由各镇负责", ["各镇"], []),
    ("定点帮扶贫困村、贫困户由各镇负责", ["各镇"], []),
    ("各区（县）、镇党委政府、各帮扶单位", ["各区（县）", "各镇", "各帮扶单位"], []),
    ("市金融工作局、人行汕头中支、汕头银监分局，各区（县），各金融机构",
     ["市金融工作局", "人行汕头中支", "汕头银监分局", "各区（县）", "各金融机构"], []),
    ("团市委、妇联、银监会汕头监管分局、供电局等相关职能部门", ["团市委", "妇联", "银监会汕头监管分局", "供电局"], []),
    ("市发展改革局（牵头）、市财政局（配合）", ["市发展改革局", "市财政局"], ["市发展改革局"]),
    ("牵头单位：市民政局；配合单位：市财政局、人社局", ["市民政局", "市财政局", "市人社局"], ["市民政局"]),
    ("市教育局牵头，各区(县)配合", ["市教育局", "各区（县）"], ["市教育局"]),
    ("市政府、市民政局 市财政局", ["市人民政府", "市民政局", "市财政局"], []),
])
def test_unit_words_are_split_as_units_yaml_documents(words, names, leads):
    from fupin_cli.plan_io.tables.cells import clean
    from fupin_cli.plan_io.tables.units import split_unit_names
    assert split_unit_names(clean(words)) == (names, leads)


def test_labels_in_the_seq_column_and_heading_lines_generalise(tmp_path):
    path = csv_file(tmp_path / "清单.csv", [
        "序号,工作任务,责任单位,完成时限",
        "1,落实低保，按月发放。,市民政局,逐月完成",
        ",危房改造,市住建局,2019年底前",
        ",实施危房改造。,市住建局,2019年底前",
        "2,项目管理,市扶贫办,每季度末",
        ",每月核查一次项目进度。,市扶贫办,逐月完成",
        "组织保障,召开专题会议。,市扶贫办,每季度末",
        ",督查落实情况。,市督查室,每年年底前",
        "作风建设,开展作风整治。,市纪委,2019年6月底前",
        "3,开展培训，每年两次。,市人社局,每年年底前",
    ])
    tasks = read_tasks(path).tasks
    assert [(t.id, t.seq, t.category, t.text, t.from_heading) for t in tasks] == [
        ("1.1", "1", "危房改造", "落实低保，按月发放。", False),   # the heading line below it, same item
        ("1.2", "", "危房改造", "危房改造", True),
        ("1.3", "", "危房改造", "实施危房改造。", False),
        ("2.1", "2", "危房改造", "项目管理", False),              # a heading is in force: an ordinary item
        ("R.1", "", "组织保障", "每月核查一次项目进度。", False),  # the label claims the line above it
        ("R.2", "", "组织保障", "召开专题会议。", False),
        ("R.3", "", "组织保障", "督查落实情况。", False),
        ("S.1", "", "作风建设", "开展作风整治。", False),
        ("3.1", "3", "", "开展培训，每年两次。", False),
    ]


def test_a_label_inside_a_section_gives_the_section_back_after_its_rows(tmp_path):
    path = csv_file(tmp_path / "清单.csv", [
        "序号,工作任务,责任单位,完成时限",
        "一、组织领导,,,",
        "1,成立领导小组。,市扶贫办,2019年3月底前",
        "工作责任,召开专题会议。,市扶贫办,每季度末",
        "2,开展督查。,市督查室,每年年底前",
    ])
    assert [(t.id, t.category) for t in read_tasks(path).tasks] == [
        ("1.1", "组织领导"), ("R.1", "工作责任"), ("2.1", "组织领导")]
