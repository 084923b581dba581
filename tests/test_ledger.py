"""The journal's entry types, its op registry, and the ledger they fold into — from inline journals."""

from __future__ import annotations

from datetime import date

from fupin_cli.domain.model import Task
from fupin_cli.journal.entries import OPS, DoneEntry, UnknownEntry, VoidEntry
from fupin_cli.journal.jsonl.reader import read_journal
from fupin_cli.journal.ledger import fold, void_problems
from support.plans import done, void, write_journal

D = date.fromisoformat


def task(task_id: str, plan: str = "") -> Task:
    """A task of plan ``plan`` ("" is the key of journal lines written without one)."""
    return Task(id=task_id, seq="", category="", text="", units=(), deadline="", rules=(), plan=plan)


def test_the_registry_knows_every_op():
    from fupin_cli.journal.entries import ExtendEntry, ProgressEntry, RemindEntry, WaiveEntry

    assert {op: spec.type for op, spec in OPS.items()} == {
        "done": DoneEntry, "void": VoidEntry, "progress": ProgressEntry, "extend": ExtendEntry, "waive": WaiveEntry,
        "remind": RemindEntry}


def test_an_unknown_op_is_kept_as_written_and_never_counted(tmp_path):
    """A newer fupin may write ops this one does not know: kept, not counted, not a reading problem."""
    a = done("1", "甲局", "2018-07", "2018-07-03", id="20180703T000000.000000Z-00000a")
    note = {"id": "20180704T000000.000000Z-00000b", "op": "escalate", "task": "1", "unit": "甲局",
            "period": "2018-07", "to": "市委督查室"}
    path = write_journal(tmp_path / "journal.jsonl", [a, note])
    contents = read_journal(path)
    assert contents.problems == []
    unknown = contents.entries[1]
    assert type(unknown) is UnknownEntry and unknown.op == "escalate" and unknown.raw == note
    ledger = fold(contents.entries, contents.problems)
    assert ledger.as_of(D("2018-07-31")).dates(task("1"), "2018-07", "甲局") == [D("2018-07-03")]
    assert path.read_text(encoding="utf-8").count("escalate") == 1  # reading rewrote nothing


def test_a_void_of_an_unknown_op_has_no_effect_on_completions(tmp_path):
    a = done("1", "甲局", "2018-07", "2018-07-03", id="20180703T000000.000000Z-00000a")
    odd = {"id": "20180704T000000.000000Z-00000b", "op": "audit", "unit": "甲局"}  # an op this version lacks
    path = write_journal(tmp_path / "journal.jsonl", [a, odd, void(odd["id"], id="20180705T000000.000000Z-00000c")])
    contents = read_journal(path)
    standing = fold(contents.entries, contents.problems).as_of(D("2018-07-31"))
    assert standing.count_of(standing.done_in(task("1"), "2018-07").get("甲局")) == 1
    assert void_problems(contents.entries) == []


def test_the_ledger_counts_live_completions_as_of_a_day(tmp_path):
    first = done("1", "东区", "2018", "2018-03-01", id="20180301T000000.000000Z-000001")
    second = done("1", "东区", "2018", "2018-09-01", id="20180901T000000.000000Z-000002")
    voided = done("1", "西区", "2018", "2018-04-01", id="20180401T000000.000000Z-000003")
    path = write_journal(tmp_path / "journal.jsonl",
                         [first, second, voided, void(voided["id"], id="20180402T000000.000000Z-000004")])
    contents = read_journal(path)
    ledger = fold(contents.entries, contents.problems)
    summer, winter = ledger.as_of(D("2018-07-01")), ledger.as_of(D("2018-12-31"))
    cell = ledger.done_in(task("1"), "2018")
    assert set(cell) == {"东区"}
    assert (summer.count_of(cell["东区"]), winter.count_of(cell["东区"])) == (1, 2)
    assert summer.reached(cell["东区"], 2) is None
    assert date.fromordinal(winter.reached(cell["东区"], 2)) == D("2018-09-01")
    assert summer.dates(task("1"), "2018", "东区") == [D("2018-03-01")]
    assert winter.dates(task("1"), "2018", "东区") == [D("2018-03-01"), D("2018-09-01")]


def test_the_ops_that_mark_an_obligation_are_the_registrys_progress_extension_and_waiver():
    from fupin_cli.journal.entries import OPS, ExtendEntry, ProgressEntry, WaiveEntry
    from fupin_cli.journal.ledger import MARKERS

    assert set(MARKERS) == {op for op, spec in OPS.items() if spec.type in (ExtendEntry, ProgressEntry, WaiveEntry)}
    assert set(MARKERS) == {"extend", "progress", "waive"}
