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
