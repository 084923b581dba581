"""The journal file: records, reading, appending, voids, torn lines, git merges.

Every test works on real files in tmp_path.  Writing under stress (many writers, a killed writer,
a failing disk, a path that is no regular file) is tests/test_journal_writes.py.
"""

from __future__ import annotations

import json
from dataclasses import fields
import os
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from fupin_cli.app.context import default_journal_path
from fupin_cli.domain.errors import JournalError
from fupin_cli.journal.entries import (
    DoneEntry,
    Problem,
    UnknownEntry,
    VoidEntry,
    make_done_record,
    make_void_record,
    new_entry_id,
)
from fupin_cli.journal.jsonl.reader import read_journal
from fupin_cli.journal.jsonl.writer import append, git_attributes_text
from fupin_cli.journal.ledger import live_completions
from fupin_cli.journal.ledger import void_problems as check_voids

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2018, 7, 3, 10, 15, 2, 123456, tzinfo=timezone.utc)


def done(n: int = 0, **kw) -> dict:
    args = dict(plan="tasks", task="8.2", unit="市残联", period="2018-06", date=date(2018, 7, 3), by="张三",
                note="六月评残", now_utc=T0 + timedelta(seconds=n), tz=TZ)
    args.update(kw)
    return make_done_record(**args)


def void(target: str, n: int = 100, reason: str = "录错期间") -> dict:
    return make_void_record(plan="tasks", target=target, reason=reason, by="李四",
                            now_utc=T0 + timedelta(seconds=n), tz=TZ)


def line(record: dict) -> bytes:
    return orjson.dumps(record) + b"\n"


# -- records and ids ------------------------------------------------------


def test_new_entry_id_has_the_documented_shape():
    entry_id = new_entry_id(T0)
    assert entry_id.startswith("20180703T101502.123456Z-")
    assert len(entry_id) == 30
    int(entry_id[-6:], 16)
    # an aware time in another zone is converted to UTC; naive is taken as UTC
    assert new_entry_id(T0.astimezone(TZ)).startswith("20180703T101502.123456Z-")
    assert new_entry_id(T0.replace(tzinfo=None)).startswith("20180703T101502.123456Z-")


def test_ids_are_unique_and_sort_in_time_order():
    ids = [new_entry_id(datetime.now(timezone.utc)) for _ in range(10_000)]
    assert len(set(ids)) == 10_000
    # the timestamp part never goes backwards with the clock (within one
    # microsecond the random part decides, which is as good as any order)
    assert all(a[:23] <= b[:23] for a, b in zip(ids, ids[1:]))
    # even for one and the same instant, a process never repeats an id
    same = [new_entry_id(T0) for _ in range(10_000)]
    assert len(set(same)) == 10_000
    # lexicographic order is time order across seconds, minutes, years
    times = [T0, T0 + timedelta(microseconds=1), T0 + timedelta(seconds=59),
             T0 + timedelta(days=100), datetime(2019, 1, 1, tzinfo=timezone.utc)]
    made = [new_entry_id(t) for t in times]
    assert made == sorted(made)


def test_make_done_record_exact():
    record = done()
    assert list(record) == ["id", "op", "plan", "task", "unit", "period", "date", "recorded_at", "by", "note"]
    assert record["id"].startswith("20180703T101502.123456Z-")
    assert {k: v for k, v in record.items() if k != "id"} == {
        "op": "done", "plan": "tasks", "task": "8.2", "unit": "市残联", "period": "2018-06", "date": "2018-07-03",
        "recorded_at": "2018-07-03T18:15:02+08:00", "by": "张三", "note": "六月评残",
    }
    assert done(date="2018-07-03")["date"] == "2018-07-03"
    with pytest.raises(ValueError):
        done(date="2018-7-3")


def test_make_void_record_exact():
    record = make_void_record(plan="tasks", target="20180703T101502.123456Z-3f9a1c", reason="录错单位",
                              by="李四", now_utc=T0, tz=TZ)
    assert list(record) == ["id", "op", "plan", "target", "recorded_at", "by", "note"]
    assert {k: v for k, v in record.items() if k != "id"} == {
        "op": "void", "plan": "tasks", "target": "20180703T101502.123456Z-3f9a1c",
        "recorded_at": "2018-07-03T18:15:02+08:00", "by": "李四", "note": "录错单位",
    }


