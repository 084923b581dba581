"""The families table of deadline words: each family's examples, explicit due dates, objects, refusals, silence.

Dates here are NOMINAL due dates (before any holiday shift), the first few on or
after a day, worked out by hand.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin_cli.app.explain import explain_phrase
from fupin_cli.domain.errors import PhraseError
from fupin_cli.domain.holidays import HolidayCalendar, holiday_first_day
from fupin_cli.domain.model import Rule, Settings
from fupin_cli.phrases import parse, read
from fupin_cli.phrases.families import FAMILIES

D = date.fromisoformat


def dates(phrase: str, plan_year: int, as_of: str, n: int = 4) -> list[str]:
    """The first ``n`` distinct nominal due dates on or after ``as_of``."""
    found = explain_phrase(phrase, plan_year, D(as_of), Settings(), HolidayCalendar("none"), 3 * n + 6)
    return sorted({r["nominal_due"] for r in found["next"] if r["nominal_due"] >= as_of})[:n]


# ---------------------------------------------------------------- the table's own examples

@pytest.mark.parametrize("family", FAMILIES, ids=[f.name for f in FAMILIES])
def test_each_family_reads_its_examples(family):
    if family.name == "周几不存在":
        assert family.examples == ()
        with pytest.raises(PhraseError, match="星期没有"):
            parse("每周八", 2023)
        return
    assert family.examples, f"family {family.name} has no examples"
    for example in family.examples:
        reading = read(example, 2023)
        bounds = family.name in ("自某时起", "某年至某年", "某年及以后")
        if not bounds:
            assert family.name in reading.families, (example, reading.families)
        for rule in reading.rules:
            assert rule.words and rule.span is not None


def test_family_names_are_unique():
    names = [f.name for f in FAMILIES]
    assert len(names) == len(set(names))


# ---------------------------------------------------------------- explicit dates, family by family

CASES = [
    # lists: each item a rule of the head's kind
    ("每年3月底和9月底前", 2023, "2023-01-01", ["2023-03-31", "2023-09-30", "2024-03-31", "2024-09-30"]),
    ("每月5日和20日前", 2023, "2023-01-01", ["2023-01-05", "2023-01-20", "2023-02-05", "2023-02-20"]),
    ("每周一、四", 2023, "2023-01-01", ["2023-01-02", "2023-01-05", "2023-01-09", "2023-01-12"]),
    ("2018年10月、12月底前", 2018, "2018-01-01", ["2018-10-31", "2018-12-31"]),
    ("2018年、2019年年底前", 2018, "2018-01-01", ["2018-12-31", "2019-12-31"]),
    ("每年6月底前 每年12月底前", 2023, "2023-01-01", ["2023-06-30", "2023-12-31", "2024-06-30", "2024-12-31"]),
    ("4月、7月、10月及次年1月5日前", 2011, "2011-01-01", ["2011-04-05", "2011-07-05", "2011-10-05", "2012-01-05"]),
    ("每年2月、4月、6月", 2023, "2023-01-01", ["2023-02-28", "2023-04-30", "2023-06-30", "2024-02-29"]),
    # 旬
    ("每月上旬", 2023, "2023-01-01", ["2023-01-10", "2023-02-10", "2023-03-10", "2023-04-10"]),
    ("每月中旬", 2023, "2023-01-01", ["2023-01-20", "2023-02-20", "2023-03-20", "2023-04-20"]),
    ("每月下旬", 2023, "2023-01-01", ["2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30"]),
    ("7月上旬前", 2023, "2023-01-01", ["2023-07-10"]),
    ("每旬", 2023, "2023-02-01", ["2023-02-10", "2023-02-20", "2023-02-28", "2023-03-10"]),
    # quarters and halves by name
    ("一季度", 2023, "2023-01-01", ["2023-03-31"]),
    ("第三季度末", 2023, "2023-01-01", ["2023-09-30"]),
    ("三季度", 2023, "2023-01-01", ["2023-09-30"]),
    ("每年一季度", 2023, "2023-01-01", ["2023-03-31", "2024-03-31", "2025-03-31", "2026-03-31"]),
    ("上半年", 2023, "2023-01-01", ["2023-06-30"]),
    ("下半年", 2023, "2023-01-01", ["2023-12-31"]),
    ("每年上半年", 2023, "2023-01-01", ["2023-06-30", "2024-06-30", "2025-06-30", "2026-06-30"]),
    # a month with no 底
    ("9月", 2023, "2023-01-01", ["2023-09-30"]),
    ("9月份", 2023, "2023-01-01", ["2023-09-30"]),
    ("2018年12月", 2018, "2018-01-01", ["2018-12-31"]),
    ("每年3月", 2023, "2023-01-01", ["2023-03-31", "2024-03-31", "2025-03-31", "2026-03-31"]),
    ("2015年完成", 2015, "2015-01-01", ["2015-12-31"]),
    # ranges: due at the end
    ("7月3日至7月15日", 2023, "2023-01-01", ["2023-07-15"]),
    ("5月—8月", 2023, "2023-01-01", ["2023-08-31"]),
    ("8月28-9月6日", 2016, "2016-01-01", ["2016-09-06"]),
    ("9月15日-25日", 2013, "2013-01-01", ["2013-09-25"]),
    ("每年11月至次年3月", 2023, "2023-04-01", ["2024-03-31", "2025-03-31", "2026-03-31", "2027-03-31"]),
    ("12月1日至次年2月底", 2023, "2023-01-01", ["2024-02-29"]),
    ("2018年至2020年每年年底前", 2018, "2018-01-01", ["2018-12-31", "2019-12-31", "2020-12-31"]),
    ("自2024年起每季度末", 2023, "2023-01-01", ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"]),
    # next-period offsets
    ("次月5日前", 2023, "2023-01-06", ["2023-02-05", "2023-03-05", "2023-04-05", "2023-05-05"]),
    ("下月10日前", 2023, "2023-01-11", ["2023-02-10", "2023-03-10", "2023-04-10", "2023-05-10"]),
    ("月后18日前", 2023, "2023-01-19", ["2023-02-18", "2023-03-18", "2023-04-18", "2023-05-18"]),
    ("季后7日", 2023, "2023-01-08", ["2023-04-07", "2023-07-07", "2023-10-07", "2024-01-07"]),
    ("每季度结束后次月10日前", 2023, "2023-01-11", ["2023-04-10", "2023-07-10", "2023-10-10", "2024-01-10"]),
    ("年后十日前", 2018, "2018-01-11", ["2019-01-10", "2020-01-10", "2021-01-10", "2022-01-10"]),
    ("年度终了后4个月内", 2019, "2019-05-01", ["2020-04-30", "2021-04-30", "2022-04-30", "2023-04-30"]),
    ("次年3月底前", 2023, "2023-01-01", ["2024-03-31"]),
    ("明年6月底前", 2023, "2023-01-01", ["2024-06-30"]),
    ("次月1日起15日内", 2019, "2019-01-16", ["2019-02-15", "2019-03-15", "2019-04-15", "2019-05-15"]),
    ("每月工作情况于次月5日前报送", 2023, "2023-01-06", ["2023-02-05", "2023-03-05", "2023-04-05", "2023-05-05"]),
    # positions inside a period
    ("每季度第一个月15日前", 2023, "2023-01-01", ["2023-01-15", "2023-04-15", "2023-07-15", "2023-10-15"]),
    ("每季度首月10日前", 2023, "2023-01-01", ["2023-01-10", "2023-04-10", "2023-07-10", "2023-10-10"]),
    ("每季度末月20日前", 2023, "2023-01-01", ["2023-03-20", "2023-06-20", "2023-09-20", "2023-12-20"]),
    ("每季度最后一个月20日前", 2023, "2023-01-01", ["2023-03-20", "2023-06-20", "2023-09-20", "2023-12-20"]),
    ("每季度第二个月底前", 2023, "2023-01-01", ["2023-02-28", "2023-05-31", "2023-08-31", "2023-11-30"]),
    ("每月第一周", 2023, "2023-01-01", ["2023-01-07", "2023-02-07", "2023-03-07", "2023-04-07"]),
    # working days on the official calendar, 调休 included
    ("每月最后一个工作日", 2023, "2023-01-01", ["2023-01-31", "2023-02-28", "2023-03-31", "2023-04-28"]),
    ("每月结束后5个工作日内", 2023, "2023-01-10", ["2023-02-07", "2023-03-07", "2023-04-10", "2023-05-09"]),
    ("每季度结束后10个工作日内", 2023, "2023-02-01", ["2023-04-17", "2023-07-14", "2023-10-18", "2024-01-15"]),
    ("次月第5个工作日前", 2023, "2023-01-10", ["2023-02-07", "2023-03-07", "2023-04-10", "2023-05-09"]),
    ("每年结束后15个工作日内", 2022, "2022-02-01", ["2023-01-28", "2024-01-22", "2025-01-22", "2026-01-22"]),
    ("2023年9月30日后5个工作日内", 2023, "2023-01-01", ["2023-10-11"]),
    # combined
    ("2018年6月底前完成，并长期坚持", 2018, "2018-01-01", ["2018-06-30"]),
    ("2018年12月底前完成，并每年更新", 2018, "2018-01-01", ["2018-12-31", "2019-12-31", "2020-12-31", "2021-12-31"]),
    ("2019年6月底前完成，以后每年更新一次", 2019, "2019-01-01", ["2019-06-30", "2020-06-30", "2021-06-30", "2022-06-30"]),
    ("持续到2018年底", 2018, "2018-01-01", ["2018-12-31"]),
    ("持续到2024年6月", 2024, "2024-01-01", ["2024-06-30"]),
    # two- and multi-month
    ("每两个月", 2023, "2023-01-01", ["2023-02-28", "2023-04-30", "2023-06-30", "2023-08-31"]),
    ("每双月", 2023, "2023-01-01", ["2023-02-28", "2023-04-30", "2023-06-30", "2023-08-31"]),
    ("每单月", 2023, "2023-01-01", ["2023-01-31", "2023-03-31", "2023-05-31", "2023-07-31"]),
    ("每双月10日前", 2023, "2023-01-01", ["2023-02-10", "2023-04-10", "2023-06-10", "2023-08-10"]),
    ("每年3月、9月", 2023, "2023-01-01", ["2023-03-31", "2023-09-30", "2024-03-31", "2024-09-30"]),
    # holidays by name: the first day off, from the official calendar
    ("春节前", 2024, "2024-01-01", ["2024-02-10"]),
    ("元旦前", 2019, "2018-12-01", ["2018-12-30"]),
    ("国庆节前", 2023, "2023-01-01", ["2023-09-30"]),
    ("2025年春节前", 2024, "2024-01-01", ["2025-01-28"]),
    ("从2019年11月20日至2020年春节前", 2019, "2019-11-20", ["2020-01-24"]),
    # weeks
    ("每周", 2023, "2023-01-01", ["2023-01-01", "2023-01-08", "2023-01-15", "2023-01-22"]),
    ("每周星期五", 2023, "2023-01-01", ["2023-01-06", "2023-01-13", "2023-01-20", "2023-01-27"]),
    # the shipped plan's words read as before
    ("每季度之后10日内完成", 2018, "2018-04-25", ["2018-07-10", "2018-10-10", "2019-01-10", "2019-04-10"]),
    ("每学期开学后一个月內完成", 2018, "2018-04-25", ["2018-09-30", "2019-03-31", "2019-09-30", "2020-03-31"]),
]


@pytest.mark.parametrize("phrase, plan_year, as_of, expected", CASES, ids=[c[0] for c in CASES])
def test_family_dates(phrase, plan_year, as_of, expected):
    assert dates(phrase, plan_year, as_of) == expected


def test_combined_ongoing_and_counts():
    kinds = [r.kind for r in parse("2023年9月底前建立机制并长期坚持", 2023)]
    assert kinds == ["once", "ongoing"]
    assert [r.kind for r in parse("自2023年7月起长期坚持", 2023)] == ["ongoing"]
    (rule,) = parse("每月向本府主席作综合报告一次,均限于次月十日前送达", 2023)
    assert (rule.kind, rule.after_days, rule.count) == ("month", 10, 1)
    (rule,) = parse("每年至少召开1次组织生活会,一般安排在第四季度", 2021)
    assert (rule.kind, rule.month, rule.count) == ("year", None, 1)
    rules = parse("各监测断面每年2月、4月、6月各监测一次,共计8次", 2004)
    assert [(r.month, r.count) for r in rules] == [(2, 1), (4, 1), (6, 1)]


def test_new_rule_shapes():
    assert parse("每单月", 2023)[0].meaning == Rule(kind="bimonth", month=1)
    assert parse("每月最后一个工作日", 2023)[0].meaning == Rule(kind="month", workdays=-1)
    assert parse("每月结束后5个工作日内", 2023)[0].meaning == Rule(kind="month", workdays=5)
    assert parse("年度终了后4个月内", 2023)[0].meaning == Rule(kind="year", after_months=4)
    assert parse("每年11月至次年3月", 2023)[0].meaning == Rule(kind="year", month=3, after_months=12)
    rule = parse("2018年至2020年每年年底前", 2018)[0]
    assert (rule.since, rule.until) == (D("2018-01-01"), D("2020-12-31"))
    spring = parse("2024年春节前", 2024)[0]
    assert (spring.date, spring.holiday) == (D("2024-02-10"), "春节")


def test_holiday_first_days_by_name():
    assert holiday_first_day("元旦", 2019) == D("2018-12-30")
    assert holiday_first_day("国庆节", 2023) == D("2023-09-30")  # 09-29 is 中秋节
    assert holiday_first_day("中秋节", 2023) == D("2023-09-29")
    assert holiday_first_day("清明节", 2025) == D("2025-04-04")
    from fupin_cli.domain.holidays import HolidayYearUnknown

    with pytest.raises(HolidayYearUnknown):
        holiday_first_day("春节", 2027)


# ---------------------------------------------------------------- words, spans and objects

def test_each_rule_knows_its_words():
    text = "2018年6月30日前完成当年帮扶村、户项目计划和上半年项目实施情况的录入工作；每月25日前录入"
    reading = read(text, 2018)
    assert [r.words for r in reading.rules] == ["2018年6月30日前", "每月25日前"]
    assert [text[slice(*r.span)] for r in reading.rules] == ["2018年6月30日前", "每月25日前"]
    objects = [text[a:b] for a, b in reading.objects]
    assert "当年" in objects and any(o.startswith("上半年") for o in objects)


@pytest.mark.parametrize("text, plan_year, expected", [
    ("2018年6月30日前完成当年帮扶村、户项目计划和上半年项目实施情况的录入工作", 2018, [("once", "2018-06-30")]),
    ("12月31日前完成2019年全年帮扶村、户项目计划和2018年全年项目实施情况的录入工作", 2018, [("once", "2018-12-31")]),
    ("9月底前报送上半年工作总结和下半年工作计划", 2023, [("once", "2023-09-30")]),
    ("每年3月10日前上报上一年度第四季度报表", 2006, [("year", None)]),
    ("每年12月25日前,上报上一年度第四季度及本年度第一、第二、第三季度报表", 2006, [("year", None)]),
    ("每季度末报送持续改进情况", 2023, [("quarter", None)]),
    ("编制可持续发展规划，2019年6月底前完成", 2019, [("once", "2019-06-30")]),
    ("2020年6月底前完善常态化疫情防控举措", 2020, [("once", "2020-06-30")]),
    ("2023年底前完成长期护理保险试点评估", 2023, [("once", "2023-12-31")]),
    ("于10月30日前将《2009年环保专项行动工作总结》报送", 2009, [("once", "2009-10-30")]),
    ("2017年帮扶项目于2018年3月底前全部完成", 2018, [("once", "2018-03-31")]),
    ("每周五对下周工作进行提前部署", 2015, [("week", None)]),
])
def test_object_words_are_not_deadlines(text, plan_year, expected):
    rules = parse(text, plan_year)
    assert [(r.kind, r.date.isoformat() if r.date else None) for r in rules] == expected


@pytest.mark.parametrize("text, word", [
    ("每年3月底和9月", "9月"),           # would have been dropped: now a rule, so see below
])
def test_lists_are_read_whole(text, word):
    assert len(parse(text, 2023)) == 2


@pytest.mark.parametrize("text, at, says", [
    ("2019年脱贫摘帽", "2019年", "不属于任何读懂的期限"),
    ("每月25日前，周边3日内", "3日内", "算起的期限"),
    ("每月25日前，星期八", "星期", "不属于任何读懂的期限"),
])
def test_a_date_word_left_over_is_an_error_pointing_at_it(text, at, says):
    with pytest.raises(PhraseError) as info:
        parse(text, 2023)
    assert says in info.value.message
    assert info.value.position == text.index(at)
    assert info.value.pointer().endswith("^")


# ---------------------------------------------------------------- refusals

@pytest.mark.parametrize("text, at, says", [
    ("收到通知后5个工作日内", "5个工作日内", "算起的期限"),
    ("会后3日内", "3日内", "算起的期限"),
    ("自期满之日起15日内申报", "期满", "算起的期限"),
    ("按月或者按次预缴", "按次", "算起的期限"),
    ("立行立改", "立行立改", "没有说明具体哪一天"),
    ("随时", "随时", "没有说明具体哪一天"),
    ("每月初", "每月初", "没有说明具体哪一天"),
    ("本月", "本月", "没有说明具体哪一天"),
    ("每月或者季度终了后15日内", "每月或者季度", "没有说明具体哪一天"),
    ("问题发现后立即整改", "立即", "没有说明具体哪一天"),
    ("汛期前", "汛期前", "因地因年而异"),
    ("每年汛期前", "汛期前", "因地因年而异"),
    ("雨季来临前", "雨季来临前", "因地因年而异"),
    ("每月100日前", "每月", "超出范围"),
    ("每周八", "每周", "超出范围"),
    ("2月30日前", "2月", "超出范围"),
    ("每季度第四个月10日前", "每季度", "超出范围"),
    ("2027年春节前", "2027", "超出范围"),
    ("每年春节前", "每年", "没有说明具体哪一天"),
    ("按要求完成", "按要求", "没有找到期限"),
    ("自2008年5月1日起施行", "自", "没有找到期限"),
])
def test_refusals_say_why_and_what_to_write(text, at, says):
    with pytest.raises(PhraseError) as info:
        parse(text, 2023)
    assert says in info.value.message
    assert "schedule:" in info.value.message
    assert info.value.position == text.index(at)


def test_regional_words_with_their_dates_are_read():
    rules = parse("夏季麦收前(5月30日一6月4日)、秋季秋收前(9月20日一9月30日)", 2021)
    assert [r.date for r in rules] == [D("2021-06-04"), D("2021-09-30")]


# ---------------------------------------------------------------- normalisation

@pytest.mark.parametrize("text, expected", [
    ("每年\u200b6月底前", Rule(kind="year", month=6)),
    ("\u30002023年6月底前完成", Rule(kind="once", date=D("2023-06-30"))),
    ("2023年6月30日前\ufeff", Rule(kind="once", date=D("2023-06-30"))),
    ("2023年6月\xa030日前", Rule(kind="once", date=D("2023-06-30"))),
    ("次年 1 月 2 0日前", Rule(kind="once", date=D("2024-01-20"))),
    ("二零二三年十月底前", Rule(kind="once", date=D("2023-10-31"))),
    ("每月廿五日前", Rule(kind="month", day=25)),
    ("每月十五号前", Rule(kind="month", day=15)),
    ("每礼拜三前", Rule(kind="week", weekday=2)),
    ("每週五前", Rule(kind="week", weekday=4)),
    ("於2017年12月26日(周二)17:00前", Rule(kind="once", date=D("2017-12-26"))),
])
def test_normalised_writing(text, expected):
    assert [r.meaning for r in parse(text, 2023)] == [expected]


# ---------------------------------------------------------------- silence is impossible

# Pieces of the grammar: date expressions of every family, objects, fillers, joiners, refusals.
_PIECES = ["每月25日前", "每年6月底前", "每季度末", "2018年6月30日前", "每周五前", "上半年", "三季度", "9月",
           "每月上旬", "次月5日前", "季后7日", "每年3月底和9月底前", "7月3日至7月15日", "自2024年起", "每季度",
           "每两个月", "长期性", "常态化", "持续推进", "春节前", "每月结束后5个工作日内", "2018年至2020年", "每年",
           "上报上一年度数据", "完成2019年全年计划", "《2009年工作总结》", "可持续发展", "会后3日内", "随时",
           "汛期前", "每周八", "每月32日前", "完成", "报送", "录入", "项目", "工作", "情况", "，", "、", "和",
           "；", "。", " ", "并", "以后", "至少两次", "一次", "2019年", "12月", "5日", "每", "周一", "下旬", "底",
           "前", "至", "起", "年底", "本月", "当月的", "上月", "下周工作"]
_SELF_DATE_WORDS = re.compile(
    r"(?:[0-9]+|[〇零一二两三四五六七八九十廿]+)[年月日号旬季周]|每[年月季周两双单旬]|季度|半年|[上中下]旬|次月|次年|年底|季后|月后|年后"
    r"|周[一二三四五六日]|持续|长期|常态|长效|春节")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=7).map("".join), st.integers(2000, 2030))
def test_every_date_word_is_accounted_for_or_the_phrase_is_refused(text, plan_year):
    try:
        reading = read(text, plan_year)
    except PhraseError as err:
        assert 0 <= err.position <= len(text)
        return
    covered = list(reading.read_spans) + list(reading.objects)
    for m in _SELF_DATE_WORDS.finditer(text):
        assert any(a <= m.start() and m.end() <= b for a, b in covered), (text, m.group(), covered)


@pytest.mark.parametrize("rule, words", [
    (Rule(kind="bimonth"), "每两个月，双月月底前（需完成1次）"),
    (Rule(kind="bimonth", month=1, day=5), "每两个月，单月5日前（需完成1次）"),
    (Rule(kind="dekad"), "每旬，旬末前（需完成1次）"),
    (Rule(kind="month", workdays=5), "每月，月结束后5个工作日内（需完成1次）"),
    (Rule(kind="month", workdays=-1), "每月，月末前最后一个工作日（需完成1次）"),
    (Rule(kind="year", month=3, after_months=12), "每年，次年3月底前（需完成1次）"),
    (Rule(kind="year", after_months=4), "每年，年结束后4个月内（需完成1次）"),
    (Rule(kind="quarter", since=D("2024-01-01")), "每季度，季度末前（自2024-01-01起）（需完成1次）"),
    (Rule(kind="year", since=D("2018-01-01"), until=D("2020-12-31")),
     "每年，年底前（2018-01-01至2020-12-31）（需完成1次）"),
    (Rule(kind="once", date=D("2024-02-10"), holiday="春节"), "一次性，2024-02-10（春节放假首日）前"),
    (Rule(kind="once", date=D("2023-09-30"), workdays=5), "一次性，2023-09-30后第5个工作日"),
])
def test_describe_new_shapes(rule, words):
    from fupin_cli.phrases import describe

    assert describe(rule) == words
