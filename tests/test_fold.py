"""The journal fold (journal/jsonl/fold.py) and the index's tail path agree with the full reader.

The full reader (``index.full_ledger``) is the oracle: for journals of every kind of line — fupin's
own, hand-written, escaped, broken, duplicated, conflicting, voids before and after their targets,
voids fupin's pre-scan cannot see, a last line without its newline — the fold without a cache, the
fold that fills a cache, and the index after lines were appended or merged in (ids older than the
journal's) give the same completions, problems (line numbers and words), voided ids and marks.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin_cli.journal.entries import (
    make_done_record,
    make_extend_record,
    make_progress_record,
    make_remind_record,
    make_void_record,
    make_waive_record,
)
from fupin_cli.journal.jsonl import index as journal_index
from fupin_cli.journal.jsonl.fold import CANONICAL
from fupin_cli.journal.jsonl.index import NO_CACHE, JournalIndex, full_ledger, ledger_of

TZ = timezone(timedelta(hours=8))
NOW = datetime(2018, 7, 1, tzinfo=timezone.utc)


class MemoryCache:
    """A cache folder in memory (the index only reads and writes whole files by name)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def read(self, name: str) -> bytes | None:
        return self.files.get(name)

    def write(self, name: str, data: bytes) -> bool:
        self.files[name] = data
        return True


def same(ledger, truth) -> None:
    assert ledger.completions == truth.completions
    assert [(p.line, p.message) for p in ledger.problems] == [(p.line, p.message) for p in truth.problems]
    assert ledger.voided == truth.voided
    assert ledger.marks == truth.marks


def line(record: dict) -> bytes:
    return orjson.dumps(record) + b"\n"


def done_line(ident: str, task: str = "1", unit: str = "甲局", period: str = "2018-07", day: str = "2018-07-03",
              *, plan: str | None = "tasks", note: str = "", by: str = "") -> bytes:
    record = {"id": ident, "op": "done", "plan": plan, "task": task, "unit": unit, "period": period, "date": day,
              "recorded_at": "2018-07-03T10:00:00+08:00", "by": by, "note": note}
    if plan is None:
        del record["plan"]
    return line(record)


def void_line(ident: str, target: str, *, note: str = "录错") -> bytes:
    return line({"id": ident, "op": "void", "plan": "tasks", "target": target, "recorded_at": "", "by": "",
                 "note": note})


# ---------------------------------------------------------------- what the regular expression takes

def test_lines_fupin_writes_are_read_by_the_expression():
    record = make_done_record(plan="tasks", task="5.1", unit="金平区", period="2018-Q3", date=date(2018, 7, 3),
                              by="张三", note="已报送", now_utc=NOW, tz=TZ)
    row = CANONICAL.match(orjson.dumps(record)).groups(b"")
    assert row == (record["id"].encode(), b"tasks", b"5.1", "金平区".encode(), b"2018-Q3", b"2018-07-03", b"", b"",
                   '"recorded_at":"2018-07-01T08:00:00+08:00","by":"张三","note":"已报送"'.encode(), b"")
    void = make_void_record(plan="tasks", target=record["id"], reason="录错", by="", now_utc=NOW, tz=TZ)
    row = CANONICAL.match(orjson.dumps(void)).groups(b"")
    assert row[0] == void["id"].encode() and row[6:8] == (b"tasks", record["id"].encode())
    older = b'{"id":"a","op":"done","task":"1","unit":"u","period":"p","date":"2018-01-01",' \
            b'"recorded_at":"","by":"","note":""}'  # written before lines carried a plan
    assert CANONICAL.match(older).groups(b"")[:6] == (b"a", b"", b"1", b"u", b"p", b"2018-01-01")


