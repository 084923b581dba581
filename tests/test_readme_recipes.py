"""The README's recipes, run as written.

Every fenced block after a ``<!-- runnable -->`` marker runs in a fresh folder
with bash (``-e``: the first failing line fails the block), the installed
``fupin`` on PATH, ``FUPIN_TODAY=2018-07-15`` and a temporary home, so the
journal is a temporary one.  A ``<!-- runnable: cron -->`` block holds crontab
lines; each line's command runs as cron would (``\\%`` is ``%``), with a fake
``mail`` on PATH that records what it was sent.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support.plans import plan_folder

pytest_plugins = ["support.loopback"]  # the robots fixture

README = Path(__file__).resolve().parents[1] / "README.md"
BIN = Path(sys.executable).parent
BLOCK = re.compile(r"<!-- runnable(?::\s*(?P<kind>[\w ]+?))?\s*-->\n```(?P<lang>\w+)\n(?P<body>.*?)\n```", re.S)


def runnable_blocks() -> list[tuple[str, str, str]]:
    """(kind, language, text) of every marked block, in README order."""
    return [(m["kind"] or "sh", m["lang"], m["body"]) for m in BLOCK.finditer(README.read_text(encoding="utf-8"))]


def environment(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
            "FUPIN_TODAY": "2018-07-15",
            "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1"}


def run_sh(body: str, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", body], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)


def block_with(needle: str) -> str:
    found = [body for kind, lang, body in runnable_blocks() if needle in body]
    assert len(found) == 1, f"one runnable block should contain {needle!r}"
    return found[0]


def test_the_readme_marks_its_recipes():
    kinds = [(kind, lang) for kind, lang, _ in runnable_blocks()]
    assert kinds.count(("sh", "sh")) >= 2 and ("cron", "cron") in kinds
    assert set(kinds) <= {("sh", "sh"), ("cron", "cron")}


@pytest.mark.parametrize("body", [body for kind, _, body in runnable_blocks() if kind == "sh"],
                         ids=lambda body: body.splitlines()[0][:40])
def test_every_runnable_block_succeeds(tmp_path, body):
    result = run_sh(body, tmp_path, environment(tmp_path))
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr


def test_the_tour_leaves_what_it_says(tmp_path):
    env = environment(tmp_path)
    result = run_sh(block_with("fupin undo --last"), tmp_path, env)
    assert result.returncode == 0, result.stderr
    journal = Path(env["XDG_DATA_HOME"]) / "fupin" / "journal.jsonl"
    entries = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert [(e["op"], e.get("period"), e.get("date")) for e in entries] == [
        ("done", "2018-06", "2018-07-03"), ("done", "2018-05", "2018-07-14"), ("void", None, None)]
    assert entries[2]["target"] == entries[1]["id"] and entries[2]["note"] == "录错期间"
    csv_rows = (tmp_path / "work" / "台账.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_rows) == 4  # the header, two completions, one void
    listed = json.loads((tmp_path / "work" / "金平区.json").read_text(encoding="utf-8"))
    assert {t["id"] for t in listed} >= {"1.1", "5.1"} and all("note" in t for t in listed)


def test_the_git_recipe_ends_with_the_same_journal_in_both_clones(tmp_path):
    result = run_sh(block_with("git clone"), tmp_path, environment(tmp_path))
    assert result.returncode == 0, (result.stdout, result.stderr)
    work = tmp_path / "work"
    first, second = (work / "办公室甲" / "journal.jsonl"), (work / "办公室乙" / "journal.jsonl")
    assert first.read_bytes() == second.read_bytes()
    entries = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert sorted((e["task"], e["unit"], e["period"]) for e in entries) == [
        ("5.1", "金平区", "2018-06"), ("8.2", "市残联", "2018-06")]
    for clone in ("办公室甲", "办公室乙"):
        status = subprocess.run(["git", "-C", str(work / clone), "status", "--porcelain", "--ignored"],
                                capture_output=True, text=True, check=True).stdout
        # Nothing left to commit; the lock file exists but is ignored.
        assert [line for line in status.splitlines() if not line.startswith("!!")] == [], status
        assert "!! journal.jsonl.lock" in status.splitlines()


def cron_commands() -> list[str]:
    """The command of every crontab line of the runnable cron block (after the five time fields)."""
    [body] = [body for kind, _, body in runnable_blocks() if kind == "cron"]
    lines = [line for line in body.splitlines() if line.strip() and not line.startswith("#")]
    return [line.split(None, 5)[5].replace("\\%", "%") for line in lines]


@pytest.fixture
def cron_env(tmp_path):
    """A one-task plan (甲局 reports monthly by the 5th), a fake ``mail``, and the crontab's variables."""
    env = environment(tmp_path)
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "mail").write_text('#!/bin/sh\nprintf "mail %s\\n" "$*" >> "$MAIL_LOG"\ncat >> "$MAIL_LOG"\n',
                               encoding="utf-8")
    (fake / "mail").chmod(0o755)
    folder = plan_folder(tmp_path / "plan", """
      - {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}
    """)
    env.update(PATH=f"{fake}:{env['PATH']}", MAIL_LOG=str(tmp_path / "mail.log"), FUPIN_DATA=str(folder),
               FUPIN_JOURNAL=str(tmp_path / "journal.jsonl"))
    (Path(env["HOME"]) / "督办").mkdir()
    return env


