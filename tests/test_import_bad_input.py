"""``fupin import`` of bad input: a Chinese message naming file, sheet and row; exit 2; nothing written."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from support.seed_tables import build

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole2(*streams: str) -> bytes:
    names = b"".join(name.encode("utf-16-le").ljust(64, b"\0") for name in ("Root Entry", *streams))
    return OLE2 + bytes(504) + names


def xlsx(path: Path, rows: list[list], sheet: str = "Sheet1") -> Path:
    import openpyxl
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def docx_of(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx
    document = docx.Document()
    for line in paragraphs:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=0, cols=len(table[0]))
        for row in table:
            for cell, text in zip(grid.add_row().cells, row):
                cell.text = text
    document.save(path)
    return path


def refused(fupin, tmp_path: Path, source: Path, *options: str) -> str:
    """Import ``source`` into a new folder; assert exit 2 and that nothing was created; the message."""
    before = sorted(p.name for p in tmp_path.iterdir())
    result = fupin("import", str(source), "--into", str(tmp_path / "新清单"), *options)
    assert result.code == 2, result.out
    assert result.out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before      # no folder, no temporary leftovers
    assert result.err.startswith("错误：") and result.err.count("\n") == 1
    return result.err.removeprefix("错误：").rstrip("\n")


HEADER = ["序号", "工作任务", "责任单位", "完成时限"]


def test_a_word_document_of_prose(fupin, tmp_path):
    source = docx_of(tmp_path / "通知.docx", ["关于做好2019年脱贫攻坚工作的通知", "各区（县）：现将有关事项通知如下。"])
    assert refused(fupin, tmp_path, source) == \
        "通知.docx: 文档里没有表格，不像是任务清单；任务清单应排成表格（序号、工作任务、责任单位、完成时限）"


@pytest.mark.parametrize("name, content, message", [
    ("加密.xlsx", ole2("EncryptionInfo", "EncryptedPackage"),
     "文件设置了打开密码（已加密），无法读取；请用 WPS/Excel 打开，取消密码后另存为 .xlsx 再导入"),
    ("旧.xlsx", ole2("Workbook"), "这其实是旧版 .xls 格式的文件，只是扩展名写成了 .xlsx；请用 WPS/Excel 另存为 .xlsx 后再导入"),
    ("清单.xls", ole2("Workbook"), "旧版 Excel 文件（.xls）不能直接导入；请用 WPS/Excel 另存为 .xlsx 后再导入"),
    ("清单.et", ole2("Workbook"), "WPS 表格文件（.et）不能直接导入；请用 WPS/Excel 另存为 .xlsx 后再导入"),
    ("清单.wps", ole2("WordDocument"), "WPS 文字文件（.wps）不能直接导入；请用 WPS/Word 另存为 .docx 后再导入"),
    ("清单.pdf", b"%PDF-1.4", "PDF 文件（.pdf）不能直接导入；请用 WPS/Word 另存为 .docx 后再导入"),
])
def test_encrypted_and_legacy_files_say_what_to_save_them_as(fupin, tmp_path, name, content, message):
    source = tmp_path / name
    source.write_bytes(content)
    assert refused(fupin, tmp_path, source) == f"{name}: {message}"


def test_a_corrupt_workbook_and_a_missing_file(fupin, tmp_path):
    seed = build("xlsx", tmp_path / "..")
    cut = tmp_path / "断.xlsx"
    cut.write_bytes(seed.read_bytes()[:3000])
    assert refused(fupin, tmp_path, cut) == \
        "断.xlsx: 文件已损坏（压缩包读不出来），无法作为 Excel 工作簿打开；请重新保存或重新下载"
    assert refused(fupin, tmp_path, tmp_path / "无.xlsx") == "无.xlsx: 找不到文件"


def test_no_header_row_and_a_header_missing_a_column(fupin, tmp_path):
    names = xlsx(tmp_path / "名单.xlsx", [["姓名", "单位"], ["张三", "市民政局"]])
    assert refused(fupin, tmp_path, names) == \
        "名单.xlsx:Sheet1: 找不到表头：没有一行同时写着“工作任务”“责任单位”“完成时限”等列名"
    short = xlsx(tmp_path / "清单.xlsx", [["2019年任务清单"], HEADER[:3], [1, "落实低保。", "市民政局"]], sheet="任务")
    assert refused(fupin, tmp_path, short) == \
        "清单.xlsx:任务 第2行: 表头缺少“完成时限”列（可写作 完成时限/时间要求/完成时间/时限要求/完成时间节点）"
    assert refused(fupin, tmp_path, short, "--sheet", "总表") == "清单.xlsx: 工作簿里没有名为“总表”的工作表；有：“任务”"


def test_more_than_two_thousand_rows(fupin, tmp_path):
    rows = [["2019年任务清单"], HEADER] + [[n, f"第{n}项任务。", "市民政局", "逐月完成"] for n in range(1, 2002)]
    source = xlsx(tmp_path / "超.xlsx", rows)
    assert refused(fupin, tmp_path, source) == \
        "超.xlsx:Sheet1 第2003行: 数据超过 2000 行（这里是第 2001 行），不像是一份任务清单；请把表格分成几个文件再导入"


def test_duplicate_seq_and_a_row_without_units(fupin, tmp_path):
    duplicate = tmp_path / "2019年清单.csv"
    duplicate.write_text(",".join(HEADER) + "\n1,甲。,市民政局,逐月完成\n2,乙。,市民政局,逐月完成\n1,丙。,市民政局,逐月完成\n",
                         encoding="utf-8")
    assert refused(fupin, tmp_path, duplicate) == \
        "2019年清单.csv:第4行: 序号“1”重复：2019年清单.csv:第2行 已经用过，而且两行之间隔着别的序号，无法区分；请核对序号"
    no_units = tmp_path / "2019年单位.csv"
    no_units.write_text(",".join(HEADER) + "\n1,甲。,市民政局,逐月完成\n2,落实临时救助工作。,,逐月完成\n3,丙。,,每季度末\n",
                        encoding="utf-8")
    assert refused(fupin, tmp_path, no_units) == \
        ("2019年单位.csv:第3行: 这一行的责任单位是空的（任务“落实临时救助工作。”）；另有 2019年单位.csv:第4行；"
         "请在表中填上责任单位后再导入")


def test_a_target_that_is_a_file_or_cannot_be_written(fupin, tmp_path, monkeypatch):
    source = tmp_path / "2019年清单.csv"
    source.write_text(",".join(HEADER) + "\n1,落实低保。,市民政局,逐月完成\n", encoding="utf-8")
    blocker = tmp_path / "文件"
    blocker.write_text("x", encoding="utf-8")
    result = fupin("import", str(source), "--into", str(blocker))
    assert (result.code, result.err) == (2, f"错误：{blocker} 已存在，而且不是文件夹；请用 --into 指定一个文件夹\n")
    result = fupin("import", str(source), "--into", str(blocker / "清单"))
    assert (result.code, result.err) == (2, f"错误：无法创建文件夹 {blocker / '清单'}：{blocker} 是文件，不是文件夹\n")
    import tempfile

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    result = fupin("import", str(source), "--into", str(tmp_path / "只读" / "清单"))
    assert (result.code, result.err) == (2, f"错误：无法写入文件夹 {tmp_path / '只读'}：没有写入权限（文件或文件夹只读）\n")
    assert not (tmp_path / "只读").exists()          # the parent it made for the folder is taken back


def test_a_failure_after_the_files_are_made_leaves_the_folder_as_it_was(fupin, tmp_path, monkeypatch):
    source = tmp_path / "2019年清单.csv"
    source.write_text(",".join(HEADER) + "\n1,落实低保。,市民政局,逐月完成\n", encoding="utf-8")
    folder = tmp_path / "清单"
    assert fupin("import", str(source), "--into", str(folder)).code == 0
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    source.write_text(",".join(HEADER) + "\n1,落实低保。,市医保局,逐月完成\n", encoding="utf-8")
    import os
    real_replace = os.replace

    def disk_full(src, dst, *args, **kwargs):
        if str(dst).endswith("units.yaml"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", disk_full)
    result = fupin("import", str(source), "--into", str(folder))
    assert (result.code, result.err) == (2, f"错误：无法写入 {folder}：磁盘空间已满\n")
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in folder.iterdir()) == [".gitattributes", "tasks.yaml", "units.yaml"]
