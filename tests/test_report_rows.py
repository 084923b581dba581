"""Report rows made in bulk: rows alike but for their unit, units kept together, and the JSON of rows."""

from __future__ import annotations

import io
import json
import sys
from datetime import date

from fupin_cli.domain.model import Occurrence
from fupin_cli.reports.order import sort_rows, units_together
from fupin_cli.reports.rows import Row, alike_rows, status_row
from support.plans import make_plan

PLAN = make_plan("""
- {id: "1", text: 报送月报, units: [各区, 甲局], deadline: 每月5日前}
- {id: "2", text: 汇总, units: [乙局, 各区], deadline: 每月10日前}
""")
JULY = Occurrence(period="2018-07", start=date(2018, 7, 1), end=date(2018, 7, 31), nominal_due=date(2018, 7, 5),
                  due=date(2018, 7, 5), required=1)
TODAY = date(2018, 7, 16)


def test_rows_alike_are_the_rows_status_row_makes_for_each_unit():
    task = PLAN.tasks[0]
    rows = alike_rows(status_row(task, "", JULY, [], TODAY, 14), ["西区", "东区"])
    assert rows == [status_row(task, unit, JULY, [], TODAY, 14) for unit in ("西区", "东区")]
    assert [type(r) for r in rows] == [Row, Row]
    assert [(r.unit, r.status, r.days, r.due) for r in rows] == [("西区", "overdue", -11, date(2018, 7, 5)),
                                                                  ("东区", "overdue", -11, date(2018, 7, 5))]


def test_units_together_keeps_a_unit_first_order_and_groups_the_others():
    first, second = PLAN.tasks
    earlier = Occurrence(period="2018-07", start=date(2018, 7, 1), end=date(2018, 7, 31),
                         nominal_due=date(2018, 7, 3), due=date(2018, 7, 3), required=1)
    rows = [status_row(task, unit, occ, [], TODAY, 14) for task, occ in ((first, JULY), (second, earlier))
            for unit in ("东区", "甲局")]
    official = sort_rows(rows, PLAN, "official")
    assert [(r.unit, r.task) for r in official] == [("甲局", "1"), ("甲局", "2"), ("东区", "1"), ("东区", "2")]
    assert units_together(official, "official") is official  # sorted by unit first: already together
    by_due = sort_rows(rows, PLAN, "due")
    assert [(r.unit, r.task) for r in by_due] == [("甲局", "2"), ("东区", "2"), ("甲局", "1"), ("东区", "1")]
    assert [(r.unit, r.task) for r in units_together(by_due, "due")] == [
        ("甲局", "2"), ("甲局", "1"), ("东区", "2"), ("东区", "1")]


def test_json_on_a_terminal_is_written_not_refused_as_binary(monkeypatch, fupin):
    """JSON is written as UTF-8 bytes; on a terminal it is text to read, unlike xlsx and docx."""

    class Terminal(io.TextIOWrapper):
        def isatty(self):
            return True

    args = ("overdue", "--unit", "市民政局", "--as-of", "2018-07-15", "--format", "json")
    piped = fupin(*args)
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", Terminal(raw, encoding="utf-8"))
    result = fupin(*args)
    sys.stdout.flush()
    assert result.code == 0, result.err
    assert raw.getvalue().decode("utf-8") == piped.out
    assert {r["unit"] for r in json.loads(piped.out)} == {"市民政局"}


def test_json_into_a_stream_of_text_only_is_the_same_json(fupin):
    """A caller that redirects stdout to a StringIO (no byte buffer under it) gets the JSON as text."""
    import contextlib

    args = ("overdue", "--unit", "市民政局", "--as-of", "2018-07-15", "--format", "json")
    piped = fupin(*args)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = fupin(*args)
    assert result.code == 0, result.err
    assert out.getvalue() == piped.out and json.loads(piped.out)
