"""``fupin import`` through the CLI: the seed in every format reproduces the shipped plan; a list that
needs review says what and exits 1; re-importing a corrected file keeps ids and the journal's meaning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import fupin_cli
from support.shipped import (CIVIL_AFFAIRS_DUE_ROWS_2018_07_15, DOC_NO, TASK_COUNT, TASKS_WITHOUT_DEADLINE, TITLE,
                             UNIT_COUNT, UNITS_NAMED_BY_TASKS)
from support.plans import done, write_journal
from support.seed_tables import HEADING_LINES, JUDGED, build

DATA = Path(fupin_cli.__file__).parent / "data"
SHIPPED = yaml.safe_load((DATA / "tasks.yaml").read_text(encoding="utf-8"))
FORMATS = ["txt", "docx", "xlsx", "csv", "tsv"]
FIELDS = ("seq", "category", "text", "units", "deadline")


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seed")
    return {kind: build(kind, folder) for kind in FORMATS}


def summary(out: str) -> dict[str, int]:
    """The 项目 | 数量 table of an import's summary."""
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^\| (\S+?) +\| +(\d+) \|$", out, re.M)}


def review_rows(out: str) -> list[tuple[str, str, str]]:
    """(类别, 位置, 内容) rows of the 需要核对 table."""
    block = out.split("需要核对\n", 1)[1].split("\n\n", 1)[0]
    return [tuple(cell.strip() for cell in line.strip("|").split(" | "))
            for line in block.splitlines() if line.startswith("| ") and not line.startswith("| 类别")]


def tasks_of(folder: Path, name: str = "tasks.yaml") -> list[dict]:
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))["tasks"]


# ---------------------------------------------------------------- fidelity: the seed, in every format

SOURCES = {
    "txt": ({"file": "000_0fd6b74583511a98.txt", "row": 22}, {"file": "000_0fd6b74583511a98.txt", "row": 56}),
    "docx": ({"file": "seed.docx", "table": 1, "row": 2}, {"file": "seed.docx", "table": 1, "row": 33}),
    "xlsx": ({"file": "seed.xlsx", "sheet": "任务清单", "row": 4}, {"file": "seed.xlsx", "sheet": "任务清单", "row": 35}),
    "csv": ({"file": "seed.csv", "row": 5}, {"file": "seed.csv", "row": 47}),
    "tsv": ({"file": "seed.tsv", "row": 5}, {"file": "seed.tsv", "row": 47}),
}


@pytest.mark.parametrize("kind", FORMATS)
def test_the_seed_imports_to_the_shipped_plan(fupin, tmp_path, seed_files, kind):
    folder = tmp_path / "导入"
    result = fupin("import", str(seed_files[kind]), "--into", str(folder))
    assert result.code == 0, result.err
    assert summary(result.out) == {"任务": TASK_COUNT, "责任单位（已有）": UNITS_NAMED_BY_TASKS,
                                   "责任单位（新增，待核对）": 0, "完成时限无法识别（待核对）": 0,
                                   "完成时限为空": TASKS_WITHOUT_DEADLINE}
    assert review_rows(result.out) == []
    imported = tasks_of(folder)
    shipped = SHIPPED["tasks"]
    assert [task["id"] for task in imported] == [task["id"] for task in shipped]
    exceptions = []
    for mine, theirs in zip(imported, shipped):
        for field in FIELDS:
            if mine[field] != theirs[field]:
                exceptions.append((theirs["id"], field))
                assert mine[field] == JUDGED[(theirs["id"], field)][0]
    assert exceptions == list(JUDGED)              # exactly the documented judgement calls, nothing else
    by_id = {task["id"]: task for task in imported}
    assert (by_id["1.1"]["source"], by_id["R.1"]["source"]) == SOURCES[kind]
    assert by_id["1.2"]["note"] == "【导入】原表一格分段，取第2段（共2段）；责任单位原文“各区（县）、镇、贫困村（各帮扶单位）”。"
    assert [t["id"] for t in imported if "板块标题行" in t.get("note", "")] == HEADING_LINES
    assert all("lead" not in task and "remark" not in task and "schedule" not in task for task in imported)
    # no unit was new, so units.yaml is the one the folder started from
    assert (folder / "units.yaml").read_bytes() == (DATA / "units.yaml").read_bytes()
    check = fupin("check", "--data", str(folder))
    assert check.code == 0, check.out
    assert check.out.endswith(f"检查通过：{TASK_COUNT} 项任务，{UNIT_COUNT} 个单位，台账 "
                              + str(tmp_path / "journal.jsonl") + "。\n")


