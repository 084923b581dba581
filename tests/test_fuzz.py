"""Fuzzing the two readers of untrusted text: the deadline parser and the YAML plan loader.

Whatever the input, only a ``FupinError`` (a message for a person, with an exit code) may escape;
anything else would reach a clerk as an internal error.  The short runs are part of every test
run; ``pytest -m slow`` runs the long ones.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin_cli import phrases
from fupin_cli.domain.errors import FupinError
from fupin_cli.domain.model import Rule
from fupin_cli.plan_io.loader import load_plan, shipped_data_dir
from fupin_cli.plan_io.yaml_source import read_yaml

SHIPPED = shipped_data_dir()
TASKS_TEXT = (SHIPPED / "tasks.yaml").read_text(encoding="utf-8")
UNITS_TEXT = (SHIPPED / "units.yaml").read_text(encoding="utf-8")
SHIPPED_DEADLINES = sorted({t.deadline for t in load_plan(None).plan.tasks if t.deadline})

SHORT = settings(max_examples=300, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LONG = settings(max_examples=5000, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------- the deadline parser

VOCABULARY = [
    "每", "月", "季度", "季", "之后", "结束后", "日内", "日", "号", "天", "完成", "前", "底", "末", "年", "半年",
    "上半年", "下半年", "年内", "年底", "周", "周五", "五", "学期", "开学后", "一个月内", "个月", "首月", "上月",
    "报送", "逐月", "按月", "长期性", "常态化", "持续", "长效", "至少", "两次", "次", "次以上", "以上", "一次",
    "2018", "2019", "0", "1", "2", "10", "12", "13", "25", "28", "29", "30", "31", "32", "99", "9999", "00",
    "二〇一八", "十二", "十", "廿五", "卅", "百", "零", "〇", "两", "內", "後", "個", "週", "號", "０", "１", "２",
    "、", "，", ",", "；", ";", "。", " ", "  ", "\n", "\t", "（", "）", "-", "/", "年月日", "^", "\x00", "\u200b",
]

vocabulary_text = st.lists(st.sampled_from(VOCABULARY), max_size=14).map("".join)


@st.composite
def mutated_deadline(draw) -> str:
    text = draw(st.sampled_from(SHIPPED_DEADLINES))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(VOCABULARY) | st.text(max_size=3))
        if op == "insert":
            text = text[:at] + piece + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 5)):]
        else:
            text = text[:at] + piece + text[at + len(piece):]
    return text


phrase_inputs = st.one_of(st.text(max_size=40), vocabulary_text, mutated_deadline())
plan_years = st.integers(1970, 2100)


def parse_or_fupin_error(text: str, year: int) -> None:
    try:
        rules = phrases.parse(text, year)
    except FupinError as exc:
        assert str(exc)
        if getattr(exc, "phrase", None) is not None:
            assert 0 <= exc.position <= len(exc.phrase)
            exc.pointer()
        return
    assert isinstance(rules, tuple)
    assert all(isinstance(rule, Rule) for rule in rules)
    for rule in rules:
        phrases.describe(rule)


@SHORT
@given(phrase_inputs, plan_years)
def test_deadline_parser_raises_only_fupin_errors(text, year):
    parse_or_fupin_error(text, year)


@pytest.mark.slow
@LONG
@given(phrase_inputs, plan_years)
def test_deadline_parser_raises_only_fupin_errors_long(text, year):
    parse_or_fupin_error(text, year)


# ---------------------------------------------------------------- the YAML loader

_WORK = Path(tempfile.mkdtemp(prefix="fupin-fuzz-"))


@pytest.fixture(scope="module", autouse=True)
def _cleanup_work():
    yield
    shutil.rmtree(_WORK, ignore_errors=True)


def _plan_folder(tasks: bytes | str | None = None, units: bytes | str | None = None) -> Path:
    folder = _WORK / "plan"
    folder.mkdir(exist_ok=True)
    for name, content, default in (("tasks.yaml", tasks, TASKS_TEXT), ("units.yaml", units, UNITS_TEXT)):
        content = default if content is None else content
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def load_or_fupin_error(folder: Path) -> None:
    try:
        loaded = load_plan(folder)
    except FupinError as exc:
        assert str(exc)
        return
    assert loaded.plan.tasks is not None
    for problem in loaded.problems:
        assert isinstance(problem, FupinError)


def read_or_fupin_error(path: Path) -> None:
    try:
        read_yaml(path)
    except FupinError as exc:
        assert str(exc) and str(path) in str(exc)


YAML_PIECES = ["\n", "  ", "- ", ": ", "{", "}", "[", "]", ",", "&a ", "*a", "!!", "!!python/name:os.system", "? ",
               "|", ">", "'", '"', "#", "---", "...", "%YAML 1.1", "\t", "\ufeff", "\x00", "\xff", "id: ", "units: ",
               "plan:", "tasks:", "1.1", "2018-02-30", "~", "null", "yes", ".nan", "1e999", "0x1F", "<<: *a"]

yaml_bytes = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=4), max_size=40).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
)


@SHORT
@given(yaml_bytes)
def test_read_yaml_on_random_bytes(data):
    path = _WORK / "random.yaml"
    path.write_bytes(data)
    read_or_fupin_error(path)


@st.composite
def mutated_file(draw, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "chars", "truncate", "indent"]))
        if op == "delete":
            del lines[index]
        elif op == "duplicate":
            lines.insert(index, lines[index])
        elif op == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif op == "insert":
            lines.insert(index, draw(st.sampled_from(YAML_PIECES) | st.text(max_size=12)))
        elif op == "chars":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            piece = draw(st.sampled_from(YAML_PIECES) | st.text(max_size=3))
            lines[index] = line[:at] + piece + line[at + draw(st.integers(0, 3)):]
        elif op == "truncate":
            lines = lines[: index + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        else:
            lines[index] = draw(st.sampled_from(["", " ", "  ", "\t"])) + lines[index].lstrip()
        if not lines:
            lines = [""]
    return "\n".join(lines)


# Only the region of tasks.yaml with the header and the first tasks, so mutations land where they bite.
TASKS_HEAD = TASKS_TEXT[: TASKS_TEXT.index('  - id: "3.1"')]


@SHORT
@given(st.one_of(mutated_file(TASKS_HEAD).map(lambda t: ("tasks", t)),
                 mutated_file(UNITS_TEXT).map(lambda t: ("units", t))))
def test_load_plan_on_mutated_files(mutation):
    which, text = mutation
    load_or_fupin_error(_plan_folder(**{which: text}))


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10 ** 20, 10 ** 20) | st.floats() | st.text(max_size=12)
    | st.dates() | st.sampled_from(["1.1", "各区（县）", "金平区", "逐月完成", "择机", "2018-02-30", "every"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.text(max_size=6) | st.sampled_from(["id", "units", "every", "date", "month", "count", "members"]),
        children, max_size=3),
    max_leaves=8,
)


@st.composite
def structurally_mutated(draw, doc):
    """The parsed document with one value somewhere replaced by a random YAML value."""
    import copy

    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 3))):
        node, key = None, None
        current = doc
        for _depth in range(draw(st.integers(0, 4))):
            if isinstance(current, dict) and current:
                key = draw(st.sampled_from(sorted(current, key=str)))
            elif isinstance(current, list) and current:
                key = draw(st.integers(0, len(current) - 1))
            else:
                break
            node, current = current, current[key]
        value = draw(yaml_values)
        if node is None:
            doc = value if draw(st.booleans()) else doc
        else:
            node[key] = value
    return doc


TASKS_DOC = yaml.safe_load(TASKS_HEAD)
UNITS_DOC = yaml.safe_load(UNITS_TEXT)


def _dump(doc) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@SHORT
@given(st.one_of(structurally_mutated(TASKS_DOC).map(lambda d: ("tasks", d)),
                 structurally_mutated(UNITS_DOC).map(lambda d: ("units", d))))
def test_load_plan_on_structurally_mutated_documents(mutation):
    which, doc = mutation
    load_or_fupin_error(_plan_folder(**{which: _dump(doc)}))


@pytest.mark.slow
@LONG
@given(yaml_bytes)
def test_read_yaml_on_random_bytes_long(data):
    path = _WORK / "random.yaml"
    path.write_bytes(data)
    read_or_fupin_error(path)


@pytest.mark.slow
@LONG
@given(st.one_of(mutated_file(TASKS_TEXT).map(lambda t: ("tasks", t)),
                 mutated_file(UNITS_TEXT).map(lambda t: ("units", t))))
def test_load_plan_on_mutated_files_long(mutation):
    which, text = mutation
    load_or_fupin_error(_plan_folder(**{which: text}))


@pytest.mark.slow
@LONG
@given(st.one_of(structurally_mutated(yaml.safe_load(TASKS_TEXT)).map(lambda d: ("tasks", d)),
                 structurally_mutated(UNITS_DOC).map(lambda d: ("units", d))))
def test_load_plan_on_structurally_mutated_documents_long(mutation):
    which, doc = mutation
    load_or_fupin_error(_plan_folder(**{which: _dump(doc)}))
