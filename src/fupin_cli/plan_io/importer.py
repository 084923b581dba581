"""A task table as read (``tables.SourceTable``) → the records of a plan: tasks, units, what needs review.

Pure: data in, data out; no files, no clock.

- **Units**: every name the table gives is looked up in units.yaml (names and
  aliases, 全角/半角 and spaces aside; a name in Latin letters also by pinyin)
  through :class:`~fupin_cli.domain.units.UnitIndex`.  A name not found is
  proposed as a new unit with a kind guessed from its ending (:func:`guess_kind`)
  and listed for review, with the known names it is close to.
- **Deadlines** are read with :func:`fupin_cli.phrases.parse` for the plan's
  year.  Words it cannot read stay as the task's ``deadline``, the task gets a
  note saying so, and the cell is listed with its row: nothing is guessed.
- **Ids** follow the rules of the reader (``tables.tasks``).  When the folder
  already holds this plan (a corrected file imported again), each new task is
  matched with an old one — same 序号 and same text, then same text, then same
  序号 and a text at least 60 % alike — and keeps the old id; see
  :func:`match_ids`.  A matched task also keeps its hand-written ``schedule``
  (while its deadline words are unchanged) and the hand-written part of its note.
- **Notes**: what the import has to say about a task goes after the mark
  【导入】 at the end of its note; a re-import replaces that part and keeps what
  a person wrote before it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from ..domain.errors import PhraseError
from ..domain.text import normalize_name
from ..domain.units import UnitIndex
from .tables.model import Location, SourceTable, SourceTask
from .tables.tasks import id_prefix
from .yaml_writer import HeaderRecord, TaskRecord, UnitRecord

IMPORT_MARK = "【导入】"
SIMILAR_TEXT = 0.6

# (pattern on the name, kind, the ending named in the review list); the first that matches wins.
KIND_RULES: tuple[tuple[re.Pattern, str, str], ...] = (
    (re.compile(r"(?:银行|支行|分行|信用社|农商行|信用联社|保险公司|中支)$"), "金融机构", "…银行/…支行"),
    (re.compile(r"(?:^团.*委|妇联|残联|工商联|总工会|科协|红十字会|侨联|文联)$"), "群团组织", "群团组织的名称"),
    (re.compile(r"(?:村|社区|村委会|居委会)$"), "村", "…村"),
    (re.compile(r"(?:镇|乡|街道|街道办|街道办事处|镇政府|镇人民政府)$"), "镇", "…镇/…街道"),
    (re.compile(r"(?:区|县|区政府|县政府|区人民政府|县人民政府)$"), "区县", "…区/…县"),
    (re.compile(r"^(?!市)[^市]*[区县](?:[^区县]*)(?:局|委|办)$"), "区县", "区县的…局/…委/…办"),
    (re.compile(r"(?:局|委|办|委员会|办公室)$"), "市直单位", "…局/…委/…办"),
)
OTHER_KIND = "其他"


def guess_kind(name: str) -> tuple[str, str]:
    """(kind, why) for a unit name units.yaml does not have: by its ending, else 其他."""
    for pattern, kind, why in KIND_RULES:
        if pattern.search(name):
            return kind, why
    return OTHER_KIND, "名称看不出类别"


# ---------------------------------------------------------------- what the import found

@dataclass
class NewUnit:
    """A unit name the table gives and units.yaml does not have: proposed, to be reviewed."""

    name: str
    kind: str
    why: str                                  # the ending the kind was guessed from
    first: Location                           # the first row that names it
    tasks: list[str] = field(default_factory=list)
    close: tuple[str, ...] = ()               # known names it resembles (perhaps an alias is missing)


@dataclass(frozen=True)
class Unreadable:
    task: str
    location: Location
    words: str
    message: str


@dataclass(frozen=True)
class EmptyDeadline:
    task: str
    location: Location


@dataclass
class OldTask:
    """A task of the plan already in the folder, as far as matching and carrying over need it."""

    id: str
    seq: str
    text: str
    deadline: str = ""
    schedule: tuple = ()
    note: str = ""
    units: tuple[str, ...] = ()


@dataclass
class Imported:
    """The records to write and what to tell the person who imported."""

    header: HeaderRecord
    tasks: list[TaskRecord]
    known_units: list[str]                    # units of units.yaml the list names, in first-named order
    new_units: list[NewUnit]
    unreadable: list[Unreadable]
    empty_deadlines: list[EmptyDeadline]
    kept_ids: int = 0                         # tasks matched with a task of the old plan
    renumbered: list[tuple[str, str]] = field(default_factory=list)  # (id by the rules, id given) of new tasks
    dropped_schedules: list[str] = field(default_factory=list)       # tasks whose deadline changed under a schedule

    @property
    def needs_review(self) -> bool:
        return bool(self.new_units or self.unreadable)


# ---------------------------------------------------------------- the plan's year and header

_YEAR_IN_TEXT = re.compile(r"((?:19|20)\d\d)\s*年")
_YEAR_IN_DOC_NO = re.compile(r"〔((?:19|20)\d\d)〕")
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_ISSUER_LINE = re.compile(r"^#*\s*(.{2,40}?)\s*文件$")


def plan_year(table: SourceTable, file_name: str) -> tuple[int, str] | None:
    """(year, where it was read) of the list: its title, 文号, issue date or file name; None if none says."""
    if (match := _YEAR_IN_TEXT.search(table.title)):
        return int(match.group(1)), f"标题“{table.title}”"
    if (match := _YEAR_IN_DOC_NO.search(table.doc_no)):
        return int(match.group(1)), f"文号 {table.doc_no}"
    if table.issued is not None:
        return table.issued.year, f"印发日期 {table.issued}"
    if (match := _YEAR_IN_NAME.search(file_name)):
        return int(match.group(1)), f"文件名 {file_name}"
    return None


def issuer_of(table: SourceTable) -> str:
    """The issuing body of a 红头文件: the line above the table that ends in 文件 (``汕头市扶贫开发领导小组文件``), if any."""
    for line in table.preamble:
        match = _ISSUER_LINE.match(line.strip())
        if match:
            return match.group(1).strip()
    return ""


def new_header(table: SourceTable, year: int, fallback_title: str) -> HeaderRecord:
    """The header of a newly imported list: valid from its issue date (or 1 January) to 31 December."""
    start = table.issued if table.issued is not None and table.issued.year == year else date(year, 1, 1)
    return HeaderRecord(title=table.title or fallback_title, doc_no=table.doc_no, issuer=issuer_of(table),
                        issued=table.issued, valid_from=start, valid_to=date(year, 12, 31))


# ---------------------------------------------------------------- units

class UnitResolver:
    """Names as written → units.yaml names; unknown names collected as proposed new units."""

    def __init__(self, units: UnitIndex) -> None:
        self.units = units
        self.known: dict[str, None] = {}
        self.new: dict[str, NewUnit] = {}
        self._by_key: dict[str, str] = {}

    def resolve(self, name: str, task: SourceTask, task_id: str) -> str:
        canonical = self.units.lookup(name)
        if canonical is None and name.isascii():
            matches = self.units.pinyin_matches(name)
            canonical = matches[0] if len(matches) == 1 else None
        if canonical is not None:
            self.known.setdefault(canonical)
            return canonical
        key = normalize_name(name)
        if key in self._by_key:                      # 市医保局 and 市医保局 written 全角/半角 differently
            proposed = self.new[self._by_key[key]]
        else:
            kind, why = guess_kind(name)
            proposed = NewUnit(name, kind, why, task.location.row_only(), close=self._close(name))
            self.new[name] = proposed
            self._by_key[key] = name
        if task_id not in proposed.tasks:
            proposed.tasks.append(task_id)
        return proposed.name

    def _close(self, name: str) -> tuple[str, ...]:
        """Known units whose name or alias resembles ``name``, each unit once, by its name."""
        return tuple(dict.fromkeys(self.units.lookup(label) or label for label in self.units.suggest(name)))


# ---------------------------------------------------------------- ids

def match_ids(new: list[tuple[str, str, str]], old: list[OldTask]) -> dict[int, int]:
    """new index → old index, for the tasks of a corrected list that are the old plan's tasks.

    ``new`` holds (id by the rules, 序号, text) per task.  A task's item is its
    序号, or for a row without one the item part of its id.  Passes, each taking
    only what earlier passes left, in table order: same item and same text; same
    text; same item and text at least ``SIMILAR_TEXT`` alike (best pairs first).
    """
    def item(seq: str, task_id: str) -> str:
        return seq or id_prefix(task_id)

    matched: dict[int, int] = {}
    free = set(range(len(old)))
    for keyed in (lambda seq, task_id, text: (item(seq, task_id), text), lambda seq, task_id, text: text):
        waiting: dict = {}
        for o in sorted(free):
            waiting.setdefault(keyed(old[o].seq, old[o].id, old[o].text), []).append(o)
        for n, (task_id, seq, text) in enumerate(new):
            if n in matched:
                continue
            queue = waiting.get(keyed(seq, task_id, text))
            while queue:
                o = queue.pop(0)
                if o in free:
                    matched[n] = o
                    free.discard(o)
                    break
    by_item: dict[str, list[int]] = {}
    for o in free:
        by_item.setdefault(item(old[o].seq, old[o].id), []).append(o)
    candidates = []
    for n, (task_id, seq, text) in enumerate(new):
        if n in matched:
            continue
        for o in by_item.get(item(seq, task_id), ()):
            ratio = difflib.SequenceMatcher(None, old[o].text, text, autojunk=False).ratio()
            if ratio >= SIMILAR_TEXT:
                candidates.append((-ratio, n, o))
    for _, n, o in sorted(candidates):
        if n not in matched and o in free:
            matched[n] = o
            free.discard(o)
    return matched


def assign_ids(rule_ids: list[str], matched: dict[int, int], old: list[OldTask]) -> list[str]:
    """Final ids: a matched task's old id; a new task's id by the rules unless the old plan
    used it for another task (its journal entries must not move), then the next free k of its item."""
    taken = {normalize_name(task.id) for task in old} | {normalize_name(old[o].id) for o in matched.values()}
    ids: list[str | None] = [old[matched[n]].id if n in matched else None for n in range(len(rule_ids))]
    for n, rule_id in enumerate(rule_ids):
        if ids[n] is None and normalize_name(rule_id) not in taken:
            ids[n] = rule_id
            taken.add(normalize_name(rule_id))
    for n, rule_id in enumerate(rule_ids):
        if ids[n] is not None:
            continue
        prefix = id_prefix(rule_id)
        used = [int(k) for other in [*(t.id for t in old), *(i for i in ids if i)]
                if id_prefix(other) == prefix and (k := other.rpartition(".")[2]).isdigit()]
        k = max(used, default=0) + 1
        while normalize_name(f"{prefix}.{k}") in taken:
            k += 1
        ids[n] = f"{prefix}.{k}"
        taken.add(normalize_name(ids[n]))
    return [i for i in ids if i is not None]


# ---------------------------------------------------------------- notes

def hand_note(note: str) -> str:
    """The part of a note a person wrote: everything before the import's mark."""
    return note.split(IMPORT_MARK, 1)[0].strip()


