"""``fupin import``: an official task table → a plan in a data folder, whole or not at all.

read the table (``plan_io.tables``) → resolve units and deadlines, keep ids
(``plan_io.importer``) → check the folder's journal → write tasks.yaml (or
plans/KEY.yaml) and units.yaml into a temporary folder, load them with the one
validator, and only then rename them into place.  Any refusal happens before
the first rename, so a failed import leaves the folder exactly as it was.

The folder's existing plan decides what an import means:

- no plan there: a new list;
- the same list (same 文号, or same title): a corrected file imported again —
  ids, hand-written schedules and notes, and the header settings are kept;
- another list: refused unless ``--force`` (then replaced, ids not matched).

A task of the old plan that the new table no longer has, and that the journal
holds completions for, would leave those completions pointing at nothing:
the import is refused, naming each such task and its count, unless
``--force``; then it goes ahead and lists them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..domain.errors import FupinError, OutputError, PlanError, UsageError
from ..domain.text import normalize_name
from ..plan_io.loader import PLANS_FOLDER  # the folder layout is the loader's

if TYPE_CHECKING:
    from ..plan_io.importer import Imported

_BAD_KEY_CHARS = set('/\\:*?"<>|')


def describe_source(file_name: str, grid: str | None) -> str:
    """清单.xlsx（工作表“任务清单”）, 清单.docx（表1）, 清单.csv."""
    if grid is None:
        return file_name
    return f"{file_name}（{grid}）" if grid.startswith("表") and grid[1:].isdigit() else f"{file_name}（工作表“{grid}”）"


def plan_file_for(folder: Path, key: str | None) -> Path:
    """Where the plan named ``key`` lives in a data folder: ``tasks.yaml`` without a key
    (the one-list layout every command reads today), ``plans/<key>.yaml`` with one.
    The one place this is decided."""
    from ..plan_io.loader import TASKS_FILE

    if key is None:
        return folder / TASKS_FILE
    return folder / PLANS_FOLDER / f"{check_plan_key(key)}.yaml"


def check_plan_key(key: str) -> str:
    """A plan key usable as a file name on every system (2019-重点任务, 2018-汕扶9号)."""
    text = key.strip()
    if not text or len(text) > 60 or text.startswith(".") or any(ch in _BAD_KEY_CHARS or ord(ch) < 32 for ch in text):
        raise UsageError(f"--plan 的值 “{key}” 不能用作清单名：请用不超过 60 个字的文字、数字和 - _，"
                         "不含 / \\ : * ? \" < > | 且不以 . 开头，如 2019-重点任务", subject="plan")
    return text


def check_year(value: int | None) -> int | None:
    if value is not None and not 1990 <= value <= 2100:
        raise UsageError(f"--year 应是四位年份，如 2019，而不是 {value}", subject="year")
    return value


@dataclass(frozen=True)
class Orphan:
    """An old task the new table drops although the journal holds completions of it."""

    task: str
    text: str
    entries: int
    reused: bool = False                   # a task of the new list has the same id: the entries now count for it


@dataclass
class ImportReport:
    """What was imported, where to, and what a person should look at."""

    file: str
    grid: str | None
    folder: Path
    plan_file: Path
    units_file: Path
    imported: "Imported"
    year_from: str                         # where the plan's year was read
    created: bool = False                  # the folder was made by this import
    same_plan: bool = False                # a corrected file of the plan already there
    replaced: str = ""                     # the title of another plan replaced with --force
    units_written: bool = False            # units.yaml was written (new units, or a new folder)
    orphans: list[Orphan] = field(default_factory=list)
    unit_changes: list[str] = field(default_factory=list)
    table_notices: list[str] = field(default_factory=list)
    journals: list[Path] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        imported = self.imported
        return bool(imported.needs_review or imported.dropped_schedules or self.orphans or self.unit_changes)


@dataclass
class _OldPlan:
    path: Path
    header: dict | None = None
    tasks: list = field(default_factory=list)
    error: str = ""                        # why it could not be read

    @property
    def title(self) -> str:
        return str((self.header or {}).get("title") or "")

    @property
    def doc_no(self) -> str:
        return str((self.header or {}).get("doc_no") or "")


def import_file(file: Path, *, into: Path, plan_key: str | None = None, sheet: str | None = None,
                year: int | None = None, force: bool = False, journal: Path | None = None,
                progress: Callable[[str], None] = lambda phase: None) -> ImportReport:
    from ..plan_io import importer
    from ..plan_io.loader import UNITS_FILE, shipped_data_dir
    from ..plan_io.tables import TableError, read_tasks

    check_year(year)
    plan_path = plan_file_for(into, plan_key)
    _check_folder(into)
    progress(f"读取 {file.name}")
    table = read_tasks(file, sheet)
    progress("识别责任单位和完成时限")

    units_path = into / UNITS_FILE
    base_units_path = units_path if units_path.exists() else shipped_data_dir() / UNITS_FILE
    units_text, units = _read_units(base_units_path)

    old = _read_old_plan(plan_path)
    fallback_title = file.stem
    same = old is not None and old.error == "" and _same_list(old, table.title or fallback_title, table.doc_no)
    replaced = ""
    if old is not None and not same:
        shown = f"《{old.title}》" + (f"（{old.doc_no}）" if old.doc_no else "") if old.title else "另一份清单"
        if old.error:
            shown = f"一份读不出来的清单（{old.error}）"
        if not force:
            key_hint = "" if plan_key else "；要与它并存，请换一个文件夹或用 --plan 清单名"
            raise OutputError(f"{plan_path} 里已有{shown}，与要导入的《{table.title or fallback_title}》不是同一份；"
                              f"要用新表替换它，加 --force{key_hint}")
        replaced = old.title or plan_path.name

    found = (year, "--year") if year is not None else importer.plan_year(table, file.name)
    if found is None and same:
        found = _old_year(old)
    if found is None:
        raise TableError("读不出清单所属的年份：标题、文号、印发日期和文件名都没有写年份；"
                         "请用 --year 指定，如 --year 2019", file.name)
    plan_year, year_from = found
    header = importer.new_header(table, plan_year, fallback_title)
    previous = _old_tasks(old.tasks) if old is not None and not old.error else []
    old_tasks = previous if same else []   # ids are matched only within the same list
    if same:
        header = _keep_header(old.header, header, window_from_old=year is None)
    imported = importer.import_table(table, units, header, old_tasks)

    progress("核对销号台账")
    journals = _journals(into, journal)
    owner = _journal_owner(into, plan_path)
    counts = _journal_counts(journals, owner)
    new_ids = {normalize_name(task.id) for task in imported.tasks}
    # Of the same list, the tasks it drops; of another list being replaced, every task with completions.
    orphans = [Orphan(task.id, task.text, counts[task.id], reused=normalize_name(task.id) in new_ids)
               for task in previous if counts.get(task.id) and (not same or normalize_name(task.id) not in new_ids)]
    if orphans and not force:
        listed = "；".join(f"{o.task}（{_short(o.text)}，{o.entries} 条）" for o in orphans[:10])
        more = f" 等 {len(orphans)} 项" if len(orphans) > 10 else ""
        raise OutputError(f"新表中没有下列任务，而销号台账（{'、'.join(str(p) for p in journals)}）里有它们的完成记录："
                          f"{listed}{more}。导入后这些记录将对不上任何任务；请核对新表，确需导入时加 --force")
    unit_changes = _unit_changes(imported, old_tasks, journals, owner)

    progress(f"写入 {into}")
    new_unit_records = importer.new_unit_records(imported.new_units, file.name)
    units_out = _units_text(units_text, units, new_unit_records, file.name, base_units_path == units_path)
    from ..plan_io.yaml_writer import TasksFile, tasks_yaml

    comment = (f"{header.title}" + (f"（{header.doc_no}）" if header.doc_no else "") + " —— 任务数据",
               "", f"由 fupin import 从 {describe_source(file.name, table.grid)} 导入。")
    tasks_out = tasks_yaml(TasksFile(header, imported.tasks, comment))
    created = not into.exists()
    _write(into, plan_path, tasks_out, units_out, created, imported)
    return ImportReport(
        file=file.name, grid=table.grid, folder=into, plan_file=plan_path, units_file=units_path,
        imported=imported, year_from=year_from, created=created, same_plan=same, replaced=replaced,
        units_written=units_out is not None, orphans=orphans, unit_changes=unit_changes,
        table_notices=[str(notice) for notice in table.notices], journals=journals)


# ---------------------------------------------------------------- the folder as it is

def _check_folder(into: Path) -> None:
    """The target is a folder, or can become one: no file stands where it or a parent should be."""
    if into.exists() and not into.is_dir():
        raise OutputError(f"{into} 已存在，而且不是文件夹；请用 --into 指定一个文件夹")
    for parent in into.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"无法创建文件夹 {into}：{parent} 是文件，不是文件夹")
            break

def _read_units(path: Path):
    from ..plan_io.validate import build_units
    from ..plan_io.yaml_source import read_yaml

    units = build_units(path, read_yaml(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:  # read_yaml has just read it; this is belt and braces
        raise PlanError(f"无法读取单位文件：{exc}", file=str(path)) from None
    return text, units


def _read_old_plan(path: Path) -> _OldPlan | None:
    from ..plan_io.yaml_source import read_yaml

    if not path.exists():
        return None
    try:
        doc = read_yaml(path)
    except PlanError as exc:
        return _OldPlan(path, error=exc.message)
    if not isinstance(doc, dict) or not isinstance(doc.get("plan"), dict) or not isinstance(doc.get("tasks"), list):
        return _OldPlan(path, error="没有 plan: 和 tasks:")
    return _OldPlan(path, header=doc["plan"], tasks=[t for t in doc["tasks"] if isinstance(t, dict)])


def _same_list(old: _OldPlan, title: str, doc_no: str) -> bool:
    if old.doc_no and doc_no:
        return normalize_name(old.doc_no) == normalize_name(doc_no)
    return bool(old.title) and normalize_name(old.title) == normalize_name(title)


def _old_tasks(items: list) -> list:
    from ..plan_io.importer import OldTask

    tasks = []
    for item in items:
        task_id = item.get("id")
        if task_id is None or isinstance(task_id, (list, dict)):
            continue
        schedule = item.get("schedule")
        entries = schedule if isinstance(schedule, list) else [schedule] if schedule else []
        units = item.get("units")
        units = [units] if isinstance(units, str) else units if isinstance(units, list) else []
        tasks.append(OldTask(
            id=str(task_id).strip(), seq=_text(item.get("seq")), text=_text(item.get("text")),
            deadline=_text(item.get("deadline")), note=_text(item.get("note")),
            schedule=tuple(dict(e) if isinstance(e, dict) else e for e in entries if isinstance(e, (str, dict))),
            units=tuple(str(u) for u in units)))
    return tasks


def _text(value) -> str:
    return "" if value is None or isinstance(value, (list, dict)) else str(value).strip()


def _old_year(old: _OldPlan) -> tuple[int, str] | None:
    from datetime import date

    try:
        return date.fromisoformat(str(old.header.get("valid_from"))).year, f"原有清单 {old.path.name} 的有效期"
    except ValueError:
        return None


def _keep_header(old: dict, new, *, window_from_old: bool):
    """The header of a re-imported list: the folder's settings and window, the table's title and 文号."""
    from dataclasses import replace
    from datetime import date

    def old_date(key: str):
        try:
            return date.fromisoformat(str(old.get(key)))
        except ValueError:
            return None

    changes: dict = {"issuer": _text(old.get("issuer")) or new.issuer}
    if window_from_old and old_date("valid_from") and old_date("valid_to"):
        changes |= {"valid_from": old_date("valid_from"), "valid_to": old_date("valid_to")}
    if new.issued is None and old_date("issued"):
        changes["issued"] = old_date("issued")
    for key in ("timezone", "holiday_shift"):
        if _text(old.get(key)):
            changes[key] = _text(old.get(key))
    if isinstance(old.get("warn_days"), int) and not isinstance(old.get("warn_days"), bool):
        changes["warn_days"] = old["warn_days"]
    starts = old.get("semester_starts")
    if isinstance(starts, list) and len(starts) == 2:
        changes["semester_starts"] = tuple(str(s) for s in starts)
    return replace(new, **changes)


# ---------------------------------------------------------------- the journal

def _journals(folder: Path, option: Path | None) -> list[Path]:
    """The folder's journal.jsonl and the journal fupin would use for this folder, if another."""
    from .context import RunContext

    paths = [folder / "journal.jsonl", RunContext(data=folder, journal=option).journal_path]
    unique: list[Path] = []
    for path in paths:
        if path.exists() and all(not _same_file(path, other) for other in unique):
            unique.append(path)
    return unique


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _journal_owner(folder: Path, plan_path: Path) -> tuple[str, str]:
    """(the key of the plan being imported, the key of the folder's first plan once it is written).

    Journal lines carry their plan's key; older lines without one belong to the
    folder's first plan, so only those completions are this plan's.
    """
    from ..plan_io.loader import PLAN_SUFFIX, TASKS_FILE

    if plan_path.name == TASKS_FILE or (folder / TASKS_FILE).exists():
        return plan_path.stem, Path(TASKS_FILE).stem
    try:
        names = [name for name in os.listdir(folder / PLANS_FOLDER)
                 if name.endswith(PLAN_SUFFIX) and not name.startswith(".")]
    except OSError:
        names = []
    return plan_path.stem, min([*names, plan_path.name])[: -len(PLAN_SUFFIX)]


