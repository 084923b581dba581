"""The journal folded in two processes (journal/jsonl/halves.py) is the full reader's fold.

Every test makes the halves start at any size (``TWO_PROCESSES_FROM = 0``) and small blocks, so
that tiny journals are cut in two, and records whether the halves' fold was used or the index
fell back to one process; both must give what the full reader gives.
"""

from __future__ import annotations

from datetime import date

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fold import MemoryCache, done_line, journal_lines, line, same, void_line

from fupin_cli.journal.entries import make_progress_record
from fupin_cli.journal.jsonl import fold as journal_fold
from fupin_cli.journal.jsonl import halves
from fupin_cli.journal.jsonl import index as journal_index
from fupin_cli.journal.jsonl.index import JournalIndex, full_ledger, ledger_of

JULY = {d: date(2018, 7, d).toordinal() for d in range(1, 32)}


@pytest.fixture
def in_two(monkeypatch):
    """The halves' fold for any journal; the list it returns says, per fold, whether the halves' result was used."""
    import threading

    for thread in threading.enumerate():  # fupin never forks beside a thread: let an earlier test's ones end
        if thread is not threading.main_thread():
            thread.join(timeout=5)
    monkeypatch.setattr(halves, "TWO_PROCESSES_FROM", 0)
    monkeypatch.setattr(journal_index, "BLOCK", 256)
    monkeypatch.setattr(journal_index, "SCAN_WINDOW", 256)  # marks close enough together to cut anywhere
    used: list[bool] = []
    second_part = halves._second_part

    def spy(*args):
        found = None
        try:
            found = second_part(*args)
        finally:
            used.append(found is not None)
        return found

    monkeypatch.setattr(halves, "_second_part", spy)
    return used


@pytest.fixture
def cut_in_the_middle(monkeypatch):
    """The child folds no more than its first block before it is asked where to cut, so that the cut
    falls in the middle of what is left, wherever the scheduler lets either process run (a child
    through the whole of a tiny journal before being asked would leave the second part empty)."""
    import select

    first_part, receive, add_block = halves._first_part, halves._receive, journal_fold.LineFold.add_block
    child: dict[str, int] = {}

    def first_part_noting_its_inbox(snapshot, inbox, outbox):
        child["inbox"] = inbox  # runs in the child only, after the fork
        first_part(snapshot, inbox, outbox)

    def receive_once_asked(fd):
        child.pop("inbox", None)  # asked (or answered): from here on the child goes at its own pace
        return receive(fd)

    def add_block_once_asked(self, block):
        add_block(self, block)
        if "inbox" in child:
            select.select([child["inbox"]], [], [])  # the request, read by the child's next look

    monkeypatch.setattr(halves, "_first_part", first_part_noting_its_inbox)
    monkeypatch.setattr(halves, "_receive", receive_once_asked)
    monkeypatch.setattr(journal_fold.LineFold, "add_block", add_block_once_asked)


def ident(n: int) -> str:
    return f"201807{1 + n // 100:02d}T0000{n % 100:02d}.000000Z-abcdef"


def spaced(raw: bytes) -> bytes:
    """The same record as a person might write it: another form, which the reader reads."""
    return orjson.dumps(orjson.loads(raw), option=orjson.OPT_INDENT_2).replace(b"\n", b"") + b"\n"


def progress_line(n: int) -> bytes:
    from datetime import datetime, timezone

    record = make_progress_record(plan="tasks", task="1", unit="甲局", period="2018-07", date=date(2018, 7, 5),
                                  done="进展", problem="", next="", percent=50, by="", note="",
                                  now_utc=datetime(2018, 7, 5, tzinfo=timezone.utc), tz=timezone.utc)
    record["id"] = ident(n)
    return line(record)


def fupin_order(first: list[bytes], second: list[bytes], filler: int = 12) -> bytes:
    """``first`` and ``second`` with lines in between, so that the cut falls between them."""
    middle = [done_line(ident(40 + n), unit=f"乙{n}局") for n in range(filler)]
    return b"".join(first + middle + second)


