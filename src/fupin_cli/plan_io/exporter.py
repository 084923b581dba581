"""A plan → the official task table (序号 / 工作任务 / 责任单位 / 完成时限 / 备注), laid out so that
``fupin import`` reads it back as the same plan.

Pure: :func:`official_table` gives rows; the writers (``export_xlsx``,
``export_docx``) only draw them.  The layout speaks the reader's language
(``tables.tasks`` documents it):

- Tasks whose ids share an item (``5.1``, ``5.2``; ``10a.1``, ``10a.2``) are one
  numbered item: its 序号 is printed once, in a cell merged down over its rows.
- The tasks of a lettered group (``R.1`` … ``R.8``) carry their 工作板块 in the
  序号 column, merged over the group, as the seed prints 落实扶贫工作责任.
- A section row (一、社会保障政策落实, merged across the table) is put wherever
  the reader would otherwise give a task another 工作板块; a row （未分类）
  where a task without one follows tasks that have one.
- A lead unit is written ``市扶贫办（牵头）``; several paragraphs of a text are
  paragraphs of the cell; 备注 is the task's ``remark``.

What a table cannot say (ids outside the rules, a text the reader would take
for a heading …) is found by reading the layout back with the real reader:
:func:`round_trip_differences` lists every task that would come back different.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from ..domain.model import Plan, Task
from .tables.layout import UNCATEGORISED
from .tables.cells import paragraphs_of
from .tables.model import Cell, Grid, Location, Merge, RawTable
from .tables.tasks import heading_of, id_prefix, is_label

HEADER = ("序号", "工作任务", "责任单位", "完成时限", "备注")
LEAD_MARK = "（牵头）"
_LABEL_PREFIX = re.compile(r"^[R-Z]\d*$")


@dataclass(frozen=True)
class SectionRow:
    text: str                              # as printed: 一、帮扶项目, or （未分类）


@dataclass(frozen=True)
class TaskRow:
    tasks: tuple[str, ...]                 # the ids of its tasks: several where paragraphs split the row
    seq: str                               # the 序号 cell's words ("" when empty or covered)
    seq_span: int                          # rows the 序号 cell covers: 1, n > 1 (merged down), 0 (covered)
    text: str
    units: str
    deadline: str
    remark: str


@dataclass
class OfficialTable:
    title: str
    doc_no: str
    issued: date | None
    rows: list = field(default_factory=list)   # SectionRow | TaskRow
    header: tuple[str, ...] = HEADER


def chinese_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十 (section numbers)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return str(n)


def units_words(task: Task) -> str:
    return "、".join(name + (LEAD_MARK if name in task.lead else "") for name in task.units)


# ---------------------------------------------------------------- layout

@dataclass
class _Group:
    tasks: list[Task]
    label: bool                            # a lettered group: its category in the 序号 column


def _groups(tasks: tuple[Task, ...]) -> list[_Group]:
    groups: list[_Group] = []
    for task in tasks:
        if groups and id_prefix(groups[-1].tasks[-1].id) == id_prefix(task.id):
            groups[-1].tasks.append(task)
        else:
            groups.append(_Group([task], False))
    for group in groups:
        first = group.tasks[0]
        group.label = bool(_LABEL_PREFIX.match(id_prefix(first.id)) and first.category and is_label(first.category)
                           and all(not t.seq and t.category == first.category for t in group.tasks))
    return groups


def _printed(group: _Group, index: int) -> str:
    """The 序号 the reader sees on row ``index`` of the group: the label or 序号 on its first row,
    a 序号 that differs from the one above it; "" for a row the cell above covers."""
    task = group.tasks[index]
    if group.label:
        return task.category if index == 0 else ""
    if index == 0:
        return task.seq
    return task.seq if task.seq and task.seq != group.tasks[0].seq else ""


class _Reader:
    """The category rules of ``tables.tasks._assign``, followed row by row, to know what the reader will say."""

    def __init__(self, numbered: bool) -> None:
        self.numbered = numbered
        self.section = ""
        self.sectioned = False
        self.active: tuple[str, str] | None = None
        self.label: str | None = None
        self.pending = 0                   # rows without 序号 since the last item, section or heading
        self.item_rows: list[tuple[Task, bool, str]] = []   # (task, sectioned, category) of the current item

    def snapshot(self) -> tuple:
        return self.section, self.sectioned, self.active, self.label, self.pending, list(self.item_rows)

    def restore(self, state: tuple) -> None:
        self.section, self.sectioned, self.active, self.label, self.pending, rows = state
        self.item_rows = list(rows)

    def section_row(self, text: str) -> None:
        self.section, self.sectioned = text, True
        self.active, self.label, self.pending = None, None, 0

    def category(self, tasks: list[Task], text: str, printed: str) -> tuple[str, list[Task]]:
        """The category the reader gives a row, and the tasks above whose category a heading line changes."""
        if printed and is_label(printed):
            self.active, self.label, self.pending = (printed, "label"), printed, 0
            return printed, []
        if printed or not self.numbered:
            self.label, self.pending = None, 0
            if self.active and self.active[1] in ("item", "label"):
                self.active = None
            heading = heading_of(text)
            if self.active is None and not self.sectioned and heading is not None:
                self.active = (heading, "item")
            category = self.active[0] if self.active else self.section
            self.item_rows = [(task, self.sectioned, category) for task in tasks]
            return category, []
        heading = heading_of(text)
        if heading is not None:
            changed = [t for t, sectioned, category in self.item_rows if not category and not sectioned]
            self.item_rows = [(t, s, c or (c if s else heading)) for t, s, c in self.item_rows]
            self.item_rows += [(task, self.sectioned, heading) for task in tasks]
            self.active, self.label, self.pending = (heading, "heading"), None, 0
            return heading, changed
        if self.label is not None:
            return self.label, []
        category = self.active[0] if self.active else self.section
        self.item_rows += [(task, self.sectioned, category) for task in tasks]
        self.pending += 1
        return category, []


def official_table(plan: Plan) -> OfficialTable:
    """The rows of the official table of ``plan``, with section rows where categories need them."""
    groups = _groups(plan.tasks)
    numbered = any(_printed(group, i) for group in groups for i in range(len(group.tasks)))
    forced: set[int] = set()                # groups that need a section row before them
    for _ in range(len(groups) + 1):
        rows, wanted = _lay_out(groups, numbered, forced)
        if not wanted - forced:
            break
        forced |= wanted
    return OfficialTable(plan.title, plan.doc_no, plan.issued, rows)


def _one_line(text: str) -> bool:
    return bool(text) and "\n" not in text


def _row_chunks(group: _Group) -> list[tuple[int, list[Task]]]:
    """The group's tasks as table rows: a task printed with the same 序号 as the task before it
    (paragraph n of a split cell, like the seed's 1.1 and 1.2) shares that task's row as paragraph n."""
    chunks: list[tuple[int, list[Task]]] = []
    for index, task in enumerate(group.tasks):
        if chunks and not group.label and task.seq and task.seq == group.tasks[index - 1].seq:
            members = chunks[-1][1] + [task]
            if all(_one_line(t.text) and _one_line(t.deadline) and "\n" not in t.remark
                   and t.category == members[0].category for t in members) \
                    and len({bool(t.remark) for t in members}) == 1:
                chunks[-1][1].append(task)
                continue
        chunks.append((index, [task]))
    return chunks


def _lay_out(groups: list[_Group], numbered: bool, forced: set[int]) -> tuple[list, set[int]]:
    reader = _Reader(numbered)
    rows: list = []
    sections = 0
    wanted: set[int] = set()
    group_of_task: dict[str, int] = {}

    def add_section(category: str) -> None:
        nonlocal sections
        if category:
            sections += 1
            rows.append(SectionRow(f"{chinese_numeral(sections)}、{category}"))
        else:
            rows.append(SectionRow(UNCATEGORISED[1]))
        reader.section_row(category)

    for number, group in enumerate(groups):
        if number in forced:
            add_section(group.tasks[0].category)   # its rows' categories explicit: no heading line changes them
        if group.label and reader.pending:
            add_section(reader.section)            # else the label would claim the rows above it
        for index, tasks in _row_chunks(group):
            for task in tasks:
                group_of_task[task.id] = number
            printed = _printed(group, index)
            text = "\n".join(task.text for task in tasks)
            wanted_category = tasks[0].category
            before = reader.snapshot()
            category, changed = reader.category(tasks, text, printed)
            heading_line = not printed and reader.numbered and heading_of(text) is not None
            if category != wanted_category and not heading_line and not (printed and is_label(printed)):
                reader.restore(before)             # a section row first, then the row again
                add_section(wanted_category)
                category, changed = reader.category(tasks, text, printed)
            wanted.update(group_of_task[earlier.id] for earlier in changed if earlier.category == "")
            rows.append(TaskRow(tuple(task.id for task in tasks), printed, 1, text,
                                "\n".join(units_words(task) for task in tasks),
                                "\n".join(task.deadline for task in tasks),
                                "\n".join(task.remark for task in tasks if task.remark)))
    return _merge_seq_cells(rows, groups), wanted


def _merge_seq_cells(rows: list, groups: list[_Group]) -> list:
    """A 序号 cell covers the rows below it that print none, up to a section row or the next 序号."""
    group_of = {task.id: number for number, group in enumerate(groups) for task in group.tasks}
    group_of.update({row.tasks: group_of[row.tasks[0]] for row in rows if isinstance(row, TaskRow)})
    merged = list(rows)
    index = 0
    while index < len(merged):
        row = merged[index]
        if isinstance(row, TaskRow) and row.seq:
            end = index + 1
            while (end < len(merged) and isinstance(merged[end], TaskRow) and not merged[end].seq
                   and group_of[merged[end].tasks] == group_of[row.tasks]):
                end += 1
            if end - index > 1:
                merged[index] = replace(row, seq_span=end - index)
                for covered in range(index + 1, end):
                    merged[covered] = replace(merged[covered], seq=row.seq, seq_span=0)
            index = end
        else:
            index += 1
    return merged


# ---------------------------------------------------------------- the layout read back

def preamble_lines(table: OfficialTable) -> list[str]:
    """The lines above the header: title, 文号, date — in the order the xlsx prints them."""
    lines = [table.title]
    if table.doc_no:
        lines.append(table.doc_no)
    if table.issued is not None:
        lines.append(f"{table.issued.year}年{table.issued.month}月{table.issued.day}日")
    return lines


def to_raw(table: OfficialTable, file: str = "导出.xlsx") -> RawTable:
    """The table as a reader would return it from the written file."""
    width = len(table.header)
    rows: list[tuple[Cell, ...]] = []

    def across(text: str, number: int) -> tuple[Cell, ...]:
        paragraphs = paragraphs_of(text)
        return tuple(Cell(paragraphs, Location(file, number, column), Merge.OWN if column == 1 else Merge.FROM_LEFT)
                     for column in range(1, width + 1))

    for line in preamble_lines(table):
        rows.append(across(line, len(rows) + 1))
    rows.append(tuple(Cell((word,), Location(file, len(rows) + 1, column))
                      for column, word in enumerate(table.header, 1)))
    for row in table.rows:
        number = len(rows) + 1
        if isinstance(row, SectionRow):
            rows.append(across(row.text, number))
            continue
        values = [row.seq, row.text, row.units, row.deadline, row.remark]
        cells = []
        for column, value in enumerate(values, 1):
            merge = Merge.FROM_ABOVE if column == 1 and row.seq_span == 0 else Merge.OWN
            paragraphs = paragraphs_of(value)   # tidied as every reader tidies a cell
            cells.append(Cell(paragraphs, Location(file, number, column), merge))
        rows.append(tuple(cells))
    return RawTable(file, (Grid("导出", tuple(rows), Location(file)),))


def round_trip_differences(plan: Plan, table: OfficialTable) -> list[str]:
    """Every way the table read back by ``fupin import`` would differ from ``plan``, for people."""
    from .tables import TableError, parse

    try:
        read = parse(to_raw(table))
    except TableError as exc:
        return [f"导出的表格无法再导入：{exc.message}"]
    found: list[str] = []
    if len(read.tasks) != len(plan.tasks):
        found.append(f"导出的表格再导入后有 {len(read.tasks)} 项任务，而清单有 {len(plan.tasks)} 项")
    for task, record in zip(plan.tasks, read.tasks):
        units = tuple(dict.fromkeys(plan.units.lookup(name) or name for name in record.unit_names))
        lead = tuple(dict.fromkeys(plan.units.lookup(name) or name for name in record.lead_units))
        pairs = (("编号", record.id, task.id), ("序号", record.seq, task.seq), ("工作板块", record.category, task.category),
                 ("工作任务", record.text, task.text), ("责任单位", "、".join(units), "、".join(task.units)),
                 ("牵头单位", "、".join(lead), "、".join(task.lead)), ("完成时限", record.deadline, task.deadline),
                 ("备注", record.remark, task.remark))
        for what, got, expected in pairs:
            if got != expected:
                found.append(f"任务 {task.id}：再导入后{what}为“{got}”，而清单中为“{expected}”")
    return found
