"""The system calls the journal writer makes, behind one seam; and opening the journal to read it.

The writer calls the file system only through :data:`FILES`, so tests of
write faults (a full disk, a read-only file, a short write) replace this one
object instead of patching :mod:`os` for the whole process.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ...domain.errors import JournalError

_ERRNO_TEXT = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "所在的文件系统是只读的",
    errno.EACCES: "没有写入权限（文件或文件夹只读）",
    errno.EPERM: "操作不被允许（文件或文件夹只读）",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "路径太长",
    errno.ELOOP: "符号链接层数过多或成环",
    errno.EIO: "磁盘读写错误",
    errno.ENXIO: "不是普通文件",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EEXIST: "已经存在",
}


def describe_oserror(exc: OSError) -> str:
    """An OS error in Chinese words."""
    text = _ERRNO_TEXT.get(exc.errno)
    if text is None:
        text = exc.strerror or str(exc)
    return text


class Files:
    """The calls an append makes; each is the :mod:`os` function of the same name."""

    def open(self, path, flags: int, mode: int = 0o777) -> int:
        return os.open(path, flags, mode)

    def fstat(self, fd: int) -> os.stat_result:
        return os.fstat(fd)

    def pread(self, fd: int, size: int, offset: int) -> bytes:
        return os.pread(fd, size, offset)

    def write(self, fd: int, data: bytes) -> int:
        return os.write(fd, data)

    def fchmod(self, fd: int, mode: int) -> None:
        os.fchmod(fd, mode)

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def ftruncate(self, fd: int, size: int) -> None:
        os.ftruncate(fd, size)

    def close(self, fd: int) -> None:
        os.close(fd)


FILES = Files()


def new_file_mode(folder) -> int:
    """The permissions of a file fupin creates in ``folder`` (a journal, its lock).

    What the umask allows, and the group may read and write it too when the
    folder itself is group-writable: an office's shared folder stays usable by
    every member, whatever umask the first clerk had.
    """
    umask = os.umask(0)
    os.umask(umask)
    mode = 0o666 & ~umask
    try:
        if os.stat(folder).st_mode & 0o020:
            mode |= 0o060
    except OSError:
        pass
    return mode


def open_journal(path: Path) -> int | None:
    """A read-only descriptor of the journal at ``path`` (a regular file), or None when there is none."""
    try:
        # O_NONBLOCK: opening a FIFO must not hang; it is refused just below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise JournalError("台账路径是一个文件夹，不是文件", file=str(path)) from None
    except OSError as exc:
        raise JournalError(f"无法读取台账：{describe_oserror(exc)}", file=str(path)) from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:  # pragma: no cover - fstat of an open descriptor
        os.close(fd)
        raise JournalError(f"无法读取台账：{describe_oserror(exc)}", file=str(path)) from None
    if stat.S_ISDIR(mode):
        os.close(fd)
        raise JournalError("台账路径是一个文件夹，不是文件", file=str(path))
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise JournalError("台账不是普通文件（可能是管道或设备）", file=str(path))
    return fd
