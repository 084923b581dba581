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
    """The validated plan as marshal data, so YAML and deadline words are read once.

    Only an optimisation, keyed on content: both files' bytes (digested), the
    paths as given and as resolved, and the code that builds plans.  A stamp
    (size, mtime, inode) can be fooled by an edit of the same length with the
    mtime put back; the bytes cannot, and digesting a plan's two files costs a
    millisecond.  The cache folder's checks (see :mod:`fupin_cli.cache`)
    decide whether a file may be read at all; marshal data never runs code.
    """

    FORMAT = 2

    def __init__(self, folder, name: str, key: tuple) -> None:
        self.folder = folder
        self.name = name
        self.key = key

    @classmethod
    def for_files(cls, tasks_path: Path, units_path: Path) -> "PlanCache | None":
        from ..cache import active_cache, cache_name, code_stamp, content_digest

        folder = active_cache()
        if folder is None:
            return None
        try:
            contents = [p.read_bytes() for p in (tasks_path, units_path)]
        except (OSError, ValueError):
            return None  # the loader says what is missing
        from .. import __version__

        paths = [str(p.resolve()) for p in (tasks_path, units_path)]
        key = (cls.FORMAT, __version__, code_stamp(), str(tasks_path), str(units_path), *paths,
               *(len(data) for data in contents), *(content_digest(data) for data in contents))
        name = cache_name("\0".join(paths))
        return cls(folder, f"plan-{name}.marshal", key)

    def load(self) -> LoadedPlan | None:
        import marshal

        from .codec import decode

        data = self.folder.read(self.name)
        if data is None:
            return None
        try:
            key, encoded = marshal.loads(data)
            if key != self.key:
                return None
            return decode(encoded)
        except Exception:  # torn, foreign or from another version: a miss
            return None

    def store(self, loaded: LoadedPlan) -> None:
        import marshal

        from .codec import NotEncodable, encode

        try:
            data = marshal.dumps((self.key, encode(loaded)))
        except (NotEncodable, ValueError):
            return  # a plan the codec cannot hold: fine, just not cached
        self.folder.write(self.name, data)