def test_a_journal_in_fupins_order_is_folded_in_two_with_what_both_halves_hold(tmp_path, in_two, cut_in_the_middle):
    copied = done_line(ident(1), unit="甲局", day="2018-07-03")
    copied_by_hand = spaced(done_line(ident(2), unit="丙局", day="2018-07-04"))
    voided_later = done_line(ident(3), unit="丁局", day="2018-07-05")
    first = [
        copied,
        copied_by_hand,
        voided_later,
        progress_line(4),
        done_line(ident(5), unit="戊局", day="2018-07-06"),  # and again in the second half: two completions
    ]
    second = [
        copied,  # a union merge's copy
        copied_by_hand,
        voided_later,
        progress_line(4),
        done_line(ident(90), unit="戊局", day="2018-07-20"),
        void_line(ident(91), ident(3)),
        b"{broken\n",
        done_line(ident(92), unit="己局", day="2018-07-21").rstrip(b"\n"),  # no newline at the end
    ]
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(fupin_order(first, second))
    ledger = ledger_of(journal, None)
    assert in_two == [True]
    cell = ledger.completions["tasks"]["1"]["2018-07"]
    assert cell["甲局"] == JULY[3] and cell["丙局"] == JULY[4] and cell["己局"] == JULY[21]
    assert cell["戊局"] == (JULY[6], JULY[20])
    assert "丁局" not in cell
    assert [(p.line, p.message) for p in ledger.problems] == [(24, "第 24 行不是有效的 JSON，已忽略")]
    assert len(ledger.marks["tasks"]["1"]["2018-07"]["甲局"].progress) == 1
    same(ledger, full_ledger(journal))
    same(JournalIndex(journal, MemoryCache()).ledger(), full_ledger(journal))


def test_another_line_of_an_id_in_the_first_half_is_the_full_readers_to_word(tmp_path, in_two):
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(fupin_order([done_line(ident(1))], [done_line(ident(1), note="另一份")]))
    ledger = ledger_of(journal, None)
    assert [(p.line, p.message) for p in ledger.problems] == [
        (14, f'第 14 行的 id "{ident(1)}" 与第 1 行相同但内容不同，以第 1 行为准，第 14 行已忽略')]
    same(ledger, full_ledger(journal))


def test_a_journal_in_another_order_is_folded_in_one_process(tmp_path, in_two, cut_in_the_middle):
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(fupin_order([done_line(ident(99), unit="甲局")], [done_line(ident(1), unit="乙局")]))
    ledger = ledger_of(journal, None)
    assert in_two == [False]
    same(ledger, full_ledger(journal))


def test_a_child_that_fails_leaves_the_fold_to_one_process(tmp_path, in_two, monkeypatch):
    def fails(self):
        raise MemoryError

    monkeypatch.setattr(journal_fold.LineFold, "handoff", fails)
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(fupin_order([done_line(ident(1))], [done_line(ident(90), unit="乙局")]))
    ledger = ledger_of(journal, None)
    assert in_two == [False]
    assert ledger.completions["tasks"]["1"]["2018-07"]["乙局"] == JULY[3]
    same(ledger, full_ledger(journal))


def test_a_child_that_dies_leaves_the_fold_to_one_process(tmp_path, in_two, monkeypatch):
    import os

    monkeypatch.setattr(journal_fold.LineFold, "handoff", lambda self: os._exit(1))  # no word, no handoff
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(fupin_order([done_line(ident(1))], [done_line(ident(90), unit="乙局")]))
    ledger = ledger_of(journal, None)
    assert in_two == [False]
    same(ledger, full_ledger(journal))


def test_no_fork_beside_a_running_thread(tmp_path, in_two, monkeypatch):
    """A forked child has only the thread that forked; a lock another thread held stays held in it."""
    import threading

    forks = []
    monkeypatch.setattr(halves.os, "fork", lambda: forks.append(1) or 0)
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        journal = tmp_path / "journal.jsonl"
        journal.write_bytes(fupin_order([done_line(ident(1))], [done_line(ident(90), unit="乙局")]))
        same(ledger_of(journal, None), full_ledger(journal))
    finally:
        release.set()
        waiting.join()
    assert forks == [] and in_two == []


def test_no_process_to_spare_leaves_the_fold_to_one_process(tmp_path, in_two, monkeypatch):
    def refused():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(halves.os, "fork", refused)
    finished = []
    finish = journal_fold.LineFold.finish
    monkeypatch.setattr(journal_fold.LineFold, "finish", lambda self: finished.append(1) or finish(self))
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(fupin_order([done_line(ident(1))], [done_line(ident(90), unit="乙局")]))
    same(ledger_of(journal, None), full_ledger(journal))
    assert in_two == [] and finished == [1]  # folded here, not handed to the full reader as a failed read


def test_small_journals_are_folded_in_one_process(tmp_path, monkeypatch):
    forks = []
    monkeypatch.setattr(halves.os, "fork", lambda: forks.append(1) or 0)
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(fupin_order([done_line(ident(1))], [done_line(ident(90), unit="乙局")]))
    assert ledger_of(journal, None).completions["tasks"]["1"]["2018-07"]["乙局"] == JULY[3]
    assert forks == []