def test_default_journal_path(tmp_path, monkeypatch):
    assert default_journal_path(tmp_path) == tmp_path / "journal.jsonl"
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_path", lambda appname: tmp_path / "ud" / appname)
    assert default_journal_path(None) == tmp_path / "ud" / "fupin" / "journal.jsonl"


def test_git_attributes_text():
    text = git_attributes_text()
    assert text.endswith("\n")
    lines = text.splitlines()
    assert "*.jsonl merge=union" in lines
    assert any(l.startswith("#") for l in lines)


# -- append and read ------------------------------------------------------


def test_append_then_read_round_trip(tmp_path):
    path = tmp_path / "sub" / "dir" / "journal.jsonl"  # parents are created when asked (fupin's default place)
    first = done(0, note="说明：含“引号”、换行\n和 emoji 🎉")
    first["extra"] = {"来源": "手工"}  # an unknown key: kept in the file, ignored on reading
    assert append(path, first, make_folder=True) is first
    second = append(path, done(1, unit="金平区", period="2018-05", date=date(2018, 6, 30)))
    raw = path.read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 2
    text = raw.decode("utf-8")
    assert "市残联" in text and "\\u" not in text  # readable UTF-8, not \u escapes
    assert json.loads(text.splitlines()[0])["extra"] == {"来源": "手工"}

    contents = read_journal(path)
    assert contents.problems == []
    assert contents.entries == [
        DoneEntry(id=first["id"], task="8.2", unit="市残联", period="2018-06",
              date=date(2018, 7, 3), recorded_at="2018-07-03T18:15:02+08:00", by="张三",
              note="说明：含“引号”、换行\n和 emoji 🎉", line=1, plan="tasks"),
        DoneEntry(id=second["id"], task="8.2", unit="金平区", period="2018-05",
              date=date(2018, 6, 30), recorded_at="2018-07-03T18:15:03+08:00", by="张三",
              note="六月评残", line=2, plan="tasks"),
    ]
    e = contents.entries[0]
    assert isinstance(e.date, date) and not hasattr(e, "extra")
    assert hash(e) == hash(DoneEntry(**{f.name: getattr(e, f.name) for f in fields(DoneEntry)}))


def test_void_entries_round_trip(tmp_path):
    path = tmp_path / "journal.jsonl"
    d = append(path, done())
    v = append(path, void(d["id"]))
    entries = read_journal(path).entries
    assert entries[1] == VoidEntry(id=v["id"], target=d["id"], recorded_at="2018-07-03T18:16:42+08:00",
                                   by="李四", note="录错期间", line=2, plan="tasks")


def test_missing_and_empty_files_are_empty(tmp_path):
    assert read_journal(tmp_path / "nope.jsonl").entries == []
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    contents = read_journal(empty)
    assert contents.entries == [] and contents.problems == []


def test_reading_a_folder_is_a_journal_error(tmp_path):
    with pytest.raises(JournalError) as info:
        read_journal(tmp_path)
    assert info.value.file == str(tmp_path) and info.value.exit_code == 2


def test_reading_a_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "journal.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(JournalError, match="不是普通文件"):
        read_journal(fifo)


def test_optional_keys_may_be_missing(tmp_path):
    path = tmp_path / "journal.jsonl"
    path.write_text('{"id":"a1","op":"done","task":"1.1","unit":"市民政局","period":"2018","date":"2018-01-05"}\n'
                    '{"op":"void","id":"a2","target":"a1"}\n', encoding="utf-8")
    contents = read_journal(path)
    assert contents.problems == []
    assert contents.entries == [
        DoneEntry(id="a1", task="1.1", unit="市民政局", period="2018", date=date(2018, 1, 5), line=1),
        VoidEntry(id="a2", target="a1", line=2),
    ]


def test_bom_crlf_and_blank_lines_are_tolerated(tmp_path):
    path = tmp_path / "journal.jsonl"
    a, b = done(0), done(1)
    path.write_bytes(b"\xef\xbb\xbf" + line(a).replace(b"\n", b"\r\n") + b"\n   \n" + line(b))
    contents = read_journal(path)
    assert contents.problems == []
    assert [(e.id, e.line) for e in contents.entries] == [(a["id"], 1), (b["id"], 4)]


# -- duplicates and voids -------------------------------------------------


