"""Commands that keep the rest of the 台账: progress, extend, waive."""

from typing import Annotated, Optional

import typer

from ...output.document import Document
from ...output.formats import View
from ..options import (
    PERIOD_HELP,
    AsOfOpt,
    ByOpt,
    Count,
    DataOpt,
    DateValue,
    JournalOpt,
    PeriodValue,
    PlanOpt,
    TaskId,
    Text,
    UnitName,
    context,
    format_option,
    one_unit,
    read_date,
)
from ..output import choices, show

RECORD_FORMATS = choices({"document", "records"}, exclude=("csv", "markdown", "html", "xlsx", "docx"))
PERCENT = Count(0, 100, metavar="百分比", refusal="应是 0 到 100 之间的整数（完成百分比），而不是 {value}")

TaskArg = Annotated[str, typer.Argument(click_type=TaskId(), metavar="任务编号", show_default=False,
                                        help="任务编号，如 5.1；两个清单有同一编号时写 清单名:编号。")]
OneUnitOpt = Annotated[list[str], typer.Option(
    "--unit", "-u", click_type=UnitName(leaves_only=True), show_default=False,
    help="责任单位：全称、简称或拼音；单位组（如 各区（县））要写明是哪个成员。")]
NoteOpt = Annotated[str, typer.Option("--note", click_type=Text("备注"), show_default=False, help="备注。")]
ApprovedByOpt = Annotated[str, typer.Option("--approved-by", click_type=Text("姓名"), show_default=False,
                                            help="批准人，如 市扶贫办 李主任。")]
FormatOpt = Annotated[str, format_option(RECORD_FORMATS)]


def _period(ctx, text: Optional[str]) -> Optional[str]:
    from ...app.inputs import read_period

    return read_period(text, "--period", today=ctx.today) if text is not None else None


def _say(title: str, record: dict, fmt: str) -> None:
    message = Document(title=title, lines=[f"记录号：{record['id']}"])
    show(View(document=lambda: message, records=lambda: record), fmt)


