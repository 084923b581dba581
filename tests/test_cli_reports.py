"""due, overdue and report weekly: exact rows for a fixed day and a small journal, every format parsed back."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from support import shipped

AS_OF = ("--as-of", "2018-07-15")


@pytest.fixture
def small_journal(fupin):
    """市民政局 did 5.1 for April on time and May late, and 6.2 on time; 金平区 did 5.1 for June."""
    for args in (("5.1", "--unit", "市民政局", "--period", "2018-04", "--date", "2018-04-28"),
                 ("5.1", "--unit", "市民政局", "--period", "2018-05", "--date", "2018-06-05"),
                 ("6.2", "--unit", "市民政局", "--date", "2018-06-29"),
                 ("5.1", "--unit", "金平区", "--period", "2018-06", "--date", "2018-07-13")):
        result = fupin("done", *args, *AS_OF)
        assert result.code == 0, result.err


def rows_of(result):
    assert result.code in (0, 1), result.err
    return [(r["task"], r["unit"], r["period"], r["due"], r["status"], r["days"]) for r in result.json()]


def test_due_for_a_city_unit(fupin, small_journal):
    by_date = [
        ("7.1", "市民政局", "2018-04", "2018-05-02", "overdue", -74),
        ("8.1", "市民政局", "2018-04", "2018-05-02", "overdue", -74),
        ("9.1", "市民政局", "2018-04", "2018-05-02", "overdue", -74),
        ("7.1", "市民政局", "2018-05", "2018-05-31", "overdue", -45),
        ("8.1", "市民政局", "2018-05", "2018-05-31", "overdue", -45),
        ("9.1", "市民政局", "2018-05", "2018-05-31", "overdue", -45),
        ("5.1", "市民政局", "2018-06", "2018-07-02", "overdue", -13),
        ("7.1", "市民政局", "2018-06", "2018-07-02", "overdue", -13),
        ("8.1", "市民政局", "2018-06", "2018-07-02", "overdue", -13),
        ("9.1", "市民政局", "2018-06", "2018-07-02", "overdue", -13),
    ]
    # The official order: tasks in the order of the plan, each task's periods by date.
    rows = rows_of(fupin("due", "--unit", "市民政局", "--format", "json", *AS_OF))
    assert rows == [by_date[6], by_date[0], by_date[3], by_date[7], by_date[1], by_date[4], by_date[8],
                    by_date[2], by_date[5], by_date[9]]
    assert rows_of(fupin("due", "--unit", "市民政局", "--sort", "due", "--format", "json", *AS_OF)) == by_date
    wider = rows_of(fupin("due", "--unit", "市民政局", "--within", "16", "--sort", "due", "--format", "json", *AS_OF))
    assert wider[10:] == [
        ("5.1", "市民政局", "2018-07", "2018-07-31", "due_soon", 16),
        ("7.1", "市民政局", "2018-07", "2018-07-31", "due_soon", 16),
        ("8.1", "市民政局", "2018-07", "2018-07-31", "due_soon", 16),
        ("9.1", "市民政局", "2018-07", "2018-07-31", "due_soon", 16),
    ]


def test_due_json_keys_are_the_contract(fupin):
    [row, *_] = fupin("due", "--unit", "市民政局", "--format", "json", *AS_OF).json()
    assert list(row) == ["task", "text", "category", "unit", "period", "nominal_due", "due", "status", "days",
                         "required", "done_count", "done_date", "plan",
                         "original_due", "extensions", "last_progress", "waived", "feedback_due"]  # the ledger's, last
    assert row["nominal_due"] == "2018-04-30" and row["required"] == 1 and row["done_count"] == 0
    assert (row["original_due"], row["extensions"], row["last_progress"], row["waived"], row["feedback_due"]) == (
        row["due"], 0, None, False, None)


def test_overdue_for_a_district_through_its_group(fupin, small_journal):
    rows = rows_of(fupin("overdue", "--unit", "金平区", "--format", "json", *AS_OF))
    assert len(rows) == 40
    assert ("5.1", "金平区", "2018-06", "2018-07-02", "overdue", -13) not in rows  # done on 07-13
    assert ("5.1", "金平区", "2018-05", "2018-05-31", "overdue", -45) in rows
    assert ("13.1", "金平区", "2018-Q2", "2018-07-10", "overdue", -5) in rows
    assert all(r[1] == "金平区" for r in rows)
    assert not any(r[0] == "9.2" for r in rows)  # the spring term was due before the plan


def test_overdue_for_a_collective_unit(fupin):
    rows = rows_of(fupin("overdue", "--unit", "各金融机构", "--format", "json", *AS_OF))
    assert rows == [("13.1", "各金融机构", "2018-Q2", "2018-07-10", "overdue", -5)]


def test_overdue_groups_by_unit_with_counts(fupin):
    out = fupin("overdue", "--category", "金融扶贫", *AS_OF).out
    assert "各金融机构（1 项）" in out and "金平区（1 项）" in out
    assert (f"截至 2018-07-15：{shipped.FINANCE_OVERDUE_UNITS_2018_07_15} 个单位"
            f"共逾期 {shipped.FINANCE_OVERDUE_ROWS_2018_07_15} 项") in out


def test_exit_codes_for_cron(fupin):
    assert fupin("overdue", "--exit-code", "--format", "json", *AS_OF).code == 1
    assert fupin("overdue", "--format", "json", *AS_OF).code == 0
    early = ("--as-of", "2018-04-26")
    assert fupin("overdue", "--exit-code", "--unit", "市民政局", *early).code == 0
    assert fupin("due", "--exit-code", "--unit", "市民政局", *AS_OF).code == 1
    assert fupin("due", "--format", "pdf").code == 2


def test_weekly_report_counts(fupin, small_journal):
    report = fupin("report", "weekly", "--unit", "市民政局", "--format", "json", "--as-of", "2018-07-16").json()
    assert report["week"] == "2018-W29"
    assert (report["week_start"], report["week_end"]) == ("2018-07-16", "2018-07-22")
    [summary] = report["summary"]
    assert summary == {"unit": "市民政局", "overdue": 10, "due_this_week": 0, "due_next_week": 0,
                       "done_this_week": 0, "done_on_time": 2, "done_late": 1, "was_due": 13,
                       "rate": pytest.approx(3 / 13), "previous_rate": pytest.approx(3 / 13), "change": 0.0,
                       "rank": 1, "extended": 0, "feedback_overdue": 0, "waived": 0}
    assert report["unit"] == "市民政局" and report["total"]["was_due"] == 13
    assert len(report["overdue"]) == 10
    assert report["due_this_week"] == [] and report["done_this_week"] == []


def test_weekly_lists_done_this_week_and_due_next_week(fupin, small_journal):
    report = fupin("report", "weekly", "--unit", "金平区", "--format", "json", "--as-of", "2018-07-13").json()
    assert [(r["task"], r["period"], r["status"], r["done_date"]) for r in report["done_this_week"]] == [
        ("5.1", "2018-06", "done_late", "2018-07-13")]
    assert report["due_this_week"] == []
    assert report["summary"][0]["done_this_week"] == 1
    later = fupin("report", "weekly", "--unit", "金平区", "--format", "json", "--as-of", "2018-07-20").json()
    assert [(r["task"], r["period"], r["due"]) for r in later["due_next_week"]] == [("2.1", "2018-07#d25", "2018-07-25")]
    assert [(r["task"], r["period"]) for r in later["due_this_week"]] == []


def test_weekly_table_has_title_summary_and_lists(fupin, small_journal):
    out = fupin("report", "weekly", "--as-of", "2018-07-16").out
    assert "督办周报（2018年第29周）" in out and "统计期间：2018年7月16日至2018年7月22日" in out
    for heading in ("各单位完成情况", "逾期未完成", "本周到期", "下周到期", "本周已完成"):
        assert heading in out
    assert "█" in out or "░" in out
    assert "\x1b[" not in out


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self.tags = [], None, None, []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def test_due_formats_agree(fupin, small_journal, tmp_path):
    rows = fupin("due", "--unit", "市民政局", "--format", "json", *AS_OF).json()
    text = fupin("due", "--unit", "市民政局", "--format", "csv", *AS_OF).out
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text[1:])))
    assert table[0][:6] == ["状态", "责任单位", "编号", "工作任务", "期间", "应完成日"]
    # ids, periods and dates are string formulas (="5.1"), so a spreadsheet keeps them as written
    literal = [tuple(cell[2:-1] for cell in (r[2], r[4], r[5])) for r in table[1:]]
    assert literal == [(r["task"], r["period"], r["due"]) for r in rows]
    page = tmp_path / "due.html"
    assert fupin("due", "--unit", "市民政局", "--format", "html", "--output", str(page), *AS_OF).code == 0
    parser = _Cells()
    parser.feed(page.read_text(encoding="utf-8"))
    body = [r for r in parser.rows if len(r) > 1 and r[0] != "状态"]  # not the caption row (the unit, hoisted)
    assert len(body) == len(rows)
    assert all(any(row["task"] == cell for cell in cells) for row, cells in zip(rows, body))
    assert "script" not in parser.tags
    markdown = fupin("due", "--unit", "市民政局", "--format", "markdown", *AS_OF).out
    assert markdown.count("| 红灯·逾期 |") == len(rows)


def test_weekly_xlsx_parses_back(fupin, small_journal, tmp_path):
    path = tmp_path / "weekly.xlsx"
    result = fupin("report", "weekly", "--format", "xlsx", "--output", str(path), "--as-of", "2018-07-16")
    assert result.code == 0, result.err
    assert f"已写入 {path}" in result.err
    book = load_workbook(path)
    json_report = fupin("report", "weekly", "--format", "json", "--as-of", "2018-07-16").json()
    overdue_sheet = book["逾期未完成"]  # a stable name; the count is in the title row
    assert overdue_sheet.freeze_panes == "A3"
    values = list(overdue_sheet.iter_rows(values_only=True))
    assert values[0][0].startswith(f"逾期未完成（{len(json_report['overdue'])} 项）")
    assert values[1][:3] == ("状态", "责任单位", "编号")
    assert len(values) - 2 == len(json_report["overdue"])
    due_column = values[1].index("应完成日")
    assert isinstance(values[2][due_column], datetime)
    assert values[2][due_column].date().isoformat() == json_report["overdue"][0]["due"]


def test_today_is_the_shanghai_date(monkeypatch):
    """At 23:30 UTC it is already 07:30 the next morning in Shantou."""
    from fupin_cli.app.context import RunContext

    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("FUPIN_TODAY", raising=False)
    monkeypatch.setattr(RunContext, "now", staticmethod(lambda: datetime(2018, 7, 15, 23, 30, tzinfo=timezone.utc)))
    assert RunContext().today == date(2018, 7, 16)
