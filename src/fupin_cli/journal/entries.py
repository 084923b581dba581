"""Journal entries: one immutable type per op, and the registry that reads and writes them.

A line of the journal is a JSON object with at least ``id`` and ``op``.  Each op
in :data:`OPS` says which keys it needs and builds its entry type from a line.
A line whose op this version does not know (written by a newer one) becomes an
:class:`UnknownEntry`: kept, never rewritten, left out of every count, and
reported by ``fupin check``.  Adding an op is one entry type and one
:class:`OpSpec` here (its keys and their kinds, read by the table in
:data:`KEY_KINDS`), and, if it changes what is due, one entry in
:data:`fupin_cli.journal.ledger.MARKERS`.

Nothing here reads files or the clock: builders take ``now_utc``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from typing import Any, Callable, ClassVar

from .days import parse_day

OP_DONE = "done"
OP_VOID = "void"
OP_REMIND = "remind"
OP_PROGRESS = "progress"
OP_EXTEND = "extend"
OP_WAIVE = "waive"
ALL_PERIODS = "*"  # the period of a waiver of every period of a task for a unit (--all-periods)
TEXT_LIMIT = 2000  # characters of one free text (progress, reasons) a line may carry


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
    # Files and links behind the completion (佐证材料): ({"path", "sha256", "bytes"} | {"url"}, …)
    evidence: tuple = ()


@dataclass(frozen=True)
class ProgressEntry:
    """A progress report (进展): what was done, the problems, the next steps, as of ``date``."""

    op: ClassVar[str] = OP_PROGRESS
    id: str
    task: str
    unit: str
    period: str
    date: date
    done: str = ""
    problem: str = ""
    next: str = ""
    percent: int | None = None
    recorded_at: str = ""
    by: str = ""
    note: str = ""
    line: int = 0
    plan: str = ""


@dataclass(frozen=True)
class ExtendEntry:
    """An approved extension (延期): the obligation is due on ``until`` instead.

    ``due_before`` is the due date it replaced; ``late`` says it was asked for after that date.
    """

    op: ClassVar[str] = OP_EXTEND
    id: str
    task: str
    unit: str
    period: str
    until: date
    reason: str = ""
    approved_by: str = ""
    approved_on: date | None = None
    due_before: date | None = None
    late: bool = False
    recorded_at: str = ""
    by: str = ""
    note: str = ""
    line: int = 0
    plan: str = ""


@dataclass(frozen=True)
class WaiveEntry:
    """An exemption or termination (免于考核 / 已终止): the obligation leaves the counts.

    ``period`` is :data:`ALL_PERIODS` for every period of the task for the unit.
    """

    op: ClassVar[str] = OP_WAIVE
    id: str
    task: str
    unit: str
    period: str
    reason: str = ""
    approved_by: str = ""
    recorded_at: str = ""
    by: str = ""
    note: str = ""
    line: int = 0
    plan: str = ""


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
class RemindEntry:
    """A reminder (催办) that reached ``unit`` through ``channel`` about ``items`` ((task, period) pairs).

    ``date`` is the day the reminder was about (``--as-of``); ``route`` says whose
    route carried it: ``unit`` (the unit's own), ``group`` (its group's), ``default``
    (the plan-wide one) or ``leader`` (escalation).  One entry per plan of the items; never the message.
    """

    op: ClassVar[str] = OP_REMIND
    id: str
    unit: str
    channel: str
    route: str
    items: tuple[tuple[str, str], ...]
    date: date
    recorded_at: str = ""
    by: str = ""
    note: str = ""
    line: int = 0
    plan: str = ""


@dataclass(frozen=True)
class UnknownEntry:
    """A line with an op this version does not know: kept as it is, never counted."""

    id: str
    op: str
    raw: dict = field(compare=False, hash=False, repr=False)
    line: int = 0


Entry = DoneEntry | VoidEntry | ProgressEntry | ExtendEntry | WaiveEntry | RemindEntry | UnknownEntry
# Entries about one obligation (task, unit, period): everything but voids and unknown ops.
OBLIGATION_ENTRIES = (DoneEntry, ProgressEntry, ExtendEntry, WaiveEntry)


@dataclass(frozen=True)
class Problem:
    """Something wrong with one line of the journal (``line`` is 1-based); never fatal."""

    line: int
    message: str


# ---------------------------------------------------------------- the op registry

@dataclass(frozen=True)
class OpSpec:
    """How one op is read: the keys its lines must carry, which of them are text, its entry type.

    ``optional`` maps the op's own optional keys to their kind in :data:`KEY_KINDS`;
    ``kinds`` gives required keys a kind other than text (``date`` is a day).
    ``words`` is the op in Chinese, for tables and messages.
    """

    op: str
    type: type
    required: tuple[str, ...]
    text_keys: tuple[str, ...]
    dated: bool = False  # ``date`` is a YYYY-MM-DD day
    optional: tuple[tuple[str, str], ...] = ()
    kinds: tuple[tuple[str, str], ...] = ()
    words: str = ""


_COMMON_TEXT = ("recorded_at", "by", "note", "plan")
_OBLIGATION = ("task", "unit", "period")

OPS: dict[str, OpSpec] = {spec.op: spec for spec in (
    OpSpec(OP_DONE, DoneEntry, ("task", "unit", "period", "date"), ("task", "unit", "period", "date"), dated=True,
           optional=(("evidence", "evidence"),), words="销号"),
    OpSpec(OP_VOID, VoidEntry, ("target",), ("target",), words="作废"),
    OpSpec(OP_PROGRESS, ProgressEntry, (*_OBLIGATION, "date"), (*_OBLIGATION, "date"), dated=True,
           optional=(("done", "text"), ("problem", "text"), ("next", "text"), ("percent", "percent")),
           words="进展"),
    OpSpec(OP_EXTEND, ExtendEntry, (*_OBLIGATION, "until"), _OBLIGATION, kinds=(("until", "day"),),
           optional=(("reason", "text"), ("approved_by", "text"), ("approved_on", "day_or_null"),
                     ("due_before", "day_or_null"), ("late", "bool")), words="延期"),
    OpSpec(OP_WAIVE, WaiveEntry, _OBLIGATION, _OBLIGATION,
           optional=(("reason", "text"), ("approved_by", "text")), words="免于考核"),
    OpSpec(OP_REMIND, RemindEntry, ("unit", "channel", "route", "items", "date"), ("unit", "channel", "route", "date"),
           dated=True, kinds=(("items", "items"),), words="催办"),
)}


def _read_text(value: Any, dates: dict[str, date]) -> tuple[bool, Any]:
    return type(value) is str, value


def _read_day(value: Any, dates: dict[str, date]) -> tuple[bool, Any]:
    day = parse_day(value, dates) if type(value) is str else None
    return day is not None, day


def _read_day_or_null(value: Any, dates: dict[str, date]) -> tuple[bool, Any]:
    return (True, None) if value is None or value == "" else _read_day(value, dates)


def _read_percent(value: Any, dates: dict[str, date]) -> tuple[bool, Any]:
    if value is None:
        return True, None
    return type(value) is int and 0 <= value <= 100, value


def _read_bool(value: Any, dates: dict[str, date]) -> tuple[bool, Any]:
    return type(value) is bool, value


def _read_evidence(value: Any, dates: dict[str, date]) -> tuple[bool, Any]:
    """``[{path, sha256, bytes} | {url}, …]``: each item a mapping naming a file or a link."""
    if type(value) is not list:
        return False, value
    for item in value:
        if type(item) is not dict or not (type(item.get("path")) is str or type(item.get("url")) is str):
            return False, value
    return True, tuple(value)


def _read_items(value: Any, dates: dict[str, date]) -> tuple[bool, Any]:
    """A reminder's items: ``[{task, period}, …]`` (at least one) → ((task, period), …)."""
    if type(value) is not list or not value or not all(
            type(item) is dict and set(item) == {"task", "period"} and type(item["task"]) is str and item["task"]
            and type(item["period"]) is str for item in value):
        return False, value
    return True, tuple((item["task"], item["period"]) for item in value)


