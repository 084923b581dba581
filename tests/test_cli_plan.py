"""The plan as data: list, units, info, init, check, through the CLI."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from conftest import SEED
from support import shipped

DISTRICTS = list(shipped.DISTRICTS)
COMMANDS = ["list", "show", "units", "info", "init", "check", "explain", "calendar", "done", "undo", "journal",
            "due", "overdue"]


def seed_table_lines() -> list[tuple[str, str, str, str]]:
    """(序号, 工作任务, 责任单位, 完成时限) for every non-header line of the seed's table."""
    lines = SEED.read_text(encoding="utf-8").split("# 2018年汕头市脱贫攻坚主要任务清单", 1)[1].splitlines()
    rows = []
    for line in lines:
        cells = line.split("\t")
        if len(cells) < 3 or cells[0] == "序号":
            continue
        rows.append(tuple((cells + [""] * 4)[:4]))
    return rows


def paragraphs(cell: str) -> list[str]:
    found = re.findall(r"<p>(.*?)</p>", cell)
    return [p.strip() for p in found] if found else [cell.strip()]


def test_list_json_has_every_task_once(fupin):
    result = fupin("list", "--format", "json")
    assert result.code == 0, result.err
    tasks = result.json()
    assert len(tasks) == shipped.TASK_COUNT
    assert len({t["id"] for t in tasks}) == shipped.TASK_COUNT
    assert set(tasks[0]) >= {"id", "seq", "category", "text", "units", "deadline"}
    first = tasks[0]
    assert first["id"] == "1.1" and first["seq"] == "1" and first["units"] == ["各区（县）"]
    assert first["deadline"] == "每年年底前，完成市下达给各区（县）的脱贫任务"


@pytest.mark.skipif(not SEED.exists(), reason="the seed (../shared/seed) is not beside this checkout")
def test_every_seed_line_is_findable_with_grep(fupin):
    tasks = fupin("list", "--format", "json").json()
    texts = [t["text"] for t in tasks]
    deadlines = [t["deadline"] for t in tasks]
    rows = seed_table_lines()
    assert len(rows) == shipped.SEED_TABLE_LINES  # the table's lines, headers at page breaks excluded
    for seq, text, _units, deadline in rows:
        for paragraph in paragraphs(text):
            if seq and text.strip() == "":
                continue
            # The stray "with" is kept; the third paragraph of item 2 is split in two tasks.
            snippet = paragraph.split("，")[0][:20]
            found = fupin("list", "--grep", snippet, "--format", "json").json()
            assert found, f"seed text not found: {paragraph}"
            assert any(snippet in t for t in texts)
        for part in paragraphs(deadline):
            for piece in re.split(r"\s{2,}", part):
                if piece:
                    assert any(piece in d for d in deadlines), f"seed deadline not found: {piece}"


def test_list_by_alias_and_pinyin_match_the_canonical_name(fupin):
    canonical = fupin("list", "--unit", "市民政局", "--format", "json").json()
    assert [t["id"] for t in canonical] == ["4.2", "5.1", "6.1", "6.2", "7.1", "8.1", "9.1", "17.1"]
    for other in ("民政局", "minzhengju", "mzj", "smzj"):
        result = fupin("list", "--unit", other, "--format", "json")
        assert result.code == 0, result.err
        assert result.json() == canonical, other


def test_list_by_district_includes_group_tasks(fupin):
    district = {t["id"] for t in fupin("list", "--unit", "金平区", "--format", "json").json()}
    group = {t["id"] for t in fupin("list", "--unit", "各区（县）", "--format", "json").json()}
    assert district == group
    assert {"1.1", "5.1", "14.1"} <= district
    assert "11.1" not in district  # 市人社局 alone
    assert fupin("list", "--unit", "各区(县)", "--format", "json").json() == fupin(
        "list", "--unit", "各区（县）", "--format", "json").json()


def test_unknown_unit_suggests(fupin):
    result = fupin("list", "--unit", "市民政")
    assert result.code == 2
    assert "未知的单位 “市民政”" in result.err and "市民政局" in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_units_given_twice_list_both_and_an_empty_unit_is_refused(fupin):
    both = fupin("list", "--unit", "市民政局", "--unit", "残联", "--format", "json")
    assert [t["id"] for t in both.json()] == ["4.2", "5.1", "6.1", "6.2", "7.1", "7.2", "8.1", "8.2", "9.1", "17.1"]
    assert "责任单位：市民政局、市残联" in fupin("list", "--unit", "市民政局", "--unit", "市残联").out
    empty = fupin("list", "--unit", "")
    assert empty.code == 2 and "--unit 不能为空" in empty.err


