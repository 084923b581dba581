"""Weekly, monthly and quarterly reports on a small inline plan (dates worked out in support/report_plans.py)."""

from __future__ import annotations

from datetime import date

import pytest

from fupin_cli.output import views
from fupin_cli.reports.monthly import monthly_report
from fupin_cli.reports.period import UnitSummary, bounds, period_label, rank_units, trend_days
from fupin_cli.reports.quarterly import quarterly_report
from fupin_cli.reports.weekly import weekly_report
from support import report_plans as rp


@pytest.fixture
def plan():
    return rp.plan()


@pytest.fixture
def ledger(tmp_path):
    return rp.ledger(tmp_path)


def keys(rows):
    return [(r.task, r.unit, r.period, r.due.isoformat(), r.status) for r in rows]


def figures(summary: UnitSummary):
    return (summary.unit, summary.done_on_time, summary.done_late, summary.overdue, summary.due_now,
            summary.due_next, summary.done_now, summary.rank)


def test_bounds_and_labels():
    assert bounds("week", date(2018, 7, 18)) == (date(2018, 7, 16), date(2018, 7, 22))
    assert bounds("month", date(2018, 2, 10)) == (date(2018, 2, 1), date(2018, 2, 28))
    assert bounds("quarter", date(2018, 8, 31)) == (date(2018, 7, 1), date(2018, 9, 30))
    assert period_label("week", date(2018, 7, 16)) == "2018年第29周"
    assert period_label("month", date(2018, 7, 1)) == "2018年7月"
    assert period_label("quarter", date(2018, 10, 1)) == "2018年第四季度"


def test_weekly_summary_in_the_official_order_with_rank_previous_week_and_total(plan, ledger):
    report = weekly_report(rp.timetable(plan), ledger.as_of(rp.MONDAY))
    # units.yaml order (甲局, 乙局, then the group's members), not by code point (东区 乙局 甲局 西区)
    assert [figures(s) for s in report.summaries] == [
        ("甲局", 1, 2, 5, 0, 0, 1, 3),
        ("乙局", 1, 0, 0, 0, 0, 0, 1),
        ("东区", 1, 1, 0, 0, 1, 0, 1),  # the same rate as 乙局: the same rank
        ("西区", 0, 0, 2, 1, 0, 0, 4),
    ]
    jia = report.summaries[0]
    assert jia.rate == 3 / 8 and jia.previous_rate == 2 / 8  # June's completion is dated this Monday
    assert [s.previous_rate for s in report.summaries[1:]] == [1.0, 1.0, 0.0]
    total = report.total
    assert (total.unit, total.was_due, total.done, total.overdue, total.due_now, total.due_next) == ("合计", 13, 6, 7, 1, 1)
    assert total.rate == 6 / 13 and total.previous_rate == 5 / 13


def test_weekly_lists_in_the_official_order(plan, ledger):
    report = weekly_report(rp.timetable(plan), ledger.as_of(rp.MONDAY))
    assert keys(report.overdue) == [
        ("1", "甲局", "2018-03", "2018-03-05", "overdue"),
        ("1", "甲局", "2018-04", "2018-04-08", "overdue"),  # 清明: Sunday 4-8 was a working day
        ("1", "甲局", "2018-05", "2018-05-07", "overdue"),
        ("1", "甲局", "2018-07", "2018-07-05", "overdue"),
        ("3", "甲局", "2018-07-10", "2018-07-10", "overdue"),
        ("2", "西区", "2018-Q1", "2018-04-02", "overdue"),
        ("2", "西区", "2018-Q2", "2018-07-02", "overdue"),
    ]
    assert keys(report.due_now) == [("4", "西区", "2018-07-20", "2018-07-20", "due_soon")]
    assert keys(report.due_next) == [("5", "东区", "2018-07-25", "2018-07-25", "due_soon")]
    assert keys(report.done_now) == [("1", "甲局", "2018-06", "2018-06-05", "done_late")]
    by_date = weekly_report(rp.timetable(plan), ledger.as_of(rp.MONDAY), sort="due")
    assert [r.due.isoformat() for r in by_date.overdue] == ["2018-03-05", "2018-04-02", "2018-04-08", "2018-05-07",
                                                            "2018-07-02", "2018-07-05", "2018-07-10"]
    worst = weekly_report(rp.timetable(plan), ledger.as_of(rp.MONDAY), sort="overdue")
    assert [s.unit for s in worst.summaries] == ["甲局", "西区", "乙局", "东区"]
    named = weekly_report(rp.timetable(plan), ledger.as_of(rp.MONDAY), sort="name")
    assert [s.unit for s in named.summaries] == ["东区", "甲局", "西区", "乙局"]  # dong, jia, xi, yi


