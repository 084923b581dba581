"""The one validator: located YAML records (tasks.yaml, units.yaml) → a :class:`Plan`.

Every error names the file, the line and the column and says in plain Chinese
what is wrong.  Deadline words are read here (through :mod:`fupin_cli.phrases`);
an unreadable one is a problem ``fupin check`` reports, not a fatal error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..domain.errors import PhraseError, PlanError
from ..domain.holidays import HOLIDAY_SHIFTS
from ..domain.model import Plan, Rule, Settings, Task, Unit
from ..domain.periods import PERIOD_KINDS
from ..domain.text import normalize_name
from ..domain.units import UnitIndex
from .loaded import LoadedPlan
from .yaml_source import Mapping, parse_iso_date, show_value


@dataclass
class _Where:
    """The file being validated, to build errors with lines."""

    file: str

    def error(self, message: str, mapping: Mapping | None = None, key: str | None = None) -> PlanError:
        line = column = None
        if mapping is not None and isinstance(mapping, Mapping):
            line, column = mapping.key_lines.get(key, (mapping.line, mapping.column)) if key else (mapping.line, mapping.column)
        return PlanError(message, file=self.file, line=line, column=column)


def build_units(path: Path, doc) -> UnitIndex:
    where = _Where(str(path))
    if not isinstance(doc, Mapping) or "units" not in doc:
        raise PlanError("单位文件应是一个映射，顶层写 units: 后接单位列表", file=where.file, line=1)
    items = doc["units"]
    if not isinstance(items, list):
        raise where.error("units: 应是一个列表（每项以 - 开头）", doc, "units")
    units: dict[str, Unit] = {}
    seen: dict[str, tuple[str, int]] = {}  # normalised name/alias -> (owner, line)
    for item in items:
        if not isinstance(item, Mapping):
            raise where.error("每个单位应是一个映射（含 name、kind 等）", doc, "units")
        name = _required_text(item, "name", where)
        kind = _optional_text(item, "kind", where) or "其他"
        aliases = _text_list(item, "aliases", where)
        members = _text_list(item, "members", where)
        line = item.line
        for label in (name, *aliases) if aliases else (name,):
            key = normalize_name(label)
            if key in seen:
                owner, first = seen[key]
                raise where.error(f"名称或别名 “{label}” 与第 {first} 行的单位 “{owner}” 重复", item,
                                  "name" if label == name else "aliases")
            seen[key] = (name, line)
        units[name] = Unit(name, kind, tuple(aliases), tuple(members), _optional_text(item, "note", where), line)
    index = UnitIndex(units.values(), labels={key: owner for key, (owner, _) in seen.items()})
    for unit in units.values():
        for member in unit.members:
            if member not in units:
                raise PlanError(f"单位组 “{unit.name}” 的成员 “{member}” 不在单位列表中{_suggest(member, index)}",
                                file=where.file, line=unit.line)
    acyclic: set[str] = set()
    for unit in units.values():
        if unit.members:  # a unit with no members is in no cycle
            _check_no_cycle(unit, units, where, acyclic)
    return index


def _check_no_cycle(unit: Unit, units: dict[str, Unit], where: _Where, acyclic: set[str]) -> None:
    """No group contains itself, through any depth; ``acyclic`` holds the units already seen to be fine.

    A unit whose every path was walked without meeting itself leads to no cycle,
    so it is not walked again: the first cycle found, and its message, are the
    same as walking every unit afresh, in linear time.
    """
    path: list[str] = []

    def visit(name: str) -> None:
        if name in acyclic:
            return
        if name in path:
            cycle = " → ".join(path[path.index(name):] + [name])
            raise PlanError(f"单位组循环包含：{cycle}", file=where.file, line=units[name].line)
        path.append(name)
        for member in units[name].members:
            visit(member)
        path.pop()
        acyclic.add(name)

    visit(unit.name)


def build_plan(path: Path, doc, units: UnitIndex, units_path: Path, key: str | None = None) -> LoadedPlan:
    """The plan in ``doc`` (read from ``path``); its key is ``key``, else the file's stem."""
    from .. import (
        phrases,  # the deadline parser is only needed when the plan is not cached
    )

    where = _Where(str(path))
    plan_key = path.stem if key is None else key
    if not isinstance(doc, Mapping):
        raise PlanError("任务文件应是一个映射，顶层写 plan: 和 tasks:", file=where.file, line=1)
    for key in ("plan", "tasks"):
        if key not in doc:
            raise PlanError(f"任务文件缺少顶层键 “{key}:”", file=where.file, line=1)
    header = doc["plan"]
    if not isinstance(header, Mapping):
        raise where.error("plan: 应是一个映射（标题、文号、有效期等）", doc, "plan")
    settings = _settings(header, where)
    valid_from = _date_field(header, "valid_from", where)
    valid_to = _date_field(header, "valid_to", where)
    if valid_to < valid_from:
        raise where.error(f"有效期结束日 {valid_to} 早于开始日 {valid_from}", header, "valid_to")
    timezone = _optional_text(header, "timezone", where) or "Asia/Shanghai"
    try:
        from zoneinfo import ZoneInfo
        ZoneInfo(timezone)
    except Exception:  # ZoneInfo raises several unrelated types for a bad key
        raise where.error(f"未知的时区 “{timezone}”（例如 Asia/Shanghai）", header, "timezone") from None
    issued = _date_field(header, "issued", where) if header.get("issued") else None

    items = doc["tasks"]
    if not isinstance(items, list):
        raise where.error("tasks: 应是一个列表（每项以 - 开头）", doc, "tasks")
    loaded = LoadedPlan(plan=None)  # type: ignore[arg-type]  # filled in below
    tasks: list[Task] = []
    ids: dict[str, tuple[str, int]] = {}
    for item in items:
        if not isinstance(item, Mapping):
            raise PlanError("每项任务应是一个映射（含 id、text、units、deadline）", file=where.file,
                            line=getattr(items, "line", None))
        task_id = _task_id(item, where)
        key = normalize_name(task_id)
        if key in ids:
            other, line = ids[key]
            same = "重复" if other == task_id else f"与 “{other}” 规范化后相同"
            raise where.error(f"任务编号 “{task_id}” {same}（第 {line} 行已使用）", item, "id")
        ids[key] = (task_id, item.line)
        text = _required_text(item, "text", where)
        unit_names = _task_units(item, where, units, units_path.name)
        deadline = _optional_text(item, "deadline", where)
        rules, explicit = _task_rules(item, deadline, valid_from.year, where, loaded, phrases)
        tasks.append(Task(
            id=task_id, seq=_optional_text(item, "seq", where),
            category=_optional_text(item, "category", where), text=text,
            units=tuple(unit_names), deadline=deadline, rules=rules,
            explicit_schedule=explicit, note=_optional_text(item, "note", where), line=item.line,
            lead=_task_lead(item, where, units, unit_names), remark=_optional_text(item, "remark", where),
            source=_task_source(item, where), plan=plan_key,
            progress_every=_progress_every(item, where) or (
                settings.progress_every if any(r.kind == "ongoing" for r in rules) else ""),
        ))
    loaded.plan = Plan(
        title=_required_text(header, "title", where), doc_no=_optional_text(header, "doc_no", where),
        issuer=_optional_text(header, "issuer", where), issued=issued,
        valid_from=valid_from, valid_to=valid_to, timezone=timezone, settings=settings,
        tasks=tuple(tasks), units=units, tasks_file=path, units_file=units_path, key=plan_key,
    )
    return loaded


