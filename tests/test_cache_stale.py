"""The stale answers issue 11 found in the caches, each reproduced: every report must equal the one without caches.

The journals here are over a megabyte, the size from which the old index cached them.
"""

from __future__ import annotations

import json
import os

import pytest
from support import shipped
from support.cached_reports import AS_OF, reports, without_cache
from support.plans import done, void, write_journal

DISTRICTS = list(shipped.DISTRICTS)


@pytest.fixture
def big_journal(journal_path):
    """Two completions that matter, then 6,000 more of task 5.1 (monthly, the seven districts): over a megabyte,
    with the lines that matter far from its end."""
    records = [done("5.1", "金平区", "2018-06", "2018-07-02", id="20180702T000000.000000Z-bbbbbb"),
               done("5.1", "龙湖区", "2018-06", "2018-07-03", id="20180703T000000.000000Z-cccccc")]
    records += [done("5.1", DISTRICTS[n % 7], "2018-01", "2018-02-01", id=f"20180801T00{n:04d}.000000Z-aaaaaa")
                for n in range(6000)]
    write_journal(journal_path, records)
    assert journal_path.stat().st_size > 1024 * 1024
    return journal_path


def edit_in_place(path, old: str, new: str, *, keep_mtime: bool) -> None:
    """A hand edit (or a fast-forward) of the same length, written over the same inode."""
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    assert old in text and len(old.encode()) == len(new.encode())
    with open(path, "r+b") as handle:
        handle.write(text.replace(old, new).encode("utf-8"))
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size


def test_a_same_length_correction_then_growth_is_seen(fupin, big_journal, monkeypatch):
    reports(fupin)  # builds the index
    # A git fast-forward (which reused the inode in every trial): 金平区's June corrected to May far up
    # the file, same length, and another office's completion appended.
    edit_in_place(big_journal, '"period":"2018-06","date":"2018-07-02"', '"period":"2018-05","date":"2018-07-02"',
                  keep_mtime=False)
    with big_journal.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(done("5.1", "潮阳区", "2018-06", "2018-07-09", id="20180901T000000.000000Z-abcdef"),
                                ensure_ascii=False, separators=(",", ":")) + "\n")
    cached = reports(fupin)
    assert cached == without_cache(fupin, monkeypatch)
    open_june = {r["unit"] for r in cached[0] if r["task"] == "5.1" and r["period"] == "2018-06"}
    assert "金平区" in open_june and "龙湖区" not in open_june and "潮阳区" not in open_june
    assert fupin("done", "5.1", "--unit", "潮南区", "--period", "2018-06", *AS_OF).code == 0
    assert reports(fupin) == without_cache(fupin, monkeypatch)


def test_a_same_length_edit_with_the_mtime_put_back_is_seen(fupin, big_journal, monkeypatch):
    reports(fupin)
    # 龙湖区's completion redated after the as-of day (touch -r, cp -p): it no longer counts.
    edit_in_place(big_journal, '"date":"2018-07-03"', '"date":"2018-10-23"', keep_mtime=True)
    cached = reports(fupin)
    assert cached == without_cache(fupin, monkeypatch)
    assert ("龙湖区", "2018-06") in {(r["unit"], r["period"]) for r in cached[0] if r["task"] == "5.1"}


@pytest.mark.parametrize("file, old, new", [
    ("tasks.yaml", "安排城乡医疗救助补助资金", "安排城乡医疗救助专项资金"),
    ("units.yaml", "aliases: [民政局", "aliases: [民政处"),
])
def test_a_same_length_plan_edit_with_the_mtime_put_back_is_seen(fupin, plan_dir, file, old, new):
    data = ("--data", str(plan_dir))
    fupin("list", "--format", "json", *data)  # builds the plan cache
    edit_in_place(plan_dir / file, old, new, keep_mtime=True)
    if file == "tasks.yaml":
        texts = [t["text"] for t in fupin("list", "--format", "json", *data).json() if t["id"] == "7.1"]
        assert texts == ["安排城乡医疗救助专项资金"]
    else:
        assert fupin("list", "--unit", "民政处", "--format", "json", *data).code == 0
        result = fupin("list", "--unit", "民政局", "--format", "json", *data)
        assert result.code == 2 and "未知的单位" in result.err


def test_a_second_void_after_a_hand_written_one_drops_nothing_else(fupin, big_journal, monkeypatch):
    """Two completions of one obligation on one day (至少两次); the first voided by hand, in spaced JSON,
    then again in fupin's own form (a racing undo): the second completion must still count."""
    first = done("5.1", "潮南区", "2018-06", "2018-07-05", id="20180902T000000.000000Z-dddddd")
    second = done("5.1", "潮南区", "2018-06", "2018-07-05", id="20180902T000001.000000Z-eeeeee")
    with big_journal.open("a", encoding="utf-8") as handle:
        for record in (first, second):
            handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    reports(fupin)
    with big_journal.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(void(first["id"], id="20180903T000000.000000Z-ffffff"), ensure_ascii=False) + "\n")
    reports(fupin)
    with big_journal.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(void(first["id"], id="20180904T000000.000000Z-ffffff"), ensure_ascii=False,
                                separators=(",", ":")) + "\n")
    cached = reports(fupin)
    assert cached == without_cache(fupin, monkeypatch)
    assert ("潮南区", "2018-06") not in {(r["unit"], r["period"]) for r in cached[0] if r["task"] == "5.1"}