@pytest.mark.parametrize("kind, issuer, issued, valid_from", [
    ("txt", "汕头市扶贫开发领导小组", "2018-04-25", "2018-04-25"),
    ("docx", "汕头市扶贫开发领导小组", "2018-04-25", "2018-04-25"),
    ("xlsx", "", None, "2018-01-01"),            # the built workbook has no date line above its table
])
def test_the_plan_header_comes_from_the_lines_above_the_table(fupin, tmp_path, seed_files, kind, issuer, issued,
                                                              valid_from):
    folder = tmp_path / "导入"
    assert fupin("import", str(seed_files[kind]), "--into", str(folder)).code == 0
    text = (folder / "tasks.yaml").read_text(encoding="utf-8")
    header = yaml.load(text, Loader=yaml.BaseLoader)["plan"]   # dates as written
    assert header == {"title": TITLE, "doc_no": DOC_NO, "issuer": issuer,
                      **({"issued": issued} if issued else {}), "valid_from": valid_from, "valid_to": "2018-12-31",
                      "timezone": "Asia/Shanghai", "holiday_shift": "next_workday", "warn_days": "14",
                      "semester_starts": ["03-01", "09-01"]}
    assert text.startswith(f"# {TITLE}（{DOC_NO}） —— 任务数据\n#\n# 由 fupin import 从 ")
    assert (folder / ".gitattributes").read_text(encoding="utf-8").endswith("*.jsonl merge=union\n")


def test_the_imported_plan_gives_the_shipped_reports(fupin, tmp_path, seed_files):
    """Same tasks, same units, same deadlines: the due list of a unit is the shipped one."""
    folder = tmp_path / "导入"
    assert fupin("import", str(seed_files["docx"]), "--into", str(folder)).code == 0
    shipped = fupin("due", "--unit", "市民政局", "--as-of", "2018-07-15", "--format", "json").json()
    imported = fupin("due", "--unit", "市民政局", "--as-of", "2018-07-15", "--format", "json", "--data",
                     str(folder)).json()
    categories = {task["id"]: task["category"] for task in SHIPPED["tasks"]}

    def comparable(rows):   # the judged categories aside
        return [{**row, "category": categories[row["task"]]} for row in rows]

    assert len(shipped) == CIVIL_AFFAIRS_DUE_ROWS_2018_07_15
    assert comparable(imported) == shipped


# ---------------------------------------------------------------- a new list that needs review

NEW_LIST = """\
2019年市重点工作任务清单
序号,工作任务,牵头单位,配合单位,完成时限,备注
一、社会保障,,,,,
1,落实低保。,市民政局,各区（县）,逐月完成,
2,资助参保。,市医保局,金平区民政局,2019年6月底前,按季度报送进度
二、数据建设,,,,,
3,建设扶贫数据平台。,市大数据中心,中国农业银行汕头分行,视情况推进,
4,开展扶贫培训。,市人社局,市医保局,每年年底前,
"""


