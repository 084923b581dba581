"""Where derived caches live, how they are read and written safely, and the stamp of the code that made them.

A leaf module: the plan loader and the journal index use it; nothing below
them knows a cache exists.  Deleting the cache folder is always safe.

Nothing in the cache folder is trusted blindly.  The folder must belong to the
user and be writable by nobody else, or it is not used at all (and the run
says so once on stderr).  Every file is opened relative to the folder's own
descriptor, with ``O_NOFOLLOW`` (a planted symlink is never followed) and
``O_NONBLOCK`` (a FIFO never hangs the open), and its descriptor is checked:
a regular file, owned by the user, not writable by group or others, of a sane
size.  Only then are its bytes handed to the caller, who decodes them with
marshal (which builds data, never runs code).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

MAX_FILE_BYTES = 1 << 30  # a cache file larger than this is not ours (or not worth it)
TEMP_PREFIXES = (".plan-", ".journal-", ".lines-")
STALE_TEMP_SECONDS = 3600  # a temp file this old is left over whatever its pid says


def cache_dir() -> Path | None:
    """The cache folder (FUPIN_CACHE, else the user's cache folder), or None where there is none.

    On Linux the XDG rule is applied directly: importing platformdirs would
    cost more start-up than the cache saves.
    """
    env = os.environ.get("FUPIN_CACHE")
    if env:
        return Path(env)
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        # No home at all (cron with HOME=/nonexistent): no cache, rather than making one up.
        usable = os.path.isabs(base) and os.path.isdir(os.path.dirname(base))
        return Path(base) / "fupin" if usable else None
    import platformdirs

    return platformdirs.user_cache_path("fupin")


def active_cache_dir() -> Path | None:
    """The cache folder to use now: none when FUPIN_NO_CACHE is set."""
    return None if os.environ.get("FUPIN_NO_CACHE") else cache_dir()


def active_cache() -> "CacheFolder | None":
    """The cache folder to use now, or None (FUPIN_NO_CACHE, no home)."""
    folder = active_cache_dir()
    return CacheFolder(folder) if folder is not None else None


# ---------------------------------------------------------------- notices

_notices: list[str] = []


def take_notices() -> list[str]:
    """Why a cache folder was refused during this run, each reason once; the CLI prints them on stderr."""
    found = list(dict.fromkeys(_notices))
    _notices.clear()
    return found


# ---------------------------------------------------------------- the folder

class CacheFolder:
    """A cache folder, opened and checked for every read or write (a few microseconds).

    Files are named by the caller (``plan-….marshal``); reads return bytes or
    None (a miss), writes replace a file whole or do nothing.  Nothing here
    raises: a cache that cannot be used is only slower.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._checked = False

    def _open(self, create: bool) -> int | None:
        """A descriptor of the folder after checking it, or None (refused, or absent and not ``create``)."""
        flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags)
        except FileNotFoundError:
            if not create:
                return None
            try:
                self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(self.path, flags)
            except OSError:
                return None  # nowhere to cache (read-only home, cron): fine, just slower
        except NotADirectoryError:
            _notices.append(f"缓存目录 {self.path} 不是文件夹，本次不使用缓存")
            return None
        except OSError:
            return None
        try:
            info = os.fstat(fd)
        except OSError:  # pragma: no cover - fstat of an open descriptor
            os.close(fd)
            return None
        problem = _folder_problem(self.path, info)
        if problem:
            os.close(fd)
            _notices.append(problem)
            return None
        if not self._checked:
            self._checked = True
            _remove_stale_temps(fd)
        return fd

    def read(self, name: str) -> bytes | None:
        """The bytes of ``name`` when it passes every check, else None."""
        folder = self._open(create=False)
        if folder is None:
            return None
        try:
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
            try:
                fd = os.open(name, flags, dir_fd=folder)
            except OSError:  # missing, a symlink (ELOOP), unreadable: a miss
                return None
            try:
                info = os.fstat(fd)
                if not _trusted_file(info):
                    return None
                return _read_exactly(fd, info.st_size)
            except OSError:
                return None
            finally:
                os.close(fd)
        finally:
            os.close(folder)

    def write(self, name: str, data: bytes) -> bool:
        """Replace ``name`` with ``data`` (through a temp file and a rename); False when it could not."""
        folder = self._open(create=True)
        if folder is None:
            return False
        prefix = "." + name.split("-", 1)[0] + "-"
        tmp = f"{prefix}{os.getpid()}-{os.urandom(4).hex()}"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
            try:
                fd = os.open(tmp, flags, 0o600, dir_fd=folder)
            except OSError:
                return False
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            except OSError:
                os.close(fd)
                _unlink(tmp, folder)
                return False
            os.close(fd)
            try:
                os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
            except OSError:
                _unlink(tmp, folder)
                return False
            return True
        finally:
            os.close(folder)

    def remove(self, name: str) -> None:
        """Remove ``name`` if it is there (a file an older version kept); a symlink itself, never its target."""
        folder = self._open(create=False)
        if folder is not None:
            _unlink(name, folder)
            os.close(folder)


