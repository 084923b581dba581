"""Rules → occurrences: when each period of a rule is due, on the official calendar.

Dates in, dates out: nothing here reads the clock.  Period layout comes from
the :mod:`~fupin_cli.domain.periods` registry; where in a period a rule is due
is decided here, the same way for every kind but weeks, 旬 and term starts.
Working-day offsets (每月结束后5个工作日内) count on the official calendar,
调休 included.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from .holidays import HolidayCalendar
from .model import Occurrence, Plan, Rule, Settings, Task
from .periods import KINDS, add_months, month_end
from .values import replace


def add_workdays(base: date, count: int, calendar: HolidayCalendar) -> date:
    """``count`` official working days from ``base``.

    count > 0: the count-th working day after ``base``; count < 0: the
    |count|-th working day counting back from ``base``, ``base`` itself included
    (-1 = the last working day on or before it); 0: ``base``.
    """
    day = base
    if count > 0:
        while count:
            day += timedelta(days=1)
            if calendar.is_workday(day):
                count -= 1
    elif count < 0:
        day += timedelta(days=1)
        while count:
            day -= timedelta(days=1)
            if calendar.is_workday(day):
                count += 1
    return day


def nominal_due(rule: Rule, start: date, end: date, calendar: HolidayCalendar | None = None) -> date:
    """The date the words say for the period [start, end] of ``rule``.

    ``calendar`` is needed only by rules that count working days.
    """
    if rule.kind == "week":
        base = start + timedelta(days=(6 if rule.weekday is None else rule.weekday) + rule.after_days)
    elif rule.kind == "semester" and rule.month == 1 and rule.day == 1:
        # The term's first day, even when it is not the 1st of a month.
        base = add_months(start, rule.after_months) + timedelta(days=rule.after_days)
    elif rule.kind == "dekad":
        inside = end if rule.day is None else min(start + timedelta(days=rule.day - 1), end)
        base = add_months(inside, rule.after_months) + timedelta(days=rule.after_days)
    else:
        anchor = end.replace(day=1) if rule.month is None else add_months(start.replace(day=1), rule.month - 1)
        target = add_months(anchor, rule.after_months)
        base = month_end(target) if rule.day is None else min(
            target + timedelta(days=rule.day - 1), month_end(target))
        base += timedelta(days=rule.after_days)
    if rule.workdays:
        if calendar is None:
            raise ValueError("a rule that counts working days needs the calendar")
        base = add_workdays(base, rule.workdays, calendar)
    return base


def occurrences(rule: Rule, rule_index: int, window: tuple[date, date],
                settings: Settings, calendar: HolidayCalendar) -> list[Occurrence]:
    """The occurrences of ``rule`` whose periods overlap ``window`` (inclusive), sorted.

    A one-off rule always yields its one occurrence, inside the window or not;
    it is labelled by the date the words name (before any working-day count).
    A recurring rule bounded by ``since``/``until`` yields only the periods
    overlapping those bounds.
    """
    if rule.kind == "once":
        if rule.date is None:
            return []
        nominal = add_workdays(rule.date, rule.workdays, calendar) if rule.workdays else rule.date
        return [Occurrence(period=rule.date.isoformat(), start=rule.date, end=nominal,
                           nominal_due=nominal, due=calendar.effective(nominal),
                           required=rule.count, rule_index=rule_index)]
    lo, hi = window
    if rule.since is not None:
        lo = max(lo, rule.since)
    if rule.until is not None:
        hi = min(hi, rule.until)
    if lo > hi:
        return []
    kind = KINDS[rule.kind]
    result = []
    for start in kind.starts(lo, hi, settings):
        end = kind.end(start, settings)
        if end < lo:
            continue
        if kind.has_due_date:
            nominal = nominal_due(rule, start, end, calendar)
            due = calendar.effective(nominal)
        else:
            nominal = due = None
        result.append(Occurrence(period=kind.label(start, settings), start=start, end=end,
                                 nominal_due=nominal, due=due, required=rule.count, rule_index=rule_index))
    result.sort(key=lambda o: (o.start, o.period))
    return result


def label_suffix(rule: Rule) -> str:
    """What a shared period's label adds for ``rule``: its key without the kind (``d25``, ``m6``, ``ongoing``)."""
    key = rule.key
    return key.split("@", 1)[1] if "@" in key else key


