"""The evidence behind a 销号 (佐证材料): files hashed (never copied) and links kept as given, and the check of
files that vanished or changed since."""

from __future__ import annotations

import re
from pathlib import Path

from ..domain.errors import UsageError
from .context import RunContext
from .text import checked_text

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")


def evidence_items(values: list[str], journal_folder: Path) -> list[dict]:
    """What ``done --evidence`` records: a link as given, a file by its path, SHA-256 and size (not copied).

    A file inside the journal's folder is recorded relative to it, so another clone finds it; any other by
    its absolute path.  A missing file or a folder is refused.
    """
    items = []
    for value in values:
        text = checked_text(value, "--evidence", required=True)
        if _URL.match(text):
            items.append({"url": text})
            continue
        path = Path(text).expanduser()
        if not path.exists():
            raise UsageError(f"--evidence {text} 不存在（佐证材料须是已有的文件，或 http(s):// 链接）",
                             subject="evidence")
        if not path.is_file():
            raise UsageError(f"--evidence {text} 不是文件", subject="evidence")
        digest, size = file_digest(path)
        resolved = path.resolve()
        try:
            shown = resolved.relative_to(journal_folder.resolve()).as_posix()
        except ValueError:
            shown = str(resolved)
        items.append({"path": shown, "sha256": digest, "bytes": size})
    return items


def file_digest(path: Path) -> tuple[str, int]:
    """(SHA-256 hex, size in bytes) of a file, read in pieces."""
    import hashlib

    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
    except OSError as exc:
        from ..journal.jsonl.files import describe_oserror

        raise UsageError(f"--evidence {path} 无法读取：{describe_oserror(exc)}", subject="evidence") from None
    return digest.hexdigest(), size


def evidence_problems(context: RunContext) -> list[str]:
    """Evidence files of live completions that vanished or changed since they were recorded."""
    from ..journal.entries import DoneEntry
    from ..journal.ledger import live_entries

    path = context.journal_path
    folder = path.parent
    found = []
    for entry in live_entries(context.store.contents().entries):
        if type(entry) is not DoneEntry:
            continue
        for item in entry.evidence:
            name = item.get("path")
            if not isinstance(name, str):
                continue  # a link: nothing to check here
            file = Path(name) if Path(name).is_absolute() else folder / name
            where = f"{path}:{entry.line}: 记录 {entry.id}（任务 {entry.task} {entry.unit} {entry.period}）的佐证材料 {name}"
            if not file.is_file():
                found.append(f"{where} 已不存在")
                continue
            try:
                digest, size = file_digest(file)
            except UsageError:
                found.append(f"{where} 无法读取")
                continue
            if (digest, size) != (item.get("sha256"), item.get("bytes")):
                found.append(f"{where} 已改变（登记时 {item.get('bytes')} 字节，现在 {size} 字节；"
                             f"SHA-256 {str(item.get('sha256'))[:12]}… → {digest[:12]}…）")
    return found