def _generated_note(task: SourceTask, units: list[str], deadline_problem: str | None,
                    new_units: list[str]) -> str:
    parts = []
    if task.part is not None:
        parts.append(f"原表一格分段，取第{task.part[0]}段（共{task.part[1]}段）")
    if task.from_heading:
        parts.append("板块标题行：本行的责任单位和完成时限属于一个子项，子项的工作任务文字表中没有")
    written = task.units_text.replace("\n", "、")
    if written and written != "、".join(units):
        parts.append(f"责任单位原文“{written}”")
    if task.leader:
        parts.append(f"牵头领导：{task.leader}")
    if new_units:
        parts.append(f"责任单位 {'、'.join(new_units)} 是导入时新增的单位，请核对 units.yaml")
    if deadline_problem is not None:
        parts.append(f"完成时限无法识别（{deadline_problem}），未计入到期报表；请改写 deadline 或加 schedule")
    elif not task.deadline:
        parts.append("原表完成时限为空，不计入到期报表")
    return IMPORT_MARK + "；".join(parts) + "。" if parts else ""


# ---------------------------------------------------------------- the whole list

def source_of(location: Location) -> dict:
    """The ``source:`` mapping of a task: file, sheet or table, row."""
    source: dict = {"file": location.file}
    if location.sheet is not None:
        source["sheet"] = location.sheet
    elif location.table is not None:
        source["table"] = location.table
    source["row"] = location.row
    return source