def _journal_counts(paths: list[Path], owner: tuple[str, str], by_unit: bool = False) -> dict:
    """Live completions per task (or per (task, unit)) of the plan ``owner`` names, in the journals."""
    from ..journal.entries import DoneEntry, VoidEntry
    from ..journal.jsonl.reader import read_journal

    plan, first = owner
    counts: dict = {}
    for path in paths:
        entries = read_journal(path).entries
        voided = {entry.target for entry in entries if type(entry) is VoidEntry}
        for entry in entries:
            if type(entry) is DoneEntry and entry.id not in voided and (entry.plan or first) == plan:
                key = (entry.task, entry.unit) if by_unit else entry.task
                counts[key] = counts.get(key, 0) + 1
    return counts


def _unit_changes(imported, old_tasks: list, journals: list[Path], owner: tuple[str, str]) -> list[str]:
    """Units a kept task no longer names although the journal holds their completions of it."""
    if not old_tasks or not journals:
        return []
    by_task: dict[str, dict[str, int]] = {}
    for (task_id, unit), count in _journal_counts(journals, owner, by_unit=True).items():
        by_task.setdefault(task_id, {})[unit] = count
    old_units = {task.id: set(task.units) for task in old_tasks}
    found = []
    for task in imported.tasks:
        for unit, count in by_task.get(task.id, {}).items():
            if unit in old_units.get(task.id, ()) and unit not in task.units:
                found.append(f"任务 {task.id} 的责任单位不再有 {unit}，而台账中有 {unit} 的 {count} 条完成记录")
    return found


