"""``fupin export``: the plan as the official table, in Excel or Word, and what would not come back the same."""

from __future__ import annotations

from ..domain.model import Plan

EXPORT_FORMATS = ("xlsx", "docx")


def export_plan(plan: Plan, fmt: str) -> tuple[bytes, list[str]]:
    """(the file's bytes, the tasks ``fupin import`` would read back differently from this table)."""
    from ..plan_io.exporter import official_table, round_trip_differences

    table = official_table(plan)
    if fmt == "xlsx":
        from ..plan_io.export_xlsx import write_xlsx
        data = write_xlsx(table)
    else:
        from ..plan_io.export_docx import write_docx
        data = write_docx(table)
    return data, round_trip_differences(plan, table)
