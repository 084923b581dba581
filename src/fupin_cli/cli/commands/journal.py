"""Commands that write or read the 台账: done, undo, journal."""

from typing import Annotated, Optional

import typer

from ...domain.errors import UsageError
from ...domain.text import terminal_safe
from ...output.document import Document
from ...output.formats import View
from ..options import (
    PERIOD_HELP,
    AsOfOpt,
    ByOpt,
    DataOpt,
    DateValue,
    EntryId,
    EvidenceValue,
    ForceOpt,
    JournalOpt,
    OutputOpt,
    PeriodValue,
    TaskId,
    PlanOpt,
    TaskOpt,
    Text,
    UnitName,
    UnitsOpt,
    context,
    format_option,
    one_unit,
    read_date,
    units_of,
)
from ..output import choices, show

RECORD_FORMATS = choices({"document", "records"}, exclude=("csv", "markdown", "html", "xlsx", "docx"))
JOURNAL_FORMATS = choices({"document", "records"})


def done(
    task: Annotated[str, typer.Argument(click_type=TaskId(), metavar="任务编号", show_default=False,
                                        help="任务编号，如 5.1；两个清单有同一编号时写 清单名:编号，如 2019:5.1。")],
    unit: Annotated[list[str], typer.Option(
        "--unit", "-u", click_type=UnitName(leaves_only=True), show_default=False,
        help="完成的责任单位：全称、简称或拼音；单位组（如 各区（县））要写明是哪个成员。")],
    period: Annotated[Optional[str], typer.Option(
        "--period", "-p", click_type=PeriodValue(), show_default=False,
        help=f"期间；默认为完成日期时已开始、尚未完成的最早期间。{PERIOD_HELP}。")] = None,
    on: Annotated[Optional[str], typer.Option(
        "--date", "-d", click_type=DateValue(), show_default=False,
        help="完成日期；默认今天（--as-of）。写法同 --as-of，如 7月3日、昨天、上周五。")] = None,
    by: ByOpt = "",
    note: Annotated[str, typer.Option("--note", click_type=Text("备注"), show_default=False, help="备注。")] = "",
    force: Annotated[bool, typer.Option(
        "--force", help="完成日期早于期间开始或超出清单有效期时仍然记录（记录中注明 forced）。")] = False,
    evidence: Annotated[Optional[list[str]], typer.Option(
        "--evidence", click_type=EvidenceValue(), show_default=False,
        help="佐证材料：文件（记下 SHA-256 和大小，不复制）或 http(s):// 链接；可给多次。")] = None,
    fmt: Annotated[str, format_option(RECORD_FORMATS)] = "table",
    as_of: AsOfOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """记录一次完成（销号），打印新记录号。Record a completion.

    例：fupin done 8.2 --unit 市残联 --period 2018-06 --date 2018-07-03 --by 张三
    """
    from ...app.inputs import read_period
    from ...app.recording import CompletedInFuture, PeriodComplete, PeriodNeeded, PeriodUnknown, record_done

    ctx = context(data=data, journal=journal, as_of=as_of, plan=plan_key, reads_ledger=True)
    name = one_unit(ctx, unit)
    completed = read_date(ctx, on, "--date")
    label = read_period(period, "--period", today=ctx.today) if period is not None else None
    try:
        recorded = record_done(ctx, task, name, label, completed, by, note, force=force, evidence=evidence)
    except PeriodComplete as exc:
        raise UsageError(f"{exc.message}；如记录有误，先用 fupin undo 作废") from None
    except PeriodUnknown as exc:
        raise UsageError(f"--period {exc.message}") from None
    except PeriodNeeded as exc:
        if exc.example is not None:
            raise UsageError(f"任务 {exc.task_id} 是长期性任务，没有固定期限；请用 --period 指明期间，如 {exc.example}") \
                from None
        raise UsageError(f"任务 {exc.task_id} {exc.unit} 没有已开始且未完成的期间；请用 --period 指明") from None
    except CompletedInFuture as exc:
        raise UsageError(f"--date {exc.completed} 晚于今天（{exc.today}），不能预先销号") from None
    except UsageError as exc:
        if exc.subject == "date" and not force:
            raise UsageError(f"--date {exc.message}；如确实如此，加 --force 照记（记录中会注明）") from None
        raise
    occurrence = recorded.occurrence
    late = "（逾期完成）" if recorded.late else ""
    forced = "（--force：日期超出可完成范围，已注明）" if "forced" in recorded.record else ""
    if recorded.record.get("evidence"):
        forced += f"；佐证材料 {len(recorded.record['evidence'])} 件"
    message = Document(
        title=f"已销号：任务 {ctx.folder_plans.task_ref(recorded.task)}，{recorded.unit}，期间 {occurrence.period}，"
              f"完成日期 {recorded.completed}{late}{forced}；该期间已记 {recorded.count}/{occurrence.required} 次。",
        lines=[f"记录号：{recorded.record['id']}"])
    show(View(document=lambda: message, records=lambda: recorded.record), fmt)
    ctx.finish()


def undo(
    entry_id: Annotated[Optional[str], typer.Argument(
        click_type=EntryId(), metavar="记录号", show_default=False,
        help="要作废的记录号，或其唯一的开头或结尾几位（如 c9fa35）；fupin journal 可查。")] = None,
    reason: Annotated[str, typer.Option("--reason", "-r", click_type=Text("原因"), show_default=False,
                                        help="作废原因，如 录错单位。")] = ...,
    last: Annotated[bool, typer.Option(
        "--last", help="作废最新的一条有效记录：--by 所记的，或 --unit 单位的。")] = False,
    unit: Annotated[Optional[list[str]], typer.Option(
        "--unit", "-u", click_type=UnitName(), show_default=False,
        help="与 --last 同用：作废这个单位最新的一条记录。")] = None,
    by: ByOpt = "",
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """作废一条销号记录：追加一条作废记录，原记录保留，台账可追溯。Void an entry.

    例：fupin undo c9fa35 -r 录错单位；fupin undo --last --by 张三 -r 重复登记
    """
    from ...app.recording import record_void

    ctx = context(data=data, journal=journal, plan=plan_key)
    names = units_of(ctx, unit)
    if last:
        if entry_id is not None:
            raise UsageError("--last 与记录号只能给一个", subject="entry")
        if not by and not unit:
            raise UsageError("--last 要与 --by 或 --unit 同用，指明作废谁的最新记录", subject="entry")
        leaves = {leaf for name in names for leaf in ctx.plans.units.leaves(name)} if names else None
        voided = record_void(ctx, None, reason, by, last_by=by or None, last_units=leaves)
    else:
        if entry_id is None:
            raise UsageError("请给出要作废的记录号（或其开头、结尾几位），或用 --last", subject="entry")
        if unit:
            raise UsageError("--unit 只与 --last 同用", subject="unit")
        voided = record_void(ctx, entry_id, reason, by)
    from ...journal.entries import OPS

    target = voided.target
    task_ref = f"{ctx.entry_plan(target)}:{target.task}" if len(ctx.folder_plans) > 1 else target.task
    what = _UNDONE.get(target.op, lambda e: "")(target)
    kind = "" if target.op == "done" else OPS[target.op].words
    period = "全部期间" if target.period == "*" else f"期间 {target.period}"
    restored = ""
    if target.op == "extend":
        restored = f"\n应完成日恢复为 {target.due_before}" if target.due_before else ""
    print(terminal_safe(f"已作废{kind}记录 {target.id}（任务 {task_ref}，{target.unit}，{period}{what}）。{restored}"
                        f"\n作废记录号：{voided.record['id']}", keep_newlines=True))


# What the message of ``undo`` adds about the entry voided, per op (a table: a new op is one line).
_UNDONE = {
    "done": lambda e: f"，完成日期 {e.date}",
    "progress": lambda e: f"，报送日期 {e.date}",
    "extend": lambda e: f"，延期至 {e.until}",
    "waive": lambda e: f"，原因：{e.reason}",
}


def journal_cmd(
    unit: UnitsOpt = None,
    task: TaskOpt = None,
    since: Annotated[Optional[str], typer.Option(
        "--since", click_type=DateValue(), show_default=False,
        help="只看这一天及以后完成的记录；写法同 --as-of。")] = None,
    fmt: Annotated[str, format_option(JOURNAL_FORMATS)] = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """列出销号台账的记录，最新的在最后，已作废的有标记。List journal entries.

    例：fupin journal --unit 市残联 --since 2018-07-01
    """
    from ...app.recording import journal_records
    from ...output import views

    ctx = context(data=data, journal=journal, as_of=as_of, plan=plan_key)
    names = units_of(ctx, unit)
    records = journal_records(ctx, names, task, read_date(ctx, since, "--since"))
    show(View(document=lambda: views.journal_document(str(ctx.journal_path), records), records=lambda: records),
         fmt, output, force)


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("done")(done)
    app.command("undo")(undo)
    app.command("journal")(journal_cmd)
