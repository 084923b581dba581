"""Reading YAML plan files safely, with the file, line and column of every mapping and key.

Plan files written in plain YAML (nearly all) are read by :mod:`.yaml_plain`
without importing yaml; anything else by PyYAML's safe loader (the C one where
available), which also words every error.  Dates stay strings until the
validator parses them, so that ``2018-02-30`` is an error with a line number
rather than a crash.  Every problem becomes a :class:`PlanError`.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from ..domain.errors import PlanError
from .yaml_plain import Mapping, read_plain

__all__ = ["Mapping", "read_yaml", "read_yaml_text", "show_value", "parse_iso_date"]

MAX_FILE_BYTES = 20 * 1024 * 1024


@cache
def _loader():
    """PyYAML's safe loader that keeps dates as text and remembers where each mapping starts."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    return Loader


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
    plain = read_plain(text)
    if plain is not None:
        return plain
    return read_yaml_text(text, name)


def read_yaml_text(text: str, name: str):
    """``text`` (from the file ``name``) read by PyYAML; every problem becomes a PlanError."""
    import yaml

    loader = _loader()(text)
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


def _yaml_message(exc, text: str, mark) -> str:
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
