"""The golden cases: every report command in every format, on the shipped plan and the bench's city plan.

``python tests/golden/make_golden.py`` records what the current code prints; ``tests/test_golden.py``
checks that the code still prints exactly that.  Shipped-plan outputs are kept whole (a failing case
shows its diff); the city plan's are kept as hashes (they run to megabytes).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import shutil
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"

SHIPPED_AS_OF = "2018-07-16"
CITY_AS_OF = "2018-10-15"

_REPORT_FORMATS = ("table", "json", "csv", "markdown", "html")


def _cases(as_of: str, unit: str, month: str, sample_task: str) -> dict[str, list[str]]:
    at = ["--as-of", as_of]
    cases: dict[str, list[str]] = {}
    for fmt in _REPORT_FORMATS:
        cases[f"due-{fmt}"] = ["due", "--format", fmt, *at]
        cases[f"due-unit-{fmt}"] = ["due", "--unit", unit, "--format", fmt, *at]
        cases[f"overdue-{fmt}"] = ["overdue", "--format", fmt, *at]
        cases[f"overdue-unit-{fmt}"] = ["overdue", "--unit", unit, "--format", fmt, *at]
    for fmt in ("table", "text", "markdown", "html", "xlsx", "json"):
        cases[f"weekly-{fmt}"] = ["report", "weekly", "--format", fmt, *at]
    cases["weekly-unit-json"] = ["report", "weekly", "--unit", unit, "--format", "json", *at]
    cases["due-within-30-json"] = ["due", "--within", "30", "--format", "json", *at]
    for fmt in ("table", "json", "csv", "ics"):
        cases[f"calendar-month-{fmt}"] = ["calendar", "--month", month, "--format", fmt, *at]
    cases["calendar-task-json"] = ["calendar", "--task", sample_task, "--from", month + "-01", "--to",
                                   month + "-28", "--format", "json", *at]
    for fmt in ("table", "json", "csv"):
        cases[f"journal-{fmt}"] = ["journal", "--format", fmt]
    cases["journal-unit-json"] = ["journal", "--unit", unit, "--format", "json"]
    for fmt in ("table", "json", "csv", "markdown"):
        cases[f"list-{fmt}"] = ["list", "--format", fmt]
    cases["list-unit"] = ["list", "--unit", unit]
    cases["units-json"] = ["units", "--format", "json"]
    cases["units-table"] = ["units"]
    cases["check"] = ["check"]
    return cases


def _period_cases(as_of: str, unit: str, month: str, quarter: str) -> dict[str, list[str]]:
    at = ["--as-of", as_of]
    cases: dict[str, list[str]] = {}
    for fmt in ("table", "markdown", "csv", "html", "xlsx", "docx", "json"):
        cases[f"monthly-{fmt}"] = ["report", "monthly", "--format", fmt, *at]
        cases[f"notice-unit-{fmt}"] = ["report", "notice", "--unit", unit, "--format", fmt, *at]
    for fmt in ("table", "html", "json"):
        cases[f"quarterly-{fmt}"] = ["report", "quarterly", "--format", fmt, *at]
        cases[f"weekly-unit-{fmt}"] = ["report", "weekly", "--unit", unit, "--format", fmt, *at]
    for fmt in ("csv", "docx"):
        cases[f"weekly-{fmt}"] = ["report", "weekly", "--format", fmt, *at]
    cases["monthly-past-json"] = ["report", "monthly", "--month", month, "--format", "json", *at]
    cases["quarterly-past-json"] = ["report", "quarterly", "--quarter", quarter, "--format", "json", *at]
    cases["weekly-by-unit-table"] = ["report", "weekly", "--by", "unit", *at]
    cases["due-sort-due-json"] = ["due", "--sort", "due", "--format", "json", *at]
    cases["due-sort-name-table"] = ["due", "--sort", "name", *at]
    cases["notice-each-json"] = ["report", "notice", "--each-unit", "--format", "json", *at]
    return cases


# Terminal widths: the plain renderer (a pipe with COLUMNS) and rich (a terminal of that width, no colour).
TERMINAL_WIDTHS = (80, 100, 120, 200)


def _terminal_cases(as_of: str, unit: str) -> dict[str, tuple[list[str], dict[str, str], bool]]:
    at = ["--as-of", as_of]
    cases = {}
    for width in TERMINAL_WIDTHS:
        for tty in (False, True):
            kind = "rich" if tty else "plain"
            env = {"COLUMNS": str(width), "NO_COLOR": "1"}
            cases[f"cols{width}-{kind}-weekly"] = (["report", "weekly", *at], env, tty)
            cases[f"cols{width}-{kind}-due-unit"] = (["due", "--unit", unit, *at], env, tty)
            cases[f"cols{width}-{kind}-journal"] = (["journal"], env, tty)
            cases[f"cols{width}-{kind}-notice"] = (["report", "notice", "--unit", unit, *at], env, tty)
    for tty in (False, True):
        cases[f"cols80-{'rich' if tty else 'plain'}-weekly-wide"] = (
            ["report", "weekly", "--wide", *at], {"COLUMNS": "80", "NO_COLOR": "1"}, tty)
    return cases


SHIPPED_CASES = _cases(SHIPPED_AS_OF, "市民政局", "2018-07", "2.1") | _period_cases(
    SHIPPED_AS_OF, "金平区", "2018-06", "2018-Q2") | _terminal_cases(SHIPPED_AS_OF, "金平区") | {
    "explain-table": ["explain", "每季度之后10日内完成", "--as-of", "2018-05-01"],
    "explain-json": ["explain", "2018年6月30日前完成；每月25日前录入", "--as-of", "2018-05-01", "--format", "json"],
    "overdue-category": ["overdue", "--category", "金融扶贫", "--as-of", SHIPPED_AS_OF],
    "due-group": ["due", "--unit", "各区（县）", "--format", "json", "--as-of", SHIPPED_AS_OF],
}
CITY_CASES = _cases(CITY_AS_OF, "市民政局", "2018-10", "1.1") | _period_cases(CITY_AS_OF, "金平区", "2018-09", "2018-Q3")


def city_data(folder: Path) -> Path:
    """The city plan in ``folder`` (journal unpacked)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("tasks.yaml", "units.yaml"):
        shutil.copyfile(HERE / "city" / name, folder / name)
    with gzip.open(HERE / "city" / "journal.jsonl.gz", "rb") as packed:
        (folder / "journal.jsonl").write_bytes(packed.read())
    return folder


