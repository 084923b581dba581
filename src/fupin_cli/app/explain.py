"""``fupin explain``: how fupin reads deadline words, and the next due dates they give."""

from __future__ import annotations

from datetime import date, timedelta

from ..domain.holidays import HolidayCalendar
from ..domain.model import Plan
from ..domain.schedule import occurrences

NEXT_COUNT = 6


def explain_phrase(plan: Plan, phrase: str, today: date, calendar: HolidayCalendar) -> dict:
    """How fupin reads ``phrase`` and its next due dates on or after ``today``."""
    from ..phrases import describe, parse

    rules = parse(phrase, plan.valid_from.year)
    # Far enough ahead for six yearly dates; labels are per period, so a window works for every kind.
    window = (today - timedelta(days=400), today + timedelta(days=366 * NEXT_COUNT + 31))
    upcoming = []
    for index, rule in enumerate(rules):
        for occ in occurrences(rule, index, window, plan.settings, calendar):
            if occ.due is not None and occ.due >= today:
                upcoming.append(occ)
    upcoming.sort(key=lambda o: (o.due, o.rule_index))
    return {
        "phrase": phrase,
        "ongoing": all(rule.kind == "ongoing" for rule in rules),
        "rules": [{"kind": r.kind, "count": r.count, "description": describe(r), "source": r.source}
                  for r in rules],
        "next": [{"period": o.period, "nominal_due": o.nominal_due.isoformat(), "due": o.due.isoformat()}
                 for o in upcoming[:NEXT_COUNT]],
    }
