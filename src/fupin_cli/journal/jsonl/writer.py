"""Appending to the JSON Lines journal: one whole line, under a lock, fsynced, or nothing at all.

Writing raises :class:`JournalError` and leaves the file as it was.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import orjson

from ...domain.errors import JournalError
from . import files as file_seam
from .files import describe_oserror

JOURNAL_FILENAME = "journal.jsonl"
LOCK_TIMEOUT = 10.0


def _write_error(path: Path, exc: OSError, what: str = "无法写入台账") -> JournalError:
    return JournalError(f"{what}：{describe_oserror(exc)}；什么也没有写入", file=str(path))


def _resolve_target(path: Path) -> Path:
    """The regular file (possibly not yet existing) that ``path`` names.

    Symlinks are followed only to an existing regular file; a directory, FIFO,
    device, socket or dangling link is refused.
    """
    try:
        lst = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise _write_error(path, exc) from None
    if stat.S_ISLNK(lst.st_mode):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise JournalError("台账是一个指向不存在文件的符号链接，拒绝写入",
                               file=str(path)) from None
        except OSError as exc:
            raise _write_error(path, exc) from None
        if not stat.S_ISREG(st.st_mode):
            raise JournalError("台账是一个符号链接，但它指向的不是普通文件，拒绝写入",
                               file=str(path))
        return Path(os.path.realpath(path))
    if stat.S_ISDIR(lst.st_mode):
        raise JournalError("台账路径是一个文件夹，不是文件，拒绝写入", file=str(path))
    if not stat.S_ISREG(lst.st_mode):
        raise JournalError("台账路径不是普通文件（可能是管道或设备），拒绝写入", file=str(path))
    return path


def _encode(record: dict) -> bytes:
    if not isinstance(record, dict):
        raise TypeError(f"a journal record is a dict, not {type(record).__name__}")
    for key in ("id", "op"):
        if not isinstance(record.get(key), str) or not record[key]:
            raise ValueError(f"a journal record needs a non-empty text {key!r}: {record!r}")
    return orjson.dumps(record) + b"\n"


def append(path: Path, record: dict, *, timeout: float = LOCK_TIMEOUT) -> dict:
    """Append ``record`` as one line to the journal at ``path`` and return it.

    Under an exclusive lock (``<file>.lock`` next to the real file) the line
    is written with a single ``os.write`` and fsynced.  If the file ends in a
    torn line (no final newline), a newline goes first so the torn line never
    swallows this one.  On any failure the file is cut back to its previous
    size and :class:`JournalError` is raised: nothing half-written is left.
    """
    from filelock import FileLock, Timeout  # only writers need it

    path = Path(path)
    line = _encode(record)
    target = _resolve_target(path)

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(path, exc, "无法创建台账所在的文件夹") from None

    lock = FileLock(str(target) + ".lock", timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise JournalError(
            f"台账被其他进程锁定，等待 {timeout:g} 秒后仍未释放；请稍后再试",
            file=str(path)) from None
    except OSError as exc:
        raise _write_error(path, exc, "无法给台账加锁") from None
    try:
        _append_locked(path, target, line)
    finally:
        lock.release()
    return record


def _append_locked(path: Path, target: Path, line: bytes) -> None:
    files = file_seam.FILES
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    created = not os.path.lexists(target)
    try:
        fd = files.open(target, flags, 0o644)
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        try:
            st = files.fstat(fd)
        except OSError as exc:  # pragma: no cover
            raise _write_error(path, exc) from None
        if not stat.S_ISREG(st.st_mode):  # swapped between the check and the open
            raise JournalError("台账路径不是普通文件，拒绝写入", file=str(path))
        size = st.st_size
        data = line
        if size > 0:
            try:
                last = files.pread(fd, 1, size - 1)
            except OSError as exc:
                raise _write_error(path, exc, "无法读取台账末尾") from None
            if last != b"\n":
                data = b"\n" + line
        try:
            written = files.write(fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, "short write")
            files.fsync(fd)
        except OSError as exc:
            if _cut_back(fd, size):
                raise _write_error(path, exc) from None
            raise JournalError(
                f"写入台账失败：{describe_oserror(exc)}；末尾可能留下不完整的一行，"
                f"fupin 读取时会报告并忽略它", file=str(path)) from None
    finally:
        files.close(fd)
    if created:
        _fsync_dir(target.parent)


def _cut_back(fd: int, size: int) -> bool:
    """Undo a partial append: truncate to the size before it (we hold the lock).

    True when the file is back at ``size``."""
    files = file_seam.FILES
    try:
        files.ftruncate(fd, size)
    except OSError:
        pass
    try:
        ok = files.fstat(fd).st_size == size
    except OSError:
        return False
    try:
        files.fsync(fd)
    except OSError:
        pass
    return ok


def _fsync_dir(folder: Path) -> None:
    """Make a newly created journal's directory entry durable (best effort)."""
    files = file_seam.FILES
    try:
        dfd = files.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        files.fsync(dfd)
    except OSError:
        pass
    finally:
        files.close(dfd)


def git_attributes_text() -> str:
    """``.gitattributes`` content so that git merges journals line by line."""
    return (
        "# fupin 销号台账：合并两个副本时保留双方新增的全部行（重复行由 fupin 读取时去重）\n"
        "*.jsonl merge=union\n"
    )