def _settings(header: Mapping, where: _Where) -> Settings:
    shift = _optional_text(header, "holiday_shift", where) or "next_workday"
    if shift not in HOLIDAY_SHIFTS:
        raise where.error(f"holiday_shift “{shift}” 无效，可选：{'、'.join(HOLIDAY_SHIFTS)}", header, "holiday_shift")
    warn = header.get("warn_days", 14)
    if not isinstance(warn, int) or isinstance(warn, bool) or not 0 <= warn <= MAX_WARN_DAYS:
        raise where.error(f"warn_days 应是 0 到 {MAX_WARN_DAYS} 之间的整数，而不是{show_value(warn)}", header, "warn_days")
    starts = header.get("semester_starts", ["03-01", "09-01"])
    if not isinstance(starts, list) or len(starts) != 2:
        raise where.error("semester_starts 应是两个 MM-DD 日期的列表，如 [\"03-01\", \"09-01\"]", header, "semester_starts")
    parsed = []
    for value in starts:
        try:
            month, day = (int(part) for part in str(value).split("-"))
            date(2000, month, day)
        except ValueError:
            raise where.error(f"学期开始日 “{value}” 应写成 MM-DD，如 03-01", header, "semester_starts") from None
        parsed.append((month, day))
    if parsed[0] >= parsed[1]:
        raise where.error("semester_starts 的春季学期应早于秋季学期", header, "semester_starts")
    yellow = header.get("yellow_workdays")
    if yellow is not None and (not isinstance(yellow, int) or isinstance(yellow, bool) or not 0 <= yellow <= 366):
        raise where.error(f"yellow_workdays 应是 0 到 366 之间的整数（黄灯：几个工作日内到期），而不是{show_value(yellow)}",
                          header, "yellow_workdays")
    return Settings(holiday_shift=shift, warn_days=warn, semester_starts=tuple(parsed), yellow_workdays=yellow,
                    progress_every=_progress_every(header, where))


