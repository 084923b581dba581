"""Commands that write or read the 台账: done, undo, journal."""

from typing import Annotated, Optional

import typer

from ...domain.errors import UsageError
from ...domain.text import terminal_safe
from ...output.document import Document
from ...output.formats import View
from ..options import (
    AsOfOpt,
    DataOpt,
    JournalOpt,
    TaskOpt,
    UnitOpt,
    complete_tasks,
    context,
    format_option,
    one_unit,
)
from ..output import check_format, choices, show

RECORD_FORMATS = choices({"document", "records"}, exclude=("csv", "markdown", "html", "xlsx"))
JOURNAL_FORMATS = choices({"document", "records"})


def done(
    task: Annotated[str, typer.Argument(help="任务编号，如 5.1。", autocompletion=complete_tasks, show_default=False)],
    unit: UnitOpt = None,
    period: Annotated[Optional[str], typer.Option("--period", "-p", help="期间，如 2018-07、2018-Q3、2018；默认为最早未完成的期间。",
                                                  show_default=False)] = None,
    on: Annotated[Optional[str], typer.Option("--date", "-d", help="完成日期；默认今天。", show_default=False)] = None,
    by: Annotated[str, typer.Option("--by", help="经办人。")] = "",
    note: Annotated[str, typer.Option("--note", help="备注。")] = "",
    fmt: Annotated[str, format_option(RECORD_FORMATS)] = "table",
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """记录一次完成（销号），打印新记录号。Record a completion.

    例：fupin done 8.2 --unit 市残联 --period 2018-06 --date 2018-07-03 --by 张三
    """
    from ...app.inputs import parse_user_date
    from ...app.recording import (
        CompletedInFuture,
        PeriodComplete,
        PeriodNeeded,
        PeriodUnknown,
        record_done,
    )

    check_format(fmt, RECORD_FORMATS)
    ctx = context(data=data, journal=journal, as_of=as_of)
    if not unit:
        raise UsageError("请用 --unit 指明是哪个责任单位完成的", subject="unit")
    name = one_unit(ctx, unit)
    completed = parse_user_date(on, "--date") if on else None
    try:
        recorded = record_done(ctx, task, name, period, completed, by, note)
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
    occurrence = recorded.occurrence
    late = "（逾期完成）" if recorded.late else ""
    message = Document(
        title=f"已销号：任务 {recorded.task.id}，{recorded.unit}，期间 {occurrence.period}，"
              f"完成日期 {recorded.completed}{late}；该期间已记 {recorded.count}/{occurrence.required} 次。",
        lines=[f"记录号：{recorded.record['id']}"])
    show(View(document=lambda: message, records=lambda: recorded.record), fmt)
    ctx.finish()


def undo(
    entry_id: Annotated[str, typer.Argument(help="要作废的记录号（fupin journal 可查）。", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="作废原因。")] = "",
    by: Annotated[str, typer.Option("--by", help="经办人。")] = "",
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """作废一条销号记录：追加一条作废记录，原记录保留，台账可追溯。Void an entry.

    例：fupin undo 20180703T101502.123456Z-3f9a1c --reason 录错单位
    """
    from ...app.recording import NotInJournal, record_void

    ctx = context(data=data, journal=journal)
    try:
        voided = record_void(ctx, entry_id, reason, by)
    except NotInJournal as exc:
        if "是否是指" in exc.message:
            raise
        raise UsageError(f"{exc.message}（fupin journal 可查记录号）") from None
    target = voided.target
    print(terminal_safe(f"已作废记录 {target.id}（任务 {target.task}，{target.unit}，期间 {target.period}）。\n"
                        f"作废记录号：{voided.record['id']}", keep_newlines=True))


def journal_cmd(
    unit: UnitOpt = None,
    task: TaskOpt = None,
    since: Annotated[Optional[str], typer.Option("--since", help="只看这一天及以后完成的记录。", show_default=False)] = None,
    fmt: Annotated[str, format_option(JOURNAL_FORMATS)] = "table",
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """列出销号台账的记录，最新的在最后，已作废的有标记。List journal entries.

    例：fupin journal --unit 市残联 --since 2018-07-01
    """
    from ...app.inputs import parse_user_date
    from ...app.recording import journal_records
    from ...output import views

    check_format(fmt, JOURNAL_FORMATS)
    ctx = context(data=data, journal=journal)
    name = one_unit(ctx, unit)
    records = journal_records(ctx, name, task, parse_user_date(since, "--since") if since else None)
    show(View(document=lambda: views.journal_document(str(ctx.journal_path), records), records=lambda: records), fmt)


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("done")(done)
    app.command("undo")(undo)
    app.command("journal")(journal_cmd)
