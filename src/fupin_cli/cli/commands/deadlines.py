"""Commands about deadlines: explain, calendar."""

import calendar as months
import os
from datetime import date, timedelta
from typing import Annotated, Optional

import typer

from ...domain.errors import UsageError
from ...output.formats import View
from ..options import (
    AsOfOpt,
    DataOpt,
    ForceOpt,
    OutputOpt,
    ShiftOpt,
    TaskOpt,
    UnitOpt,
    context,
    format_option,
    one_unit,
)
from ..output import check_format, choices, show

EXPLAIN_FORMATS = choices({"document", "records"})
CALENDAR_FORMATS = choices({"document", "records", "calendar"})


def explain(
    phrase: Annotated[str, typer.Argument(help="完成时限的文字，如 每季度之后10日内完成。", show_default=False)],
    as_of: AsOfOpt = None,
    year: Annotated[Optional[int], typer.Option(
        "--year", help="没写年份的日期（6月底前、年底前）属于哪一年；默认为清单有效期开始的年份。",
        show_default=False)] = None,
    count: Annotated[int, typer.Option("--next", help="列出之后几个到期日。", min=1, max=100)] = 6,
    fmt: Annotated[str, format_option(EXPLAIN_FORMATS)] = "table",
    holiday_shift: ShiftOpt = None,
    data: DataOpt = None,
) -> None:
    """说明 fupin 如何理解一段完成时限（每条规则出自哪几个字），并列出之后的到期日。Explain a deadline phrase.

    它解释文字，不看清单：--as-of 可以是任何一天。
    例：fupin explain 每季度之后10日内完成 --as-of 2018-07-01
    例：fupin explain 年报于次年二月底前报送 --year 2023 --as-of 2023-01-01
    """
    from ...app.explain import explain_phrase
    from ...app.inputs import parse_user_date
    from ...output.views import explain_document

    check_format(fmt, EXPLAIN_FORMATS)
    ctx = context(data=data, holiday_shift=holiday_shift)
    plan = ctx.plan
    if year is not None and not 1900 <= year <= 2100:
        raise UsageError(f"--year {year} 超出范围（1900–2100）", subject="year")
    if as_of is not None:
        today = parse_user_date(as_of, "--as-of")
    elif os.environ.get("FUPIN_TODAY"):
        today = parse_user_date(os.environ["FUPIN_TODAY"], "FUPIN_TODAY")
    else:
        today = ctx.now().astimezone(ctx.tz).date()
    if not 1900 <= today.year <= 2100:
        raise UsageError(f"--as-of {today} 超出范围（1900–2100年）", subject="as_of")
    result = explain_phrase(phrase, year if year is not None else plan.valid_from.year, today,
                            plan.settings, ctx.calendar, count)
    show(View(document=lambda: explain_document(result), records=lambda: result), fmt)
    ctx.finish()


def calendar_window(month: Optional[str], start: Optional[date], end: Optional[date],
                    today: date) -> tuple[date, date]:
    """The window a calendar shows: --month, or --from/--to, or the month of today."""
    if month is not None:
        if start or end:
            raise UsageError("--month 不能与 --from/--to 同时使用", subject="month")
        try:
            year, number = (int(part) for part in month.strip().split("-"))
            first = date(year, number, 1)
        except ValueError:
            raise UsageError(f"--month 的值 “{month}” 应写成 YYYY-MM，如 2018-07", subject="month") from None
        if not 1900 <= year <= 2100:
            raise UsageError(f"--month 的值 “{month}” 超出可用范围（1900 年至 2100 年）", subject="month")
        return first, date(year, number, months.monthrange(year, number)[1])
    first = start or today.replace(day=1)
    last = end or (date(first.year, first.month, months.monthrange(first.year, first.month)[1]) if not start
                   else first + timedelta(days=30))
    if last < first:
        raise UsageError(f"--to {last} 早于 --from {first}", subject="to")
    return first, last


def calendar(
    unit: UnitOpt = None,
    task: TaskOpt = None,
    start: Annotated[Optional[str], typer.Option("--from", help="起始日期（含）。", show_default=False)] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="结束日期（含）。", show_default=False)] = None,
    month: Annotated[Optional[str], typer.Option("--month", "-m", help="某个月（YYYY-MM），并显示月历。",
                                                 show_default=False)] = None,
    fmt: Annotated[str, format_option(CALENDAR_FORMATS)] = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    data: DataOpt = None,
) -> None:
    """列出某段时间内到期的事项（默认为本月），每项任务、期间、单位一行。Deadlines in a window.

    例：fupin calendar --month 2018-07 --unit 市民政局
    """
    from ...app.inputs import parse_user_date
    from ...app.lookup import find_task
    from ...domain.obligations import Scope
    from ...output import views
    from ...reports.calendar import calendar_rows

    check_format(fmt, CALENDAR_FORMATS)
    ctx = context(data=data, as_of=as_of, holiday_shift=holiday_shift)
    plan = ctx.plan
    name = one_unit(ctx, unit)
    task_id = find_task(plan, task).id if task else None
    window_start, window_end = calendar_window(
        month, parse_user_date(start, "--from") if start else None,
        parse_user_date(end, "--to") if end else None, ctx.today)
    rows = calendar_rows(ctx.timetable, window_start, window_end, Scope.for_unit(plan.units, name), task_id)
    title = f"{plan.title}：到期日历"
    lines = [f"{window_start} 至 {window_end}，共 {len(rows)} 项" + (f"；责任单位：{name}" if name else "")]

    def document():
        found = views.calendar_document(title, lines, rows)
        if month and fmt == "table":
            found.tables.insert(0, views.month_grid(window_start, rows, ctx.calendar))
        return found

    show(View(document=document, records=lambda: [views.calendar_record(r) for r in rows],
              calendar=lambda: (plan, rows)), fmt, output, force)
    ctx.finish()


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("explain")(explain)
    app.command("calendar")(calendar)