def test_duplicated_lines_are_one_entry(tmp_path):
    path = tmp_path / "journal.jsonl"
    a, b, c = done(0), done(1, unit="金平区"), done(2, unit="龙湖区")
    # the same line twice (a union merge), once with other spacing and key order
    same_a_reordered = json.dumps(dict(reversed(list(a.items()))), ensure_ascii=False, indent=None).encode() + b"\n"
    path.write_bytes(line(a) + line(b) + line(a) + line(c) + same_a_reordered + line(b))
    contents = read_journal(path)
    assert contents.problems == []
    assert [(e.id, e.line) for e in contents.entries] == [(a["id"], 1), (b["id"], 2), (c["id"], 4)]


def test_same_id_with_different_content_keeps_the_first_and_says_so(tmp_path):
    path = tmp_path / "journal.jsonl"
    a = done(0)
    changed = dict(a, unit="金平区")
    path.write_bytes(line(a) + line(changed))
    contents = read_journal(path)
    assert [e.unit for e in contents.entries] == ["市残联"]
    assert contents.problems == [Problem(
        2, f'第 2 行的 id "{a["id"]}" 与第 1 行相同但内容不同，以第 1 行为准，第 2 行已忽略')]


def entries_of(*records: dict) -> list:
    return [VoidEntry(id=r["id"], target=r["target"], line=i) if r["op"] == "void"
            else DoneEntry(id=r["id"], task=r["task"], unit=r["unit"], period=r["period"],
                           date=date.fromisoformat(r["date"]), line=i)
            for i, r in enumerate(records, 1)]


def test_live_completions_and_voids(tmp_path):
    path = tmp_path / "journal.jsonl"
    a, b, c = (append(path, done(i, unit=u)) for i, u in enumerate(["市残联", "金平区", "龙湖区"]))
    va = append(path, void(a["id"], 10))
    entries = read_journal(path).entries
    assert [e.id for e in live_completions(entries)] == [b["id"], c["id"]]
    assert check_voids(entries) == []
    # a completion can be recorded again after its void
    a2 = append(path, done(20))
    entries = read_journal(path).entries
    assert [e.id for e in live_completions(entries)] == [b["id"], c["id"], a2["id"]]
    assert [e.id for e in entries if e.op == "void"] == [va["id"]]


def test_void_of_a_void_is_reported_and_does_not_unvoid(tmp_path):
    path = tmp_path / "journal.jsonl"
    a = append(path, done(0))
    va = append(path, void(a["id"], 10))
    append(path, void(va["id"], 20, reason="撤销作废"))
    entries = read_journal(path).entries
    assert live_completions(entries) == []
    assert check_voids(entries) == [Problem(
        3, "第 3 行作废的是第 2 行的作废记录，作废不能撤销，此作废无效；如需恢复，请重新登记完成")]


def test_void_pointing_nowhere_is_reported(tmp_path):
    path = tmp_path / "journal.jsonl"
    a = append(path, done(0))
    append(path, void("20180101T000000.000000Z-000000", 10))
    entries = read_journal(path).entries
    assert [e.id for e in live_completions(entries)] == [a["id"]]
    assert check_voids(entries) == [Problem(
        2, '第 2 行作废的记录 "20180101T000000.000000Z-000000" 在台账中不存在，此作废无效')]


def test_voiding_twice_is_reported_once(tmp_path):
    path = tmp_path / "journal.jsonl"
    a = append(path, done(0))
    append(path, void(a["id"], 10))
    append(path, void(a["id"], 11))
    entries = read_journal(path).entries
    assert live_completions(entries) == []
    assert check_voids(entries) == [Problem(2 + 1, "第 3 行再次作废了第 1 行的记录（已由第 2 行作废）")]


def test_a_void_before_its_target_in_the_file_still_counts():
    # after a union merge the order of the two sides is not time order
    a = done(0)
    v = void(a["id"])
    entries = entries_of(v, a)
    assert live_completions(entries) == [] and check_voids(entries) == []


# -- bad lines ------------------------------------------------------------


