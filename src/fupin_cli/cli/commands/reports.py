"""The report commands: due, overdue, report weekly."""

from typing import Annotated, Optional

import typer

from ...domain.errors import UsageError
from ...output.formats import View
from ..options import (
    AsOfOpt,
    CategoryOpt,
    DataOpt,
    ExitCodeOpt,
    ForceOpt,
    JournalOpt,
    OutputOpt,
    ShiftOpt,
    UnitOpt,
    check_category,
    context,
    format_option,
    one_unit,
)
from ..output import check_format, choices, show

REPORT_FORMATS = choices({"document", "records"})
MAX_WITHIN_DAYS = 3660  # ten years: more is a typo, and would run past the calendar


def _report_scope(ctx, unit: Optional[list[str]], category: Optional[str] = None):
    """(unit name or None, Scope) of a report; says once when the real today is outside the plan."""
    from ...domain.obligations import Scope

    name = one_unit(ctx, unit)
    scope = Scope.for_unit(ctx.plan.units, name, check_category(ctx, category))
    ctx.check_today_in_plan()
    return name, scope


def _finish_report(ctx, exit_code: bool, overdue: int) -> None:
    ctx.finish()
    ctx.warn_unmatched()
    if exit_code and overdue:
        raise typer.Exit(1)  # cron alerts on it, like git diff --exit-code


def due(
    unit: UnitOpt = None,
    within: Annotated[Optional[int], typer.Option("--within", help="列出几天内到期的事项；默认为计划的预警天数。",
                                                  show_default=False, min=0)] = None,
    category: CategoryOpt = None,
    fmt: Annotated[str, format_option(REPORT_FORMATS)] = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
    exit_code: ExitCodeOpt = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """本单位欠什么、什么已逾期：列出逾期和即将到期的未完成事项，最急的在前。What is due and late.

    例：fupin due --unit 市民政局 --as-of 2018-07-15
    """
    from ...output import views
    from ...reports.due import due_rows

    check_format(fmt, REPORT_FORMATS)
    ctx = context(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift)
    plan = ctx.plan
    name, scope = _report_scope(ctx, unit, category)
    days = plan.settings.warn_days if within is None else within
    if days > MAX_WITHIN_DAYS:
        raise UsageError(f"--within 的值 {days} 太大：最多 {MAX_WITHIN_DAYS} 天", subject="within")
    rows = due_rows(ctx.timetable, ctx.standing(), scope, days)
    overdue = sum(r.status == "overdue" for r in rows)
    title = f"{plan.title}：到期与逾期事项" + (f"（{name}）" if name else "")
    lines = [f"截至 {ctx.today}：逾期 {overdue} 项，{days} 天内到期 {len(rows) - overdue} 项"]
    show(View(document=lambda: views.rows_document(title, lines, rows, group_by_unit=name is None,
                                                   empty="没有逾期或即将到期的事项"),
              records=lambda: [views.row_record(r) for r in rows]), fmt, output, force)
    _finish_report(ctx, exit_code, overdue)


def overdue(
    unit: UnitOpt = None,
    category: CategoryOpt = None,
    fmt: Annotated[str, format_option(REPORT_FORMATS)] = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
    exit_code: ExitCodeOpt = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """只列逾期未完成的事项，按单位分组并计数。Only what is overdue.

    例：fupin overdue --format json --exit-code
    """
    from ...output import views
    from ...reports.due import overdue_rows

    check_format(fmt, REPORT_FORMATS)
    ctx = context(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift)
    plan = ctx.plan
    name, scope = _report_scope(ctx, unit, category)
    rows = overdue_rows(ctx.timetable, ctx.standing(), scope)
    units = len({r.unit for r in rows})
    title = f"{plan.title}：逾期未完成事项" + (f"（{name}）" if name else "")
    lines = [f"截至 {ctx.today}：{units} 个单位共逾期 {len(rows)} 项"]
    show(View(document=lambda: views.rows_document(title, lines, rows, group_by_unit=True, empty="没有逾期事项"),
              records=lambda: [views.row_record(r) for r in rows]), fmt, output, force)
    _finish_report(ctx, exit_code, len(rows))


def report_weekly(
    unit: UnitOpt = None,
    fmt: Annotated[str, format_option(REPORT_FORMATS)] = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
    exit_code: ExitCodeOpt = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """督办周报：各单位汇总与完成率，逾期未完成、本周到期、下周到期、本周已完成。Weekly report.

    例：fupin report weekly --as-of 2018-07-16 --format html --output 周报.html
    """
    from ...output import views
    from ...reports.weekly import weekly_report

    check_format(fmt, REPORT_FORMATS)
    ctx = context(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift)
    _name, scope = _report_scope(ctx, unit)
    report = weekly_report(ctx.timetable, ctx.standing(), scope)
    show(View(document=lambda: views.weekly_document(report), records=lambda: views.weekly_record(report)),
         fmt, output, force)
    _finish_report(ctx, exit_code, len(report.overdue))


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("due")(due)
    app.command("overdue")(overdue)
    report_app.command("weekly")(report_weekly)
