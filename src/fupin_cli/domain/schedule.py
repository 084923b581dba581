"""Rules → occurrences: when each period of a rule is due, on the official calendar.

Dates in, dates out: nothing here reads the clock.  Period layout comes from
the :mod:`~fupin_cli.domain.periods` registry; where in a period a rule is due
is decided here, the same way for every kind but weeks and term starts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from .holidays import HolidayCalendar
from .model import Occurrence, Plan, Rule, Settings, Task
from .periods import KINDS, add_months, month_end


def nominal_due(rule: Rule, start: date, end: date) -> date:
    """The date the words say for the period [start, end] of ``rule``."""
    if rule.kind == "week":
        return start + timedelta(days=(6 if rule.weekday is None else rule.weekday) + rule.after_days)
    if rule.kind == "semester" and rule.month == 1 and rule.day == 1:
        base = start  # the term's first day, even when it is not the 1st of a month
    else:
        month_start = end.replace(day=1) if rule.month is None else add_months(start.replace(day=1), rule.month - 1)
        base = month_end(month_start) if rule.day is None else min(
            month_start + timedelta(days=rule.day - 1), month_end(month_start))
    return add_months(base, rule.after_months) + timedelta(days=rule.after_days)


def occurrences(rule: Rule, rule_index: int, window: tuple[date, date],
                settings: Settings, calendar: HolidayCalendar) -> list[Occurrence]:
    """The occurrences of ``rule`` whose periods overlap ``window`` (inclusive), sorted.

    A one-off rule always yields its one occurrence, inside the window or not.
    """
    if rule.kind == "once":
        if rule.date is None:
            return []
        return [Occurrence(period=rule.date.isoformat(), start=rule.date, end=rule.date,
                           nominal_due=rule.date, due=calendar.effective(rule.date),
                           required=rule.count, rule_index=rule_index)]
    lo, hi = window
    if lo > hi:
        return []
    kind = KINDS[rule.kind]
    result = []
    for start in kind.starts(lo, hi, settings):
        end = kind.end(start, settings)
        if end < lo:
            continue
        if kind.has_due_date:
            nominal = nominal_due(rule, start, end)
            due = calendar.effective(nominal)
        else:
            nominal = due = None
        result.append(Occurrence(period=kind.label(start, settings), start=start, end=end,
                                 nominal_due=nominal, due=due, required=rule.count, rule_index=rule_index))
    result.sort(key=lambda o: (o.start, o.period))
    return result


class Timetable:
    """Every task's occurrences in its plan's window, on one calendar; computed once per rule set.

    Two rules of one task can share a period (每月25日前录入 and 每月28日前审核 both
    give ``2018-07``); the later rule's label then carries its number, ``2018-07#2``,
    so that each duty is recorded and reported on its own.

    A recurring period that was already due before the plan took effect (the
    spring term's 2018-04-02 for a list issued 2018-04-25) is no obligation of
    this plan; a one-off date the plan names stays, even an early one.
    """

    def __init__(self, plan: Plan, calendar: HolidayCalendar) -> None:
        self.plan = plan
        self.calendar = calendar
        self._by_rules: dict[tuple, list[Occurrence]] = {}  # many tasks share their words (逐月完成 …)

    def occurrences(self, task: Task) -> list[Occurrence]:
        found = self._by_rules.get(task.rules)
        if found is None:
            found = self._by_rules[task.rules] = self._occurrences(task.rules)
        return found

    def _occurrences(self, rules: tuple[Rule, ...]) -> list[Occurrence]:
        plan = self.plan
        window = (plan.valid_from, plan.valid_to)
        found: list[Occurrence] = []
        seen: set[str] = set()
        for index, rule in enumerate(rules):
            own = occurrences(rule, index, window, plan.settings, self.calendar)
            if rule.kind != "once":
                own = [o for o in own if o.due is None or o.due >= plan.valid_from]
            if any(o.period in seen for o in own):
                own = [replace(o, period=f"{o.period}#{index + 1}") for o in own]
            seen.update(o.period for o in own)
            found.extend(own)
        return found
