"""The ``fupin`` command: parse options, call the library, pick a renderer.

No business rules live here.  Library errors (``FupinError``) become exits in
one place, ``main``; click's own usage errors are put into Chinese there too.
Modules that only some commands need are imported inside those commands, to
keep start-up fast.  No ``from __future__ import annotations`` here: typer
would have to evaluate every annotation string, a third of its start-up.
"""

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import FupinError, OutputError, UsageError
from .session import Session, parse_user_date

app = typer.Typer(
    name="fupin",
    help="扶贫任务清单督办工具 (fupin): tasks, deadlines, completions (销号) and overdue reports.\n\n"
         "例 / Example:  fupin due --unit 市民政局 --as-of 2018-07-15",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: rich's help formatter costs more start-up than the help itself
)
report_app = typer.Typer(help="督办报表 / Supervision reports.\n\n例：fupin report weekly --as-of 2018-07-16 --format html --output 周报.html",
                         no_args_is_help=True, rich_markup_mode=None)
app.add_typer(report_app, name="report")


# ---------------------------------------------------------------- shell completion

def _complete_units(incomplete: str) -> list[str]:
    try:
        plan = Session().plan
    except FupinError:
        return []
    names = [label for unit in plan.units.values() for label in (unit.name, *unit.aliases)]
    return [name for name in names if name.startswith(incomplete)]


def _complete_tasks(incomplete: str) -> list[str]:
    try:
        plan = Session().plan
    except FupinError:
        return []
    return [task.id for task in plan.tasks if task.id.startswith(incomplete)]


# ---------------------------------------------------------------- shared options

DataOpt = Annotated[Optional[Path], typer.Option(
    "--data", help="数据文件夹（含 tasks.yaml、units.yaml）；默认用随软件安装的清单。环境变量 FUPIN_DATA。",
    show_default=False)]
JournalOpt = Annotated[Optional[Path], typer.Option(
    "--journal", help="销号台账文件；默认在数据文件夹或用户数据目录的 journal.jsonl。环境变量 FUPIN_JOURNAL。",
    show_default=False)]
AsOfOpt = Annotated[Optional[str], typer.Option(
    "--as-of", help="以哪一天为“今天”（YYYY-MM-DD）；默认为计划时区的今天。环境变量 FUPIN_TODAY。",
    show_default=False)]
ShiftOpt = Annotated[Optional[str], typer.Option(
    "--holiday-shift", help="节假日顺延规则：next_workday、previous_workday 或 none；默认按计划设置。",
    show_default=False)]
UnitOpt = Annotated[Optional[list[str]], typer.Option(
    "--unit", "-u", help="责任单位：全称、简称、所属单位组或拼音（如 市民政局、民政局、mzj）。",
    autocompletion=_complete_units, show_default=False)]
CategoryOpt = Annotated[Optional[str], typer.Option("--category", "-c", help="只看某个工作板块，如 金融扶贫。",
                                                    show_default=False)]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="写入文件而不是屏幕。", show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help="--output 的文件已存在时覆盖它。")]
ExitCodeOpt = Annotated[bool, typer.Option("--exit-code", help="有逾期事项时以退出码 1 结束（供 cron 告警）。")]


def _format_option(choices: tuple[str, ...]):
    return typer.Option("--format", "-f", help=f"输出格式：{'、'.join(choices)}。")


