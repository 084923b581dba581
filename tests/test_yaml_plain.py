"""The plain-YAML reader against PyYAML: the same data, key order, lines and columns — or it gives up.

``read_plain`` is only allowed two answers: exactly what PyYAML's loader (the
C one, as fupin uses it) constructs, marks included, or None ("not plain": the
caller reads the text with PyYAML).  Where PyYAML raises, it must give up.
Generated documents, mutated ones and every YAML file in the repository are
read both ways.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fupin_cli.domain.errors import PlanError
from fupin_cli.plan_io.yaml_plain import RESOLVERS, TYPED_FIRST, Mapping, read_plain
from fupin_cli.plan_io.yaml_source import read_yaml, read_yaml_text

ROOT = Path(__file__).resolve().parent.parent


def pyyaml(text: str):
    """What PyYAML makes of ``text``, or the PlanError it raises."""
    try:
        return read_yaml_text(text, "x.yaml")
    except PlanError as exc:
        return exc


def difference(plain, theirs, path: str = "$") -> str | None:
    """Where ``plain`` differs from PyYAML's data (type, value, key order, mapping lines), or None."""
    if type(plain) is not type(theirs):
        return f"{path}: {type(plain).__name__} {plain!r} ≠ {type(theirs).__name__} {theirs!r}"
    if isinstance(plain, Mapping):
        if list(plain) != list(theirs):
            return f"{path}: keys {list(plain)} ≠ {list(theirs)}"
        if (plain.line, plain.column) != (theirs.line, theirs.column):
            return f"{path}: at {(plain.line, plain.column)} ≠ {(theirs.line, theirs.column)}"
        if plain.key_lines != theirs.key_lines:
            return f"{path}: key lines {plain.key_lines} ≠ {theirs.key_lines}"
        return next((d for k in plain if (d := difference(plain[k], theirs[k], f"{path}.{k}"))), None)
    if isinstance(plain, list):
        if len(plain) != len(theirs):
            return f"{path}: {len(plain)} items ≠ {len(theirs)}"
        return next((d for i, (a, b) in enumerate(zip(plain, theirs)) if (d := difference(a, b, f"{path}[{i}]"))),
                    None)
    return None if plain == theirs else f"{path}: {plain!r} ≠ {theirs!r}"


def agrees(text: str) -> None:
    """read_plain gives up, or gives exactly PyYAML's data; where PyYAML refuses, it gives up."""
    plain = read_plain(text)
    if plain is None:
        return
    theirs = pyyaml(text)
    assert not isinstance(theirs, PlanError), f"plain read {text!r}, PyYAML refused: {theirs}"
    assert difference(plain, theirs) is None, (text, difference(plain, theirs))


# ---------------------------------------------------------------- what it reads, exactly

def test_a_units_file_with_its_lines_and_columns():
    text = ("# 责任单位\n"
            "units:\n"
            "  # ---- 区县 ----\n"
            "  - name: 各区（县）\n"
            "    kind: 区县\n"
            "    aliases: [区（县）, \"各区县\", '各区（县）政府']\n"
            "    members: [金平区, 龙湖区]   # 两个\n"
            "\n"
            "  - name: \"金平区\"\n"
            "    kind: 区县\n"
            "    aliases: []\n"
            "    note:\n")
    doc = read_plain(text)
    assert doc == {"units": [
        {"name": "各区（县）", "kind": "区县", "aliases": ["区（县）", "各区县", "各区（县）政府"], "members": ["金平区", "龙湖区"]},
        {"name": "金平区", "kind": "区县", "aliases": [], "note": None}]}
    assert (doc.line, doc.column, doc.key_lines) == (2, 1, {"units": (4, 3)})
    first, second = doc["units"]
    assert (first.line, first.column) == (4, 5)
    assert first.key_lines == {"name": (4, 11), "kind": (5, 11), "aliases": (6, 14), "members": (7, 14)}
    assert second.key_lines == {"name": (9, 11), "kind": (10, 11), "aliases": (11, 14), "note": (12, 10)}
    assert difference(doc, pyyaml(text)) is None