@pytest.mark.parametrize("text", [
    b'{"id": "a","op":"done","task":"1","unit":"u","period":"p","date":"2018-01-01","recorded_at":"","by":"","note":""}',
    b'{"op":"done","id":"a","task":"1","unit":"u","period":"p","date":"2018-01-01","recorded_at":"","by":"","note":""}',
    b'{"id":"a","op":"done","task":"1","unit":"u","period":"p","date":"2018-01-01","recorded_at":"","by":"","note":"\\""}',
    b'{"id":"\\u0061","op":"done","task":"1","unit":"u","period":"p","date":"2018-01-01","recorded_at":"","by":"",'
    b'"note":""}',
    b'{"id":"a","op":"done","task":"1","unit":"u","period":"p","date":"2018-01-01","recorded_at":"","by":"","note":"\t"}',
    b'{"id":"a","op":"done","task":"1","unit":"u","period":"p","date":"2018-01-01","recorded_at":"","by":"","note":""}\r',
    b'{"id":"a","op":"done","task":"1","unit":"u","period":"p","date":"2018-01-01","recorded_at":"","by":"","note":""} ',
    b'{"id":"","op":"done","task":"1","unit":"u","period":"p","date":"2018-01-01","recorded_at":"","by":"","note":""}',
    b'{"id":"a","op":"void","target":"","recorded_at":"","by":"","note":""}',
    b'{"id":"a","op":"done","task":"1","unit":"u","period":"p","date":"2018-01-01","recorded_at":"","by":"","note":"",'
    b'"evidence":[{"url":"http://127.0.0.1/x"}]}',
    b'{"id":"a","op":"progress","plan":"t","task":"1","unit":"u","period":"p","date":"2018-01-01","recorded_at":"",'
    b'"by":"","note":""}',
    b'\xef\xbb\xbf{"id":"a","op":"done","task":"1","unit":"u","period":"p","date":"2018-01-01","recorded_at":"",'
    b'"by":"","note":""}',
])
def test_lines_in_any_other_form_are_left_to_the_reader(text):
    assert CANONICAL.match(text).groups(b"") == (b"",) * 9 + (text,)


@settings(max_examples=300, deadline=None)
@given(task=st.text(max_size=6), unit=st.text(max_size=6), period=st.text(max_size=6), note=st.text(max_size=6),
       by=st.text(max_size=4), ident=st.text(min_size=1, max_size=8), plan=st.none() | st.text(max_size=4))
def test_a_line_the_expression_takes_means_what_the_reader_reads(task, unit, period, note, by, ident, plan):
    """Whatever the text (quotes, backslashes, control characters, any script), a line the expression
    takes as fupin's own holds exactly what orjson reads from it; a line fupin writes without an
    escape is always taken."""
    record = {"id": ident, "op": "done", "plan": plan, "task": task, "unit": unit, "period": period,
              "date": "2018-07-03", "recorded_at": "", "by": by, "note": note}
    if plan is None:
        del record["plan"]
    raw = orjson.dumps(record)
    row = CANONICAL.match(raw).groups(b"")
    if row[0]:
        assert orjson.loads(raw) == record
        assert [part.decode() for part in row[:6]] == [ident, plan or "", task, unit, period, "2018-07-03"]
    else:
        assert b"\\" in raw  # only a line with an escape goes to the reader


# ---------------------------------------------------------------- exact folds of small journals

def test_the_fold_counts_voids_duplicates_and_later_completions(tmp_path):
    journal = tmp_path / "journal.jsonl"
    lines = [
        done_line("20180703T000000.000001Z-aaaaaa", unit="甲局"),
        done_line("20180703T000000.000002Z-bbbbbb", unit="乙局"),
        void_line("20180704T000000.000000Z-cccccc", "20180703T000000.000002Z-bbbbbb"),  # after its target
        void_line("20180704T000000.000001Z-dddddd", "20180705T000000.000000Z-eeeeee"),  # before its target
        done_line("20180705T000000.000000Z-eeeeee", unit="东区"),
        done_line("20180703T000000.000001Z-aaaaaa", unit="甲局"),  # the same line again (a union merge)
        done_line("20180706T000000.000000Z-ffffff", unit="甲局", day="2018-07-06"),  # a second completion
        '{"id": "20180707T000000.000000Z-gggggg", "op": "done", "plan": "tasks", "task": "1", "unit": "西区", '
        '"period": "2018-07", "date": "2018-07-07", "recorded_at": "", "by": "", "note": ""}\n'.encode(),  # spaced
        b"{broken\n",
        done_line("20180708T000000.000000Z-hhhhhh", unit="西区", day="2018-02-30"),  # no such day
    ]
    journal.write_bytes(b"".join(lines))
    ledger = ledger_of(journal, None)
    july_3, july_6, july_7 = (date(2018, 7, d).toordinal() for d in (3, 6, 7))
    assert ledger.completions == {"tasks": {"1": {"2018-07": {"甲局": (july_3, july_6), "西区": july_7}}}}
    assert ledger.voided == frozenset({"20180703T000000.000002Z-bbbbbb", "20180705T000000.000000Z-eeeeee"})
    assert [(p.line, p.message) for p in ledger.problems] == [
        (9, "第 9 行不是有效的 JSON，已忽略"),
        (10, '第 10 行的日期 "2018-02-30" 无效，应为 YYYY-MM-DD，已忽略'),
    ]
    same(ledger, full_ledger(journal))