def _folder_problem(path: Path, info: os.stat_result) -> str | None:
    """Why a cache folder must not be used, or None."""
    if not stat.S_ISDIR(info.st_mode):  # pragma: no cover - O_DIRECTORY refuses it first
        return f"缓存目录 {path} 不是文件夹，本次不使用缓存"
    if info.st_uid != os.geteuid():
        return (f"缓存目录 {path} 属于另一个用户（uid {info.st_uid}），本次不使用缓存；"
                f"请删除它或用 FUPIN_CACHE 指定自己的文件夹")
    if info.st_mode & 0o022:
        return (f"缓存目录 {path} 可被其他用户写入（权限 {stat.S_IMODE(info.st_mode):04o}），本次不使用缓存；"
                f"运行 chmod go-w {path} 后即可使用")
    return None


def _trusted_file(info: os.stat_result) -> bool:
    return (stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid()
            and not info.st_mode & 0o022 and 0 < info.st_size <= MAX_FILE_BYTES)


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from ``fd`` (the size fstat gave), or None if the file is shorter now."""
    chunks = []
    left = size
    while left:
        chunk = os.read(fd, min(left, 1 << 24))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _unlink(name: str, folder: int) -> None:
    try:
        os.unlink(name, dir_fd=folder)
    except OSError:
        pass


def _remove_stale_temps(folder: int) -> None:
    """Temp files of a store that was killed: their process is gone, or they are an hour old."""
    import time

    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for name in names:
        if not name.startswith(TEMP_PREFIXES):
            continue
        pid = name.split("-")[1] if name.count("-") >= 2 else ""
        try:
            info = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except OSError:
            continue
        if pid.isdigit() and _alive(int(pid)) and now - info.st_mtime < STALE_TEMP_SECONDS:
            continue
        if not pid.isdigit() and now - info.st_mtime < 60:
            continue  # an older fupin's temp name, possibly being written right now
        _unlink(name, folder)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


# ---------------------------------------------------------------- names and stamps

def cache_name(text: str) -> str:
    """A short file name for a cache of ``text`` (paths); the key inside decides, so collisions only miss."""
    from zlib import adler32, crc32

    data = text.encode("utf-8", "surrogateescape")
    return f"{crc32(data):08x}{adler32(data):08x}"


def content_digest(data) -> tuple[int, int]:
    """A digest of bytes (crc32 and adler32, both in C at over 1 GB/s): the content key of caches.

    ``data`` may be a memoryview, so a prefix is digested without a copy.
    """
    from zlib import adler32, crc32

    return crc32(data), adler32(data)


def code_stamp() -> int:
    """A stamp of fupin's own code: every module's path, size and modification time, hashed.

    Part of every cache key, so that changed code (a new release, or a
    developer's edit) never serves an answer the old code derived.  It covers
    the whole package rather than a list of modules, so renaming or adding a
    module can never leave a cache keyed on code that is gone.
    """
    global _stamp
    if _stamp is None:
        from zlib import crc32

        found: list[str] = []
        _stamp_folder(os.path.dirname(os.path.abspath(__file__)), found)
        _stamp = crc32("\n".join(sorted(found)).encode("utf-8", "surrogateescape"))
    return _stamp


def _stamp_folder(folder: str, found: list[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _stamp_folder(entry.path, found)
            elif entry.name.endswith(".py"):
                info = entry.stat()
                found.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}")


_stamp: int | None = None