def test_numbers_nulls_dates_flow_mappings_and_block_scalars():
    text = ("plan:\n"
            "  warn_days: 14\n"
            "  issued: 2018-04-25\n"
            "  note: ~\n"
            "tasks:\n"
            "- id: \"1.1\"\n"
            "  schedule:\n"
            "    - {every: month, workdays: -1, since: 2019-01-01}\n"
            "    - 每季度末\n"
            "  text: >-\n"
            "    第一行，\n"
            "    第二行。\n"
            "  remark: |\n"
            "    甲\n"
            "    # 不是注释\n"
            "  source: {file: '清单.xlsx', row: 7}\n")
    doc = read_plain(text)
    assert doc == {"plan": {"warn_days": 14, "issued": "2018-04-25", "note": None},
                   "tasks": [{"id": "1.1",
                              "schedule": [{"every": "month", "workdays": -1, "since": "2019-01-01"}, "每季度末"],
                              "text": "第一行， 第二行。", "remark": "甲\n# 不是注释\n",
                              "source": {"file": "清单.xlsx", "row": 7}}]}
    task = doc["tasks"][0]
    assert task.key_lines["schedule"] == (8, 5)
    assert task.key_lines["text"] == (10, 9)
    rule = task["schedule"][0]
    assert (rule.line, rule.column, rule.key_lines) == (8, 7, {"every": (8, 15), "workdays": (8, 32), "since": (8, 43)})
    assert task["source"].key_lines == {"file": (16, 18), "row": (16, 34)}
    assert difference(doc, pyyaml(text)) is None


def test_escapes_in_double_quotes_are_read_as_yaml_reads_them():
    text = 'a: "引号\\"、反斜杠\\\\、换行\\n、制表\\t、\\u4e2d"\n'
    assert read_plain(text) == {"a": '引号"、反斜杠\\、换行\n、制表\t、中'}
    agrees(text)


def test_windows_line_breaks():
    text = "units:\r\n  - name: 甲\r\n    kind: 村\r\n"
    assert read_plain(text) == {"units": [{"name": "甲", "kind": "村"}]}
    agrees(text)


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",                       # anchors and aliases
    "a: !!str 1\n",                           # tags
    "a: yes\n", "a: [on, off]\n",             # YAML 1.1 bools
    "a: 1.5\n", "a: 0x1f\n", "a: 010\n", "a: 1_000\n", "a: .inf\n",  # numbers other than decimals
    "<<: {a: 1}\n",                           # merge keys
    "a: 1\na: 2\n",                           # a duplicate key: PyYAML words it
    "a:\n\tb: 1\n", "a: 甲\tb\n",             # tabs
    "a: 第一行\n  第二行\n",                   # text over two lines
    "a: [1,\n  2]\n",                         # a flow over two lines
    "a: \"未完\n  续\"\n",
    "a: >+\n  甲\n", "a: >2\n  甲\n",          # block scalars kept or with an indent
    "a: |\n  甲\n\n  乙\n",                     # a blank line inside one
    "a: |\n  甲\n    乙\n",                    # a more-indented line
    "a: |\n  甲",                              # its last line without a line break
    "--- \na: 1\n", "%YAML 1.1\n---\na: 1\n",  # documents and directives
    "? a\n: 1\n",                             # complex keys
    "- - a\n",                                # a list in a list on one line
    "a: b: c\n",                              # mapping values where text belongs
    "a: \"x\" y\n",
    "a: \"\\x41\"\n", "a: \"\\/\"\n",       # escapes other than JSON's
    "a: \"\\ud83d\\ude00\"\n",                # surrogate escapes
    "甲\n",                                    # a scalar document
    "# only a comment\n",
    "a: 1\u2028b: 2\n", "a: \x85\n", "a: \x07\n",  # line breaks YAML 1.1 knows, non-printables
])
def test_gives_up_where_pyyaml_must_decide(text):
    assert read_plain(text) is None


