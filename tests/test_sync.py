"""``fupin sync`` with real git repositories: a bare remote and two offices' clones.

Also the race issue 11 found: a ``git pull`` in the working copy while ``fupin done`` writes.  With
``fupin sync`` git runs under the journal's lock, so nothing is lost; with git by hand fupin at least
never creates a fresh journal in the gap git leaves (which wiped 3,018 lines to 1).
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fupin_cli.app.context import RunContext
from fupin_cli.app.sync import sync
from fupin_cli.cache import active_cache
from fupin_cli.domain.errors import JournalError
from fupin_cli.journal.entries import make_done_record
from fupin_cli.journal.jsonl.reader import read_journal
from fupin_cli.journal.jsonl.store import JsonlStore

AS_OF = ("--as-of", "2018-10-15")
TZ = timezone(timedelta(hours=8))


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, f"git {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def offices(tmp_path, monkeypatch, fupin):
    """origin.git, and two clones a/ and b/ of a data folder made by ``fupin init``."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = 测试\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n"
                      "[commit]\n\tgpgsign = false\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("FUPIN_JOURNAL")  # each office's journal is the one in its data folder
    git(tmp_path, "init", "-q", "--bare", "-b", "main", "origin.git")
    a = tmp_path / "a"
    assert fupin("init", str(a)).code == 0
    git(a, "init", "-q", "-b", "main")
    git(a, "add", ".")
    git(a, "commit", "-qm", "清单")
    git(a, "remote", "add", "origin", str(tmp_path / "origin.git"))
    git(a, "push", "-q", "-u", "origin", "main")
    git(tmp_path, "clone", "-q", "origin.git", "b")
    return a, tmp_path / "b"


def test_two_offices_share_through_sync(fupin, offices):
    a, b = offices
    for unit in ("金平区", "龙湖区", "濠江区"):
        assert fupin("done", "5.1", "--unit", unit, "--period", "2018-06", *AS_OF, "--data", str(a)).code == 0
    for unit in ("潮阳区", "潮南区"):
        assert fupin("done", "5.1", "--unit", unit, "--period", "2018-06", *AS_OF, "--data", str(b)).code == 0
    first = fupin("sync", "--data", str(a))
    assert first.code == 0, first.err
    assert first.out == "已提交：fupin sync：台账新增 3 行\n已与 origin/main 同步：拉取到 0 行新台账记录，已推送。\n"
    second = fupin("sync", "--data", str(b))
    assert second.code == 0, second.err
    assert second.out == "已提交：fupin sync：台账新增 2 行\n已与 origin/main 同步：拉取到 3 行新台账记录，已推送。\n"
    third = fupin("sync", "--data", str(a))
    assert third.out == "没有需要提交的改动。\n已与 origin/main 同步：拉取到 2 行新台账记录，已推送。\n"
    assert (a / "journal.jsonl").read_bytes() == (b / "journal.jsonl").read_bytes()
    assert len(read_journal(a / "journal.jsonl").entries) == 5
    assert git(a, "status", "--porcelain").stdout == "" and git(b, "status", "--porcelain").stdout == ""
    assert fupin("check", "--data", str(a)).code == 0
    overdue_a = fupin("overdue", "--format", "json", *AS_OF, "--data", str(a)).json()
    assert overdue_a == fupin("overdue", "--format", "json", *AS_OF, "--data", str(b)).json()
    june = {r["unit"] for r in overdue_a if r["task"] == "5.1" and r["period"] == "2018-06"}
    assert june == {"市民政局", "各镇", "澄海区", "南澳县"}


