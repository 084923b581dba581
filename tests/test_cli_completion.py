"""Tab completion through the real bash and zsh hooks, as a clerk's terminal runs them.

Each shell runs interactively in a pseudo-terminal with fupin's hook loaded
(the script ``fupin --show-completion`` prints); the test types a command line,
presses Tab, then Enter.  ``fupin`` is a shell function there that prints the
words it got, while the hook itself calls the real program through ``env``,
so what is printed is exactly what Tab made of the line.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.plans import done, plan_folder, void, write_journal

BIN = Path(sys.executable).parent
FUPIN = [sys.executable, "-m", "fupin_cli"]
ECHO_WORDS = "fupin() { printf 'ARGS:'; printf '%s|' \"$@\"; printf '\\n'; }"
SHELLS = {
    "bash": (["bash", "--norc", "--noprofile", "-i"], []),
    "zsh": (["zsh", "-f", "-i"], ["autoload -Uz compinit && compinit -u"]),
}


class Terminal:
    """An interactive shell in a pseudo-terminal."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the shell
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        self.output = b""

    def _read_until(self, pattern: re.Pattern[bytes], timeout: float = 30) -> re.Match[bytes]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.output += chunk
                found = pattern.search(self.output)
                if found:
                    self.output = self.output[found.end():]
                    return found
        raise AssertionError(f"no {pattern.pattern!r} from the shell; it said: {self.output[-2000:]!r}")

    def run(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\n")
        os.write(self.fd, b"echo DONE-$((20+22))\n")  # the sum is only in the output, not in the echo
        self._read_until(re.compile(rb"DONE-42"))

    def tab(self, typed: str) -> list[str]:
        """Type ``typed``, press Tab and Enter: the words the command got."""
        os.write(self.fd, typed.encode() + b"\t\n")
        found = self._read_until(re.compile(rb"ARGS:([^\r\n]*)[\r\n]"))
        return found.group(1).decode("utf-8").split("|")[:-1]

    def close(self) -> None:
        os.write(self.fd, b"exit\n")
        time.sleep(0.2)
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.fixture(params=list(SHELLS))
def terminal(request, tmp_path):
    shell = request.param
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (apt-get install {shell})")
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(home), "TERM": "xterm", "LANG": "C.UTF-8",
           "FUPIN_JOURNAL": str(tmp_path / "journal.jsonl"), "FUPIN_CACHE": str(tmp_path / "cache"),
           "SHELL": f"/bin/{shell}"}
    hook = tmp_path / f"hook.{shell}"
    shown = subprocess.run(FUPIN + ["--show-completion"], env=env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    hook.write_text(shown.stdout, encoding="utf-8")
    argv, setup = SHELLS[shell]
    session = Terminal(argv, env, tmp_path)
    for line in [*setup, f"source {hook}", ECHO_WORDS]:
        session.run(line)
    session.shell, session.folder = shell, tmp_path
    yield session
    session.close()


def test_commands_formats_categories_and_pinyin(terminal):
    assert terminal.tab("fupin du") == ["due"]
    assert terminal.tab("fupin report w") == ["report", "weekly"]
    assert terminal.tab("fupin due --format x") == ["due", "--format", "xlsx"]
    assert terminal.tab("fupin list --category jr") == ["list", "--category", "金融扶贫"]
    assert terminal.tab("fupin due --unit mz") == ["due", "--unit", "市民政局"]  # 民政局's initials
    assert terminal.tab("fupin due --holiday-shift p") == ["due", "--holiday-shift", "previous_workday"]


def test_units_of_the_task_already_typed(terminal):
    # Of the many 市… units only 市残联 answers for 8.2 (the others are its districts).
    assert terminal.tab("fupin done 8.2 --unit 市") == ["done", "8.2", "--unit", "市残联"]
    assert terminal.tab("fupin done 14.1 --unit 市审") == ["done", "14.1", "--unit", "市审计局"]


def test_open_periods_of_the_task_and_unit(terminal):
    write_journal(terminal.folder / "journal.jsonl", [
        done("8.2", "市残联", "2018-04", "2018-04-20"), done("8.2", "市残联", "2018-05", "2018-05-20"),
        done("8.2", "市残联", "2018-06", "2018-06-20")])
    # April to June are done and August has not begun on 15 July: only July is open.
    assert terminal.tab("fupin done 8.2 --unit 市残联 --as-of 2018-07-15 --period 2018") == [
        "done", "8.2", "--unit", "市残联", "--as-of", "2018-07-15", "--period", "2018-07"]


def test_units_of_the_plan_named_by_data_on_the_same_line(terminal):
    folder = plan_folder(terminal.folder / "local-plan", """
      - {id: "1", text: 报送月报, units: [乙局], deadline: 每月5日前}
    """)
    assert terminal.tab(f"fupin due --data {folder} --unit 乙") == ["due", "--data", str(folder), "--unit", "乙局"]
    assert terminal.tab(f"fupin done --data {folder} ") == ["done", "--data", str(folder), "1"]


def test_ids_of_live_entries(terminal):
    live = done("8.2", "市残联", "2018-05", "2018-05-20", id="20180520T020000.000000Z-aaa111")
    gone = done("8.2", "市残联", "2018-06", "2018-06-20", id="20180520T030000.000000Z-bbb222")
    write_journal(terminal.folder / "journal.jsonl", [live, gone, void(gone["id"], id="20180521T000000.000000Z-ccc333")])
    assert terminal.tab("fupin undo 201805") == ["undo", live["id"]]


def test_paths_are_completed_by_the_shell(terminal):
    (terminal.folder / "plandir").mkdir()
    words = terminal.tab("fupin due --data pla")
    assert words[:2] == ["due", "--data"] and words[2].rstrip("/") == "plandir"


def test_install_writes_the_hook_and_loads_it_from_the_rc_file(tmp_path):
    for shell, hook, rc in (("bash", ".bash_completions/fupin.sh", ".bashrc"), ("zsh", ".zfunc/_fupin", ".zshrc")):
        home = tmp_path / shell
        home.mkdir()
        env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "SHELL": f"/bin/{shell}"}
        shown = subprocess.run(FUPIN + ["--show-completion"], env=env, capture_output=True, text=True, timeout=60)
        installed = subprocess.run(FUPIN + ["--install-completion"], env=env, capture_output=True, text=True,
                                   timeout=60)
        assert installed.returncode == 0, installed.stderr
        assert installed.stdout == f"已为 {shell} 安装 Tab 补全：{home / hook}\n重新打开终端后生效。\n"
        assert (home / hook).read_text(encoding="utf-8") == shown.stdout
        again = subprocess.run(FUPIN + ["--install-completion"], env=env, capture_output=True, text=True, timeout=60)
        assert again.returncode == 0
        rc_text = (home / rc).read_text(encoding="utf-8")
        assert rc_text.count("\n") == 1  # one line, however often it is installed
        assert ("source" in rc_text) == (shell == "bash") and ("compinit" in rc_text) == (shell == "zsh")
