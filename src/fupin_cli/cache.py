"""Where derived caches live, what they are called, and the stamp of the code that made them.

A leaf module: the plan loader and the journal index use it; nothing below
them knows a cache exists.  Deleting the cache folder is always safe.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


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


def cache_name(text: str) -> str:
    """A short file name for a cache of ``text`` (paths); the key inside decides, so collisions only miss."""
    from zlib import adler32, crc32

    data = text.encode("utf-8", "surrogateescape")
    return f"{crc32(data):08x}{adler32(data):08x}"


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
                found.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}")


_stamp: int | None = None
