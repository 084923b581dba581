"""The journal: an append-only JSON Lines file of completions (销号) and voids.

File format (one UTF-8 JSON object per line, each line ending in ``"\\n"``)::

    {"id": "20180703T101502.123456Z-3f9a1c", "op": "done", "task": "T01",
     "unit": "市民政局", "period": "2018-Q3", "date": "2018-07-03",
     "recorded_at": "2018-07-03T18:15:02+08:00", "by": "张三", "note": ""}
    {"id": "...", "op": "void", "target": "20180703T101502.123456Z-3f9a1c",
     "recorded_at": "...", "by": "李四", "note": "录错单位"}

* ``id`` is the UTC time of recording with microseconds plus six random hex
  digits, so ids sort lexicographically in time order and two clerks (or two
  clones of a git repository) practically never make the same id.
* Keys this module does not know are kept in the file and ignored on reading.
* Two lines with the same ``id`` are one entry: a git union merge of two clones
  can duplicate lines (see :func:`git_attributes_text`).  The first occurrence
  counts; a later line with the same id but different content is reported.
* A void only ever cancels a ``done`` entry.  A void that targets another void,
  or an id that is not in the journal, has no effect and is reported by
  :func:`check_voids`.  There is no "un-void": to restore a voided completion,
  record the completion again.

Nothing here prints, exits or reads the clock: callers pass ``now_utc``.
Reading never raises for bad content (problems are returned, never fatal);
it raises :class:`JournalError` only when the file itself cannot be read.
Writing raises :class:`JournalError` and leaves the file as it was.
"""

from __future__ import annotations

import errno
import gc
import os
import stat
import threading
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime, timezone, tzinfo
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterable

import orjson

from .errors import JournalError
from .model import Entry

__all__ = [
    "JOURNAL_FILENAME",
    "JournalContents",
    "JournalProblem",
    "append",
    "check_voids",
    "default_journal_path",
    "git_attributes_text",
    "live_completions",
    "make_done_record",
    "make_void_record",
    "new_entry_id",
    "read_journal",
]

JOURNAL_FILENAME = "journal.jsonl"
LOCK_TIMEOUT = 10.0

OP_DONE = "done"
OP_VOID = "void"

# Keys every entry of a kind must carry, in the order they are checked.
_DONE_KEYS = ("id", "op", "task", "unit", "period", "date")
_VOID_KEYS = ("id", "op", "target")


@dataclass
class JournalProblem:
    """Something wrong with one line of the journal (``line`` is 1-based).

    ``fatal`` is False for everything :func:`read_journal` and
    :func:`check_voids` report: a bad line is skipped and reports go on.
    The field lets callers (e.g. a strict ``check`` command) escalate.
    """

    line: int
    message: str
    fatal: bool = False


@dataclass
class JournalContents:
    entries: list[Entry] = field(default_factory=list)
    problems: list[JournalProblem] = field(default_factory=list)


# --------------------------------------------------------------------------
# Reading


# Entry is a frozen dataclass; its generated __init__ sets eleven fields
# through object.__setattr__ one by one (~4 µs each time).  Reading a million
# lines needs something cheaper, so entries are made with object.__new__ and
# given their instance dict in one step.  Fields missing from that dict read
# as the dataclass defaults, which dataclasses keep as class attributes; a
# check at import falls back to the real constructor should that ever change.
_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))
_ENTRY_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Entry)}
_new = object.__new__
_set = object.__setattr__
_DONE_GETTER = itemgetter("id", "op", "task", "unit", "period", "date",
                          "recorded_at", "by", "note")


def _make_entry(values: dict[str, Any]) -> Entry:
    return Entry(**{k: v for k, v in values.items() if k in _ENTRY_DEFAULTS})


def _fast_entries_work() -> bool:
    if "__slots__" in vars(Entry):
        return False
    for name, default in _ENTRY_DEFAULTS.items():
        if default is MISSING and name != "id" and name != "op":
            return False
        if default is not MISSING and getattr(Entry, name, MISSING) != default:
            return False
    probe = _new(Entry)
    _set(probe, "__dict__", {"id": "x", "op": OP_DONE, "line": 3})
    try:
        return probe == Entry(id="x", op=OP_DONE, line=3) and hash(probe) is not None
    except TypeError:  # unhashable is fine too
        return probe == Entry(id="x", op=OP_DONE, line=3)


_FAST_ENTRIES = _fast_entries_work()


def _parse_date(text: str, cache: dict[str, date]) -> date | None:
    """``YYYY-MM-DD`` only (fromisoformat alone would also take 20180703 or weeks)."""
    d = cache.get(text)
    if d is None:
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            return None
        try:
            d = date.fromisoformat(text)
        except ValueError:
            return None
        cache[text] = d
    return d