# How a key of each kind is read: (ok, value), and what a message calls the kind.
KEY_KINDS: dict[str, tuple[Callable[[Any, dict], tuple[bool, Any]], str]] = {
    "text": (_read_text, "文本"),
    "day": (_read_day, "YYYY-MM-DD 日期"),
    "day_or_null": (_read_day_or_null, "YYYY-MM-DD 日期或 null"),
    "percent": (_read_percent, "0 到 100 的整数或 null"),
    "bool": (_read_bool, "true 或 false"),
    "evidence": (_read_evidence, "佐证材料列表（每项含 path 或 url）"),
    "items": (_read_items, "事项列表 [{\"task\": …, \"period\": …}, …]"),
}


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
    for key, kind in (*spec.kinds, *((k, v) for k, v in spec.optional if k in obj)):
        read, words = KEY_KINDS[kind]
        ok, value = read(obj[key], dates)
        if not ok:
            report(Problem(lineno, f"第 {lineno} 行键 \"{key}\" 的值应为{words}，实际是 {show(obj[key])}，已忽略"))
            return None
        values[key] = value
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
                     by: str, note: str, now_utc: datetime, tz: tzinfo, evidence: list[dict] | None = None) -> dict:
    """A ``done`` line ready to append (``date`` as YYYY-MM-DD), keys in the documented order.

    ``evidence`` (when given) goes last: a line without it is exactly what older versions wrote.
    """
    record = {
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
    if evidence:
        record["evidence"] = evidence
    return record


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


def _obligation_record(op: str, *, plan: str, task: str, unit: str, period: str, by: str, note: str,
                       now_utc: datetime, tz: tzinfo, own: dict) -> dict:
    """A line about one obligation: the common keys in the documented order, the op's own keys before ``by``."""
    return {"id": new_entry_id(now_utc), "op": op, "plan": plan, "task": task, "unit": unit, "period": period,
            **own, "recorded_at": _recorded_at(now_utc, tz), "by": by, "note": note}


def make_progress_record(*, plan: str, task: str, unit: str, period: str, date: date | str, done: str,
                         problem: str, next: str, percent: int | None, by: str, note: str, now_utc: datetime,
                         tz: tzinfo) -> dict:
    """A ``progress`` line: 进展情况 ``done``, 存在问题 ``problem``, 下步计划 ``next``, ``percent`` (or None)."""
    return _obligation_record(OP_PROGRESS, plan=plan, task=task, unit=unit, period=period, by=by, note=note,
                              now_utc=now_utc, tz=tz,
                              own={"date": _date_text(date), "done": done, "problem": problem, "next": next,
                                   "percent": percent})


def make_extend_record(*, plan: str, task: str, unit: str, period: str, until: date, reason: str,
                       approved_by: str, approved_on: date | None, due_before: date | None, late: bool, by: str,
                       note: str, now_utc: datetime, tz: tzinfo) -> dict:
    """An ``extend`` line: due on ``until`` instead of ``due_before``, approved by ``approved_by``."""
    return _obligation_record(OP_EXTEND, plan=plan, task=task, unit=unit, period=period, by=by, note=note,
                              now_utc=now_utc, tz=tz,
                              own={"until": _date_text(until), "reason": reason, "approved_by": approved_by,
                                   "approved_on": _date_text(approved_on) if approved_on else None,
                                   "due_before": _date_text(due_before) if due_before else None, "late": late})


def make_waive_record(*, plan: str, task: str, unit: str, period: str, reason: str, approved_by: str, by: str,
                      note: str, now_utc: datetime, tz: tzinfo) -> dict:
    """A ``waive`` line; ``period`` is :data:`ALL_PERIODS` for every period."""
    return _obligation_record(OP_WAIVE, plan=plan, task=task, unit=unit, period=period, by=by, note=note,
                              now_utc=now_utc, tz=tz, own={"reason": reason, "approved_by": approved_by})


def make_remind_record(*, plan: str, unit: str, channel: str, route: str, items: list[tuple[str, str]],
                       day: date, now_utc: datetime, tz: tzinfo, by: str = "") -> dict:
    """A ``remind`` line: a reminder about ``items`` ((task, period) pairs of plan ``plan``) reached
    ``unit`` through ``channel`` on ``route``, about the day ``day``.  No message text, no address."""
    return {
        "id": new_entry_id(now_utc),
        "op": OP_REMIND,
        "plan": plan,
        "unit": unit,
        "channel": channel,
        "route": route,
        "items": [{"task": task, "period": period} for task, period in items],
        "date": _date_text(day),
        "recorded_at": _recorded_at(now_utc, tz),
        "by": by,
        "note": "",
    }
