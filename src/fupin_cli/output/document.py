"""The Document model: what a person reads — a title, a few lines under it, tables with Chinese headers.

Views (:mod:`fupin_cli.output.views`) build Documents from report rows; each
format in :mod:`fupin_cli.output.formats` only lays one out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The traffic light of each status, in words, so a black-and-white printout still shows it.
STATUS_WORDS = {
    "overdue": "红灯·逾期",
    "due_soon": "黄灯·临近",
    "upcoming": "绿灯·正常",
    "ongoing": "长期",
    "done": "已完成",
    "done_late": "逾期完成",
}
STATUS_COLOURS = {  # rich style names; html and xlsx map them to their own colours
    "overdue": "red",
    "due_soon": "yellow",
    "upcoming": "green",
    "ongoing": "cyan",
    "done": "blue",
    "done_late": "magenta",
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text | date | int | status | rate


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[dict]
    group_by: str | None = None  # a column key: rows are shown in groups with a heading each
    empty: str = "（无）"


@dataclass
class Document:
    title: str
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def cell_text(value, kind: str = "text") -> str:
    """A cell as plain text, the same in every text-like format."""
    if value is None:
        return ""
    if kind == "status":
        return STATUS_WORDS.get(value, str(value))
    if kind == "rate":
        return rate_bar(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def rate_bar(rate: float | None, width: int = 10) -> str:
    """A completion rate as a bar of blocks and a percentage: ``██████░░░░ 60%``."""
    if rate is None:
        return "—"
    filled = round(rate * width)
    return "█" * filled + "░" * (width - filled) + f" {rate:.0%}"


def neutralise_formula(text: str) -> str:
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
