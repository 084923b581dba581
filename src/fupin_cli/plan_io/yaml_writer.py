"""Writing tasks.yaml and units.yaml in the documented format (README: "The plan").

Text out, no files: the caller decides where it goes.  The output reads like
the shipped files — one key per line, ids and 序号 quoted, unit lists in
brackets — and every scalar is written plain only where YAML reads it back as
the same text; anything else is double-quoted with escapes.  A units.yaml that
already exists is extended by appending entries (``append_units``), so the
comments and notes a clerk wrote in it stay.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

import yaml

# Characters YAML does not allow unescaped in a scalar on one line: outside YAML 1.1 "printable"
# (tab and newline aside), and the line breaks YAML knows besides newline.
_UNPRINTABLE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
_RESOLVER = yaml.resolver.Resolver()


@dataclass(frozen=True)
class HeaderRecord:
    """The ``plan:`` header."""

    title: str
    doc_no: str
    issuer: str
    issued: date | None
    valid_from: date
    valid_to: date
    timezone: str = "Asia/Shanghai"
    holiday_shift: str = "next_workday"
    warn_days: int = 14
    semester_starts: tuple[str, str] = ("03-01", "09-01")


@dataclass(frozen=True)
class TaskRecord:
    """One task as tasks.yaml holds it.  ``schedule`` is YAML data (phrases and flat mappings)."""

    id: str
    seq: str
    category: str
    text: str
    units: tuple[str, ...]
    deadline: str
    lead: tuple[str, ...] = ()
    remark: str = ""
    schedule: tuple = ()
    note: str = ""
    source: dict | None = None       # {file, sheet | table, row}


@dataclass(frozen=True)
class UnitRecord:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    note: str = ""


@dataclass
class TasksFile:
    header: HeaderRecord
    tasks: list[TaskRecord] = field(default_factory=list)
    comment: tuple[str, ...] = ()    # lines for the comment at the top


# ---------------------------------------------------------------- scalars

def plain_ok(text: str, *, flow: bool = False) -> bool:
    """Whether ``text`` can be written unquoted and read back as the same string."""
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        return False
    if flow and any(ch in text for ch in ",[]{}:?"):     # PyYAML ends a plain scalar in a flow at any of these
        return False
    if _UNPRINTABLE.search(text):
        return False
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"


def quoted(text: str) -> str:
    """A double-quoted YAML scalar: JSON's escapes, plus YAML's for what JSON leaves raw."""
    body = json.dumps(text, ensure_ascii=False)     # JSON escapes \n, \t and the C0 controls itself
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", body)


def scalar(value, *, flow: bool = False) -> str:
    """A scalar as YAML text: ints and dates as themselves, text plain where safe, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value) if not isinstance(value, date) else value.isoformat()
    text = str(value)
    return text if plain_ok(text, flow=flow) else quoted(text)


def flow_list(items) -> str:
    return "[" + ", ".join(scalar(item, flow=True) for item in items) + "]"


def flow_mapping(mapping: dict) -> str:
    return "{" + ", ".join(f"{scalar(str(key), flow=True)}: {scalar(value, flow=True)}"
                           for key, value in mapping.items()) + "}"


# ---------------------------------------------------------------- tasks.yaml

TASKS_COMMENT = """\
# 每项任务的字段（详见 README “The plan”）：
#   id        稳定编号（字符串，加引号）；销号台账按编号记录，请勿随意改
#   seq       原表“序号”栏；没有序号的行为 ""
#   category  所属工作板块；没有时为 ""
#   text      工作任务原文
#   units     责任单位，写 units.yaml 中的名称；lead 为其中的牵头单位
#   deadline  完成时限原文；schedule（可选）为显式时限规则，优先于 deadline
#   remark    原表“备注”栏
#   note      说明；“【导入】”之后是导入时写的核对事项，重新导入时会重写，请在它之前写自己的说明
#   source    导入时读自原表的哪一行（文件、工作表或表格、行号）"""


