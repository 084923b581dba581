"""Another user's files are never trusted: the cache folder and every cache file are checked before use.

Run as root (the tests here are), the other user is ``nobody``: files are chowned to it, and the
attacker of the symlink race is a process that drops to its uid.  Elsewhere the tests that need
another uid are skipped, saying why.
"""

from __future__ import annotations

import json
import marshal
import os
import pickle
import resource
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fupin_cli.cache import CacheFolder, cache_name, take_notices

AS_OF = ("--as-of", "2018-10-15")
NOBODY = 65534
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to chown files to another user (nobody)")


def plan_cache_name(data_dir: Path) -> str:
    paths = [str((data_dir / name).resolve()) for name in ("tasks.yaml", "units.yaml")]
    return f"plan-{cache_name(chr(0).join(paths))}.marshal"


def journal_cache_name(journal: Path) -> str:
    return f"journal-{cache_name(os.path.realpath(journal))}.marshal"


@pytest.fixture
def seeded(fupin, plan_dir, journal_path):
    """The shipped plan as an editable folder, with a few completions."""
    for unit in ("金平区", "龙湖区", "濠江区"):
        assert fupin("done", "5.1", "--unit", unit, "--period", "2018-06", "--date", "2018-07-02", *AS_OF,
                     "--data", str(plan_dir)).code == 0
    return plan_dir


def overdue(fupin, plan_dir):
    result = fupin("overdue", "--format", "json", *AS_OF, "--data", str(plan_dir))
    assert result.code == 0, result.err
    return result


def test_a_world_writable_cache_folder_is_not_used_and_said_once(fupin, seeded, tmp_path, monkeypatch):
    truth = overdue(fupin, seeded).json()
    folder = tmp_path / "shared-cache"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("FUPIN_CACHE", str(folder))
    result = overdue(fupin, seeded)
    assert result.json() == truth
    assert result.err == (f"提示：缓存目录 {folder} 可被其他用户写入（权限 0777），本次不使用缓存；"
                          f"运行 chmod go-w {folder} 后即可使用\n")
    assert list(folder.iterdir()) == []  # nothing was written there either


@as_root
def test_a_cache_folder_of_another_user_is_not_used(fupin, seeded, tmp_path, monkeypatch):
    truth = overdue(fupin, seeded).json()
    folder = tmp_path / "their-cache"
    folder.mkdir(mode=0o700)
    os.chown(folder, NOBODY, NOBODY)
    monkeypatch.setenv("FUPIN_CACHE", str(folder))
    result = overdue(fupin, seeded)
    assert result.json() == truth
    assert result.err == (f"提示：缓存目录 {folder} 属于另一个用户（uid {NOBODY}），本次不使用缓存；"
                          f"请删除它或用 FUPIN_CACHE 指定自己的文件夹\n")


def _forge_everything_done(cache: Path, journal: Path) -> Path:
    """Rewrite the journal's index so that every obligation of the shipped plan looks done."""
    path = cache / journal_cache_name(journal)
    identity, stamp, racy, size, digest, simple, max_id, voided, completions, problems, high, marks, checkpoints = (
        marshal.loads(path.read_bytes()))
    from fupin_cli.plan_io.loader import load_plan

    everything = {}
    plan = load_plan(None).plan
    for task in plan.tasks:
        periods = everything.setdefault(task.plan, {}).setdefault(task.id, {})
        for year in range(2018, 2020):
            labels = [f"{year}-{m:02d}" for m in range(1, 13)] + [f"{year}-Q{q}" for q in range(1, 5)] \
                + [f"{year}-H1", f"{year}-H2", str(year)]
            for label in labels:
                periods[label] = {unit: (736000, 736000, 736000) for unit in plan.units}
    path.write_bytes(marshal.dumps((identity, stamp, False, size, digest, simple, max_id, voided, everything,
                                    problems, high, marks, checkpoints)))
    return path


