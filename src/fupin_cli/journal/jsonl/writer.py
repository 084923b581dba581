"""Appending to the JSON Lines journal: one whole line, under a lock, fsynced, or nothing at all.

Writing raises :class:`JournalError` and leaves the file as it was.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

import orjson

from ...domain.errors import JournalError
from . import files as file_seam
from .files import describe_oserror, new_file_mode
from .lock import LOCK_TIMEOUT, JournalLock

JOURNAL_FILENAME = "journal.jsonl"


def _write_error(path: Path, exc: OSError, what: str = "无法写入台账") -> JournalError:
    return JournalError(f"{what}：{describe_oserror(exc)}；什么也没有写入", file=str(path))


def resolve_target(path: Path) -> Path:
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


def append(path: Path, record: dict, *, timeout: float = LOCK_TIMEOUT, last_seen: int | None = None,
           precondition: Callable[[], None] | None = None, make_folder: bool = False) -> dict:
    """Append ``record`` as one line to the journal at ``path`` and return it.

    Under the journal's lock (:class:`~fupin_cli.journal.jsonl.lock.JournalLock`)
    the line is written with a single ``os.write`` and fsynced.  If the file
    ends in a torn line (no final newline), a newline goes first so the torn
    line never swallows this one.  On any failure the file is cut back to its
    previous size and :class:`JournalError` is raised: nothing half-written is
    left.

    A journal that should exist is never created afresh: when fupin has seen
    it before (``last_seen``, its size when last read, or the size the lock
    file remembers from the last write) and it is missing, or shorter than
    ``last_seen``, the write is refused — git may be replacing the file right
    now.  ``precondition()`` runs under the lock just before the write and
    raises to refuse it.  A missing folder is created only with
    ``make_folder`` (fupin's own default place); a folder someone named that is
    not there is a mistyped path, refused.
    """
    path = Path(path)
    line = _encode(record)
    target = resolve_target(path)

    if not target.parent.is_dir():
        if not make_folder:
            raise JournalError(f"台账所在的文件夹 {target.parent} 不存在（路径写错了？）；什么也没有写入",
                               file=str(path))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _write_error(path, exc, "无法创建台账所在的文件夹") from None

    with JournalLock(target, timeout, shown=path) as lock:
        try:
            size_now = os.stat(target).st_size
        except FileNotFoundError:
            size_now = None
        except OSError as exc:
            raise _write_error(path, exc) from None
        if size_now is None and (last_seen is not None or lock.remembered is not None):
            raise JournalVanished(path, last_seen if last_seen is not None else lock.remembered)
        if size_now is not None and last_seen is not None and size_now < last_seen:
            raise JournalShrunk(path, size_now, last_seen)
        if precondition is not None:
            precondition()
        size_after = _append_locked(path, target, line, create=size_now is None)
        lock.remember(size_after)
    return record


class JournalVanished(JournalError):
    """The journal fupin saw before is not there: git may be rewriting it; creating it afresh would lose it."""

    def __init__(self, path: Path, seen: int) -> None:
        super().__init__(
            f"台账文件不存在，但 fupin 之前读写过它（当时 {seen} 字节）：可能 git 或其他程序正在替换它，"
            f"也可能被删除了。为免新建一个空台账而丢失记录，本次没有写入。请稍后重试；"
            f"如果确实要从空台账重新开始，先运行 touch '{path}'，再运行 fupin check，然后销号",
            file=str(path))


class JournalShrunk(JournalError):
    """The journal is shorter than when fupin last read it: it may be being rewritten."""

    def __init__(self, path: Path, size: int, seen: int) -> None:
        super().__init__(
            f"台账比 fupin 上次读取时短（现在 {size} 字节，上次 {seen} 字节）：可能 git 或其他程序正在改写它，"
            f"本次没有写入。请稍后重试；如果是有意删改了台账，先运行 fupin check 查看，然后再销号",
            file=str(path))


def _append_locked(path: Path, target: Path, line: bytes, create: bool) -> int:
    """Append ``line``; returns the journal's size after it."""
    files = file_seam.FILES
    flags = os.O_RDWR | os.O_APPEND | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if create:
        flags |= os.O_CREAT | os.O_EXCL  # a journal that appeared meanwhile is someone else's: refused below
    mode = new_file_mode(target.parent)
    try:
        fd = files.open(target, flags, mode)
    except FileExistsError:
        raise JournalError("台账文件刚刚被其他程序创建（可能是 git），本次没有写入；请稍后重试",
                           file=str(path)) from None
    except FileNotFoundError:
        raise JournalError("台账文件在写入前消失了（可能 git 或其他程序正在替换它），本次没有写入；请稍后重试",
                           file=str(path)) from None
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        if create:
            try:
                files.fchmod(fd, mode)  # the group's write bit the folder wants, which the umask took
            except OSError:
                pass
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
        _check_still_there(path, target, st)
    finally:
        files.close(fd)
    if create:
        _fsync_dir(target.parent)
    return size + len(data)


def _check_still_there(path: Path, target: Path, written: os.stat_result) -> None:
    """The file written to must still be the journal: git may have replaced it while we wrote."""
    try:
        now = os.stat(target)
    except OSError:
        now = None
    if now is None or (now.st_dev, now.st_ino) != (written.st_dev, written.st_ino):
        raise JournalError("写入时台账文件被其他程序（可能是 git）替换了，这条记录可能没有保存；"
                           "请用 fupin journal 查看，必要时重新销号", file=str(path))


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


def create_empty_journal(path: Path) -> bool:
    """Create an empty journal at ``path`` (``fupin init``); False when one is there already.

    Journals are created here or by the first write to a new path, never by a
    write to a journal fupin has seen before (see :func:`append`).
    """
    path = Path(path)
    mode = new_file_mode(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)
    except FileExistsError:
        return False
    except OSError as exc:
        raise _write_error(path, exc, "无法新建台账") from None
    try:
        os.fchmod(fd, mode)
    except OSError:
        pass
    finally:
        os.close(fd)
    _fsync_dir(path.parent)
    return True


def git_attributes_text() -> str:
    """``.gitattributes`` content so that git merges journals line by line."""
    return (
        "# fupin 销号台账：合并两个副本时保留双方新增的全部行（重复行由 fupin 读取时去重）\n"
        "*.jsonl merge=union\n"
    )