def test_two_lines_of_one_id_are_left_to_the_full_reader(tmp_path):
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(done_line("20180703T000000.000001Z-aaaaaa") +
                        done_line("20180703T000000.000001Z-aaaaaa", note="另一份"))
    ledger = ledger_of(journal, None)
    assert [(p.line, p.message) for p in ledger.problems] == [
        (2, '第 2 行的 id "20180703T000000.000001Z-aaaaaa" 与第 1 行相同但内容不同，以第 1 行为准，第 2 行已忽略')]
    assert ledger.completions == {"tasks": {"1": {"2018-07": {"甲局": date(2018, 7, 3).toordinal()}}}}


def test_bytes_that_are_no_text_leave_the_line_to_the_reader(tmp_path):
    """Even as the greatest id of its block: the line is a problem, never an id."""
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(done_line("20180703T000000.000001Z-aaaaaa")
                        + done_line("20180703T000000.000002Z-bbbbbb").replace(b"bbbbbb", b"bbbb\xff\xfe"))
    ledger = ledger_of(journal, None)
    assert [(p.line, p.message) for p in ledger.problems] == [(2, "第 2 行不是有效的 UTF-8 文本（第 36 个字节起），已忽略")]
    assert ledger.completions == {"tasks": {"1": {"2018-07": {"甲局": date(2018, 7, 3).toordinal()}}}}
    same(ledger, full_ledger(journal))


def test_a_void_written_with_an_escaped_op_is_found_on_a_second_pass(tmp_path):
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(done_line("20180703T000000.000001Z-aaaaaa") + done_line("20180703T000000.000002Z-bbbbbb",
                                                                                unit="乙局")
                        + b'{"id":"20180704T000000.000000Z-cccccc","op":"vo\\u0069d",'
                          b'"target":"20180703T000000.000001Z-aaaaaa","recorded_at":"","by":"","note":""}\n')
    ledger = ledger_of(journal, None)
    assert ledger.completions == {"tasks": {"1": {"2018-07": {"乙局": date(2018, 7, 3).toordinal()}}}}
    assert ledger.voided == frozenset({"20180703T000000.000001Z-aaaaaa"})


# ---------------------------------------------------------------- any journal, in small blocks

_IDS = [f"2018070{d}T000000.00000{n}Z-abcdef" for d in (1, 2, 3) for n in (1, 2, 3)] + ["x", "作废"]
_TEXT = st.sampled_from(["", "甲局", "乙局", "void", '"void"', "a\\b", "tab\there", "1", "2018-07", "\u2028"])