def _bad_bytes_problem(lineno: int, raw: bytes) -> JournalProblem:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return JournalProblem(
            lineno, f"第 {lineno} 行不是有效的 UTF-8 文本（第 {exc.start + 1} 个字节起），已忽略")
    return JournalProblem(lineno, f"第 {lineno} 行不是有效的 JSON，已忽略")


def read_journal(path: Path) -> JournalContents:
    """Read the journal at ``path``; a missing or empty file gives no entries.

    Entries are in file order (newest last), one per id, each with ``line``
    set to the line of its first occurrence.  Bad lines are skipped and
    reported in ``problems``.  Raises :class:`JournalError` only when the file
    exists but cannot be read (a folder, no permission, an I/O error).
    """
    path = Path(path)
    contents = JournalContents()
    try:
        # O_NONBLOCK: opening a FIFO must not hang; it is refused just below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return contents
    except IsADirectoryError:
        raise JournalError("台账路径是一个文件夹，不是文件", file=str(path)) from None
    except OSError as exc:
        raise JournalError(f"无法读取台账：{_describe_oserror(exc)}", file=str(path)) from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:  # pragma: no cover - fstat of an open descriptor
        os.close(fd)
        raise JournalError(f"无法读取台账：{_describe_oserror(exc)}", file=str(path)) from None
    if stat.S_ISDIR(mode):
        os.close(fd)
        raise JournalError("台账路径是一个文件夹，不是文件", file=str(path))
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise JournalError("台账不是普通文件（可能是管道或设备）", file=str(path))
    f = open(fd, "rb")
    # A million small dicts would set off the cyclic garbage collector again
    # and again (more than doubling the time); nothing made here is cyclic.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with f:
            _read_lines(f, contents)
    except OSError as exc:
        raise JournalError(f"读取台账时出错：{_describe_oserror(exc)}", file=str(path)) from None
    finally:
        if gc_was_enabled:
            gc.enable()
    return contents


def parse_lines(lines: Iterable[bytes]) -> JournalContents:
    """Entries and problems of some journal lines, numbered from 1 (for the tally cache's new tail)."""
    contents = JournalContents()
    _read_lines(lines, contents)
    return contents


def _read_lines(f: Iterable[bytes], contents: JournalContents) -> None:
    entries = contents.entries
    problems = contents.problems
    add_entry = entries.append
    add_problem = problems.append
    loads = orjson.loads
    decode_error = orjson.JSONDecodeError
    seen: dict[str, Entry] = {}
    date_cache: dict[str, date] = {}
    new, set_attr, Entry_ = _new, _set, Entry
    remember = seen.setdefault
    get_done_keys = _DONE_GETTER
    join = "".join
    lineno = 0
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
                    continue  # blank line
                if not raw.endswith(b"\n"):
                    # Only the last line can lack its newline: an interrupted write.
                    add_problem(JournalProblem(
                        lineno, f"最后一行（第 {lineno} 行）不完整，可能是写入时中断，已忽略"))
                else:
                    add_problem(_bad_bytes_problem(lineno, raw))
                continue

        # Fast path: a ``done`` line as fupin writes it, with exactly the
        # nine keys, all text.  The dict orjson made becomes the entry's
        # __dict__ as it is (``target`` comes from the class default).
        try:
            vals = get_done_keys(obj)  # KeyError: a key missing; TypeError: not a dict
            join(vals)  # TypeError unless every value is text
            fast = vals[1] == OP_DONE and len(obj) == 9 and vals[0] != ""
        except (KeyError, TypeError):
            fast = False
        if fast:
            dtext = vals[5]
            d = date_cache.get(dtext)
            if d is None:
                d = _parse_date(dtext, date_cache)
            if d is None:
                fast = False
            else:
                obj["date"] = d
                obj["line"] = lineno
                values = obj
                eid = vals[0]
        if not fast:
            values = _check_line(obj, lineno, date_cache, add_problem)
            if values is None:
                continue
            eid = values["id"]

        if _FAST_ENTRIES:
            entry = new(Entry_)
            set_attr(entry, "__dict__", values)
        else:  # pragma: no cover - only if Entry stops being a plain dataclass
            entry = _make_entry(values)
        first = remember(eid, entry)
        if first is entry:
            add_entry(entry)
            continue
        # Same id again: a duplicate from a union merge is silent;
        # different content under one id is worth a word.
        if _make_entry({**values, "line": first.line}) != first:
            add_problem(JournalProblem(
                lineno, f"第 {lineno} 行的 id \"{eid}\" 与第 {first.line} 行相同"
                        f"但内容不同，以第 {first.line} 行为准，第 {lineno} 行已忽略"))


