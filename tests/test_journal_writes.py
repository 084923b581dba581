"""Writing the journal under stress: many writers at once, a writer killed mid-line, a failing disk,
a path that is no regular file.

Whatever happens, an entry fupin reported as written is whole, and a write that failed leaves the
journal byte for byte as it was.  Disk faults go through the writer's one seam
(``fupin_cli.journal.jsonl.files.FILES``), never by patching :mod:`os` for the whole process;
``pytest -m slow`` runs the long versions.
"""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from fupin_cli.domain.errors import JournalError
from fupin_cli.journal.entries import make_done_record
from fupin_cli.journal.jsonl import files as file_seam
from fupin_cli.journal.jsonl.reader import read_journal
from fupin_cli.journal.jsonl.writer import append
from support import shipped
from support.cli import cli_env, journal_lines, refused, run_cli
from support.plans import plan_folder

AS_OF = ("--as-of", "2018-07-15")
MONTHS = [f"2018-{m:02d}" for m in range(4, 13)]
TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2018, 7, 3, 10, 15, 2, 123456, tzinfo=timezone.utc)


def record(n: int = 0, **kw) -> dict:
    """A done record of the shipped plan, the ``n``-th second after T0."""
    args = dict(plan="tasks", task="8.2", unit="市残联", period="2018-06", date=date(2018, 7, 3), by="张三",
                note="六月评残", now_utc=T0 + timedelta(seconds=n), tz=TZ)
    args.update(kw)
    return make_done_record(**args)


def line(entry: dict) -> bytes:
    return orjson.dumps(entry) + b"\n"


@pytest.fixture
def seeded(fupin, journal_path) -> bytes:
    """A journal with one entry, recorded against the shipped plan; returns its bytes."""
    assert fupin("done", "5.1", "--unit", "金平区", "--period", "2018-05", *AS_OF).code == 0
    return journal_path.read_bytes()


# ---------------------------------------------------------------- many writers at once

RUNNER = """
import os, sys, time
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.001)
from fupin_cli.cli import main
sys.argv = ["fupin", *sys.argv[2:]]
main()
"""

APPENDER = textwrap.dedent("""
    import sys, time
    from datetime import datetime, timezone
    from pathlib import Path
    from zoneinfo import ZoneInfo
    from fupin_cli.journal.entries import make_done_record
    from fupin_cli.journal.jsonl.writer import append
    path, go, n = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    while not go.exists():
        time.sleep(0.001)
    for i in range(5):
        append(path, make_done_record(plan="tasks", task="8.2", unit=f"单位{n}", period=f"2018-{i + 1:02d}",
                                      date="2018-07-03", by=f"进程{n}", note="并发" * 50,
                                      now_utc=datetime.now(timezone.utc), tz=ZoneInfo("Asia/Shanghai")))
""")