@st.composite
def journals_in_fupins_order(draw) -> list[bytes]:
    """Lines with growing ids, and copies of earlier ones (a union merge) in any form fupin reads; in
    half of them, also another line of an earlier id and dates that are no day (the full reader words those)."""
    troubled = draw(st.booleans())
    kinds = ["done"] * 12 + ["void", "void", "progress", "copy", "copy", "spaced copy", "broken"]
    days = ["2018-07-03", "2018-07-09"] + (["2018-02-30"] if troubled else [])
    lines = []
    for n in range(draw(st.integers(2, 30))):
        kind = draw(st.sampled_from(kinds + (["other"] if troubled else [])))
        if kind == "done":
            lines.append(done_line(ident(n), unit=draw(st.sampled_from(["甲局", "乙局"])),
                                   period=draw(st.sampled_from(["2018-07", "2018-08"])),
                                   day=draw(st.sampled_from(days))))
        elif kind == "void":
            lines.append(void_line(ident(n), ident(draw(st.integers(0, 40)))))
        elif kind == "progress":
            lines.append(progress_line(n))
        elif kind in ("copy", "spaced copy") and lines:
            copy = lines[draw(st.integers(0, len(lines) - 1))]
            lines.append(spaced(copy) if kind == "spaced copy" and copy != b"{broken\n" else copy)
        elif kind == "other" and lines:
            lines.append(done_line(ident(draw(st.integers(0, n))), note="改过"))
        else:
            lines.append(b"{broken\n")
    return lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(lines=journals_in_fupins_order(), block=st.sampled_from([64, 256, 1 << 20]))
def test_journals_in_fupins_order_fold_in_two_as_the_full_reader_reads_them(tmp_path_factory, in_two, monkeypatch,
                                                                           lines, block):
    monkeypatch.setattr(journal_index, "BLOCK", block)
    journal = tmp_path_factory.mktemp("halves") / "journal.jsonl"
    journal.write_bytes(b"".join(lines))
    truth = full_ledger(journal)
    same(ledger_of(journal, None), truth)
    same(JournalIndex(journal, MemoryCache()).ledger(), truth)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(lines=journal_lines(), newline_at_end=st.booleans())
def test_any_journal_folds_as_the_full_reader_reads_it_with_halves_allowed(tmp_path_factory, in_two, lines,
                                                                          newline_at_end):
    journal = tmp_path_factory.mktemp("any") / "journal.jsonl"
    journal.write_bytes(b"\n".join(lines) + (b"\n" if lines and newline_at_end else b""))
    same(ledger_of(journal, None), full_ledger(journal))


def test_the_generated_journals_do_take_the_halves(tmp_path, in_two, cut_in_the_middle):
    """The property above would pass with a halves' fold that always gave up: most journals in fupin's
    order must be folded in two."""
    for n in range(20):
        lines = [done_line(ident(k), unit=f"{k % 3}局") for k in range(n, n + 25)]
        lines.append(lines[n % 5])  # a copy of a line of the first half
        journal = tmp_path / f"journal-{n}.jsonl"
        journal.write_bytes(b"".join(lines))
        same(ledger_of(journal, None), full_ledger(journal))
    assert in_two == [True] * 20


# ---------------------------------------------------------------- begun ahead (JournalIndex.read_ahead)

@pytest.mark.parametrize("asked_after", [0.0, 0.5], ids=["asked at once", "asked once the child is through"])
@pytest.mark.parametrize("newline_at_end", [True, False])
def test_a_fold_begun_ahead_is_the_full_readers_wherever_the_child_has_got_to(tmp_path, in_two, asked_after,
                                                                            newline_at_end, request):
    """Asked at once, the child cuts what is left in the middle; asked late, it has folded every line
    (the last one too, without its newline) and this process folds none."""
    import time

    if not asked_after:
        request.getfixturevalue("cut_in_the_middle")

    lines = [done_line(ident(n), unit=f"{n % 3}局", day=f"2018-07-{1 + n % 28:02d}") for n in range(60)]
    lines += [void_line(ident(70), ident(5)), lines[2], done_line(ident(71), unit="乙局")]
    raw = b"".join(lines)
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(raw if newline_at_end else raw.rstrip(b"\n"))
    index = JournalIndex(journal, journal_index.NO_CACHE)
    index.read_ahead()
    time.sleep(asked_after)
    same(index.ledger(), full_ledger(journal))
    assert in_two == [True]