def _check_format(value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise UsageError(f"--format 的值 “{value}” 无效，可选：{'、'.join(choices)}")
    return value


def _one_unit(session: Session, values: list[str] | None) -> str | None:
    from .plan import resolve_unit

    if not values:
        return None
    if len(values) > 1:
        raise UsageError(f"--unit 只能给一次，而这里给了 {len(values)} 次：{'、'.join(values)}")
    return resolve_unit(session.plan, values[0])


def _check_category(session: Session, category: str | None) -> str | None:
    if category is None:
        return None
    known = list(dict.fromkeys(t.category for t in session.plan.tasks if t.category))
    if category not in known:
        raise UsageError(f"--category：没有工作板块 “{category}”，现有：{'、'.join(known)}")
    return category


# ---------------------------------------------------------------- output

def emit(text_or_bytes, output: Path | None, force: bool) -> None:
    """Write a rendered report to stdout, or to ``output`` (never over an existing file without --force)."""
    if output is None:
        if isinstance(text_or_bytes, bytes):
            if sys.stdout.isatty():
                raise UsageError("xlsx 是二进制文件，请用 --output 文件名.xlsx 写入文件")
            sys.stdout.flush()
            sys.stdout.buffer.write(text_or_bytes)
        else:
            sys.stdout.write(text_or_bytes)
        return
    write_output(output, text_or_bytes, force)
    print(f"已写入 {output}", file=sys.stderr)


def write_output(path: Path, content, force: bool) -> None:
    import os
    import tempfile

    if path.is_symlink() or path.exists():
        if not force:
            raise OutputError(f"文件已存在：{path}（如要覆盖，加 --force）")
        if path.is_dir():
            raise OutputError(f"{path} 是文件夹，不能写入报表")
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        # Write beside the target and rename: a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a printout is for sharing
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{exc.strerror}") from None


def show(document, fmt: str, records, output: Path | None = None, force: bool = False) -> None:
    """Render in the chosen format: ``document()`` for people, ``records()`` for json.

    Both are callables so that only the one the format needs is built.
    """
    if fmt == "json":
        from .render import json

        emit(json.render(records()), output, force)
    elif fmt == "table" and output is None and sys.stdout.isatty():
        from .render.table import make_console, render

        render(document(), make_console())
    else:
        from importlib import import_module

        # plain (table or text off a terminal), csv, markdown, html, xlsx: render(document) → text or bytes.
        module = "plain" if fmt in ("table", "text") else fmt
        emit(import_module(f"fupin_cli.render.{module}").render(document()), output, force)


# ---------------------------------------------------------------- plan commands

@app.command("list")
def list_tasks(
    unit: UnitOpt = None,
    category: CategoryOpt = None,
    grep: Annotated[Optional[str], typer.Option("--grep", "-g", help="只看工作任务、完成时限或备注中含这段文字的任务。",
                                                show_default=False)] = None,
    fmt: Annotated[str, _format_option(("table", "json", "csv", "markdown"))] = "table",
    data: DataOpt = None,
) -> None:
    """列出任务，按工作板块分组。List the tasks.

    例：fupin list --unit 市民政局
    """
    from . import views
    from .plan import normalize_name, tasks_for_unit

    _check_format(fmt, ("table", "json", "csv", "markdown"))
    session = Session(data=data)
    plan = session.plan
    name = _one_unit(session, unit)
    category = _check_category(session, category)
    tasks = tasks_for_unit(plan, name) if name else list(plan.tasks)
    if category:
        tasks = [t for t in tasks if t.category == category]
    if grep:
        needle = normalize_name(grep)
        tasks = [t for t in tasks if any(needle in normalize_name(s) for s in (t.text, t.deadline, t.note, t.id))]
    subtitle = "；".join(s for s in (name and f"责任单位：{name}", category and f"板块：{category}",
                                      grep and f"含“{grep}”") if s)
    show(lambda: views.tasks_document(plan, tasks, subtitle), fmt, lambda: [views.task_record(t) for t in tasks])


@app.command("units")
def list_units(
    fmt: Annotated[str, _format_option(("table", "json"))] = "table",
    data: DataOpt = None,
) -> None:
    """列出全部责任单位，含类别、别名、成员和任务数。List the responsible units.

    例：fupin units --format json
    """
    from . import views
    from .plan import tasks_for_unit

    _check_format(fmt, ("table", "json"))
    plan = Session(data=data).plan
    counts = {name: len(tasks_for_unit(plan, name)) for name in plan.units}
    records = views.unit_records(plan, counts)
    show(lambda: views.units_document(plan, records), fmt, lambda: records)


@app.command("info")
def info(data: DataOpt = None, journal: JournalOpt = None) -> None:
    """显示所用的清单、单位和台账文件，以及计划的有效期和设置。Show files and settings in use.

    例：fupin info --data ./我的清单
    """
    from .session import cache_dir

    session = Session(data=data, journal=journal)
    plan = session.plan
    settings = plan.settings
    rows = [
        ("任务清单", str(plan.tasks_file)),
        ("单位文件", str(plan.units_file)),
        ("销号台账", f"{session.journal_path}（来自{session.journal_source}）"),
        ("缓存目录", str(cache_dir() or "（无，不缓存）") + "（可随时删除）"),
        ("标题", plan.title),
        ("文号", plan.doc_no),
        ("印发单位", plan.issuer),
        ("印发日期", str(plan.issued or "")),
        ("有效期", f"{plan.valid_from} 至 {plan.valid_to}"),
        ("时区", plan.timezone),
        ("节假日顺延", settings.holiday_shift),
        ("预警天数", str(settings.warn_days)),
        ("学期开始", "、".join(f"{m:02d}-{d:02d}" for m, d in settings.semester_starts)),
        ("任务数", str(len(plan.tasks))),
        ("单位数", str(len(plan.units))),
        ("版本", __version__),
    ]
    width = max(len(key) for key, _ in rows)
    for key, value in rows:
        print(f"{key}{'　' * (width - len(key))}：{value}")  # full-width spaces align Chinese keys


@app.command("init")
def init(
    folder: Annotated[Path, typer.Argument(help="要创建的数据文件夹。", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="文件夹中已有清单时覆盖。")] = False,
) -> None:
    """把随软件安装的清单复制到文件夹，供本单位编辑；之后用 --data 文件夹 或 FUPIN_DATA 使用它。
    Write an editable copy of the shipped plan.

    例：fupin init ./扶贫清单 && fupin list --data ./扶贫清单
    """
    from .journal import git_attributes_text
    from .plan import TASKS_FILE, UNITS_FILE, shipped_data_dir

    source = shipped_data_dir()
    targets = [folder / TASKS_FILE, folder / UNITS_FILE]
    existing = [str(p) for p in targets if p.exists()]
    if existing and not force:
        raise OutputError(f"文件已存在：{'、'.join(existing)}（如要覆盖，加 --force）")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建文件夹 {folder}：{exc.strerror}") from None
    for target in targets:
        write_output(target, (source / target.name).read_bytes(), force=True)
    attributes = folder / ".gitattributes"
    if not attributes.exists():
        write_output(attributes, git_attributes_text(), force=False)
    print(f"已在 {folder} 写入 {TASKS_FILE}、{UNITS_FILE} 和 .gitattributes（台账按 union 方式合并）。")
    print(f"以后运行：fupin list --data {folder}  或设置 FUPIN_DATA={folder}")


@app.command("check")
def check(data: DataOpt = None, journal: JournalOpt = None) -> None:
    """检查清单、单位文件和销号台账，列出每个问题；无问题退出码 0，有问题 1。Validate everything.

    例：fupin check --data ./扶贫清单
    """
    from .checks import check_all

    session = Session(data=data, journal=journal)
    problems, notices = check_all(session)
    for notice in notices:
        print(f"提示：{notice}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"发现 {len(problems)} 个问题。")
        raise typer.Exit(1)
    plan = session.plan
    print(f"检查通过：{len(plan.tasks)} 项任务，{len(plan.units)} 个单位，台账 {session.journal_path}。")


# ---------------------------------------------------------------- deadline commands

@app.command("explain")
def explain(
    phrase: Annotated[str, typer.Argument(help="完成时限的文字，如 每季度之后10日内完成。", show_default=False)],
    as_of: AsOfOpt = None,
    fmt: Annotated[str, _format_option(("table", "json"))] = "table",
    holiday_shift: ShiftOpt = None,
    data: DataOpt = None,
) -> None:
    """说明 fupin 如何理解一段完成时限，并列出之后六个到期日。Explain a deadline phrase.

    例：fupin explain 每季度之后10日内完成 --as-of 2018-07-01
    """
    from .deadlines import explain_phrase

    _check_format(fmt, ("table", "json"))
    session = Session(data=data, as_of=as_of, holiday_shift=holiday_shift)
    result = explain_phrase(session.plan, phrase, session.today, session.calendar)
    if fmt == "json":
        from .render import json

        emit(json.render(result), None, False)
    else:
        from .deadlines import explain_document

        show(lambda: explain_document(result), "table", None)
    session.finish()


@app.command("calendar")
def calendar(
    unit: UnitOpt = None,
    task: Annotated[Optional[str], typer.Option("--task", "-t", help="只看这项任务。", autocompletion=_complete_tasks,
                                                show_default=False)] = None,
    start: Annotated[Optional[str], typer.Option("--from", help="起始日期（含）。", show_default=False)] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="结束日期（含）。", show_default=False)] = None,
    month: Annotated[Optional[str], typer.Option("--month", "-m", help="某个月（YYYY-MM），并显示月历。",
                                                 show_default=False)] = None,
    fmt: Annotated[str, _format_option(("table", "json", "csv", "ics"))] = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
    holiday_shift: ShiftOpt = None,
    data: DataOpt = None,
) -> None:
    """列出某段时间内到期的事项（默认为本月），每项任务、期间、单位一行。Deadlines in a window.

    例：fupin calendar --month 2018-07 --unit 市民政局
    """
    from . import views
    from .deadlines import calendar_window, month_grid
    from .plan import find_task
    from .reports import Scope, calendar_rows

    _check_format(fmt, ("table", "json", "csv", "ics"))
    session = Session(data=data, as_of=as_of, holiday_shift=holiday_shift)
    plan = session.plan
    name = _one_unit(session, unit)
    task_id = find_task(plan, task).id if task else None
    window_start, window_end = calendar_window(
        month, parse_user_date(start, "--from") if start else None,
        parse_user_date(end, "--to") if end else None, session.today)
    rows = calendar_rows(plan, session.calendar, window_start, window_end, Scope.for_unit(plan, name), task_id)
    title = f"{plan.title}：到期日历"
    lines = [f"{window_start} 至 {window_end}，共 {len(rows)} 项" + (f"；责任单位：{name}" if name else "")]
    if fmt == "ics":
        from .render import ics

        emit(ics.render(plan, rows), output, force)
    else:
        def document():
            found = views.calendar_document(title, lines, rows)
            if month and fmt == "table":
                found.tables.insert(0, month_grid(window_start, rows, session.calendar))
            return found

        show(document, fmt, lambda: [views.calendar_record(r) for r in rows], output, force)
    session.finish()


