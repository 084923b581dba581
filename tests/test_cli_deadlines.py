"""Deadlines through the CLI: explain, calendar (table, json, csv, ics), holiday shifts."""

from __future__ import annotations

import csv
import io

from icalendar import Calendar


def test_explain_quarterly_json(fupin):
    result = fupin("explain", "每季度之后10日内完成", "--as-of", "2018-07-01", "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["phrase"] == "每季度之后10日内完成" and data["ongoing"] is False
    assert [r["kind"] for r in data["rules"]] == ["quarter"]
    assert data["next"] == [
        {"period": "2018-Q2", "nominal_due": "2018-07-10", "due": "2018-07-10"},
        {"period": "2018-Q3", "nominal_due": "2018-10-10", "due": "2018-10-10"},
        {"period": "2018-Q4", "nominal_due": "2019-01-10", "due": "2019-01-10"},
        {"period": "2019-Q1", "nominal_due": "2019-04-10", "due": "2019-04-10"},
        {"period": "2019-Q2", "nominal_due": "2019-07-10", "due": "2019-07-10"},
        {"period": "2019-Q3", "nominal_due": "2019-10-10", "due": "2019-10-10"},
    ]


def test_explain_moves_holidays_by_the_official_calendar(fupin):
    june = fupin("explain", "2018年6月30日前", "--as-of", "2018-06-01", "--format", "json").json()
    assert june["next"] == [{"period": "2018-06-30", "nominal_due": "2018-06-30", "due": "2018-07-02"}]
    new_year = fupin("explain", "2018年底前", "--as-of", "2018-06-01", "--format", "json").json()
    assert new_year["next"][0]["due"] == "2019-01-02"
    # 2018-09-30 was a Sunday that the State Council made a working day: it stays.
    september = fupin("explain", "2018年9月30日前", "--as-of", "2018-06-01", "--format", "json").json()
    assert september["next"][0]["due"] == "2018-09-30"
    earlier = fupin("explain", "2018年6月30日前", "--as-of", "2018-06-01", "--format", "json",
                    "--holiday-shift", "previous_workday").json()
    assert earlier["next"][0]["due"] == "2018-06-29"
    unmoved = fupin("explain", "2018年6月30日前", "--as-of", "2018-06-01", "--format", "json",
                    "--holiday-shift", "none").json()
    assert unmoved["next"][0]["due"] == "2018-06-30"


def test_explain_monthly_previous_month_and_semester(fupin):
    report = fupin("explain", "每月10日前报送上月情况", "--as-of", "2018-07-01", "--format", "json").json()
    assert report["next"][:2] == [
        {"period": "2018-06", "nominal_due": "2018-07-10", "due": "2018-07-10"},
        {"period": "2018-07", "nominal_due": "2018-08-10", "due": "2018-08-10"},
    ]
    term = fupin("explain", "每学期开学后一个月內完成", "--as-of", "2018-07-01", "--format", "json").json()
    assert term["next"][:2] == [
        {"period": "2018-S2", "nominal_due": "2018-09-30", "due": "2018-09-30"},
        {"period": "2019-S1", "nominal_due": "2019-03-31", "due": "2019-04-01"},
    ]


def test_explain_ongoing_has_no_dates(fupin):
    data = fupin("explain", "长期性、常态化抓落实", "--as-of", "2018-07-01", "--format", "json").json()
    assert data["ongoing"] is True and data["next"] == []
    table = fupin("explain", "长期性、常态化抓落实", "--as-of", "2018-07-01")
    assert "长期性任务，没有到期日" in table.out


def test_explain_unreadable_words_point_at_them(fupin):
    result = fupin("explain", "择机完成", "--as-of", "2018-07-01")
    assert result.code == 2
    assert "择机完成" in result.err and "^" in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_calendar_month_for_a_unit(fupin):
    result = fupin("calendar", "--month", "2018-07", "--unit", "市残联", "--format", "json", "--as-of", "2018-07-15")
    assert result.code == 0, result.err
    rows = [(r["due"], r["task"], r["period"], r["unit"]) for r in result.json()]
    assert rows == [
        ("2018-07-02", "7.2", "2018-06", "市残联"),
        ("2018-07-02", "8.2", "2018-06", "市残联"),
        ("2018-07-02", "9.1", "2018-06", "市残联"),
        ("2018-07-31", "7.2", "2018-07", "市残联"),
        ("2018-07-31", "8.2", "2018-07", "市残联"),
        ("2018-07-31", "9.1", "2018-07", "市残联"),
    ]
    assert set(result.json()[0]) >= {"task", "text", "unit", "period", "nominal_due", "due", "required"}


def test_calendar_expands_groups_to_members(fupin):
    rows = fupin("calendar", "--month", "2018-07", "--task", "1.1", "--format", "json").json()
    assert rows == []  # yearly, due at the year's end
    rows = fupin("calendar", "--from", "2018-07-01", "--to", "2018-07-10", "--task", "14.1",
                 "--format", "json").json()
    assert [r["unit"] for r in rows] == sorted(
        ["市财政局", "市审计局", "金平区", "龙湖区", "濠江区", "潮阳区", "潮南区", "澄海区", "南澳县"])
    assert {r["due"] for r in rows} == {"2018-07-02"}


def test_calendar_month_grid_marks_days_off(fupin):
    out = fupin("calendar", "--month", "2018-07", "--unit", "市残联", "--as-of", "2018-07-15").out
    assert "周一" in out and "周日" in out
    assert "2 3项" in out and "31 3项" in out
    assert "7休" in out and "1休" in out


def test_calendar_csv(fupin):
    text = fupin("calendar", "--month", "2018-07", "--unit", "市残联", "--format", "csv").out
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["应完成日", "原定日期", "编号"]
    assert len(rows) == 7


def test_calendar_ics_loads_in_a_parser(fupin, tmp_path):
    path = tmp_path / "deadlines.ics"
    result = fupin("calendar", "--month", "2018-07", "--unit", "市残联", "--format", "ics", "--output", str(path))
    assert result.code == 0, result.err
    calendar = Calendar.from_ical(path.read_bytes())
    events = [c for c in calendar.walk() if c.name in ("VEVENT", "VTODO")]
    assert len(events) == 6
    assert len({str(e["UID"]) for e in events}) == 6
    assert sorted(e["DTSTART"].dt.isoformat() for e in events)[0] == "2018-07-02"
    again = tmp_path / "again.ics"
    fupin("calendar", "--month", "2018-07", "--unit", "市残联", "--format", "ics", "--output", str(again))
    assert again.read_bytes() == path.read_bytes()


def test_calendar_bad_month_and_window(fupin):
    bad = fupin("calendar", "--month", "2018-13")
    assert bad.code == 2 and "--month" in bad.err
    backwards = fupin("calendar", "--from", "2018-07-10", "--to", "2018-07-01")
    assert backwards.code == 2 and "早于" in backwards.err


def test_years_without_holiday_data_fall_back_to_weekends(fupin, plan_dir):
    tasks = plan_dir / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("valid_to: 2018-12-31", "valid_to: 2027-12-31"),
                     encoding="utf-8")
    result = fupin("explain", "2027年1月2日前", "--as-of", "2026-12-01", "--format", "json", "--data", str(plan_dir))
    assert result.code == 0, result.err
    assert result.json()["next"][0]["due"] == "2027-01-04"  # Saturday → Monday
    assert result.err.count("2027") == 1 and "周末" in result.err


def test_as_of_forms_and_refusals(fupin):
    for form in ("2018/7/15", "20180715", "2018年7月15日"):
        result = fupin("calendar", "--as-of", form, "--format", "json", "--unit", "市残联")
        assert result.code == 0, (form, result.err)
    bad = fupin("calendar", "--as-of", "2018-13-01")
    assert bad.code == 2 and "--as-of" in bad.err and "不是有效日期" in bad.err
    outside = fupin("calendar", "--as-of", "2016-01-01")
    assert outside.code == 2 and "有效期" in outside.err
