"""The report commands: due, overdue, report weekly / monthly / quarterly / notice."""

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from ...domain.errors import UsageError
from ...output.formats import View, choose_format
from ..options import (
    WITHIN_LIMIT,
    AsOfOpt,
    CategoryOpt,
    Choice,
    Count,
    DataOpt,
    ExitCodeOpt,
    ForceOpt,
    JournalOpt,
    MonthValue,
    OutputOpt,
    PathValue,
    PeriodValue,
    PlanOpt,
    ShiftOpt,
    UnitsOpt,
    check_category,
    context,
    format_option,
    scope_of,
    units_of,
)
from ..closing import finish_report
from ..output import choices, emit, show

REPORT_FORMATS = choices({"document", "records"})
NOTICE_FILE_FORMATS = tuple(f for f in REPORT_FORMATS if f != "table")

_SORT_HELP = "排序：official（官方顺序：单位按 units.yaml，任务按清单；默认）、due（应完成日）、overdue（逾期最久的在前）、name（单位名称拼音）。"
SORTS = ("official", "due", "overdue", "name")  # reports.order.SORTS, named here to keep start-up light
SortOpt = Annotated[str, typer.Option("--sort", click_type=Choice(SORTS, "顺序"), help=_SORT_HELP,
                                      show_default=False)]
WithinOpt = Annotated[Optional[int], typer.Option(
    "--within", click_type=Count(0, WITHIN_LIMIT), show_default=False,
    help=f"列出几天内到期的事项（0 到 {WITHIN_LIMIT}）；默认为计划的预警天数。")]
WideOpt = Annotated[bool, typer.Option("--wide", help="终端中显示全部列和全文，不省略（默认窄于 100 列时截断较长文字）。")]
FormatOpt = Annotated[Optional[str], format_option(REPORT_FORMATS)]
ByOpt = Annotated[Optional[str], typer.Option(
    "--by", click_type=Choice(("task", "unit"), "编排", {"task": "按任务和期间汇总", "unit": "按单位分节"}), help="清单的编排：task（按任务和期间汇总，未完成单位列在一格；全市报表默认）或 unit（按单位分节；--unit 时默认）。",
    show_default=False)]


def _report_scope(ctx, unit: Optional[list[str]], category: Optional[str] = None):
    """(the one unit a report is for or None, units named, Scope).

    A report is laid out for one unit when exactly one is named; several (--unit given more than once)
    are looked at together, like the whole city.
    """
    names = units_of(ctx, unit)
    scope = scope_of(ctx, names, check_category(ctx, category))
    return (names[0] if len(names) == 1 else None), names, scope


def _title_units(names: list[str]) -> str:
    return f"（{'、'.join(names)}）" if names else ""


def _sort(value: str) -> str:
    from ...reports.order import SORTS

    if value not in SORTS:
        raise UsageError(f"--sort 的值 “{value}” 无效，可选：{'、'.join(SORTS)}", subject="sort")
    return value


def _by(value: Optional[str]) -> Optional[bool]:
    if value is None:
        return None
    if value not in ("task", "unit"):
        raise UsageError(f"--by 的值 “{value}” 无效，可选：task、unit", subject="by")
    return value == "unit"


def _finish_report(ctx, exit_code: bool, overdue: int, *, named: bool = False) -> None:
    """``named``: the report's period was named outright (--month, --quarter), so today is not in question."""
    finish_report(ctx, exit_code=exit_code, overdue=overdue, named=named)


def _period_timetable(ctx, kind: str, first: Optional[date]):
    """The timetable of a monthly or quarterly report: the plans reported on its last day (or today, if earlier)."""
    if first is None:
        return ctx.timetable
    from ...reports.period import bounds

    day = min(ctx.today, bounds(kind, first)[1])
    return ctx.timetable_of(ctx.plans.reported_on(day))


def _rows_view(title: str, lines: list[str], rows, grouped: bool, empty: str, show_plan: bool) -> View:
    """A due or overdue list: its Document for people, its records for scripts (each module imported only
    when its format is asked for)."""

    def document():
        from ...output.views import rows_document

        return rows_document(title, lines, rows, group_by_unit=grouped, empty=empty, show_plan=show_plan)

    def records():
        from ...output.records import row_records

        return row_records(rows)

    return View(document=document, records=records)


