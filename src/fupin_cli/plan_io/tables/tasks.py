"""Data rows → task records, by the rules tasks.yaml documents for the 2018 list.

Ids
---
- ``N.k``: N is the row's printed 序号, or for a row without one (an empty or
  merged 序号 cell) the nearest 序号 above; k counts the records under that N in
  table order.  A row split into several tasks (below) gives several k.
  Rows above the first printed 序号 are under N = 0.  A table without a 序号
  column (or with the column empty throughout) numbers its rows 1, 2, 3 …
- A 序号 printed again right after itself (10, 10, 10 with no other 序号
  between) gives 10a, 10b, 10c.  A 序号 that comes back after a different one
  (3 … 5 … 3) is refused — it cannot be told apart — unless section rows lie
  between the two, i.e. each section numbers its own items: then every N is
  prefixed by the section's ordinal (2-3.1 is item 3 of the second section).
  Two consecutive rows with the same 序号 and the same text, units and
  deadline are refused as a row pasted twice.  More than 26 repeats are refused.
- A section label printed in the 序号 column (the seed's 落实扶贫工作责任, a
  merged cell that the extraction printed on one of its lines) heads the rows
  without a 序号 directly above it (back to the last numbered row, page break,
  section or heading line) and those below it (up to the next numbered row,
  heading line, section row or page break).  Those rows get a letter prefix:
  R.1, R.2 … for the first label, S.k for the second, then T … Z, R2, S2 …
  Their category is the label (theirs only: the next numbered row has none
  unless a section row is in force) and their 序号 is "".

Categories
----------
- A section row (``layout.py``) is the category of the rows below it until the
  next section row, across page breaks; a （未分类） section row gives the rows
  below it none.  Once a table has section rows, a category they give is
  explicit: the back-filling of a heading line and an item's own section
  (below) apply only to rows no section row is above.
- A heading line: a row without a 序号 whose 工作任务 text is a short heading
  (at most 15 characters after its enumerator, no punctuation) and that has
  units or a deadline.  It is a merged category cell that a PDF extraction
  printed in the 工作任务 column of one of the lines it spanned, so: the line is
  a task of its own titled by the heading (its units and deadline belong to a
  sub-item whose words were lost: ``from_heading``); the heading is the
  category of that line and of the rows below it; it is also the category of
  the rows of the same numbered item above it that have no category yet (the
  merged cell was printed at its middle, not its top).  A heading line's
  category, and a label's, end at a page break: a merged cell spanning a page
  is printed again on the next page.
- A numbered row whose text is such a heading, met where no category is in
  force, is an item that is its own section (the seed's 13 金融扶贫 … 17 社会扶贫):
  its category is its text, for its own rows only.

Several paragraphs in one row
-----------------------------
A row becomes several tasks only when at least two of its 工作任务, 责任单位 and
完成时限 cells have several paragraphs; then there are as many tasks as the
largest count, and task n takes paragraph n of each cell.  A cell with fewer
paragraphs gives its last one to the remaining tasks — except the 工作任务 cell
of more than one paragraph, whose last paragraph is split at its clauses (，；
。, the parts as even in length as the clauses allow, the comma at a split
dropped) to make up the count: the seed's item 2, whose third task paragraph
holds two requirements for its third and fourth unit paragraphs.  A 工作任务
cell of one paragraph is shared by all the tasks (item 15).  When only one
cell has several paragraphs they are one text: a unit list wrapped over lines,
or a long task (joined with line breaks; unit paragraphs give one name list).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from .errors import TableError
from .layout import DataRow, Layout, PageBreak, Section, strip_enumerator
from .model import Location, SourceTask
from .units import split_unit_names

MAX_DATA_ROWS = 2000
MAX_HEADING = 15
_PUNCTUATION = re.compile(r"[，。；：！？、,.;:!?]")
_NUMERALS = "零〇一二三四五六七八九十百"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LABEL_LETTERS = "RSTUVWXYZ"
_CLAUSE_END = "，；。"


def heading_of(text: str) -> str | None:
    """The heading a 工作任务 text is, or None when it reads as a task."""
    if "\n" in text:
        return None
    heading = strip_enumerator(text)
    if not heading or len(heading) > MAX_HEADING or _PUNCTUATION.search(heading) or not _HAN.search(heading):
        return None
    return heading


def id_prefix(task_id: str) -> str:
    """The item part of an id (its N): ``10a.2`` → ``10a``; ``R.3`` → ``R``; ``2-3.1`` → ``2-3``."""
    head, dot, _ = task_id.rpartition(".")
    return head if dot else task_id


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20 (the numbers a 序号 column uses)."""
    digits = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if not text or any(ch not in _NUMERALS for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = digits[ch]
    return total + current


@dataclass
class _Row:
    data: DataRow
    seq: str = ""                         # printed 序号, "" when none of its own
    category: str = ""
    heading: str | None = None            # a heading line's heading
    owner: object = None                  # the _Item or _Label it counts under
    sectioned: bool = False               # read below a section row: its category is explicit


@dataclass
class _Item:
    key: str                              # N before letters / section prefix
    section: int
    first: _Row | None
    rows: list[_Row] = field(default_factory=list)
    name: str = ""


@dataclass
class _Label:
    text: str
    rows: list[_Row] = field(default_factory=list)
    name: str = ""


def build_tasks(layout: Layout) -> list[SourceTask]:
    data_rows = [entry for entry in layout.entries if isinstance(entry, DataRow)]
    if len(data_rows) > MAX_DATA_ROWS:
        raise TableError(f"数据超过 {MAX_DATA_ROWS} 行（这里是第 {MAX_DATA_ROWS + 1} 行），不像是一份任务清单；"
                         "请把表格分成几个文件再导入", data_rows[MAX_DATA_ROWS].location.row_only())
    if layout.truncated:
        raise TableError(f"表格超过 {MAX_DATA_ROWS} 行，不像是一份任务清单；请把表格分成几个文件再导入",
                         layout.grid.location)
    numbered = any(_printed_seq(row) for row in data_rows)
    rows, items, labels, sections = _assign(layout.entries, numbered)
    _name_items(items, sections)
    for index, label in enumerate(labels):
        label.name = _LABEL_LETTERS[index % 9] + (str(index // 9 + 1) if index >= 9 else "")
    counters: dict[int, int] = {}
    tasks: list[SourceTask] = []
    for row in rows:
        owner = row.owner
        for part in _parts(row):
            counters[id(owner)] = counters.get(id(owner), 0) + 1
            tasks.append(_record(f"{owner.name}.{counters[id(owner)]}", row, part))
    return tasks


def _printed_seq(row: DataRow) -> str:
    cell = row.cells.get("seq")
    if cell is None or cell.is_empty or cell.is_continuation:
        return ""
    return cell.text.replace("\n", "").strip()


def is_label(seq: str) -> bool:
    """A 序号 cell holding words (two Chinese characters that are not numerals) is a section label."""
    return sum(1 for ch in seq if _HAN.match(ch) and ch not in _NUMERALS) >= 2


def _assign(entries: list, numbered: bool):
    """Owner (item or label) and category of every data row, walking the table once."""
    rows: list[_Row] = []
    items: list[_Item] = []
    labels: list[_Label] = []
    section_text = ""                         # the last section row's heading; page breaks keep it
    sectioned = False                         # a section row has been met: sections say the categories
    active: tuple[str, str] | None = None     # (category, kind) of a heading line, an item, a label
    item: _Item | None = None
    label: _Label | None = None
    pending: list[_Row] = []                  # rows without 序号 a label below may claim
    section = 0
    sections: list[Section] = []

    def new_item(key: str, first: _Row | None) -> _Item:
        created = _Item(key, section, first)
        items.append(created)
        return created

    for entry in entries:
        if isinstance(entry, PageBreak):
            active, label, pending = None, None, []
            continue
        if isinstance(entry, Section):
            section += 1
            sections.append(entry)
            section_text, sectioned = entry.text, True
            active, label, pending = None, None, []
            continue
        row = _Row(entry, sectioned=sectioned)
        rows.append(row)
        text = _text(entry)
        if not text:
            raise TableError("这一行有责任单位或完成时限，工作任务栏却是空的；"
                             "如果它属于上一行的任务，请把工作任务单元格合并", entry.location.row_only())
        printed = _printed_seq(entry)
        if printed and is_label(printed):
            label = _Label(strip_enumerator(printed) or printed)
            labels.append(label)
            for earlier in pending:
                earlier.owner.rows.remove(earlier)
                earlier.owner, earlier.category = label, label.text
                label.rows.append(earlier)
            pending = []
            active = (label.text, "label")
            row.owner, row.category = label, label.text
            label.rows.append(row)
            continue
        if printed or not numbered:
            row.seq = printed
            item = new_item(_seq_key(printed, entry.location) if printed else str(len(items) + 1), row)
            label, pending = None, []
            if active and active[1] in ("item", "label"):
                active = None                 # an item's own section and a label cover their own rows only
            heading = heading_of(text)
            if active is None and not sectioned and heading is not None:
                active = (heading, "item")
            row.owner, row.category = item, active[0] if active else section_text
            item.rows.append(row)
            continue
        if item is None:
            item = new_item("0", None)
        heading = heading_of(text) if not entry.cells["text"].is_continuation else None
        if heading is not None:
            row.heading = heading
            active, label, pending = (heading, "heading"), None, []
            for earlier in item.rows:
                if not earlier.category and not earlier.sectioned:
                    earlier.category = heading
            row.owner, row.category = item, heading
            item.rows.append(row)
            continue
        if label is not None:
            row.owner, row.category = label, label.text
            label.rows.append(row)
            continue
        row.owner, row.category = item, active[0] if active else section_text
        item.rows.append(row)
        pending.append(row)
    return rows, items, labels, sections


def _text(row: DataRow) -> str:
    return row.cells["text"].text


def _seq_key(printed: str, where: Location) -> str:
    """The N of a printed 序号: 1 → 1, 一、 → 1, （3） → 3, 1.2 → 1-2."""
    key = unicodedata.normalize("NFKC", printed).strip().strip("、.:： ").strip("()（）[]【】")
    number = chinese_number(key.removeprefix("第"))
    if number is not None:
        return str(number)
    key = re.sub(r"[^0-9A-Za-z]+", "-", key).strip("-")
    if not key:
        raise TableError(f"序号“{printed}”不是编号，读不出它属于哪一项", where.row_only())
    return key


def _name_items(items: list[_Item], sections: list[Section]) -> None:
    """N for every item: letters for a 序号 repeated in a row, a section prefix where sections renumber."""
    numbered = [item for item in items if item.first is not None and item.first.seq]
    restart = False
    last_seen: dict[str, int] = {}                  # key → index of its latest item: one pass, not n²
    for later_index, later in enumerate(numbered):
        earlier_index = last_seen.get(later.key)
        last_seen[later.key] = later_index
        if earlier_index is not None:
            earlier = numbered[earlier_index]
            if earlier_index == later_index - 1:
                continue                            # repeated right after itself: letters
            if earlier.section != later.section:
                restart = True                      # each section numbers its own items
                continue
            raise TableError(f"序号“{later.first.seq}”重复：{earlier.first.data.location.row_only()} 已经用过，"
                             f"而且两行之间隔着别的序号，无法区分；请核对序号", later.first.data.location.row_only())
    for item in items:
        if restart and item.first is not None and item.first.seq:
            item.name = f"{item.section}-{item.key}"
        else:
            item.name = item.key
    runs: list[list[_Item]] = []
    for item in numbered:
        if runs and runs[-1][-1].name == item.name:
            runs[-1].append(item)
        else:
            runs.append([item])
    for run in runs:
        if len(run) < 2:
            continue
        if restart and len({item.section for item in run}) > 1:
            continue
        if len(run) > 26:
            raise TableError(f"序号“{run[0].first.seq}”连续出现了 {len(run)} 次，无法用 a–z 区分；请核对序号",
                             run[26].first.data.location.row_only())
        for previous, item in zip(run, run[1:]):
            if _same_row(previous.first.data, item.first.data):
                raise TableError(f"这一行与 {previous.first.data.location.row_only()} 完全相同"
                                 "（序号、工作任务、责任单位、完成时限都一样），像是重复粘贴；请删去一行",
                                 item.first.data.location.row_only())
        for letter, item in zip("abcdefghijklmnopqrstuvwxyz", run):
            item.name += letter
    seen: dict[str, _Item] = {}
    for item in items:
        earlier = seen.setdefault(item.name, item)
        if earlier is not item and item.first is not None:
            where = earlier.first.data.location.row_only() if earlier.first is not None else "表格开头没有序号的行"
            raise TableError(f"序号“{item.first.seq or item.name}”重复：{where} 已经用过，无法区分；请核对序号",
                             item.first.data.location.row_only())


def _same_row(a: DataRow, b: DataRow) -> bool:
    def words(row: DataRow) -> tuple:
        return (row.cells["text"].text, row.cells["deadline"].text, tuple(cell.text for cell, _ in row.units))
    return words(a) == words(b)


@dataclass(frozen=True)
class _Part:
    text: str
    units: tuple[tuple[str, bool], ...]       # (unit paragraph, lead column)
    deadline: str
    remark: str
    number: tuple[int, int] | None


def _parts(row: _Row) -> list[_Part]:
    data = row.data
    texts = data.cells["text"].paragraphs
    deadlines = data.cells["deadline"].paragraphs
    remarks = data.cells["remark"].paragraphs if "remark" in data.cells else ()
    unit_columns = [(cell.paragraphs, lead) for cell, lead in data.units]
    longest_units = max((len(paragraphs) for paragraphs, _ in unit_columns), default=0)
    counts = (len(texts), longest_units, len(deadlines))
    if sum(1 for count in counts if count >= 2) < 2:
        return [_Part("\n".join(texts),
                      tuple((paragraph, lead) for paragraphs, lead in unit_columns for paragraph in paragraphs),
                      "\n".join(deadlines), "\n".join(remarks), None)]
    n = max(counts)
    if len(texts) == 1:
        task_texts = [texts[0]] * n
    else:
        task_texts = list(texts[:-1]) + _split_clauses(texts[-1], n - len(texts) + 1)
    parts = []
    for i in range(n):
        units = tuple((paragraphs[min(i, len(paragraphs) - 1)], lead)
                      for paragraphs, lead in unit_columns if paragraphs)
        remark = remarks[i] if len(remarks) == n else "\n".join(remarks)
        parts.append(_Part(task_texts[i], units, _nth(deadlines, i), remark, (i + 1, n)))
    return parts


def _nth(paragraphs: tuple[str, ...], i: int) -> str:
    return paragraphs[min(i, len(paragraphs) - 1)] if paragraphs else ""


def _split_clauses(paragraph: str, count: int) -> list[str]:
    """``paragraph`` in ``count`` parts at clause ends, the longest part as short as possible."""
    if count == 1:
        return [paragraph]
    ends = [i + 1 for i, ch in enumerate(paragraph[:-1]) if ch in _CLAUSE_END]
    if len(ends) < count - 1:
        pieces = [paragraph[a:b] for a, b in zip([0, *ends], [*ends, len(paragraph)])]
        pieces = [_trim_clause(p) for p in pieces]
        return pieces + [pieces[-1]] * (count - len(pieces))
    if math.comb(len(ends), count - 1) > 20000:   # a very long paragraph: take the ends nearest even cuts
        cuts = sorted({min(ends, key=lambda e: abs(e - len(paragraph) * k / count)) for k in range(1, count)})
        bounds = [0, *cuts, len(paragraph)]
        pieces = [_trim_clause(paragraph[a:b]) for a, b in zip(bounds, bounds[1:])]
        return pieces + [pieces[-1]] * (count - len(pieces))
    best: tuple[int, list[int]] | None = None

    def search(start_index: int, chosen: list[int]) -> None:
        nonlocal best
        if len(chosen) == count - 1:
            bounds = [0, *chosen, len(paragraph)]
            longest = max(b - a for a, b in zip(bounds, bounds[1:]))
            if best is None or longest < best[0]:
                best = (longest, list(chosen))
            return
        for j in range(start_index, len(ends) - (count - 2 - len(chosen))):
            search(j + 1, [*chosen, ends[j]])

    search(0, [])
    bounds = [0, *best[1], len(paragraph)]
    return [_trim_clause(paragraph[a:b]) for a, b in zip(bounds, bounds[1:])]


def _trim_clause(clause: str) -> str:
    """The comma or semicolon where a paragraph was split goes; a full stop stays with its sentence."""
    return clause.rstrip("，；").strip()


def _record(task_id: str, row: _Row, part: _Part) -> SourceTask:
    names: list[str] = []
    leads: list[str] = []
    for paragraph, lead_column in part.units:
        found, marked = split_unit_names(paragraph)
        for name in found:
            if name not in names:
                names.append(name)
            if (lead_column or name in marked) and name not in leads:
                leads.append(name)
    leader_cell = row.data.cells.get("leader")
    leader = "、".join(leader_cell.paragraphs) if leader_cell is not None else ""
    text = row.heading if row.heading is not None else part.text
    return SourceTask(
        id=task_id, seq=row.seq, category=row.category, text=text,
        unit_names=tuple(names), lead_units=tuple(leads), deadline=part.deadline, remark=part.remark,
        location=row.data.location, units_text="\n".join(paragraph for paragraph, _ in part.units),
        leader=leader, part=part.number, from_heading=row.heading is not None)