@pytest.mark.parametrize("how", ["another user's", "group-writable"])
def test_a_forged_journal_index_is_not_believed(fupin, seeded, journal_path, tmp_path, how):
    if how == "another user's" and os.geteuid() != 0:
        pytest.skip("needs root to chown the forged file to another user (nobody)")
    truth = overdue(fupin, seeded).json()
    assert len(truth) > 300
    forged = _forge_everything_done(tmp_path / "cache", journal_path)
    if how == "another user's":
        os.chown(forged, NOBODY, NOBODY)
    else:
        forged.chmod(0o664)
    assert overdue(fupin, seeded).json() == truth


def test_the_forged_index_would_have_lied(fupin, seeded, journal_path, tmp_path):
    """The same forgery, owned by the user and private: fupin believes it (it is the user's own cache),
    which shows the two tests above refuse it for its owner and mode, not for its content."""
    truth = overdue(fupin, seeded).json()
    _forge_everything_done(tmp_path / "cache", journal_path)
    assert len(overdue(fupin, seeded).json()) < len(truth) // 2


@pytest.mark.parametrize("kind", ["fifo", "symlink to /dev/zero", "device node", "huge sparse file",
                                  "symlink to the user's own file"])
def test_odd_files_in_the_cache_folder_are_skipped_without_hanging(tmp_path, kind):
    if kind == "device node" and os.geteuid() != 0:
        pytest.skip("needs root to make a device node")
    data = tmp_path / "plan"
    subprocess.run([sys.executable, "-m", "fupin_cli", "init", str(data)], check=True, capture_output=True)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    env = {**os.environ, "FUPIN_CACHE": str(cache), "FUPIN_DATA": str(data), "FUPIN_DEBUG": "1"}
    env.pop("FUPIN_NO_CACHE", None)
    env.pop("FUPIN_JOURNAL", None)
    run = [sys.executable, "-m", "fupin_cli"]
    done = subprocess.run(run + ["done", "5.1", "--unit", "金平区", "--period", "2018-06", *AS_OF],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    truth = subprocess.run(run + ["overdue", "--format", "json", *AS_OF], env={**env, "FUPIN_NO_CACHE": "1"},
                           capture_output=True, text=True, timeout=60).stdout
    mine = tmp_path / "mine.marshal"
    mine.write_bytes(marshal.dumps(("not", "a", "cache")))
    for path in cache.iterdir():
        path.unlink()
    names = [plan_cache_name(data), journal_cache_name(data / "journal.jsonl")]
    for name in names:
        target = cache / name
        if kind == "fifo":
            os.mkfifo(target, 0o600)
        elif kind == "symlink to /dev/zero":
            target.symlink_to("/dev/zero")
        elif kind == "device node":
            os.mknod(target, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers
        elif kind == "huge sparse file":
            with open(target, "wb") as handle:
                handle.truncate(4 << 30)
            target.chmod(0o600)
        else:
            target.symlink_to(mine)

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    for args in (["overdue", "--format", "json", *AS_OF],
                 ["done", "5.1", "--unit", "龙湖区", "--period", "2018-06", *AS_OF],
                 ["overdue", "--format", "json", *AS_OF]):
        result = subprocess.run(run + args, env=env, capture_output=True, text=True, timeout=60,
                                preexec_fn=limit_memory)
        assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [r for r in json.loads(truth)
                                         if (r["task"], r["unit"], r["period"]) != ("5.1", "龙湖区", "2018-06")]
    assert mine.read_bytes() == marshal.dumps(("not", "a", "cache"))  # a symlink is replaced, never written through


class Boom:
    """Unpickling this runs a command: what the attacker plants."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


FLIPPER = """
i=0
while [ $i -lt 4000 ]; do
  ln -sfn "$1" "$3.new" && mv -Tf "$3.new" "$3"
  ln -sfn "$2" "$3.new" && mv -Tf "$3.new" "$3"
  i=$((i+1))
done
"""


def _as_nobody():
    os.setgid(NOBODY)
    os.setuid(NOBODY)


@as_root
def test_another_users_symlink_race_runs_nothing(fupin, seeded, monkeypatch):
    """The attack of issue 11: a cache folder another user controls, a symlink flipped between a pickle
    that runs a command and a file the victim owns.  The folder is refused outright, and no cache is
    ever unpickled: the marker the payload would create never appears, and every answer is right."""
    import shutil
    import tempfile

    truth = overdue(fupin, seeded).json()
    shared = Path(tempfile.mkdtemp(prefix="fupin-shared-"))
    try:
        shared.chmod(0o755)
        folder = shared / "theirs"
        folder.mkdir(mode=0o777)
        os.chown(folder, NOBODY, NOBODY)
        marker = shared / "pwned"
        payload = folder / "payload"
        payload.write_bytes(pickle.dumps(Boom(marker)))
        os.chown(payload, NOBODY, NOBODY)
        victims_own = shared / "victims-own"
        victims_own.write_bytes(pickle.dumps(Boom(marker)))  # even a file the victim owns is never unpickled
        monkeypatch.setenv("FUPIN_CACHE", str(folder))
        names = [plan_cache_name(seeded).replace(".marshal", ".pickle"), plan_cache_name(seeded),
                 journal_cache_name(seeded.parent / "journal.jsonl")]
        attackers = [subprocess.Popen(["/bin/sh", "-c", FLIPPER, "flip", str(payload), str(victims_own),
                                       str(folder / name)], preexec_fn=_as_nobody) for name in names]
        try:
            runs = 0
            deadline = time.time() + 4
            while time.time() < deadline:
                result = overdue(fupin, seeded)
                assert result.json() == truth
                assert result.err.count("本次不使用缓存") == 1
                runs += 1
            assert runs >= 10
            assert all((folder / name).is_symlink() for name in names)  # the attackers were at work
        finally:
            for attacker in attackers:
                attacker.kill()
                attacker.wait(timeout=30)
        assert not marker.exists()
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_temp_files_of_a_killed_store_are_removed_on_the_next_run(fupin, seeded, tmp_path):
    """A store killed between writing its temp file and renaming it leaves ``.journal-<pid>-…``; the next
    run removes it (its process is gone), and leaves a live process's temp file alone."""
    cache = tmp_path / "cache"
    overdue(fupin, seeded)
    killer = (
        "import os, signal, sys\n"
        "import fupin_cli.cache as cache\n"
        "os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from fupin_cli.cli import main\n"
        "sys.argv = ['fupin', 'overdue', '--format', 'json', '--as-of', '2018-10-15']\n"
        "main()\n")
    (seeded / "tasks.yaml").write_text((seeded / "tasks.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    env = {**os.environ, "FUPIN_CACHE": str(cache), "FUPIN_DATA": str(seeded),
           "FUPIN_JOURNAL": str(tmp_path / "journal.jsonl")}
    env.pop("FUPIN_NO_CACHE", None)
    killed = subprocess.Popen([sys.executable, "-c", killer], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    assert killed.wait(timeout=60) == -9
    left = [p.name for p in cache.iterdir() if p.name.startswith(".")]
    assert len(left) == 1 and left[0].startswith(f".plan-{killed.pid}-")
    alive = cache / f".journal-{os.getpid()}-0badc0de"
    alive.write_bytes(b"being written")
    take_notices()
    overdue(fupin, seeded)
    assert sorted(p.name for p in cache.iterdir() if p.name.startswith(".")) == [alive.name]


def test_cache_folder_reads_nothing_it_should_not(tmp_path):
    """The checks of one file, directly: what passes and what does not."""
    folder = tmp_path / "cache"
    cache = CacheFolder(folder)
    assert cache.read("x") is None and not folder.exists()
    assert cache.write("journal-x.marshal", b"data")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "journal-x.marshal").stat().st_mode) == 0o600
    assert cache.read("journal-x.marshal") == b"data"
    (folder / "journal-x.marshal").chmod(0o620)
    assert cache.read("journal-x.marshal") is None
    (folder / "journal-x.marshal").chmod(0o600)
    (folder / "empty").write_bytes(b"")
    assert cache.read("empty") is None
    folder.chmod(0o770)
    assert cache.read("journal-x.marshal") is None
    assert take_notices() == [f"缓存目录 {folder} 可被其他用户写入（权限 0770），本次不使用缓存；"
                              f"运行 chmod go-w {folder} 后即可使用"]
