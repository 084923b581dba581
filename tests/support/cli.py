"""Running fupin as a separate process, and what every refusal must look like."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FUPIN = [sys.executable, "-m", "fupin_cli"]


def refused(result, *fragments: str) -> None:
    """Exit 2, a message containing every fragment, no traceback (``result`` of the ``fupin`` fixture)."""
    assert result.code == 2, (result.code, result.out[-500:], result.err)
    assert "Traceback" not in result.err, result.err
    for fragment in fragments:
        assert fragment in result.err, (fragment, result.err)


def journal_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def cli_env(journal: Path, **extra: str) -> dict[str, str]:
    """This process's environment without fupin's variables, writing to ``journal``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUPIN_") and k not in ("NO_COLOR", "COLUMNS")}
    env["FUPIN_JOURNAL"] = str(journal)
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*FUPIN, *args], capture_output=True, text=True, env=env, timeout=timeout)
