"""What makes a warm run at province scale cheaper, kept true: the plan cache gives unit names as the very
objects the journal index's ledger holds (interned), and a run pauses the cyclic garbage collector only
while it lasts."""

from __future__ import annotations

import gc
import subprocess
import sys

from fupin_cli.journal.jsonl.index import JournalIndex
from fupin_cli.plan_io import loader
from support.plans import done, plan_folder, write_journal

TASKS = '- {id: "1", text: 报送月报, units: [各区], deadline: 每月5日前}'  # the default units: 各区 of 东区 and 西区


def test_cached_unit_names_are_the_ledgers_own_objects(tmp_path, fupin, monkeypatch):
    folder = plan_folder(tmp_path / "data", TASKS)
    journal = tmp_path / "journal.jsonl"
    write_journal(journal, [done("1", "东区", "2018-07", "2018-08-01", plan="tasks")])
    args = ("overdue", "--format", "json", "--as-of", "2018-08-10", "--data", str(folder), "--journal", str(journal))
    first, second = fupin(*args), fupin(*args)  # the first fills both caches
    assert first.out == second.out
    assert [r["unit"] for r in second.json() if r["period"] == "2018-07"] == ["西区"]

    monkeypatch.setenv("FUPIN_CACHE", str(tmp_path / "cache"))
    from fupin_cli.cache import active_cache

    plan = loader.load_plan(folder).plan  # from the cache
    assert loader.PlanCache.for_files(folder, loader.plan_files(folder) + [folder / "units.yaml"]).load() is not None
    leaves = plan.units.leaves("各区")
    assert leaves == ("东区", "西区")
    assert all(name is sys.intern(name) for name in leaves)
    ledger = JournalIndex(journal, active_cache()).ledger()  # from the index's cache
    (unit,) = ledger.completions["tasks"]["1"]["2018-07"]
    assert unit is leaves[0]


def test_a_run_pauses_the_collector_and_leaves_it_as_it_found_it(tmp_path, fupin, monkeypatch):
    from fupin_cli.reports import due

    seen = []
    report = due.overdue_rows

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return report(*args, **kwargs)

    monkeypatch.setattr(due, "overdue_rows", watched)
    folder = plan_folder(tmp_path / "data", TASKS)
    args = ("overdue", "--format", "json", "--as-of", "2018-08-10", "--data", str(folder))
    assert gc.isenabled()
    assert fupin(*args).code == 0
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        assert fupin(*args).code == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert fupin("overdue", "--data", str(tmp_path / "missing")).code == 2  # an error on the way out too
    assert gc.isenabled()


def test_the_process_ends_without_a_last_collection_and_runs_its_exit_handlers(tmp_path):
    """At exit the run's objects are frozen (CPython's final collection skips them), after which
    the handlers registered before the run still run; what the run printed is all there."""
    folder = plan_folder(tmp_path / "data", TASKS)
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0, file=sys.stderr))\n"
        "from fupin_cli.cli import main\n"
        f"sys.argv = ['fupin', 'overdue', '--format', 'json', '--as-of', '2018-08-10', '--data', {str(folder)!r}]\n"
        "main()\n"
    )
    done_run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done_run.returncode == 0, done_run.stderr
    assert done_run.stderr.splitlines()[-1] == "frozen at exit: True"
    assert done_run.stdout.startswith("[") and done_run.stdout.rstrip().endswith("]")


def test_records_of_rows_alike_are_copies_each_with_its_unit():
    from datetime import date

    from fupin_cli.domain.model import Occurrence
    from fupin_cli.journal.entries import ProgressEntry
    from fupin_cli.output.records import row_record, row_records
    from fupin_cli.reports.rows import alike_rows, status_row
    from support.plans import make_plan

    plan = make_plan('- {id: "1", text: 报送月报, units: [各区, 甲局], deadline: 每月5日前}')
    task = plan.tasks[0]
    july = Occurrence(period="2018-07", start=date(2018, 7, 1), end=date(2018, 7, 31),
                      nominal_due=date(2018, 7, 5), due=date(2018, 7, 5), required=1)
    today = date(2018, 7, 16)
    progress = ProgressEntry(id="20180710T000000.000000Z-000001", task="1", unit="甲局",
                             period="2018-07", date=date(2018, 7, 10), done="已部署", percent=50)
    rows = [*alike_rows(status_row(task, "", july, [], today, 14), ["西区", "东区"]),
            status_row(task, "乙局", july, [date(2018, 7, 9)], today, 14),  # done late: not alike
            status_row(task, "甲局", july, [], today, 14, last_progress=progress),
            *alike_rows(status_row(task, "", july, [], today, 14), ["北区"])]
    records = row_records(rows)
    assert records == [row_record(row) for row in rows]
    assert [(r["unit"], r["done_date"], r["last_progress"] and r["last_progress"]["percent"]) for r in records] == [
        ("西区", None, None), ("东区", None, None), ("乙局", date(2018, 7, 9), None), ("甲局", None, 50),
        ("北区", None, None)]
    assert len({id(r) for r in records}) == 5  # each its own dict
    assert list(records[1]) == list(records[0])  # the keys in the contract's order
