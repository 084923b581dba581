"""Progress bars: on a terminal's stderr only, only after the delay, cleared afterwards; never in a pipe."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import tempfile

from fupin_cli import progress
from fupin_cli.cli.progress import ProgressLine, bar, on_terminal


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_nothing_is_drawn_before_the_delay_and_the_line_is_cleared_after():
    clock, out = Clock(), Terminal()
    line = ProgressLine(out, delay=1.0, width=40, clock=clock)
    line("读取台账", 10, 100)
    assert out.getvalue() == ""
    clock.now += 1.5
    line("读取台账", 45, 100)
    drawn = out.getvalue()
    assert drawn == "\r\x1b[K读取台账 [██████░░░░░░░░░]  45%（1 秒）"
    line("读取台账", 46, 100)  # within the redraw interval: nothing new
    assert out.getvalue() == drawn
    clock.now += 0.2
    line("计算报表", 0, 0)  # no total: the phase and seconds
    assert out.getvalue().endswith("\r\x1b[K计算报表……（1 秒）")
    line.close()
    assert out.getvalue().endswith("\r\x1b[K")


def test_the_bar_fits_the_width_in_cells():
    from fupin_cli.domain.text import display_width

    line = ProgressLine(Terminal(), delay=0, width=30)
    for done in (0, 7, 30):
        assert display_width(line.line("读取台账", done, 30, 3)) <= 29
    assert line.line("读取台账", 30, 30, 3).count("█") > 0 and "░" not in line.line("读取台账", 30, 30, 3)


def test_library_steps_reach_a_terminal_and_not_a_pipe(monkeypatch):
    monkeypatch.setenv("FUPIN_PROGRESS_DELAY", "0")
    tty = Terminal()
    with on_terminal(tty):
        progress.step("读取台账", 5, 10)
    assert "读取台账 [" in tty.getvalue() and tty.getvalue().endswith("\r\x1b[K")
    pipe = io.StringIO()
    with on_terminal(pipe) as line:
        progress.step("读取台账", 5, 10)
    assert line is None and pipe.getvalue() == ""
    progress.step("读取台账", 5, 10)  # nobody attached: nothing, no error


def test_bar_for_a_commands_own_loop(monkeypatch):
    monkeypatch.setenv("FUPIN_PROGRESS_DELAY", "0")
    tty, pipe = Terminal(), io.StringIO()
    for stream in (tty, pipe):
        with bar("发送提醒", total=3, stream=stream) as advance:
            for _ in range(3):
                advance()
    assert "发送提醒 [" in tty.getvalue() and "100%" in tty.getvalue()
    assert pipe.getvalue() == ""


def _run(args, env, tty: bool) -> tuple[bytes, bytes]:
    """fupin ARGS as a real process: stdout to a pipe, stderr to a pseudo-terminal or a pipe."""
    command = [sys.executable, "-m", "fupin_cli", *args]
    if not tty:
        run = subprocess.run(command, env=env, capture_output=True, timeout=120)
        return run.stdout, run.stderr
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    out_file = tempfile.TemporaryFile()  # not a pipe: the child never waits for us to read
    child = subprocess.Popen(command, env=env, stdout=out_file, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    err = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its side
            break
        if not chunk:
            break
        err += chunk
    child.wait(timeout=120)
    os.close(master)
    out_file.seek(0)
    out = out_file.read()
    out_file.close()
    return out, err


def test_a_pty_gets_a_bar_and_a_pipe_gets_none(tmp_path):
    """A journal folded without cache: on a terminal the fold and the report draw a bar; piped, nothing."""
    journal = tmp_path / "journal.jsonl"
    lines = [f'{{"id":"20180701T0000{n:02d}.000000Z-test00","op":"done","task":"2.1","unit":"市民政局",'
             f'"period":"2018-06","date":"2018-07-01","recorded_at":"2018-07-01T08:00:00+08:00","by":"","note":""}}'
             for n in range(40)]
    journal.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "FUPIN_NO_CACHE": "1",
           "FUPIN_JOURNAL": str(journal), "FUPIN_PROGRESS_DELAY": "0", "COLUMNS": "80"}
    args = ["overdue", "--as-of", "2018-07-15", "--format", "json"]
    out_tty, err_tty = _run(args, env, tty=True)
    out_pipe, err_pipe = _run(args, env, tty=False)
    assert out_tty == out_pipe and out_pipe.startswith(b"[")
    assert "读取台账 [".encode() in err_tty and "计算报表 [".encode() in err_tty
    # the bar is wiped before the warning is written, which starts on a clean line; nothing is left drawn
    assert "\r\x1b[K提示：台账中有 40 条".encode() in err_tty
    assert err_pipe.decode().startswith("提示：台账中有 40 条")
    assert "[".encode() not in err_pipe and b"\x1b" not in err_pipe