def test_bad_lines_are_reported_with_their_numbers_and_skipped(tmp_path):
    path = tmp_path / "journal.jsonl"
    good = [done(i, unit=f"单位{i}") for i in range(4)]
    no_task = {k: v for k, v in done(10).items() if k != "task"}
    no_target = {k: v for k, v in void(good[0]["id"]).items() if k != "target"}
    path.write_bytes(
        line(good[0])                                          # 1
        + b'{"id": "x", "op": "done", \n'                      # 2 not JSON
        + line(no_task)                                        # 3
        + line(good[1])                                        # 4
        + line(done(11, date="2018-01-01") | {"date": "2018-02-30"})  # 5 bad date
        + line(done(12) | {"date": "20180703"})                # 6 not YYYY-MM-DD
        + b"[1, 2, 3]\n"                                       # 7 not an object
        + line(done(13) | {"op": "undo"})                      # 8 unknown op
        + line(no_target)                                      # 9
        + line(done(14) | {"unit": 42})                        # 10 not text
        + "{\"id\": \"y\", \"op\": \"done\", \"task\": \"市\"}\n".encode("gbk")  # 11 not UTF-8
        + line(good[2])                                        # 12
        + line({"op": "done"})                                 # 13 no id
        + line(done(15) | {"id": ""})                          # 14 empty id
        + b'"just a string"\n'                                 # 15
        + line(good[3])                                        # 16
    )
    contents = read_journal(path)
    assert [(e.id, e.line) for e in contents.entries if type(e) is DoneEntry] == [
        (g["id"], n) for g, n in zip(good, (1, 4, 12, 16))]
    [unknown] = [e for e in contents.entries if type(e) is UnknownEntry]  # an op of a newer fupin: kept
    assert (unknown.op, unknown.line, unknown.raw["task"]) == ("undo", 8, "8.2")
    assert contents.problems == [
        Problem(2, "第 2 行不是有效的 JSON，已忽略"),
        Problem(3, '第 3 行缺少键 "task"，已忽略'),
        Problem(5, '第 5 行的日期 "2018-02-30" 无效，应为 YYYY-MM-DD，已忽略'),
        Problem(6, '第 6 行的日期 "20180703" 无效，应为 YYYY-MM-DD，已忽略'),
        Problem(7, "第 7 行不是一个 JSON 对象（{…}），已忽略"),
        Problem(9, '第 9 行缺少键 "target"，已忽略'),
        Problem(10, '第 10 行键 "unit" 的值应为文本，实际是 42，已忽略'),
        Problem(11, "第 11 行不是有效的 UTF-8 文本（第 36 个字节起），已忽略"),
        Problem(13, '第 13 行缺少键 "id"，已忽略'),
        Problem(14, "第 14 行的 id 为空，已忽略"),
        Problem(15, "第 15 行不是一个 JSON 对象（{…}），已忽略"),
    ]


# -- torn last line -------------------------------------------------------


def test_torn_last_line_is_ignored_and_the_next_append_starts_a_new_line(tmp_path):
    path = tmp_path / "journal.jsonl"
    a, b = append(path, done(0)), append(path, done(1, unit="金平区"))
    whole = line(done(2, unit="龙湖区"))
    cut = whole.index("湖".encode()) + 1
    torn = whole[:cut]  # cut in the middle of a Chinese character
    with open(path, "ab") as f:
        f.write(torn)
    contents = read_journal(path)
    assert [e.id for e in contents.entries] == [a["id"], b["id"]]
    assert contents.problems == [Problem(3, "最后一行（第 3 行）不完整，可能是写入时中断，已忽略")]

    c = append(path, done(3, unit="濠江区"))
    raw = path.read_bytes()
    assert raw == line(a) + line(b) + torn + b"\n" + line(c)
    contents = read_journal(path)
    assert [(e.id, e.line) for e in contents.entries] == [(a["id"], 1), (b["id"], 2), (c["id"], 4)]
    # now a whole line, but still broken: reported as such and still ignored
    assert contents.problems == [
        Problem(3, f"第 3 行不是有效的 UTF-8 文本（第 {cut} 个字节起），已忽略")]


def test_a_complete_last_line_without_newline_is_read(tmp_path):
    path = tmp_path / "journal.jsonl"
    a = done(0)
    path.write_bytes(line(a).rstrip(b"\n"))  # e.g. saved by an editor
    assert [e.id for e in read_journal(path).entries] == [a["id"]]
    b = append(path, done(1))
    assert path.read_bytes() == line(a) + line(b)


# -- git: two clones merged with the union driver -------------------------


def _git(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(cwd.parent), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
               GIT_TERMINAL_PROMPT="0")
    result = subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=test@example.com",
         "-c", "init.defaultBranch=main", "-c", "pull.rebase=false", "-c", "commit.gpgsign=false",
         *args],
        cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"git {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def clones(tmp_path):
    _git(tmp_path, "init", "--bare", "-b", "main", "origin.git")
    _git(tmp_path, "clone", "origin.git", "a")
    _git(tmp_path, "clone", "origin.git", "b")
    a, b = tmp_path / "a", tmp_path / "b"
    (a / ".gitattributes").write_text(git_attributes_text(), encoding="utf-8")
    return a, b