def progress(
    task: TaskArg,
    unit: OneUnitOpt,
    done: Annotated[str, typer.Option("--done", click_type=Text("文字"), show_default=False,
                                      help="进展情况：做了什么。")],
    problem: Annotated[str, typer.Option("--problem", click_type=Text("文字"), show_default=False,
                                         help="存在问题。")] = "",
    next_step: Annotated[str, typer.Option("--next", click_type=Text("文字"), show_default=False,
                                           help="下步计划。")] = "",
    percent: Annotated[Optional[int], typer.Option("--percent", click_type=PERCENT, show_default=False,
                                                   help="完成百分比，0 到 100。")] = None,
    period: Annotated[Optional[str], typer.Option(
        "--period", "-p", click_type=PeriodValue(), show_default=False,
        help=f"期间；默认：长期性任务为报送日期所在的期间，其他为最早的未完成期间。{PERIOD_HELP}。")] = None,
    on: Annotated[Optional[str], typer.Option(
        "--date", "-d", click_type=DateValue(), show_default=False,
        help="报送日期；默认今天（--as-of）。写法同 --as-of。")] = None,
    by: ByOpt = "",
    note: NoteOpt = "",
    fmt: FormatOpt = "table",
    as_of: AsOfOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """报送一次进展：进展情况、存在问题、下步计划、完成百分比。Report progress.

    例：fupin progress 2.3 --unit 金平区 --done 已走访 120 户 --problem 人手不足 --next 下周完成 --percent 60
    """
    from ...app.ledger import record_progress

    ctx = context(data=data, journal=journal, as_of=as_of, plan=plan_key, reads_ledger=True)
    name = one_unit(ctx, unit)
    day = read_date(ctx, on, "--date")
    label = _period(ctx, period)
    reported = record_progress(ctx, task, name, label, day, done=done, problem=problem, next_step=next_step,
                               percent=percent, by=by, note=note)
    found = reported.duty
    record = reported.record
    share = f"，完成 {record['percent']}%" if record["percent"] is not None else ""
    _say(f"已记进展：任务 {ctx.folder_plans.task_ref(found.task)}，{found.unit}，期间 {found.occurrence.period}，"
         f"{record['date']}{share}。", record, fmt)
    ctx.finish()


def extend(
    task: TaskArg,
    unit: OneUnitOpt,
    period: Annotated[str, typer.Option("--period", "-p", click_type=PeriodValue(), show_default=False,
                                        help=f"延期的期间。{PERIOD_HELP}。")],
    until: Annotated[str, typer.Option("--until", click_type=DateValue(), show_default=False,
                                       help="批准延期至哪一天；须晚于现在的应完成日。写法同 --as-of。")],
    reason: Annotated[str, typer.Option("--reason", "-r", click_type=Text("原因"), show_default=False,
                                        help="延期原因。")],
    approved_by: ApprovedByOpt,
    approved_on: Annotated[Optional[str], typer.Option(
        "--approved-on", click_type=DateValue(), show_default=False, help="批准日期；写法同 --as-of。")] = None,
    late: Annotated[bool, typer.Option(
        "--late", help="应完成日已过才申请的延期也照记（记录中注明 late）。")] = False,
    by: ByOpt = "",
    note: NoteOpt = "",
    fmt: FormatOpt = "table",
    as_of: AsOfOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """记录一次经批准的延期：原应完成日保留，事项按新日期计，显示为延期中。Record an approved extension.

    例：fupin extend 8.2 --unit 市残联 --period 2018-07 --until 2018-08-31 --reason 数据核对 --approved-by 李主任
    """
    from ...app.ledger import record_extension

    ctx = context(data=data, journal=journal, as_of=as_of, plan=plan_key, reads_ledger=True)
    name = one_unit(ctx, unit)
    new_date = read_date(ctx, until, "--until")
    approved = read_date(ctx, approved_on, "--approved-on")
    label = _period(ctx, period)
    extended = record_extension(ctx, task, name, label, new_date, reason=reason, approved_by=approved_by,
                                approved_on=approved, late=late, by=by, note=note)
    found = extended.duty
    late_words = "（到期后申请，已注明）" if extended.late else ""
    _say(f"已记延期：任务 {ctx.folder_plans.task_ref(found.task)}，{found.unit}，期间 {found.occurrence.period}，"
         f"应完成日 {extended.due_before} → {extended.until}{late_words}；第 {len(found.mark.extensions) + 1} 次延期。",
         extended.record, fmt)
    ctx.finish()


def waive(
    task: TaskArg,
    unit: OneUnitOpt,
    reason: Annotated[str, typer.Option("--reason", "-r", click_type=Text("原因"), show_default=False,
                                        help="原因，如 不适用：本区无此类对象；或 终止：任务已调整。")],
    approved_by: ApprovedByOpt,
    period: Annotated[Optional[str], typer.Option(
        "--period", "-p", click_type=PeriodValue(), show_default=False,
        help=f"免于考核的期间（或用 --all-periods）。{PERIOD_HELP}。")] = None,
    all_periods: Annotated[bool, typer.Option(
        "--all-periods", help="免除这项任务对这个单位的全部期间（已完成的期间照旧算完成）。")] = False,
    by: ByOpt = "",
    note: NoteOpt = "",
    fmt: FormatOpt = "table",
    as_of: AsOfOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """免于考核 / 终止：事项不再计入应完成和完成率，显示为免于考核及其原因。Exempt an obligation.

    例：fupin waive 5.1 --unit 南澳县 --period 2018-07 --reason 不适用：本县无此类对象 --approved-by 李主任
    """
    from ...app.ledger import record_waiver

    ctx = context(data=data, journal=journal, as_of=as_of, plan=plan_key, reads_ledger=True)
    name = one_unit(ctx, unit)
    label = _period(ctx, period)
    waived = record_waiver(ctx, task, name, label, all_periods=all_periods, reason=reason,
                           approved_by=approved_by, by=by, note=note)
    which = "全部期间" if all_periods else f"期间 {waived.period}"
    _say(f"已记免于考核：任务 {ctx.folder_plans.task_ref(waived.task)}，{waived.unit}，{which}；"
         f"原因：{waived.record['reason']}。", waived.record, fmt)
    ctx.finish()


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("progress")(progress)
    app.command("extend")(extend)
    app.command("waive")(waive)
