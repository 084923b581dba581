"""The journal's write lock: ``flock`` on ``<journal>.lock`` beside the real file.

Every fupin write takes it, and so does ``fupin sync`` while git rewrites the
file, so no append can land in the middle of a merge.  The lock file also
remembers the journal's size after the last fupin write: a journal that
vanishes after that is noticed even without a cache folder.  The lock file is
never removed (removing it would let two writers lock two different files).
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

from ...domain.errors import JournalError
from .files import describe_oserror, new_file_mode

LOCK_TIMEOUT = 10.0


class JournalLock:
    """``with JournalLock(target): …`` holds the journal at ``target`` exclusively.

    ``remembered`` is the size the last writer recorded (None if none did).
    """

    def __init__(self, target: Path, timeout: float = LOCK_TIMEOUT, shown: Path | None = None) -> None:
        self.target = Path(target)
        self.path = Path(str(target) + ".lock")
        self.timeout = timeout
        self.shown = str(shown or target)
        self.fd: int | None = None
        self.remembered: int | None = None

    def __enter__(self) -> "JournalLock":
        import fcntl

        fd = self._open()
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                        raise JournalError(f"无法给台账加锁：{describe_oserror(exc)}；什么也没有写入",
                                           file=self.shown) from None
                if time.monotonic() >= deadline:
                    raise JournalError(f"台账被其他进程锁定，等待 {self.timeout:g} 秒后仍未释放；请稍后再试",
                                       file=self.shown)
                time.sleep(0.02)
            text = os.pread(fd, 32, 0).strip()
            self.remembered = int(text) if text.isdigit() else None
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        return self

    def _open(self) -> int:
        flags = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        mode = new_file_mode(self.path.parent)
        try:
            try:
                fd = os.open(self.path, flags | os.O_CREAT | os.O_EXCL, mode)
                os.fchmod(fd, mode)  # the umask took the group's write bit the folder wants
            except FileExistsError:
                fd = os.open(self.path, flags)
        except OSError as exc:
            raise JournalError(f"无法给台账加锁（{self.path}）：{describe_oserror(exc)}；什么也没有写入",
                               file=self.shown) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise JournalError(f"台账的锁文件 {self.path} 不是普通文件，拒绝写入", file=self.shown)
        return fd

    def remember(self, size: int) -> None:
        """Record the journal's size after a write (best effort: it only sharpens a later check)."""
        if self.fd is None:
            return
        try:
            data = f"{size}\n".encode("ascii")
            os.pwrite(self.fd, data, 0)
            os.ftruncate(self.fd, len(data))
        except OSError:
            pass

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the flock
            self.fd = None
