"""The ledger's own ops below the command line: how lines are read, how the ledger folds them (extensions
stack by the order they were recorded, a void restores the one before, waivers of one or every period,
progress by date), the index that caches them, and that older journals read as before."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fupin_cli.domain.model import Task
from fupin_cli.journal.entries import (
    ExtendEntry,
    ProgressEntry,
    UnknownEntry,
    WaiveEntry,
    entry_from_json,
)
from fupin_cli.journal.jsonl.index import ledger_of
from fupin_cli.journal.jsonl.reader import read_journal
from fupin_cli.journal.ledger import fold, marks_from_plain, marks_to_plain
from support.plans import done, void, write_journal

D = date.fromisoformat


def task(task_id: str = "1", plan: str = "tasks") -> Task:
    return Task(id=task_id, seq="", category="", text="", units=(), deadline="", rules=(), plan=plan)


def progress(id: str, day: str, *, period: str = "2018-07", unit: str = "甲局", text: str = "x", percent=None) -> dict:
    return {"id": id, "op": "progress", "plan": "tasks", "task": "1", "unit": unit, "period": period, "date": day,
            "done": text, "problem": "", "next": "", "percent": percent, "recorded_at": "", "by": "", "note": ""}


def extend(id: str, until: str, before: str, *, period: str = "2018-07", unit: str = "甲局") -> dict:
    return {"id": id, "op": "extend", "plan": "tasks", "task": "1", "unit": unit, "period": period, "until": until,
            "reason": "r", "approved_by": "李", "approved_on": None, "due_before": before, "late": False,
            "recorded_at": "", "by": "", "note": ""}


def waive(id: str, period: str, *, unit: str = "甲局") -> dict:
    return {"id": id, "op": "waive", "plan": "tasks", "task": "1", "unit": unit, "period": period, "reason": "不适用",
            "approved_by": "李", "recorded_at": "", "by": "", "note": ""}


def read(obj: dict):
    problems = []
    entry = entry_from_json(obj, 7, {}, problems.append)
    return entry, [p.message for p in problems]


def test_each_op_reads_into_its_entry_type():
    entry, problems = read(progress("a", "2018-07-10", percent=60))
    assert problems == [] and entry == ProgressEntry(id="a", task="1", unit="甲局", period="2018-07",
                                                     date=D("2018-07-10"), done="x", percent=60, line=7, plan="tasks")
    entry, _ = read(extend("b", "2018-08-31", "2018-07-31"))
    assert type(entry) is ExtendEntry and (entry.until, entry.due_before, entry.approved_on) == (
        D("2018-08-31"), D("2018-07-31"), None)
    entry, _ = read(waive("c", "*"))
    assert type(entry) is WaiveEntry and entry.period == "*" and entry.reason == "不适用"
    entry, _ = read(done("1", "甲局", "2018-07", "2018-07-03") | {"evidence": [{"url": "https://e.org/x"}]})
    assert entry.evidence == ({"url": "https://e.org/x"},)


@pytest.mark.parametrize("obj, message", [
    (progress("a", "2018-07-10", percent=101), "第 7 行键 \"percent\" 的值应为0 到 100 的整数或 null，实际是 101，已忽略"),
    (progress("a", "2018-07-10", percent="60"), "第 7 行键 \"percent\" 的值应为0 到 100 的整数或 null，实际是 \"60\"，已忽略"),
    (progress("a", "10 July"), "第 7 行的日期 \"10 July\" 无效，应为 YYYY-MM-DD，已忽略"),
    (extend("b", "2018-8-31", "2018-07-31"), "第 7 行键 \"until\" 的值应为YYYY-MM-DD 日期，实际是 \"2018-8-31\"，已忽略"),
    (extend("b", "2018-08-31", "2018-07-31") | {"late": "yes"}, "第 7 行键 \"late\" 的值应为true 或 false，实际是 \"yes\"，已忽略"),
    ({k: v for k, v in extend("b", "2018-08-31", "x").items() if k != "until"}, "第 7 行缺少键 \"until\"，已忽略"),
    (done("1", "甲局", "2018-07", "2018-07-03") | {"evidence": "名册.xlsx"},
     "第 7 行键 \"evidence\" 的值应为佐证材料列表（每项含 path 或 url），实际是 \"名册.xlsx\"，已忽略"),
    (waive("c", "2018-07") | {"reason": 3}, "第 7 行键 \"reason\" 的值应为文本，实际是 3，已忽略"),
])
def test_a_bad_line_of_a_ledger_op_is_a_problem_never_an_entry(obj, message):
    entry, problems = read(obj)
    assert entry is None and problems == [message]


def test_extensions_stack_by_recording_order_and_a_void_restores_the_one_before(tmp_path):
    """The union merge of two clones may put a later extension first in the file: the id decides."""
    first = extend("20180710T000000.000000Z-00000a", "2018-08-31", "2018-07-31")
    second = extend("20180712T000000.000000Z-00000b", "2018-09-30", "2018-08-31")
    path = write_journal(tmp_path / "j.jsonl", [second, first])
    contents = read_journal(path)
    mark = fold(contents.entries, contents.problems).mark(task(), "2018-07", "甲局")
    assert [e.until for e in mark.extensions] == [D("2018-08-31"), D("2018-09-30")]
    assert mark.extension.until == D("2018-09-30")
    path = write_journal(tmp_path / "j.jsonl", [first, second, void(second["id"], id="20180713T000000.000000Z-00000c")])
    contents = read_journal(path)
    mark = fold(contents.entries, contents.problems).mark(task(), "2018-07", "甲局")
    assert mark.extension.until == D("2018-08-31") and len(mark.extensions) == 1


def test_waivers_of_one_period_and_of_every_period(tmp_path):
    path = write_journal(tmp_path / "j.jsonl", [waive("20180701T000000.000000Z-00000a", "*", unit="东区"),
                                                waive("20180702T000000.000000Z-00000b", "2018-06", unit="西区")])
    contents = read_journal(path)
    ledger = fold(contents.entries, contents.problems)
    assert ledger.mark(task(), "2018-03", "东区").waiver.period == "*"
    assert ledger.mark(task(), "2018-06", "西区").waiver.period == "2018-06"
    assert ledger.mark(task(), "2018-07", "西区").waiver is None
    assert ledger.mark(task(), "2018-07", "甲局") == ledger.mark(task("2"), "2018-07", "甲局")  # nothing: one Mark()


def test_progress_is_ordered_by_date_and_counts_from_it(tmp_path):
    path = write_journal(tmp_path / "j.jsonl", [
        progress("20180720T000000.000000Z-00000a", "2018-07-20", text="后报"),
        progress("20180719T000000.000000Z-00000b", "2018-07-05", period="2018-06", text="先报"),
    ])
    contents = read_journal(path)
    ledger = fold(contents.entries, contents.problems)
    assert [p.done for p in ledger.progress_of(task(), "甲局")] == ["先报", "后报"]
    assert ledger.as_of(D("2018-07-10")).last_progress(task(), "甲局").done == "先报"
    assert ledger.as_of(D("2018-07-20")).last_progress(task(), "甲局").done == "后报"
    assert [p.done for p in ledger.as_of(D("2018-07-31")).progress_between(D("2018-07-16"), D("2018-07-22"))] == ["后报"]


def test_old_journals_read_unchanged(tmp_path):
    """Completions and voids alone: the same completions as ever, no marks, no problems."""
    a = done("1", "甲局", "2018-07", "2018-07-03", id="20180703T000000.000000Z-00000a")
    b = done("1", "甲局", "2018-06", "2018-06-03", id="20180603T000000.000000Z-00000b")
    path = write_journal(tmp_path / "j.jsonl", [a, b, void(b["id"], id="20180704T000000.000000Z-00000c")])
    contents = read_journal(path)
    ledger = fold(contents.entries, contents.problems)
    assert ledger.marks == {} and contents.problems == []
    assert ledger.completions == {"": {"1": {"2018-07": {"甲局": D("2018-07-03").toordinal()}}}}
    assert not any(type(e) is UnknownEntry for e in contents.entries)


def test_marks_survive_the_index_and_its_tail(tmp_path):
    """A journal past the index's threshold: marks come back from the cache as the full fold gives them, and
    lines appended after are read from the tail."""
    journal = tmp_path / "j.jsonl"
    filler = [done("1", f"单位{i}", "2018-07", "2018-07-03", id=f"20180703T000000.{i:06d}Z-0000aa", plan="tasks")
              for i in range(6000)]
    marks = [extend("20180710T000000.000000Z-00000a", "2018-08-31", "2018-07-31"),
             waive("20180711T000000.000000Z-00000b", "*", unit="东区"),
             progress("20180712T000000.000000Z-00000c", "2018-07-12", percent=40)]
    write_journal(journal, filler + marks)
    assert journal.stat().st_size > 1024 * 1024
    from fupin_cli.cache import CacheFolder

    cache = CacheFolder(tmp_path / "cache")
    contents = read_journal(journal)
    full = fold(contents.entries, contents.problems)
    first = ledger_of(journal, cache)
    assert list((tmp_path / "cache").iterdir())  # the index was written
    cached = ledger_of(journal, cache)
    assert cached.marks == full.marks and cached.completions == full.completions
    with journal.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(progress("20180713T000000.000000Z-00000d", "2018-07-13", text="又报"),
                                ensure_ascii=False, separators=(",", ":")) + "\n")
    grown = ledger_of(journal, cache)
    assert [p.done for p in grown.progress_of(task(), "甲局")] == ["x", "又报"]
    assert first.marks == full.marks
    assert marks_from_plain(marks_to_plain(full.marks)) == full.marks