def tasks_yaml(document: TasksFile) -> str:
    header = document.header
    lines = [f"# {line}" if line else "#" for line in document.comment]
    if lines:
        lines.append("#")
    lines += TASKS_COMMENT.splitlines()
    lines += ["", "plan:"]
    lines.append(f"  title: {scalar(header.title)}")
    lines.append(f"  doc_no: {scalar(header.doc_no)}")
    lines.append(f"  issuer: {scalar(header.issuer)}")
    if header.issued is not None:
        lines.append(f"  issued: {header.issued.isoformat()}")
    lines.append(f"  valid_from: {header.valid_from.isoformat()}")
    lines.append(f"  valid_to: {header.valid_to.isoformat()}")
    lines.append(f"  timezone: {scalar(header.timezone)}")
    lines.append(f"  holiday_shift: {scalar(header.holiday_shift)}")
    lines.append(f"  warn_days: {header.warn_days}")
    lines.append(f"  semester_starts: [{', '.join(quoted(s) for s in header.semester_starts)}]")
    lines += ["", "tasks:"]
    for task in document.tasks:
        lines += _task_lines(task)
    return "\n".join(lines) + "\n"


def _task_lines(task: TaskRecord) -> list[str]:
    out = [f"  - id: {quoted(task.id)}",
           f"    seq: {quoted(task.seq)}",
           f"    category: {scalar(task.category) if task.category else quoted('')}",
           f"    text: {scalar(task.text)}",
           f"    units: {flow_list(task.units)}"]
    if task.lead:
        out.append(f"    lead: {flow_list(task.lead)}")
    out.append(f"    deadline: {scalar(task.deadline) if task.deadline else quoted('')}")
    if task.remark:
        out.append(f"    remark: {scalar(task.remark)}")
    if task.schedule:
        out.append("    schedule:")
        for entry in task.schedule:
            out.append(f"      - {flow_mapping(entry) if isinstance(entry, dict) else scalar(entry)}")
    if task.note:
        out.append(f"    note: {scalar(task.note)}")
    if task.source:
        out.append(f"    source: {flow_mapping(task.source)}")
    out.append("")
    return out


# ---------------------------------------------------------------- units.yaml

UNITS_COMMENT = """\
# 责任单位
#
# 每个单位的字段：
#   name     规范名称，tasks.yaml 的 units 只写这个名称
#   kind     市直单位 / 区县 / 镇 / 村 / 金融机构 / 群团组织 / 其他
#   aliases  别名：原表中的简称、全称等；任何别名都不能与别的单位的名称或别名重复
#   members  （可选）组的成员，如 各区（县） 代表所辖各区县，督办时逐个成员计
#   note     （可选）说明"""


def unit_lines(unit: UnitRecord, indent: str = "  ") -> list[str]:
    out = [f"{indent}- name: {scalar(unit.name)}",
           f"{indent}  kind: {scalar(unit.kind)}",
           f"{indent}  aliases: {flow_list(unit.aliases)}"]
    if unit.members:
        out.append(f"{indent}  members: {flow_list(unit.members)}")
    if unit.note:
        out.append(f"{indent}  note: {scalar(unit.note)}")
    return out


def units_yaml(units: list[UnitRecord], heading: str = "") -> str:
    lines = UNITS_COMMENT.splitlines() + ["", "units:"]
    if heading:
        lines.append(f"  # ---- {heading} ----")
    for unit in units:
        lines += unit_lines(unit)
        lines.append("")
    return "\n".join(lines) + "\n"


def append_units(text: str, units: list[UnitRecord], heading: str) -> str | None:
    """``text`` (a units.yaml) with ``units`` appended to its list, comments kept.

    Only where that is certain to land inside the list: the file's one top-level
    key is ``units`` and its list is written in block style, so everything after
    its last item is still the list.  None otherwise (write the file anew).
    """
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or len(root.value) != 1:
        return None
    key, sequence = root.value[0]
    if getattr(key, "value", None) != "units" or not isinstance(sequence, yaml.SequenceNode) \
            or sequence.flow_style or not sequence.value:
        return None
    indent = " " * sequence.start_mark.column
    lines = [f"{indent}# ---- {heading} ----"]
    for unit in units:
        lines += unit_lines(unit, indent)
        lines.append("")
    body = text if text.endswith("\n") else text + "\n"
    return body + "\n" + "\n".join(lines) + "\n"
