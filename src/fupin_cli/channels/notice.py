"""What a reminder (催办) says, independent of where it goes.

The app layer builds one ``Notice`` per unit from its reports; every channel
formats the same ``Notice`` its own way.  Channels keep the order of the items
within each kind as given (the caller sorts: oldest overdue first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Item kinds, in the order a message lists them.
KINDS = ("overdue", "due_soon", "feedback_due")

KIND_HEADINGS = {"overdue": "已逾期", "due_soon": "即将到期", "feedback_due": "待报送进展"}


@dataclass(frozen=True)
class NoticeItem:
    """One thing a unit is reminded of.

    ``days`` counts whole days: for ``overdue`` how many days late, for
    ``due_soon`` how many days are left (0 = due today), for ``feedback_due`` how
    many days are left until the progress report is due (negative = that many days
    late).  None when unknown.  ``chased`` is how many 催办 were already sent for
    this item.
    """

    task: str
    text: str
    period: str
    due: date | None
    days: int | None
    kind: str
    chased: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"NoticeItem.kind must be one of {KINDS}, not {self.kind!r}")
        if self.days is not None and self.days < 0 and self.kind != "feedback_due":
            raise ValueError(f"NoticeItem.days must not be negative for {self.kind}: {self.days}")
        if self.chased < 0:
            raise ValueError(f"NoticeItem.chased must not be negative: {self.chased}")


@dataclass(frozen=True)
class Notice:
    """A reminder for one unit: its items as of one day.

    ``title`` names the message (e.g. 督办提醒), ``plan_title`` the task list it
    comes from.
    """

    unit: str
    title: str
    plan_title: str
    items: tuple[NoticeItem, ...]
    as_of: date

    def __post_init__(self) -> None:
        # Accept any iterable but keep the value immutable.
        object.__setattr__(self, "items", tuple(self.items))
        for item in self.items:
            if not isinstance(item, NoticeItem):
                raise TypeError(f"Notice.items holds NoticeItem values, not {type(item).__name__}")

    def of_kind(self, kind: str) -> tuple[NoticeItem, ...]:
        return tuple(item for item in self.items if item.kind == kind)


def item_status(item: NoticeItem) -> str:
    """The Chinese words for where an item stands, e.g. ``逾期 12 天，应于 2018-06-30 完成``."""
    due = item.due.isoformat() if item.due else None
    parts: list[str] = []
    if item.kind == "overdue":
        parts.append(f"逾期 {item.days} 天" if item.days is not None else "已逾期")
        if due:
            parts.append(f"应于 {due} 完成")
    elif item.kind == "due_soon":
        if item.days == 0:
            parts.append("今天到期")
        elif item.days is not None:
            parts.append(f"还有 {item.days} 天到期")
        else:
            parts.append("即将到期")
        if due:
            parts.append(f"{due} 截止")
    else:
        if item.days is None:
            parts.append("应报送进展")
        elif item.days < 0:
            parts.append(f"进展报送已逾期 {-item.days} 天")
        elif item.days == 0:
            parts.append("今天应报送进展")
        else:
            parts.append(f"还有 {item.days} 天应报送进展")
        if due:
            parts.append(f"{due} 前报送")
    if item.chased:
        parts.append(f"已催办 {item.chased} 次")
    return "，".join(parts)


def item_label(item: NoticeItem) -> str:
    """Task id and period, e.g. ``8.2（2018-06）``; the part of an item never shortened."""
    return f"{item.task}（{item.period}）" if item.period else item.task
