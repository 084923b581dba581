"""Commands about the plan itself: list, units, info, init, check."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from ... import __version__
from ...domain.errors import OutputError, UsageError
from ...domain.text import terminal_safe
from ...output.formats import View
from ..options import (
    PERIOD_HELP,
    AsOfOpt,
    CategoryOpt,
    DataOpt,
    ForceOpt,
    JournalOpt,
    PlanOpt,
    OutputOpt,
    PathValue,
    PeriodValue,
    TaskId,
    Text,
    UnitsOpt,
    check_category,
    context,
    format_option,
    units_of,
)
from ..output import choices, show, write_output

LIST_FORMATS = choices({"document", "records"})


def list_tasks(
    unit: UnitsOpt = None,
    category: CategoryOpt = None,
    grep: Annotated[Optional[str], typer.Option(
        "--grep", "-g", click_type=Text("文字"), show_default=False,
        help="只看工作任务、完成时限或备注中含这段文字的任务。")] = None,
    notes: Annotated[bool, typer.Option("--notes", "-n", help="加一列“备注”：任务的说明、存疑之处和判断依据。")] = False,
    fmt: Annotated[str, format_option(LIST_FORMATS)] = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
) -> None:
    """列出任务，按工作板块分组。List the tasks.

    例：fupin list --unit 市民政局 --notes
    """
    from ...domain.text import normalize_name
    from ...output import views
    from ...output.document import Column

    ctx = context(data=data, plan=plan_key)
    plan = ctx.plans.view(tuple(ctx.plans))  # every list of the folder (or --plan's), as one
    names = units_of(ctx, unit)
    category = check_category(ctx, category)
    if names:
        carried = {(task.plan, task.id) for name in names for task in plan.tasks_for_unit(name)}
        tasks = [t for t in plan.tasks if (t.plan, t.id) in carried]
    else:
        tasks = list(plan.tasks)
    if category:
        tasks = [t for t in tasks if t.category == category]
    if grep:
        needle = normalize_name(grep)
        tasks = [t for t in tasks if any(needle in normalize_name(s) for s in (t.text, t.deadline, t.note, t.id))]
    subtitle = "；".join(s for s in (names and f"责任单位：{'、'.join(names)}", category and f"板块：{category}",
                                      grep and f"含“{grep}”") if s)

    def document():
        found = views.tasks_document(plan, tasks, subtitle)
        if notes:
            for table in found.tables:
                table.columns = [*table.columns, Column("note", "备注")]
        return found

    show(View(document=document, records=lambda: [views.task_record(t) for t in tasks]), fmt, output, force)


def show_task(
    task: Annotated[str, typer.Argument(click_type=TaskId(), metavar="任务编号", show_default=False,
                                        help="任务编号，如 2.1。")],
    unit: UnitsOpt = None,
    period: Annotated[Optional[str], typer.Option(
        "--period", "-p", click_type=PeriodValue(), show_default=False,
        help=f"只看这个期间（默认：今天以前已开始的全部期间）。{PERIOD_HELP}。")] = None,
    fmt: Annotated[str, format_option(LIST_FORMATS)] = "table",
    as_of: AsOfOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """一项任务的全部内容和经过：工作任务、责任单位、完成时限及 fupin 的理解、备注；各单位各期间的应完成日（原定与延期后）
    和状态；台账中关于它的每一条记录（进展、延期及批准人、销号及佐证、免于考核、作废及原因），按登记先后。Show one task.

    例：fupin show 2.1；fupin show 8.2 --unit 市残联 --period 2018-07
    """
    from ...app.history import line_record, obligation_record, task_history
    from ...app.inputs import read_period
    from ...app.lookup import find_task
    from ...output import views
    from ...output.document import Column, Document, Table
    from ...phrases.describe import describe

    ctx = context(data=data, journal=journal, as_of=as_of, plan=plan_key)
    found = find_task(ctx.plans, task)
    label = read_period(period, "--period", today=ctx.today) if period is not None else None
    names = units_of(ctx, unit)
    plan = ctx.plan_of(found)
    leaves = list(plan.units.responsible(found.units))
    chosen = None
    if names:
        chosen = {leaf for name in names for leaf in plan.units.leaves(name)}
        if not chosen & set(leaves):
            raise UsageError(f"--unit {'、'.join(names)} 不是任务 {found.id} 的责任单位；责任单位是：{'、'.join(found.units)}",
                             subject="unit")
    chases = [c for c in _task_chases(ctx, found) if chosen is None or c[0] in chosen]
    rules = [describe(rule) for rule in found.rules]
    rows = [("清单", plan.key if len(ctx.folder_plans) > 1 else ""), ("编号", found.id), ("序号", found.seq), ("工作板块", found.category), ("工作任务", found.text),
            ("责任单位", "、".join(found.units)),
            ("其中各单位", "、".join(leaves) if leaves != list(found.units) else ""),
            ("完成时限", found.deadline), ("fupin 的理解", "；".join(rules) or "（无法识别，运行 fupin check 查看）"),
            ("来源", "schedule（明确写出的规则）" if found.explicit_schedule else "完成时限的文字"),
            ("备注", found.note),
            ("催办", "、".join(f"{unit} {count} 次（最近 {last}）" for unit, count, last in chases))]
    table = Table("", [Column("field", "项目"), Column("value", "内容")],
                  [{"field": field, "value": value} for field, value in rows if value])
    if label is not None and label not in {o.period for o in ctx.timetable_for(plan).occurrences(found)}:
        from ...app.recording import _unknown_period

        occurrences = ctx.timetable_for(plan).occurrences(found)
        raise UsageError(f"--period {_unknown_period(found, occurrences, label, plan.settings)}", subject="period")
    story = task_history(ctx, found, chosen, label)
    duties = Table("各单位各期间", [
        Column("unit", "责任单位", "units", hoist=True), Column("period", "期间"),
        Column("original_due", "原应完成日", "date", priority=2), Column("due", "应完成日", "date"),
        Column("status", "状态", "status"), Column("extensions", "延期次数", "int", priority=2),
        Column("done_date", "完成日期", "date", priority=2), Column("remark", "说明", "prose", priority=2)],
        [{"unit": r.unit, "period": r.period, "original_due": r.original_due if r.extensions else None,
          "due": r.due, "status": r.status, "extensions": r.extensions or None, "done_date": r.done_date,
          "remark": (f"免于考核：{story.waivers[(r.unit, r.period)]}" if (r.unit, r.period) in story.waivers
                     else "")}
         for r in story.obligations], empty="没有已开始的期间", count=f"（截至 {ctx.today}）")
    timeline = Table("台账记录（按登记先后）", [
        Column("recorded_at", "登记时间"), Column("words", "类型"), Column("unit", "责任单位", "units", hoist=True),
        Column("period", "期间"), Column("detail", "内容", "prose"), Column("by", "经办人", "units", priority=2),
        Column("state", "状态", "units", priority=2), Column("id", "记录号", priority=3)],
        [{"recorded_at": line.recorded_at[:16].replace("T", " "), "words": line.words, "unit": line.unit,
          "period": "全部期间" if line.period == "*" else line.period, "detail": line.detail, "by": line.by,
          "state": line.state, "id": line.id} for line in story.timeline], empty="台账中没有关于它的记录",
        count=f"（{len(story.timeline)} 条）")
    record = views.task_record(found) | {"responsible": leaves, "rules": rules,
                                         "obligations": [obligation_record(r, story.waivers.get((r.unit, r.period)))
                                                         for r in story.obligations],
                                         "timeline": [line_record(line) for line in story.timeline]}
    if chases:
        record["reminders"] = [{"unit": unit, "count": count, "last": last.isoformat()} for unit, count, last in chases]
    show(View(document=lambda: Document(title=f"{plan.title}：任务 {found.id}", tables=[table, duties, timeline]),
              records=lambda: record), fmt)


def _task_chases(ctx, task) -> list:
    """(unit, 催办次数, latest day) of ``task`` up to the as-of day, units in the official order (issue 17)."""
    from ...app.chases import journal_chase_days, unit_chases

    days = journal_chase_days(ctx.store, ctx.folder_plans.first.key)
    order = {name: index for index, name in enumerate(ctx.plans.units.responsible(task.units))}
    return sorted(unit_chases(days, task.plan, task.id, until=ctx.today),
                  key=lambda c: (order.get(c[0], len(order)), c[0]))


def list_units(
    fmt: Annotated[str, format_option(LIST_FORMATS)] = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
) -> None:
    """列出全部责任单位，含类别、别名、成员和任务数。List the responsible units.

    例：fupin units --format json
    """
    from ...output import views

    ctx = context(data=data, plan=plan_key)
    plan = ctx.plans.view(tuple(ctx.plans))  # tasks counted across the folder's lists
    counts = {name: len(plan.tasks_for_unit(name)) for name in plan.units}
    records = views.unit_records(plan, counts)
    show(View(document=lambda: views.units_document(plan, records), records=lambda: records), fmt, output, force)


def info(plan_key: PlanOpt = None, data: DataOpt = None, journal: JournalOpt = None) -> None:
    """显示所用的清单、单位和台账文件，以及计划的有效期和设置。Show files and settings in use.

    例：fupin info --data ./我的清单
    """
    from ...cache import cache_dir

    ctx = context(data=data, journal=journal, plan=plan_key)
    plans = ctx.plans
    several = len(ctx.folder_plans) > 1
    files = [("单位文件", str(plans.first.units_file)),
             ("销号台账", f"{ctx.journal_path}（来自{ctx.journal_source}）"),
             ("缓存目录", str(cache_dir() or "（无，不缓存）") + "（可随时删除）")]
    rows = [] if several else [("任务清单", str(plans.first.tasks_file))]
    rows += files
    if several and plan_key is None:
        rows.append(("清单", f"{len(plans)} 个：{'、'.join(plans.keys)}（--plan 清单名 只看其一；"
                           f"没有清单名的旧台账记录属于 {plans.first.key}）"))
    for plan in plans:
        settings = plan.settings
        if several:
            rows += [("清单名", plan.key), ("任务清单", str(plan.tasks_file))]
        rows += [
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
        ]
    rows += [("单位数", str(len(plans.units))), ("版本", __version__)]
    width = max(len(key) for key, _ in rows)
    for key, value in rows:
        print(terminal_safe(f"{key}{'　' * (width - len(key))}：{value}"))  # full-width spaces align Chinese keys


GITIGNORE = (
    "# fupin：锁文件和缓存不进仓库\n"
    "*.lock\n"
    ".fupin-cache/\n"
    "__pycache__/\n"
)


def _git_add(folder: Path, names: list[str]) -> bool:
    """``git add`` the files fupin wrote when the folder is in a git work tree; False when it is not."""
    import subprocess

    try:
        inside = subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
                                capture_output=True, text=True, timeout=30)
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return False
        added = subprocess.run(["git", "-C", str(folder), "add", "--", *names],
                               capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False  # no git here: the files are written all the same
    if added.returncode != 0:
        raise OutputError(f"文件已写入 {folder}，但 git add 失败：{added.stderr.strip()}；"
                          f"请在该文件夹中运行：git add {' '.join(names)}")
    return True


def init(
    folder: Annotated[Path, typer.Argument(click_type=PathValue(folder=True, metavar="文件夹", creates=True),
                                           metavar="文件夹",
                                           show_default=False, help="要创建的数据文件夹。")],
    force: Annotated[bool, typer.Option("--force", help="文件夹中已有清单时覆盖它（台账从不覆盖）。")] = False,
    journal_from: Annotated[Optional[Path], typer.Option(
        "--journal-from", click_type=PathValue(folder=False, metavar="文件"), show_default=False,
        help="把这份已有的销号台账复制过来，作为新文件夹的 journal.jsonl（新文件夹的台账已有记录时拒绝）。")] = None,
) -> None:
    """把随软件安装的清单复制到文件夹，供本单位编辑；之后用 --data 文件夹 或 FUPIN_DATA 使用它。
    Write an editable copy of the shipped plan.

    写入 tasks.yaml、units.yaml、空台账 journal.jsonl、.gitattributes（台账按行合并）和 .gitignore（锁文件、缓存）；
    文件夹在 git 仓库中时把它们 git add。

    说明台账今后在哪里；原来的台账有记录时，给出带上它的命令（--journal-from）。

    例：fupin init ./扶贫清单 && fupin list --data ./扶贫清单
    """
    from ...app.context import JOURNAL_FILENAME
    from ...app.setup import check_journal_to_take, journal_notes, take_journal
    from ...journal.jsonl.files import describe_oserror
    from ...journal.jsonl.writer import create_empty_journal, git_attributes_text
    from ...plan_io.loader import TASKS_FILE, UNITS_FILE, shipped_data_dir

    source = shipped_data_dir()
    targets = [folder / TASKS_FILE, folder / UNITS_FILE]
    existing = [str(p) for p in targets if p.exists()]
    # With --journal-from a folder that already has its plan only gets the journal.
    write_plan = not existing or force
    if existing and not force and journal_from is None:
        raise OutputError(f"文件已存在：{'、'.join(existing)}（如要覆盖，加 --force）")
    if journal_from is not None:
        check_journal_to_take(journal_from, folder)  # before anything is written
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建文件夹 {folder}：{describe_oserror(exc)}") from None
    written = []
    taken = take_journal(journal_from, folder) if journal_from is not None else None
    if write_plan:
        for target in targets:
            write_output(target, (source / target.name).read_bytes(), force=True)
        written += [TASKS_FILE, UNITS_FILE]
    for name, text in ((".gitattributes", git_attributes_text()), (".gitignore", GITIGNORE)):
        if not (folder / name).exists():
            write_output(folder / name, text, force=False)
            written.append(name)
    # Empty, tracked by git from the first commit; what the umask allows, and the group's write bit when
    # the folder is group-writable (a shared office folder).
    if taken is not None or create_empty_journal(folder / JOURNAL_FILENAME):
        written.append(JOURNAL_FILENAME)
    added = _git_add(folder, written)
    if not write_plan:
        print(terminal_safe(f"{folder} 中已有清单（{'、'.join(existing)}），未改动。"))
    print(terminal_safe(f"已在 {folder} 写入 {'、'.join(written)}" + ("，并已 git add。" if added else "。")))
    for note in journal_notes(folder, taken):
        print(terminal_safe(note))
    print(terminal_safe(f"以后运行：fupin list --data {folder}  或设置 FUPIN_DATA={folder}"))


def check(
    evidence: Annotated[bool, typer.Option(
        "--evidence", help="也检查销号时登记的佐证材料文件：已不存在或已改变的逐一列出。")] = False,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """检查清单、单位文件和销号台账，列出每个问题；无问题退出码 0，有问题 1。Validate everything.

    例：fupin check --data ./扶贫清单；fupin check --evidence
    """
    from ...app.checks import check_all

    ctx = context(data=data, journal=journal, plan=plan_key)
    problems, notices = check_all(ctx)
    if evidence:
        from ...app.evidence import evidence_problems

        problems += evidence_problems(ctx)
    for notice in notices:
        print(terminal_safe(f"提示：{notice}"))
    for problem in problems:  # problems quote the plan and the journal: shown safely
        print(terminal_safe(str(problem), keep_newlines=True))
    if problems:
        print(f"发现 {len(problems)} 个问题。")
        raise typer.Exit(1)
    plans = ctx.plans
    lists = f"{len(plans)} 个清单，" if len(ctx.folder_plans) > 1 else ""
    print(terminal_safe(f"检查通过：{lists}{sum(len(p.tasks) for p in plans)} 项任务，{len(plans.units)} 个单位，"
                        f"台账 {ctx.journal_path}。"))


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("list")(list_tasks)
    app.command("show")(show_task)
    app.command("units")(list_units)
    app.command("info")(info)
    app.command("init")(init)
    app.command("check")(check)
