"""Completions that no longer match the plan, each with the likely fix, for ``fupin check``.

A completion names a task, a unit and a period as they were written.  When the
plan changes (a task removed or renumbered, a unit renamed with the old name
kept as an alias, a deadline of another kind) or a clerk wrote a variant by
hand (``金平区 `` with a space, ``13．1``, ``2018-4``), the completion counts for
nothing.  Reports warn once how many (:func:`fupin_cli.app.context.match_plan`
counts them); ``fupin check`` names each with what probably happened and the
commands that put it right.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..domain.model import Plan, Task
from ..domain.schedule import Timetable
from ..domain.text import normalize_name


@dataclass(frozen=True)
class Mismatch:
    """Why a completion does not count, and how to put it right.

    ``corrected`` is the (task, unit, period) it was surely meant for, when a
    variant or an old name says so; else None.
    """

    why: str
    fix: str
    corrected: tuple[str, str, str] | None = None


_PERIOD_FORMS = (
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), lambda y, m: f"{y}-{int(m):02d}"),
    (re.compile(r"^(\d{4})-?(?:Q|第)([1-4])季?度?$"), lambda y, q: f"{y}-Q{q}"),
    (re.compile(r"^(\d{4})-?H([12])$"), lambda y, h: f"{y}-H{h}"),
    (re.compile(r"^(\d{4})-?S([12])$"), lambda y, s: f"{y}-S{s}"),
    (re.compile(r"^(\d{4})-?W(\d{1,2})$"), lambda y, w: f"{y}-W{int(w):02d}"),
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"), lambda y, m, d: f"{y}-{int(m):02d}-{int(d):02d}"),
    (re.compile(r"^(\d{4})年?$"), lambda y: y),
)
_KINDS = (
    (re.compile(r"^\d{4}-\d{2}$"), "按月"), (re.compile(r"^\d{4}-Q\d$"), "按季度"), (re.compile(r"^\d{4}-H\d$"), "按半年"),
    (re.compile(r"^\d{4}-W\d{2}$"), "按周"), (re.compile(r"^\d{4}-S\d$"), "按学期"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "一次性"), (re.compile(r"^\d{4}$"), "按年"),
)


def period_kind(label: str) -> str | None:
    base = label.split("#", 1)[0]
    return next((kind for pattern, kind in _KINDS if pattern.match(base)), None)


def normal_period(label: str) -> str:
    """A period as people may type it (``2018-4``, ``２０１８-Q3``, ``2018年4月``) in the form fupin writes."""
    text = unicodedata.normalize("NFKC", label).strip().upper().replace(" ", "")
    for pattern, build in _PERIOD_FORMS:
        found = pattern.match(text)
        if found:
            return build(*found.groups())
    return text


class PlanMatcher:
    """Answers, for the plan as it is now, whether a completion counts and if not why."""

    def __init__(self, plan: Plan, timetable: Timetable) -> None:
        self.plan = plan
        self.timetable = timetable
        self.tasks = {task.id: task for task in plan.tasks}
        self._periods: dict[str, list[str]] = {}
        self._older: dict[str, dict[str, str]] = {}
        self._responsible: dict[str, frozenset[str]] = {}

    def periods(self, task: Task) -> list[str]:
        found = self._periods.get(task.id)
        if found is None:
            found = self._periods[task.id] = [o.period for o in self.timetable.occurrences(task)]
        return found

    def older_labels(self, task: Task) -> dict[str, str]:
        """Labels older versions wrote for this task's periods (``2018-07#4``) → the label they count under."""
        found = self._older.get(task.id)
        if found is None:
            from ..domain.schedule import journal_labels

            found = self._older[task.id] = journal_labels(task.rules, self.timetable.occurrences(task))
        return found

    def responsible(self, task: Task) -> frozenset[str]:
        found = self._responsible.get(task.id)
        if found is None:
            found = self._responsible[task.id] = frozenset(self.plan.units.responsible(task.units))
        return found

    def counted(self, task_id: str) -> bool:
        """Whether completions of this task are ever counted (a task whose deadline cannot be read is not)."""
        task = self.tasks.get(task_id)
        return task is None or bool(task.rules)

    def mismatch(self, task_id: str, unit: str, period: str) -> Mismatch | None:
        """None when the completion counts; else why not and the likely fix."""
        task = self.tasks.get(task_id)
        corrected_task = task_id
        notes: list[str] = []
        if task is None:
            task = self.plan.find_task(task_id)
            if task is None:
                return Mismatch(f"任务 “{task_id}” 不在清单中（可能已删除或改了编号）",
                                "如这条记录仍有效，作废后按现在的任务编号重新销号")
            corrected_task = task.id
            notes.append(f"任务编号应写作 “{task.id}”")
        if not task.rules:
            return None  # not counted for another reason: its deadline cannot be read (check says so)
        corrected_unit = unit
        canonical = self.plan.units.lookup(unit)
        if canonical is None:
            return Mismatch(f"单位 “{unit}” 不在单位列表中", "如是改名或撤并，把旧名作为别名写入 units.yaml，"
                                                          "或作废后按现在的单位重新销号")
        if canonical != unit:
            corrected_unit = canonical
            if normalize_name(unit) == normalize_name(canonical):
                notes.append(f"单位应写作 “{canonical}”（原写法 “{unit}” 多了空格或用了全角字符）")
            else:
                notes.append(f"单位 “{unit}” 已改名为 “{canonical}”（旧名现为别名）")
        if corrected_unit not in self.responsible(task):
            if self.plan.units[corrected_unit].is_group:
                return Mismatch(f"“{corrected_unit}” 是单位组，销号应记在成员单位名下", "作废后按成员单位重新销号")
            return Mismatch(f"{corrected_unit} 不是任务 {task.id} 的责任单位（可能清单改了责任单位）",
                            "如确是误记，作废这条记录")
        periods = self.periods(task)
        corrected_period = period
        if period not in periods and period not in self.older_labels(task):
            variant = normal_period(period)
            if variant in periods:
                corrected_period = variant
                notes.append(f"期间应写作 “{variant}”")
            else:
                kinds = {period_kind(p) for p in periods} - {None}
                examples = "、".join(periods[:3]) + ("……" if len(periods) > 3 else "")
                mine = period_kind(variant)
                if mine is not None and kinds and mine not in kinds:
                    return Mismatch(f"期间 “{period}” 不是任务 {task.id} 的期间：完成时限可能已改，现在{'/'.join(sorted(kinds))}"
                                    f"（期间如 {examples}），这条是{mine}的期间",
                                    "如这条记录仍有效，作废后按现在的期间重新销号")
                return Mismatch(f"期间 “{period}” 不是任务 {task.id} 的期间（期间如 {examples}）",
                                "作废后按正确的期间重新销号")
        if not notes:
            return None
        return Mismatch("；".join(notes), "作废后按正确的写法重新销号",
                        (corrected_task, corrected_unit, corrected_period))
