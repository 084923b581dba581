"""Loading a plan without its cache: the validator's findings stay exactly what they were, only faster.

Group cycles are found once per unit (not by walking every group afresh), deadline words
shared by many tasks are read once per load, and each family of deadline words is compiled
only when a clause could hold it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from fupin_cli.domain.errors import PlanError
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