def due(
    unit: UnitsOpt = None,
    within: WithinOpt = None,
    category: CategoryOpt = None,
    sort: SortOpt = "official",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    wide: WideOpt = False,
    exit_code: ExitCodeOpt = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """本单位欠什么、什么已逾期：列出逾期和即将到期的未完成事项，按单位和清单顺序。What is due and late.

    例：fupin due --unit 市民政局 --as-of 2018-07-15
    """
    from ...reports.due import due_rows
    from ...reports.order import units_together

    fmt = choose_format(fmt, output, REPORT_FORMATS)
    sort = _sort(sort)
    ctx = context(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift, plan=plan_key,
                  reads_ledger=True)
    name, names, scope = _report_scope(ctx, unit, category)
    plan = ctx.timetable.plan  # the plans reported today, as one
    days = plan.settings.warn_days if within is None else within
    rows = due_rows(ctx.timetable, ctx.standing(), scope, days, sort=sort)
    grouped = name is None or plan.units[name].is_group
    if grouped:
        rows = units_together(rows, sort)  # each unit once, however sorted
    overdue = sum(r.status == "overdue" for r in rows)
    feedback = sum(r.status == "feedback_overdue" for r in rows)
    title = f"{plan.title}：到期与逾期事项" + _title_units(names)
    lines = [f"截至 {ctx.today}：逾期 {overdue} 项，{days} 天内到期 {len(rows) - overdue - feedback} 项"
             + (f"，反馈逾期 {feedback} 项" if feedback else "")]
    show(_rows_view(title, lines, rows, grouped, "没有逾期或即将到期的事项", len(ctx.reported_plans) > 1), fmt,
         output, force, wide=wide)
    _finish_report(ctx, exit_code, overdue)


def overdue(
    unit: UnitsOpt = None,
    category: CategoryOpt = None,
    sort: SortOpt = "official",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    wide: WideOpt = False,
    exit_code: ExitCodeOpt = False,
    include_feedback: Annotated[bool, typer.Option(
        "--include-feedback", help="也列出反馈逾期的事项：设了 progress_every、进展报送已超过周期的。")] = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """只列逾期未完成的事项，按单位分组并计数。Only what is overdue.

    例：fupin overdue --format json --exit-code
    """
    from ...reports.due import overdue_rows
    from ...reports.order import units_together

    fmt = choose_format(fmt, output, REPORT_FORMATS)
    sort = _sort(sort)
    ctx = context(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift, plan=plan_key,
                  reads_ledger=True)
    name, names, scope = _report_scope(ctx, unit, category)
    plan = ctx.timetable.plan
    rows = units_together(overdue_rows(ctx.timetable, ctx.standing(), scope, sort=sort,
                                       include_feedback=include_feedback), sort)
    units = len({r.unit for r in rows})
    late = sum(r.status == "overdue" for r in rows)
    title = f"{plan.title}：逾期未完成事项" + _title_units(names)
    lines = [f"截至 {ctx.today}：{units} 个单位共逾期 {late} 项"
             + (f"，反馈逾期 {len(rows) - late} 项" if include_feedback else "")]
    show(_rows_view(title, lines, rows, True, "没有逾期事项", len(ctx.reported_plans) > 1), fmt, output, force,
         wide=wide)
    _finish_report(ctx, exit_code, late)


def _show_period(ctx, report, fmt, output, force, wide, by, sort, exit_code, timetable=None, named=False,
                 chases=()) -> None:
    from ...output import views

    plan = (timetable or ctx.timetable).plan
    chases = list(chases)

    def record():
        found = views.period_record(report)
        return found | {"reminders": views.reminders_record(chases)} if chases else found

    show(View(document=lambda: views.with_reminders(views.period_document(report, plan, by_unit=_by(by), sort=sort),
                                                    chases),
              detail=lambda: views.with_reminders(views.period_detail_document(report), chases),
              records=record), fmt, output, force, wide=wide)
    _finish_report(ctx, exit_code, len(report.overdue), named=named)


def report_weekly(
    unit: UnitsOpt = None,
    category: CategoryOpt = None,
    by: ByOpt = None,
    sort: SortOpt = "official",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    wide: WideOpt = False,
    exit_code: ExitCodeOpt = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """督办周报：各单位完成情况（排名、合计、与上周比较），逾期未完成、本周到期、下周到期、本周已完成。Weekly report.

    例：fupin report weekly --as-of 2018-07-16 --output 周报.html
    """
    from ...reports.weekly import weekly_report

    fmt = choose_format(fmt, output, REPORT_FORMATS)
    sort = _sort(sort)
    _by(by)
    ctx = context(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift, plan=plan_key,
                  reads_ledger=True)
    name, _names, scope = _report_scope(ctx, unit, category)
    report = weekly_report(ctx.timetable, ctx.standing(), scope, unit=name, sort=sort)
    _show_period(ctx, report, fmt, output, force, wide, by, sort, exit_code, chases=_chases(ctx, report))


def _chases(ctx, report) -> list[dict]:
    """催办 N 次 of each overdue item of ``report`` that was chased (issue 17; empty without reminders)."""
    from ...app.chases import journal_chase_days, overdue_chases

    days = journal_chase_days(ctx.store, ctx.folder_plans.first.key)
    return overdue_chases(report.overdue, days, ctx.today) if days else []


def report_monthly(
    month: Annotated[Optional[str], typer.Option("--month", "-m", click_type=MonthValue(), show_default=False,
                                                 help="哪个月，如 2018-07、2018年7月、7月、上月；默认为本月。")] = None,
    unit: UnitsOpt = None,
    category: CategoryOpt = None,
    by: ByOpt = None,
    sort: SortOpt = "official",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    wide: WideOpt = False,
    exit_code: ExitCodeOpt = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """督办月报：本月各单位完成情况（与上月比较）、完成率按周走势、逾期未完成、本月到期、下月到期、本月已完成。Monthly report.

    例：fupin report monthly --month 2018-06 --output 月报.docx
    """
    from ...app.inputs import read_month
    from ...reports.monthly import monthly_report

    fmt = choose_format(fmt, output, REPORT_FORMATS)
    sort = _sort(sort)
    _by(by)
    ctx = context(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift, plan=plan_key,
                  reads_ledger=True)
    first = date(*read_month(month, "--month", today=ctx.today), 1) if month is not None else None
    name, _names, scope = _report_scope(ctx, unit, category)
    timetable = _period_timetable(ctx, "month", first)
    report = monthly_report(timetable, ctx.standing().ledger, ctx.today, first, scope, unit=name, sort=sort)
    _show_period(ctx, report, fmt, output, force, wide, by, sort, exit_code, timetable, named=first is not None)


def report_quarterly(
    quarter: Annotated[Optional[str], typer.Option(
        "--quarter", "-q", click_type=PeriodValue(), show_default=False,
        help="哪个季度，如 2018-Q3、2018年第三季度、三季度、上季度；默认为本季度。")] = None,
    unit: UnitsOpt = None,
    category: CategoryOpt = None,
    by: ByOpt = None,
    sort: SortOpt = "official",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    wide: WideOpt = False,
    exit_code: ExitCodeOpt = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """督办季报：本季度各单位完成情况（与上季度比较）、完成率按周走势、逾期未完成、本季度到期、下季度到期、本季度已完成。Quarterly report.

    例：fupin report quarterly --quarter 2018-Q2 --output 季报.xlsx
    """
    from ...app.inputs import read_quarter
    from ...reports.quarterly import quarterly_report

    fmt = choose_format(fmt, output, REPORT_FORMATS)
    sort = _sort(sort)
    _by(by)
    ctx = context(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift, plan=plan_key,
                  reads_ledger=True)
    first = read_quarter(quarter, "--quarter", today=ctx.today) if quarter is not None else None
    name, _names, scope = _report_scope(ctx, unit, category)
    timetable = _period_timetable(ctx, "quarter", first)
    report = quarterly_report(timetable, ctx.standing().ledger, ctx.today, first, scope, unit=name, sort=sort)
    _show_period(ctx, report, fmt, output, force, wide, by, sort, exit_code, timetable, named=first is not None)


_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def notice_file_name(unit: str, as_of: date, fmt: str) -> str:
    """督办通知单-市民政局-20180716.html: what a clerk would name it, nothing a file system refuses."""
    from ...domain.text import terminal_safe
    from ...output.formats import FORMATS

    safe = _UNSAFE_IN_FILE_NAMES.sub("_", terminal_safe(unit)).strip(" .") or "单位"
    suffix = FORMATS[fmt].suffixes[0] if FORMATS[fmt].suffixes else f".{fmt}"
    return f"督办通知单-{safe}-{as_of:%Y%m%d}{suffix}"


def report_notice(
    unit: UnitsOpt = None,
    each_unit: Annotated[bool, typer.Option("--each-unit", help="为每个有逾期或即将到期事项的单位各出一份。")] = False,
    output_dir: Annotated[Optional[Path], typer.Option(
        "--output-dir", click_type=PathValue(folder=True, metavar="文件夹", creates=True), help="与 --each-unit 同用：每个单位写一个文件到这个文件夹（默认 HTML，可 --format docx）。",
        show_default=False)] = None,
    within: WithinOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    wide: WideOpt = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """督办通知单：每个单位一页，列出逾期和即将到期的事项及其完成时限原文，留签发、签收位置。Notices to units.

    例：fupin report notice --unit 市民政局 --output 通知单.docx
        fupin report notice --each-unit --output-dir 通知单 --format docx
    """
    from ...output import views
    from ...output.formats import FORMATS, Target
    from ...reports.notice import Notices, unit_notices

    ctx = context(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift, plan=plan_key,
                  reads_ledger=True)
    if not unit and not each_unit:
        raise UsageError("请用 --unit 指定单位，或用 --each-unit 为每个单位各出一份", subject="unit")
    if unit and each_unit:
        raise UsageError("--unit 与 --each-unit 只能选一个", subject="unit")
    if output_dir is not None and not each_unit:
        raise UsageError("--output-dir 需与 --each-unit 同用（一个单位用 --output）", subject="output_dir")
    if output_dir is not None and output is not None:
        raise UsageError("--output 与 --output-dir 只能选一个", subject="output_dir")
    if output_dir is not None:
        fmt = fmt or "html"
        if fmt not in NOTICE_FILE_FORMATS:
            raise UsageError(f"--format 的值 “{fmt}” 无效，可选：{'、'.join(NOTICE_FILE_FORMATS)}", subject="format")
    else:
        fmt = choose_format(fmt, output, REPORT_FORMATS)
    plan = ctx.timetable.plan
    names = units_of(ctx, unit)
    leaves = list(dict.fromkeys(leaf for name in names for leaf in plan.units.leaves(name)))
    single = len(names) == 1 and not plan.units[names[0]].is_group
    found = unit_notices(ctx.timetable, ctx.standing(), leaves if single else None, within)
    if names and not single:  # a group, or several units: a notice for each of their members with something due
        members = set(leaves)
        found.notices = [n for n in found.notices if n.unit in members]
    if not found.notices:
        ctx.warn(f"截至 {ctx.today} 没有单位有逾期或即将到期的事项，未生成通知单")
        finish_report(ctx)
        return
    if output_dir is None:
        show(View(document=lambda: views.notices_document(found), records=lambda: views.notices_record(found)),
             fmt, output, force, wide=wide)
        finish_report(ctx)
        return
    if output_dir.exists() and not output_dir.is_dir():
        raise UsageError(f"--output-dir {output_dir} 不是文件夹", subject="output_dir")
    targets = [(notice, output_dir / notice_file_name(notice.unit, found.as_of, fmt)) for notice in found.notices]
    taken = [str(path) for _, path in targets if path.exists() or path.is_symlink()]
    if taken and not force:
        raise UsageError(f"这些文件已存在：{'、'.join(taken[:3])}{' 等' if len(taken) > 3 else ''}（如要覆盖，加 --force）",
                         subject="output_dir")
    output_dir.mkdir(parents=True, exist_ok=True)
    for index, (notice, path) in enumerate(targets, start=1):
        one = Notices(found.title, found.doc_no, found.issuer, found.as_of, found.within, [notice], found.deadlines,
                      found.order, found.plans)
        view = View(document=lambda one=one, index=index: views.notices_document(one, first_number=index),
                    records=lambda one=one, index=index: views.notices_record(one, first_number=index))
        emit(FORMATS[fmt].render(view, Target(terminal=False)), path, force)
    finish_report(ctx)


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("due")(due)
    app.command("overdue")(overdue)
    report_app.command("weekly")(report_weekly)
    report_app.command("monthly")(report_monthly)
    report_app.command("quarterly")(report_quarterly)
    report_app.command("notice")(report_notice)