def _record_line(draw) -> bytes:
    kind = draw(st.sampled_from(["done", "done", "done", "void", "void", "progress", "extend", "waive", "remind",
                                 "unknown"]))
    ident = draw(st.sampled_from(_IDS))
    if kind == "done":
        record = {"id": ident, "op": "done", "plan": draw(st.sampled_from(["tasks", "", None])),
                  "task": draw(st.sampled_from(["1", "2", "甲"])), "unit": draw(_TEXT),
                  "period": draw(st.sampled_from(["2018-07", "2018-Q3", "void"])),
                  "date": draw(st.sampled_from(["2018-07-03", "2018-07-04", "2018-02-30", "", "2018-7-03",
                                                "2018-07-03 "])),
                  "recorded_at": "", "by": draw(_TEXT), "note": draw(_TEXT)}
        if record["plan"] is None:
            del record["plan"]
    elif kind == "void":
        record = {"id": ident, "op": "void", "plan": "tasks", "target": draw(st.sampled_from(_IDS + [""])),
                  "recorded_at": "", "by": "", "note": draw(_TEXT)}
    elif kind == "progress":
        record = make_progress_record(plan="tasks", task="1", unit="甲局", period="2018-07", date=date(2018, 7, 5),
                                      done="进展", problem="", next="", percent=50, by="", note="",
                                      now_utc=NOW, tz=TZ)
    elif kind == "extend":
        record = make_extend_record(plan="tasks", task="1", unit="乙局", period="2018-07", until=date(2018, 8, 1),
                                    reason="", approved_by="", approved_on=None, due_before=None, late=False,
                                    by="", note="", now_utc=NOW, tz=TZ)
    elif kind == "waive":
        record = make_waive_record(plan="tasks", task="2", unit="甲局", period="*", reason="", approved_by="",
                                   by="", note="", now_utc=NOW, tz=TZ)
    elif kind == "remind":
        record = make_remind_record(plan="tasks", unit="甲局", channel="mail", route="unit",
                                    items=[("1", "2018-07")], day=date(2018, 7, 2), now_utc=NOW, tz=TZ)
    else:
        record = {"id": ident, "op": "audit", "what": draw(_TEXT)}
    if kind in ("progress", "extend", "waive", "remind"):
        record["id"] = ident
    how = draw(st.sampled_from(["fupin", "fupin", "fupin", "spaced", "reordered", "escaped op"]))
    if how == "spaced":
        return json.dumps(record, ensure_ascii=False).encode()
    if how == "reordered":
        return orjson.dumps(dict(reversed(list(record.items()))))
    if how == "escaped op":
        return orjson.dumps(record).replace(b'"op":"vo', b'"op":"\\u0076o', 1)
    return orjson.dumps(record)


@st.composite
def journal_lines(draw) -> list[bytes]:
    lines = []
    for _ in range(draw(st.integers(0, 14))):
        shape = draw(st.sampled_from(["record"] * 8 + ["blank", "spaces", "broken", "array", "bad utf-8", "raw tab",
                                                       "crlf", "bom", "copy"]))
        if shape == "record":
            lines.append(_record_line(draw))
        elif shape == "blank":
            lines.append(b"")
        elif shape == "spaces":
            lines.append(b"   ")
        elif shape == "broken":
            lines.append(b'{"id": "x", "op": ')
        elif shape == "array":
            lines.append(b"[1, 2]")
        elif shape == "bad utf-8":
            lines.append(done_line(draw(st.sampled_from(_IDS))).rstrip(b"\n").replace("甲".encode(), b"\xe7\xff"))
        elif shape == "raw tab":
            lines.append(done_line(draw(st.sampled_from(_IDS))).rstrip(b"\n").replace(b'"note":"', b'"note":"\t'))
        elif shape == "crlf":
            lines.append(_record_line(draw) + b"\r")
        elif shape == "bom":
            lines.append(b"\xef\xbb\xbf" + _record_line(draw))
        elif lines:
            lines.append(lines[draw(st.integers(0, len(lines) - 1))])  # a union merge's duplicate
    return lines


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(lines=journal_lines(), newline_at_end=st.booleans(), block=st.sampled_from([64, 200, 1 << 20]))
def test_the_fold_is_the_full_readers_fold(tmp_path_factory, monkeypatch, lines, newline_at_end, block):
    monkeypatch.setattr(journal_index, "BLOCK", block)
    monkeypatch.setattr(journal_index, "SCAN_WINDOW", block)
    journal = tmp_path_factory.mktemp("fold") / "journal.jsonl"
    data = b"\n".join(lines) + (b"\n" if lines and newline_at_end else b"")
    journal.write_bytes(data)
    truth = full_ledger(journal)
    same(ledger_of(journal, None), truth)
    same(JournalIndex(journal, MemoryCache()).ledger(), truth)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(before=journal_lines(), added=journal_lines(), block=st.sampled_from([64, 1 << 20]),
       look_back=st.sampled_from([0, 100, 1 << 20]))