def run_cron(command: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_cron_mails_nothing_when_all_is_well(tmp_path, cron_env):
    daily = [c for c in cron_commands() if "mail" in c and "fupin remind" not in c]
    assert len(daily) == 1
    cron_env["FUPIN_TODAY"] = "2018-01-03"  # January's report is due on the 5th
    run_cron(daily[0], cron_env, tmp_path)
    assert not Path(cron_env["MAIL_LOG"]).exists()


def test_cron_mails_the_overdue_list(tmp_path, cron_env):
    [daily] = [c for c in cron_commands() if "mail" in c and "fupin remind" not in c]
    cron_env["FUPIN_TODAY"] = "2018-01-10"
    run_cron(daily, cron_env, tmp_path)
    sent = Path(cron_env["MAIL_LOG"]).read_text(encoding="utf-8")
    assert sent.startswith("mail -s 扶贫任务逾期提醒 office@example.org\n")
    assert "报送月报" in sent and "2018-01" in sent and "甲局" in sent


def test_cron_writes_the_printouts_and_notices(tmp_path, cron_env):
    printouts = [c for c in cron_commands() if "mail" not in c]
    assert len(printouts) == 5
    for command in printouts:
        result = run_cron(command, cron_env, tmp_path)
        assert result.returncode == 0, (command, result.stderr)
    folder = Path(cron_env["HOME"]) / "督办"
    written = sorted(p.name.split("-")[0] + p.suffix for p in folder.iterdir())
    assert written == ["周报.docx", "周报.html", "周报.xlsx", "月报.docx", "通知单"]
    [notices] = [p for p in folder.iterdir() if p.name.startswith("通知单")]
    assert [p.name for p in notices.iterdir()] == ["督办通知单-甲局-20180715.docx"]
    assert "已写入" in (Path(cron_env["HOME"]) / "fupin.log").read_text(encoding="utf-8")


def test_cron_reminds_each_workday_morning_and_mails_when_a_unit_was_not_reached(tmp_path, cron_env, robots):
    """The reminder line against a loopback WeCom robot: no mail when it took the reminder, the failure when not."""
    from support.loopback import status

    [line] = [line for line in runnable_cron_lines() if "fupin remind" in line]
    assert line.split()[:5] == ["30", "8", "*", "*", "*"]  # 08:30 every day; fupin skips days off
    [command] = [c for c in cron_commands() if "fupin remind" in c]
    url = robots.wecom("cron-key").replace("cron-key", "${CRON_KEY}")
    units = Path(cron_env["FUPIN_DATA"]) / "units.yaml"
    units.write_text(f'remind:\n  default:\n    wecom: {{webhook: "{url}"}}\n' + units.read_text(encoding="utf-8"),
                     encoding="utf-8")
    cron_env.update(FUPIN_TODAY="2018-01-10", CRON_KEY="cron-key")
    result = run_cron(command, cron_env, tmp_path)
    assert result.returncode == 0, result.stderr
    [sent] = robots.requests
    assert sent.answer == "ok" and "报送月报" in sent.body["markdown"]["content"]
    assert not Path(cron_env["MAIL_LOG"]).exists()
    journal = [json.loads(l) for l in Path(cron_env["FUPIN_JOURNAL"]).read_text(encoding="utf-8").splitlines()]
    assert [(e["op"], e["unit"], e["channel"]) for e in journal] == [("remind", "甲局", "wecom")]
    # The robot down: retried, given up, exit 1, and the office gets a mail saying which unit was missed.
    robots.script("wecom", "cron-key", status(503), status(503), status(503))
    cron_env["FUPIN_TODAY"] = "2018-01-11"
    run_cron(command, cron_env, tmp_path)
    mailed = Path(cron_env["MAIL_LOG"]).read_text(encoding="utf-8")
    assert mailed.startswith("mail -s 扶贫催办未全部送达 office@example.org\n")
    assert "错误：甲局 · 企业微信：未送达（已发出 0/1 条，共尝试 3 次；127.0.0.1 答复 HTTP 503）" in mailed
    assert len(Path(cron_env["FUPIN_JOURNAL"]).read_text(encoding="utf-8").splitlines()) == 1  # nothing recorded
    # A day off (2018-02-17, the Spring Festival): nothing sent, nothing mailed.
    robots.requests.clear()
    Path(cron_env["MAIL_LOG"]).unlink()
    cron_env["FUPIN_TODAY"] = "2018-02-17"
    assert run_cron(command, cron_env, tmp_path).returncode == 0
    assert robots.requests == [] and not Path(cron_env["MAIL_LOG"]).exists()


def runnable_cron_lines() -> list[str]:
    [body] = [body for kind, _, body in runnable_blocks() if kind == "cron"]
    return [line for line in body.splitlines() if line.strip() and not line.startswith("#")]
