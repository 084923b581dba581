"""Load and validate tasks.yaml and units.yaml.

Every error names the file, the line and the column and says in plain Chinese
what is wrong.  YAML is read with the safe loader only (the C one where
available); dates stay strings until we parse them ourselves, so that
``2018-02-30`` is an error with a line number rather than a crash.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from .errors import PhraseError, PlanError, UsageError
from .model import HOLIDAY_SHIFTS, PERIOD_KINDS, Plan, Rule, Settings, Task, Unit

TASKS_FILE = "tasks.yaml"
UNITS_FILE = "units.yaml"
MAX_FILE_BYTES = 20 * 1024 * 1024

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """Safe loader that keeps dates as text and remembers where each mapping starts."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class Mapping(dict):
    """A YAML mapping with the line of itself and of each key (1-based)."""

    line: int = 0
    column: int = 0
    key_lines: dict


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.column = node.start_mark.column + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):
            raise PlanError("映射的键应是一段文字，而不是列表或映射", file=loader.name,
                            line=key_node.start_mark.line + 1, column=key_node.start_mark.column + 1)
        key = str(key)
        if key in result:
            raise PlanError(f"键 “{key}” 重复出现",
                            file=loader.name, line=key_node.start_mark.line + 1,
                            column=key_node.start_mark.column + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path):
    """Read one YAML file safely; every problem becomes a PlanError naming the file."""
    name = str(path)
    try:
        if path.is_dir():
            raise PlanError("这是一个文件夹，不是 YAML 文件", file=name)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PlanError(f"文件过大（超过 {MAX_FILE_BYTES // (1024 * 1024)} MB），不像是任务清单", file=name)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlanError("找不到文件", file=name) from None
    except PlanError:
        raise
    except OSError as exc:
        raise PlanError(f"无法读取文件：{exc.strerror}", file=name) from None
    if b"\x00" in raw:
        raise PlanError("这是二进制文件，不是 YAML 文本", file=name)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # Windows Notepad writes a BOM; it carries no meaning.
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("gbk")
            hint = "；看起来是 GBK 编码，请用“另存为 UTF-8”保存后再试"
        except UnicodeDecodeError:
            pass
        raise PlanError(f"文件不是 UTF-8 编码{hint}", file=name, line=line) from None
    if not text.strip():
        raise PlanError("文件是空的", file=name)
    loader = _Loader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise PlanError(_yaml_message(exc, text, mark), file=name,
                        line=mark.line + 1 if mark else None,
                        column=mark.column + 1 if mark else None) from None
    except RecursionError:
        raise PlanError("YAML 嵌套层次太深，不像是任务清单", file=name) from None
    except yaml.YAMLError as exc:
        raise PlanError(f"YAML 格式错误：{exc}", file=name) from None
    finally:
        loader.dispose()


def _yaml_message(exc: yaml.MarkedYAMLError, text: str, mark) -> str:
    problem = exc.problem or ""
    # libyaml does not say "tab"; look at the line up to where it stopped.
    lines = text.splitlines()
    stopped_at = lines[mark.line][: mark.column + 1] if mark is not None and mark.line < len(lines) else ""
    if "tab" in problem or "\t" in stopped_at:
        return "YAML 不允许用 Tab 缩进，请改用空格"
    if "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip()
        return f"不允许的 YAML 标签 {tag}（出于安全，只接受普通的文字、数字、列表和映射）"
    return f"YAML 格式错误：{problem}" + (f"（{exc.context}）" if exc.context else "")


def show_value(value) -> str:
    """A value for a message: scalars as written, lists and mappings only named.

    Never turn a list or mapping into text: YAML aliases can make a small file
    stand for billions of characters.
    """
    if isinstance(value, list):
        return "一个列表"
    if isinstance(value, dict):
        return "一个映射"
    text = str(value)
    return f"“{text if len(text) <= 60 else text[:57] + '...'}”"


# ---------------------------------------------------------------- normalising