# ---------------------------------------------------------------- journal commands

@app.command("done")
def done(
    task: Annotated[str, typer.Argument(help="任务编号，如 5.1。", autocompletion=_complete_tasks, show_default=False)],
    unit: UnitOpt = None,
    period: Annotated[Optional[str], typer.Option("--period", "-p", help="期间，如 2018-07、2018-Q3、2018；默认为最早未完成的期间。",
                                                  show_default=False)] = None,
    on: Annotated[Optional[str], typer.Option("--date", "-d", help="完成日期；默认今天。", show_default=False)] = None,
    by: Annotated[str, typer.Option("--by", help="经办人。")] = "",
    note: Annotated[str, typer.Option("--note", help="备注。")] = "",
    fmt: Annotated[str, _format_option(("table", "json"))] = "table",
    as_of: AsOfOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """记录一次完成（销号），打印新记录号。Record a completion.

    例：fupin done 8.2 --unit 市残联 --period 2018-06 --date 2018-07-03 --by 张三
    """
    from .completions import record_done

    _check_format(fmt, ("table", "json"))
    session = Session(data=data, journal=journal, as_of=as_of)
    if not unit:
        raise UsageError("请用 --unit 指明是哪个责任单位完成的")
    name = _one_unit(session, unit)
    record, message = record_done(session, task, name, period, on, by, note)
    if fmt == "json":
        from .render import json

        emit(json.render(record), None, False)
    else:
        print(message)
    session.finish()


@app.command("undo")
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
    from .completions import record_void

    session = Session(data=data, journal=journal)
    print(record_void(session, entry_id, reason, by))


@app.command("journal")
def journal_cmd(
    unit: UnitOpt = None,
    task: Annotated[Optional[str], typer.Option("--task", "-t", help="只看这项任务。", autocompletion=_complete_tasks,
                                                show_default=False)] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="只看这一天及以后完成的记录。", show_default=False)] = None,
    fmt: Annotated[str, _format_option(("table", "json", "csv"))] = "table",
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """列出销号台账的记录，最新的在最后，已作废的有标记。List journal entries.

    例：fupin journal --unit 市残联 --since 2018-07-01
    """
    from . import views
    from .completions import journal_records

    _check_format(fmt, ("table", "json", "csv"))
    session = Session(data=data, journal=journal)
    name = _one_unit(session, unit)
    records = journal_records(session, name, task, parse_user_date(since, "--since") if since else None)
    show(lambda: views.journal_document(str(session.journal_path), records), fmt, lambda: records)