def _check_line(obj: Any, lineno: int, date_cache: dict[str, date],
                add_problem: Any) -> dict[str, Any] | None:
    """Validate one parsed line the slow way: the entry's fields, or None
    after reporting what is wrong."""
    if type(obj) is not dict:
        add_problem(JournalProblem(lineno, f"第 {lineno} 行不是一个 JSON 对象（{{…}}），已忽略"))
        return None
    if "id" not in obj:
        missing = "id"
    elif "op" not in obj:
        missing = "op"
    else:
        op = obj["op"]
        if op == OP_DONE:
            required = _DONE_KEYS
        elif op == OP_VOID:
            required = _VOID_KEYS
        else:
            add_problem(JournalProblem(
                lineno, f"第 {lineno} 行的 op 是 {_show(op)}，应为 \"done\" 或 \"void\"，已忽略"))
            return None
        missing = next((k for k in required if k not in obj), None)
    if missing is not None:
        add_problem(JournalProblem(lineno, f"第 {lineno} 行缺少键 \"{missing}\"，已忽略"))
        return None

    values = _ENTRY_DEFAULTS.copy()
    for key in required:
        values[key] = obj[key]
    for key in _OPTIONAL_KEYS:
        if key in obj:
            values[key] = obj[key]
    values["line"] = lineno
    for key in _TEXT_KEYS:
        if key in obj and key in values and type(values[key]) is not str:
            add_problem(JournalProblem(
                lineno, f"第 {lineno} 行键 \"{key}\" 的值应为文本，"
                        f"实际是 {_show(values[key])}，已忽略"))
            return None
    if not values["id"]:
        add_problem(JournalProblem(lineno, f"第 {lineno} 行的 id 为空，已忽略"))
        return None
    if op == OP_DONE:
        d = _parse_date(values["date"], date_cache)
        if d is None:
            add_problem(JournalProblem(
                lineno, f"第 {lineno} 行的日期 {_show(values['date'])} 无效，应为 YYYY-MM-DD，已忽略"))
            return None
        values["date"] = d
    elif not values["target"]:
        add_problem(JournalProblem(lineno, f"第 {lineno} 行的 target 为空，已忽略"))
        return None
    return values


_OPTIONAL_KEYS = ("recorded_at", "by", "note")
_TEXT_KEYS = ("id", "task", "unit", "period", "date", "target", "recorded_at", "by", "note")


def _show(value: Any) -> str:
    try:
        text = orjson.dumps(value).decode("utf-8")
    except TypeError:  # pragma: no cover - values come from JSON
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --------------------------------------------------------------------------
# Voids


def live_completions(entries: Iterable[Entry]) -> list[Entry]:
    """The ``done`` entries, in order, that no ``void`` entry cancels.

    Only a void whose target is a ``done`` entry has an effect; voids of voids
    and voids of unknown ids are ignored here (see :func:`check_voids`).
    """
    entries = list(entries)
    voided = {e.target for e in entries if e.op == OP_VOID}
    return [e for e in entries if e.op == OP_DONE and e.id not in voided]


def check_voids(entries: Iterable[Entry]) -> list[JournalProblem]:
    """Problems with voids: a target that is a void or is not in the journal,
    or a completion voided a second time.  None is fatal."""
    entries = list(entries)
    by_id = {e.id: e for e in entries}
    first_void: dict[str, Entry] = {}
    problems: list[JournalProblem] = []
    for e in entries:
        if e.op != OP_VOID:
            continue
        target = by_id.get(e.target)
        if target is None:
            problems.append(JournalProblem(
                e.line, f"第 {e.line} 行作废的记录 \"{e.target}\" 在台账中不存在，此作废无效"))
        elif target.op == OP_VOID:
            problems.append(JournalProblem(
                e.line, f"第 {e.line} 行作废的是第 {target.line} 行的作废记录，"
                        f"作废不能撤销，此作废无效；如需恢复，请重新登记完成"))
        elif e.target in first_void:
            earlier = first_void[e.target]
            problems.append(JournalProblem(
                e.line, f"第 {e.line} 行再次作废了第 {target.line} 行的记录"
                        f"（已由第 {earlier.line} 行作废）"))
        else:
            first_void[e.target] = e
    return problems


# --------------------------------------------------------------------------
# Building records

_id_lock = threading.Lock()
_id_stamp = ""
_id_used: set[str] = set()