def test_lines_added_after_the_indexed_ones_are_applied_as_the_full_reader_reads_them(
        tmp_path_factory, monkeypatch, before, added, block, look_back):
    monkeypatch.setattr(journal_index, "BLOCK", block)
    monkeypatch.setattr(journal_index, "LOOK_BACK", look_back)
    monkeypatch.setattr(journal_index, "RACY_NS", 0)
    journal = tmp_path_factory.mktemp("tail") / "journal.jsonl"
    cache = MemoryCache()
    journal.write_bytes(b"".join(raw + b"\n" for raw in before))
    same(JournalIndex(journal, cache).ledger(), full_ledger(journal))
    with open(journal, "ab") as handle:
        handle.write(b"".join(raw + b"\n" for raw in added))
    same(JournalIndex(journal, cache).ledger(), full_ledger(journal))
    same(JournalIndex(journal, cache).ledger(), full_ledger(journal))  # from what was stored


# ---------------------------------------------------------------- a union merge of two clones

def _union_merge(tmp_path, monkeypatch, theirs: list[bytes]):
    """Index a journal, append ours and index again, then add theirs after ours as git's union merge does
    (a new file); the tail path is counted, and the full fold must not be needed."""
    monkeypatch.setattr(journal_index, "RACY_NS", 0)
    journal = tmp_path / "journal.jsonl"
    base = [done_line(f"20180701T0000{n:02d}.000000Z-base00", unit=unit) for n, unit in enumerate(["甲局", "乙局"])]
    ours = [done_line("20180702T000000.500000Z-ours00", unit="东区"),
            done_line("20180702T000002.500000Z-ours01", unit="西区", period="2018-08", day="2018-08-01")]
    journal.write_bytes(b"".join(base))
    cache = MemoryCache()
    JournalIndex(journal, cache).ledger()
    with open(journal, "ab") as handle:
        handle.write(b"".join(ours))
    JournalIndex(journal, cache).ledger()
    merged = journal.with_name("merged")
    merged.write_bytes(b"".join(base + ours + theirs))
    merged.replace(journal)
    taken = []
    for name in ("_with_tail", "_rebuild"):
        original = getattr(JournalIndex, name)
        monkeypatch.setattr(JournalIndex, name, lambda self, *args, _n=name, _o=original: taken.append(_n)
                            or _o(self, *args))
    ledger = JournalIndex(journal, cache).ledger()
    same(ledger, full_ledger(journal))
    return ledger, taken


def test_their_lines_with_older_ids_are_applied_without_a_full_fold(tmp_path, monkeypatch):
    theirs = [done_line("20180702T000001.100000Z-their0", unit="甲局", period="2018-08", day="2018-08-02"),
              void_line("20180702T000001.200000Z-their1", "20180701T000000.000000Z-base00")]
    ledger, taken = _union_merge(tmp_path, monkeypatch, theirs)
    assert taken == ["_with_tail"]
    july_3, august_1, august_2 = date(2018, 7, 3).toordinal(), date(2018, 8, 1).toordinal(), date(2018, 8, 2).toordinal()
    assert ledger.completions == {"tasks": {"1": {"2018-07": {"乙局": july_3, "东区": july_3},
                                                  "2018-08": {"西区": august_1, "甲局": august_2}}}}
    assert ledger.voided == frozenset({"20180701T000000.000000Z-base00"})


def test_a_line_both_clones_have_is_one_entry(tmp_path, monkeypatch):
    theirs = [done_line("20180702T000000.500000Z-ours00", unit="东区"),  # ours, merged back
              done_line("20180702T000001.100000Z-their0", unit="甲局", period="2018-08", day="2018-08-02")]
    ledger, taken = _union_merge(tmp_path, monkeypatch, theirs)
    assert taken == ["_with_tail"]
    assert ledger.completions["tasks"]["1"]["2018-07"]["东区"] == date(2018, 7, 3).toordinal()


def test_another_line_of_one_of_our_ids_is_left_to_the_full_fold(tmp_path, monkeypatch):
    theirs = [done_line("20180702T000000.500000Z-ours00", unit="东区", note="改过")]
    ledger, taken = _union_merge(tmp_path, monkeypatch, theirs)
    assert taken == ["_with_tail", "_rebuild"]
    assert [p.line for p in ledger.problems] == [5]


