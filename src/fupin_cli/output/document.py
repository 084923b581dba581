"""The Document model: what a person reads — a title, a few lines under it, then blocks: tables with Chinese
headers, charts, paragraphs, page breaks.

Views (:mod:`fupin_cli.output.views`) build Documents from report rows; each
format in :mod:`fupin_cli.output.formats` only lays one out.  Every string of a
Document comes from data (plan, journal, arguments), so :func:`clean_document`
makes a copy safe to show before any human-readable format sees it; JSON never
goes through here and keeps the data exact.
"""

from __future__ import annotations

from datetime import date

from ..domain.text import terminal_safe
from ..domain.values import Frozen, Record, replace

# The traffic light of each status, in words, so a black-and-white printout still shows it.
STATUS_WORDS = {
    "overdue": "红灯·逾期",
    "due_soon": "黄灯·临近",
    "upcoming": "绿灯·正常",
    "ongoing": "长期",
    "done": "已完成",
    "done_late": "逾期完成",
    "extended": "延期中",
    "feedback_overdue": "反馈逾期",
    "waived": "免于考核",
}
STATUS_COLOURS = {  # rich style names; html and xlsx map them to their own colours
    "overdue": "red",
    "due_soon": "yellow",
    "upcoming": "green",
    "ongoing": "cyan",
    "done": "blue",
    "done_late": "magenta",
    "extended": "bright_magenta",
    "feedback_overdue": "dark_orange",
    "waived": "bright_black",
}

# How a column behaves when a table must fit a width: ``fixed`` cells never break (ids, dates,
# periods, counts, statuses); ``name`` cells break only between names (a list of units); ``prose``
# folds anywhere a line may break and may be shortened with … in narrow terminals.
FITS = ("fixed", "name", "prose")
_FIT_OF_KIND = {"text": "fixed", "date": "fixed", "int": "fixed", "status": "fixed", "rate": "fixed",
                "change": "fixed", "period": "name", "units": "name", "prose": "prose", "brief": "prose"}


class Column(Frozen):
    """One column.  ``kind`` says how a value is shown (text, prose, units, period, date, int, status,
    rate, change; ``brief``: prose kept to one line with … in terminal tables, whole in files); ``priority`` 1 is always shown, 2 and 3 may be left out of a narrow terminal
    (3 first); ``hoist`` lets a column whose value is the same on every row move into the title."""

    key: str
    header: str
    kind: str = "text"
    priority: int = 1
    hoist: bool = False

    def __init__(self, key: str, header: str, kind: str = "text", priority: int = 1, hoist: bool = False) -> None:
        vars(self).update(key=key, header=header, kind=kind, priority=priority, hoist=hoist)

    @property
    def fit(self) -> str:
        return _FIT_OF_KIND.get(self.kind, "fixed")

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "change")


class Table(Record):
    """A table.  ``title`` is its stable name (a heading, an xlsx sheet name); ``count`` is shown after it
    ("（44 项）") but never becomes part of a name.  ``merge`` names leading columns whose equal values
    on consecutive rows are one cell in printouts (a task's text over its periods); ``total`` is a
    last row (合计) set apart from the data."""

    title: str
    columns: list[Column]
    rows: list[dict]
    group_by: str | None = None  # a column key: rows are shown in groups with a heading each
    empty: str = "（无）"
    count: str = ""
    merge: tuple[str, ...] = ()
    total: dict | None = None
    note: str = ""  # a line under the table (what a column means, what was left out)

    def __init__(self, title: str, columns: list[Column], rows: list[dict], group_by: str | None = None,
                 empty: str = "（无）", count: str = "", merge: tuple[str, ...] = (), total: dict | None = None,
                 note: str = "") -> None:
        self.title = title
        self.columns = columns
        self.rows = rows
        self.group_by = group_by
        self.empty = empty
        self.count = count
        self.merge = merge
        self.total = total
        self.note = note

    @property
    def heading(self) -> str:
        return self.title + self.count


class Chart(Record):
    """A line chart of one series: completion rate by week.  ``points`` are (label, value 0–1 or None)."""

    title: str
    points: list[tuple[str, float | None]]
    y_label: str = "完成率"
    note: str = ""

    def __init__(self, title: str, points: list[tuple[str, float | None]], y_label: str = "完成率",
                 note: str = "") -> None:
        self.title = title
        self.points = points
        self.y_label = y_label
        self.note = note


class Paragraphs(Record):
    """Running text: ``style`` is ``body`` (a notice's letter), ``salutation`` (“市民政局：”),
    ``signature`` (right-aligned lines with room to sign) or ``small``."""

    lines: list[str]
    style: str = "body"

    def __init__(self, lines: list[str], style: str = "body") -> None:
        self.lines = lines
        self.style = style


class PageBreak(Record):
    """A new page in printouts (one notice per unit); a rule line on screen."""


Block = Table | Chart | Paragraphs | PageBreak


