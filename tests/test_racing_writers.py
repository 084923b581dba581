"""Racing clerks: the obligation is counted again under the journal's lock, right before the write.

Issue 11: the "already complete" check ran before the lock was taken, so 11–15 of 20 simultaneous
``done`` calls for one obligation recorded 已记 1/1, and two concurrent ``undo`` of one entry voided
it twice (37 of 40 times).  Here 20 processes start together (they wait for one file to appear, then
all run ``fupin``): exactly the quota is recorded, the rest are refused with exit code 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from fupin_cli.journal.jsonl.reader import read_journal
from support.plans import plan_folder

TASKS = """
- {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}
- {id: "2", text: 两次督查, units: [甲局], deadline: 每年至少两次}
"""
AS_OF = "2018-07-16"
RUNNER = """
import os, sys, time
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.001)
from fupin_cli.cli import main
sys.argv = ["fupin", *sys.argv[2:]]
main()
"""


def race(tmp_path: Path, args_of_each: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Start one process per argument list, let them all go at once, and collect them."""
    go = tmp_path / f"go-{time.monotonic_ns()}"
    env = {**os.environ, "FUPIN_CACHE": str(tmp_path / "cache"), "FUPIN_DEBUG": "1"}
    env.pop("FUPIN_NO_CACHE", None)
    processes = [subprocess.Popen([sys.executable, "-c", RUNNER, str(go), *args], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for args in args_of_each]
    time.sleep(1.5)  # every interpreter is up and spinning on the go file
    go.write_text("go")
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


@pytest.fixture
def office(tmp_path):
    data = plan_folder(tmp_path / "plan", TASKS)
    (data / "journal.jsonl").write_bytes(b"")
    return data


def fupin_args(data: Path, *args: str) -> list[str]:
    return [*args, "--as-of", AS_OF, "--data", str(data)]


@pytest.mark.parametrize("task, period, quota", [("1", "2018-06", 1), ("2", "2018", 2)])
def test_twenty_racing_dones_record_exactly_the_quota(office, tmp_path, task, period, quota):
    args = fupin_args(office, "done", task, "--unit", "甲局", "--period", period, "--date", "2018-07-02")
    results = race(tmp_path, [args] * 20)
    codes = Counter(r.returncode for r in results)
    assert codes == {0: quota, 2: 20 - quota}, [r.stderr for r in results if r.returncode not in (0, 2)]
    entries = read_journal(office / "journal.jsonl").entries
    assert [(e.task, e.unit, e.period) for e in entries] == [(task, "甲局", period)] * quota
    for refused in (r for r in results if r.returncode == 2):
        assert f"期间 {period} " in refused.stderr and "已完成" in refused.stderr or "已由其他人销号完成" in refused.stderr


def test_twenty_racing_dones_without_a_period_never_overfill_one(office, tmp_path):
    args = fupin_args(office, "done", "1", "--unit", "甲局", "--date", "2018-07-02")
    results = race(tmp_path, [args] * 20)
    assert {r.returncode for r in results} <= {0, 2}, [r.stderr for r in results]
    periods = Counter(e.period for e in read_journal(office / "journal.jsonl").entries)
    assert periods and max(periods.values()) == 1
    assert sum(periods.values()) == sum(r.returncode == 0 for r in results)


def test_two_racing_undos_void_once(office, tmp_path):
    env = {**os.environ, "FUPIN_CACHE": str(tmp_path / "cache")}
    recorded = subprocess.run([sys.executable, "-m", "fupin_cli", *fupin_args(office, "done", "1", "--unit", "甲局",
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
        refused = [r for r in results if r.returncode == 2]
        assert all("已于" in r.stderr and "作废" in r.stderr or "刚刚已由其他人作废" in r.stderr for r in refused)