def test_new_units_and_unreadable_deadlines_are_listed_and_exit_1(fupin, tmp_path):
    source = tmp_path / "2019年重点工作.csv"
    source.write_text(NEW_LIST, encoding="utf-8")
    folder = tmp_path / "2019"
    result = fupin("import", str(source), "--into", str(folder))
    assert result.code == 1, result.err
    assert summary(result.out) == {"任务": 4, "责任单位（已有）": 3, "责任单位（新增，待核对）": 4,
                                   "完成时限无法识别（待核对）": 1, "完成时限为空": 0}
    assert review_rows(result.out) == [
        ("新增单位", "2019年重点工作.csv:第5行", "市医保局（按“…局/…委/…办”推测为市直单位；任务 2.1、4.1）；相近的已有单位：市环保局、市财政局"),
        ("新增单位", "2019年重点工作.csv:第5行", "金平区民政局（按“区县的…局/…委/…办”推测为区县；任务 2.1）；相近的已有单位：金平区、市民政局"),
        ("新增单位", "2019年重点工作.csv:第7行", "市大数据中心（按“名称看不出类别”推测为其他；任务 3.1）"),
        ("新增单位", "2019年重点工作.csv:第7行",
         "中国农业银行汕头分行（按“…银行/…支行”推测为金融机构；任务 3.1）；相近的已有单位：人行汕头中支、汕头银监分局"),
        ("完成时限无法识别", "2019年重点工作.csv:第7行",
         "任务 3.1：无法识别完成时限“视情况推进”：没有找到期限（如“2018年6月30日前”“每月25日前”“每季度之后10日内”“长期性”）"
             "；也可在 schedule: 中写明，如 - {every: once, date: 2018-09-30}"),
    ]
    assert "改好后运行：fupin check --data " + str(folder) in result.out
    tasks = {task["id"]: task for task in tasks_of(folder)}
    assert tasks["1.1"]["units"] == ["市民政局", "各区（县）"] and tasks["1.1"]["lead"] == ["市民政局"]
    assert tasks["1.1"]["category"] == "社会保障" and tasks["3.1"]["category"] == "数据建设"
    assert tasks["2.1"]["remark"] == "按季度报送进度"
    assert tasks["2.1"]["note"] == "【导入】责任单位 市医保局、金平区民政局 是导入时新增的单位，请核对 units.yaml。"
    assert tasks["3.1"]["deadline"] == "视情况推进"
    assert tasks["3.1"]["note"].endswith(
        "完成时限无法识别（无法识别完成时限“视情况推进”：没有找到期限（如“2018年6月30日前”“每月25日前”“每季度之后10日内”“长期性”）"
        "；也可在 schedule: 中写明，如 - {every: once, date: 2018-09-30}），"
        "未计入到期报表；请改写 deadline 或加 schedule。")
    # units.yaml: the shipped file, comments and all, with the proposed units appended for review
    units_text = (folder / "units.yaml").read_text(encoding="utf-8")
    shipped_units = (DATA / "units.yaml").read_text(encoding="utf-8")
    assert units_text.startswith(shipped_units)
    added = yaml.safe_load(units_text)["units"][-4:]
    assert [(u["name"], u["kind"], u["aliases"]) for u in added] == [
        ("市医保局", "市直单位", []), ("金平区民政局", "区县", []), ("市大数据中心", "其他", []),
        ("中国农业银行汕头分行", "金融机构", [])]
    assert added[0]["note"] == ("【导入】2019年重点工作.csv 中新出现的单位（2019年重点工作.csv:第5行），类别按名称（…局/…委/…办）推测为市直单位，"
                                "请核对；若就是已有的 市环保局、市财政局，请把“市医保局”写成它的别名并删去本条。")
    assert "# ---- 导入 2019年重点工作.csv 时新增，请核对类别（kind）和别名 ----" in units_text
    # fupin check sees exactly what the import listed: the one unreadable deadline
    check = fupin("check", "--data", str(folder))
    assert check.code == 1
    assert check.out == (f"{folder / 'tasks.yaml'}:54:15: 任务 3.1 的完成时限无法识别：无法识别完成时限“视情况推进”："
                         "没有找到期限（如“2018年6月30日前”“每月25日前”“每季度之后10日内”“长期性”）"
                         "；也可在 schedule: 中写明，如 - {every: once, date: 2018-09-30}\n"
                         "  视情况推进\n  ^\n发现 1 个问题。\n")