def test_an_id_from_before_the_look_back_is_left_to_the_full_fold(tmp_path, monkeypatch):
    monkeypatch.setattr(journal_index, "LOOK_BACK", 0)
    theirs = [done_line("20180702T000001.100000Z-their0", unit="甲局", period="2018-08", day="2018-08-02")]
    _, taken = _union_merge(tmp_path, monkeypatch, theirs)
    assert taken == ["_with_tail", "_rebuild"]


def test_checkpoints_keep_their_distance_and_the_newest():
    gap = journal_index.CHECKPOINT_GAP
    points = journal_index._thinned([[gap * 4, "b"], [gap * 8, "d"]])
    for offset, top in [(gap * 8 + 10, "e"), (gap * 8 + 20, "f"), (gap * 8 + 30, "g")]:
        points = journal_index._with_checkpoint(points, offset, top)
    assert points == [[gap * 4, "b"], [gap * 8, "d"], [gap * 8 + 30, "g"]]
    assert journal_index._look_back_from(points, "a") == 0
    assert journal_index._look_back_from(points, "c") == gap * 4
    assert journal_index._look_back_from(points, "e") == gap * 8
    assert journal_index._look_back_from(points, "h") == gap * 8 + 30


def test_without_a_cache_nothing_is_stored_and_no_digest_is_made(tmp_path, monkeypatch):
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(done_line("20180703T000000.000001Z-aaaaaa"))
    monkeypatch.setattr(journal_index._Snapshot, "_add", lambda self, chunk: pytest.fail("a digest was made"))
    monkeypatch.setattr(type(NO_CACHE), "write", lambda self, name, data: pytest.fail("something was stored"))
    assert ledger_of(journal, None).completions == {"tasks": {"1": {"2018-07": {"甲局": date(2018, 7, 3).toordinal()}}}}


def test_the_parse_cache_of_older_versions_is_removed(tmp_path):
    from fupin_cli.cache import CacheFolder

    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(done_line("20180703T000000.000001Z-aaaaaa"))
    index = JournalIndex(journal, CacheFolder(folder))
    old = folder / index.lines_name
    old.write_bytes(b"\x00" * 1000)
    outside = tmp_path / "not-in-the-cache"
    outside.write_bytes(b"kept")
    index.ledger()
    assert sorted(p.name for p in folder.iterdir()) == [index.name]
    (folder / index.lines_name).symlink_to(outside)  # a symlink is removed, never followed
    journal.write_bytes(done_line("20180703T000000.000001Z-aaaaaa", unit="乙局"))
    JournalIndex(journal, CacheFolder(folder)).ledger()
    assert sorted(p.name for p in folder.iterdir()) == [index.name] and outside.read_bytes() == b"kept"


FOLD_PROBE = """
import sys
from pathlib import Path
from fupin_cli.journal.jsonl.index import ledger_of
ledger = ledger_of(Path(sys.argv[1]), None)
print(len(ledger.completions["tasks"]["1"]["2018-07"]), len(ledger.voided),
      sorted(m for m in ("fupin_cli.journal.entries", "fupin_cli.journal.jsonl.reader") if m in sys.modules))
"""


def test_lines_in_fupins_own_form_are_folded_without_the_entry_types_or_the_reader(tmp_path):
    """Importing them is a tenth of a city's first run after a pull; a line in another form needs them."""
    import subprocess
    import sys

    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(done_line("20180703T000000.000001Z-aaaaaa", unit="甲局")
                        + done_line("20180703T000000.000002Z-bbbbbb", unit="乙局")
                        + void_line("20180704T000000.000000Z-cccccc", "20180703T000000.000002Z-bbbbbb"))

    def probe() -> str:
        run = subprocess.run([sys.executable, "-c", FOLD_PROBE, str(journal)], capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert probe() == "1 1 []"
    with journal.open("ab") as handle:
        handle.write(b"{broken\n")
    assert probe() == "1 1 ['fupin_cli.journal.entries', 'fupin_cli.journal.jsonl.reader']"