PROGRESS_CYCLES = ("week", "month", "quarter")


def _progress_every(mapping: Mapping, where: _Where) -> str:
    """``progress_every``: how often progress is reported (week, month, quarter), or "" when not given."""
    value = mapping.get("progress_every")
    if value is None:
        return ""
    if not isinstance(value, str) or value.strip() not in PROGRESS_CYCLES:
        raise where.error(f"progress_every 应是 week（每周）、month（每月）或 quarter（每季度）之一，"
                          f"而不是{show_value(value)}", mapping, "progress_every")
    return value.strip()


def _task_id(item: Mapping, where: _Where) -> str:
    value = item.get("id")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise where.error("任务缺少编号 id", item)
    if isinstance(value, float):
        raise where.error(f"编号 {value} 会被读成数字，请加引号，如 id: \"{value}\"", item, "id")
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise where.error("编号 id 应是一段文字", item, "id")
    text = str(value).strip()
    if re.search(r"\s", text):
        raise where.error(f"编号 “{text}” 不能含空格", item, "id")
    return text


def _task_units(item: Mapping, where: _Where, units: UnitIndex, units_file: str) -> list[str]:
    if "units" not in item or not item["units"]:
        raise where.error("任务缺少责任单位 units", item)
    raw = item["units"]
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise where.error("units 应是单位名称的列表，如 [市民政局, 各区（县）]", item, "units")
    result = []
    for name in names:
        canonical = units.lookup(name)
        if canonical is None:
            raise where.error(f"未知的责任单位 “{name}”，请先在 {units_file} 中登记{_suggest(name, units)}",
                              item, "units")
        if canonical not in result:
            result.append(canonical)
    return result


def _task_lead(item: Mapping, where: _Where, units: UnitIndex, unit_names: list[str]) -> tuple[str, ...]:
    """``lead:``: the units marked 牵头, each one of the task's own units."""
    if item.get("lead") in (None, "", []):
        return ()
    raw = item["lead"]
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise where.error("lead 应是单位名称的列表，如 [市民政局]", item, "lead")
    leads: list[str] = []
    for name in names:
        canonical = units.lookup(name)
        if canonical is None or canonical not in unit_names:
            raise where.error(f"牵头单位 “{name}” 不是这项任务的责任单位（units 中没有）", item, "lead")
        if canonical not in leads:
            leads.append(canonical)
    return tuple(leads)