def test_two_clones_merge_without_conflict(clones):
    a, b = clones
    base = [append(a / "journal.jsonl", done(i, unit=f"基础{i}")) for i in range(3)]
    _git(a, "add", ".gitattributes", "journal.jsonl")
    _git(a, "commit", "-m", "初始台账")
    _git(a, "push", "origin", "HEAD:main")
    _git(b, "pull", "origin", "main")
    assert read_journal(b / "journal.jsonl").entries == read_journal(a / "journal.jsonl").entries

    from_a = [append(a / "journal.jsonl", done(10 + i, unit=f"甲{i}")) for i in range(3)]
    from_a.append(append(a / "journal.jsonl", void(base[0]["id"], 20)))
    from_b = [append(b / "journal.jsonl", done(30 + i, unit=f"乙{i}")) for i in range(2)]
    from_b.append(append(b / "journal.jsonl", void(base[1]["id"], 40)))
    _git(a, "commit", "-am", "甲登记")
    _git(b, "commit", "-am", "乙登记")
    _git(a, "push", "origin", "HEAD:main")
    _git(b, "pull", "--no-edit", "origin", "main")  # a real merge

    merged = (b / "journal.jsonl").read_text(encoding="utf-8")
    assert "<<<<<<<" not in merged and ">>>>>>>" not in merged
    contents = read_journal(b / "journal.jsonl")
    assert contents.problems == []
    expected = {r["id"] for r in base + from_a + from_b}
    assert [e.id for e in contents.entries if e.id in expected] == [e.id for e in contents.entries]
    assert sorted(e.id for e in contents.entries) == sorted(expected)
    assert [e.line for e in contents.entries[:3]] == [1, 2, 3]
    live = {e.id for e in live_completions(contents.entries)}
    assert live == {r["id"] for r in base[2:] + from_a[:3] + from_b[:2]}

    # and A gets the same journal back
    _git(b, "push", "origin", "HEAD:main")
    _git(a, "pull", "--no-edit", "origin", "main")
    assert (a / "journal.jsonl").read_bytes() == (b / "journal.jsonl").read_bytes()


def test_two_clones_carrying_the_same_line_keep_one_entry(clones):
    a, b = clones
    start = append(a / "journal.jsonl", done(0))
    _git(a, "add", ".gitattributes", "journal.jsonl")
    _git(a, "commit", "-m", "初始")
    _git(a, "push", "origin", "HEAD:main")
    _git(b, "pull", "origin", "main")

    shared = done(5, unit="两边都有")  # e.g. copied by hand into both clones
    only_a = done(6, unit="甲")
    only_b = done(7, unit="乙")
    append(a / "journal.jsonl", shared)
    append(a / "journal.jsonl", only_a)
    append(b / "journal.jsonl", only_b)
    append(b / "journal.jsonl", shared)
    _git(a, "commit", "-am", "甲")
    _git(b, "commit", "-am", "乙")
    _git(a, "push", "origin", "HEAD:main")
    _git(b, "pull", "--no-edit", "origin", "main")

    raw = (b / "journal.jsonl").read_bytes()
    assert raw.count(line(shared)) == 2  # union keeps both copies...
    contents = read_journal(b / "journal.jsonl")
    assert contents.problems == []
    ids = [e.id for e in contents.entries]  # ...and reading counts it once
    assert sorted(ids) == sorted(r["id"] for r in (start, shared, only_a, only_b))
    assert len(ids) == len(set(ids)) == 4


def test_a_committed_duplicate_line_in_both_clones_stays_one_entry(clones):
    a, b = clones
    dup = done(0)
    (a / "journal.jsonl").write_bytes(line(dup) + line(dup))
    _git(a, "add", ".gitattributes", "journal.jsonl")
    _git(a, "commit", "-m", "重复行")
    _git(a, "push", "origin", "HEAD:main")
    _git(b, "pull", "origin", "main")
    x = append(a / "journal.jsonl", done(1, unit="甲"))
    y = append(b / "journal.jsonl", done(2, unit="乙"))
    _git(a, "commit", "-am", "甲")
    _git(b, "commit", "-am", "乙")
    _git(a, "push", "origin", "HEAD:main")
    _git(b, "pull", "--no-edit", "origin", "main")
    contents = read_journal(b / "journal.jsonl")
    assert contents.problems == []
    ids = [e.id for e in contents.entries]
    assert ids[0] == dup["id"] and sorted(ids[1:]) == sorted([x["id"], y["id"]])  # ours first, then theirs