def import_table(table: SourceTable, units: UnitIndex, header: HeaderRecord,
                 old: list[OldTask] | None = None) -> Imported:
    """The plan records of ``table``; ``old`` is the folder's plan when this is the same list again."""
    from .. import phrases  # the deadline reader: only when a list is imported

    old = old or []
    year = header.valid_from.year
    _check_units_present(table)
    matched = match_ids([(t.id, t.seq, t.text) for t in table.tasks], old)
    ids = assign_ids([t.id for t in table.tasks], matched, old)
    resolver = UnitResolver(units)
    records: list[TaskRecord] = []
    unreadable: list[Unreadable] = []
    empty: list[EmptyDeadline] = []
    dropped_schedules: list[str] = []
    renumbered = []
    read: dict[str, str | None] = {}       # deadline words → why unreadable (None: read); lists repeat words
    for n, (task, task_id) in enumerate(zip(table.tasks, ids)):
        if n not in matched and task_id != task.id:
            renumbered.append((task.id, task_id))
        names = list(dict.fromkeys(resolver.resolve(name, task, task_id) for name in task.unit_names))
        leads = [name for name in dict.fromkeys(resolver.resolve(name, task, task_id) for name in task.lead_units)
                 if name in names]
        problem = None
        if task.deadline:
            if task.deadline not in read:
                try:
                    phrases.parse(task.deadline, year)
                    read[task.deadline] = None
                except PhraseError as exc:
                    read[task.deadline] = exc.message
            problem = read[task.deadline]
            if problem is not None:
                unreadable.append(Unreadable(task_id, task.location.row_only(), task.deadline, problem))
        else:
            empty.append(EmptyDeadline(task_id, task.location.row_only()))
        previous = old[matched[n]] if n in matched else None
        schedule: tuple = ()
        if previous is not None and previous.schedule:
            if previous.deadline == task.deadline:
                schedule = previous.schedule
            else:
                dropped_schedules.append(task_id)
        new_here = [name for name in names if name in resolver.new]
        generated = _generated_note(task, names, problem, new_here)
        written = hand_note(previous.note) if previous is not None else ""
        note = " ".join(part for part in (written, generated) if part)
        records.append(TaskRecord(
            id=task_id, seq=task.seq, category=task.category, text=task.text, units=tuple(names),
            deadline=task.deadline, lead=tuple(leads), remark=task.remark, schedule=schedule,
            note=note, source=source_of(task.location)))
    return Imported(header=header, tasks=records, known_units=list(resolver.known),
                    new_units=list(resolver.new.values()), unreadable=unreadable, empty_deadlines=empty,
                    kept_ids=len(matched), renumbered=renumbered, dropped_schedules=dropped_schedules)


