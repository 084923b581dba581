"""What makes a warm run at province scale cheaper, kept true: the plan cache gives unit names as the very
objects the journal index's ledger holds (interned), and a run pauses the cyclic garbage collector only
while it lasts."""

from __future__ import annotations

import gc
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