def normalize_name(text: str) -> str:
    """The form names are compared in: NFKC (全角 → 半角 brackets), no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def parse_iso_date(value, *, what: str, file: str, line: int, column: int | None = None) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, (list, dict)):
        raise PlanError(f"{what} 应是日期（YYYY-MM-DD），而不是{show_value(value)}", file=file, line=line, column=column)
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PlanError(f"{what} “{text}” 不是有效日期（应为 YYYY-MM-DD，且须是日历上存在的日子）",
                        file=file, line=line, column=column) from None


# ---------------------------------------------------------------- the loader

@dataclass
class _Where:
    """The file being validated, to build errors with lines."""

    file: str

    def error(self, message: str, mapping: Mapping | None = None, key: str | None = None) -> PlanError:
        line = column = None
        if mapping is not None and isinstance(mapping, Mapping):
            line, column = mapping.key_lines.get(key, (mapping.line, mapping.column)) if key else (mapping.line, mapping.column)
        return PlanError(message, file=self.file, line=line, column=column)


@dataclass
class LoadedPlan:
    """A plan plus the non-fatal findings ``fupin check`` reports."""

    plan: Plan
    problems: list[PlanError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def shipped_data_dir() -> Path:
    # The package is installed as files (setuptools never zips it), so no importlib.resources.
    return Path(__file__).resolve().parent / "data"


def data_dir_from(option: Path | None) -> Path | None:
    """The data folder the user named (``--data`` or FUPIN_DATA), or None for the shipped plan."""
    if option is not None:
        return option
    env = os.environ.get("FUPIN_DATA")
    return Path(env) if env else None


def load_plan(data_dir: Path | None) -> LoadedPlan:
    folder = data_dir if data_dir is not None else shipped_data_dir()
    if data_dir is not None and not folder.is_dir():
        raise PlanError("数据文件夹不存在（用 fupin init 文件夹 创建一份）", file=str(folder))
    units_path = folder / UNITS_FILE
    tasks_path = folder / TASKS_FILE
    cache = PlanCache.for_files(tasks_path, units_path)
    if cache is not None:
        cached = cache.load()
        if cached is not None:
            return cached
    units = _load_units(units_path, read_yaml(units_path))
    loaded = _load_tasks(tasks_path, read_yaml(tasks_path), units, units_path)
    if cache is not None:
        cache.store(loaded)
    return loaded


class PlanCache:
    """A pickle of the validated plan, so YAML and deadline words are read once.

    Only an optimisation: keyed by both files' path, size, mtime and inode and
    by fupin's version; kept in the user's cache folder (FUPIN_CACHE); anything
    unreadable, stale or not owned by this user is ignored and rebuilt.
    """

    def __init__(self, path: Path, key: tuple) -> None:
        self.path = path
        self.key = key

    @classmethod
    def for_files(cls, tasks_path: Path, units_path: Path) -> "PlanCache | None":
        if os.environ.get("FUPIN_NO_CACHE"):
            return None
        try:
            stats = [p.stat() for p in (tasks_path, units_path)]
        except OSError:
            return None  # the loader says what is missing
        from . import __version__
        from .session import cache_dir, cache_name, code_stamp

        folder = cache_dir()
        if folder is None:
            return None
        paths = [str(p.resolve()) for p in (tasks_path, units_path)]
        key = (__version__, code_stamp("plan", "phrases", "model", "errors"), *paths,
               *((s.st_size, s.st_mtime_ns, s.st_ino) for s in stats))
        name = cache_name("\0".join(paths))
        return cls(folder / f"plan-{name}.pickle", key)

    def load(self) -> LoadedPlan | None:
        import pickle

        try:
            info = self.path.stat()
            if info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None  # never unpickle what someone else could have written
            key, loaded = pickle.loads(self.path.read_bytes())
        except Exception:  # a missing, torn or foreign cache is just a miss
            return None
        return loaded if key == self.key else None

    def store(self, loaded: LoadedPlan) -> None:
        import pickle
        import tempfile

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".plan-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((self.key, loaded), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # no writable cache folder (cron, read-only home): fine, just slower


def _load_units(path: Path, doc) -> dict[str, Unit]:
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
        for label in (name, *aliases):
            key = normalize_name(label)
            if key in seen:
                owner, line = seen[key]
                raise where.error(f"名称或别名 “{label}” 与第 {line} 行的单位 “{owner}” 重复", item,
                                  "name" if label == name else "aliases")
            seen[key] = (name, item.line)
        units[name] = Unit(name=name, kind=kind, aliases=tuple(aliases), members=tuple(members),
                           note=_optional_text(item, "note", where), line=item.line)
    for unit in units.values():
        for member in unit.members:
            if member not in units:
                raise PlanError(f"单位组 “{unit.name}” 的成员 “{member}” 不在单位列表中{_suggest(member, units)}",
                                file=where.file, line=unit.line)
    for unit in units.values():
        _check_no_cycle(unit, units, where)
    return units


def _check_no_cycle(unit: Unit, units: dict[str, Unit], where: _Where) -> None:
    path: list[str] = []

    def visit(name: str) -> None:
        if name in path:
            cycle = " → ".join(path[path.index(name):] + [name])
            raise PlanError(f"单位组循环包含：{cycle}", file=where.file, line=units[name].line)
        path.append(name)
        for member in units[name].members:
            visit(member)
        path.pop()

    visit(unit.name)


def _load_tasks(path: Path, doc, units: dict[str, Unit], units_path: Path) -> LoadedPlan:
    from . import phrases  # the deadline parser is only needed once a plan is loaded

    where = _Where(str(path))
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
    lookup = unit_lookup(units)
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
        unit_names = _task_units(item, where, units, lookup)
        deadline = _optional_text(item, "deadline", where)
        rules, explicit = _task_rules(item, deadline, valid_from.year, where, loaded, phrases)
        tasks.append(Task(
            id=task_id, seq=_optional_text(item, "seq", where),
            category=_optional_text(item, "category", where), text=text,
            units=tuple(unit_names), deadline=deadline, rules=rules,
            explicit_schedule=explicit, note=_optional_text(item, "note", where), line=item.line,
        ))
    loaded.plan = Plan(
        title=_required_text(header, "title", where), doc_no=_optional_text(header, "doc_no", where),
        issuer=_optional_text(header, "issuer", where), issued=issued,
        valid_from=valid_from, valid_to=valid_to, timezone=timezone, settings=settings,
        tasks=tuple(tasks), units=units, tasks_file=path, units_file=units_path,
    )
    return loaded


def _settings(header: Mapping, where: _Where) -> Settings:
    shift = _optional_text(header, "holiday_shift", where) or "next_workday"
    if shift not in HOLIDAY_SHIFTS:
        raise where.error(f"holiday_shift “{shift}” 无效，可选：{'、'.join(HOLIDAY_SHIFTS)}", header, "holiday_shift")
    warn = header.get("warn_days", 14)
    if not isinstance(warn, int) or isinstance(warn, bool) or warn < 0:
        raise where.error(f"warn_days 应是不小于 0 的整数，而不是{show_value(warn)}", header, "warn_days")
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
    return Settings(holiday_shift=shift, warn_days=warn, semester_starts=tuple(parsed))


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


def _task_units(item: Mapping, where: _Where, units: dict[str, Unit], lookup: dict[str, str]) -> list[str]:
    if "units" not in item or not item["units"]:
        raise where.error("任务缺少责任单位 units", item)
    raw = item["units"]
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise where.error("units 应是单位名称的列表，如 [市民政局, 各区（县）]", item, "units")
    result = []
    for name in names:
        canonical = lookup.get(normalize_name(name))
        if canonical is None:
            raise where.error(f"未知的责任单位 “{name}”{_suggest(name, units)}；"
                              f"请先在 {UNITS_FILE} 中登记", item, "units")
        if canonical not in result:
            result.append(canonical)
    return result


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


_RULE_KEYS = {"every", "date", "month", "day", "weekday", "after_months", "after_days", "count"}


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
                           ("after_months", -12, 24), ("after_days", -366, 366), ("count", 1, 1000)):
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
        due_date = parse_iso_date(entry["date"], what="date", file=where.file, line=line, column=column)
    return Rule(kind=kind, date=due_date, count=ints.pop("count", 1), source="schedule", **ints)


# ---------------------------------------------------------------- small field readers

def _required_text(mapping: Mapping, key: str, where: _Where) -> str:
    text = _optional_text(mapping, key, where)
    if not text:
        raise where.error(f"缺少 {key}", mapping)
    return text


def _optional_text(mapping: Mapping, key: str, where: _Where) -> str:
    value = mapping.get(key)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        raise where.error(f"{key} 应是一段文字", mapping, key)
    return str(value).strip()


def _text_list(mapping: Mapping, key: str, where: _Where) -> list[str]:
    value = mapping.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise where.error(f"{key} 应是文字的列表", mapping, key)
    return [v.strip() for v in value]


def _date_field(mapping: Mapping, key: str, where: _Where) -> date:
    if key not in mapping or mapping[key] in (None, ""):
        raise where.error(f"缺少 {key}（YYYY-MM-DD）", mapping)
    line, column = mapping.key_lines[key]
    return parse_iso_date(mapping[key], what=key, file=where.file, line=line, column=column)


# ---------------------------------------------------------------- units

def unit_lookup(units: dict[str, Unit]) -> dict[str, str]:
    """Normalised name or alias → canonical name."""
    lookup = {}
    for unit in units.values():
        for label in (unit.name, *unit.aliases):
            lookup[normalize_name(label)] = unit.name
    return lookup


def _suggest(name: str, units: dict[str, Unit]) -> str:
    labels = [label for unit in units.values() for label in (unit.name, *unit.aliases)]
    close = difflib.get_close_matches(name, labels, n=3, cutoff=0.4)
    return f"；是否是指：{'、'.join(dict.fromkeys(close))}？" if close else ""


def resolve_unit(plan: Plan, text: str, *, option: str = "--unit") -> str:
    """A canonical unit name for what a person typed: name, alias, or pinyin (全拼 or 首字母)."""
    if not text or not text.strip():
        raise UsageError(f"{option} 不能为空")
    canonical = unit_lookup(plan.units).get(normalize_name(text))
    if canonical:
        return canonical
    matches = _pinyin_matches(plan, text)
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise UsageError(f"{option} “{text}” 可指多个单位：{'、'.join(matches)}，请写出中文名称")
    raise UsageError(f"{option}：未知的单位 “{text}”{_suggest(text, plan.units)}（fupin units 列出全部单位）")


def _pinyin_matches(plan: Plan, text: str) -> list[str]:
    query = re.sub(r"[\s'’-]", "", text).lower()
    if not query.isascii() or not query.isalpha():
        return []
    from pypinyin import Style, lazy_pinyin  # only for Latin input: keeps start-up fast

    found = []
    for unit in plan.units.values():
        for label in (unit.name, *unit.aliases):
            syllables = lazy_pinyin(label, errors="ignore")
            initials = "".join(s[0] for s in syllables if s)
            full = "".join(syllables)
            if query in (full, initials) or query == "".join(lazy_pinyin(label, style=Style.FIRST_LETTER, errors="ignore")):
                found.append(unit.name)
                break
    return found


def members_of(plan: Plan, name: str) -> list[str]:
    """The units a name stands for: itself, or a group's members (recursively)."""
    unit = plan.units[name]
    if not unit.members:
        return [name]
    result: dict[str, None] = {}  # ordered and O(1) per member: groups may hold thousands of villages
    for member in unit.members:
        result.update(dict.fromkeys(members_of(plan, member)))
    return list(result)