_SOURCE_KEYS = {"file", "sheet", "table", "row"}


def _task_source(item: Mapping, where: _Where) -> str:
    """``source:`` — where an imported task was read — as people look it up: ``清单.xlsx:Sheet1 第7行``.

    A mapping ``{file, sheet | table, row}`` as ``fupin import`` writes it, or words written by hand.
    """
    source = item.get("source")
    if source is None or source == "":
        return ""
    if isinstance(source, str):
        return source.strip()
    if not isinstance(source, Mapping):
        raise where.error("source 应是 {file: 文件名, sheet: 工作表, row: 行号} 这样的映射", item, "source")
    unknown = set(source) - _SOURCE_KEYS
    if unknown:
        raise where.error(f"source 中有未知的键 {'、'.join(sorted(unknown))}，可用：file、sheet、table、row", source)
    file = source.get("file")
    if not isinstance(file, str) or not file.strip():
        raise where.error("source 缺少文件名 file", source)
    row = source.get("row")
    if row is None:
        raise where.error("source 缺少行号 row", source)
    if not isinstance(row, int) or isinstance(row, bool) or row < 1:
        raise where.error(f"source 的 row 应是正整数（行号），而不是{show_value(row)}", source, "row")
    sheet, table = source.get("sheet"), source.get("table")
    if sheet is not None and table is not None:
        raise where.error("source 只能写 sheet（工作表）或 table（Word 表格序号）之一", source)
    if table is not None:
        if not isinstance(table, int) or isinstance(table, bool) or table < 1:
            raise where.error(f"source 的 table 应是正整数（第几个表格），而不是{show_value(table)}", source, "table")
        return f"{file.strip()}:表{table} 第{row}行"
    if sheet is not None:
        if not isinstance(sheet, (str, int)) or isinstance(sheet, bool):
            raise where.error("source 的 sheet 应是工作表名称", source, "sheet")
        return f"{file.strip()}:{str(sheet).strip()} 第{row}行"
    return f"{file.strip()}:第{row}行"


def _task_rules(item: Mapping, deadline: str, plan_year: int, where: _Where,
                loaded: LoadedPlan, phrases) -> tuple[tuple[Rule, ...], bool]:
    if item.get("schedule"):
        return _explicit_schedule(item, plan_year, where, phrases), True
    if not deadline:
        loaded.notices.append(f"{where.file}:{item.line}: 任务 {item.get('id')} 没有完成时限，也没有 schedule，不计入到期报表")
        return (), False
    try:
        return phrases.parse(deadline, plan_year), False
    except PhraseError as exc:
        line, column = item.key_lines.get("deadline", (item.line, None))
        exc.file, exc.line, exc.column = where.file, line, column
        exc.message = f"任务 {item.get('id')} 的完成时限无法识别：{exc.message}"
        loaded.problems.append(exc)
        return (), False


# Keys of a schedule mapping (README, "Deadlines"): every (a period kind of domain.periods), date (once),
# month/day inside the period, weekday (week), after_months/after_days/workdays after that point
# (workdays: official working days, 调休 included; -1 = the last working day on or before it),
# since/until (only periods overlapping those days), count.
_RULE_KEYS = {"every", "date", "month", "day", "weekday", "after_months", "after_days", "workdays",
              "since", "until", "count"}


def _explicit_schedule(item: Mapping, plan_year: int, where: _Where, phrases) -> tuple[Rule, ...]:
    schedule = item["schedule"]
    entries = schedule if isinstance(schedule, list) else [schedule]
    rules: list[Rule] = []
    for entry in entries:
        if isinstance(entry, str):
            try:
                rules.extend(phrases.parse(entry, plan_year))
            except PhraseError as exc:
                line, column = item.key_lines.get("schedule", (item.line, None))
                raise PlanError(f"schedule 中的 “{entry}” 无法识别：{exc.message}",
                                file=where.file, line=line, column=column) from None
        elif isinstance(entry, Mapping):
            rules.append(_rule_mapping(entry, where))
        else:
            raise where.error("schedule 的每一项应是时限文字（如 每季度末）或映射（如 {every: quarter}）", item, "schedule")
    return tuple(rules)


