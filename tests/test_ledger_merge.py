"""Two offices, two real git clones, every op of the 台账 on both sides: the union merge loses nothing.

Each clone records progress, extensions (both extend the same obligation without seeing each other), a
waiver, completions with evidence and a void; after pull and push both journals are the same file and
every fupin view reads the same from either.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from fupin_cli.journal.jsonl.writer import git_attributes_text
from support.plans import plan_folder

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TASKS = """
- {id: "1", text: 报送月报, units: [甲局, 各区], deadline: 每月5日前}
- {id: "4", text: 完成验收, units: [甲局, 各区], deadline: 2018年8月31日前}
"""
AS_OF = ("--as-of", "2018-07-15")


def git(*args, cwd):
    run = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    assert run.returncode == 0, (args, run.stdout, run.stderr)
    return run.stdout


@pytest.fixture
def clones(tmp_path, monkeypatch, fupin):
    for name, value in {"GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "测试",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1",
                        "HOME": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    from fupin_cli.app import context

    ticks = itertools.count()
    start = datetime(2018, 7, 15, 1, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(context.RunContext, "now", staticmethod(lambda: start + timedelta(minutes=next(ticks))))
    shared = tmp_path / "共享.git"
    git("init", "-q", "--bare", str(shared), cwd=tmp_path)
    a = tmp_path / "办公室甲"
    git("clone", "-q", str(shared), str(a), cwd=tmp_path)
    assert fupin("init", str(a)).code == 0  # its .gitattributes (union merge), .gitignore, empty journal
    assert (a / ".gitattributes").read_text(encoding="utf-8") == git_attributes_text()
    plan_folder(a, TASKS)  # a small plan in place of the shipped one
    git("add", ".", cwd=a)
    git("commit", "-qm", "清单", cwd=a)
    git("push", "-q", "-u", "origin", "HEAD", cwd=a)
    b = tmp_path / "办公室乙"
    git("clone", "-q", str(shared), str(b), cwd=tmp_path)
    return a, b


def test_two_clones_mixing_every_op_merge_without_loss(fupin, clones):
    a, b = clones

    def at(folder, *args):
        result = fupin(*args, "--data", str(folder), "--journal", str(folder / "journal.jsonl"))
        assert result.code == 0, (args, result.err)
        return result

    (a / "名册.txt").write_text("名册\n", encoding="utf-8")
    at(a, "progress", "1", "--unit", "甲局", "--period", "2018-07", "--done", "甲方进展", "--percent", "50", *AS_OF)
    at(a, "extend", "4", "--unit", "甲局", "--period", "2018-08-31", "--until", "2018-09-28", "--reason", "甲批",
       "--approved-by", "李", *AS_OF)
    at(a, "done", "1", "--unit", "甲局", "--period", "2018-06", "--date", "2018-07-02", "--evidence",
       str(a / "名册.txt"), *AS_OF)
    git("add", ".", cwd=a)
    git("commit", "-qm", "甲", cwd=a)
    git("push", "-q", cwd=a)

    at(b, "waive", "1", "--unit", "东区", "--all-periods", "--reason", "职能划转", "--approved-by", "李", *AS_OF)
    at(b, "extend", "4", "--unit", "甲局", "--period", "2018-08-31", "--until", "2018-10-31", "--reason", "乙批",
       "--approved-by", "王", *AS_OF)
    at(b, "progress", "4", "--unit", "西区", "--period", "2018-08-31", "--done", "乙方进展", *AS_OF)
    at(b, "done", "1", "--unit", "西区", "--period", "2018-07", "--date", "2018-07-04", *AS_OF)
    mistaken = json.loads((b / "journal.jsonl").read_text(encoding="utf-8").splitlines()[-1])["id"]
    at(b, "undo", mistaken, "-r", "录错")
    git("commit", "-qam", "乙", cwd=b)
    git("pull", "-q", "--no-rebase", cwd=b)  # the journals meet here: union merge, no conflict
    git("push", "-q", cwd=b)
    git("pull", "-q", "--no-rebase", cwd=a)

    journal_a = (a / "journal.jsonl").read_bytes()
    assert journal_a == (b / "journal.jsonl").read_bytes()
    entries = [json.loads(line) for line in journal_a.decode("utf-8").splitlines()]
    assert sorted(e["op"] for e in entries) == sorted(
        ["progress", "extend", "done", "waive", "extend", "progress", "done", "void"])
    assert len({e["id"] for e in entries}) == 8
    assert "<<<<<<<" not in journal_a.decode("utf-8")

    def views(folder) -> tuple:
        overdue = at(folder, "overdue", "--format", "json", *AS_OF).json()
        due = at(folder, "due", "--within", "120", "--format", "json", *AS_OF).json()
        shown = at(folder, "show", "4", "--format", "json", *AS_OF).json()
        return overdue, due, shown

    seen_a, seen_b = views(a), views(b)
    assert seen_a == seen_b
    overdue, due, shown = seen_a
    assert [r for r in overdue if (r["task"], r["unit"]) == ("1", "东区")] == []  # waived in 乙
    assert ("1", "西区", "2018-07") in {(r["task"], r["unit"], r["period"]) for r in overdue}  # its done was voided
    assert ("1", "甲局", "2018-06") not in {(r["task"], r["unit"], r["period"]) for r in overdue}  # done in 甲
    four = [r for r in due if (r["task"], r["unit"]) == ("4", "甲局")]
    # Both offices extended the same duty; the later one (乙's) counts, the original date is kept.
    assert [(r["due"], r["original_due"], r["extensions"], r["status"]) for r in four] == [
        ("2018-10-31", "2018-08-31", 2, "extended")]
    assert [(t["op"], t["unit"]) for t in shown["timeline"]] == [("extend", "甲局"), ("extend", "甲局"),
                                                                 ("progress", "西区")]
    assert at(a, "check", "--evidence").code == 0  # 名册.txt came along, as recorded
