"""The cached loader: a data folder (or the plan shipped in the package) → a validated plan.

The loader owns the plan cache; the validator and everything below it never
know a cache exists.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..domain.errors import PlanError
from .loaded import LoadedPlan

TASKS_FILE = "tasks.yaml"
UNITS_FILE = "units.yaml"


def shipped_data_dir() -> Path:
    # The package is installed as files (setuptools never zips it), so no importlib.resources.
    return Path(__file__).resolve().parent.parent / "data"


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
    from .validate import (  # the validator and yaml only when the plan is not cached
        build_plan,
        build_units,
    )
    from .yaml_source import read_yaml

    units = build_units(units_path, read_yaml(units_path))
    loaded = build_plan(tasks_path, read_yaml(tasks_path), units, units_path)
    if cache is not None:
        cache.store(loaded)
    return loaded


class PlanCache:
    """A pickle of the validated plan, so YAML and deadline words are read once.

    Only an optimisation: keyed by both files' path, size, mtime and inode and
    by the code that builds plans; kept in the user's cache folder
    (FUPIN_CACHE); anything unreadable, stale or not owned by this user is
    ignored and rebuilt.
    """

    def __init__(self, path: Path, key: tuple) -> None:
        self.path = path
        self.key = key

    @classmethod
    def for_files(cls, tasks_path: Path, units_path: Path) -> "PlanCache | None":
        from ..cache import active_cache_dir, cache_name, code_stamp

        folder = active_cache_dir()
        if folder is None:
            return None
        try:
            stats = [p.stat() for p in (tasks_path, units_path)]
        except OSError:
            return None  # the loader says what is missing
        from .. import __version__

        paths = [str(p.resolve()) for p in (tasks_path, units_path)]
        key = (__version__, code_stamp(), *paths, *((s.st_size, s.st_mtime_ns, s.st_ino) for s in stats))
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
