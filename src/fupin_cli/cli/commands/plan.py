"""Commands about the plan itself: list, units, info, init, check."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from ... import __version__
from ...domain.errors import OutputError
from ...domain.text import terminal_safe
from ...output.formats import View
from ..options import (
    CategoryOpt,
    DataOpt,
    JournalOpt,
    PlanOpt,
    UnitOpt,
    check_category,
    context,
    format_option,
    one_unit,
)
from ..output import check_format, choices, show, write_output

LIST_FORMATS = choices({"document", "records"})


def list_tasks(
    unit: UnitOpt = None,
    category: CategoryOpt = None,
    grep: Annotated[Optional[str], typer.Option("--grep", "-g", help="只看工作任务、完成时限或备注中含这段文字的任务。",
                                                show_default=False)] = None,
    fmt: Annotated[str, format_option(LIST_FORMATS)] = "table",
    plan_key: PlanOpt = None,
    data: DataOpt = None,
) -> None:
    """列出任务，按工作板块分组。List the tasks.

    例：fupin list --unit 市民政局
    """
    from ...domain.text import normalize_name
    from ...output import views

    check_format(fmt, LIST_FORMATS)
    ctx = context(data=data, plan=plan_key)
    plan = ctx.plans.view(tuple(ctx.plans))
    name = one_unit(ctx, unit)
    category = check_category(ctx, category)
    tasks = plan.tasks_for_unit(name) if name else list(plan.tasks)
    if category:
        tasks = [t for t in tasks if t.category == category]
    if grep:
        needle = normalize_name(grep)
        tasks = [t for t in tasks if any(needle in normalize_name(s) for s in (t.text, t.deadline, t.note, t.id))]
    subtitle = "；".join(s for s in (name and f"责任单位：{name}", category and f"板块：{category}",
                                      grep and f"含“{grep}”") if s)
    show(View(document=lambda: views.tasks_document(plan, tasks, subtitle),
              records=lambda: [views.task_record(t) for t in tasks]), fmt)


def list_units(
    fmt: Annotated[str, format_option(LIST_FORMATS)] = "table",
    plan_key: PlanOpt = None,
    data: DataOpt = None,
) -> None:
    """列出全部责任单位，含类别、别名、成员和任务数。List the responsible units.

    例：fupin units --format json
    """
    from ...output import views

    check_format(fmt, LIST_FORMATS)
    ctx = context(data=data, plan=plan_key)
    plan = ctx.plans.view(tuple(ctx.plans))
    counts = {name: len(plan.tasks_for_unit(name)) for name in plan.units}
    records = views.unit_records(plan, counts)
    show(View(document=lambda: views.units_document(plan, records), records=lambda: records), fmt)


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


def init(
    folder: Annotated[Path, typer.Argument(help="要创建的数据文件夹。", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="文件夹中已有清单时覆盖（台账从不覆盖）。")] = False,
    journal_from: Annotated[Optional[Path], typer.Option(
        "--journal-from", help="把这份已有的销号台账复制到新文件夹，作为它的 journal.jsonl（新文件夹已有台账时拒绝）。",
        show_default=False)] = None,
) -> None:
    """把随软件安装的清单复制到文件夹，供本单位编辑；之后用 --data 文件夹 或 FUPIN_DATA 使用它。
    Write an editable copy of the shipped plan.

    例：fupin init ./扶贫清单 && fupin list --data ./扶贫清单
    """
    from ...app.setup import check_journal_to_take, journal_notes, take_journal
    from ...journal.jsonl.writer import git_attributes_text
    from ...plan_io.loader import TASKS_FILE, UNITS_FILE, shipped_data_dir

    source = shipped_data_dir()
    targets = [folder / TASKS_FILE, folder / UNITS_FILE]
    existing = [str(p) for p in targets if p.exists()]
    # With --journal-from only the journal is added to a folder that already has its plan.
    write_plan = not existing or force
    if existing and not force and journal_from is None:
        raise OutputError(f"文件已存在：{'、'.join(existing)}（如要覆盖，加 --force）")
    if journal_from is not None:
        check_journal_to_take(journal_from, folder)  # before anything is written
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建文件夹 {folder}：{exc.strerror}") from None
    taken = take_journal(journal_from, folder) if journal_from is not None else None
    if write_plan:
        for target in targets:
            write_output(target, (source / target.name).read_bytes(), force=True)
    attributes = folder / ".gitattributes"
    if not attributes.exists():
        write_output(attributes, git_attributes_text(), force=False)
    if write_plan:
        print(terminal_safe(f"已在 {folder} 写入 {TASKS_FILE}、{UNITS_FILE} 和 .gitattributes（台账按 union 方式合并）。"))
    else:
        print(terminal_safe(f"{folder} 中已有清单（{'、'.join(existing)}），未改动。"))
    for note in journal_notes(folder, taken):
        print(terminal_safe(note))
    print(terminal_safe(f"以后运行：fupin list --data {folder}  或设置 FUPIN_DATA={folder}"))


def check(plan_key: PlanOpt = None, data: DataOpt = None, journal: JournalOpt = None) -> None:
    """检查清单、单位文件和销号台账，列出每个问题；无问题退出码 0，有问题 1。Validate everything.

    例：fupin check --data ./扶贫清单
    """
    from ...app.checks import check_all

    ctx = context(data=data, journal=journal, plan=plan_key)
    problems, notices = check_all(ctx)
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
    app.command("units")(list_units)
    app.command("info")(info)
    app.command("init")(init)
    app.command("check")(check)
