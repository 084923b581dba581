"""Every report, list and journal view prints exactly what was recorded in tests/golden/expected.

The restructuring of issue 10 had to keep every output byte for byte; this keeps it so.  When a
change is *meant* to alter an output, re-record with ``python tests/golden/make_golden.py`` and let
the diff of ``tests/golden/expected`` show what changed.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

from cases import collect, read_expected  # noqa: E402


def test_outputs_are_as_recorded():
    shipped, city = collect()
    expected_shipped, expected_city = read_expected()
    assert sorted(shipped) == sorted(expected_shipped)
    for name, text in shipped.items():
        if text != expected_shipped[name]:
            diff = "\n".join(list(difflib.unified_diff(expected_shipped[name].splitlines(), text.splitlines(),
                                                       "recorded", "now", lineterm=""))[:60])
            raise AssertionError(f"shipped case {name} differs:\n{diff}")
    changed = sorted(name for name in city if city[name] != expected_city.get(name))
    assert not changed, f"city cases that differ: {changed}"
