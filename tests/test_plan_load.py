"""Loading a plan without its cache: the validator's findings stay exactly what they were, only faster.

Group cycles are found once per unit (not by walking every group afresh), deadline words
shared by many tasks are read once per load, and each family of deadline words is compiled
only when a clause could hold it.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin_cli.domain.errors import PhraseError, PlanError
from fupin_cli.phrases import parse, read
from fupin_cli.phrases.families import FAMILIES, Family
from fupin_cli.plan_io.validate import build_units
from fupin_cli.plan_io.yaml_source import read_yaml


def units_error(tmp_path: Path, units: str) -> PlanError:
    path = tmp_path / "units.yaml"
    path.write_text(textwrap.dedent(units), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        build_units(path, read_yaml(path))
    return caught.value


@pytest.mark.parametrize("units, message, line", [
    ("""\
     units:
       - {name: 甲, kind: 其他, members: [甲]}
     """, "单位组循环包含：甲 → 甲", 2),
    ("""\
     units:
       - {name: 甲, kind: 其他, members: [乙]}
       - {name: 乙, kind: 其他, members: [丙]}
       - {name: 丙, kind: 其他, members: [甲]}
     """, "单位组循环包含：甲 → 乙 → 丙 → 甲", 2),
    # The cycle is found from the first unit that leads into it, and named from where it closes.
    ("""\
     units:
       - {name: 总, kind: 其他, members: [乙]}
       - {name: 丙, kind: 其他, members: [乙]}
       - {name: 乙, kind: 其他, members: [丙]}
     """, "单位组循环包含：乙 → 丙 → 乙", 4),
    # A group already seen to be fine (组一) is passed over on the way to the cycle after it.
    ("""\
     units:
       - {name: 组一, kind: 其他, members: [东, 西]}
       - {name: 东, kind: 其他}
       - {name: 西, kind: 其他}
       - {name: 组二, kind: 其他, members: [组一, 组三]}
       - {name: 组三, kind: 其他, members: [东, 组二]}
     """, "单位组循环包含：组二 → 组三 → 组二", 5),
])
def test_a_group_cycle_is_named_as_before(tmp_path, units, message, line):
    error = units_error(tmp_path, units)
    assert (error.message, error.line) == (message, line)
    assert error.file == str(tmp_path / "units.yaml")


def test_deep_nesting_without_a_cycle_is_fine(tmp_path):
    # 400 nested groups each holding the next and a shared leaf: walking each afresh is quadratic.
    lines = ["units:"] + [f"  - {{name: 组{i}, kind: 其他, members: [组{i + 1}, 叶]}}" for i in range(400)]
    lines += ["  - {name: 组400, kind: 其他, members: [叶]}", "  - {name: 叶, kind: 村}"]
    path = tmp_path / "units.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = build_units(path, read_yaml(path))
    assert len(index) == 402
    assert index["组0"].members == ("组1", "叶")


# ---------------------------------------------------------------- deadline families: compiled when needed

def holds_a_word(items, words: tuple[str, ...]) -> bool:
    """Whether every match of the parsed pattern ``items`` holds one of ``words`` (False: not shown)."""
    from re import _constants as c

    run = ""  # the literal characters in a row at this level
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av)
            continue
        if any(word in run for word in words):
            return True
        run = ""
        if op is c.IN and all((iop is c.LITERAL and chr(iav) in words)
                              or (iop is c.RANGE and all(chr(x) in words for x in range(iav[0], iav[1] + 1)))
                              for iop, iav in av):
            return True
        if op is c.SUBPATTERN and holds_a_word(av[-1], words):
            return True
        if op is c.BRANCH and all(holds_a_word(alt, words) for alt in av[1]):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1 and holds_a_word(av[2], words):
            return True
        if op is c.ATOMIC_GROUP and holds_a_word(av, words):
            return True
    return any(word in run for word in words)


@pytest.mark.parametrize("family", FAMILIES, ids=[f.name for f in FAMILIES])
def test_what_a_family_needs_is_in_every_match(family):
    from re import _parser

    assert family.needs, "a family without needs would be tried (and compiled) for every clause"
    parsed = _parser.parse(family.source)
    for group in family.needs:
        assert holds_a_word(parsed, group), f"{family.name}: a match can lack all of {'|'.join(group)}"


def test_the_proof_itself_can_fail():
    from re import _parser

    def holds(pattern: str, *words: str) -> bool:
        return holds_a_word(_parser.parse(pattern), words)

    assert not holds("每?月", "每")
    assert not holds("(?:每|逐)月|月后", "每", "逐")
    assert holds("(?:每|逐)月|逐年", "每", "逐")
    assert not holds("[^月]", "月")
    assert holds("每个?季度?季后", "季后")
    assert not holds("每季度?后", "季后")
    assert not holds("(?:每|逐)半年", "每半年", "逐半年")  # not shown, though true: the proof is cautious


CORPUS = yaml.safe_load((Path(__file__).parent / "fixtures" / "deadline_phrases.yaml").read_text(encoding="utf-8"))


def readings(phrases, plan_years) -> list:
    out = []
    for text, year in zip(phrases, plan_years):
        try:
            found = read(text, year)
            out.append((found.rules, found.families, found.objects, found.read_spans))
        except PhraseError as exc:
            out.append((exc.message, exc.position))
    return out


def test_trying_only_the_families_a_clause_can_hold_reads_the_corpus_the_same(monkeypatch):
    entries = CORPUS if isinstance(CORPUS, list) else next(v for v in CORPUS.values() if isinstance(v, list))
    phrases = [e["phrase"] for e in entries] + [x for f in FAMILIES for x in f.examples]
    years = [e.get("plan_year", 2018) for e in entries] + [2023] * (len(phrases) - len(entries))
    assert len(phrases) > 500
    filtered = readings(phrases, years)
    monkeypatch.setattr(Family, "may_match", lambda self, chars: True)
    assert readings(phrases, years) == filtered


def test_a_plan_compiles_only_the_families_its_words_can_need():
    import subprocess
    import sys

    code = ("from fupin_cli.phrases import parse\n"
            "from fupin_cli.phrases.families import FAMILIES\n"
            "parse('每月25日前', 2018); parse('长期性', 2018)\n"
            "print(' '.join(f.name for f in FAMILIES if 'pattern' in f.__dict__))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["日期", "每月某日", "每月", "长期性"]


def test_parsed_words_are_remembered_but_errors_are_raised_each_time():
    assert parse("每季度之后10日内完成", 2018) is parse("每季度之后10日内完成", 2018)
    for _ in range(2):
        with pytest.raises(PhraseError, match="尽快"):
            parse("尽快完成", 2018)


LIST_FAMILIES = [f for f in FAMILIES if f.more is not None]
ITEM_WORDS = ["3月底", "6月30日", "9月", "12月底前", "次年1月5日前", "5日", "15日", "月底", "上旬", "首月10日", "末月20日",
              "上半年", "三季度", "3季度", "年底", "春节前", "2019年", "10日前", "第2周", "最后1个工作日", "下旬前", "末", "底",
              "17:00前", "(周二)", "上午10时", "之前", "内"]
HEAD_WORDS = ["每年", "每月", "每季度", "每个月", "逐月", "按季", "截至", "2018年", "2018年、2019年", ""]


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(HEAD_WORDS),
       st.lists(st.tuples(st.sampled_from(ITEM_WORDS), st.sampled_from(["、", "和", "及", "与", "以及", "，", "或", ""])),
                min_size=1, max_size=5),
       st.integers(0, 3))
def test_a_list_is_matched_item_by_item_as_the_whole_pattern_would(head, items, cut):
    from fupin_cli.phrases.families import JOIN, _unnamed

    text = head + "".join(word + join for word, join in items)
    endpos = max(0, len(text) - cut)
    for family in LIST_FAMILIES:
        whole = re.compile(f"(?:{family.source})(?:{JOIN}(?:{_unnamed(family.more().pattern)}))*")
        for pos in range(len(text)):
            expected = whole.match(text, pos, endpos)
            found = family.match(text, pos, endpos)
            assert (found is None) == (expected is None), (family.name, text, pos)
            if found is not None:
                assert (found.start(), found.end(), found.group(0)) == (expected.start(), expected.end(), expected.group(0))
                if "(?P<head>" in family.source:
                    assert found.group("head") == expected.group("head")


# ---------------------------------------------------------------- yaml only for what is not plain

@pytest.mark.parametrize("tasks, imports_yaml", [
    ('- {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}', False),
    ('- &t {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}', True),   # an anchor: PyYAML reads it
])
def test_a_plain_plan_loads_without_importing_yaml(tmp_path, tasks, imports_yaml):
    import os
    import subprocess
    import sys

    from support.plans import plan_folder

    folder = plan_folder(tmp_path / "data", tasks)
    code = ("import sys\nfrom pathlib import Path\nfrom fupin_cli.plan_io.loader import load_plan\n"
            f"loaded = load_plan(Path({str(folder)!r}))\n"
            "print(len(loaded.plan.tasks), 'yaml' in sys.modules)\n")
    env = {**os.environ, "FUPIN_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.split() == ["1", str(imports_yaml)]