# ---------------------------------------------------------------- reports

REPORT_FORMATS = ("table", "json", "csv", "markdown", "html")


def _report_scope(session: Session, unit: list[str] | None, category: str | None = None):
    """(unit name or None, Scope) of a report; says once when the real today is outside the plan."""
    from .reports import Scope

    name = _one_unit(session, unit)
    scope = Scope.for_unit(session.plan, name, _check_category(session, category))
    session.check_today_in_plan()
    return name, scope


def _finish_report(session: Session, exit_code: bool, overdue: int) -> None:
    session.finish()
    if exit_code and overdue:
        raise typer.Exit(1)  # cron alerts on it, like git diff --exit-code


@app.command("due")
def due(
    unit: UnitOpt = None,
    within: Annotated[Optional[int], typer.Option("--within", help="列出几天内到期的事项；默认为计划的预警天数。",
                                                  show_default=False, min=0)] = None,
    category: CategoryOpt = None,
    fmt: Annotated[str, _format_option(REPORT_FORMATS)] = "table",
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
    from . import views
    from .reports import due_rows

    _check_format(fmt, REPORT_FORMATS)
    session = Session(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift)
    plan = session.plan
    name, scope = _report_scope(session, unit, category)
    days = plan.settings.warn_days if within is None else within
    rows = due_rows(plan, session.tally(), session.calendar, scope, days)
    overdue = sum(r.status == "overdue" for r in rows)
    title = f"{plan.title}：到期与逾期事项" + (f"（{name}）" if name else "")
    lines = [f"截至 {session.today}：逾期 {overdue} 项，{days} 天内到期 {len(rows) - overdue} 项"]
    show(lambda: views.rows_document(title, lines, rows, group_by_unit=name is None,
                                     empty="没有逾期或即将到期的事项"),
         fmt, lambda: [views.row_record(r) for r in rows], output, force)
    _finish_report(session, exit_code, overdue)


@app.command("overdue")
def overdue(
    unit: UnitOpt = None,
    category: CategoryOpt = None,
    fmt: Annotated[str, _format_option(REPORT_FORMATS)] = "table",
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
    from . import views
    from .reports import overdue_rows

    _check_format(fmt, REPORT_FORMATS)
    session = Session(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift)
    plan = session.plan
    name, scope = _report_scope(session, unit, category)
    rows = overdue_rows(plan, session.tally(), session.calendar, scope)
    units = len({r.unit for r in rows})
    title = f"{plan.title}：逾期未完成事项" + (f"（{name}）" if name else "")
    lines = [f"截至 {session.today}：{units} 个单位共逾期 {len(rows)} 项"]
    show(lambda: views.rows_document(title, lines, rows, group_by_unit=True, empty="没有逾期事项"),
         fmt, lambda: [views.row_record(r) for r in rows], output, force)
    _finish_report(session, exit_code, len(rows))


WEEKLY_FORMATS = ("table", "text", "markdown", "html", "xlsx", "json")


@report_app.command("weekly")
def report_weekly(
    unit: UnitOpt = None,
    fmt: Annotated[str, _format_option(WEEKLY_FORMATS)] = "table",
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
    from . import views
    from .reports import weekly_report

    _check_format(fmt, WEEKLY_FORMATS)
    session = Session(data=data, journal=journal, as_of=as_of, holiday_shift=holiday_shift)
    _name, scope = _report_scope(session, unit)
    report = weekly_report(session.plan, session.tally(), session.calendar, scope)
    show(lambda: views.weekly_document(report), fmt, lambda: views.weekly_record(report), output, force)
    _finish_report(session, exit_code, len(report.overdue))


# ---------------------------------------------------------------- entry point

def _version(value: bool) -> None:
    if value:
        print(f"fupin {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", "-V", help="显示版本并退出。", callback=_version,
                                          is_eager=True)] = False,
) -> None:
    """扶贫任务清单督办工具。"""


def main() -> None:
    """Console entry point: the one place errors become messages and exit codes."""
    from .usage import ClickException, NoArgsIsHelpError, chinese_usage_message

    try:
        code = app(standalone_mode=False, prog_name="fupin")
    except FupinError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        if getattr(exc, "phrase", None):
            print(exc.pointer(), file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("已取消", file=sys.stderr)
        sys.exit(130)
    except ClickException as exc:
        if NoArgsIsHelpError is not None and isinstance(exc, NoArgsIsHelpError):
            print(exc.format_message())  # a bare ``fupin`` or ``fupin report`` asks for help
            sys.exit(0)
        print(chinese_usage_message(exc), file=sys.stderr)
        sys.exit(2)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (``| head``): not an error
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug of ours: say so plainly; FUPIN_DEBUG=1 shows the traceback
        import os

        if os.environ.get("FUPIN_DEBUG"):
            raise
        print(f"错误：fupin 内部错误（{type(exc).__name__}: {exc}）。请把命令和这条消息报告给维护人员；"
              "设置 FUPIN_DEBUG=1 可看到详细信息。", file=sys.stderr)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