def test_monthly_report_compares_with_the_end_of_last_month_and_has_a_weekly_trend(plan, ledger):
    report = monthly_report(rp.timetable(plan), ledger, rp.MONDAY)
    assert (report.start, report.end, report.label, report.as_of) == (
        date(2018, 7, 1), date(2018, 7, 31), "2018年7月", rp.MONDAY)
    assert [(s.unit, s.previous_rate) for s in report.summaries] == [
        ("甲局", 2 / 6), ("乙局", None), ("东区", 1.0), ("西区", 0.0)]  # 乙局 had nothing due by 6-30
    assert keys(report.due_now) == [("5", "东区", "2018-07-25", "2018-07-25", "due_soon"),
                                    ("4", "西区", "2018-07-20", "2018-07-20", "due_soon")]
    assert keys(report.due_next) == [("1", "甲局", "2018-08", "2018-08-06", "upcoming")]
    assert [(r.task, r.unit) for r in report.done_now] == [("1", "甲局"), ("3", "乙局"), ("2", "东区")]
    trend = report.trend
    assert len(trend) == 29  # the Sundays 1-7 … 7-15, and the report's day
    assert [(p.day, p.done, p.was_due) for p in trend[:6]] == [
        (date(2018, 1, 7), 1, 1), (date(2018, 1, 14), 1, 1), (date(2018, 1, 21), 1, 1), (date(2018, 1, 28), 1, 1),
        (date(2018, 2, 4), 1, 1), (date(2018, 2, 11), 2, 2)]  # February's, done 2-10 after its 2-5
    assert (trend[9].day, trend[9].done, trend[9].was_due) == (date(2018, 3, 11), 2, 3)  # March's is late
    assert (trend[-2].day, trend[-2].done, trend[-2].was_due) == (date(2018, 7, 15), 5, 13)
    assert (trend[-1].day, trend[-1].done, trend[-1].was_due) == (rp.MONDAY, 6, 13)


def test_a_past_month_stands_as_it_did_on_its_last_day(plan, ledger):
    june = monthly_report(rp.timetable(plan), ledger, rp.MONDAY, date(2018, 6, 1))
    assert june.as_of == date(2018, 6, 30) and june.label == "2018年6月"
    jia = june.summaries[0]
    assert (jia.unit, jia.done, jia.overdue, jia.previous_rate) == ("甲局", 2, 4, 2 / 5)
    # 东区's Q2 was due 7-2: next month, not yet overdue on 6-30; it was done 7-3, which June does not see
    # (lights seen from 6-30: within 14 days yellow)
    assert keys(june.due_next) == [("1", "甲局", "2018-07", "2018-07-05", "due_soon"),
                                   ("3", "甲局", "2018-07-10", "2018-07-10", "due_soon"),
                                   ("3", "乙局", "2018-07-10", "2018-07-10", "due_soon"),
                                   ("2", "东区", "2018-Q2", "2018-07-02", "due_soon"),
                                   ("5", "东区", "2018-07-25", "2018-07-25", "upcoming"),
                                   ("2", "西区", "2018-Q2", "2018-07-02", "due_soon"),
                                   ("4", "西区", "2018-07-20", "2018-07-20", "upcoming")]
    assert june.due_now == [] and june.done_now == []