def test_sync_failures_say_which_git_command_to_run(fupin, offices, tmp_path):
    a, b = offices
    plain = tmp_path / "plain"
    assert fupin("init", str(plain)).code == 0
    result = fupin("sync", "--data", str(plain))
    assert result.code == 3
    assert result.err.startswith(f"错误：数据文件夹 {plain.resolve()} 不在 git 仓库中。先建立仓库：cd {plain.resolve()} "
                                 f"&& git init && git add . && git commit -m 清单")

    assert fupin("sync").code == 2  # the shipped plan is no folder to share

    # Both offices change the same line of tasks.yaml: a real conflict, which sync undoes and explains.
    for office, title in ((a, "甲版"), (b, "乙版")):
        tasks = office / "tasks.yaml"
        tasks.write_text(tasks.read_text(encoding="utf-8").replace("title: 2018年", f"title: {title}2018年", 1),
                         encoding="utf-8")
    assert fupin("sync", "--data", str(a)).code == 0
    conflict = fupin("sync", "--data", str(b))
    assert conflict.code == 3
    assert conflict.err == (f"错误：与远程合并时这些文件有冲突：tasks.yaml。已撤销这次合并，本地提交都在。请手工合并："
                            f"cd {b} && git pull --no-rebase，改好冲突的文件后 git add 文件 && git commit，"
                            f"再运行 fupin sync\n")
    assert "<<<<<<<" not in (b / "tasks.yaml").read_text(encoding="utf-8")
    assert git(b, "status", "--porcelain").stdout == ""

    # No upstream branch yet.
    git(b, "checkout", "-q", "-b", "另一支")
    upstream = fupin("sync", "--data", str(b))
    assert upstream.code == 3
    assert upstream.err == (f"错误：当前分支 另一支 还没有对应的远程分支；第一次请运行：cd {b} && git push -u origin '另一支'，"
                            f"以后用 fupin sync 即可\n")


def test_sync_refuses_to_spread_lost_lines(fupin, offices):
    a, _ = offices
    for unit in ("金平区", "龙湖区"):
        assert fupin("done", "5.1", "--unit", unit, "--period", "2018-06", *AS_OF, "--data", str(a)).code == 0
    assert fupin("sync", "--data", str(a)).code == 0
    journal = a / "journal.jsonl"
    kept = journal.read_bytes().splitlines(keepends=True)[1]
    journal.write_bytes(kept)  # the first committed line is gone
    result = fupin("sync", "--data", str(a))
    assert result.code == 3
    assert result.err.startswith("错误：台账中有 1 行已提交的记录不见了")
    assert f"恢复：cd {a} && git checkout -- journal.jsonl" in result.err
    assert git(a, "status", "--porcelain").stdout == " M journal.jsonl\n"  # nothing committed
    check = fupin("check", "--data", str(a))
    assert check.code == 1 and "已提交到 git 的记录不见了" in check.out


def test_sync_without_a_remote_commits_and_says_how_to_add_one(fupin, tmp_path, monkeypatch):
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = 测试\n\temail = test@example.com\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.delenv("FUPIN_JOURNAL")
    folder = tmp_path / "office"
    assert fupin("init", str(folder)).code == 0
    git(folder, "init", "-q")
    assert fupin("done", "5.1", "--unit", "金平区", "--period", "2018-06", *AS_OF, "--data", str(folder)).code == 0
    result = fupin("sync", "--data", str(folder))
    assert result.code == 0, result.err
    assert result.out == ("已提交：fupin sync：台账新增 1 行\n"
                          f"提示：仓库没有远程仓库，只提交到了本地；要与其他办公室共享，运行：cd {folder} && "
                          f"git remote add origin 仓库地址\n")
    assert git(folder, "status", "--porcelain").stdout == ""
    assert "journal.jsonl.lock" not in git(folder, "ls-files").stdout


# ---------------------------------------------------------------- the race with git

class Writer(threading.Thread):
    """``fupin done``'s write path in a loop: the real store, its lock and its checks."""

    def __init__(self, journal: Path) -> None:
        super().__init__(daemon=True)
        self.journal = journal
        self.written: list[str] = []
        self.refused = 0
        self.stop = threading.Event()

    def run(self) -> None:
        store = JsonlStore(self.journal, active_cache())
        clock = datetime(2018, 7, 1, tzinfo=timezone.utc)
        n = 0
        while not self.stop.is_set():
            n += 1
            record = make_done_record(plan="tasks", task="5.1", unit="金平区", period="2018-06", date="2018-07-02", by="写入线程",
                                      note=str(n), now_utc=clock + timedelta(microseconds=n), tz=TZ)
            try:
                store.append(record)
                self.written.append(record["id"])
            except JournalError:
                self.refused += 1
                time.sleep(0.005)


