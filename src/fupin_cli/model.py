"""The data types of fupin: plain frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# Period kinds of a rule.  ``half`` is a half-year, ``semester`` a school term.
PERIOD_KINDS = ("once", "week", "month", "quarter", "half", "year", "semester", "ongoing")

# How a due date that falls on a day off moves.
HOLIDAY_SHIFTS = ("next_workday", "previous_workday", "none")

# Status of an obligation in reports: the traffic light of Chinese 督办.
STATUSES = ("overdue", "due_soon", "upcoming", "ongoing", "done", "done_late")


@dataclass(frozen=True)
class Unit:
    """A responsible unit; a group (各区（县）) has members and stands for each of them."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    note: str = ""
    line: int = 0

    @property
    def is_group(self) -> bool:
        return bool(self.members)


@dataclass(frozen=True)
class Rule:
    """One deadline rule: a period kind and where in (or after) the period it is due.

    For every kind but ``once``, ``week`` and ``ongoing`` the nominal due date of a
    period is: month ``month`` of the period (1 = its first month, None = its last),
    day ``day`` of that month (None = the last day), then ``after_months`` months
    and ``after_days`` days later.  ``week`` is due on ``weekday`` (0 = Monday,
    None = Sunday) of the ISO week plus ``after_days``.  ``once`` is due on ``date``.
    ``ongoing`` has no due date and is never overdue.
    """

    kind: str
    count: int = 1
    date: date | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    after_months: int = 0
    after_days: int = 0
    source: str = ""


@dataclass(frozen=True)
class Occurrence:
    """One period of one rule: what must be done by when."""

    period: str
    start: date
    end: date
    nominal_due: date | None
    due: date | None
    required: int
    rule_index: int = 0


@dataclass(frozen=True)
class Task:
    id: str
    seq: str
    category: str
    text: str
    units: tuple[str, ...]
    deadline: str
    rules: tuple[Rule, ...]
    explicit_schedule: bool = False
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Settings:
    holiday_shift: str = "next_workday"
    warn_days: int = 14
    semester_starts: tuple[tuple[int, int], ...] = ((3, 1), (9, 1))


@dataclass(frozen=True)
class Plan:
    title: str
    doc_no: str
    issuer: str
    issued: date | None
    valid_from: date
    valid_to: date
    timezone: str
    settings: Settings
    tasks: tuple[Task, ...]
    units: dict[str, Unit] = field(hash=False)
    tasks_file: Path | None = None
    units_file: Path | None = None


@dataclass(frozen=True)
class Entry:
    """One line of the journal: a completion (``done``) or the voiding of one (``void``)."""

    id: str
    op: str
    task: str = ""
    unit: str = ""
    period: str = ""
    date: date | None = None
    recorded_at: str = ""
    by: str = ""
    note: str = ""
    target: str = ""
    line: int = 0


@dataclass(frozen=True)
class Obligation:
    """One occurrence of one task for one responsible unit."""

    task: Task
    unit: str
    occurrence: Occurrence


@dataclass(frozen=True)
class Row:
    """One obligation as reports show it."""

    task: str
    text: str
    category: str
    unit: str
    period: str
    nominal_due: date | None
    due: date | None
    status: str
    days: int | None
    required: int
    done_count: int
    done_date: date | None = None