def test_every_unit_named_in_the_plan_resolves(fupin):
    units = fupin("units", "--format", "json").json()
    for unit in units:
        for label in [unit["name"], *unit["aliases"]]:
            result = fupin("list", "--unit", label, "--format", "json")
            assert result.code == 0, (label, result.err)


def test_units_json(fupin):
    units = {u["name"]: u for u in fupin("units", "--format", "json").json()}
    group = units["各区（县）"]
    assert group["members"] == DISTRICTS
    for district in DISTRICTS:
        assert units[district]["kind"] == "区县"
    assert "银监会汕头监管分局" in units["汕头银监分局"]["aliases"]
    assert units["市民政局"]["tasks"] == 8
    assert set(units["市民政局"]) >= {"name", "aliases", "kind", "members", "tasks"}


def test_category_and_grep_filters(fupin):
    finance = fupin("list", "--category", "金融扶贫", "--format", "json").json()
    assert [t["id"] for t in finance] == ["13.1"]
    bad = fupin("list", "--category", "不存在")
    assert bad.code == 2 and "没有工作板块" in bad.err
    assert [t["id"] for t in fupin("list", "--grep", "评残", "--format", "json").json()] == ["8.2"]


def test_list_table_is_plain_and_whole_off_a_terminal(fupin):
    result = fupin("list")
    assert result.code == 0
    assert "\x1b[" not in result.out
    assert "…" not in result.out
    assert "符合条件的全部或部分丧失劳动能力的贫困人口100%纳入农村低保或特困人员救助供养" in result.out
    assert "社会保障政策落实（" in result.out


def test_list_csv_and_markdown(fupin):
    csv_text = fupin("list", "--format", "csv").out
    assert csv_text.startswith("\ufeff工作板块,编号,序号,工作任务,责任单位,完成时限")  # the group is a column
    markdown = fupin("list", "--format", "markdown").out
    assert "| 编号 | 序号 | 工作任务 | 责任单位 | 完成时限 |" in markdown


def test_info_names_the_files(fupin, journal_path):
    result = fupin("info")
    assert result.code == 0
    assert "tasks.yaml" in result.out and "units.yaml" in result.out
    assert str(journal_path) in result.out and "FUPIN_JOURNAL" in result.out
    assert "2018-04-25 至 2018-12-31" in result.out and "next_workday" in result.out


def test_init_writes_an_editable_copy(fupin, tmp_path):
    folder = tmp_path / "office"
    result = fupin("init", str(folder))
    assert result.code == 0, result.err
    assert (folder / "tasks.yaml").exists() and (folder / "units.yaml").exists()
    assert "merge=union" in (folder / ".gitattributes").read_text(encoding="utf-8")
    assert len(fupin("list", "--data", str(folder), "--format", "json").json()) == shipped.TASK_COUNT
    again = fupin("init", str(folder))
    assert again.code == 2 and "--force" in again.err


def test_data_from_environment(fupin, plan_dir, monkeypatch):
    text = (plan_dir / "tasks.yaml").read_text(encoding="utf-8")
    (plan_dir / "tasks.yaml").write_text(text.replace("title: 2018年", "title: 本地副本2018年"), encoding="utf-8")
    monkeypatch.setenv("FUPIN_DATA", str(plan_dir))
    assert "本地副本" in fupin("info").out


def test_check_on_the_shipped_plan_is_clean(fupin):
    result = fupin("check")
    assert result.code == 0, result.out
    assert f"检查通过：{shipped.TASK_COUNT} 项任务" in result.out


def test_every_command_has_help_with_an_example(fupin):
    for command in COMMANDS:
        result = fupin(command, "--help")
        assert result.code == 0, command
        assert "例" in result.out, command
    weekly = fupin("report", "weekly", "--help")
    assert weekly.code == 0 and "例" in weekly.out


def test_version_and_unknown_option(fupin):
    assert fupin("--version").out.strip() == "fupin 0.1.0"
    bad = fupin("list", "--colour")
    assert bad.code == 2 and "没有选项 --colour" in bad.err


def test_console_script_runs_from_any_folder(tmp_path):
    """A real process from an unrelated folder: the shipped plan is the default."""
    result = subprocess.run([sys.executable, "-m", "fupin_cli", "list", "--unit", "市民政局", "--format", "json"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert len(yaml.safe_load(result.stdout)) == 8
