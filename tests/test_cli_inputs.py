"""The one date reader and the one period reader, and the README tables that document them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from fupin_cli.app.inputs import DATE_FORMS, PERIOD_FORMS, read_count, read_date, read_month, read_period
from fupin_cli.cli.options import DATE_HELP, PERIOD_HELP
from fupin_cli.domain.errors import UsageError

README = Path(__file__).resolve().parents[1] / "README.md"
SUNDAY = date(2018, 7, 15)  # the README's tables are read on this day


def readme_table(heading: str) -> list[tuple[list[str], list[str]]]:
    """(forms, readings) of each row of the README table whose first header cell is ``heading``."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"| {heading} | 写法 | 读作 |")
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        _, forms, readings = [cell.strip() for cell in line.strip("|").split("|")]
        forms = re.findall(r"`([^`]+)`", forms)
        readings = [r.strip() for r in readings.split(",")]
        rows.append((forms, readings * len(forms) if len(readings) == 1 else readings))
    return rows


@pytest.mark.parametrize("forms, readings", readme_table("日期"))
def test_every_date_form_in_the_readme_reads_as_documented(forms, readings):
    assert len(forms) == len(readings)
    for form, reading in zip(forms, readings):
        assert read_date(form, "--date", today=SUNDAY) == date.fromisoformat(reading), form


@pytest.mark.parametrize("forms, readings", readme_table("期间"))
def test_every_period_form_in_the_readme_reads_as_documented(forms, readings):
    assert len(forms) == len(readings)
    for form, reading in zip(forms, readings):
        assert read_period(form, "--period", today=SUNDAY) == reading, form


def test_the_forms_named_in_help_and_messages_all_read():
    for listing in (DATE_FORMS, DATE_HELP.removeprefix("写法：")):
        for form in listing.split("、"):
            read_date(form, "--date", today=SUNDAY)
    for listing in (PERIOD_FORMS, PERIOD_HELP.removeprefix("写法：")):
        for form in listing.split("、"):
            read_period(form, "--period", today=SUNDAY)


@pytest.mark.parametrize("text, expected", [
    ("  2018-7-5 ", "2018-07-05"), ("２０１８年７月５日", "2018-07-05"), ("2018年7月5号", "2018-07-05"),
    ("12-31", "2018-12-31"), ("1月1日", "2018-01-01"), ("二十一号", "2018-07-21"), ("十月一日", "2018-10-01"),
    ("星期一", "2018-07-09"), ("下星期日", "2018-07-22"), ("这周三", "2018-07-11"), ("0天前", "2018-07-15"),
])
def test_more_date_forms(text, expected):
    assert read_date(text, "--date", today=SUNDAY).isoformat() == expected


def test_relative_dates_cross_years_and_weeks():
    new_year = date(2019, 1, 1)  # a Tuesday
    assert read_date("昨天", "--date", today=new_year) == date(2018, 12, 31)
    assert read_date("上周五", "--date", today=new_year) == date(2018, 12, 28)
    assert read_period("上月", "--period", today=new_year) == "2018-12"
    assert read_period("上季度", "--period", today=new_year) == "2018-Q4"
    assert read_period("本周", "--period", today=new_year) == "2019-W01"
    assert read_period("上周", "--period", today=new_year) == "2018-W52"


@pytest.mark.parametrize("text, message", [
    ("", "--date 不能为空"),
    ("abc", "--date 的值 “abc” 不是有效日期；可写 2018-07-15、"),
    ("2018-02-30", "--date 的值 “2018-02-30” 不是有效日期（2018 年 2 月没有 30 日）"),
    ("2018-13-01", "不是有效日期（2018 年 13 月没有 1 日）"),
    ("1899-12-31", "--date 的值 “1899-12-31” 年份超出范围：应在 1900 到 2100 年之间"),
    ("21010101", "年份超出范围"),
    ("9999-12-31", "年份超出范围"),
    ("99999天前", "不是有效日期"),
])
def test_bad_dates_are_refused_with_the_forms(text, message):
    with pytest.raises(UsageError) as caught:
        read_date(text, "--date", today=SUNDAY)
    assert message in caught.value.message


@pytest.mark.parametrize("text, message", [
    ("2018-13", "不是有效期间；可写 2018-07、"),
    ("2018-Q5", "不是有效期间"),
    ("2018-W53", "2018 年只有第 1 到第 52 周"),
    ("1800", "年份超出范围"),
    ("2018-07#", "# 后应是报表所示的规则标记，如 2018-07#d25"),
    ("2018-07#规则", "# 后应是报表所示的规则标记"),
    ("下下月", "一次性任务写到期日，如 2018-04-30"),
])
def test_bad_periods_are_refused_with_the_forms(text, message):
    with pytest.raises(UsageError) as caught:
        read_period(text, "--period", today=SUNDAY)
    assert message in caught.value.message


def test_weeks_of_long_years_and_months():
    assert read_period("2020-W53", "--period", today=SUNDAY) == "2020-W53"
    assert read_month("2018年2月", "--month", today=SUNDAY) == (2018, 2)
    assert read_month("上月", "--month", today=SUNDAY) == (2018, 6)
    with pytest.raises(UsageError, match="不是一个月份"):
        read_month("2018-Q3", "--month", today=SUNDAY)


def test_counts_are_bounded():
    assert read_count(" 14 ", "--within", low=0, high=3660) == 14
    for text, message in (("-1", "--within 的值 -1 超出范围：应在 0 到 3660 之间"),
                          ("99999999999999999999999", "超出范围"),
                          ("1.5", "“1.5” 不是整数")):
        with pytest.raises(UsageError) as caught:
            read_count(text, "--within", low=0, high=3660)
        assert message in caught.value.message


def test_as_of_reads_relative_words_against_the_real_today(fupin, monkeypatch):
    from datetime import datetime, timezone

    from fupin_cli.app import context

    monkeypatch.setattr(context.RunContext, "now", staticmethod(lambda: datetime(2018, 7, 16, 1, 0, tzinfo=timezone.utc)))
    result = fupin("calendar", "--as-of", "昨天", "--from", "今天", "--to", "7月31日", "--format", "json",
                   "--unit", "市残联")
    assert result.code == 0, result.err
    # 2018-07-16 01:00 UTC is 09:00 in Shantou: --as-of 昨天 is 15 July, and --from 今天 is that as-of.
    assert [(r["due"], r["task"]) for r in result.json()] == [
        ("2018-07-31", "7.2"), ("2018-07-31", "8.2"), ("2018-07-31", "9.1")]
    window = fupin("calendar", "--as-of", "昨天", "--from", "前天", "--to", "今天", "--unit", "市残联")
    assert "2018-07-13 至 2018-07-15，共 0 项；责任单位：市残联" in window.out
