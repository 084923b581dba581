"""What loading a plan gives: the plan and the findings that do not stop it from being used.

Its own small module, so that a cached plan unpickles without importing the
validator (and yaml with it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.errors import PlanError
from ..domain.model import Plan
from ..domain.plans import PlanSet


@dataclass
class LoadedPlan:
    """A plan plus the non-fatal findings ``fupin check`` reports."""

    plan: Plan
    problems: list[PlanError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass
class LoadedPlans:
    """Every plan of a data folder, and the non-fatal findings of all of them."""

    plans: PlanSet
    problems: list[PlanError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # plan key → its occurrences under its own holiday rule, worked out once for the plan cache:
    # (holiday shift, years the official calendar had no data for, the lists, task id → its list's place)
    times: dict[str, tuple] = field(default_factory=dict)

    @property
    def plan(self) -> Plan:
        """The folder's first plan (its only one in the shipped layout)."""
        return self.plans.first
