"""``fupin explain``: how fupin reads deadline words, and the next due dates they give.

It explains words, not the plan: any day can be "today", and the year of dates
written without one is ``plan_year`` (the plan's first year unless told).
"""

from __future__ import annotations

from datetime import date, timedelta

from ..domain.holidays import HolidayCalendar
from ..domain.model import Settings
from ..domain.schedule import occurrences, shared_labels

NEXT_COUNT = 6


def explain_phrase(phrase: str, plan_year: int, today: date, settings: Settings, calendar: HolidayCalendar,
                   count: int = NEXT_COUNT) -> dict:
    """How fupin reads ``phrase`` and its next ``count`` due dates on or after ``today``."""
    from ..phrases import describe, read

    reading = read(phrase, plan_year)
    rules = reading.rules
    # Far enough ahead for ``count`` yearly dates; labels are per period, so a window works for every kind.
    window = (today - timedelta(days=400), today + timedelta(days=366 * count + 31))
    found = shared_labels(rules, [occurrences(rule, index, window, settings, calendar)
                                  for index, rule in enumerate(rules)])
    upcoming = sorted((o for o in found if o.due is not None and o.due >= today),
                      key=lambda o: (o.due, o.nominal_due, o.rule_index))
    return {
        "phrase": phrase,
        "plan_year": plan_year,
        "ongoing": all(rule.kind == "ongoing" for rule in rules),
        "rules": [{"kind": r.kind, "count": r.count, "description": describe(r), "words": r.words,
                   "span": list(r.span) if r.span else None, "key": r.key, "family": family, "source": r.source}
                  for r, family in zip(rules, reading.families)],
        "next": [{"period": o.period, "nominal_due": o.nominal_due.isoformat(), "due": o.due.isoformat()}
                 for o in upcoming[:count]],
    }
