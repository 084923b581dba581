"""Finding what a person named: a task by id, a unit by name, alias or pinyin."""

from __future__ import annotations

import difflib
import os

from ..domain.errors import UsageError
from ..domain.model import Plan, Task
from ..domain.plans import PlanSet


class AmbiguousTask(UsageError):
    """A bare task id that more than one plan of the folder has."""

    def __init__(self, ref: str, candidates: list[Task], plans: PlanSet) -> None:
        self.candidates = candidates
        listed = "、".join(f"{plans.task_ref(t)}（{plans.get(t.plan).title}）" for t in candidates)
        example = plans.task_ref(candidates[-1])
        super().__init__(f"任务编号 “{ref}” 在 {len(candidates)} 个清单中都有：{listed}；"
                         f"请写成 清单名:编号（如 {example}），或用 --plan 指定清单", subject="task")


def find_task(plans: PlanSet | Plan, task_id: str) -> Task:
    """The task ``task_id`` names (``ID`` or ``KEY:ID``), or a UsageError suggesting the closest ids.

    A bare id that several plans share is an :class:`AmbiguousTask`.
    """
    if isinstance(plans, Plan):
        plans = PlanSet((plans,))
    found = plans.find_tasks(task_id)
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousTask(task_id, found, plans)
    plan, bare = plans.split_ref(task_id)
    refs = {plans.task_ref(t): t for t in (plan.tasks if plan is not None else plans.all_tasks())}
    wanted = f"{plan.key}:{bare}" if plan is not None and len(plans) > 1 else bare
    close = difflib.get_close_matches(wanted, list(refs), n=6, cutoff=0.5)
    if not close and plan is None and len(plans) > 1:  # a bare id against KEY:ID names
        by_id = {t.id: plans.task_ref(t) for t in plans.all_tasks()}
        close = [by_id[c] for c in difflib.get_close_matches(bare, list(by_id), n=6, cutoff=0.5)]
    # Among equally close ids, those that share the item number come first (8.3 → 8.2 before R.3).
    close = sorted(close, key=lambda c: -len(os.path.commonprefix([c, wanted])))[:3]
    hint = f"；是否是指：{'、'.join(close)}？" if close else "（fupin list 列出全部任务）"
    where = f"清单 {plan.key} 中没有" if plan is not None else "未知的"
    raise UsageError(f"{where}任务编号 “{bare if plan is not None else task_id}”{hint}", subject="task")


def resolve_unit(plan: Plan | PlanSet, text: str, *, what: str = "--unit") -> str:
    """A canonical unit name for what a person typed: name, alias, or pinyin (全拼 or 首字母)."""
    return plan.units.resolve(text, what=what)
