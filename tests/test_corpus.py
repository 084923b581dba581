"""Every phrase of the deadline corpus (tests/fixtures/deadline_phrases.yaml) through the real CLI.

Each entry runs as ``fupin explain PHRASE --as-of AS_OF --year PLAN_YEAR --next 12 --format json``:
``--year`` is how a plan year reaches explain (the year of dates written without one).
The corpus lists NOMINAL dates (before any holiday shift): the first four distinct
``nominal_due`` on or after the as-of day must be the expected ones, no more and no
fewer; ``ongoing``, ``also_ongoing`` and ``count`` must match; a refusal must exit 2
with a message that says why (the reason's own words) and shows the ``schedule:`` form.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).parent / "fixtures" / "deadline_phrases.yaml"
ENTRIES = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))

# Words each kind of refusal must use to say why.
REASON_WORDS = {
    "event": "算起的期限",
    "vague": "没有说明具体哪一天",
    "region": "因地因年而异",
    "out_of_range": "超出范围",
    "no_deadline": "没有找到期限",
}


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _ids():
    return [f"{i}-{e['origin']}-{e['phrase'][:16]}" for i, e in enumerate(ENTRIES)]


def test_the_corpus_is_the_one_described():
    assert len(ENTRIES) >= 300
    assert {e["origin"] for e in ENTRIES} == {"real", "family", "variant"}
    assert sum(e["origin"] == "real" for e in ENTRIES) >= 200


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids())
def test_corpus_entry_through_the_cli(fupin, entry):
    as_of = _day(entry["as_of"])
    result = fupin("explain", entry["phrase"], "--as-of", as_of.isoformat(), "--year", str(entry["plan_year"]),
                   "--next", "12", "--format", "json")
    if "refuse" in entry:
        assert result.code == 2, f"accepted: {result.out}"
        assert result.out == ""
        assert REASON_WORDS[entry["refuse"]] in result.err, result.err
        assert "schedule:" in result.err and "^" in result.err
        assert "Traceback" not in result.err
        return
    assert result.code == 0, result.err
    data = result.json()
    kinds = [rule["kind"] for rule in data["rules"]]
    if "ongoing" in entry:
        assert data["ongoing"] is True and data["next"] == [], data
        return
    nominal = sorted({row["nominal_due"] for row in data["next"] if row["nominal_due"] >= as_of.isoformat()})
    assert nominal[:4] == [_day(d).isoformat() for d in entry["expect"]], data["rules"]
    assert ("ongoing" in kinds) == bool(entry.get("also_ongoing")), kinds
    counts = {rule["count"] for rule in data["rules"] if rule["kind"] != "ongoing"}
    assert counts == {entry.get("count", 1)}, data["rules"]
    for rule in data["rules"]:
        start, end = rule["span"]
        assert entry["phrase"][start:end] == rule["words"] or "…" in rule["words"]


def test_real_phrases_with_a_reading_are_read():
    """Issue 12's bar: at least 95% of the real phrases that have a reading are read, and read right."""
    from fupin_cli.app.explain import explain_phrase
    from fupin_cli.domain.errors import PhraseError
    from fupin_cli.domain.holidays import HolidayCalendar
    from fupin_cli.domain.model import Settings

    real = [e for e in ENTRIES if e["origin"] == "real" and "refuse" not in e]
    right = 0
    for entry in real:
        as_of = _day(entry["as_of"])
        try:
            found = explain_phrase(entry["phrase"], entry["plan_year"], as_of, Settings(),
                                   HolidayCalendar("next_workday"), 12)
        except PhraseError:
            continue
        if "ongoing" in entry:
            right += found["ongoing"]
        else:
            nominal = sorted({r["nominal_due"] for r in found["next"] if r["nominal_due"] >= as_of.isoformat()})
            right += nominal[:4] == [_day(d).isoformat() for d in entry["expect"]]
    assert right / len(real) >= 0.95