def new_entry_id(now_utc: datetime) -> str:
    """``YYYYMMDDTHHMMSS.ffffffZ-xxxxxx``: the UTC time and 6 random hex digits.

    A naive ``now_utc`` is taken to be UTC.  Within one process two ids made
    for the same microsecond never share their random part.
    """
    global _id_stamp, _id_used
    if now_utc.tzinfo is not None:
        now_utc = now_utc.astimezone(timezone.utc)
    stamp = now_utc.strftime("%Y%m%dT%H%M%S.%fZ-")
    if len(stamp) != 24:  # years before 1000 would break the sort order
        raise ValueError(f"year out of range for a journal id: {now_utc!r}")
    with _id_lock:
        if stamp != _id_stamp:
            _id_stamp = stamp
            _id_used = set()
        while True:
            import secrets  # only writers need it; readers start faster without

            suffix = secrets.token_hex(3)
            if suffix not in _id_used:
                _id_used.add(suffix)
                return stamp + suffix


def _recorded_at(now_utc: datetime, tz: tzinfo) -> str:
    if now_utc.tzinfo is None:
        now_utc = now_utc.replace(tzinfo=timezone.utc)
    return now_utc.astimezone(tz).isoformat(timespec="seconds")


def _date_text(value: date | str) -> str:
    if isinstance(value, datetime):
        raise TypeError("date must be a datetime.date, not a datetime")
    if isinstance(value, date):
        return value.isoformat()
    if _parse_date(value, {}) is None:
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    return value


def make_done_record(*, task: str, unit: str, period: str, date: date | str,
                     by: str, note: str, now_utc: datetime, tz: tzinfo) -> dict[str, str]:
    """A ``done`` record ready for :func:`append` (``date`` as YYYY-MM-DD)."""
    return {
        "id": new_entry_id(now_utc),
        "op": OP_DONE,
        "task": task,
        "unit": unit,
        "period": period,
        "date": _date_text(date),
        "recorded_at": _recorded_at(now_utc, tz),
        "by": by,
        "note": note,
    }


def make_void_record(*, target: str, reason: str, by: str, now_utc: datetime,
                     tz: tzinfo) -> dict[str, str]:
    """A ``void`` record cancelling the ``done`` entry ``target``; ``note`` = reason."""
    return {
        "id": new_entry_id(now_utc),
        "op": OP_VOID,
        "target": target,
        "recorded_at": _recorded_at(now_utc, tz),
        "by": by,
        "note": reason,
    }


# --------------------------------------------------------------------------
# Writing

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
}


def _describe_oserror(exc: OSError) -> str:
    text = _ERRNO_TEXT.get(exc.errno)
    if text is None:
        text = exc.strerror or str(exc)
    return text


def _write_error(path: Path, exc: OSError, what: str = "无法写入台账") -> JournalError:
    return JournalError(f"{what}：{_describe_oserror(exc)}；什么也没有写入", file=str(path))


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
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    created = not os.path.lexists(target)
    try:
        fd = os.open(target, flags, 0o644)
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        try:
            st = os.fstat(fd)
        except OSError as exc:  # pragma: no cover
            raise _write_error(path, exc) from None
        if not stat.S_ISREG(st.st_mode):  # swapped between the check and the open
            raise JournalError("台账路径不是普通文件，拒绝写入", file=str(path))
        size = st.st_size
        data = line
        if size > 0:
            try:
                last = os.pread(fd, 1, size - 1)
            except OSError as exc:
                raise _write_error(path, exc, "无法读取台账末尾") from None
            if last != b"\n":
                data = b"\n" + line
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, "short write")
            os.fsync(fd)
        except OSError as exc:
            if _cut_back(fd, size):
                raise _write_error(path, exc) from None
            raise JournalError(
                f"写入台账失败：{_describe_oserror(exc)}；末尾可能留下不完整的一行，"
                f"fupin 读取时会报告并忽略它", file=str(path)) from None
    finally:
        os.close(fd)
    if created:
        _fsync_dir(target.parent)


def _cut_back(fd: int, size: int) -> bool:
    """Undo a partial append: truncate to the size before it (we hold the lock).

    True when the file is back at ``size``."""
    try:
        os.ftruncate(fd, size)
    except OSError:
        pass
    try:
        ok = os.fstat(fd).st_size == size
    except OSError:
        return False
    try:
        os.fsync(fd)
    except OSError:
        pass
    return ok


def _fsync_dir(folder: Path) -> None:
    """Make a newly created journal's directory entry durable (best effort)."""
    try:
        dfd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


# --------------------------------------------------------------------------
# Where the journal lives, and git


def default_journal_path(data_dir: Path | None) -> Path:
    """``data_dir/journal.jsonl``, or the same name in the user's data folder."""
    if data_dir is not None:
        return Path(data_dir) / JOURNAL_FILENAME
    import platformdirs

    return platformdirs.user_data_path("fupin") / JOURNAL_FILENAME


def git_attributes_text() -> str:
    """``.gitattributes`` content so that git merges journals line by line."""
    return (
        "# fupin 销号台账：合并两个副本时保留双方新增的全部行（重复行由 fupin 读取时去重）\n"
        "*.jsonl merge=union\n"
    )
