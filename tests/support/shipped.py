"""Facts of the shipped plan (汕扶〔2018〕9号), each written down once.

Tests that run against the shipped plan import these names instead of repeating the
numbers. tests/test_shipped_facts.py derives every file fact again from the shipped
YAML (read with yaml, not through fupin) and every report fact from fupin's output,
so a changed plan fails there, in one place, with the name of the fact.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

#: The shipped plan's files (the package data, read straight from the source tree).
DATA = Path(__file__).resolve().parents[2] / "src" / "fupin_cli" / "data"
#: The seed table the plan was typed from (a copy of the published document).
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "000_0fd6b74583511a98.txt"
#: The journal the golden files and the printout tests report on.
SHIPPED_JOURNAL = Path(__file__).resolve().parents[1] / "golden" / "shipped-journal.jsonl"

# -- the header (plan: in tasks.yaml) --------------------------------------------------
TITLE = "2018年汕头市脱贫攻坚主要任务清单"  # plan.title in tasks.yaml
DOC_NO = "汕扶〔2018〕9号"  # plan.doc_no in tasks.yaml
ISSUER = "汕头市扶贫开发领导小组"  # plan.issuer in tasks.yaml
ISSUED = date(2018, 4, 25)  # plan.issued in tasks.yaml

# -- counted from the YAML ---------------------------------------------------------------
TASK_COUNT = 45  # entries of tasks: in tasks.yaml
UNIT_COUNT = 48  # entries of units: in units.yaml (groups included)
UNITS_NAMED_BY_TASKS = 38  # distinct names in the units: lists of tasks.yaml
TASKS_WITHOUT_DEADLINE = 2  # tasks.yaml tasks whose deadline is empty
DISTRICTS = ("金平区", "龙湖区", "濠江区", "潮阳区", "潮南区", "澄海区", "南澳县")  # members of 各区（县） in units.yaml

# -- counted from the seed table -----------------------------------------------------------
SEED_TABLE_LINES = 40  # tab-separated lines of the seed's table, 序号 header lines at page breaks excluded

# -- counted from fupin's reports on the shipped plan (hand-checked when first written) ---------
# `fupin due --as-of 2018-07-16` with an empty journal: rows, units with a row, rows of 各镇
DUE_ROWS_2018_07_16 = 402
DUE_UNITS_2018_07_16 = 21
DUE_ROWS_OF_TOWNS_2018_07_16 = 28
# `fupin due --unit 市民政局 --as-of 2018-07-15` with an empty journal: 5.1, 7.1, 8.1, 9.1 × April–June, and 6.2's 2018-06-30
CIVIL_AFFAIRS_DUE_ROWS_2018_07_15 = 13
# `fupin overdue --category 金融扶贫 --as-of 2018-07-15`: 13.1's second quarter, one row for each of 13 units
FINANCE_OVERDUE_UNITS_2018_07_15 = 13
FINANCE_OVERDUE_ROWS_2018_07_15 = 13
# `fupin report weekly --as-of 2018-07-16` on SHIPPED_JOURNAL: the overdue list's task-periods (项) and rows (单位次)
WEEK29_OVERDUE_TASKS = 44
WEEK29_OVERDUE_UNIT_TIMES = 376
# `fupin report notice --each-unit --as-of 2018-07-16` on SHIPPED_JOURNAL: one notice per unit with work open
WEEK29_NOTICES = 20
