"""Finding what a person named: a task by id, a unit by name, alias or pinyin."""

from __future__ import annotations

import difflib
import os

from ..domain.errors import UsageError
from ..domain.model import Plan, Task


def find_task(plan: Plan, task_id: str) -> Task:
    """The task with this id, or a UsageError suggesting the closest ids."""
    task = plan.find_task(task_id)
    if task is not None:
        return task
    close = difflib.get_close_matches(task_id, [t.id for t in plan.tasks], n=6, cutoff=0.5)
    # Among equally close ids, those that share the item number come first (8.3 → 8.2 before R.3).
    close = sorted(close, key=lambda c: -len(os.path.commonprefix([c, task_id])))[:3]
    hint = f"；是否是指：{'、'.join(close)}？" if close else "（fupin list 列出全部任务）"
    raise UsageError(f"未知的任务编号 “{task_id}”{hint}", subject="task")


def resolve_unit(plan: Plan, text: str, *, what: str = "--unit") -> str:
    """A canonical unit name for what a person typed: name, alias, or pinyin (全拼 or 首字母)."""
    return plan.units.resolve(text, what=what)
