"""Tiny plans and journals written inline in a test, so a test shows everything it depends on.

    plan = make_plan('''
      - {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}
    ''')
    folder = plan_folder(tmp_path, TASKS, units=UNITS)     # for CLI tests: --data folder
    write_journal(path, [done("1", "甲局", "2018-07", "2018-07-03")])

Tasks are a YAML list (the ``tasks:`` of tasks.yaml); the header defaults to a
plan valid through 2018 with the shipped settings; units default to 甲局, 乙局
and the group 各区 of 东区 and 西区.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

HEADER = """\
plan:
  title: 测试清单
  doc_no: 测试〔2018〕1号
  issuer: 测试办
  issued: 2018-01-01
  valid_from: {valid_from}
  valid_to: {valid_to}
  timezone: Asia/Shanghai
  holiday_shift: {holiday_shift}
  warn_days: {warn_days}
"""

UNITS = """\
units:
  - {name: 甲局, kind: 市直单位, aliases: [甲]}
  - {name: 乙局, kind: 市直单位}
  - {name: 各区, kind: 区县, members: [东区, 西区]}
  - {name: 东区, kind: 区县}
  - {name: 西区, kind: 区县}
"""


def tasks_yaml(tasks: str, *, valid_from: str = "2018-01-01", valid_to: str = "2018-12-31",
               holiday_shift: str = "next_workday", warn_days: int = 14, header: str | None = None) -> str:
    head = header if header is not None else HEADER.format(valid_from=valid_from, valid_to=valid_to,
                                                          holiday_shift=holiday_shift, warn_days=warn_days)
    return head + "tasks:\n" + textwrap.indent(textwrap.dedent(tasks).strip("\n"), "  ") + "\n"


def plan_folder(folder: Path, tasks: str, *, units: str = UNITS, **header) -> Path:
    """A data folder with tasks.yaml (from the inline ``tasks`` list) and units.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tasks.yaml").write_text(tasks_yaml(tasks, **header), encoding="utf-8")
    (folder / "units.yaml").write_text(textwrap.dedent(units), encoding="utf-8")
    return folder


def add_plan(folder: Path, key: str, tasks: str, *, title: str | None = None, **header) -> Path:
    """Another list in a data folder: ``plans/KEY.yaml`` (from the inline ``tasks`` list)."""
    text = tasks_yaml(tasks, **header)
    if title is not None:
        text = text.replace("title: 测试清单", f"title: {title}", 1)
    path = folder / "plans" / f"{key}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_plan(tasks: str, *, units: str = UNITS, folder: Path | None = None, **header):
    """The validated plan of an inline task list (through the real loader, without any cache)."""
    import tempfile

    from fupin_cli.plan_io.validate import build_plan, build_units
    from fupin_cli.plan_io.yaml_source import read_yaml

    with tempfile.TemporaryDirectory() as tmp:
        where = plan_folder(folder or Path(tmp), tasks, units=units, **header)
        loaded = build_plan(where / "tasks.yaml", read_yaml(where / "tasks.yaml"),
                            build_units(where / "units.yaml", read_yaml(where / "units.yaml")), where / "units.yaml")
    if loaded.problems:
        raise AssertionError(f"the inline plan has problems: {[str(p) for p in loaded.problems]}")
    return loaded.plan


def done(task: str, unit: str, period: str, date: str, *, id: str | None = None, by: str = "",
         note: str = "", plan: str | None = None) -> dict:
    """A ``done`` line as fupin writes it (ids made from the arguments, so they sort by date).

    Without ``plan`` the line is one written before entries carried their plan's key.
    """
    suffix = abs(hash((plan, task, unit, period))) % 16**6
    record = {"id": id or f"{date.replace('-', '')}T000000.000000Z-{suffix:06x}", "op": "done",
              "task": task, "unit": unit, "period": period, "date": date,
              "recorded_at": f"{date}T10:00:00+08:00", "by": by, "note": note}
    if plan is not None:
        record = {"id": record.pop("id"), "op": record.pop("op"), "plan": plan, **record}
    return record


def void(target: str, *, id: str, reason: str = "") -> dict:
    return {"id": id, "op": "void", "target": target, "recorded_at": "", "by": "", "note": reason}


def write_journal(path: Path, records: list[dict]) -> Path:
    """A journal file holding ``records``, one compact JSON line each, as fupin writes them."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records),
                    encoding="utf-8")
    return path
