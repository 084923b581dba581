"""Shared fixtures: run the real ``fupin`` entry point in-process, as a user would."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.register_assert_rewrite("support")  # before any test module imports it (support.plans, support.loopback)

from fupin_cli.cli import main  # noqa: E402

SEED = Path(__file__).resolve().parent / "fixtures" / "seed" / "000_0fd6b74583511a98.txt"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def fupin(capsys, monkeypatch, tmp_path):
    """Call ``fupin ARGS…``; returns exit code, stdout and stderr.

    The journal defaults to a file in tmp_path so no test touches the user's data folder.
    """
    monkeypatch.setenv("FUPIN_JOURNAL", str(tmp_path / "journal.jsonl"))
    monkeypatch.setenv("FUPIN_DEBUG", "1")  # a bug of ours fails the test with its traceback
    monkeypatch.setenv("FUPIN_CACHE", str(tmp_path / "cache"))
    for name in ("FUPIN_DATA", "FUPIN_TODAY", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str) -> Result:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["fupin", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def journal_path(tmp_path) -> Path:
    return tmp_path / "journal.jsonl"


@pytest.fixture
def plan_dir(tmp_path, fupin) -> Path:
    """An editable copy of the shipped plan (``fupin init``)."""
    folder = tmp_path / "plan"
    assert fupin("init", str(folder)).code == 0
    return folder
