"""Deadline words → rules (fupin_cli.phrases)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin_cli.domain.errors import PhraseError
from fupin_cli.domain.model import Rule
from fupin_cli.phrases import count_in_text, describe, parse

PLAN_YEAR = 2018


def bare(rules):
    """Rules without their source, for comparison."""
    return [r.meaning for r in rules]


def once(y, m, d, **kw):
    return Rule(kind="once", date=date(y, m, d), **kw)


ONGOING = Rule(kind="ongoing")
YEAR_END = Rule(kind="year")
QUARTER_10 = Rule(kind="quarter", after_days=10)
MONTHLY = Rule(kind="month")

ITEM_2 = (
    "2018年6月30日前完成当年帮扶村、户项目计划和上半年项目实施情况的录入工作；"
    "12月31日前完成2019年全年帮扶村、户项目计划和2018年全年项目实施情况的录入工作。"
    "镇及贫困村录入人员在每月25日前录入当月的村、户项目建设情况；"
    "区（县）、镇两级在每月28日前完成信息录入的审核工作。"
)

# Every distinct 完成时限 of the seed (000_0fd6b74583511a98.txt), copied exactly.
SEED = [
    ("每年年底前，完成市下达给各区（县）的脱贫任务", [YEAR_END]),
    ("每季度之后10日内完成", [QUARTER_10]),
    (ITEM_2, [once(2018, 6, 30), once(2018, 12, 31),
              Rule(kind="month", day=25), Rule(kind="month", day=28)]),
    ("长期性、常态化抓落实", [ONGOING]),
    ("2018年4月底前完成年度帮扶项目制订工作", [once(2018, 4, 30)]),
    ("2017年帮扶项目于2018年3月底前全部完成。2018年项目于年底前完成。",
     [once(2018, 3, 31), once(2018, 12, 31)]),
    ("逐月完成", [MONTHLY]),
    ("按政策程序逐月发放", [MONTHLY]),
    ("2018年底前完成", [once(2018, 12, 31)]),
    ("2018年6月底前完成", [once(2018, 6, 30)]),
    ("每学期开学后一个月內完成",
     [Rule(kind="semester", month=1, day=1, after_months=1, after_days=-1)]),
    ("在2018年5月底前全部发放到位", [once(2018, 5, 31)]),
    ("每年年底前全部完成改造任务、补助金发放到户", [YEAR_END]),
    ("2018年底完成", [once(2018, 12, 31)]),
    ("每年年底前完成", [YEAR_END]),
    ("2018年4月底前完成", [once(2018, 4, 30)]),
    ("每年6月底前下达各级资金", [Rule(kind="year", month=6)]),
    ("每年年底前完成  长期性、常态化抓落实", [YEAR_END, ONGOING]),
]


@pytest.mark.parametrize("text, expected", SEED, ids=[t[:12] for t, _ in SEED])
def test_seed_deadlines(text, expected):
    assert bare(parse(text, PLAN_YEAR)) == expected


def test_item_2_sources_are_its_clauses():
    rules = parse(ITEM_2, PLAN_YEAR)
    assert [r.source for r in rules] == [
        "2018年6月30日前完成当年帮扶村、户项目计划和上半年项目实施情况的录入工作",
        "12月31日前完成2019年全年帮扶村、户项目计划和2018年全年项目实施情况的录入工作",
        "镇及贫困村录入人员在每月25日前录入当月的村、户项目建设情况",
        "区（县）、镇两级在每月28日前完成信息录入的审核工作",
    ]


def test_source_is_stripped_original_clause():
    (rule,) = parse("  每季度之后１０日内完成 。", PLAN_YEAR)
    assert rule.source == "每季度之后１０日内完成"
    (rule,) = parse("长期性、常态化抓落实", PLAN_YEAR)
    assert rule.source == "长期性、常态化抓落实"


FAMILIES = [
    # fixed dates
    ("2018年6月30日前", [once(2018, 6, 30)]),
    ("２０１８年６月３０日前完成", [once(2018, 6, 30)]),
    ("二〇一八年六月三十日前", [once(2018, 6, 30)]),
    ("二零一八年六月三十日以前", [once(2018, 6, 30)]),
    ("2018年4月底前", [once(2018, 4, 30)]),
    ("二〇一八年十二月底前", [once(2018, 12, 31)]),
    ("2018年2月底前", [once(2018, 2, 28)]),
    ("2020年2月底前", [once(2020, 2, 29)]),
    ("2018年底前", [once(2018, 12, 31)]),
    ("2018年年底前完成", [once(2018, 12, 31)]),
    ("二〇一八年底完成", [once(2018, 12, 31)]),
    ("12月31日前", [once(2018, 12, 31)]),
    ("十二月三十一日前完成", [once(2018, 12, 31)]),
    ("9月底前完成", [once(2018, 9, 30)]),
    ("年内完成", [once(2018, 12, 31)]),
    ("年底前完成", [once(2018, 12, 31)]),
    ("今年年底前完成", [once(2018, 12, 31)]),
    ("上半年完成", [once(2018, 6, 30)]),
    ("下半年完成", [once(2018, 12, 31)]),
    ("2019年上半年完成", [once(2019, 6, 30)]),
    # monthly
    ("每月完成", [MONTHLY]),
    ("逐月发放", [MONTHLY]),
    ("每个月底前", [MONTHLY]),
    ("每月25日前录入当月", [Rule(kind="month", day=25)]),
    ("每月二十五日前", [Rule(kind="month", day=25)]),
    ("每月廿五号前", [Rule(kind="month", day=25)]),
    ("每月５日前报送上月情况", [Rule(kind="month", after_days=5)]),
    ("每月10日前报送上个月数据", [Rule(kind="month", after_days=10)]),
    # quarterly
    ("每季度", [Rule(kind="quarter")]),
    ("每季度末完成", [Rule(kind="quarter")]),
    ("每季度之后10日内完成", [QUARTER_10]),
    ("每季度结束后十日內报送", [QUARTER_10]),
    ("每季度之后１０日以内", [QUARTER_10]),
    ("每季度首月10日前", [Rule(kind="quarter", month=1, day=10)]),
    ("每季度首月十五日前", [Rule(kind="quarter", month=1, day=15)]),
    # half-yearly
    ("每半年", [Rule(kind="half")]),
    ("每半年报送一次", [Rule(kind="half")]),
    ("每半年结束后15日内", [Rule(kind="half", after_days=15)]),
    # yearly
    ("每年年底前", [YEAR_END]),
    ("每年底前完成", [YEAR_END]),
    ("每年6月底前", [Rule(kind="year", month=6)]),
    ("每年六月底前", [Rule(kind="year", month=6)]),
    ("每年3月31日前", [Rule(kind="year", month=3, day=31)]),
    ("每年十二月三十一日前", [Rule(kind="year", month=12, day=31)]),
    # weekly
    ("每周", [Rule(kind="week")]),
    ("每周五前报送", [Rule(kind="week", weekday=4)]),
    ("每星期一前", [Rule(kind="week", weekday=0)]),
    ("每周一次", [Rule(kind="week")]),
    # semester
    ("每学期开学后一个月内完成", [Rule(kind="semester", month=1, day=1, after_months=1, after_days=-1)]),
    ("每学期开学后１个月內", [Rule(kind="semester", month=1, day=1, after_months=1, after_days=-1)]),
    ("每学期开学后两个月内", [Rule(kind="semester", month=1, day=1, after_months=2, after_days=-1)]),
    ("每学期开学后15日内", [Rule(kind="semester", month=1, day=1, after_days=14)]),
    # ongoing
    ("长期性", [ONGOING]),
    ("常态化推进", [ONGOING]),
    ("持续开展", [ONGOING]),
    ("长期性、常态化、持续抓落实", [ONGOING]),
    # counts
    ("每年至少两次", [Rule(kind="year", count=2)]),
    ("每年培训2次以上", [Rule(kind="year", count=2)]),
    ("每季度走访至少1次", [Rule(kind="quarter", count=1)]),
    ("每季度组织三次抽查", [Rule(kind="quarter", count=3)]),
    ("每月组织一次下乡", [Rule(kind="month", count=1)]),
    # several phrases
    ("每月25日前、每月28日前", [Rule(kind="month", day=25), Rule(kind="month", day=28)]),
    ("每年年底前完成，长期性抓落实", [YEAR_END, ONGOING]),
    ("2018年6月30日前；2018年6月30日前", [once(2018, 6, 30)]),
    ("2018年6月30日前\n每月25日前", [once(2018, 6, 30), Rule(kind="month", day=25)]),
]


@pytest.mark.parametrize("text, expected", FAMILIES, ids=[t for t, _ in FAMILIES])
def test_families(text, expected):
    assert bare(parse(text, PLAN_YEAR)) == expected


def test_plan_year_is_used_only_without_a_year():
    assert bare(parse("12月31日前", 2019)) == [once(2019, 12, 31)]
    assert bare(parse("年底前", 2019)) == [once(2019, 12, 31)]
    assert bare(parse("2018年底前", 2019)) == [once(2018, 12, 31)]


def test_other_years_as_objects_give_no_extra_rules():
    text = "12月31日前完成2019年全年帮扶村、户项目计划和2018年全年项目实施情况的录入工作"
    assert bare(parse(text, PLAN_YEAR)) == [once(2018, 12, 31)]
    assert bare(parse("2017年帮扶项目于2018年3月底前全部完成", PLAN_YEAR)) == [once(2018, 3, 31)]


# ---------------------------------------------------------------- errors

@pytest.mark.parametrize("text", ["", "   ", "\u3000", "；。", "\n"])
def test_empty_is_an_error(text):
    with pytest.raises(PhraseError) as info:
        parse(text, PLAN_YEAR)
    assert info.value.position == 0
    assert "空" in info.value.message


@pytest.mark.parametrize("text, at", [
    ("抓紧落实", "抓紧"),
    ("  尽快完成", "尽快"),
    ("2018年6月30日前完成；抓紧落实", "抓紧"),
    ("每月25日前录入。尽快完成审核", "尽快"),
    ("２０１８年６月３０日前完成；马上办", "马上"),
    ("二〇一八年十二月底前；马上办", "马上"),
    ("完成2016年、2017年预脱贫人口帮扶", "完成"),
    ("至少两次", "至少"),
    ("2018年2月30日前", "2018"),
    ("每月25日前；2018年13月底前", "2018年13"),
    ("每月32日前", "每月"),
    ("每年2月30日前", "每年"),
])
def test_unreadable_words(text, at):
    with pytest.raises(PhraseError) as info:
        parse(text, PLAN_YEAR)
    err = info.value
    assert err.position == text.index(at)
    assert err.phrase == text
    assert "“" in err.message  # the words are quoted
    assert err.pointer().endswith("^")


def test_error_quotes_the_clause():
    with pytest.raises(PhraseError) as info:
        parse("2018年6月30日前完成；按要求落实", PLAN_YEAR)
    assert "“按要求落实”" in info.value.message


# ---------------------------------------------------------------- count_in_text

@pytest.mark.parametrize("text, expected", [
    ("建立党政主要领导定点联系帮扶制度，每年至少两次带队走访贫困村、贫困户。", 2),
    ("分管领导每季度走访贫困村、贫困户至少1次。", 1),
    ("对各个有脱贫攻坚任务的镇、贫困村每年培训2次以上。", 2),
    ("加强精准扶贫档案整理规范，每年落实一次扶贫档案培训，每季度组织一次抽查", 1),
    ("每季度专门研究扶贫开发工作。", None),
    ("第2次会议", None),
    ("", None),
])
def test_count_in_text(text, expected):
    assert count_in_text(text) == expected


# ---------------------------------------------------------------- describe

@pytest.mark.parametrize("rule, words", [
    (QUARTER_10, "每季度，季度结束后10日内（需完成1次）"),
    (once(2018, 6, 30), "一次性，2018-06-30前"),
    (ONGOING, "长期性，无固定期限"),
    (MONTHLY, "每月，月末前（需完成1次）"),
    (Rule(kind="month", day=25), "每月，当月25日前（需完成1次）"),
    (Rule(kind="month", after_days=5), "每月，月结束后5日内（需完成1次）"),
    (Rule(kind="quarter", month=1, day=10), "每季度，季度首月10日前（需完成1次）"),
    (Rule(kind="half"), "每半年，半年末前（需完成1次）"),
    (YEAR_END, "每年，年底前（需完成1次）"),
    (Rule(kind="year", count=2), "每年，年底前（需完成2次）"),
    (Rule(kind="year", month=6), "每年，6月底前（需完成1次）"),
    (Rule(kind="year", month=3, day=31), "每年，3月31日前（需完成1次）"),
    (Rule(kind="week"), "每周，周日前（需完成1次）"),
    (Rule(kind="week", weekday=4), "每周，周五前（需完成1次）"),
    (Rule(kind="semester", month=1, day=1, after_months=1, after_days=-1),
     "每学期，开学后1个月内（需完成1次）"),
    (Rule(kind="semester", month=1, day=1, after_days=14), "每学期，开学后15日内（需完成1次）"),
])
def test_describe(rule, words):
    assert describe(rule) == words


def test_describe_every_parsed_seed_rule():
    for text, _ in SEED:
        for rule in parse(text, PLAN_YEAR):
            assert describe(rule)


# ---------------------------------------------------------------- properties

VOCAB = ["每", "月", "年", "日", "号", "前", "底", "季度", "首月", "之后", "内", "內", "半年",
         "周", "五", "学期", "开学后", "个月", "长期性", "常态化", "至少", "次", "以上",
         "上月", "、", "，", "；", "。", " ", "  ", "\n", "0", "1", "2", "9", "12", "31", "2018",
         "二〇一八", "十", "廿", "两", "〇", "１", "上", "下", "完成", "（", "）", "年底", "末"]


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_arbitrary_text_raises_only_phrase_error(text):
    try:
        rules = parse(text, PLAN_YEAR)
    except PhraseError as err:
        assert 0 <= err.position <= len(text)
    else:
        assert rules and all(isinstance(r, Rule) for r in rules)
    count_in_text(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), max_size=14).map("".join),
       st.integers(min_value=-5, max_value=10_005))
def test_deadline_like_text_raises_only_phrase_error(text, plan_year):
    try:
        rules = parse(text, plan_year)
    except PhraseError as err:
        assert 0 <= err.position <= len(text)
    else:
        for rule in rules:
            assert rule.source
            assert describe(rule)
