"""JSON records of report rows: what ``--format json`` writes for due and overdue lists, without the
Documents of :mod:`.views` (a script's JSON run imports only this)."""

from __future__ import annotations

from ..reports.rows import Row


def progress_record(entry) -> dict | None:
    """A progress report (进展) in JSON: the ``last_progress`` of a row, an item of 本周进展."""
    if entry is None:
        return None
    return {"id": entry.id, "date": entry.date.isoformat(), "done": entry.done, "problem": entry.problem,
            "next": entry.next, "percent": entry.percent, "by": entry.by}


def row_record(row: Row) -> dict:
    """The JSON contract of a report row (documented in the README).

    Dates stay dates: the JSON renderer writes them as ISO strings (YYYY-MM-DD) itself, which a
    province's tens of thousands of rows notice.
    """
    return {"task": row.task, "text": row.text, "category": row.category, "unit": row.unit,
            "period": row.period, "nominal_due": row.nominal_due, "due": row.due,
            "status": row.status, "days": row.days, "required": row.required,
            "done_count": row.done_count, "done_date": row.done_date, "plan": row.plan,
            "original_due": row.original_due, "extensions": row.extensions,
            "last_progress": progress_record(row.last_progress) if row.last_progress else None,
            "waived": row.waived, "feedback_due": row.feedback_due}


def row_records(rows) -> list[dict]:
    """:func:`row_record` of each of ``rows``.

    A province's overdue list is tens of thousands of rows, most of them alike but for the unit (one
    period of one task, open in many units): the record of the first is copied for the others, its unit
    replaced, which costs a third of making one.  Rows are alike when every other field is equal; a row
    with a progress report is made on its own.
    """
    made: dict = {}
    records = []
    for row in rows:
        if row[_PROGRESS] is not None:
            records.append(row_record(row))
            continue
        key = (row[:_UNIT], row[_UNIT + 1:])
        found = made.get(key)
        if found is None:
            found = made[key] = row_record(row)
            records.append(found)
            continue
        record = found.copy()
        record["unit"] = row[_UNIT]
        records.append(record)
    return records


_UNIT, _PROGRESS = Row._fields.index("unit"), Row._fields.index("last_progress")
