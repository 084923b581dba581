"""Rules → occurrences, holidays and period labels (fupin_cli.schedule)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fupin_cli.domain.model import Rule, Settings
from fupin_cli.phrases import parse
from fupin_cli.domain.holidays import HolidayCalendar
from fupin_cli.domain.periods import KINDS, read_label
from fupin_cli.domain.schedule import occurrences

D = date.fromisoformat
WINDOW = (date(2018, 4, 25), date(2018, 12, 31))
SETTINGS = Settings()


@pytest.fixture(scope="module")
def cal():
    return HolidayCalendar("next_workday")


def table(rule, window=WINDOW, calendar=None, settings_=SETTINGS):
    calendar = calendar or HolidayCalendar("next_workday")
    return [(o.period, o.nominal_due and o.nominal_due.isoformat(), o.due and o.due.isoformat())
            for o in occurrences(rule, 0, window, settings_, calendar)]


# ---------------------------------------------------------------- holidays

@pytest.mark.parametrize("shift, day, expected", [
    ("next_workday", "2018-06-30", "2018-07-02"),      # Saturday
    ("next_workday", "2018-12-31", "2019-01-02"),      # New Year holiday
    ("next_workday", "2018-09-30", "2018-09-30"),      # Sunday, official workday (调休)
    ("previous_workday", "2018-06-30", "2018-06-29"),
    ("previous_workday", "2018-12-31", "2018-12-29"),  # Saturday 12-29 was a workday
    ("previous_workday", "2018-09-30", "2018-09-30"),
    ("previous_workday", "2018-10-05", "2018-09-30"),  # National Day week
    ("none", "2018-06-30", "2018-06-30"),
    ("none", "2018-12-31", "2018-12-31"),
    ("none", "2018-09-30", "2018-09-30"),
])
def test_effective(shift, day, expected):
    calendar = HolidayCalendar(shift)
    assert calendar.effective(D(day)) == D(expected)
    assert calendar.unknown_years == set()


def test_is_workday():
    calendar = HolidayCalendar("none")
    assert calendar.is_workday(D("2018-09-30"))        # Sunday 调休
    assert calendar.is_workday(D("2018-04-28"))        # Saturday 调休
    assert not calendar.is_workday(D("2018-10-03"))    # National Day
    assert not calendar.is_workday(D("2018-06-30"))    # Saturday
    assert calendar.is_workday(D("2018-10-10"))


def test_unknown_years_fall_back_to_weekends():
    calendar = HolidayCalendar("next_workday")
    assert calendar.effective(D("2027-01-02")) == D("2027-01-04")
    assert calendar.unknown_years == {2027}
    assert calendar.effective(D("2027-01-01")) == D("2027-01-01")  # no holiday data: a Friday
    assert HolidayCalendar("previous_workday").effective(D("2027-01-03")) == D("2027-01-01")
    calendar.effective(D("2026-12-31"))
    assert calendar.unknown_years == {2027}


def test_bad_shift():
    with pytest.raises(ValueError):
        HolidayCalendar("sideways")


# ---------------------------------------------------------------- occurrences

def test_quarter_after_10_days():
    assert table(Rule(kind="quarter", after_days=10)) == [
        ("2018-Q2", "2018-07-10", "2018-07-10"),
        ("2018-Q3", "2018-10-10", "2018-10-10"),   # Wednesday after National Day: a workday
        ("2018-Q4", "2019-01-10", "2019-01-10"),
    ]


def test_quarter_end_and_first_month():
    assert table(Rule(kind="quarter")) == [
        ("2018-Q2", "2018-06-30", "2018-07-02"),
        ("2018-Q3", "2018-09-30", "2018-09-30"),
        ("2018-Q4", "2018-12-31", "2019-01-02"),
    ]
    assert table(Rule(kind="quarter", month=1, day=10)) == [
        ("2018-Q2", "2018-04-10", "2018-04-10"),
        ("2018-Q3", "2018-07-10", "2018-07-10"),
        ("2018-Q4", "2018-10-10", "2018-10-10"),
    ]


def test_month_day_25():
    assert table(Rule(kind="month", day=25)) == [
        ("2018-04", "2018-04-25", "2018-04-25"),
        ("2018-05", "2018-05-25", "2018-05-25"),
        ("2018-06", "2018-06-25", "2018-06-25"),
        ("2018-07", "2018-07-25", "2018-07-25"),
        ("2018-08", "2018-08-25", "2018-08-27"),
        ("2018-09", "2018-09-25", "2018-09-25"),
        ("2018-10", "2018-10-25", "2018-10-25"),
        ("2018-11", "2018-11-25", "2018-11-26"),
        ("2018-12", "2018-12-25", "2018-12-25"),
    ]


def test_month_end():
    assert table(Rule(kind="month")) == [
        ("2018-04", "2018-04-30", "2018-05-02"),   # 4-29..5-1 Labour Day holiday
        ("2018-05", "2018-05-31", "2018-05-31"),
        ("2018-06", "2018-06-30", "2018-07-02"),
        ("2018-07", "2018-07-31", "2018-07-31"),
        ("2018-08", "2018-08-31", "2018-08-31"),
        ("2018-09", "2018-09-30", "2018-09-30"),
        ("2018-10", "2018-10-31", "2018-10-31"),
        ("2018-11", "2018-11-30", "2018-11-30"),
        ("2018-12", "2018-12-31", "2019-01-02"),
    ]


def test_month_previous_period_plus_days():
    # 每月5日前报送上月: period 2018-04 is due on 2018-05-05 (a Saturday).
    assert table(Rule(kind="month", after_days=5), window=(D("2018-04-25"), D("2018-06-30"))) == [
        ("2018-04", "2018-05-05", "2018-05-07"),
        ("2018-05", "2018-06-05", "2018-06-05"),
        ("2018-06", "2018-07-05", "2018-07-05"),
    ]


def test_day_is_clamped_to_month_length():
    rule = Rule(kind="month", day=31)
    assert table(rule, window=(D("2018-01-01"), D("2018-04-30")), calendar=HolidayCalendar("none")) == [
        ("2018-01", "2018-01-31", "2018-01-31"),
        ("2018-02", "2018-02-28", "2018-02-28"),
        ("2018-03", "2018-03-31", "2018-03-31"),
        ("2018-04", "2018-04-30", "2018-04-30"),
    ]
    leap = Rule(kind="year", month=2, day=29)
    assert table(leap, window=(D("2019-01-01"), D("2020-12-31")), calendar=HolidayCalendar("none")) == [
        ("2019", "2019-02-28", "2019-02-28"),
        ("2020", "2020-02-29", "2020-02-29"),
    ]


def test_half():
    assert table(Rule(kind="half")) == [
        ("2018-H1", "2018-06-30", "2018-07-02"),
        ("2018-H2", "2018-12-31", "2019-01-02"),
    ]


def test_year():
    assert table(Rule(kind="year")) == [("2018", "2018-12-31", "2019-01-02")]
    assert table(Rule(kind="year", month=6)) == [("2018", "2018-06-30", "2018-07-02")]
    assert table(Rule(kind="year", month=3, day=31), window=(D("2018-04-25"), D("2019-01-01"))) == [
        ("2018", "2018-03-31", "2018-04-02"),
        ("2019", "2019-03-31", "2019-04-01"),
    ]


def test_week():
    rows = table(Rule(kind="week", weekday=4))
    assert len(rows) == 37
    assert rows[:3] == [
        ("2018-W17", "2018-04-27", "2018-04-27"),
        ("2018-W18", "2018-05-04", "2018-05-04"),
        ("2018-W19", "2018-05-11", "2018-05-11"),
    ]
    assert ("2018-W40", "2018-10-05", "2018-10-08") in rows   # National Day Friday
    assert rows[-1] == ("2019-W01", "2019-01-04", "2019-01-04")  # week of 2018-12-31
    sundays = table(Rule(kind="week"), window=(D("2018-04-25"), D("2018-05-06")))
    assert sundays == [
        ("2018-W17", "2018-04-29", "2018-05-02"),   # Labour Day holiday
        ("2018-W18", "2018-05-06", "2018-05-07"),
    ]


def test_semester():
    rule = Rule(kind="semester", month=1, day=1, after_months=1, after_days=-1)
    assert table(rule) == [
        ("2018-S1", "2018-03-31", "2018-04-02"),
        ("2018-S2", "2018-09-30", "2018-09-30"),
    ]
    occ = occurrences(rule, 3, WINDOW, SETTINGS, HolidayCalendar("next_workday"))
    assert [(o.start, o.end, o.rule_index) for o in occ] == [
        (D("2018-03-01"), D("2018-08-31"), 3),
        (D("2018-09-01"), D("2019-02-28"), 3),
    ]
    # A window in February reaches back to the previous year's autumn term.
    assert table(rule, window=(D("2019-02-01"), D("2019-03-01"))) == [
        ("2018-S2", "2018-09-30", "2018-09-30"),
        ("2019-S1", "2019-03-31", "2019-04-01"),
    ]


def test_semester_with_own_start_dates():
    custom = Settings(semester_starts=((2, 20), (9, 1)))
    rule = Rule(kind="semester", month=1, day=1, after_months=1, after_days=-1)
    assert table(rule, settings_=custom, calendar=HolidayCalendar("none")) == [
        ("2018-S1", "2018-03-19", "2018-03-19"),
        ("2018-S2", "2018-09-30", "2018-09-30"),
    ]
    assert read_label("2018-S1", custom) == ("semester", D("2018-02-20"), D("2018-08-31"))
    assert read_label("2018-S2", custom) == ("semester", D("2018-09-01"), D("2019-02-19"))


def test_once_always_yields_its_date():
    rule = Rule(kind="once", date=D("2018-06-30"), count=2)
    (occ,) = occurrences(rule, 7, WINDOW, SETTINGS, HolidayCalendar("next_workday"))
    assert (occ.period, occ.start, occ.end, occ.nominal_due, occ.due, occ.required, occ.rule_index) == (
        "2018-06-30", D("2018-06-30"), D("2018-06-30"), D("2018-06-30"), D("2018-07-02"), 2, 7)
    outside = Rule(kind="once", date=D("2018-03-31"))
    assert table(outside) == [("2018-03-31", "2018-03-31", "2018-04-02")]
    assert table(Rule(kind="once", date=D("2018-12-31"))) == [("2018-12-31", "2018-12-31", "2019-01-02")]


def test_ongoing_is_monthly_without_due():
    occ = occurrences(Rule(kind="ongoing", count=2), 0, WINDOW, SETTINGS, HolidayCalendar("next_workday"))
    assert [o.period for o in occ] == [f"2018-{m:02d}" for m in range(4, 13)]
    assert all(o.nominal_due is None and o.due is None and o.required == 2 for o in occ)
    assert (occ[0].start, occ[0].end) == (D("2018-04-01"), D("2018-04-30"))


def test_required_is_count():
    occ = occurrences(Rule(kind="year", count=2), 0, WINDOW, SETTINGS, HolidayCalendar("none"))
    assert [o.required for o in occ] == [2]


def test_window_edges():
    monthly = Rule(kind="month")
    assert [p for p, _, _ in table(monthly)][0] == "2018-04"   # overlaps 04-25
    assert [p for p, _, _ in table(monthly, window=(D("2018-05-31"), D("2018-07-01")))] == [
        "2018-05", "2018-06", "2018-07"]
    assert [p for p, _, _ in table(monthly, window=(D("2018-05-01"), D("2018-05-31")))] == ["2018-05"]
    assert [p for p, _, _ in table(Rule(kind="quarter"), window=(D("2018-06-30"), D("2018-07-01")))] == [
        "2018-Q2", "2018-Q3"]
    assert [p for p, _, _ in table(Rule(kind="week"), window=(D("2018-12-30"), D("2018-12-31")))] == [
        "2018-W52", "2019-W01"]
    assert table(monthly, window=(D("2018-05-01"), D("2018-04-30"))) == []


def test_seed_rules_in_plan_window():
    rules = parse("2018年6月30日前完成当年帮扶村、户项目计划和上半年项目实施情况的录入工作；"
                  "12月31日前完成2019年全年帮扶村、户项目计划和2018年全年项目实施情况的录入工作。"
                  "镇及贫困村录入人员在每月25日前录入当月的村、户项目建设情况；"
                  "区（县）、镇两级在每月28日前完成信息录入的审核工作。", 2018)
    calendar = HolidayCalendar("next_workday")
    counts = [len(occurrences(r, i, WINDOW, SETTINGS, calendar)) for i, r in enumerate(rules)]
    assert counts == [1, 1, 9, 9]
    april_28 = occurrences(rules[3], 3, WINDOW, SETTINGS, calendar)[0]
    assert (april_28.period, april_28.nominal_due, april_28.due) == (
        "2018-04", D("2018-04-28"), D("2018-04-28"))   # Saturday 04-28 was a workday


# ---------------------------------------------------------------- labels

@pytest.mark.parametrize("label, kind, start, end", [
    ("2018-07", "month", "2018-07-01", "2018-07-31"),
    ("2018-02", "month", "2018-02-01", "2018-02-28"),
    ("2018-Q3", "quarter", "2018-07-01", "2018-09-30"),
    ("2018-Q1", "quarter", "2018-01-01", "2018-03-31"),
    ("2018-H2", "half", "2018-07-01", "2018-12-31"),
    ("2018-H1", "half", "2018-01-01", "2018-06-30"),
    ("2018", "year", "2018-01-01", "2018-12-31"),
    ("2018-W29", "week", "2018-07-16", "2018-07-22"),
    ("2019-W01", "week", "2018-12-31", "2019-01-06"),
    ("2020-W53", "week", "2020-12-28", "2021-01-03"),
    ("2018-S1", "semester", "2018-03-01", "2018-08-31"),
    ("2018-S2", "semester", "2018-09-01", "2019-02-28"),
    ("2019-S2", "semester", "2019-09-01", "2020-02-29"),
    ("2018-04-30", "once", "2018-04-30", "2018-04-30"),
    (" 2018-q3 ", "quarter", "2018-07-01", "2018-09-30"),
    ("２０１８－Ｑ３", "quarter", "2018-07-01", "2018-09-30"),
])
def test_read_label(label, kind, start, end):
    assert read_label(label, SETTINGS) == (kind, D(start), D(end))


@pytest.mark.parametrize("label", [
    "", "2018-13", "2018-00", "2018-Q5", "2018-Q0", "2018-H3", "2018-W53", "2018-W00",
    "2018-S3", "2018-S0", "18", "2018-7", "2018/07", "2018-02-30", "abc", "2018年7月", "2018-W7",
])
def test_bad_labels(label):
    assert read_label(label, SETTINGS) is None


@pytest.mark.parametrize("kind, start, label", [
    ("month", "2018-07-01", "2018-07"),
    ("ongoing", "2018-07-01", "2018-07"),
    ("quarter", "2018-07-01", "2018-Q3"),
    ("half", "2018-07-01", "2018-H2"),
    ("year", "2018-01-01", "2018"),
    ("week", "2018-07-16", "2018-W29"),
    ("week", "2018-01-01", "2018-W01"),
    ("semester", "2018-03-01", "2018-S1"),
    ("semester", "2018-09-01", "2018-S2"),
    ("once", "2018-04-30", "2018-04-30"),
])
def test_period_label(kind, start, label):
    assert KINDS[kind].label(D(start), SETTINGS) == label


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["month", "quarter", "half", "year", "week", "semester"]),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_label_round_trip(kind, day):
    occ = occurrences(Rule(kind=kind), 0, (day, day), SETTINGS, HolidayCalendar("none"))
    assert len(occ) == 1
    o = occ[0]
    assert o.start <= day <= o.end
    assert KINDS[kind].label(o.start, SETTINGS) == o.period
    assert read_label(o.period, SETTINGS) == (kind, o.start, o.end)


# ---------------------------------------------------------------- properties

def rules():
    after = st.integers(min_value=0, max_value=40)
    return st.one_of(
        st.builds(Rule, kind=st.just("month"), day=st.none() | st.integers(1, 31), after_days=after),
        st.builds(Rule, kind=st.just("quarter"), month=st.none() | st.integers(1, 3),
                  day=st.none() | st.integers(1, 31), after_days=after),
        st.builds(Rule, kind=st.just("half"), month=st.none() | st.integers(1, 6),
                  day=st.none() | st.integers(1, 31), after_days=after),
        st.builds(Rule, kind=st.just("year"), month=st.none() | st.integers(1, 12),
                  day=st.none() | st.integers(1, 31), after_days=after),
        st.builds(Rule, kind=st.just("week"), weekday=st.none() | st.integers(0, 6),
                  after_days=st.integers(0, 10)),
        st.builds(Rule, kind=st.just("semester"), month=st.just(1), day=st.just(1),
                  after_months=st.integers(1, 3), after_days=st.just(-1)),
        st.builds(Rule, kind=st.just("semester"), month=st.none() | st.integers(1, 5),
                  day=st.none() | st.integers(1, 31), after_days=after),
        st.builds(Rule, kind=st.just("ongoing")),
    )


@settings(max_examples=300, deadline=None)
@given(rules(),
       st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31)),
       st.integers(min_value=0, max_value=400),
       st.sampled_from(["next_workday", "none"]))
def test_due_is_never_before_period_start(rule, lo, length, shift):
    hi = lo + timedelta(days=length)
    occ = occurrences(rule, 0, (lo, hi), SETTINGS, HolidayCalendar(shift))
    assert occ, "every window overlaps at least one period"
    assert occ == sorted(occ, key=lambda o: o.start)
    for o in occ:
        assert o.start <= o.end and o.end >= lo and o.start <= hi
        if rule.kind != "ongoing":
            assert o.nominal_due >= o.start
            assert o.due >= o.nominal_due if shift == "next_workday" else o.due == o.nominal_due
            assert o.due >= o.start
    # consecutive periods touch: no gaps, no overlaps
    for a, b in zip(occ, occ[1:]):
        assert b.start == a.end + timedelta(days=1)