def test_quarterly_report(plan, ledger):
    report = quarterly_report(rp.timetable(plan), ledger, rp.MONDAY)
    assert (report.start, report.end, report.label) == (date(2018, 7, 1), date(2018, 9, 30), "2018年第三季度")
    assert keys(report.due_now) == [
        ("1", "甲局", "2018-08", "2018-08-06", "upcoming"), ("1", "甲局", "2018-09", "2018-09-05", "upcoming"),
        ("2", "东区", "2018-Q3", "2018-09-30", "upcoming"),  # Sunday 9-30 was a working day
        ("5", "东区", "2018-07-25", "2018-07-25", "due_soon"),
        ("2", "西区", "2018-Q3", "2018-09-30", "upcoming"), ("4", "西区", "2018-07-20", "2018-07-20", "due_soon")]
    # Q4 2018's is due 2019-01-02 (元旦), after the next quarter: not listed
    assert keys(report.due_next) == [("1", "甲局", "2018-10", "2018-10-08", "upcoming"),
                                     ("1", "甲局", "2018-11", "2018-11-05", "upcoming"),
                                     ("1", "甲局", "2018-12", "2018-12-05", "upcoming")]


def test_rank_ties_share_a_place_and_no_rate_no_rank():
    summaries = [UnitSummary("a", done_on_time=1), UnitSummary("b", overdue=1), UnitSummary("c", done_late=1),
                 UnitSummary("d", due_now=1), UnitSummary("e", done_on_time=1, overdue=1)]
    rank_units(summaries)
    assert [s.rank for s in summaries] == [1, 4, 1, None, 3]


def test_trend_days_are_sundays_then_the_day():
    assert trend_days(date(2018, 7, 4), date(2018, 7, 18)) == [date(2018, 7, 8), date(2018, 7, 15), date(2018, 7, 18)]
    assert trend_days(date(2018, 7, 16), date(2018, 7, 16)) == [date(2018, 7, 16)]
    assert len(trend_days(date(2016, 1, 1), date(2018, 12, 31))) == 53


def test_weekly_json_keeps_its_contract_and_adds_rank_previous_rate_and_total(plan, ledger):
    record = views.period_record(weekly_report(rp.timetable(plan), ledger.as_of(rp.MONDAY)))
    assert list(record) == ["title", "doc_no", "as_of", "week", "week_start", "week_end", "unit", "summary", "total",
                            "overdue", "due_this_week", "due_next_week", "done_this_week",
                            "extended", "progress_this_week", "waived"]  # the ledger's, added last
    assert record["summary"][0] == {"unit": "甲局", "overdue": 5, "due_this_week": 0, "due_next_week": 0,
                                    "done_this_week": 1, "done_on_time": 1, "done_late": 2, "was_due": 8,
                                    "rate": 0.375, "previous_rate": 0.25, "change": 0.125, "rank": 3,
                                    "extended": 0, "feedback_overdue": 0, "waived": 0}
    assert record["total"]["rate"] == 6 / 13 and record["total"]["rank"] is None


def test_monthly_json(plan, ledger):
    record = views.period_record(monthly_report(rp.timetable(plan), ledger, rp.MONDAY))
    assert (record["kind"], record["period"], record["start"], record["end"]) == (
        "month", "2018年7月", "2018-07-01", "2018-07-31")
    assert set(record["summary"][0]) >= {"due_this_period", "due_next_period", "done_this_period"}
    assert record["trend"][-1] == {"date": "2018-07-16", "done": 6, "was_due": 13, "rate": 6 / 13}
    assert [r["task"] for r in record["due_next_period"]] == ["1"]


def test_summary_change_is_the_difference_of_the_printed_percentages(plan, ledger):
    document = views.period_document(weekly_report(rp.timetable(plan), ledger.as_of(rp.MONDAY)), plan)
    summary = document.body()[0]
    jia = summary.rows[0]
    assert (jia["previous_rate"], jia["rate"], jia["change"]) == (0.25, 0.375, 0.13)  # 25% → 38%: ▲13
    assert summary.total["change"] == 0.08  # 38% → 46%
