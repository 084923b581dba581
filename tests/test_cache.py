"""The derived caches (plan cache, journal index) never change an answer."""

from __future__ import annotations

import json

import pytest
from support import shipped
from support.cached_reports import AS_OF, reports, without_cache

from fupin_cli.journal.jsonl import index as tally

DISTRICTS = list(shipped.DISTRICTS)


@pytest.fixture
def cached(monkeypatch, tmp_path):
    """A cache folder of the test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("FUPIN_CACHE", str(folder))
    return folder


def record_some(fupin):
    for month in ("2018-05", "2018-06", "2018-07"):
        for unit in DISTRICTS[:4]:
            assert fupin("done", "5.1", "--unit", unit, "--period", month, "--date", "2018-08-01", *AS_OF).code == 0


def test_same_answers_with_and_without_the_cache(fupin, cached, monkeypatch):
    record_some(fupin)
    plain = without_cache(fupin, monkeypatch)
    assert reports(fupin) == plain  # builds the caches
    assert sorted(p.name.split("-")[0] for p in cached.iterdir()) == ["journal", "plan"]
    assert reports(fupin) == plain  # reads them


def test_new_completions_are_read_from_the_tail(fupin, cached, monkeypatch):
    record_some(fupin)
    reports(fupin)
    assert fupin("done", "5.1", "--unit", "南澳县", "--period", "2018-06", *AS_OF).code == 0

    def no_fold(self, data):
        raise AssertionError("the ledger was folded again from every line")

    fold_again = tally.JournalIndex._rebuild
    monkeypatch.setattr(tally.JournalIndex, "_rebuild", no_fold)
    grown = reports(fupin)
    monkeypatch.setattr(tally.JournalIndex, "_rebuild", fold_again)
    assert grown == without_cache(fupin, monkeypatch)
    assert ("5.1", "南澳县", "2018-06") not in {(r["task"], r["unit"], r["period"]) for r in grown[0]}


def test_a_void_is_read_from_the_tail(fupin, cached, monkeypatch):
    record_some(fupin)
    entry = fupin("done", "5.1", "--unit", "南澳县", "--period", "2018-06", "--format", "json", *AS_OF).json()
    fresh = fupin("done", "5.1", "--unit", "南澳县", "--period", "2018-07", "--format", "json", *AS_OF).json()
    reports(fupin)
    assert fupin("undo", entry["id"], "-r", "录错").code == 0  # voids a completion the cache already holds
    assert fupin("done", "5.1", "--unit", "南澳县", "--period", "2018-05", *AS_OF).code == 0
    fold_again = tally.JournalIndex._rebuild

    def no_fold(self, data):
        raise AssertionError("the ledger was folded again from every line")

    monkeypatch.setattr(tally.JournalIndex, "_rebuild", no_fold)
    after_void = reports(fupin)
    monkeypatch.setattr(tally.JournalIndex, "_rebuild", fold_again)
    assert after_void == without_cache(fupin, monkeypatch)
    open_periods = {(r["unit"], r["period"]) for r in after_void[0] if r["task"] == "5.1"}
    assert ("南澳县", "2018-06") in open_periods and ("南澳县", "2018-05") not in open_periods
    assert fresh["period"] == "2018-07"


def test_voids_the_tail_cannot_place_are_read_in_full(fupin, cached, monkeypatch, journal_path):
    record_some(fupin)
    entry = fupin("done", "5.1", "--unit", "南澳县", "--period", "2018-06", "--format", "json", *AS_OF).json()
    reports(fupin)
    assert fupin("undo", entry["id"], "-r", "录错").code == 0
    void_id = journal_path.read_text(encoding="utf-8").splitlines()[-1].split('"')[3]
    reports(fupin)
    # A void of a void and a second void of the same completion (written by hand): no effect,
    # which only the full reader can tell.
    with journal_path.open("a", encoding="utf-8") as handle:
        for n, target in enumerate((void_id, entry["id"])):
            handle.write(json.dumps({"id": f"29990101T00000{n}.000000Z-aaaaaa", "op": "void", "target": target,
                                     "recorded_at": "", "by": "", "note": ""}) + "\n")
    assert reports(fupin) == without_cache(fupin, monkeypatch)


def test_a_rewrite_is_read_in_full(fupin, cached, monkeypatch, journal_path):
    record_some(fupin)
    reports(fupin)
    # A union merge rewrites the middle of the file: same size is not enough.
    lines = journal_path.read_text(encoding="utf-8").splitlines(keepends=True)
    journal_path.write_text("".join(reversed(lines)), encoding="utf-8")
    assert reports(fupin) == without_cache(fupin, monkeypatch)


def test_a_corrupt_or_foreign_cache_is_rebuilt(fupin, cached, monkeypatch):
    record_some(fupin)
    plain = without_cache(fupin, monkeypatch)
    reports(fupin)
    for path in cached.iterdir():
        path.write_bytes(b"\x00garbage" * 10)
    assert reports(fupin) == plain
    for path in cached.iterdir():
        path.unlink()
    assert reports(fupin) == plain


def test_an_edited_plan_is_not_served_from_the_cache(fupin, cached, plan_dir):
    data = ("--data", str(plan_dir))
    before = fupin("list", "--format", "json", *data).json()
    tasks = plan_dir / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("安排城乡医疗救助补助资金", "安排城乡医疗救助资金"),
                     encoding="utf-8")
    after = fupin("list", "--format", "json", *data).json()
    assert [t["text"] for t in after if t["id"] == "7.1"] == ["安排城乡医疗救助资金"]
    assert len(after) == len(before)


def test_no_cache_folder_is_fine(fupin, monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("FUPIN_CACHE", str(blocked / "cache"))
    record_some(fupin)
    result = fupin("overdue", "--format", "json", *AS_OF)
    assert result.code == 0 and json.loads(result.out)
