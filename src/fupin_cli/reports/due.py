"""``due`` and ``overdue``: open obligations that are late or due soon, in the official order.

An approved extension (延期) moves an obligation's due date; a waiver (免于考核) takes it out; a task with a
reporting cycle (``progress_every``) whose unit's last progress report is older than the cycle is 反馈逾期.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..domain.obligations import Scope, task_windows, units_in_scope
from ..domain.schedule import Timetable
from ..progress import step
from .order import sort_rows
from .rows import Row, alike_rows, begins, feedback_due, soon_days, status_row

if TYPE_CHECKING:  # annotations only: a report from the cached ledger needs no entry type
    from ..journal.ledger import Standing


def open_rows(timetable: Timetable, standing: Standing, scope: Scope, due_until: date, soon: int) -> list[Row]:
    """Rows of the obligations due by ``due_until`` that are not done or waived; yellow within ``soon`` days.

    The hot loop of every report on a big plan: no object is made for an
    obligation until it turns out to be open.  Extensions only move a due date
    later, so the window on the plan's dates holds every row; the row's own
    (approved) date is checked against ``due_until`` again.
    """
    rows = []
    count_of = standing.count_of
    today = standing.today_ordinal
    marked = set(standing.ledger.marked_tasks())
    tasks = len(timetable.plan.tasks)
    for number, (task, units, found) in enumerate(task_windows(timetable, scope, None, due_until)):
        step("计算报表", number, tasks)  # a bar on a terminal, when a province-sized plan takes a while
        has_marks = (task.plan, task.id) in marked
        unit_set = set(units)
        for occ in found:
            done = standing.done_in(task, occ.period)
            required = occ.required
            if required == 1 and all_by(done, today):
                # Every unit with a completion has done it: the open ones are the others, with no dates
                # (in no particular order: the rows are sorted at the end).
                late = unit_set.difference(done)
                if late and not has_marks:
                    rows += alike_rows(status_row(task, "", occ, [], standing.today, soon), late)
                    continue
                dated = False
            else:
                late = [unit for unit in units if count_of(done.get(unit)) < required]
                dated = True
            for unit in late:
                dates = standing.dates(task, occ.period, unit) if dated else []
                if not has_marks:
                    rows.append(status_row(task, unit, occ, dates, standing.today, soon))
                    continue
                row = status_row(task, unit, occ, dates, standing.today, soon,
                                 standing.mark(task, occ.period, unit), standing.last_progress(task, unit))
                if not row.waived and row.due <= due_until:
                    rows.append(row)
    return rows


def all_by(done, today: int) -> bool:
    """Whether every completion of a cell (unit → one date ordinal) is dated on or before ``today``.

    False when some unit has several (a tuple): the caller then counts unit by unit.
    """
    try:
        return not done or max(done.values()) <= today
    except TypeError:  # a tuple among the ordinals
        return False


def feedback_rows(timetable: Timetable, standing: Standing, scope: Scope, soon: int) -> list[Row]:
    """反馈逾期: per task with a reporting cycle and unit in scope, the open obligation it reports on — the
    one begun last that is not done, waived or overdue (an overdue one is red already) — when the unit's
    last progress report on the task is older than the cycle (the first is due one cycle after the plan's
    first day)."""
    plan = timetable.plan
    today = standing.today
    rows = []
    for task in plan.tasks:
        if not task.progress_every or (scope.category and task.category != scope.category):
            continue
        valid_from = plan_of(timetable, task).valid_from
        # The one begun last first: the first that is open, not waived and not overdue is the one.
        occurrences = sorted((o for o in timetable.occurrences(task) if begins(o, valid_from) <= today),
                             key=lambda o: begins(o, valid_from), reverse=True)
        for unit in units_in_scope(plan.units, task, scope):
            last = standing.last_progress(task, unit)
            when = feedback_due(task, valid_from, last)
            if when is None or when >= today:
                continue
            for occ in occurrences:
                if standing.count_of(standing.done_in(task, occ.period).get(unit)) >= occ.required:
                    continue
                row = status_row(task, unit, occ, standing.dates(task, occ.period, unit), today, soon,
                                 standing.mark(task, occ.period, unit), last)
                if not row.waived and row.status != "overdue":
                    rows.append(row._replace(status="feedback_overdue", feedback_due=when))
                    break
    return rows


def plan_of(timetable: Timetable, task):
    """The plan a task belongs to (a report across plans has a combined view)."""
    own = getattr(timetable, "plan_of", None)  # a CombinedTimetable knows each task's own plan
    return own(task) if own is not None else timetable.plan


def with_feedback(rows: list[Row], feedback: list[Row]) -> list[Row]:
    """``rows`` with the 反馈逾期 rows: an obligation already listed takes that status unless it is overdue."""
    if not feedback:
        return rows
    listed = {(r.plan, r.task, r.period, r.unit): i for i, r in enumerate(rows)}
    rows = list(rows)
    for extra in feedback:
        index = listed.get((extra.plan, extra.task, extra.period, extra.unit))
        if index is None:
            rows.append(extra)
        elif rows[index].status != "overdue":
            rows[index] = extra
    return rows


def due_rows(timetable: Timetable, standing: Standing, scope: Scope = Scope(), within: int | None = None,
             sort: str = "official") -> list[Row]:
    """Open obligations that are overdue, due within ``within`` days (default the plan's warn_days) or 反馈逾期."""
    plan = timetable.plan
    days = plan.settings.warn_days if within is None else within
    soon = soon_days(standing.today, plan.settings, timetable.calendar, days)
    rows = open_rows(timetable, standing, scope, standing.today + timedelta(days=days), soon)
    rows = with_feedback(rows, feedback_rows(timetable, standing, scope, soon))
    return sort_rows(rows, plan, sort)


def overdue_rows(timetable: Timetable, standing: Standing, scope: Scope = Scope(), sort: str = "official",
                 include_feedback: bool = False) -> list[Row]:
    """Overdue obligations; with ``include_feedback`` the 反馈逾期 ones too."""
    plan = timetable.plan
    soon = soon_days(standing.today, plan.settings, timetable.calendar)
    rows = open_rows(timetable, standing, scope, standing.today - timedelta(days=1), soon)
    if include_feedback:
        rows += feedback_rows(timetable, standing, scope, soon)
    return sort_rows(rows, plan, sort)