# ---------------------------------------------------------------- writing

def _units_text(base_text: str, base, records: list, file_name: str, folder_has_units: bool) -> str | None:
    """units.yaml to write: None when the folder's own file stays as it is.  New units are appended
    to the base file, its comments kept; where that cannot be done safely the file is written anew."""
    from ..plan_io.yaml_writer import UnitRecord, append_units, units_yaml

    if not records:
        return None if folder_has_units else base_text
    heading = f"导入 {file_name} 时新增，请核对类别（kind）和别名"
    appended = append_units(base_text, records, heading)
    if appended is not None:
        return appended
    kept = [UnitRecord(u.name, u.kind, u.aliases, u.members, u.note) for u in base.values()]
    return units_yaml(kept + list(records), heading="")


def _write(folder: Path, plan_path: Path, tasks_text: str, units_text: str | None, created: bool, imported) -> None:
    from ..journal.jsonl.files import describe_oserror
    from ..journal.jsonl.writer import git_attributes_text
    from ..plan_io.loader import UNITS_FILE

    relative_plan = plan_path.relative_to(folder)
    made = [parent for parent in folder.absolute().parents if not parent.exists()] if created else []
    try:
        if created:
            folder.parent.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.import-", dir=folder.parent))
        else:
            work = Path(tempfile.mkdtemp(prefix=".fupin-import-", dir=folder))
    except OSError as exc:
        _remove_empty(made)
        where = folder.parent if created else folder
        raise OutputError(f"无法写入文件夹 {where}：{describe_oserror(exc)}") from None
    try:
        try:
            (work / relative_plan).parent.mkdir(parents=True, exist_ok=True)
            (work / relative_plan).write_text(tasks_text, encoding="utf-8")
            if units_text is not None:
                (work / UNITS_FILE).write_text(units_text, encoding="utf-8")
            if created:
                (work / ".gitattributes").write_text(git_attributes_text(), encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"无法写入文件夹 {folder}：{describe_oserror(exc)}") from None
        _validate(work, relative_plan, folder, imported)
        umask = os.umask(0)
        os.umask(umask)
        for path in [work, *work.rglob("*")]:
            os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~umask)
        try:
            if created:
                os.rename(work, folder)
                return
            if units_text is not None:
                os.replace(work / UNITS_FILE, folder / UNITS_FILE)
            plan_path.parent.mkdir(exist_ok=True)
            os.replace(work / relative_plan, plan_path)
        except OSError as exc:
            raise OutputError(f"无法写入 {folder}：{describe_oserror(exc)}") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        _remove_empty(made)
        raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _remove_empty(folders: list[Path]) -> None:
    """Take back the parent folders an import made before it failed (innermost first)."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            break


def _validate(work: Path, relative_plan: Path, folder: Path, imported) -> None:
    """Load what is about to be written with the one validator: an import never leaves a plan fupin cannot read.

    Its only findings may be the deadlines the import already listed as unreadable."""
    from ..plan_io.loader import UNITS_FILE
    from ..plan_io.validate import build_plan, build_units
    from ..plan_io.yaml_source import read_yaml

    units_path = work / UNITS_FILE if (work / UNITS_FILE).exists() else folder / UNITS_FILE
    try:
        units = build_units(units_path, read_yaml(units_path))
        loaded = build_plan(work / relative_plan, read_yaml(work / relative_plan), units, units_path)
    except FupinError as exc:
        raise RuntimeError(f"导入生成的清单未通过校验：{exc}") from exc
    if len(loaded.problems) != len(imported.unreadable):
        raise RuntimeError(f"导入生成的清单有 {len(loaded.problems)} 处问题，而导入只列出了 "
                           f"{len(imported.unreadable)} 处：{[str(p) for p in loaded.problems]}")


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= 16 else text[:15] + "…"