def test_the_year_comes_from_the_title_the_file_name_or_year(fupin, tmp_path):
    rows = "序号,工作任务,责任单位,完成时限\n1,落实低保。,市民政局,每月底前\n"
    plain = tmp_path / "清单.csv"
    plain.write_text(rows, encoding="utf-8")
    result = fupin("import", str(plain), "--into", str(tmp_path / "a"))
    assert (result.code, result.err) == (2, "错误：清单.csv: 读不出清单所属的年份：标题、文号、印发日期和文件名都没有写年份；"
                                            "请用 --year 指定，如 --year 2019\n")
    assert not (tmp_path / "a").exists()
    result = fupin("import", str(plain), "--into", str(tmp_path / "a"), "--year", "2021")
    assert result.code == 0 and "有效期 2021-01-01 至 2021-12-31（年份读自--year）" in result.out
    header = yaml.load((tmp_path / "a" / "tasks.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["plan"]
    assert (header["title"], header["valid_from"], header["valid_to"]) == ("清单", "2021-01-01", "2021-12-31")
    named = tmp_path / "2020年低保清单.csv"
    named.write_text(rows, encoding="utf-8")
    result = fupin("import", str(named), "--into", str(tmp_path / "b"))
    assert result.code == 0 and "年份读自文件名 2020年低保清单.csv" in result.out
    assert fupin("import", str(plain), "--year", "18", "--into", str(tmp_path / "c")).err == \
        "错误：--year 应是四位年份，如 2019，而不是 18\n"


def test_without_into_the_folder_is_named_after_the_file(fupin, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2019年清单.csv").write_text("序号,工作任务,责任单位,完成时限\n1,落实低保。,市民政局,逐月完成\n",
                                          encoding="utf-8")
    assert fupin("import", "2019年清单.csv").code == 0
    assert [t["id"] for t in tasks_of(tmp_path / "2019年清单")] == ["1.1"]
    monkeypatch.setenv("FUPIN_DATA", str(tmp_path / "数据"))
    assert fupin("import", "2019年清单.csv").code == 0
    assert (tmp_path / "数据" / "tasks.yaml").exists()


def test_plan_key_writes_plans_key_yaml_beside_the_units(fupin, tmp_path):
    source = tmp_path / "2019年清单.csv"
    source.write_text("序号,工作任务,责任单位,完成时限\n1,落实低保。,市医保局,逐月完成\n", encoding="utf-8")
    folder = tmp_path / "数据"
    result = fupin("import", str(source), "--into", str(folder), "--plan", "2019-重点任务")
    assert result.code == 1                       # 市医保局 is new
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        ".gitattributes", "plans", "plans/2019-重点任务.yaml", "units.yaml"]
    assert [t["units"] for t in tasks_of(folder, "plans/2019-重点任务.yaml")] == [["市医保局"]]
    for key in ("", "../外面", ".隐藏", "a/b", "x" * 61):
        bad = fupin("import", str(source), "--into", str(folder), "--plan", key)
        assert bad.code == 2 and bad.err.startswith(f"错误：--plan 的值 “{key}” 不能用作清单名")


# ---------------------------------------------------------------- importing a corrected file again

FIRST = """\
2019年任务清单
序号,工作任务,责任单位,完成时限
1,落实低保。,市民政局,逐月完成
,发放临时救助。,市民政局,每季度末
2,资助参保。,市人社局,2019年6月底前
3,开展培训。,市人社局,每年年底前
"""
CORRECTED = """\
2019年任务清单
序号,工作任务,责任单位,完成时限
1,落实低保。,市民政局,逐月完成
,新增临时救助备案。,市民政局,每月5日前
,发放临时救助。,市民政局,每季度末
2,资助参保。,市人社局,2019年7月底前
3,开展劳动技能培训。,市人社局,每年年底前
"""


def _first_import(fupin, tmp_path) -> tuple[Path, Path]:
    source = tmp_path / "2019年任务清单.csv"
    source.write_text(FIRST, encoding="utf-8")
    folder = tmp_path / "2019"
    assert fupin("import", str(source), "--into", str(folder)).code == 0
    return source, folder


def test_reimporting_a_corrected_file_keeps_ids_notes_and_schedules(fupin, tmp_path):
    source, folder = _first_import(fupin, tmp_path)
    plan_file = folder / "tasks.yaml"
    assert [t["id"] for t in tasks_of(folder)] == ["1.1", "1.2", "2.1", "3.1"]
    # what a clerk adds by hand after the first import
    text = plan_file.read_text(encoding="utf-8")
    text = text.replace("    text: 发放临时救助。\n", "    text: 发放临时救助。\n    note: 市民政局确认按季度发放\n")
    text = text.replace("    deadline: 2019年6月底前\n", "    deadline: 2019年6月底前\n    schedule: [2019年6月底前, 2019年9月底前]\n")
    text = text.replace("    deadline: 每年年底前\n", "    deadline: 每年年底前\n    schedule:\n      - {every: year, month: 6}\n")
    plan_file.write_text(text, encoding="utf-8")
    write_journal(folder / "journal.jsonl", [done("1.2", "市民政局", "2019-Q1", "2019-03-29")])
    source.write_text(CORRECTED, encoding="utf-8")
    result = fupin("import", str(source), "--into", str(folder))
    assert result.code == 1, result.err           # 2.1's hand-written schedule no longer fits its new deadline
    assert "同一份清单再次导入：4 项任务沿用原编号，1 项为新任务" in result.out
    assert f"| 新编号 | {plan_file} | 新任务 1.3：按规则应为 1.2，但原清单已用过这个编号（台账记录不能挪到别的任务上） |" in result.out
    assert review_rows(result.out) == [
        ("手写规则已去掉", str(plan_file), "任务 2.1 的完成时限改了，原来手写的 schedule 不再适用，请重新核对")]
    tasks = tasks_of(folder)
    assert [(t["id"], t["text"]) for t in tasks] == [
        ("1.1", "落实低保。"), ("1.3", "新增临时救助备案。"), ("1.2", "发放临时救助。"), ("2.1", "资助参保。"),
        ("3.1", "开展劳动技能培训。")]
    by_id = {t["id"]: t for t in tasks}
    assert by_id["1.2"]["note"] == "市民政局确认按季度发放"
    assert "schedule" not in by_id["2.1"] and by_id["2.1"]["deadline"] == "2019年7月底前"
    assert by_id["3.1"]["schedule"] == [{"every": "year", "month": 6}]
    assert by_id["1.3"]["source"] == {"file": "2019年任务清单.csv", "row": 4}
    check = fupin("check", "--data", str(folder), "--journal", str(folder / "journal.jsonl"))
    assert check.code == 0, check.out             # the completion of 1.2 still belongs to 发放临时救助


def test_dropping_a_task_with_completions_is_refused_and_forced(fupin, tmp_path):
    source, folder = _first_import(fupin, tmp_path)
    write_journal(folder / "journal.jsonl", [done("1.2", "市民政局", "2019-Q1", "2019-03-29"),
                                             done("1.2", "市民政局", "2019-Q2", "2019-06-28"),
                                             done("2.1", "市人社局", "2019-06-30", "2019-06-20")])
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    source.write_text(FIRST.replace(",发放临时救助。,市民政局,每季度末\n", ""), encoding="utf-8")
    result = fupin("import", str(source), "--into", str(folder))
    assert result.code == 2
    assert result.err == (f"错误：新表中没有下列任务，而销号台账（{folder / 'journal.jsonl'}）里有它们的完成记录："
                          "1.2（发放临时救助。，2 条）。导入后这些记录将对不上任何任务；请核对新表，确需导入时加 --force\n")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    forced = fupin("import", str(source), "--into", str(folder), "--force")
    assert forced.code == 1
    assert review_rows(forced.out) == [
        ("台账记录对不上", str(folder / "journal.jsonl"), "任务 1.2（发放临时救助。）有 2 条完成记录；新表中没有这项任务")]
    assert [t["id"] for t in tasks_of(folder)] == ["1.1", "2.1", "3.1"]


def test_a_folder_holding_another_list_is_refused_without_force(fupin, tmp_path):
    _, folder = _first_import(fupin, tmp_path)
    other = tmp_path / "2020年重点工作.csv"
    other.write_text("2020年重点工作清单\n序号,工作任务,责任单位,完成时限\n1,落实低保。,市民政局,逐月完成\n", encoding="utf-8")
    before = (folder / "tasks.yaml").read_bytes()
    result = fupin("import", str(other), "--into", str(folder))
    assert result.code == 2
    assert result.err == (f"错误：{folder / 'tasks.yaml'} 里已有《2019年任务清单》，与要导入的《2020年重点工作清单》不是同一份；"
                          "要用新表替换它，加 --force；要与它并存，请换一个文件夹或用 --plan 清单名\n")
    assert (folder / "tasks.yaml").read_bytes() == before
    write_journal(folder / "journal.jsonl", [done("1.1", "市民政局", "2019-07", "2019-07-20")])
    forced = fupin("import", str(other), "--into", str(folder), "--force")
    assert forced.code == 1
    assert "已替换原有的《2019年任务清单》" in forced.out
    assert review_rows(forced.out) == [
        ("台账记录对不上", str(folder / "journal.jsonl"),
         "任务 1.1（落实低保。）有 1 条完成记录；编号被新清单沿用，这些记录会算到新任务上")]
    assert [t["text"] for t in tasks_of(folder)] == ["落实低保。"]
    beside = fupin("import", str(other), "--into", str(folder), "--plan", "2020-重点工作")
    assert beside.code == 0 and (folder / "plans" / "2020-重点工作.yaml").exists()


# ---------------------------------------------------------------- progress

def test_no_progress_is_shown_in_a_pipe(fupin, tmp_path, seed_files):
    result = fupin("import", str(seed_files["xlsx"]), "--into", str(tmp_path / "x"))
    assert result.code == 0 and result.err == ""


def test_progress_appears_on_a_terminal_only_after_the_delay():
    import io
    import time

    from fupin_cli.cli.commands.importing import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    quick = Terminal()
    progress = Progress(quick, delay=5)
    progress("读取 清单.xlsx")
    progress.close()
    assert quick.getvalue() == ""
    slow = Terminal()
    progress = Progress(slow, delay=0.01)
    progress("读取 清单.xlsx")
    deadline = time.monotonic() + 5
    while not progress.shown and time.monotonic() < deadline:
        time.sleep(0.01)
    progress("写入 2019")
    progress.close()
    shown = slow.getvalue()
    assert shown.startswith("\r\x1b[K读取 清单.xlsx……（0 秒）") and "\r\x1b[K写入 2019……（" in shown
    assert shown.endswith("\r\x1b[K")
    piped = io.StringIO()
    progress = Progress(piped, delay=0)
    progress("读取")
    progress.close()
    assert piped.getvalue() == "" and progress._thread is None


def test_a_units_file_that_cannot_be_appended_to_is_written_anew(fupin, tmp_path):
    folder = tmp_path / "数据"
    folder.mkdir()
    (folder / "units.yaml").write_text("units: [{name: 甲局, kind: 市直单位, aliases: [甲]}, {name: 东区, kind: 区县}]\n",
                                       encoding="utf-8")
    source = tmp_path / "2019年清单.csv"
    source.write_text("序号,工作任务,责任单位,完成时限\n1,落实低保。,甲、东区、西区,逐月完成\n", encoding="utf-8")
    result = fupin("import", str(source), "--into", str(folder))
    assert result.code == 1
    assert [t["units"] for t in tasks_of(folder)] == [["甲局", "东区", "西区"]]
    units = yaml.safe_load((folder / "units.yaml").read_text(encoding="utf-8"))["units"]
    assert [(u["name"], u["kind"], u["aliases"]) for u in units] == [
        ("甲局", "市直单位", ["甲"]), ("东区", "区县", []), ("西区", "区县", [])]
    assert units[2]["note"].startswith("【导入】2019年清单.csv 中新出现的单位（2019年清单.csv:第2行），类别按名称（…区/…县）推测为区县")
    assert fupin("check", "--data", str(folder)).code == 0
