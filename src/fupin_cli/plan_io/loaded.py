"""What loading a plan gives: the plan and the findings that do not stop it from being used.

Its own small module, so that a cached plan unpickles without importing the
validator (and yaml with it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.errors import PlanError
from ..domain.model import Plan


@dataclass
class LoadedPlan:
    """A plan plus the non-fatal findings ``fupin check`` reports."""

    plan: Plan
    problems: list[PlanError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