def _rule_mapping(entry: Mapping, where: _Where) -> Rule:
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise where.error(f"schedule 中有未知的键 {'、'.join(sorted(unknown))}，可用：{'、'.join(sorted(_RULE_KEYS))}", entry)
    kind = entry.get("every")
    if kind not in PERIOD_KINDS:
        raise where.error(f"every 应是 {'、'.join(PERIOD_KINDS)} 之一，而不是 “{kind}”", entry, "every")
    ints = {}
    for key, low, high in (("month", 1, 12), ("day", 1, 31), ("weekday", 0, 6),
                           ("after_months", -12, 24), ("after_days", -366, 366), ("workdays", -23, 60),
                           ("count", 1, 1000)):
        value = entry.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise where.error(f"{key} 应是 {low} 到 {high} 之间的整数，而不是 “{value}”", entry, key)
        ints[key] = value
    due_date = None
    if kind == "once":
        if "date" not in entry:
            raise where.error("every: once 需要写 date: YYYY-MM-DD", entry)
        line, column = entry.key_lines["date"]
        due_date = _bounded(parse_iso_date(entry["date"], what="date", file=where.file, line=line, column=column),
                            "date", where, entry)
    bounds = {}
    for key in ("since", "until"):
        if entry.get(key) is not None:
            line, column = entry.key_lines[key]
            bounds[key] = _bounded(parse_iso_date(entry[key], what=key, file=where.file, line=line, column=column),
                                   key, where, entry)
    if bounds.get("since") and bounds.get("until") and bounds["until"] < bounds["since"]:
        raise where.error(f"until {bounds['until']} 早于 since {bounds['since']}", entry, "until")
    return Rule(kind=kind, date=due_date, count=ints.pop("count", 1), source="schedule", **ints, **bounds)


# ---------------------------------------------------------------- small field readers

def _required_text(mapping: Mapping, key: str, where: _Where) -> str:
    text = _optional_text(mapping, key, where)
    if not text:
        raise where.error(f"缺少 {key}", mapping)
    return text


def _optional_text(mapping: Mapping, key: str, where: _Where) -> str:
    value = mapping.get(key)
    if value.__class__ is str:  # the common case first: 20,000 units read this a hundred thousand times
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        raise where.error(f"{key} 应是一段文字", mapping, key)
    return str(value).strip()


def _text_list(mapping: Mapping, key: str, where: _Where) -> list[str]:
    value = mapping.get(key)
    if not value:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise where.error(f"{key} 应是文字的列表", mapping, key)
    return [v.strip() for v in value]


FIRST_YEAR, LAST_YEAR = 1900, 2100  # a plan's dates: anything outside is a typo, and would overflow the calendar
MAX_WARN_DAYS = 3660


def _date_field(mapping: Mapping, key: str, where: _Where) -> date:
    if key not in mapping or mapping[key] in (None, ""):
        raise where.error(f"缺少 {key}（YYYY-MM-DD）", mapping)
    line, column = mapping.key_lines[key]
    return _bounded(parse_iso_date(mapping[key], what=key, file=where.file, line=line, column=column),
                    key, where, mapping)


def _bounded(day: date, key: str, where: _Where, mapping: Mapping) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise where.error(f"{key} {day} 超出可用范围（{FIRST_YEAR} 年至 {LAST_YEAR} 年）", mapping, key)
    return day


def _suggest(name: str, units: UnitIndex) -> str:
    close = units.suggest(name)
    return f"；是否是指 {'、'.join(close)}？" if close else ""
