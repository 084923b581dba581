"""The caches cannot lie: after any sequence of writes, hand edits, git-like rewrites and plan edits,
every report through the caches equals the report without them (``FUPIN_NO_CACHE=1``).

A hypothesis state machine drives a small plan and its journal through fupin's own appends and
voids, and through what people and git do to files: edit any line (same length or not, the
modification time put back or not), cut the file anywhere, reorder, delete and recreate it, merge
in lines of another clone, add blank, broken, BOM-marked or spaced hand-written lines, and edit
the plan.  After every step the overdue, due and weekly reports, the warnings and the ledger are
computed with and without the caches, and must be equal.  ``pytest`` runs a short version;
``pytest -m slow`` a long one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from fupin_cli.app.context import RunContext
from fupin_cli.domain.errors import JournalError
from fupin_cli.journal.entries import make_done_record, make_void_record
from fupin_cli.journal.jsonl import index as journal_index
from fupin_cli.journal.jsonl.store import JsonlStore
from fupin_cli.output.records import row_record
from fupin_cli.output.views import weekly_record
from fupin_cli.reports.due import due_rows, overdue_rows
from fupin_cli.reports.weekly import weekly_report
from support.plans import plan_folder

TASKS = """
- {id: "1", text: 报送月报, units: [甲局], deadline: 每月5日前}
- {id: "2", text: 季度总结, units: [各区], deadline: 每季度之后10日内完成}
- {id: "3", text: 年度计划, units: [乙局, 各区], deadline: 2018年6月30日前}
- {id: "4", text: 两次督查, units: [甲局, 东区], deadline: 每年至少两次}
"""
TASK_IDS = ["1", "2", "3", "4", "9"]  # 9 is not in the plan
UNITS = ["甲局", "乙局", "东区", "西区"]
PERIODS = ["2018-01", "2018-02", "2018-06", "2018-07", "2018-Q1", "2018-Q2", "2018-Q3", "2018-06-30", "2018"]
AS_OFS = ("2018-07-16", "2018-10-15")
TZ = timezone(timedelta(hours=8))

# Same-length and other replacements of one value of a line, as a hand edit would make them.
EDITS = {
    "date": ["2018-03-03", "2018-07-13", "2018-10-01"],
    "period": ["2018-02", "2018-08", "2018-Q4", "2018"],
    "unit": ["西区", "乙局", "甲局 "],
    "task": ["2", "3", "9"],
    "note": ["", "改", "核对后更正的说明"],
    "target": ["20180101T000000.000000Z-000000"],
}
steps = Counter()


class CacheAgreement(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.root = Path(tempfile.mkdtemp(prefix="fupin-differential-"))
        self.data = plan_folder(self.root / "plan", TASKS)
        self.journal = self.data / "journal.jsonl"
        self.journal.write_bytes(b"")
        self.cache = self.root / "cache"
        self.clock = datetime(2018, 7, 1, tzinfo=timezone.utc)
        self.ids: list[str] = []
        self.old_environ = {k: os.environ.get(k) for k in ("FUPIN_CACHE", "FUPIN_NO_CACHE", "FUPIN_JOURNAL",
                                                            "FUPIN_DATA", "FUPIN_TODAY")}
        for key in self.old_environ:
            os.environ.pop(key, None)
        os.environ["FUPIN_CACHE"] = str(self.cache)

    def teardown(self):
        for key, value in getattr(self, "old_environ", {}).items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if hasattr(self, "root"):
            shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------ helpers
    def now(self) -> datetime:
        self.clock += timedelta(seconds=97)
        return self.clock

    def store(self) -> JsonlStore:
        from fupin_cli.cache import active_cache

        return JsonlStore(self.journal, active_cache())

    def lines(self) -> list[bytes]:
        try:
            return self.journal.read_bytes().splitlines(keepends=True)
        except FileNotFoundError:
            return []

    def rewrite(self, data: bytes, *, keep_mtime: bool, new_file: bool = False) -> None:
        """Write ``data`` as the journal: in place (same inode) or as a new file (git's way)."""
        try:
            before = os.stat(self.journal)
        except FileNotFoundError:
            before = None
        if new_file:
            self.journal.unlink(missing_ok=True)
            self.journal.write_bytes(data)
        else:
            with open(self.journal, "r+b" if before else "wb") as handle:
                handle.write(data)
                handle.truncate()
        if keep_mtime and before is not None:
            os.utime(self.journal, ns=(before.st_atime_ns, before.st_mtime_ns))

    # ------------------------------------------------------------ fupin's own writes
    @rule(task=st.sampled_from(TASK_IDS), unit=st.sampled_from(UNITS), period=st.sampled_from(PERIODS),
          day=st.integers(0, 300))
    def append_done(self, task, unit, period, day):
        record = make_done_record(plan="tasks", task=task, unit=unit, period=period, date=date(2018, 1, 1) + timedelta(days=day),
                                  by="", note="", now_utc=self.now(), tz=TZ)
        try:
            self.store().append(record)
            self.ids.append(record["id"])
            steps["append done"] += 1
        except JournalError:
            steps["append refused (shrunk or vanished)"] += 1

    @rule(pick=st.integers(0, 10_000), known=st.booleans())
    def append_void(self, pick, known):
        target = self.ids[pick % len(self.ids)] if known and self.ids else f"20180101T000000.{pick:06d}Z-abcdef"
        record = make_void_record(plan="tasks", target=target, reason="录错", by="", now_utc=self.now(), tz=TZ)
        try:
            self.store().append(record)
            self.ids.append(record["id"])
            steps["append void"] += 1
        except JournalError:
            steps["append refused (shrunk or vanished)"] += 1

    @rule()
    def check_accepts_the_journal_as_it_is(self):
        """What ``fupin check`` does once it has shown a shorter journal: appends may go on."""
        self.store().accept_current()
        steps["check accepts the journal"] += 1

    # ------------------------------------------------------------ what people write by hand
    @rule(pick=st.integers(0, 10_000), spaced=st.booleans())
    def hand_void(self, pick, spaced):
        if not self.ids:
            return
        record = {"id": self.now().strftime("%Y%m%dT%H%M%S.%fZ-") + "ffffff", "op": "void",
                  "target": self.ids[pick % len(self.ids)], "recorded_at": "", "by": "手工", "note": ""}
        text = json.dumps(record, ensure_ascii=False) if spaced else json.dumps(record, ensure_ascii=False,
                                                                              separators=(",", ":"))
        with open(self.journal, "ab") as handle:
            handle.write(text.encode("utf-8") + b"\n")
        steps["hand-written void"] += 1

    @rule(pick=st.integers(0, 10_000), key=st.sampled_from(sorted(EDITS)), choice=st.integers(0, 3),
          keep_mtime=st.booleans(), new_file=st.booleans())
    def edit_a_line(self, pick, key, choice, keep_mtime, new_file):
        lines = self.lines()
        if not lines:
            return
        number = pick % len(lines)
        values = EDITS[key]
        value = values[choice % len(values)]
        edited = re.sub(rf'("{key}":\s*")([^"]*)(")', lambda m: m.group(1) + value + m.group(3),
                        lines[number].decode("utf-8", "replace"), count=1).encode("utf-8")
        same_length = len(edited) == len(lines[number])
        lines[number] = edited
        self.rewrite(b"".join(lines), keep_mtime=keep_mtime, new_file=new_file)
        steps["edit a line" + (" (same length)" if same_length else "")
              + (" (mtime put back)" if keep_mtime else "")] += 1

    @rule(cut=st.floats(0, 1))
    def truncate(self, cut):
        size = self.journal.stat().st_size if self.journal.exists() else 0
        if size:
            os.truncate(self.journal, int(size * cut))
            steps["truncate"] += 1

    @rule(how=st.sampled_from(["reverse", "swap", "rotate"]), pick=st.integers(0, 10_000),
          keep_mtime=st.booleans(), new_file=st.booleans())
    def reorder(self, how, pick, keep_mtime, new_file):
        lines = self.lines()
        if len(lines) < 2:
            return
        if lines[-1][-1:] != b"\n":
            lines[-1] += b"\n"
        if how == "reverse":
            lines.reverse()
        elif how == "swap":
            i, j = pick % len(lines), (pick // 7) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        else:
            k = pick % len(lines)
            lines = lines[k:] + lines[:k]
        self.rewrite(b"".join(lines), keep_mtime=keep_mtime, new_file=new_file)
        steps["reorder"] += 1

    @rule(keep_mtime=st.booleans())
    def delete_and_recreate(self, keep_mtime):
        """What git does to a file it updates: unlink, then write a new one (here with the same bytes)."""
        if not self.journal.exists():
            return
        self.rewrite(self.journal.read_bytes(), keep_mtime=keep_mtime, new_file=True)
        steps["delete and recreate"] += 1

    @rule(count=st.integers(1, 4), pick=st.integers(0, 10_000), duplicate=st.booleans())
    def merge_from_another_clone(self, count, pick, duplicate):
        """A union merge: lines of another clone (older ids) inserted among ours, some ours again."""
        lines = self.lines()
        if lines and lines[-1][-1:] != b"\n":
            lines[-1] += b"\n"
        for n in range(count):
            if duplicate and lines:
                new = lines[(pick + n) % len(lines)]
            else:
                record = make_done_record(plan="tasks", task=TASK_IDS[(pick + n) % 5], unit=UNITS[(pick // 5 + n) % 4],
                                          period=PERIODS[(pick + 3 * n) % len(PERIODS)], date=date(2018, 5, 1 + n),
                                          by="", note="", now_utc=datetime(2018, 6, 1, 0, 0, n, pick % 1000,
                                                                           tzinfo=timezone.utc), tz=TZ)
                new = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
                self.ids.append(record["id"])
            at = (pick * (n + 1)) % (len(lines) + 1)
            lines.insert(at, new)
        self.rewrite(b"".join(lines), keep_mtime=False, new_file=True)
        steps["merge from another clone"] += 1

    @rule(pick=st.integers(0, 10_000))
    def delete_a_line(self, pick):
        lines = self.lines()
        if lines:
            del lines[pick % len(lines)]
            self.rewrite(b"".join(lines), keep_mtime=False)
            steps["delete a line"] += 1

    @rule(kind=st.sampled_from(["blank", "broken", "bom", "unknown op", "same id other content", "no newline"]),
          pick=st.integers(0, 10_000))
    def odd_line(self, kind, pick):
        lines = self.lines()
        if lines and lines[-1][-1:] != b"\n":
            lines[-1] += b"\n"
        if kind == "blank":
            lines.insert(pick % (len(lines) + 1), b"\n")
        elif kind == "broken":
            lines.insert(pick % (len(lines) + 1), b'{"id": "x", "op": \n')
        elif kind == "bom":
            if lines and not lines[0].startswith(b"\xef\xbb\xbf"):
                lines[0] = b"\xef\xbb\xbf" + lines[0]
        elif kind == "unknown op":
            lines.append(json.dumps({"id": self.now().strftime("%Y%m%dT%H%M%S.%fZ-") + "eeeeee", "op": "extend",
                                     "days": 3}).encode() + b"\n")
        elif kind == "same id other content" and lines:
            try:
                source = json.loads(lines[pick % len(lines)].lstrip(b"\xef\xbb\xbf"))
            except ValueError:
                source = None
            if isinstance(source, dict) and "note" in source:
                source["note"] = "另一份"
                lines.append(json.dumps(source, ensure_ascii=False).encode() + b"\n")
        elif kind == "no newline" and lines:
            lines[-1] = lines[-1].rstrip(b"\n")
        self.rewrite(b"".join(lines), keep_mtime=False)
        steps[f"odd line: {kind}"] += 1

    @rule(change=st.sampled_from(["deadline same length", "deadline other", "unit alias", "task text"]),
          keep_mtime=st.booleans())
    def edit_the_plan(self, change, keep_mtime):
        tasks, units = self.data / "tasks.yaml", self.data / "units.yaml"
        target = units if change == "unit alias" else tasks
        before = os.stat(target)
        text = target.read_text(encoding="utf-8")
        swaps = {"deadline same length": ("每月5日前", "每月8日前"), "deadline other": ("每月5日前", "每季度末"),
                 "unit alias": ("aliases: [甲]", "aliases: [丙]"), "task text": ("季度总结", "季度小结")}
        old, new = swaps[change]
        text = text.replace(old, new) if old in text else text.replace(new, old)
        with open(target, "r+b") as handle:
            handle.write(text.encode("utf-8"))
            handle.truncate()
        if keep_mtime:
            os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
        steps[f"plan edit: {change}"] += 1

    @rule(how=st.sampled_from(["delete", "garbage", "swap journal and plan"]))
    def spoil_the_cache(self, how):
        if not self.cache.exists():
            return
        files = sorted(self.cache.iterdir())
        for path in files:
            if how == "delete":
                path.unlink()
            elif how == "garbage":
                path.write_bytes(b"\x00garbage")
        if how == "swap journal and plan":
            named = {p.name.split("-")[0]: p for p in files}
            if "journal" in named and "plan" in named:
                a, b = named["journal"].read_bytes(), named["plan"].read_bytes()
                named["journal"].write_bytes(b)
                named["plan"].write_bytes(a)
        steps[f"spoil the cache: {how}"] += 1

    # ------------------------------------------------------------ the oracle
    def reports(self, cached: bool, full_reader: bool = False) -> list:
        """Every report through the caches, or without (``FUPIN_NO_CACHE``: the index's fold, nothing
        stored), or (``full_reader``) from the full reader's entries: the oracle."""
        if cached:
            os.environ.pop("FUPIN_NO_CACHE", None)
        else:
            os.environ["FUPIN_NO_CACHE"] = "1"
        patch = None
        if full_reader:
            from unittest import mock

            from fupin_cli.journal.jsonl import index

            patch = mock.patch.object(index, "ledger_of", lambda path, cache: index.full_ledger(path))
            patch.start()
        try:
            found = []
            for as_of in AS_OFS:
                context = RunContext(data=self.data, journal=self.journal, as_of=as_of)
                ledger = context.store.ledger()
                standing = context.standing()
                found.append((ledger.completions, [(p.line, p.message) for p in ledger.problems],
                              sorted(ledger.voided)))
                found.append([row_record(r) for r in overdue_rows(context.timetable, standing)])
                found.append([row_record(r) for r in due_rows(context.timetable, standing, within=30)])
                found.append(weekly_record(weekly_report(context.timetable, standing)))
                found.append(context.warnings)
            return found
        finally:
            os.environ.pop("FUPIN_NO_CACHE", None)
            if patch is not None:
                patch.stop()

    @invariant()
    def cached_reports_equal_uncached(self):
        if not hasattr(self, "data"):
            return
        plain = self.reports(cached=False, full_reader=True)
        assert self.reports(cached=False) == plain  # the index's fold with nothing stored
        assert self.reports(cached=True) == plain
        assert self.reports(cached=True) == plain  # and once more, from what the first run stored
        steps["compared"] += 1


def _run(examples: int, step_count: int) -> None:
    steps.clear()
    CacheAgreement.TestCase.settings = settings(
        max_examples=examples, stateful_step_count=step_count, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    CacheAgreement.TestCase().runTest()
    print("\nsteps:", dict(sorted(steps.items())))


def test_cached_reports_equal_uncached_short():
    _run(examples=12, step_count=25)


@pytest.mark.slow
def test_cached_reports_equal_uncached_long():
    _run(examples=400, step_count=60)


def test_paths_of_the_index_are_taken(tmp_path, monkeypatch):
    """The three ways the index answers, each seen to happen: stored ledger, appended tail, fold of lines."""
    monkeypatch.setenv("FUPIN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(journal_index, "RACY_NS", 0)  # as if the journal had last changed long ago
    data = plan_folder(tmp_path / "plan", TASKS)
    journal = data / "journal.jsonl"
    from fupin_cli.cache import active_cache

    store = JsonlStore(journal, active_cache())
    clock = datetime(2018, 7, 1, tzinfo=timezone.utc)
    for n, unit in enumerate(UNITS):
        store.append(make_done_record(plan="tasks", task="2", unit=unit, period="2018-Q2", date=date(2018, 7, 2), by="", note="",
                                      now_utc=clock + timedelta(seconds=n), tz=TZ))
    taken = Counter()
    for name in ("_with_tail", "_rebuild"):
        original = getattr(journal_index.JournalIndex, name)

        def counting(self, *args, _name=name, _original=original):
            taken[_name] += 1
            return _original(self, *args)

        monkeypatch.setattr(journal_index.JournalIndex, name, counting)
    snapshot = journal_index._Snapshot.__init__

    def reading(self, fd, size, **how):
        taken["read"] += 1
        snapshot(self, fd, size, **how)

    monkeypatch.setattr(journal_index._Snapshot, "__init__", reading)

    first = store.ledger()
    assert taken == {"_rebuild": 1, "read": 1}
    everyone = {"甲局": 736877, "乙局": 736877, "东区": 736877, "西区": 736877}  # 2018-07-02
    assert store.ledger().completions == first.completions == {"tasks": {"2": {"2018-Q2": everyone}}}
    assert taken == {"_rebuild": 1, "read": 1}  # the stamp was the stored one: the journal was not read
    store.append(make_void_record(plan="tasks", target=json.loads(journal.read_bytes().splitlines()[2])["id"], reason="",
                                  by="", now_utc=clock + timedelta(minutes=5), tz=TZ))
    del everyone["东区"]  # the third line
    assert store.ledger().completions == {"tasks": {"2": {"2018-Q2": everyone}}}
    assert taken == {"_rebuild": 1, "read": 2, "_with_tail": 1}
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(b"".join(reversed(lines)))
    assert store.ledger().completions == {"tasks": {"2": {"2018-Q2": everyone}}}
    assert taken == {"_rebuild": 2, "read": 3, "_with_tail": 1}
