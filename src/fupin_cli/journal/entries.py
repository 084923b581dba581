"""Journal entries: one immutable type per op, and the registry that reads and writes them.

A line of the journal is a JSON object with at least ``id`` and ``op``.  Each op
in :data:`OPS` says which keys it needs and builds its entry type from a line.
A line whose op this version does not know (written by a newer one) becomes an
:class:`UnknownEntry`: kept, never rewritten, left out of every count, and
reported by ``fupin check``.  Adding an op is one entry type here and one
branch in :func:`fupin_cli.journal.ledger.fold`.

Nothing here reads files or the clock: builders take ``now_utc``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from typing import Any, Callable, ClassVar

OP_DONE = "done"
OP_VOID = "void"


@dataclass(frozen=True)
class DoneEntry:
    """A completion (销号): ``unit`` did ``task`` for ``period`` on ``date``."""

    op: ClassVar[str] = OP_DONE
    id: str
    task: str
    unit: str
    period: str
    date: date
    recorded_at: str = ""
    by: str = ""
    note: str = ""
    line: int = 0
    plan: str = ""  # the key of the task's plan; "" on lines written before entries carried one


@dataclass(frozen=True)
class VoidEntry:
    """The voiding of the entry ``target``; ``note`` is the reason."""

    op: ClassVar[str] = OP_VOID
    id: str
    target: str
    recorded_at: str = ""
    by: str = ""
    note: str = ""
    line: int = 0
    plan: str = ""  # the plan of the entry it cancels, for people reading the file


@dataclass(frozen=True)
class UnknownEntry:
    """A line with an op this version does not know: kept as it is, never counted."""

    id: str
    op: str
    raw: dict = field(compare=False, hash=False, repr=False)
    line: int = 0


Entry = DoneEntry | VoidEntry | UnknownEntry


@dataclass(frozen=True)
class Problem:
    """Something wrong with one line of the journal (``line`` is 1-based); never fatal."""

    line: int
    message: str


# ---------------------------------------------------------------- the op registry

@dataclass(frozen=True)
class OpSpec:
    """How one op is read: the keys its lines must carry, which of them are text, its entry type."""

    op: str
    type: type
    required: tuple[str, ...]
    text_keys: tuple[str, ...]
    dated: bool = False  # ``date`` is a YYYY-MM-DD day


_COMMON_TEXT = ("recorded_at", "by", "note", "plan")

OPS: dict[str, OpSpec] = {spec.op: spec for spec in (
    OpSpec(OP_DONE, DoneEntry, ("task", "unit", "period", "date"), ("task", "unit", "period", "date"), dated=True),
    OpSpec(OP_VOID, VoidEntry, ("target",), ("target",)),
)}


def parse_day(text: str, cache: dict[str, date]) -> date | None:
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


def entry_from_json(obj: Any, lineno: int, dates: dict[str, date],
                    report: Callable[[Problem], None]) -> Entry | None:
    """The entry one parsed line stands for, or None after reporting what is wrong with it."""
    if type(obj) is not dict:
        report(Problem(lineno, f"第 {lineno} 行不是一个 JSON 对象（{{…}}），已忽略"))
        return None
    for key in ("id", "op"):
        if key not in obj:
            report(Problem(lineno, f"第 {lineno} 行缺少键 \"{key}\"，已忽略"))
            return None
    op = obj["op"]
    spec = OPS.get(op) if type(op) is str else None
    if spec is None:
        if type(op) is not str or not op or type(obj["id"]) is not str or not obj["id"]:
            report(Problem(lineno, f"第 {lineno} 行的 op 是 {show(op)}，不是有效的操作名，已忽略"))
            return None
        return UnknownEntry(id=obj["id"], op=op, raw=obj, line=lineno)
    missing = next((k for k in spec.required if k not in obj), None)
    if missing is not None:
        report(Problem(lineno, f"第 {lineno} 行缺少键 \"{missing}\"，已忽略"))
        return None
    values = {"id": obj["id"], "line": lineno}
    for key in spec.required:
        values[key] = obj[key]
    for key in _COMMON_TEXT:
        if key in obj:
            values[key] = obj[key]
    for key in ("id", *spec.text_keys, *_COMMON_TEXT):
        if key in values and type(values[key]) is not str:
            report(Problem(lineno, f"第 {lineno} 行键 \"{key}\" 的值应为文本，实际是 {show(values[key])}，已忽略"))
            return None
    if not values["id"]:
        report(Problem(lineno, f"第 {lineno} 行的 id 为空，已忽略"))
        return None
    if spec.dated:
        d = parse_day(values["date"], dates)
        if d is None:
            report(Problem(lineno, f"第 {lineno} 行的日期 {show(values['date'])} 无效，应为 YYYY-MM-DD，已忽略"))
            return None
        values["date"] = d
    if spec.op == OP_VOID and not values["target"]:
        report(Problem(lineno, f"第 {lineno} 行的 target 为空，已忽略"))
        return None
    return spec.type(**values)


def show(value: Any) -> str:
    """A JSON value for a message, cut short."""
    import orjson

    try:
        text = orjson.dumps(value).decode("utf-8")
    except TypeError:  # pragma: no cover - values come from JSON
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# ---------------------------------------------------------------- new records

_id_lock = threading.Lock()
_id_stamp = ""
_id_used: set[str] = set()


def new_entry_id(now_utc: datetime) -> str:
    """``YYYYMMDDTHHMMSS.ffffffZ-xxxxxx``: the UTC time and 6 random hex digits.

    Ids sort lexicographically in time order, and two clerks (or two clones of
    a git repository) practically never make the same one.  A naive ``now_utc``
    is taken to be UTC.  Within one process two ids made for the same
    microsecond never share their random part.
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
    if parse_day(value, {}) is None:
        raise ValueError(f"not a YYYY-MM-DD date: {value!r}")
    return value


def make_done_record(*, plan: str, task: str, unit: str, period: str, date: date | str,
                     by: str, note: str, now_utc: datetime, tz: tzinfo) -> dict[str, str]:
    """A ``done`` line ready to append (``date`` as YYYY-MM-DD), keys in the documented order."""
    return {
        "id": new_entry_id(now_utc),
        "op": OP_DONE,
        "plan": plan,
        "task": task,
        "unit": unit,
        "period": period,
        "date": _date_text(date),
        "recorded_at": _recorded_at(now_utc, tz),
        "by": by,
        "note": note,
    }


def make_void_record(*, plan: str, target: str, reason: str, by: str, now_utc: datetime,
                     tz: tzinfo) -> dict[str, str]:
    """A ``void`` line cancelling the entry ``target`` (of plan ``plan``); ``note`` = reason."""
    return {
        "id": new_entry_id(now_utc),
        "op": OP_VOID,
        "plan": plan,
        "target": target,
        "recorded_at": _recorded_at(now_utc, tz),
        "by": by,
        "note": reason,
    }
