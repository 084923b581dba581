"""``fupin init``'s journal: where completions live once a folder of one's own is in use, and taking them along.

Before ``fupin init`` a clerk records into the journal of the shipped plan (the
user's data folder) or of ``FUPIN_DATA``; afterwards, with ``--data FOLDER``,
into ``FOLDER/journal.jsonl``.  Nothing moves silently: :func:`journal_notes`
says where the journal now is and which earlier one holds completions, and
:func:`take_journal` copies one along, never over an existing journal.
"""

from __future__ import annotations

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
    """How many entries ``source`` holds, if it can be taken into ``folder``; else an error, nothing written."""
    target = folder / JOURNAL_FILENAME
    if not source.is_file():
        raise JournalError("--journal-from：找不到这份台账（应是一个 journal.jsonl 文件）", file=str(source))
    if target.exists() or target.is_symlink():
        raise OutputError(f"{target} 已存在，台账从不覆盖；如要合并两份台账，请用 git（union 合并）或手工追加")
    return _entries(source)  # a file that cannot be read as a journal is refused here


def take_journal(source: Path, folder: Path) -> Taken:
    """Copy the journal ``source`` to ``folder/journal.jsonl``; refused when that file exists (never overwritten)."""
    from ..journal.jsonl.files import describe_oserror

    entries = check_journal_to_take(source, folder)
    target = folder / JOURNAL_FILENAME
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise JournalError(f"无法读取台账：{describe_oserror(exc)}", file=str(source)) from None
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # O_EXCL: never over a journal
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{describe_oserror(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise OutputError(f"无法写入 {target}：{describe_oserror(exc)}；什么也没有留下") from None
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
    if target.exists():
        notes.append(f"{target} 已有 {_entries(target)} 条记录，保持不变。")
    elif not _same_file(previous, target) and previous.is_file():
        try:
            count = _entries(previous)
        except JournalError:
            count = 0
        if count:
            notes.append(f"原来使用的台账 {previous} 有 {count} 条记录，不会自动带到新文件夹；"
                         f"如要带上：fupin init {folder} --journal-from {previous}")
    return notes