class Document(Record):
    """A report as people read it.  ``blocks`` is the body in order; documents made of tables only may
    give just ``tables``.  ``subject`` is who the report is about (a unit's name with --unit): it is in
    the title already and goes into file properties.  ``landscape`` asks printouts for A4 landscape;
    ``running`` is the short title repeated in page headers; ``compact`` asks printouts for smaller type."""

    title: str
    lines: list[str]  # a new list when not given
    tables: list[Table]  # a new list when not given
    blocks: list[Block] | None = None
    subject: str = ""
    landscape: bool = False
    running: str = ""
    compact: bool = False  # printouts in a smaller type, to keep a page a page (notices)

    def __init__(self, title: str, lines: list[str] | None = None, tables: list[Table] | None = None,
                 blocks: list[Block] | None = None, subject: str = "", landscape: bool = False, running: str = "",
                 compact: bool = False) -> None:
        self.title = title
        self.lines = [] if lines is None else lines
        self.tables = [] if tables is None else tables
        self.blocks = blocks
        self.subject = subject
        self.landscape = landscape
        self.running = running
        self.compact = compact

    def body(self) -> list[Block]:
        return list(self.blocks) if self.blocks is not None else list(self.tables)

    def all_tables(self) -> list[Table]:
        return [b for b in self.body() if isinstance(b, Table)]


def cell_text(value, kind: str = "text") -> str:
    """A cell as plain text, the same in every text-like format."""
    if value is None:
        return "—" if kind in ("rate", "change") else ""
    if kind == "status":
        return STATUS_WORDS.get(value, str(value))
    if kind == "rate":
        return percent(value)
    if kind == "change":
        return change_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def shown_change(rate: float | None, previous: float | None) -> float | None:
    """The change between two rates as the printed percentages differ (25% → 38% is ▲13, not ▲12.5
    rounded to even): a fraction of whole percentage points, or None."""
    if rate is None or previous is None:
        return None
    return (int(percent(rate)[:-1]) - int(percent(previous)[:-1])) / 100


def change_text(change: float | None) -> str:
    """A change of rate in percentage points: ▲5 / ▼3 / 持平 / — (nothing to compare)."""
    if change is None:
        return "—"
    points = round(change * 100)
    if points > 0:
        return f"▲{points}"
    if points < 0:
        return f"▼{-points}"
    return "持平"


def rate_bar(rate: float | None, width: int = 10) -> str:
    """A completion rate as a bar of blocks and a percentage: ``██████░░░░ 60%``."""
    if rate is None:
        return "—"
    filled = round(min(max(rate, 0.0), 1.0) * width)
    return "█" * filled + "░" * (width - filled) + f" {rate:.0%}"


def neutralise_formula(text: str) -> str:
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def ordered_groups(rows: list[dict], key: str) -> list[tuple[object, list[dict]]]:
    """Rows grouped by ``key``, each group once, groups in order of first appearance.

    Renderers group with this, never with consecutive runs, so a unit can never get a second
    heading further down however the rows were sorted.
    """
    groups: dict[object, list[dict]] = {}
    for row in rows:
        groups.setdefault(row.get(key), []).append(row)
    return list(groups.items())


# ---------------------------------------------------------------- safety and hoisting


def _clean(value):
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    return value


def clean_document(document: Document) -> Document:
    """A copy of ``document`` in which every string is safe to show (see :func:`terminal_safe`)."""

    def clean_block(block):
        if isinstance(block, Table):
            return replace(
                block, title=_clean(block.title), count=_clean(block.count), empty=_clean(block.empty),
                note=_clean(block.note),
                columns=[replace(c, header=_clean(c.header)) for c in block.columns],
                rows=[{k: _clean(v) for k, v in row.items()} for row in block.rows],
                total={k: _clean(v) for k, v in block.total.items()} if block.total else None)
        if isinstance(block, Chart):
            return replace(block, title=_clean(block.title), note=_clean(block.note),
                           points=[(_clean(label), value) for label, value in block.points])
        if isinstance(block, Paragraphs):
            return replace(block, lines=[_clean(line) for line in block.lines])
        return block

    return replace(document, title=_clean(document.title), lines=[_clean(line) for line in document.lines],
                   subject=_clean(document.subject), running=_clean(document.running),
                   tables=[clean_block(t) for t in document.tables],
                   blocks=None if document.blocks is None else [clean_block(b) for b in document.blocks])


def hoist_constant_columns(table: Table) -> Table:
    """``table`` without its hoistable columns that hold one value on every row (two rows or more);
    that value joins the heading: 逾期未完成（市民政局，10 项）."""
    if len(table.rows) < 2:
        return table
    hoisted = []
    for column in table.columns:
        if not column.hoist or column.key == table.group_by:
            continue
        values = {cell_text(row.get(column.key), column.kind) for row in table.rows}
        if len(values) == 1 and next(iter(values)):
            hoisted.append((column, next(iter(values))))
    if not hoisted:
        return table
    keys = {c.key for c, _ in hoisted}
    words = "，".join(value for _, value in hoisted)
    columns = [c for c in table.columns if c.key not in keys]
    if table.count.startswith("（") and table.count.endswith("）"):
        return replace(table, count=f"（{words}，{table.count[1:-1]}）", columns=columns)
    title = f"{table.title}（{words}）" if table.title else words
    return replace(table, title=title, columns=columns)
