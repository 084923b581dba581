"""How often each item was chased (催办次数), from the journal's ``remind`` entries.

An item's chases are the distinct days (the ``date`` of its ``remind`` entries:
the day a reminder was about) on which a reminder about it reached the unit:
several channels, or a second run, on one day are one chase.  Kept apart from
:mod:`.reminding` so that reports counting chases load nothing of the channels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

ItemKey = tuple[str, str, str, str]  # (plan key, task id, period, unit)


def chase_days(entries: Iterable, first_plan: str) -> dict[ItemKey, set[date]]:
    """(plan, task, period, unit) → the days a reminder about it reached the unit.

    A line without a plan key belongs to the folder's first plan, as completions do.
    """
    from ..journal.entries import RemindEntry

    days: dict[ItemKey, set[date]] = {}
    for entry in entries:
        if type(entry) is not RemindEntry:
            continue
        plan = entry.plan or first_plan
        for task, period in entry.items:
            days.setdefault((plan, task, period, entry.unit), set()).add(entry.date)
    return days


_REMIND_MARKS = (b'"op":"remind"', b'"op": "remind"')


def journal_chase_days(store, first_plan: str) -> dict[ItemKey, set[date]]:
    """:func:`chase_days` of a journal store, reading only its ``remind`` lines.

    Reports call this on every run, so the journal file is searched for the op and
    only the lines that name it are parsed: a journal without reminders costs one
    byte search of the mapped file, not a read.
    """
    path = getattr(store, "path", None)
    if path is None:
        return chase_days(store.contents().entries, first_plan)
    from ..journal.jsonl.reader import parse_lines

    lines = _lines_naming(Path(path), _REMIND_MARKS)
    return chase_days(parse_lines(lines).entries, first_plan) if lines else {}


def _lines_naming(path: Path, marks: tuple[bytes, ...]) -> list[bytes]:
    """The lines of ``path`` holding any of ``marks``, in file order; found by searching a map of the
    file, so nothing is copied or parsed when no line holds them."""
    import mmap
    import os

    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size == 0:
                return []
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as whole:
                found: dict[int, bytes] = {}
                for mark in marks:
                    at = whole.find(mark)
                    while at >= 0:
                        start = whole.rfind(b"\n", 0, at) + 1
                        end = whole.find(b"\n", at)
                        end = size if end < 0 else end + 1
                        line = whole[start:end]
                        found[start] = line if line.endswith(b"\n") else line + b"\n"
                        at = whole.find(mark, end)
    except (OSError, ValueError):
        return []  # unreadable: the report's own reading of the journal says so
    return [found[start] for start in sorted(found)]


def overdue_chases(rows, days: Mapping[ItemKey, set[date]], until: date) -> list[dict]:
    """The overdue report rows that were chased, with how often (up to ``until``), in the rows' order."""
    found = []
    for row in rows:
        count = chased(days, (row.plan, row.task, row.period, row.unit), until=until)
        if count:
            found.append({"unit": row.unit, "task": row.task, "period": row.period, "count": count,
                          "plan": row.plan, "text": row.text})
    return found


def chased(days: Mapping[ItemKey, set[date]], key: ItemKey, *, before: date | None = None,
           until: date | None = None) -> int:
    """How many chases of ``key`` fall before ``before`` (or on or before ``until``)."""
    found = days.get(key, ())
    if before is not None:
        return sum(1 for day in found if day < before)
    if until is not None:
        return sum(1 for day in found if day <= until)
    return len(found)


def unit_chases(days: Mapping[ItemKey, set[date]], plan: str, task: str, *,
                until: date | None = None) -> list[tuple[str, int, date]]:
    """(unit, chases, the latest day) for one task, units by name order of first appearance."""
    found: dict[str, set[date]] = {}
    for (plan_key, task_id, _period, unit), chase in days.items():
        if (plan_key, task_id) == (plan, task):
            found.setdefault(unit, set()).update(d for d in chase if until is None or d <= until)
    return [(unit, len(d), max(d)) for unit, d in found.items() if d]
