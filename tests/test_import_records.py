"""The pure parts of importing: kinds of new units, ids kept across a re-import, the YAML writer, the
``source``/``lead``/``remark`` fields the validator now keeps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin_cli.domain.errors import PlanError
from fupin_cli.plan_io.importer import OldTask, assign_ids, guess_kind, hand_note, match_ids, plan_year
from fupin_cli.plan_io.tables.model import Location, SourceTable
from fupin_cli.plan_io.yaml_source import read_yaml
from fupin_cli.plan_io.yaml_writer import UnitRecord, append_units, flow_list, scalar, units_yaml
from support.plans import make_plan


@pytest.mark.parametrize("name, kind", [
    ("市医保局", "市直单位"), ("市发展改革委", "市直单位"), ("市委办", "市直单位"), ("市国资委办公室", "市直单位"),
    ("龙湖区", "区县"), ("南澳县", "区县"), ("金平区民政局", "区县"), ("区（县）扶贫办", "区县"), ("潮阳区政府", "区县"),
    ("达濠街道", "镇"), ("海门镇", "镇"), ("各街道", "镇"), ("外砂镇政府", "镇"),
    ("新溪村", "村"), ("光华社区", "村"),
    ("中国农业银行汕头分行", "金融机构"), ("汕头农商银行", "金融机构"), ("建行金平支行", "金融机构"),
    ("团市委", "群团组织"), ("市总工会", "群团组织"), ("市科协", "群团组织"),
    ("市大数据中心", "其他"), ("汕头供电局", "市直单位"), ("各有关单位", "其他"),
])
def test_a_new_unit_gets_the_kind_its_ending_says(name, kind):
    assert guess_kind(name)[0] == kind


def test_guess_kind_says_why():
    assert guess_kind("市医保局") == ("市直单位", "…局/…委/…办")
    assert guess_kind("市大数据中心") == ("其他", "名称看不出类别")


# ---------------------------------------------------------------- ids

def old(*tasks: tuple[str, str, str]) -> list[OldTask]:
    return [OldTask(id=i, seq=s, text=t) for i, s, t in tasks]


def test_ids_follow_the_text_and_new_tasks_never_take_an_old_id():
    before = old(("1.1", "1", "甲"), ("1.2", "", "乙"), ("2.1", "2", "丙"), ("3.1", "3", "开展培训。"))
    # a row inserted in item 1, item 2 dropped, item 3's words corrected, a new item 4
    after = [("1.1", "1", "甲"), ("1.2", "", "新"), ("1.3", "", "乙"), ("2.1", "2", "开展劳动技能培训。"), ("3.1", "3", "丁")]
    matched = match_ids(after, before)
    assert matched == {0: 0, 2: 1}                 # 开展劳动技能培训 is item 2 now, 开展培训 was item 3: not matched
    assert assign_ids([a[0] for a in after], matched, before) == ["1.1", "1.3", "1.2", "2.2", "3.2"]


def test_similar_words_under_the_same_item_keep_the_id():
    before = old(("1.1", "1", "开展培训。"), ("1.2", "", "按月报送进度。"))
    after = [("1.1", "1", "开展劳动技能培训。"), ("1.2", "", "按月报送工作进度。")]
    assert match_ids(after, before) == {0: 0, 1: 1}
    moved = [("5.1", "5", "按月报送进度。")]      # same words under another 序号: still the same task
    assert match_ids(moved, before) == {0: 1}
    unlike = [("1.1", "1", "建立台账。")]
    assert match_ids(unlike, before) == {}


def test_tasks_with_the_same_words_match_in_order():
    before = old(("15.1", "15", "抓党建促脱贫攻坚"), ("15.2", "15", "抓党建促脱贫攻坚"))
    after = [("15.1", "15", "抓党建促脱贫攻坚"), ("15.2", "15", "抓党建促脱贫攻坚"), ("15.3", "15", "抓党建促脱贫攻坚")]
    matched = match_ids(after, before)
    assert matched == {0: 0, 1: 1}
    assert assign_ids([a[0] for a in after], matched, before) == ["15.1", "15.2", "15.3"]


def test_hand_notes_are_what_comes_before_the_mark():
    assert hand_note("市民政局确认 【导入】原表一格分段。") == "市民政局确认"
    assert hand_note("【导入】原表一格分段。") == ""
    assert hand_note("只有手写") == "只有手写"


def table(title: str = "", doc_no: str = "", issued: date | None = None) -> SourceTable:
    return SourceTable(file="x.csv", grid=None, title=title, doc_no=doc_no, issued=issued, preamble=(), notes=(),
                       header=Location("x.csv", 1), columns=(), ignored_columns=(), tasks=())


def test_the_year_of_a_list():
    assert plan_year(table("2019年重点工作", "汕扶〔2018〕9号"), "2020.xlsx") == (2019, "标题“2019年重点工作”")
    assert plan_year(table("重点工作", "汕扶〔2018〕9号"), "2020.xlsx") == (2018, "文号 汕扶〔2018〕9号")
    assert plan_year(table("重点工作", "", date(2017, 12, 20)), "2020.xlsx") == (2017, "印发日期 2017-12-20")
    assert plan_year(table("重点工作"), "清单2020版.xlsx") == (2020, "文件名 清单2020版.xlsx")
    assert plan_year(table("重点工作"), "清单12345.xlsx") is None


# ---------------------------------------------------------------- the writer

def read_back(text: str, tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path)


@pytest.mark.parametrize("value", [
    "市民政局", "各区（县）", "", " 前后空格 ", "yes", "no", "null", "~", "1.0", "12", "0x1F", "2018-06-30", "- 开头",
    "a: b", "注 # 不是注释", "[列表]", "{映射}", "“引号”", '"双引号"', "'单引号'", "@开头", "%开头", "`反引号`",
    "多行\n文字", "制表\t符", "控制\x07字符", "行分隔\u2028符", "\ufeff", "😀", "=SUM(A1)", "!标签", "&锚", "*别名",
    "末尾冒号:", "逗号,在中间", "每季度之后10日内完成",
])
def test_every_scalar_reads_back_as_written(tmp_path, value):
    doc = read_back(f"key: {scalar(value)}\nlist: {flow_list([value, '甲'])}\n", tmp_path)
    assert doc["key"] == value and doc["list"] == [value, "甲"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_reads_back_as_written(value):
    loaded = yaml.load(f"key: {scalar(value)}\nlist: {flow_list([value])}\n", Loader=yaml.BaseLoader)
    assert loaded == {"key": value, "list": [value]}


def test_plain_words_stay_plain():
    assert scalar("各区（县）") == "各区（县）"
    assert scalar("2018-06-30") == '"2018-06-30"'
    assert flow_list(["市民政局", "a,b"]) == '[市民政局, "a,b"]'


UNITS_TEXT = """\
# 我们的单位（手写注释）
units:
  - name: 甲局   # 行尾注释
    kind: 市直单位
    aliases: [甲]

  # 区县
  - {name: 东区, kind: 区县}
