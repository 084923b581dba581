"""Commands about deadlines: explain, calendar."""

import calendar as months
import os
from datetime import date, timedelta
from typing import Annotated, Optional

import typer

from ...domain.errors import UsageError
from ...output.formats import View
from ..options import (
    YEAR,
    FupinType,
    AsOfOpt,
    CategoryOpt,
    Count,
    DataOpt,
    DateValue,
    ForceOpt,
    MonthValue,
    OutputOpt,
    PlanOpt,
    ShiftOpt,
    TaskOpt,
    Text,
    UnitsOpt,
    check_category,
    context,
    format_option,
    read_date,
    scope_of,
    units_of,
)
from ..closing import finish_report
from ..output import choices, show

MARGIN_DAYS = 366  # how far before and after the plan a calendar may look
ALARM_LIMIT = 60  # days before a due date an ics alarm may go off
EXPLAIN_FORMATS = choices({"document", "records"})
CALENDAR_FORMATS = choices({"document", "records", "calendar"})


def explain(
    phrase: Annotated[str, typer.Argument(click_type=Text("完成时限"), metavar="完成时限", show_default=False,
                                          help="完成时限的文字，如 每季度之后10日内完成。")],
    as_of: AsOfOpt = None,
    year: Annotated[Optional[int], typer.Option(
        "--year", click_type=YEAR, show_default=False,
        help="没写年份的日期（6月底前、年底前）属于哪一年；默认为清单有效期开始的年份。")] = None,
    count: Annotated[int, typer.Option("--next", click_type=Count(1, 100, metavar="个数"),
                                       help="列出之后几个到期日（1 到 100）。")] = 6,
    fmt: Annotated[str, format_option(EXPLAIN_FORMATS)] = "table",
    holiday_shift: ShiftOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
) -> None:
    """说明 fupin 如何理解一段完成时限（每条规则出自哪几个字），并列出之后的到期日。Explain a deadline phrase.

    它解释文字，不看清单：--as-of 可以是任何一天。
    例：fupin explain 每季度之后10日内完成 --as-of 2018-07-01
    例：fupin explain 年报于次年二月底前报送 --year 2023 --as-of 2023-01-01
    """
    from ...app.explain import explain_phrase
    from ...app.inputs import read_date as read_day
    from ...output.views import explain_document

    ctx = context(data=data, holiday_shift=holiday_shift, plan=plan_key)
    # Words are explained on any day, not only within the plan: --as-of is read but not bounded to it.
    typed, source = (as_of, "--as-of") if as_of is not None else (os.environ.get("FUPIN_TODAY"), "FUPIN_TODAY")

    def real_today():
        return ctx.now().astimezone(ctx.tz).date()

    today = read_day(typed, source, today=real_today) if typed else real_today()
    plan = ctx.plan_in_force(today)
    result = explain_phrase(phrase, year if year is not None else plan.valid_from.year, today,
                            plan.settings, ctx.calendar_for(plan), count)
    show(View(document=lambda: explain_document(result), records=lambda: result), fmt)
    ctx.finish()


def calendar_window(ctx, month: Optional[str], start: Optional[str], end: Optional[str]) -> tuple[date, date]:
    """The window a calendar shows: --month, or --from/--to, or the month of today.

    Bounded to the plans' windows and a year either side, so no typed date can
    ask for centuries of deadlines.
    """
    from ...app.context import windows_text
    from ...app.inputs import read_month

    today, plan = ctx.today, ctx.plans.view(tuple(ctx.plans))
    if month is not None:
        if start or end:
            raise UsageError("--month 不能与 --from/--to 同时使用", subject="month")
        year, number = read_month(month, "--month", today=today)
        first, last = date(year, number, 1), date(year, number, months.monthrange(year, number)[1])
    else:
        first = read_date(ctx, start, "--from") or today.replace(day=1)
        last = read_date(ctx, end, "--to") or (
            date(first.year, first.month, months.monthrange(first.year, first.month)[1]) if not start
            else first + timedelta(days=30))
        if last < first:
            raise UsageError(f"--to {last} 早于 --from {first}", subject="to")
    low, high = plan.valid_from - timedelta(days=MARGIN_DAYS), plan.valid_to + timedelta(days=MARGIN_DAYS)
    named = month is not None or start is not None or end is not None  # today's month needs no bound
    if named and (first < low or last > high):
        what = "--month" if month is not None else ("--from" if first < low else "--to")
        raise UsageError(f"{what}：{first} 至 {last} 超出可查询的范围 {low} 至 {high}"
                         f"（任务清单有效期 {windows_text(ctx.plans)}，前后各一年）", subject="month")
    return first, last


