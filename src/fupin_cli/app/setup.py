"""``fupin init``'s journal: where completions live once a folder of one's own is in use, and taking them along.

Before ``fupin init`` a clerk records into the journal of the shipped plan (the
user's data folder) or of ``FUPIN_DATA``; afterwards, with ``--data FOLDER``,
into ``FOLDER/journal.jsonl``.  Nothing moves silently: :func:`journal_notes`
says where the journal now is and which earlier one holds completions, and
:func:`take_journal` copies one along, never over an existing journal.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import JournalError, OutputError
from .context import JOURNAL_FILENAME, RunContext


@dataclass(frozen=True)
class Taken:
    """A journal copied into a new data folder."""

    source: Path
    target: Path
    entries: int


def _entries(path: Path) -> int:
    from ..journal.jsonl.reader import read_journal

    return len(read_journal(path).entries)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_journal_to_take(source: Path, folder: Path) -> int:
    """How many entries ``source`` holds, if it can be taken into ``folder``; else an error, nothing written.

    The folder's journal may not exist yet, or be empty (``fupin init`` makes an empty one); one that holds
    anything is never overwritten.
    """
    target = folder / JOURNAL_FILENAME
    if not source.is_file():
        raise JournalError("--journal-from：找不到这份台账（应是一个 journal.jsonl 文件）", file=str(source))
    if target.is_symlink() or (target.exists() and (not target.is_file() or target.stat().st_size)):
        raise OutputError(f"{target} 已有记录，台账从不覆盖；如要合并两份台账，请用 git（union 合并）或手工追加")
    if _same_file(source, target):
        raise OutputError(f"--journal-from 指向的就是 {target} 本身")
    return _entries(source)  # a file that cannot be read as a journal is refused here


def take_journal(source: Path, folder: Path) -> Taken:
    """Copy the journal ``source`` into ``folder/journal.jsonl`` (absent or empty), under the writers' lock."""
    from filelock import FileLock, Timeout  # only writers need it

    from ..journal.jsonl.files import describe_oserror

    entries = check_journal_to_take(source, folder)
    target = folder / JOURNAL_FILENAME
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise JournalError(f"无法读取台账：{describe_oserror(exc)}", file=str(source)) from None
    lock = FileLock(str(target) + ".lock", timeout=10)  # the lock every append takes
    try:
        lock.acquire()
    except Timeout:
        raise JournalError("台账正被另一个 fupin 进程写入，请稍后再试", file=str(target)) from None
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{describe_oserror(exc)}") from None
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
    except OSError as exc:
        lock.release()
        raise OutputError(f"无法写入 {target}：{describe_oserror(exc)}") from None
    try:
        if os.fstat(fd).st_size:  # a completion recorded since the check: never write over it
            raise OutputError(f"{target} 已有记录，台账从不覆盖")
        try:
            if os.write(fd, data) != len(data):  # a short write: the disk is full
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(fd)
        except OSError as exc:
            os.ftruncate(fd, 0)
            raise OutputError(f"无法写入 {target}：{describe_oserror(exc)}；台账仍是空的") from None
    finally:
        os.close(fd)
        lock.release()
    return Taken(source, target, entries)


def journal_notes(folder: Path, taken: Taken | None) -> list[str]:
    """What to tell a person about the journal after ``fupin init folder``."""
    target = folder / JOURNAL_FILENAME
    env = os.environ.get("FUPIN_JOURNAL")
    notes = []
    if taken is not None:
        notes.append(f"已把台账 {taken.source} 的 {taken.entries} 条记录复制到 {taken.target}（原文件未改动）。")
    if env:
        notes.append(f"销号台账：环境变量 FUPIN_JOURNAL={env} 已设置，各命令仍读写它，不随 --data 改变；"
                     f"要改用 {target}，请取消这个变量。")
        return notes
    notes.append(f"销号台账：使用 --data {folder} 时读写 {target}。")
    if taken is not None:
        return notes
    previous = RunContext().journal_path  # what fupin used before: FUPIN_DATA's, or the shipped plan's
    held = _entries(target) if target.is_file() else 0
    if held:
        notes.append(f"{target} 已有 {held} 条记录，保持不变。")
    elif not _same_file(previous, target) and previous.is_file():
        try:
            count = _entries(previous)
        except JournalError:
            count = 0
        if count:
            notes.append(f"原来使用的台账 {previous} 有 {count} 条记录，不会自动带到新文件夹；"
                         f"如要带上：fupin init {folder} --journal-from {previous}")
    return notes