def test_a_duplicate_key_is_still_worded_by_pyyaml_with_its_line(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text("units:\n  - name: 甲\n    kind: 村\n    name: 乙\n", encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        read_yaml(path)
    assert (caught.value.message, caught.value.line, caught.value.column) == ("键 “name” 重复出现", 4, 5)


def test_the_implicit_types_are_pyyamls():
    theirs, firsts = {}, set()
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        for tag, rx in resolvers:
            if tag != "tag:yaml.org,2002:timestamp":
                theirs[tag.rsplit(":", 1)[1]] = re.sub(r"\s+", "", rx.pattern)  # verbose patterns, no spaces in classes
                firsts.update(first)
    assert RESOLVERS == theirs
    assert TYPED_FIRST == firsts


# ---------------------------------------------------------------- every YAML file of the repository

YAML_FILES = sorted(p for p in ROOT.glob("**/*.yaml") if ".venv" not in p.parts and "out" not in p.parts)
MUST_BE_PLAIN = {"src/fupin_cli/data/tasks.yaml", "src/fupin_cli/data/units.yaml",
                 "tests/golden/city/tasks.yaml", "tests/golden/city/units.yaml"}


@pytest.mark.parametrize("path", YAML_FILES, ids=[str(p.relative_to(ROOT)) for p in YAML_FILES])
def test_repository_yaml_files(path):
    text = path.read_text(encoding="utf-8-sig")
    if str(path.relative_to(ROOT)) in MUST_BE_PLAIN:
        assert read_plain(text) is not None  # the fast path is the one these take
    agrees(text)


def test_the_files_fupin_writes_are_plain():
    from fupin_cli.plan_io.yaml_writer import (
        HeaderRecord,
        TaskRecord,
        TasksFile,
        UnitRecord,
        tasks_yaml,
        units_yaml,
    )

    units = units_yaml([UnitRecord("市民政局", "市直单位", ("民政局",)),
                        UnitRecord("各镇", "镇", ("镇: 党委", "yes"), ("甲镇", "乙镇"), note="多行\n说明 #1")])
    tasks = tasks_yaml(TasksFile(HeaderRecord("清单", "文号", "发文", date(2018, 4, 25), date(2018, 4, 25),
                                              date(2018, 12, 31)),
                                 [TaskRecord("1.1", "1", "", "任务：做好\"两不愁\"", ("市民政局",), "每月25日前",
                                             schedule=({"every": "month", "day": 25}, "每季度末"),
                                             source={"file": "表.xlsx", "sheet": "Sheet1", "row": 3})]))
    for text in (units, tasks):
        assert read_plain(text) is not None
        agrees(text)


# ---------------------------------------------------------------- generated documents

ALPHABET = list("甲乙市局（）、，。：:#-'\" \\ab0123456789.!&*[]{}|>%@`?~=+_\t\n") + ["\u2028", "\x85", "é", "😀"]
KEYS = ["name", "kind", "aliases", "id", "units", "note", "a", "b_1", "k k", "名称", "yes", "null", "1", "2018",
        "on", "<<", "~", "-x", "a:b", "a#b"]
WORDS = ["甲", "市民政局", "各区（县）", "14", "-1", "007", "1.5", "2018-04-25", "yes", "No", "null", "~", "true",
         "a: b", "a:b", "# x", "x #y", "[", "]", "{", "}", ",", "-", "- x", "&a", "*a", "!x", "|", ">", "'", '"',
         "\\", "é", "", " ", "  甲", "甲  ", "%", "@", "`", "?", "=", "<<", ".inf"]

text_atoms = st.one_of(st.sampled_from(WORDS), st.text(alphabet=st.sampled_from(ALPHABET), max_size=8))


@st.composite
def scalars(draw, flow: bool = False):
    """A scalar written in some style (not always valid YAML, on purpose)."""
    text = draw(text_atoms)
    style = draw(st.sampled_from(["plain", "double", "json", "single"] + ([] if flow else ["block"])))
    if style == "plain":
        return text
    if style == "double":
        return '"' + text + '"'
    if style == "json":
        return json.dumps(text, ensure_ascii=draw(st.booleans()))
    if style == "single":
        return "'" + (text.replace("'", "''") if draw(st.booleans()) else text) + "'"
    lines = draw(st.lists(text_atoms, min_size=1, max_size=3))
    return (draw(st.sampled_from(BLOCK_HEADERS)), lines)


@st.composite
def flow_lists(draw):
    items = draw(st.lists(scalars(flow=True), max_size=4))
    return "[" + draw(st.sampled_from([", ", ",", " , ", ""])).join(items) + "]"


@st.composite
def flows(draw):
    if draw(st.booleans()):
        return draw(flow_lists())
    keys = draw(st.lists(st.sampled_from(KEYS), max_size=3))
    values = [draw(st.one_of(scalars(flow=True), flow_lists())) for _ in keys]
    return "{" + draw(st.sampled_from([", ", ",", " , "])).join(f"{k}: {v}" for k, v in zip(keys, values)) + "}"


def nodes():
    leaf = st.one_of(scalars(), flows(), st.none())
    return st.recursive(leaf, lambda children: st.one_of(
        st.lists(st.tuples(st.sampled_from(KEYS), children), min_size=1, max_size=4).map(lambda kv: ("map", kv)),
        st.lists(children, min_size=1, max_size=4).map(lambda items: ("seq", items))), max_leaves=12)


BLOCK_HEADERS = (">", ">-", "|", "|-", ">+", "|2")


@st.composite
def documents(draw):
    """A YAML text from a random tree: indents, indentless lists, comments and blank lines vary."""

    def extra() -> list[str]:
        return [draw(st.sampled_from(["", "   ", "# 注释", "  # 注释", "#"]))] if draw(st.integers(0, 6)) == 0 else []

    def render(node, indent: int, first_inline: bool = False) -> list[str]:
        kind, children = node
        out: list[str] = []
        for index, (key, child) in enumerate(children if kind == "map" else [(None, c) for c in children]):
            if not (first_inline and index == 0):
                out += extra()
            lead = " " * indent + (f"{key}:" if kind == "map" else "-")
            comment = draw(st.sampled_from(["", "", "", "  # 说明", " #x"]))
            if child is None or isinstance(child, str):
                out.append(lead + (" " + child if child else "") + comment)
            elif child[0] in BLOCK_HEADERS:
                out.append(f"{lead} {child[0]}{comment}")
                step = draw(st.integers(1, 3))
                out += [" " * (indent + step) + line for line in child[1]]
            elif kind == "seq" and child[0] == "map" and draw(st.booleans()):
                inner = render(child, indent + draw(st.integers(2, 4)), first_inline=True)  # "- key: value"
                out.append(lead + " " + inner[0].lstrip(" "))
                out += inner[1:]
            else:
                out.append(lead + comment)
                low = 0 if kind == "map" and child[0] == "seq" else 1  # indentless lists under a key
                out += render(child, indent + draw(st.integers(low, 4)))
        return out

    root = draw(nodes())
    if not (isinstance(root, tuple) and root[0] in ("map", "seq")):
        root = ("map", [("a", root)])
    return "\n".join(render(root, draw(st.sampled_from([0, 0, 0, 2])))) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents())
@example("units:\n- name: 甲\n  aliases:\n  - 乙\n")
@example("a:\n  - 1\n  -\n  - {x: 1}\nb:\n")
def test_generated_documents(text):
    agrees(text)


SEEDS = [
    (ROOT / "src/fupin_cli/data/units.yaml").read_text(encoding="utf-8")[:3000],
    (ROOT / "src/fupin_cli/data/tasks.yaml").read_text(encoding="utf-8")[3000:7000],
    "units:\n  - {name: 甲局, kind: 市直单位, aliases: [甲]}\n  - {name: 各区, kind: 区县, members: [\"东区\", 西区]}\n",
    "plan:\n  title: 清单\n  warn_days: 14\n  semester_starts: [\"03-01\", \"09-01\"]\ntasks:\n"
    "  - id: \"1\"\n    units: [甲]\n    schedule:\n      - {every: once, date: 2018-09-30}\n    note: >-\n      说明\n"
    "      续\n",
]
MUTATIONS = list(":-#\"'[]{},>|&*!?% \t\n\\") + ["  ", "- ", ": ", " #", "\n  ", "\r", "\u2028"]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["insert", "delete", "indent"]),
                                                  st.sampled_from(MUTATIONS)), min_size=1, max_size=3))
def test_mutated_documents(seed, mutations):
    text = seed
    for where, how, what in mutations:
        at = int(where * len(text))
        if how == "insert":
            text = text[:at] + what + text[at:]
        elif how == "delete":
            text = text[:at] + text[at + 1:]
        else:  # one more or one less space at the start of the line
            start = text.rfind("\n", 0, at) + 1
            text = text[:start] + (" " if what != " " else "") + text[start + (what == " "):]
    agrees(text)
