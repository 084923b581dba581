"""Progress bars on stderr for long work: on a terminal only, and only once the work has taken a second.

Two ways in:

- library work (the journal index folding a big journal, a province-sized
  report) calls :func:`fupin_cli.progress.step`; :func:`on_terminal` attaches
  a :class:`ProgressLine` to it for the length of a command;
- a command that loops over many things itself (``fupin remind`` across units)
  uses :func:`bar`::

      with bar("发送提醒", total=len(units)) as advance:
          for unit in units:
              ...
              advance()

Nothing is drawn in a pipe, in cron, or when the work ends within ``delay``
seconds (``FUPIN_PROGRESS_DELAY``, default 1); the line is cleared when the
work ends, so what the command prints afterwards starts on a clean line.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from ..domain.text import display_width

DELAY = 1.0  # seconds of work before a bar appears
REDRAW = 0.1  # at most this often


def _delay() -> float:
    try:
        return max(float(os.environ.get("FUPIN_PROGRESS_DELAY", DELAY)), 0.0)
    except ValueError:
        return DELAY


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class ProgressLine:
    """One line on ``stream``, redrawn in place: ``读取台账 [████░░░░]  45%`` (or the phase and seconds)."""

    def __init__(self, stream=None, delay: float | None = None, width: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.delay = _delay() if delay is None else delay
        self.clock = clock
        self.start = clock()
        self.last = float("-inf")
        self.shown = False
        self.phase = ""
        self.width = width

    def __call__(self, phase: str, done: int = 0, total: int = 0) -> None:
        now = self.clock()
        if now - self.start < self.delay or (now - self.last < REDRAW and done < total and phase == self.phase):
            return
        self.last, self.phase = now, phase
        try:
            self.stream.write("\r\x1b[K" + self.line(phase, done, total, int(now - self.start)))
            self.stream.flush()
        except (OSError, ValueError):  # stderr gone: say nothing more
            self.delay = float("inf")
            return
        self.shown = True

    def line(self, phase: str, done: int, total: int, seconds: int) -> str:
        width = self.width or _terminal_width(self.stream)
        tail = f"（{seconds} 秒）"
        if total <= 0:
            return _fit(f"{phase}……{tail}", width)
        share = min(max(done / total, 0.0), 1.0)
        head, percent = f"{phase} ", f" {share * 100:3.0f}%{tail}"
        room = width - 1 - display_width(head) - display_width(percent) - 2
        if room < 5:
            return _fit(f"{phase} {share * 100:.0f}%{tail}", width)
        filled = int(share * room)
        return f"{head}[{'█' * filled}{'░' * (room - filled)}]{percent}"

    def close(self) -> None:
        if self.shown:
            try:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
            except (OSError, ValueError):
                pass
            self.shown = False


def _terminal_width(stream) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80  # a new pty says 0
    except (AttributeError, OSError, ValueError):
        return 80


class _Clearing:
    """A stream that first wipes the progress line, so that a warning or the report starts on a clean line."""

    def __init__(self, stream, line: ProgressLine) -> None:
        self._stream = stream
        self._line = line

    def write(self, text: str) -> int:
        if self._line.shown:
            self._line.close()
        return self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _fit(text: str, width: int) -> str:
    out, used = "", 0
    for ch in text:
        used += display_width(ch)
        if used > width - 1:
            break
        out += ch
    return out


@contextmanager
def on_terminal(stream=None) -> Iterator[ProgressLine | None]:
    """For the length of a command: library steps drawn on ``stream`` (stderr) when it is a terminal."""
    from .. import progress

    stream = stream if stream is not None else sys.stderr
    if not _is_terminal(stream):
        yield None
        return
    line = ProgressLine(stream)
    previous = progress.attach(line)
    saved = sys.stdout, sys.stderr
    sys.stderr = _Clearing(sys.stderr, line)
    if _is_terminal(sys.stdout):
        sys.stdout = _Clearing(sys.stdout, line)
    try:
        yield line
    finally:
        if sys.stdout.__class__ is _Clearing:
            sys.stdout = saved[0]
        if sys.stderr.__class__ is _Clearing:
            sys.stderr = saved[1]
        progress.attach(previous)
        line.close()


@contextmanager
def bar(phase: str, total: int, stream=None) -> Iterator[Callable[[int], None]]:
    """``advance(n=1)`` for a loop of ``total`` steps, drawn as a bar on a terminal after a second."""
    stream = stream if stream is not None else sys.stderr
    if not _is_terminal(stream):
        yield _nothing
        return
    line = ProgressLine(stream)
    done = 0

    def advance(n: int = 1) -> None:
        nonlocal done
        done += n
        line(phase, done, total)

    try:
        yield advance
    finally:
        line.close()


def _nothing(n: int = 1) -> None:
    """``advance`` where nobody looks."""