def _other_office_pushes(b: Path, n: int) -> str:
    record = make_done_record(plan="tasks", task="5.1", unit="龙湖区", period="2018-06", date="2018-07-03", by="乙",
                              note=str(n), now_utc=datetime(2018, 7, 2, tzinfo=timezone.utc)
                              + timedelta(seconds=n), tz=TZ)
    with open(b / "journal.jsonl", "ab") as handle:
        handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
    git(b, "commit", "-qam", f"乙 {n}")
    git(b, "pull", "-q", "--no-rebase", "--no-edit")
    git(b, "push", "-q")
    return record["id"]


def _race(offices, seconds: float) -> tuple[Writer, list[str], int]:
    a, b = offices
    writer = Writer(a / "journal.jsonl")
    theirs: list[str] = []
    rounds = 0
    writer.start()
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            theirs.append(_other_office_pushes(b, rounds))
            sync(RunContext(data=a))
            rounds += 1
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    sync(RunContext(data=a))
    git(b, "pull", "-q", "--no-rebase", "--no-edit")
    return writer, theirs, rounds


def _check_nothing_lost(offices, writer: Writer, theirs: list[str]) -> None:
    a, b = offices
    ids_a = [e.id for e in read_journal(a / "journal.jsonl").entries]
    assert (a / "journal.jsonl").read_bytes() == (b / "journal.jsonl").read_bytes()
    assert set(writer.written) <= set(ids_a), f"{len(set(writer.written) - set(ids_a))} recorded lines lost"
    assert set(theirs) <= set(ids_a)
    assert len(ids_a) == len(set(ids_a)) == len(writer.written) + len(theirs)


def test_sync_while_done_writes_loses_nothing(offices):
    writer, theirs, rounds = _race(offices, seconds=4)
    print(f"\nsync rounds {rounds}, lines written meanwhile {len(writer.written)} (refused {writer.refused}), "
          f"pushed by the other office {len(theirs)}")
    assert rounds >= 3 and len(writer.written) > 50
    _check_nothing_lost(offices, writer, theirs)


@pytest.mark.slow
def test_sync_while_done_writes_loses_nothing_long(offices):
    writer, theirs, rounds = _race(offices, seconds=60)
    print(f"\nsync rounds {rounds}, lines written meanwhile {len(writer.written)} (refused {writer.refused}), "
          f"pushed by the other office {len(theirs)}")
    assert rounds >= 30
    _check_nothing_lost(offices, writer, theirs)


def _pull_by_hand(offices, seconds: float) -> tuple[Writer, int, list[int]]:
    """The README's old workflow, by hand, while fupin writes: commit -a, pull, push — no lock."""
    a, b = offices
    writer = Writer(a / "journal.jsonl")
    committed_sizes: list[int] = []
    rounds = 0
    writer.start()
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            _other_office_pushes(b, 1000 + rounds)
            git(a, "commit", "-qam", f"甲 {rounds}", check=False)
            committed_sizes.append(len(git(a, "show", "HEAD:journal.jsonl").stdout.splitlines()))
            git(a, "pull", "-q", "--no-rebase", "--no-edit", check=False)
            git(a, "push", "-q", check=False)
            rounds += 1
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    return writer, rounds, committed_sizes


def test_git_pull_by_hand_while_done_writes_never_recreates_the_journal(offices):
    """The wipe of issue 11 came from ``done`` creating a fresh journal while git had deleted the file;
    now ``done`` refuses instead, so no commit ever holds fewer lines than the one before it."""
    writer, rounds, sizes = _pull_by_hand(offices, seconds=4)
    print(f"\ngit by hand: rounds {rounds}, lines written {len(writer.written)} (refused {writer.refused})")
    assert rounds >= 3
    assert sizes == sorted(sizes), f"a commit lost lines: {sizes}"
    a, _ = offices
    committed = git(a, "show", "HEAD:journal.jsonl").stdout.splitlines()
    now = (a / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert set(committed) <= set(now)


@pytest.mark.slow
def test_git_pull_by_hand_while_done_writes_never_recreates_the_journal_long(offices):
    writer, rounds, sizes = _pull_by_hand(offices, seconds=60)
    assert sizes == sorted(sizes), f"a commit lost lines: {sizes}"
