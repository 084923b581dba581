"""fupin benchmark: whole-process wall time and peak RSS of real commands.

    python bench/run.py [--quick] [--runs N] [--sizes city,bigcity,province] [--out bench/results]

Run it with the interpreter fupin is installed in (e.g. /work/venv/bin/python).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (bench/generate.py)


# --------------------------------------------------------------------------
# Running one process
# --------------------------------------------------------------------------

TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_once(argv: list[str], env: dict[str, str], stdout_path: str = os.devnull,
             tty: bool = False) -> tuple[float, int, int, str, float]:
    """(wall seconds, peak RSS bytes, exit code, stderr, CPU seconds) of one child.

    With ``tty`` its standard output is a pseudo-terminal of 80 columns (what a clerk's terminal is),
    drained by a thread as the child writes.

    Peak RSS: Linux keeps the larger of the exec'ing process's old and new
    high-water marks, and a child forked/vforked from this (bigger) Python
    starts from ours.  So the child is started through ``/usr/bin/time -f %M``
    (a tiny C process) when present, whose report is the command's own peak;
    otherwise it is reaped with ``os.wait4`` and its ``ru_maxrss`` is a bound
    that includes this process's size.
    """
    err = tempfile.NamedTemporaryFile(prefix="fupin-bench-", suffix=".err", delete=False)
    err.close()
    rss_file = err.name + ".rss"
    master = slave = None
    if tty:
        import fcntl
        import pty
        import struct
        import termios
        import threading

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

        def drain() -> None:
            while True:
                try:
                    if not os.read(master, 1 << 16):
                        return
                except OSError:  # EIO once the child has closed the terminal
                    return

        drainer = threading.Thread(target=drain, daemon=True)
        drainer.start()
        stdout_action = (os.POSIX_SPAWN_DUP2, slave, 1)
    else:
        stdout_action = (os.POSIX_SPAWN_OPEN, 1, stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        stdout_action,
        (os.POSIX_SPAWN_OPEN, 2, err.name, os.O_WRONLY | os.O_TRUNC, 0o644),
    ]
    exe = argv[0] if os.path.isabs(argv[0]) else shutil.which(argv[0], path=env.get("PATH"))
    full = [TIME, "-f", "%M", "-o", rss_file, exe, *argv[1:]] if TIME else [exe, *argv[1:]]
    t0 = time.perf_counter()
    pid = os.posix_spawn(full[0], full, env, file_actions=actions)
    if slave is not None:
        os.close(slave)  # the child holds its own copy
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - t0
    cpu = usage.ru_utime + usage.ru_stime  # the child's and its children's: less sensitive to other load
    if master is not None:
        drainer.join(5)
        os.close(master)
    stderr = Path(err.name).read_text("utf-8", "replace")
    os.unlink(err.name)
    code = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    if TIME:
        try:
            text = Path(rss_file).read_text()
            rss = int(text.strip().splitlines()[-1]) * 1024
            os.unlink(rss_file)
        except (OSError, ValueError, IndexError):
            pass
        if code != 0:  # /usr/bin/time passes the command's exit status on
            stderr += Path(rss_file).read_text() if os.path.exists(rss_file) else ""
    return elapsed, rss, code, stderr, cpu


# Issue 18 gives its budgets "each as a ratio to the floor measured in the same run"; those it
# wrote in time (< 400 ms, < 1 s, < 4 s) were set where its floor took 98.5 ms, so they are judged
# as the ratios they were there.  A machine's speed drifts by a fifth within an hour, which a ratio
# to a floor measured alongside cancels and milliseconds do not.  How each case stands against the
# milliseconds as written is still said, beside the verdict.
ISSUE_FLOOR_MS = 98.5


def written_in_ms(ms: float) -> dict:
    """Case fields for a time budget the issue wrote in milliseconds: the ratio it was at its floor."""
    return dict(max_ratio=ms / ISSUE_FLOOR_MS, written_ms=ms)


@dataclass
class Case:
    name: str
    argv: list[str]
    env: dict[str, str]
    runs: int
    budget: str = ""  # text shown
    max_ratio: float | None = None  # to the floor
    written_ms: float | None = None  # the budget as the issue wrote it (see written_in_ms), not judged
    max_rss_mb: float | None = None
    json_out: bool = False
    prepare: object = None  # called (untimed) before every run: changes the journal the case reads
    tty: bool = False  # standard output a pseudo-terminal (80 columns)
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    error: str = ""
    output_info: str = ""

    def result(self, floor_ms: float | None, floor_cpu_ms: float | None = None) -> dict:
        if not self.times:
            return {"case": self.name, "error": self.error or "no runs", "status": "FAIL"}
        ms = [t * 1000 for t in self.times]
        med = statistics.median(ms)
        cpu_ms = statistics.median(self.cpu) * 1000
        rss_mb = max(self.rss) / 2**20
        ratio = med / floor_ms if floor_ms else None
        cpu_ratio = cpu_ms / floor_cpu_ms if floor_cpu_ms else None
        ok = not self.error
        if self.max_ratio is not None and ratio is not None and ratio > self.max_ratio:
            ok = False
        if self.max_rss_mb is not None and rss_mb >= self.max_rss_mb:
            ok = False
        has_budget = any(x is not None for x in (self.max_ratio, self.max_rss_mb))
        return {
            "case": self.name, "argv": self.argv, "runs": len(ms), "median_ms": round(med, 1),
            "min_ms": round(min(ms), 1), "max_ms": round(max(ms), 1),
            "ratio_to_floor": round(ratio, 2) if ratio else None, "peak_rss_mb": round(rss_mb, 1),
            "cpu_ms": round(cpu_ms, 1), "cpu_ratio_to_floor": round(cpu_ratio, 2) if cpu_ratio else None,
            "budget": self.budget + (f" (time: < {self.max_ratio:.2f}× floor)" if self.written_ms else ""),
            "status": ("PASS" if ok else "FAIL") if has_budget or self.error else "-",
            "error": self.error, "output": self.output_info,
            **self._as_written(med),
        }

    def _as_written(self, median_ms: float) -> dict:
        """This case against its budget in the milliseconds the issue wrote (said, not judged)."""
        if self.written_ms is None:
            return {}
        return {"written_ms": self.written_ms, "written_status": "PASS" if median_ms < self.written_ms else "over"}


def _describe_output(path: str) -> str:
    try:
        raw = Path(path).read_bytes()
        data = json.loads(raw)
    except (OSError, ValueError) as exc:
        return f"output not JSON: {exc}"
    size = f"{len(raw) / 2**20:.1f} MB" if len(raw) > 2**20 else f"{len(raw) / 1024:.0f} KB"
    if isinstance(data, list):
        return f"{len(data)} rows, {size}"
    if isinstance(data, dict):
        parts = [f"{k} {len(v)}" for k, v in data.items() if isinstance(v, list)]
        return ", ".join(parts) + f"; {size}"
    return size


# --------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------

def fupin_command() -> list[str]:
    script = Path(sys.executable).parent / "fupin"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "fupin_cli"]


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUPIN_")}
    env.pop("NO_COLOR", None)
    # Users run fupin from compiled modules; an inherited PYTHONDONTWRITEBYTECODE would make every
    # run (and the floor) compile from source instead (main() compiles everything first).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["COLUMNS"] = "200"
    return env


def build_cases(args, tmp: Path, metas: dict[str, dict]) -> list[Case]:
    fupin = fupin_command()
    # fupin's derived caches (plan pickle, journal tally) go to a folder of this run: the warm-up
    # round builds them, the timed rounds use them; the "no cache" cases show the cost without.
    env = {**base_env(), "FUPIN_CACHE": str(tmp / "cache")}
    cold_env = {**env, "FUPIN_NO_CACHE": "1"}
    shipped_env = {**env, "FUPIN_JOURNAL": str(tmp / "journal.jsonl")}
    runs = args.runs
    due = ["due", "--unit", "市民政局", "--as-of", "2018-07-15"]
    tty_env = {k: v for k, v in shipped_env.items() if k != "COLUMNS"}  # the terminal's own 80 columns
    cases = [
        Case("floor: python -c 'import typer, rich.console, yaml'",
             [sys.executable, "-c", "import typer, rich.console, yaml"], env, runs),
        Case("shipped: due --unit 市民政局 --as-of 2018-07-15 (terminal)", fupin + due, tty_env, runs,
             "≤ 1.25× floor", max_ratio=1.25, tty=True),
        Case("shipped: due --unit 市民政局 --as-of 2018-07-15 (piped)", fupin + due, shipped_env, runs,
             "≤ 1.0× floor", max_ratio=1.0),
        Case("shipped: due --unit 市民政局 --as-of 2018-07-15 --format json", fupin + due + ["--format", "json"],
             shipped_env, runs, "≤ 1.0× floor", max_ratio=1.0),
        Case("shipped: list --unit 市民政局", fupin + ["list", "--unit", "市民政局"], shipped_env, runs),
        Case("shipped: --help", fupin + ["--help"], shipped_env, runs, "≤ 0.9× floor", max_ratio=0.9),
        Case("shipped: --version", fupin + ["--version"], shipped_env, runs),
    ]
    for size in args.sizes:
        meta = metas[size]
        folder = args.data / size
        data = ["--data", str(folder), "--journal", str(folder / "journal.jsonl")]
        n = min(runs, args.province_runs) if size == "province" else runs
        as_of = meta["as_of"]
        budgets = {
            "city": {"overdue": ("≤ 1.2× floor", dict(max_ratio=1.2)), "weekly": ("", {}),
                     "cold": ("≤ 1.4× floor", dict(max_ratio=1.4)), "merge": ("", {})},
            "bigcity": {"overdue": ("≤ 1.5× floor", dict(max_ratio=1.5)), "weekly": ("< 1 s", written_in_ms(1000)),
                        "cold": ("< 400 ms", written_in_ms(400)), "merge": ("", {})},
            "province": {"overdue": ("< 1 s", written_in_ms(1000)),
                         "weekly": ("< 5 s, < 1.5 GB", dict(written_in_ms(5000), max_rss_mb=1536)),
                         "cold": ("< 4 s, < 600 MB", dict(written_in_ms(4000), max_rss_mb=600)),
                         "merge": ("< 4 s, < 600 MB", dict(written_in_ms(4000), max_rss_mb=600))},
        }[size]
        text, kw = budgets["overdue"]
        cases.append(Case(f"{size}: overdue --format json", fupin + ["overdue", "--format", "json",
                          "--as-of", as_of] + data, env, n, text, json_out=True, **kw))
        text, kw = budgets["cold"]
        cases.append(Case(f"{size}: overdue --format json (no cache)", fupin + ["overdue", "--format", "json",
                          "--as-of", as_of] + data, cold_env, n, text, **kw))
        text, kw = budgets["weekly"]
        cases.append(Case(f"{size}: report weekly --format json", fupin + ["report", "weekly", "--format", "json",
                          "--as-of", as_of] + data, env, n, text, json_out=True, **kw))
        overdue = fupin + ["overdue", "--format", "json", "--as-of", as_of]
        for change, prepare in journal_changes(folder / "journal.jsonl", tmp / f"{size}-changed.jsonl"):
            changed = ["--data", str(folder), "--journal", str(tmp / f"{size}-changed.jsonl")]
            cases.append(Case(f"{size}: overdue --format json (after {change})", overdue + changed, env, n,
                              prepare=prepare))
        merged = tmp / f"{size}-clones.jsonl"
        text, kw = budgets["merge"]
        cases.append(Case(f"{size}: overdue --format json (after a union merge of two clones)",
                          overdue + ["--data", str(folder), "--journal", str(merged)], env, n, text,
                          prepare=union_merge(folder / "journal.jsonl", merged,
                                              overdue + ["--data", str(folder), "--journal", str(merged)], env),
                          **kw))
        if size == "province":
            cases.append(Case(f"{size}: units --format json ({meta['units']:,} units)",
                              fupin + ["units", "--format", "json", "--data", str(folder)], env, n,
                              "< 1 s", json_out=True, **written_in_ms(1000)))
        if size == "bigcity":
            cases.append(Case(f"{size}: calendar --month {meta['month']} --format json",
                              fupin + ["calendar", "--month", meta["month"], "--format", "json",
                                       "--as-of", as_of, "--data", str(folder)], env, n, json_out=True))
    return cases


def journal_changes(source: Path, copy: Path):
    """(what, prepare) pairs: each prepare changes ``copy`` (a copy of ``source``) the way fupin or git does.

    The cases share the copy: they run one after another, so each run reads the journal with only
    its own change since the run before indexed it.
    """
    import random

    rng = random.Random(11)
    lines: list[bytes] = []

    def fresh() -> None:
        if not lines:
            lines.extend(source.read_bytes().splitlines(keepends=True))
            copy.write_bytes(b"".join(lines))

    def append() -> None:  # what fupin done writes
        fresh()
        template = json.loads(lines[rng.randrange(len(lines))])
        template["id"] = f"29990101T{len(lines):06d}.000000Z-bench0"
        lines.append(json.dumps(template, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
        with open(copy, "ab") as handle:
            handle.write(lines[-1])

    def rewrite() -> None:  # a same-length edit far from the end: two lines swapped, the file rewritten
        fresh()
        i, j = rng.randrange(len(lines) // 2), rng.randrange(len(lines) // 2)
        lines[i], lines[j] = lines[j], lines[i]
        copy.write_bytes(b"".join(lines))

    def merge() -> None:  # a union merge: 100 lines of another clone inserted in the middle
        fresh()
        for n in range(100):
            template = json.loads(lines[rng.randrange(len(lines))])
            template["id"] = f"20180101T{rng.randrange(10**6):06d}.{n:06d}Z-merge0"
            lines.insert(rng.randrange(len(lines)), json.dumps(template, ensure_ascii=False,
                                                               separators=(",", ":")).encode("utf-8") + b"\n")
        copy.write_bytes(b"".join(lines))

    return [("an append", append), ("a rewrite", rewrite), ("a merge of 100 lines", merge)]


def union_merge(source: Path, journal: Path, index_argv: list[str], env: dict[str, str], per_clone: int = 50):
    """A prepare for "right after ``git pull`` merged another office's clone", as git's union merge does it.

    Before every run (untimed): this office records ``per_clone`` completions (appended, with new ids)
    and fupin indexes its journal (one untimed run, as this office's last command did); the other
    office recorded ``per_clone`` of its own meanwhile, on the same base.  The union merge keeps
    both sides' new lines, ours then theirs, and git writes the file anew (a new inode).  Theirs
    were recorded earlier than ours, so their ids lie before ours: no plain append; the index applies
    them to its stored tally after reading only those of our lines that could share an id with them.
    """
    import random

    rng = random.Random(17)
    lines: list[bytes] = []
    rounds = [0]

    def line(template: bytes, stamp: str) -> bytes:
        record = json.loads(template)
        record["id"] = stamp
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"

    def prepare() -> None:
        if not lines:
            lines.extend(source.read_bytes().splitlines(keepends=True))
            journal.write_bytes(b"".join(lines))
        rounds[0] += 1
        r = rounds[0]
        ours = [line(lines[rng.randrange(len(lines))], f"2999{r:04d}T{n:06d}.500000Z-ours00") for n in range(per_clone)]
        theirs = [line(lines[rng.randrange(len(lines))], f"2999{r:04d}T{n:06d}.100000Z-their0")
                  for n in range(per_clone)]
        with open(journal, "ab") as handle:  # this office's fupin done
            handle.write(b"".join(ours))
        lines.extend(ours)
        run_once(index_argv, env)  # this office's last command indexed its journal
        lines.extend(theirs)
        temp = journal.with_name(journal.name + ".merge")
        temp.write_bytes(b"".join(lines))  # git writes the merged file anew and renames it
        os.replace(temp, journal)

    return prepare


def run_cases(cases: list[Case], warmup: int, tmp: Path) -> None:
    """Round-robin, so drift in machine load touches every case alike."""
    rounds = warmup + max(c.runs for c in cases)
    for r in range(rounds):
        print(f"  round {r + 1}/{rounds}" + (" (warm-up)" if r < warmup else ""), file=sys.stderr, flush=True)
        for c in cases:
            if c.error or r >= warmup + c.runs:
                continue
            out = str(tmp / "out.json") if (c.json_out and r == 0) else os.devnull
            if c.prepare is not None:
                c.prepare()
            t, rss, code, err, cpu = run_once(c.argv, c.env, out, tty=c.tty)
            if code != 0:
                c.error = f"exit {code}: {err.strip()[-2000:]}"
                print(f"  FAILED {c.name}: {c.error}", file=sys.stderr)
                continue
            if c.json_out and r == 0:
                c.output_info = _describe_output(out)
            if r >= warmup:
                c.times.append(t)
                c.rss.append(rss)
                c.cpu.append(cpu)


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

HEAD = ["case", "median ms", "min", "max", "× floor", "CPU ms", "CPU × floor", "peak RSS MB", "budget", "result"]


def written_lines(results: list[dict]) -> list[str]:
    """The budgets the issue wrote in milliseconds: the ratio each is judged by, and each case against
    the milliseconds as written."""
    found = [r for r in results if "written_ms" in r]
    if not found:
        return []
    return [f"budgets written in milliseconds, judged as ratios to the floor (the issue's floor was "
            f"{ISSUE_FLOOR_MS} ms); each case against the milliseconds as written:"] + [
        f"  {r['case']}: {r['median_ms']:.0f} ms against < {r['written_ms']:.0f} ms as written, "
        f"{r['written_status']}; {r['ratio_to_floor']:.2f}× against < {r['written_ms'] / ISSUE_FLOOR_MS:.2f}×, "
        f"{r['status']}"
        for r in found]


def table_rows(results: list[dict]) -> list[list[str]]:
    rows = []
    for r in results:
        if "median_ms" not in r:
            rows.append([r["case"], "-", "-", "-", "-", "-", "-", "-", r.get("budget", ""),
                         "FAIL (" + r["error"][:60] + ")"])
            continue
        rows.append([r["case"], f"{r['median_ms']:.0f}", f"{r['min_ms']:.0f}", f"{r['max_ms']:.0f}",
                     f"{r['ratio_to_floor']:.2f}" if r["ratio_to_floor"] else "-", f"{r['cpu_ms']:.0f}",
                     f"{r['cpu_ratio_to_floor']:.2f}" if r["cpu_ratio_to_floor"] else "-", f"{r['peak_rss_mb']:.0f}",
                     r["budget"] or "-", r["status"]])
    return rows


def _width(s: str) -> int:
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def text_table(rows: list[list[str]]) -> str:
    widths = [max(_width(row[i]) for row in [HEAD] + rows) for i in range(len(HEAD))]

    def line(row):
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(cell + pad if i in (0, 8, 9) else pad + cell)
        return "  ".join(cells)

    return "\n".join([line(HEAD), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def md_table(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(out)


def scaling_line(results: list[dict], metas: dict[str, dict]) -> str:
    pts = []
    for size in ("city", "bigcity", "province"):
        r = next((x for x in results if x["case"] == f"{size}: overdue --format json"), None)
        if r and "median_ms" in r:
            pts.append((size, r["median_ms"], metas[size]["journal"]["lines"], metas[size]["obligations_with_due_date"]))
    if not pts:
        return "scaling: (no synthetic sizes run)"
    line = "scaling: " + " → ".join(f"{s} {ms:.0f} ms" for s, ms, _, _ in pts)
    line += " (entries " + "/".join(_short(n) for _, _, n, _ in pts) + ")"
    steps = []
    for (s1, m1, n1, o1), (s2, m2, n2, o2) in zip(pts, pts[1:]):
        steps.append(f"{s1}→{s2}: +{(m2 - m1) / (n2 - n1) * 1000:.1f} µs per added entry "
                     f"(×{n2 / n1:.0f} entries, ×{o2 / o1:.0f} obligations, ×{m2 / m1:.1f} time)")
    if steps:
        line += "\n  " + "\n  ".join(steps)
    return line


def _short(n: int) -> str:
    return f"{n / 1e6:.2g}M" if n >= 1e6 else f"{n / 1e3:.3g}k" if n >= 1e3 else str(n)


def compare(results: list[dict], previous: dict | None) -> list[str]:
    if not previous:
        return ["(no previous results to compare with)"]
    before = {r["case"]: r for r in previous.get("results", [])}
    lines = [f"change vs previous ({previous.get('when', '?')}):"]
    for r in results:
        p = before.get(r["case"])
        if not p or "median_ms" not in p or "median_ms" not in r:
            lines.append(f"  {r['case']}: new")
            continue
        d = (r["median_ms"] - p["median_ms"]) / p["median_ms"] * 100
        lines.append(f"  {r['case']}: {p['median_ms']:.0f} → {r['median_ms']:.0f} ms ({d:+.0f}%), "
                     f"RSS {p['peak_rss_mb']:.0f} → {r['peak_rss_mb']:.0f} MB")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="fupin benchmark (whole processes)")
    ap.add_argument("--quick", action="store_true", help="3 runs, sizes city,bigcity")
    ap.add_argument("--runs", type=int, default=None, help="timed runs per case (default 7; --quick 3)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs per case first (default 1)")
    ap.add_argument("--province-runs", type=int, default=3, help="at most this many runs for province (default 3)")
    ap.add_argument("--sizes", default=None, help="synthetic sizes (default city,bigcity,province; --quick city,bigcity)")
    ap.add_argument("--out", type=Path, default=HERE / "results", help="results folder (default bench/results)")
    ap.add_argument("--data", type=Path, default=generate.DEFAULT_OUT, help="generated data cache (default bench/out)")
    args = ap.parse_args(argv)
    args.runs = args.runs or (3 if args.quick else 7)
    args.sizes = [s for s in (args.sizes or ("city,bigcity" if args.quick else "city,bigcity,province")).split(",") if s]
    for s in args.sizes:
        if s not in generate.SIZES:
            ap.error(f"unknown size {s!r}; choose from {', '.join(generate.SIZES)}")

    import importlib.util
    if importlib.util.find_spec("fupin_cli") is None:
        ap.error(f"fupin_cli is not importable by {sys.executable}; run with the interpreter fupin is installed in")

    metas = {}
    for s in args.sizes:
        print(f"data {s}: ", end="", file=sys.stderr, flush=True)
        metas[s] = generate.generate(generate.SIZES[s], args.data, log=lambda m: print(m, file=sys.stderr))
        if "journal" in metas[s]:
            print(f"{metas[s]['journal']['lines']:,} journal lines, as of {metas[s]['as_of']}", file=sys.stderr)

    import compileall
    import fupin_cli

    compileall.compile_dir(os.path.dirname(fupin_cli.__file__), quiet=1)  # runs use .pyc, as installs do
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="fupin-bench-") as t:
        tmp = Path(t)
        cases = build_cases(args, tmp, metas)
        print(f"running {len(cases)} cases with {fupin_command()[0]} …", file=sys.stderr)
        started = time.perf_counter()
        run_cases(cases, args.warmup, tmp)
        total = time.perf_counter() - started

    load_after = os.getloadavg()
    floor = cases[0].times and statistics.median(cases[0].times) * 1000
    floor_cpu = cases[0].cpu and statistics.median(cases[0].cpu) * 1000
    floor_spread = (cases[0].times and (max(cases[0].times) - min(cases[0].times)) * 1000) or 0
    results = [c.result(floor or None, floor_cpu or None) for c in cases]
    rows = table_rows(results)
    scaling = scaling_line(results, metas)
    failed = [r["case"] for r in results if r["status"] == "FAIL"]

    import platform
    header = (f"fupin benchmark {datetime.now().isoformat(timespec='seconds')} — Python {platform.python_version()}, "
              f"{platform.machine()}, {os.cpu_count()} CPUs; {args.runs} runs (province ≤ {args.province_runs}), "
              f"{args.warmup} warm-up; command {' '.join(fupin_command())}; peak RSS via "
              f"{'/usr/bin/time -f %M' if TIME else 'os.wait4 (includes the harness size)'}; load average "
              f"{load_before[0]:.1f} before, {load_after[0]:.1f} after; floor {floor or 0:.0f} ms wall "
              f"(min–max spread {floor_spread:.0f} ms), {floor_cpu or 0:.0f} ms CPU")
    print()
    print(header)
    print(text_table(rows))
    print()
    print(scaling)
    for c, r in zip(cases, results):
        if c.output_info:
            print(f"  output of {c.name}: {c.output_info}")
        if r.get("error"):
            print(f"  ERROR {c.name}: {r['error']}")
    print(f"budgets failing: {', '.join(failed) if failed else 'none'}   (benchmark took {total:.0f} s)")
    as_written = written_lines(results)
    if as_written:
        print("\n".join(as_written))

    args.out.mkdir(parents=True, exist_ok=True)
    latest = args.out / "latest.json"
    previous = None
    if latest.is_file():
        try:
            previous = json.loads(latest.read_text("utf-8"))
        except ValueError:
            previous = None
        latest.replace(args.out / "previous.json")
        if (args.out / "latest.md").is_file():
            (args.out / "latest.md").replace(args.out / "previous.md")
    changes = compare(results, previous)
    print("\n".join(changes))
    doc = {"when": datetime.now().isoformat(timespec="seconds"), "header": header, "python": sys.executable,
           "command": fupin_command(), "runs": args.runs, "warmup": args.warmup,
           "data": {s: {k: metas[s].get(k) for k in ("as_of", "tasks", "units", "village_tasks", "town_tasks",
                                                      "obligations_with_due_date", "journal")} for s in args.sizes},
           "floor_ms": floor, "results": results, "scaling": scaling, "failing": failed}
    latest.write_text(json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")
    (args.out / "latest.md").write_text(
        f"# fupin benchmark\n\n{header}\n\n{md_table(rows)}\n\n```\n{scaling}\n```\n\n"
        + "".join(f"- output of {c.name}: {c.output_info}\n" for c in cases if c.output_info)
        + f"\nBudgets failing: {', '.join(failed) if failed else 'none'}\n\n"
        + ("```\n" + "\n".join(as_written) + "\n```\n\n" if as_written else "")
        + "```\n" + "\n".join(changes) + "\n```\n",
        "utf-8")
    print(f"results: {latest} and {args.out / 'latest.md'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
