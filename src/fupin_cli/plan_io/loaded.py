"""What loading a plan gives: the plan and the findings that do not stop it from being used.

Its own small module, so that a cached plan unpickles without importing the
validator (and yaml with it).
"""

from __future__ import annotations

from ..domain.errors import PlanError
from ..domain.model import Plan
from ..domain.plans import PlanSet
from ..domain.values import Record


class LoadedPlan(Record):
    """A plan plus the non-fatal findings ``fupin check`` reports."""

    plan: Plan
    problems: list[PlanError]  # a new list when not given
    notices: list[str]

    def __init__(self, plan: Plan, problems: list[PlanError] | None = None, notices: list[str] | None = None) -> None:
        self.plan = plan
        self.problems = [] if problems is None else problems
        self.notices = [] if notices is None else notices


class LoadedPlans(Record):
    """Every plan of a data folder, and the non-fatal findings of all of them."""

    plans: PlanSet
    problems: list[PlanError]  # a new list when not given
    notices: list[str]
    # plan key → its occurrences under its own holiday rule, worked out once for the plan cache:
    # (holiday shift, years the official calendar had no data for, the lists, task id → its list's place)
    times: dict[str, tuple]

    def __init__(self, plans: PlanSet, problems: list[PlanError] | None = None, notices: list[str] | None = None,
                 times: dict[str, tuple] | None = None) -> None:
        self.plans = plans
        self.problems = [] if problems is None else problems
        self.notices = [] if notices is None else notices
        self.times = {} if times is None else times

    @property
    def plan(self) -> Plan:
        """The folder's first plan (its only one in the shipped layout)."""
        return self.plans.first