class Timetable:
    """Every task's occurrences in its plan's window, on one calendar; computed once per rule set.

    Two rules of one task can share a period (每月25日前录入 and 每月28日前审核 both
    give ``2018-07``); each of them then carries its content key in the label,
    ``2018-07#d25`` and ``2018-07#d28``, so that each duty is recorded and
    reported on its own and inserting or reordering rules moves nothing.
    :func:`journal_labels` reads the labels older versions wrote (``2018-07``,
    ``2018-07#4``).

    A recurring period that was already due before the plan took effect (the
    spring term's 2018-04-02 for a list issued 2018-04-25) is no obligation of
    this plan; a one-off date the plan names stays, even an early one.
    """

    def __init__(self, plan: Plan, calendar: HolidayCalendar,
                 known: Mapping[str, list[Occurrence]] | None = None) -> None:
        """``known``: task id → its occurrences as this plan and calendar give them, worked out before (a
        cache of the loader's); tasks not in it are worked out here."""
        self.plan = plan
        self.calendar = calendar
        self._known = known or {}
        self._by_rules: dict[tuple, list[Occurrence]] = {}  # many tasks share their words (逐月完成 …)

    def occurrences(self, task: Task) -> list[Occurrence]:
        found = self._known.get(task.id)
        if found is not None:
            return found
        found = self._by_rules.get(task.rules)
        if found is None:
            found = self._by_rules[task.rules] = self._occurrences(task.rules)
        return found

    def shared(self) -> tuple[list[list[Occurrence]], dict[str, int]]:
        """Every task's occurrences, each list once however many tasks share its words: (the lists,
        task id → its list's place)."""
        lists: list[list[Occurrence]] = []
        places: dict[int, int] = {}
        of_task: dict[str, int] = {}
        for task in self.plan.tasks:
            found = self.occurrences(task)
            of_task[task.id] = places.setdefault(id(found), len(lists))
            if of_task[task.id] == len(lists):
                lists.append(found)
        return lists, of_task

    def _occurrences(self, rules: tuple[Rule, ...]) -> list[Occurrence]:
        plan = self.plan
        window = (plan.valid_from, plan.valid_to)
        return shared_labels(rules, [
            [o for o in occurrences(rule, index, window, plan.settings, self.calendar)
             if rule.kind == "once" or o.due is None or o.due >= plan.valid_from]
            for index, rule in enumerate(rules)])


def shared_labels(rules: tuple[Rule, ...], per_rule: list[list[Occurrence]]) -> list[Occurrence]:
    """The occurrences of a task's rules, a period label that several rules give carrying each one's key."""
    owners: dict[str, set[int]] = {}
    for index, found in enumerate(per_rule):
        for occurrence in found:
            owners.setdefault(occurrence.period, set()).add(index)
    result: list[Occurrence] = []
    for index, found in enumerate(per_rule):
        suffix = label_suffix(rules[index])
        result.extend(replace(o, period=f"{o.period}#{suffix}") if len(owners[o.period]) > 1 else o
                      for o in found)
    return result


def journal_labels(rules: tuple[Rule, ...], found: list[Occurrence]) -> dict[str, str]:
    """Labels older journals hold for ``found`` (a task's occurrences) → the label to count them under.

    Versions before content keys labelled a shared period plainly for the first
    rule and ``#N`` (N = the rule's position) for the others.  ``#N`` is read
    as the rule at position N of the current plan; the plain label as the
    rule due first in that period (the content decides, not the order).
    """
    mapping: dict[str, str] = {}
    first: dict[str, tuple[date, str, str]] = {}
    for occurrence in found:
        base, shared, _ = occurrence.period.partition("#")
        mapping[f"{base}#{occurrence.rule_index + 1}"] = occurrence.period
        if shared:
            rank = (occurrence.nominal_due or date.max, rules[occurrence.rule_index].key, occurrence.period)
            if base not in first or rank < first[base]:
                first[base] = rank
    for base, (_, _, label) in first.items():
        mapping[base] = label
    return {old: new for old, new in mapping.items() if old != new}
