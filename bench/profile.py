"""Profile fupin once: cProfile of two cases and -X importtime of start-up.

    python bench/profile.py [--out bench/results/profile] [--top 15]

Cases: the bigcity ``overdue --format json`` (generated data, see generate.py)
and the shipped-plan ``due --unit 市民政局 --as-of 2018-07-15``.  Prints, for
each, the top entries by cumulative time among fupin_cli's own functions (and
the overall top by own time), then the biggest imports.  Raw files (.prof,
imports.txt) stay in the output folder for snakeviz / pstats.
"""

from __future__ import annotations

import argparse
import os
import pstats
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUPIN_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # profile what users run: compiled modules, not compiling
    env["FUPIN_JOURNAL"] = str(tmp / "journal.jsonl")  # never the user's journal
    env["COLUMNS"] = "200"
    return env


def cprofile(name: str, args: list[str], out: Path, env: dict[str, str], top: int) -> str:
    prof = out / f"{name}.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "fupin_cli", *args]
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        return f"## {name}: fupin exited {proc.returncode}\n{proc.stderr}"
    stats = pstats.Stats(str(prof))
    total = stats.total_tt
    lines = [f"## {name}: fupin {' '.join(args)}", f"total {total * 1000:.0f} ms under cProfile (profiling inflates calls)"]

    def fmt(key, row):
        cc, nc, tt, ct, _ = row
        file, lineno, func = key
        where = file.split("site-packages/")[-1].split("/src/")[-1]
        return f"{ct * 1000:9.1f} {tt * 1000:9.1f} {nc:>9}  {where}:{lineno}({func})"

    items = stats.stats.items()  # type: ignore[attr-defined]
    ours = sorted(((k, v) for k, v in items if "fupin_cli" in k[0]), key=lambda kv: -kv[1][3])
    lines.append(f"\ntop {top} by cumulative time in fupin_cli code:")
    lines.append(f"{'cum ms':>9} {'own ms':>9} {'calls':>9}  function")
    lines += [fmt(k, v) for k, v in ours[:top]]
    own = sorted(items, key=lambda kv: -kv[1][2])
    lines.append(f"\ntop {top} by own time (any code):")
    lines.append(f"{'cum ms':>9} {'own ms':>9} {'calls':>9}  function")
    lines += [fmt(k, v) for k, v in own[:top]]
    return "\n".join(lines)


_IMPORT = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def importtime(out: Path, env: dict[str, str], top: int) -> str:
    path = out / "imports.txt"
    cmd = [sys.executable, "-X", "importtime", "-m", "fupin_cli", "due", "--unit", "市民政局", "--as-of", "2018-07-15"]
    with open(path, "w") as err:
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
    rows = []
    for line in path.read_text("utf-8", "replace").splitlines():
        m = _IMPORT.match(line)
        if m:
            rows.append((int(m[1]), int(m[2]), len(m[3]) // 2, m[4]))
    total = sum(r[1] for r in rows if r[2] == 0)
    tops = sorted((r for r in rows if r[2] == 0), key=lambda r: -r[1])
    lines = ["## imports: python -X importtime -m fupin_cli due --unit 市民政局 --as-of 2018-07-15",
             f"{len(rows)} modules, top-level imports total {total / 1000:.0f} ms (raw: {path})",
             f"\ntop {top} top-level imports by cumulative time:"]
    lines += [f"{cum / 1000:8.1f} ms  {name}" for _, cum, _, name in tops[:top]]
    # Who pulls in what inside fupin_cli: the biggest direct children of fupin_cli modules
    families: dict[str, int] = {}
    for self_us, _, _, name in rows:
        families[name.split(".")[0]] = families.get(name.split(".")[0], 0) + self_us
    lines.append(f"\ntop {top} packages by total own import time (all their modules):")
    lines += [f"{us / 1000:8.1f} ms  {name}" for name, us in sorted(families.items(), key=lambda kv: -kv[1])[:top]]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="profile fupin (cProfile + importtime)")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "profile")
    ap.add_argument("--data", type=Path, default=generate.DEFAULT_OUT)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    meta = generate.generate(generate.SIZES["bigcity"], args.data, log=lambda m: print(m, file=sys.stderr))
    folder = args.data / "bigcity"
    with tempfile.TemporaryDirectory(prefix="fupin-profile-") as t:
        env = _env(Path(t))
        parts = [
            cprofile("bigcity-overdue", ["overdue", "--format", "json", "--as-of", meta["as_of"], "--data", str(folder),
                                         "--journal", str(folder / "journal.jsonl")], args.out, env, args.top),
            cprofile("shipped-due", ["due", "--unit", "市民政局", "--as-of", "2018-07-15"], args.out, env, args.top),
            importtime(args.out, env, args.top),
        ]
    report = "\n\n".join(parts) + "\n"
    (args.out / "profile.txt").write_text(report, "utf-8")
    print(report)
    print(f"written: {args.out}/profile.txt, *.prof, imports.txt", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