def test_a_fold_begun_ahead_and_never_asked_for_ends_with_its_index(tmp_path, in_two, monkeypatch):
    import gc
    import os

    children = []
    fork = halves.os.fork
    monkeypatch.setattr(halves.os, "fork", lambda: children.append(pid := fork()) or pid)
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(fupin_order([done_line(ident(1))], [done_line(ident(90), unit="乙局")]))
    index = JournalIndex(journal, journal_index.NO_CACHE)
    index.read_ahead()
    (child,) = children
    del index
    gc.collect()
    with pytest.raises(ChildProcessError):  # stopped and reaped
        os.waitpid(child, os.WNOHANG)


def test_nothing_is_begun_ahead_when_the_stored_ledger_holds(tmp_path, in_two, monkeypatch):
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(fupin_order([done_line(ident(1))], [done_line(ident(90), unit="乙局")]))
    cache = MemoryCache()
    monkeypatch.setattr(journal_index, "RACY_NS", 0)  # the file was written just now: trust its stamp anyway
    JournalIndex(journal, cache).ledger()  # stored
    forks = []
    monkeypatch.setattr(halves.os, "fork", lambda: forks.append(1) or 0)
    index = JournalIndex(journal, cache)
    index.read_ahead()
    same(index.ledger(), full_ledger(journal))
    assert forks == []


def test_a_report_begins_the_journal_before_the_plan(tmp_path, fupin, monkeypatch):
    """The commands that read the ledger begin the journal's fold first, so that it goes on while the plan is read."""
    from fupin_cli.plan_io import loader
    from support.plans import plan_folder

    monkeypatch.setattr(halves, "TWO_PROCESSES_FROM", 0)
    monkeypatch.setattr(journal_index, "SCAN_WINDOW", 256)
    events = []
    begin, load_plan = halves.FoldInTwo.begin.__func__, loader.load_plan
    monkeypatch.setattr(halves.FoldInTwo, "begin", classmethod(lambda cls, s: events.append("fold") or begin(cls, s)))
    monkeypatch.setattr(loader, "load_plan", lambda *a: events.append("plan") or load_plan(*a))
    folder = plan_folder(tmp_path / "data", '- {id: "1", text: 报送月报, units: [甲局, 乙局], deadline: 每月5日前}')
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(b"".join(done_line(ident(n), unit="甲局", period=f"2018-{1 + n % 8:02d}", day="2018-07-03")
                                 for n in range(40)))
    args = ("overdue", "--format", "json", "--as-of", "2018-08-10", "--data", str(folder), "--journal", str(journal))
    monkeypatch.setenv("FUPIN_NO_CACHE", "1")
    ahead = fupin(*args)
    assert events == ["fold", "plan"]
    monkeypatch.setattr(halves, "TWO_PROCESSES_FROM", 1 << 40)
    alone = fupin(*args)
    assert ahead.code == alone.code == 0 and ahead.out == alone.out
    assert {r["unit"] for r in ahead.json()} == {"乙局"}


@pytest.mark.parametrize("newline_at_end", [True, False])
def test_a_child_asked_while_still_looking_for_voids_shares_the_search(tmp_path, in_two, monkeypatch, newline_at_end):
    """A big journal and a plan read quickly: the other process chooses the cut and looks for voids
    after it, while the child does before it; a void on either side still cancels its target."""
    import time

    scanning = journal_index._Snapshot.scanning

    def slow(self, start, stop, lines=0):
        for n, window in enumerate(scanning(self, start, stop, lines)):
            if n == 1:
                time.sleep(0.2)  # the request is waiting by now
            yield window

    monkeypatch.setattr(journal_index._Snapshot, "scanning", slow)
    heard = []
    unpack = halves._unpack
    monkeypatch.setattr(halves, "_unpack", lambda data: heard.append(found := unpack(data)) or found)
    lines = [done_line(ident(n), unit=f"{n % 3}局", day=f"2018-07-{1 + n % 28:02d}") for n in range(60)]
    lines += [void_line(ident(70), ident(5)), void_line(ident(71), ident(58)), lines[40], done_line(ident(72))]
    raw = b"".join(lines)
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(raw if newline_at_end else raw.rstrip(b"\n"))
    ledger = ledger_of(journal, None)
    assert in_two == [True]
    assert heard[0][0] == "split" and heard[1][0] == "scanned"
    assert ledger.voided == {ident(5), ident(58)}
    same(ledger, full_ledger(journal))