def race(tmp_path: Path, args_of_each: list[list[str]], env: dict[str, str] | None = None
         ) -> list[subprocess.CompletedProcess]:
    """Run ``fupin`` once per argument list, all let go at the same moment; collect them."""
    go = tmp_path / f"go-{time.monotonic_ns()}"
    env = {**(env or os.environ), "FUPIN_CACHE": str(tmp_path / "cache"), "FUPIN_DEBUG": "1"}
    env.pop("FUPIN_NO_CACHE", None)
    processes = [subprocess.Popen([sys.executable, "-c", RUNNER, str(go), *args], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for args in args_of_each]
    time.sleep(1.5)  # every interpreter is up and spinning on the go file
    go.write_text("go")
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def assert_whole_entries(journal: Path, expected: list[dict]) -> None:
    """Every line parses, ids are unique, and the entries are exactly ``expected`` (on its keys), in any order."""
    raw = journal.read_bytes()
    assert raw.endswith(b"\n")
    entries = [orjson.loads(line) for line in raw.split(b"\n")[:-1]]
    assert len(entries) == len(expected)
    assert len({e["id"] for e in entries}) == len(entries)
    keys = sorted(expected[0])
    assert sorted(tuple(e[k] for k in keys) for e in entries) == sorted(tuple(x[k] for k in keys) for x in expected)
    contents = read_journal(journal)
    assert len(contents.entries) == len(expected) and contents.problems == []


def test_twenty_processes_appending_at_once(tmp_path):
    path = tmp_path / "journal.jsonl"
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", APPENDER, str(path), str(go), str(n)]) for n in range(20)]
    time.sleep(0.5)
    go.touch()
    assert [p.wait(timeout=120) for p in procs] == [0] * 20
    assert_whole_entries(path, [{"unit": f"单位{n}", "by": f"进程{n}", "period": f"2018-{i + 1:02d}", "note": "并发" * 50}
                                for n in range(20) for i in range(5)])


def _record_all_at_once(tmp_path: Path, journal: Path, combos: list[tuple[str, str]]) -> None:
    env = cli_env(journal, HOME=str(journal.parent))
    results = race(tmp_path, [["done", "5.1", "--unit", unit, "--period", period, "--date", f"{period}-28",
                               "--as-of", "2019-01-15", "--note", f"并发 {unit} {period}"] for unit, period in combos],
                   env)
    failures = [(r.args, r.returncode, r.stderr) for r in results if r.returncode != 0]
    assert not failures, failures[:3]
    assert_whole_entries(journal, [{"unit": unit, "period": period, "note": f"并发 {unit} {period}"}
                                   for unit, period in combos])


def test_twenty_dones_at_once(tmp_path):
    combos = [(unit, month) for unit in shipped.DISTRICTS for month in MONTHS[:3]][:20]
    _record_all_at_once(tmp_path, tmp_path / "journal.jsonl", combos)


@pytest.mark.slow
def test_sixty_three_dones_at_once_three_times(tmp_path):
    combos = [(unit, month) for unit in shipped.DISTRICTS for month in MONTHS]
    assert len(combos) == 63
    for round_ in range(3):
        _record_all_at_once(tmp_path, tmp_path / f"journal-{round_}.jsonl", combos)


def test_a_held_lock_times_out_with_a_journal_error(tmp_path):
    from filelock import FileLock

    path = tmp_path / "journal.jsonl"
    append(path, record(0))
    before = path.read_bytes()
    with FileLock(str(path) + ".lock"):
        with pytest.raises(JournalError) as info:
            append(path, record(1), timeout=0.2)
    assert "台账被其他进程锁定" in info.value.message and info.value.file == str(path)
    assert path.read_bytes() == before


# Racing clerks (issue 11): the "already complete" check ran before the lock was taken, so 11–15 of
# 20 simultaneous ``done`` calls for one obligation recorded 已记 1/1, and two concurrent ``undo`` of
# one entry voided it twice (37 of 40 times).  The obligation is now counted again under the lock.

RACE_TASKS = """
- {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}
- {id: "2", text: 两次督查, units: [甲局], deadline: 每年至少两次}
"""
RACE_AS_OF = "2018-07-16"


@pytest.fixture
def office(tmp_path):
    data = plan_folder(tmp_path / "plan", RACE_TASKS)
    (data / "journal.jsonl").write_bytes(b"")
    return data


def office_args(data: Path, *args: str) -> list[str]:
    return [*args, "--as-of", RACE_AS_OF, "--data", str(data)]


@pytest.mark.parametrize("task, period, quota", [("1", "2018-06", 1), ("2", "2018", 2)])
def test_twenty_racing_dones_record_exactly_the_quota(office, tmp_path, task, period, quota):
    args = office_args(office, "done", task, "--unit", "甲局", "--period", period, "--date", "2018-07-02")
    results = race(tmp_path, [args] * 20)
    codes = Counter(r.returncode for r in results)
    assert codes == {0: quota, 2: 20 - quota}, [r.stderr for r in results if r.returncode not in (0, 2)]
    entries = read_journal(office / "journal.jsonl").entries
    assert [(e.task, e.unit, e.period) for e in entries] == [(task, "甲局", period)] * quota
    for loser in (r for r in results if r.returncode == 2):
        assert f"期间 {period} " in loser.stderr and "已完成" in loser.stderr or "已由其他人销号完成" in loser.stderr


def test_twenty_racing_dones_without_a_period_never_overfill_one(office, tmp_path):
    args = office_args(office, "done", "1", "--unit", "甲局", "--date", "2018-07-02")
    results = race(tmp_path, [args] * 20)
    assert {r.returncode for r in results} <= {0, 2}, [r.stderr for r in results]
    periods = Counter(e.period for e in read_journal(office / "journal.jsonl").entries)
    assert periods and max(periods.values()) == 1
    assert sum(periods.values()) == sum(r.returncode == 0 for r in results)


def test_two_racing_undos_void_once(office, tmp_path):
    env = {**os.environ, "FUPIN_CACHE": str(tmp_path / "cache")}
    recorded = subprocess.run([sys.executable, "-m", "fupin_cli", *office_args(office, "done", "1", "--unit", "甲局",
                                                                                "--period", "2018-06", "--format",
                                                                                "json")],
                              env=env, capture_output=True, text=True, check=True)
    entry = json.loads(recorded.stdout)["id"]
    undo = ["undo", entry, "--reason", "录错", "--data", str(office)]
    for _ in range(3):
        results = race(tmp_path, [undo, undo])
        voids = [e for e in read_journal(office / "journal.jsonl").entries if e.op == "void"]
        assert len(voids) == 1
        assert sorted(r.returncode for r in results) in ([0, 2], [2, 2])
        losers = [r for r in results if r.returncode == 2]
        assert all("已于" in r.stderr and "作废" in r.stderr or "刚刚已由其他人作废" in r.stderr for r in losers)


# ---------------------------------------------------------------- a writer killed mid-line

CRASH_HELPER = textwrap.dedent("""
    import sys
    from datetime import datetime, timedelta, timezone
    from pathlib import Path

    import filelock  # imported before "ready" so the kill lands in the loop
    from fupin_cli.journal.entries import make_done_record
    from fupin_cli.journal.jsonl.writer import append

    path, size = Path(sys.argv[1]), int(sys.argv[2])
    note = "x" * size
    tz = timezone(timedelta(hours=8))
    months = ["2018-04", "2018-05", "2018-06", "2018-07"]
    sys.stdout.write("ready\\n")
    sys.stdout.flush()
    i = 0
    while True:
        record = make_done_record(plan="tasks", task="5.1", unit="金平区", period=months[i % 4],
                                  date="2018-07-01", by="崩溃测试", note=note, now_utc=datetime.now(timezone.utc), tz=tz)
        append(path, record)
        i += 1
""")


def _kill_writers(tmp_path: Path, journal: Path, kills: int, size: int, rng: random.Random) -> set[int]:
    """Kill the helper ``kills`` times; after each kill the file must be whole lines plus at most one torn tail.

    Returns the offsets at which a torn tail was seen (those lines are the only ones allowed not to parse).
    """
    helper = tmp_path / "crash_helper.py"
    helper.write_text(CRASH_HELPER, encoding="utf-8")
    env = cli_env(journal)
    torn_at: set[int] = set()
    for _ in range(kills):
        proc = subprocess.Popen([sys.executable, str(helper), str(journal), str(size)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, 0.03))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stdout.close()
        if not journal.exists():
            continue
        with journal.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            end = handle.tell()
            if end == 0:
                continue
            handle.seek(max(0, end - size - 4096))
            tail = handle.read()
        if not tail.endswith(b"\n"):
            cut = tail.rfind(b"\n")
            assert cut >= 0 or end == len(tail)
            torn_at.add(end - len(tail) + cut + 1)
    return torn_at


def _verify_after_kills(journal: Path, torn_at: set[int]) -> int:
    """Every complete line parses unless it was a torn tail once; read_journal reports exactly those."""
    raw = journal.read_bytes()
    offset, lineno, good, bad_lines = 0, 0, 0, []
    for text in raw.split(b"\n"):
        lineno += 1
        if not text and offset == len(raw):
            break
        try:
            obj = orjson.loads(text)
            assert obj["op"] == "done" and obj["task"] == "5.1" and len(obj["note"]) > 0
            good += 1
        except orjson.JSONDecodeError:
            assert offset in torn_at, f"line {lineno} at byte {offset} is torn but was never the last line"
            bad_lines.append(lineno)
        offset += len(text) + 1
    if not raw.endswith(b"\n"):
        assert bad_lines and bad_lines[-1] == lineno  # the torn tail is the last line
    contents = read_journal(journal)
    assert sorted(p.line for p in contents.problems) == bad_lines
    assert len(contents.entries) == good
    return len(bad_lines)


def _reports_work_after_crashes(journal: Path) -> None:
    env = cli_env(journal)
    before = journal.read_bytes()
    done = run_cli("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--as-of", "2018-07-15", env=env)
    assert done.returncode == 0, done.stderr
    after = journal.read_bytes()
    assert after.startswith(before)
    last = after.splitlines()[-1]
    assert orjson.loads(last)["task"] == "8.2"
    assert after.endswith(b"\n")
    for args in (("due", "--format", "json"), ("overdue", "--format", "json"), ("report", "weekly", "--format", "json"),
                 ("journal", "--format", "json", "--task", "8.2"), ("calendar", "--format", "json")):
        result = run_cli(*args, "--as-of", "2018-07-16", env=env) if args[0] != "journal" else run_cli(*args, env=env)
        assert result.returncode == 0, (args, result.stderr)
        json.loads(result.stdout)
        assert "Traceback" not in result.stderr
    check = run_cli("check", env=env)
    assert check.returncode in (0, 1) and "Traceback" not in check.stderr


def test_writer_killed_mid_append(tmp_path):
    journal = tmp_path / "journal.jsonl"
    torn_at = _kill_writers(tmp_path, journal, 20, 4_000_000, random.Random(20180715))
    _verify_after_kills(journal, torn_at)
    _reports_work_after_crashes(journal)


@pytest.mark.slow
def test_writer_killed_mid_append_long(tmp_path):
    rng = random.Random(42)
    torn = 0
    for batch in range(8):  # 8 × 25 = 200 kills; a fresh journal per batch keeps the files small
        journal = tmp_path / f"journal-{batch}.jsonl"
        torn += _verify_after_kills(journal, _kill_writers(tmp_path, journal, 25, 4_000_000, rng))
        if batch < 7:
            journal.unlink()
            Path(str(journal) + ".lock").unlink(missing_ok=True)
    assert torn > 0, "no kill landed in the middle of a write; the test proved nothing"
    _reports_work_after_crashes(journal)


# ---------------------------------------------------------------- a failing disk, through the seam

class FaultyFiles(file_seam.Files):
    """The writer's system calls, some replaced by failing ones."""

    def __init__(self, **calls):
        self.__dict__.update(calls)


def _oserror(code: int) -> OSError:
    return OSError(code, os.strerror(code))


def _open_fails(code: int) -> dict:
    def open_(path, flags, mode=0o777):
        if flags & os.O_APPEND:  # the journal itself; the lock file is not behind the seam
            raise OSError(code, os.strerror(code), str(path))
        return os.open(path, flags, mode)
    return {"open": open_}


def _write_fails(code: int) -> dict:
    def write(fd, data):
        raise _oserror(code)
    return {"write": write}


def _write_half_then_enospc(fd, data):
    os.write(fd, bytes(data[: len(data) // 2]))
    raise _oserror(errno.ENOSPC)


def _write_a_third(fd, data):
    return os.write(fd, bytes(data[: len(data) // 3]))


def _write_half(fd, data):
    return os.write(fd, bytes(data[: len(data) // 2]))


def _fsync_eio(fd):
    raise _oserror(errno.EIO)


FAULTS = {  # the writer's failing call, and the words its message must have
    "open-erofs": (_open_fails(errno.EROFS), "所在的文件系统是只读的"),
    "open-eacces": (_open_fails(errno.EACCES), "没有写入权限"),
    "open-enospc": (_open_fails(errno.ENOSPC), "磁盘空间已满"),
    "write-enospc": (_write_fails(errno.ENOSPC), "磁盘空间已满"),
    "write-edquot": (_write_fails(errno.EDQUOT), "磁盘配额已用完"),
    "write-half-then-enospc": ({"write": _write_half_then_enospc}, "磁盘空间已满"),
    "write-short-half": ({"write": _write_half}, "磁盘空间已满"),
    "write-short-third": ({"write": _write_a_third}, "磁盘空间已满"),
    "fsync-eio": ({"fsync": _fsync_eio}, "磁盘读写错误"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failed_append_is_cut_back_and_named(tmp_path, monkeypatch, fault):
    calls, words = FAULTS[fault]
    path = tmp_path / "journal.jsonl"
    first = append(path, record(0))
    with open(path, "ab") as f:  # a torn line too: the fix-up newline must go as well
        f.write(b'{"id": "torn')
    before = path.read_bytes()
    monkeypatch.setattr(file_seam, "FILES", FaultyFiles(**calls))
    with pytest.raises(JournalError) as info:
        append(path, record(1))
    monkeypatch.setattr(file_seam, "FILES", file_seam.Files())
    assert info.value.file == str(path) and str(path) in str(info.value)
    assert words in info.value.message and "什么也没有写入" in info.value.message
    assert path.read_bytes() == before
    # and the journal still works afterwards
    after = append(path, record(2))
    assert path.read_bytes() == before + b"\n" + line(after)
    assert [e.id for e in read_journal(path).entries] == [first["id"], after["id"]]


@pytest.mark.parametrize("fault", FAULTS)
def test_done_and_undo_on_a_failing_disk_are_refused_and_change_nothing(fupin, seeded, journal_path, monkeypatch,
                                                                         fault):
    calls, words = FAULTS[fault]
    monkeypatch.setattr(file_seam, "FILES", FaultyFiles(**calls))
    refused(fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--note", "满" * 5000, *AS_OF),
            str(journal_path), words)
    entry_id = journal_lines(journal_path)[0]["id"]
    refused(fupin("undo", entry_id, "-r", "录错"), str(journal_path), words)
    assert journal_path.read_bytes() == seeded
    monkeypatch.setattr(file_seam, "FILES", file_seam.Files())  # (not monkeypatch.undo(): that would drop FUPIN_JOURNAL)
    assert fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", *AS_OF).code == 0
    assert len(journal_lines(journal_path)) == 2


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file modes")
def test_read_only_file_is_refused(tmp_path):
    path = tmp_path / "journal.jsonl"
    append(path, record(0))
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        with pytest.raises(JournalError) as info:
            append(path, record(1))
    finally:
        path.chmod(0o644)
    assert "没有写入权限" in info.value.message
    assert path.read_bytes() == before


@pytest.fixture
def tiny_tmpfs(tmp_path):
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
                              capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("cannot run mount")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, timeout=20)


def test_real_full_disk_and_read_only_mount(fupin, tiny_tmpfs, monkeypatch):
    journal = tiny_tmpfs / "journal.jsonl"
    monkeypatch.setenv("FUPIN_JOURNAL", str(journal))
    assert fupin("done", "8.2", "--unit", "市残联", "--period", "2018-05", *AS_OF).code == 0
    before = journal.read_bytes()
    with open(tiny_tmpfs / "filler", "wb", buffering=0) as handle, pytest.raises(OSError) as full:
        while handle.write(b"\0" * 1024):  # fill the disk until it says no
            continue
    assert full.value.errno == errno.ENOSPC
    result = fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--note", "满" * 20000, *AS_OF)
    refused(result, str(journal), "磁盘空间已满")
    assert journal.read_bytes() == before
    (tiny_tmpfs / "filler").unlink()
    # Read-only: remount the same tmpfs read-only.
    remount = subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], capture_output=True, timeout=20)
    if remount.returncode != 0:
        pytest.skip("cannot remount read-only")
    try:
        result = fupin("done", "8.2", "--unit", "市残联", "--period", "2018-06", *AS_OF)
        refused(result, str(journal), "只读")
        assert journal.read_bytes() == before
        assert fupin("due", "--unit", "市残联", *AS_OF).code == 0  # reading still works
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_tmpfs)], capture_output=True, timeout=20)


# ---------------------------------------------------------------- a path that is no regular file

def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "adir"
    folder.mkdir()
    return folder


def _fifo(tmp_path: Path) -> Path:
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)
    return fifo


def _link_to(target_of):
    def make(tmp_path: Path) -> Path:
        link = tmp_path / "link.jsonl"
        link.symlink_to(target_of(tmp_path))
        return link
    return make


NOT_A_FILE = {  # how the path is made; the words of the writer's refusal; those of the command line's
    "folder": (_folder, "文件夹", ("文件夹",)),
    "fifo": (_fifo, "不是普通文件", ("不是普通文件",)),
    "dangling link": (_link_to(lambda tmp_path: tmp_path / "missing" / "journal.jsonl"), "不存在", ("符号链接", "不存在")),
    "link to a folder": (_link_to(_folder), "不是普通文件", ("文件夹",)),
    "link to a fifo": (_link_to(_fifo), "不是普通文件", ("不是普通文件",)),
}


@pytest.mark.parametrize("kind", NOT_A_FILE)
def test_a_journal_path_that_is_no_regular_file_is_refused(fupin, tmp_path, monkeypatch, kind):
    make, writer_words, cli_words = NOT_A_FILE[kind]
    path = make(tmp_path)
    with pytest.raises(JournalError, match=writer_words):
        append(path, record(0))
    monkeypatch.setenv("FUPIN_JOURNAL", str(path))
    refused(fupin("done", "8.2", "--unit", "市残联", "--period", "2018-05", *AS_OF), str(path), *cli_words)
    assert path.is_symlink() == kind.startswith(("dangling", "link"))
    assert not (tmp_path / "missing").exists()
    if (tmp_path / "adir").exists():
        assert list((tmp_path / "adir").iterdir()) == []
        refused(fupin("due", *AS_OF), str(path))


def test_a_journal_symlink_to_a_regular_file_writes_the_target(fupin, tmp_path, monkeypatch):
    real = tmp_path / "shared" / "journal.jsonl"
    real.parent.mkdir()
    real.write_bytes(b"")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    monkeypatch.setenv("FUPIN_JOURNAL", str(link))
    for period in ("2018-05", "2018-06"):
        result = fupin("done", "8.2", "--unit", "市残联", "--period", period, *AS_OF)
        assert result.code == 0, result.err
    recorded = real.read_bytes()
    a = append(real, record(0, period="2018-04"))  # the same file under either name
    b = append(link, record(1, period="2018-07"))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == recorded + line(a) + line(b)
    assert [e["period"] for e in journal_lines(real)] == ["2018-05", "2018-06", "2018-04", "2018-07"]
    assert (tmp_path / "shared" / "journal.jsonl.lock").exists()  # one lock for both names
    assert not (tmp_path / "link.jsonl.lock").exists()
    listed = fupin("journal", "--format", "json")
    assert listed.code == 0 and len(listed.json()) == 4