def groups_containing(plan: Plan, name: str) -> set[str]:
    """Every group that stands for ``name``, directly or through other groups."""
    found: set[str] = set()
    frontier = [name]
    while frontier:
        current = frontier.pop()
        for unit in plan.units.values():
            if current in unit.members and unit.name not in found:
                found.add(unit.name)
                frontier.append(unit.name)
    return found


def tasks_for_unit(plan: Plan, name: str) -> list[Task]:
    """Tasks a unit carries: assigned to it, to a group containing it, or (for a group) to a member."""
    related = {name} | groups_containing(plan, name)
    if plan.units[name].members:
        related |= set(members_of(plan, name))
    return [task for task in plan.tasks if related.intersection(task.units)]


def find_task(plan: Plan, task_id: str) -> Task:
    key = normalize_name(task_id)
    for task in plan.tasks:
        if normalize_name(task.id) == key:
            return task
    close = difflib.get_close_matches(task_id, [t.id for t in plan.tasks], n=6, cutoff=0.5)
    # Among equally close ids, those that share the item number come first (8.3 → 8.2 before R.3).
    close = sorted(close, key=lambda c: -len(os.path.commonprefix([c, task_id])))[:3]
    hint = f"；是否是指：{'、'.join(close)}？" if close else "（fupin list 列出全部任务）"
    raise UsageError(f"未知的任务编号 “{task_id}”{hint}")