class AlarmDays(FupinType):
    """``3d,1d``: how many days before each due date calendar apps remind (0 = the day itself)."""

    kind = "text"
    metavar = "提前天数"

    def convert(self, value, param, ctx):
        import re

        if isinstance(value, tuple):
            return value
        parts = [p.strip() for p in re.split(r"[,，、\s]+", str(value)) if p.strip()]
        days = []
        for part in parts:
            found = re.fullmatch(r"(\d{1,3})\s*(?:d|D|天)?", part)
            if found is None or int(found.group(1)) > ALARM_LIMIT:
                raise UsageError(f"--alarm 的值 “{value}” 无效：写作 3d,1d（到期前几天提醒，0 到 {ALARM_LIMIT}，"
                                 f"0d 为到期当天；每次在当天 9 时提醒）", subject="alarm")
            days.append(int(found.group(1)))
        if not days:
            raise UsageError("--alarm 不能为空；写作 3d,1d", subject="alarm")
        return tuple(sorted(set(days), reverse=True))


def calendar(
    unit: UnitsOpt = None,
    task: TaskOpt = None,
    category: CategoryOpt = None,
    start: Annotated[Optional[str], typer.Option("--from", click_type=DateValue(), show_default=False,
                                                 help="起始日期（含）；写法同 --as-of。")] = None,
    end: Annotated[Optional[str], typer.Option("--to", click_type=DateValue(), show_default=False,
                                               help="结束日期（含）；写法同 --as-of。")] = None,
    month: Annotated[Optional[str], typer.Option("--month", "-m", click_type=MonthValue(), show_default=False,
                                                 help="某个月，并显示月历：2018-07、2018年7月、7月、本月、上月。")] = None,
    fmt: Annotated[str, format_option(CALENDAR_FORMATS)] = "table",
    alarm: Annotated[Optional[str], typer.Option(
        "--alarm", click_type=AlarmDays(), show_default=False,
        help=f"与 --format ics 同用：到期前几天由日历软件提醒，如 3d,1d（0 到 {ALARM_LIMIT} 天，"
             f"0d 为当天；在当天 9 时提醒）。")] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
) -> None:
    """列出某段时间内到期的事项（默认为本月），每项任务、期间、单位一行。Deadlines in a window.

    例：fupin calendar --month 2018-07 --unit 市民政局

    例：fupin calendar --from 2018-07-01 --to 2018-12-31 --format ics --alarm 3d,1d --output 到期.ics
    """
    from ...app.lookup import find_task
    from ...output import views
    from ...reports.calendar import calendar_rows

    ctx = context(data=data, as_of=as_of, holiday_shift=holiday_shift, plan=plan_key)
    if alarm is not None and fmt != "ics":
        raise UsageError("--alarm 需与 --format ics 同用（提醒由日历软件发出）", subject="alarm")
    alarms = AlarmDays().convert(alarm, None, None) if alarm is not None else ()
    plans = ctx.plans
    names = units_of(ctx, unit)
    chosen = find_task(plans, task) if task else None
    window_start, window_end = calendar_window(ctx, month, start, end)
    # Every plan: each gives only the occurrences due in the window, whatever today is.
    timetable = ctx.timetable_of(tuple(plans))
    plan = timetable.plan
    rows = calendar_rows(timetable, window_start, window_end,
                         scope_of(ctx, names, check_category(ctx, category)), chosen)
    name = "、".join(names)
    title = f"{plan.title}：到期日历"
    lines = [f"{window_start} 至 {window_end}，共 {len(rows)} 项" + (f"；责任单位：{name}" if name else "")]

    def document():
        found = views.calendar_document(title, lines, rows, show_plan=len(plans) > 1)
        if month and fmt == "table":
            found.tables.insert(0, views.month_grid(window_start, rows, ctx.calendar))
        return found

    show(View(document=document, records=lambda: [views.calendar_record(r) for r in rows],
              calendar=lambda: (plan, rows, alarms)), fmt, output, force)
    # A window named outright (--month, --from) is not in question; the month of today is.
    finish_report(ctx, named=bool(month or start))


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("explain")(explain)
    app.command("calendar")(calendar)