"""


def test_new_units_are_appended_and_comments_stay(tmp_path):
    added = append_units(UNITS_TEXT, [UnitRecord("市医保局", "市直单位", note="【导入】请核对。")], "导入 x.csv 时新增")
    assert added == UNITS_TEXT + ("\n  # ---- 导入 x.csv 时新增 ----\n  - name: 市医保局\n    kind: 市直单位\n"
                                  "    aliases: []\n    note: 【导入】请核对。\n\n")
    assert [u["name"] for u in read_back(added, tmp_path)["units"]] == ["甲局", "东区", "市医保局"]


@pytest.mark.parametrize("text", [
    "units: [{name: 甲局, kind: 市直单位}]\n",            # a flow list cannot be appended to
    "title: 单位\nunits:\n  - {name: 甲局}\n",             # another top-level key: the end of the file is not the list
    "units:\n",                                            # no list at all
    "units: [\n",                                           # not YAML
])
def test_units_files_that_cannot_be_appended_to_are_written_anew(text):
    assert append_units(text, [UnitRecord("乙局", "市直单位")], "新增") is None


def test_a_units_file_written_anew(tmp_path):
    text = units_yaml([UnitRecord("各区", "区县", ("区",), ("东区", "西区"), "两区"), UnitRecord("东区", "区县"),
                       UnitRecord("西区", "区县")])
    units = read_back(text, tmp_path)["units"]
    assert units[0] == {"name": "各区", "kind": "区县", "aliases": ["区"], "members": ["东区", "西区"], "note": "两区"}
    assert text.startswith("# 责任单位\n#\n# 每个单位的字段：\n")


# ---------------------------------------------------------------- the validator keeps source, lead and remark

def test_source_lead_and_remark_are_kept_on_tasks():
    plan = make_plan("""
      - {id: "1", text: 甲, units: [甲局, 乙局], lead: [甲], deadline: 逐月完成, remark: 每月报送,
         source: {file: 清单.xlsx, sheet: 任务清单, row: 7}}
      - {id: "2", text: 乙, units: [甲局], deadline: 逐月完成, source: {file: 清单.docx, table: 2, row: 3}}
      - {id: "3", text: 丙, units: [甲局], deadline: 逐月完成, source: {file: 清单.csv, row: 12}}
      - {id: "4", text: 丁, units: [甲局], deadline: 逐月完成, source: 原表第3页}
      - {id: "5", text: 戊, units: [甲局], deadline: 逐月完成}
    """)
    assert [(t.source, t.lead, t.remark) for t in plan.tasks] == [
        ("清单.xlsx:任务清单 第7行", ("甲局",), "每月报送"), ("清单.docx:表2 第3行", (), ""), ("清单.csv:第12行", (), ""),
        ("原表第3页", (), ""), ("", (), "")]


@pytest.mark.parametrize("task, message", [
    ('{id: "1", text: 甲, units: [甲局], lead: [乙局], deadline: 逐月完成}', "牵头单位 “乙局” 不是这项任务的责任单位（units 中没有）"),
    ('{id: "1", text: 甲, units: [甲局], lead: {a: 1}, deadline: 逐月完成}', "lead 应是单位名称的列表，如 [市民政局]"),
    ('{id: "1", text: 甲, units: [甲局], deadline: 逐月完成, source: [1]}',
     "source 应是 {file: 文件名, sheet: 工作表, row: 行号} 这样的映射"),
    ('{id: "1", text: 甲, units: [甲局], deadline: 逐月完成, source: {file: a.xlsx, row: 0}}',
     "source 的 row 应是正整数（行号），而不是“0”"),
    ('{id: "1", text: 甲, units: [甲局], deadline: 逐月完成, source: {file: a.xlsx}}', "source 缺少行号 row"),
    ('{id: "1", text: 甲, units: [甲局], deadline: 逐月完成, source: {row: 3}}', "source 缺少文件名 file"),
    ('{id: "1", text: 甲, units: [甲局], deadline: 逐月完成, source: {file: a, row: 3, page: 2}}',
     "source 中有未知的键 page，可用：file、sheet、table、row"),
    ('{id: "1", text: 甲, units: [甲局], deadline: 逐月完成, source: {file: a, sheet: b, table: 1, row: 3}}',
     "source 只能写 sheet（工作表）或 table（Word 表格序号）之一"),
])
def test_bad_source_and_lead_are_refused_with_their_line(task, message):
    with pytest.raises(PlanError) as caught:
        make_plan(f"- {task}")
    assert caught.value.message == message and caught.value.line == 12