def normalised(data: bytes) -> bytes:
    """Output bytes; for an office file (xlsx, docx) its parts as canonical XML, the creation time left out.

    Canonical XML (C14N) because openpyxl and python-docx write the same content with other spacing
    depending on whether lxml is installed.
    """
    if not data.startswith(b"PK"):
        return data
    from xml.etree.ElementTree import canonicalize

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if name == "docProps/core.xml":
                continue
            part = archive.read(name)
            if name.endswith((".xml", ".rels")):
                part = canonicalize(part.decode("utf-8"), strip_text=True).encode("utf-8")
            out.write(name.encode() + b"\0" + part + b"\0")
    return out.getvalue()


class _Terminal(io.TextIOWrapper):
    """Standard output that says it is a terminal (its width comes from COLUMNS)."""

    def isatty(self) -> bool:
        return True


def run(args: list[str], env: dict[str, str], tty: bool = False) -> tuple[int, bytes, str]:
    """``fupin ARGS`` in this process with ``env``: exit code, stdout bytes, stderr text."""
    from fupin_cli.cli import main

    saved_env = dict(os.environ)
    saved = sys.argv, sys.stdout, sys.stderr
    raw = io.BytesIO()
    stdout = (_Terminal if tty else io.TextIOWrapper)(raw, encoding="utf-8", newline="")
    stderr = io.StringIO()
    os.environ.update(env)
    for name in ("FUPIN_TODAY", "NO_COLOR", "COLUMNS", "FUPIN_NO_CACHE"):
        if name not in env:
            os.environ.pop(name, None)
    sys.argv, sys.stdout, sys.stderr = ["fupin", *args], stdout, stderr
    try:
        with contextlib.suppress(SystemExit):
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
                raise
            code = 0
        stdout.flush()
    finally:
        sys.argv, sys.stdout, sys.stderr = saved
        os.environ.clear()
        os.environ.update(saved_env)
    return code, raw.getvalue(), stderr.getvalue()


def digest(code: int, out: bytes) -> str:
    return f"{code}:{hashlib.sha256(out).hexdigest()}"


def outcome(case, env: dict[str, str], places: dict[str, str]) -> tuple[int, bytes]:
    """Exit code and normalised output (stdout, then stderr) of one case — its arguments, or (arguments,
    more environment, on a terminal?) — ; ``places`` names folders whose paths vary from run to run (a
    temporary folder, the installed package)."""
    args, more, tty = (case, {}, False) if isinstance(case, list) else case
    code, out, err = run(args, env | more, tty)
    text = normalised(out) + b"\n--- stderr\n" + err.encode()
    for path, name in places.items():
        text = text.replace(path.encode(), name.encode())
    return code, text


def collect() -> tuple[dict[str, str], dict[str, str]]:
    """Run every case: shipped outputs as text, city outputs as digests."""
    import tempfile

    import fupin_cli

    package = str(Path(fupin_cli.__file__).resolve().parent)
    with tempfile.TemporaryDirectory() as tmp:
        places = {tmp: "<TMP>", package: "<PKG>"}
        journal = Path(tmp) / "journal.jsonl"
        shutil.copyfile(HERE / "shipped-journal.jsonl", journal)
        env = {"FUPIN_JOURNAL": str(journal), "FUPIN_CACHE": str(Path(tmp) / "cache")}
        shipped = {}
        for name, args in SHIPPED_CASES.items():
            code, text = outcome(args, env, places)
            shipped[name] = f"exit {code}\n" + text.decode("utf-8", "backslashreplace")
        city = city_data(Path(tmp) / "city")
        env = {"FUPIN_DATA": str(city), "FUPIN_JOURNAL": str(city / "journal.jsonl"),
               "FUPIN_CACHE": str(Path(tmp) / "cache")}
        digests = {name: digest(*outcome(args, env, places)) for name, args in CITY_CASES.items()}
    return shipped, digests


def write_expected(shipped: dict[str, str], city: dict[str, str]) -> None:
    import json

    EXPECTED.mkdir(exist_ok=True)
    with gzip.open(EXPECTED / "shipped.json.gz", "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write(json.dumps(shipped, ensure_ascii=False, indent=0, sort_keys=True))
    (EXPECTED / "city.json").write_text(json.dumps(city, indent=1, sort_keys=True) + "\n")


def read_expected() -> tuple[dict[str, str], dict[str, str]]:
    import json

    with gzip.open(EXPECTED / "shipped.json.gz", "rt", encoding="utf-8") as handle:
        shipped = json.loads(handle.read())
    return shipped, json.loads((EXPECTED / "city.json").read_text())
