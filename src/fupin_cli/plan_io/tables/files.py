"""Opening a table file: size, existence, and what the bytes really are.

A clerk's file is often not what its name says: an old .xls saved as .xlsx, a
workbook with an opening password (then it is an OLE2 container, not a zip), a
download cut short.  Each is told apart here, before openpyxl or python-docx
see the bytes, so the message says what to do instead of quoting a zip error.
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO
from pathlib import Path

from .errors import TableError
from .model import Location

MAX_FILE_BYTES = 50 * 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# An encrypted .xlsx/.docx is an OLE2 container with these streams (names in UTF-16).
_ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))

_KIND = {"xlsx": ("Excel 工作簿", "xl/workbook.xml", "WPS/Excel", ".xls"),
         "docx": ("Word 文档", "word/document.xml", "WPS/Word", ".doc")}


def read_bytes(path: Path) -> bytes:
    where = Location(path.name)
    try:
        if path.is_dir():
            raise TableError("这是一个文件夹，不是表格文件", where)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TableError(f"文件过大（超过 {MAX_FILE_BYTES // (1024 * 1024)} MB），不像是任务清单", where)
        return path.read_bytes()
    except FileNotFoundError:
        raise TableError("找不到文件", where) from None
    except OSError as exc:
        raise TableError(f"无法读取文件：{exc.strerror}", where) from None


def open_package(path: Path, kind: str) -> BytesIO:
    """The bytes of an .xlsx (kind "xlsx") or .docx ("docx") that really is one."""
    data = read_bytes(path)
    where = Location(path.name)
    what, main_part, tool, legacy = _KIND[kind]
    if not data:
        raise TableError("文件是空的", where)
    if data.startswith(OLE2_MAGIC):
        if all(stream in data for stream in _ENCRYPTION_STREAMS):
            raise TableError(f"文件设置了打开密码（已加密），无法读取；请用 {tool} 打开，取消密码后另存为 .{kind} 再导入",
                             where)
        raise TableError(f"这其实是旧版 {legacy} 格式的文件，只是扩展名写成了 .{kind}；"
                         f"请用 {tool} 另存为 .{kind} 后再导入", where)
    if not data.startswith(ZIP_MAGIC):
        raise TableError(f"文件已损坏或不是 .{kind} 格式（无法作为 {what}打开）", where)
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            names = set(package.namelist())
            broken = package.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        raise TableError(f"文件已损坏（压缩包读不出来），无法作为 {what}打开；请重新保存或重新下载", where) from None
    if broken is not None:
        raise TableError(f"文件已损坏（其中的 {broken} 读不出来），无法作为 {what}打开；请重新保存或重新下载", where)
    if main_part not in names:
        other = next((k for k, v in _KIND.items() if v[1] in names), None)
        if other is not None:
            raise TableError(f"这其实是 {_KIND[other][0]}，只是扩展名写成了 .{kind}；请把扩展名改为 .{other}", where)
        raise TableError(f"文件不是 {what}（压缩包里没有 {main_part}）", where)
    return BytesIO(data)
