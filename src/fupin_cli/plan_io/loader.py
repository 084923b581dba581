"""The cached loader: a data folder (or the plan shipped in the package) → a validated plan.

The loader owns the plan cache; the validator and everything below it never
know a cache exists.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..domain.errors import PlanError
from ..domain.text import normalize_name
from .loaded import LoadedPlan, LoadedPlans

TASKS_FILE = "tasks.yaml"
UNITS_FILE = "units.yaml"
PLANS_FOLDER = "plans"  # plans/<key>.yaml: the folder's other lists, beside tasks.yaml
PLAN_SUFFIX = ".yaml"


def shipped_data_dir() -> Path:
    # The package is installed as files (setuptools never zips it), so no importlib.resources.
    return Path(__file__).resolve().parent.parent / "data"


def data_dir_from(option: Path | None) -> Path | None:
    """The data folder the user named (``--data`` or FUPIN_DATA), or None for the shipped plan."""
    if option is not None:
        return option
    env = os.environ.get("FUPIN_DATA")
    return Path(env) if env else None


def plan_files(folder: Path) -> list[Path]:
    """The plan files of a data folder, in order: ``tasks.yaml``, then ``plans/*.yaml`` by file name."""
    files = [folder / TASKS_FILE] if (folder / TASKS_FILE).exists() else []
    plans_dir = folder / PLANS_FOLDER
    try:
        names = sorted(name for name in os.listdir(plans_dir)
                       if name.endswith(PLAN_SUFFIX) and not name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        names = []
    except OSError as exc:
        raise PlanError(f"无法读取清单文件夹：{exc.strerror}", file=str(plans_dir)) from None
    files += [plans_dir / name for name in names]
    if not files:
        raise PlanError(f"找不到任务清单：数据文件夹中应有 {TASKS_FILE}，或 {PLANS_FOLDER}/ 下的清单（如 "
                        f"{PLANS_FOLDER}/2019-重点任务.yaml）", file=str(folder / TASKS_FILE))
    return files


def load_plan(data_dir: Path | None) -> LoadedPlans:
    """Every plan of a data folder (or the shipped one), validated, sharing the folder's units."""
    folder = data_dir if data_dir is not None else shipped_data_dir()
    if data_dir is not None and not folder.is_dir():
        raise PlanError("数据文件夹不存在（用 fupin init 文件夹 创建一份）", file=str(folder))
    units_path = folder / UNITS_FILE
    files = plan_files(folder)
    cache = PlanCache.for_files(folder, [*files, units_path])
    if cache is not None:
        cached = cache.load()
        if cached is not None:
            return cached
    from ..domain.plans import PlanSet, plan_key_problem
    from .validate import (  # the validator and yaml only when the plan is not cached
        build_plan,
        build_units,
    )
    from .yaml_source import read_yaml

    units = build_units(units_path, read_yaml(units_path))
    built: list[LoadedPlan] = []
    seen: dict[str, Path] = {}
    for path in files:
        key = path.stem
        problem = plan_key_problem(key)
        if problem is not None:
            raise PlanError(f"文件名不能用作清单名：{problem}；请改名", file=str(path))
        folded = normalize_name(key)
        if folded in seen:
            raise PlanError(f"清单名 “{key}” 与 {seen[folded]} 相同；每个清单的文件名须不同", file=str(path))
        seen[folded] = path
        built.append(build_plan(path, read_yaml(path), units, units_path, key=key))
    loaded = LoadedPlans(PlanSet(tuple(b.plan for b in built)),
                         problems=[p for b in built for p in b.problems],
                         notices=[n for b in built for n in b.notices])
    if cache is not None:
        loaded.times = {plan.key: plan_times(plan) for plan in loaded.plans}
        for plan in loaded.plans:
            plan.units.leaf_order()  # every group's leaves and the official order, kept in the cache with the units
        cache.store(loaded)
    return loaded


def plan_times(plan) -> tuple:
    """``plan``'s occurrences under its own holiday rule, for :attr:`LoadedPlans.times`."""
    from ..domain.holidays import HolidayCalendar
    from ..domain.schedule import Timetable

    calendar = HolidayCalendar(plan.settings.holiday_shift)
    lists, of_task = Timetable(plan, calendar).shared()
    return (calendar.shift, tuple(sorted(calendar.unknown_years)), lists, of_task)


def holiday_data() -> tuple:
    """Which official calendar the cached occurrences were worked out on: chinesecalendar's data module, by
    path, size and modification time (found without importing it)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("chinese_calendar")
        data = os.path.join(os.path.dirname(spec.origin), "constants.py")
        info = os.stat(data)
    except (AttributeError, TypeError, ImportError, OSError, ValueError):
        return ()
    return (data, info.st_size, info.st_mtime_ns)


class PlanCache:
    """A folder's validated plans as marshal data, so YAML and deadline words are read once.

    Only an optimisation, keyed on content: every file's bytes (digested), the
    paths as given and as resolved, and the code that builds plans.  A stamp
    (size, mtime, inode) can be fooled by an edit of the same length with the
    mtime put back; the bytes cannot, and digesting a plan's files costs about a
    millisecond.  The cache folder's checks (see :mod:`fupin_cli.cache`)
    decide whether a file may be read at all; marshal data never runs code.
    """

    FORMAT = 4  # 3: every plan of the folder; 4: and their occurrences

    def __init__(self, folder, name: str, key: tuple) -> None:
        self.folder = folder
        self.name = name
        self.key = key

    @classmethod
    def for_files(cls, data_folder: Path, files: list[Path]) -> "PlanCache | None":
        """The cache entry of a data folder, valid while ``files`` (its plans and units) hold these bytes."""
        from ..cache import active_cache, cache_name, code_stamp, content_digest

        folder = active_cache()
        if folder is None:
            return None
        try:
            contents = [p.read_bytes() for p in files]
        except (OSError, ValueError):
            return None  # the loader says what is missing
        from .. import __version__

        paths = [str(p.resolve()) for p in files]
        key = (cls.FORMAT, __version__, code_stamp(), holiday_data(), *map(str, files), *paths,
               *(len(data) for data in contents), *(content_digest(data) for data in contents))
        name = cache_name(str(data_folder.resolve()))
        return cls(folder, f"plan-{name}.marshal", key)

    def load(self) -> LoadedPlans | None:
        import marshal

        from ..collector import collector_paused
        from .codec import decode

        data = self.folder.read(self.name)
        if data is None:
            return None
        try:
            with collector_paused():  # a province's plan is tens of thousands of objects
                key, encoded = marshal.loads(data)
                return decode(encoded) if key == self.key else None
        except Exception:  # torn, foreign or from another version: a miss
            return None

    def store(self, loaded: LoadedPlans) -> None:
        import marshal

        from .codec import NotEncodable, encode

        try:
            data = marshal.dumps((self.key, encode(loaded)))
        except (NotEncodable, ValueError):
            return  # a plan the codec cannot hold: fine, just not cached
        self.folder.write(self.name, data)
