"""Reading the JSON Lines journal: entries in file order, one per id, and the problems of bad lines.

Reading never raises for bad content (problems are returned, never fatal); it
raises :class:`JournalError` only when the file itself cannot be read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Iterable

from ...collector import collector_paused
from ...domain.errors import JournalError
from ..days import parse_day
from ..entries import OP_DONE, DoneEntry, Entry, Problem, entry_from_json
from .files import describe_oserror, open_journal


@dataclass
class JournalContents:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# DoneEntry is a frozen dataclass; its generated __init__ sets each field
# through object.__setattr__ (~4 µs per entry).  Reading a million lines needs
# something cheaper, so a ``done`` line written the way fupin writes it becomes
# an entry whose instance dict is the dict orjson made.  A check at import
# falls back to the real constructor should DoneEntry ever stop allowing that.
_new = object.__new__
_set = object.__setattr__
_DONE_GETTER = itemgetter("id", "op", "task", "unit", "period", "date", "recorded_at", "by", "note")
_DONE_FIELDS = tuple(f.name for f in fields(DoneEntry))


def _fast_entries_work() -> bool:
    if "__slots__" in vars(DoneEntry):
        return False
    for plan in ({}, {"plan": "k"}):  # an older line without ``plan``, and a newer one
        probe = _new(DoneEntry)
        values = {"id": "x", "op": OP_DONE, "task": "t", "unit": "u", "period": "p", "date": date(2018, 1, 1),
                  "recorded_at": "", "by": "", "note": "", "line": 3, **plan}
        _set(probe, "__dict__", dict(values))
        del values["op"]
        if probe != DoneEntry(**values) or probe.plan != plan.get("plan", ""):
            return False
    return True


_FAST = _fast_entries_work()


def read_journal(path: Path) -> JournalContents:
    """Read the journal at ``path``; a missing or empty file gives no entries.

    Entries are in file order (newest last), one per id, each with ``line``
    set to the line of its first occurrence.  Bad lines are skipped and
    reported in ``problems``.
    """
    path = Path(path)
    contents = JournalContents()
    fd = open_journal(path)
    if fd is None:
        return contents
    f = open(fd, "rb")
    try:
        with f, collector_paused():  # a million small dicts, none cyclic
            _read_lines(f, contents)
    except OSError as exc:
        raise JournalError(f"读取台账时出错：{describe_oserror(exc)}", file=str(path)) from None
    return contents


def parse_bytes(data: bytes) -> JournalContents:
    """What :func:`read_journal` gives for a journal holding ``data`` (a snapshot already read)."""
    import io

    contents = JournalContents()
    with collector_paused():
        _read_lines(io.BytesIO(data), contents)
    return contents


def parse_lines(lines: Iterable[bytes], first: int = 1, each: list | None = None) -> JournalContents:
    """Entries and problems of some journal lines, numbered from ``first`` (for the index).

    With ``each``, one item per line is appended to it as well: the line's
    entry before duplicates are merged, its :class:`Problem`, or None for a
    blank line.
    """
    contents = JournalContents()
    _read_lines(lines, contents, first, each)
    return contents


def _bad_bytes_problem(lineno: int, raw: bytes) -> Problem:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Problem(lineno, f"第 {lineno} 行不是有效的 UTF-8 文本（第 {exc.start + 1} 个字节起），已忽略")
    return Problem(lineno, f"第 {lineno} 行不是有效的 JSON，已忽略")


def _read_lines(f: Iterable[bytes], contents: JournalContents, first: int = 1, each: list | None = None) -> None:
    entries = contents.entries
    add_entry = entries.append
    add_problem = contents.problems.append
    import orjson  # only when lines are parsed: an empty or indexed journal never needs it

    loads = orjson.loads
    decode_error = orjson.JSONDecodeError
    seen: dict[str, Entry] = {}
    dates: dict[str, date] = {}
    new, set_attr, done_type, fast_ok = _new, _set, DoneEntry, _FAST
    remember = seen.setdefault
    get_done_keys = _DONE_GETTER
    join = "".join
    lineno = first - 1
    for raw in f:
        lineno += 1
        try:
            obj = loads(raw)
        except decode_error:
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):  # a BOM left by an editor
                raw = raw[3:]
                try:
                    obj = loads(raw)
                except decode_error:
                    pass
                else:
                    raw = None
            if raw is not None:
                if not raw.strip():
                    if each is not None:
                        each.append(None)
                    continue  # blank line
                if not raw.endswith(b"\n"):
                    # Only the last line can lack its newline: an interrupted write.
                    problem = Problem(lineno, f"最后一行（第 {lineno} 行）不完整，可能是写入时中断，已忽略")
                else:
                    problem = _bad_bytes_problem(lineno, raw)
                add_problem(problem)
                if each is not None:
                    each.append(problem)
                continue

        # Fast path: a ``done`` line as fupin writes it, with exactly the nine
        # keys and ``plan`` (older lines lack it), all text.  The dict orjson
        # made becomes the entry's __dict__ (a missing ``plan`` reads as the
        # class default, "").
        entry = None
        if fast_ok:
            try:
                vals = get_done_keys(obj)  # KeyError: a key missing; TypeError: not a dict
                join(vals)  # TypeError unless every value is text
                size = len(obj)
                fast = vals[1] == OP_DONE and vals[0] != "" and (
                    size == 9 or (size == 10 and type(obj.get("plan")) is str))
            except (KeyError, TypeError):
                fast = False
            if fast:
                d = dates.get(vals[5])
                if d is None:
                    d = parse_day(vals[5], dates)
                if d is not None:
                    obj["date"] = d
                    obj["line"] = lineno
                    entry = new(done_type)
                    set_attr(entry, "__dict__", obj)
        if entry is None:
            entry = entry_from_json(obj, lineno, dates, add_problem)
            if entry is None:
                if each is not None:
                    each.append(contents.problems[-1])
                continue
        if each is not None:
            each.append(entry)
        eid = entry.id
        first = remember(eid, entry)
        if first is entry:
            add_entry(entry)
            continue
        # Same id again: a duplicate from a union merge is silent;
        # different content under one id is worth a word.
        if entry_content(entry) != entry_content(first):
            add_problem(Problem(
                lineno, f"第 {lineno} 行的 id \"{eid}\" 与第 {first.line} 行相同"
                        f"但内容不同，以第 {first.line} 行为准，第 {lineno} 行已忽略"))


def entry_content(entry: Entry) -> tuple:
    """What makes two entries of one id the same entry (a duplicated line) or not: all but the line number."""
    from dataclasses import astuple, replace

    if hasattr(entry, "raw"):
        import orjson

        return (entry.op, orjson.dumps(entry.raw, option=orjson.OPT_SORT_KEYS))
    return (type(entry), astuple(replace(entry, line=0)))