def _check_units_present(table: SourceTable) -> None:
    """Every task needs a responsible unit; a row without one is refused, all such rows named."""
    missing = [task for task in table.tasks if not task.unit_names]
    if not missing:
        return
    from .tables.errors import TableError

    others = "、".join(str(task.location.row_only()) for task in missing[1:6])
    more = f"；另有 {others}" + (f" 等共 {len(missing)} 行" if len(missing) > 6 else "") if others else ""
    raise TableError(f"这一行的责任单位是空的（任务“{_short(missing[0].text)}”）{more}；"
                     "请在表中填上责任单位后再导入", missing[0].location.row_only())


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= 20 else text[:19] + "…"


def new_unit_records(new_units: list[NewUnit], file_name: str) -> list[UnitRecord]:
    """units.yaml entries for the proposed units, each with a note saying what to check."""
    records = []
    for unit in new_units:
        close = f"；若就是已有的 {'、'.join(unit.close)}，请把“{unit.name}”写成它的别名并删去本条" if unit.close else ""
        records.append(UnitRecord(
            name=unit.name, kind=unit.kind,
            note=f"{IMPORT_MARK}{file_name} 中新出现的单位（{unit.first}），类别按名称（{unit.why}）推测为{unit.kind}，请核对{close}。"))
    return records
