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
    data: DataOpt = None,
) -> None:
    """列出任务，按工作板块分组。List the tasks.

    例：fupin list --unit 市民政局
    """
    from ...domain.text import normalize_name
    from ...output import views

    check_format(fmt, LIST_FORMATS)
    ctx = context(data=data)
    plan = ctx.plan
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
    data: DataOpt = None,
) -> None:
    """列出全部责任单位，含类别、别名、成员和任务数。List the responsible units.

    例：fupin units --format json
    """
    from ...output import views

    check_format(fmt, LIST_FORMATS)
    plan = context(data=data).plan
    counts = {name: len(plan.tasks_for_unit(name)) for name in plan.units}
    records = views.unit_records(plan, counts)
    show(View(document=lambda: views.units_document(plan, records), records=lambda: records), fmt)


def info(data: DataOpt = None, journal: JournalOpt = None) -> None:
    """显示所用的清单、单位和台账文件，以及计划的有效期和设置。Show files and settings in use.

    例：fupin info --data ./我的清单
    """
    from ...cache import cache_dir

    ctx = context(data=data, journal=journal)
    plan = ctx.plan
    settings = plan.settings
    rows = [
        ("任务清单", str(plan.tasks_file)),
        ("单位文件", str(plan.units_file)),
        ("销号台账", f"{ctx.journal_path}（来自{ctx.journal_source}）"),
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
        print(terminal_safe(f"{key}{'　' * (width - len(key))}：{value}"))  # full-width spaces align Chinese keys


def init(
    folder: Annotated[Path, typer.Argument(help="要创建的数据文件夹。", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="文件夹中已有清单时覆盖。")] = False,
) -> None:
    """把随软件安装的清单复制到文件夹，供本单位编辑；之后用 --data 文件夹 或 FUPIN_DATA 使用它。
    Write an editable copy of the shipped plan.

    例：fupin init ./扶贫清单 && fupin list --data ./扶贫清单
    """
    from ...journal.jsonl.writer import JOURNAL_FILENAME, create_empty_journal, git_attributes_text, git_ignore_text
    from ...plan_io.loader import TASKS_FILE, UNITS_FILE, shipped_data_dir

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
    ignore = folder / ".gitignore"
    if not ignore.exists():
        write_output(ignore, git_ignore_text(), force=False)
    created = create_empty_journal(folder / JOURNAL_FILENAME)
    print(terminal_safe(f"已在 {folder} 写入 {TASKS_FILE}、{UNITS_FILE}、.gitattributes（台账按 union 方式合并）和 .gitignore"
                        + (f"，并新建空台账 {JOURNAL_FILENAME}" if created else "") + "。"))
    print(terminal_safe(f"以后运行：fupin list --data {folder}  或设置 FUPIN_DATA={folder}；与其他办公室共享：fupin sync"))


def check(data: DataOpt = None, journal: JournalOpt = None) -> None:
    """检查清单、单位文件和销号台账，列出每个问题；无问题退出码 0，有问题 1。Validate everything.

    例：fupin check --data ./扶贫清单
    """
    from ...app.checks import check_all

    ctx = context(data=data, journal=journal)
    problems, notices = check_all(ctx)
    for notice in notices:
        print(terminal_safe(f"提示：{notice}"))
    for problem in problems:  # problems quote the plan and the journal: shown safely
        print(terminal_safe(str(problem), keep_newlines=True))
    if problems:
        print(f"发现 {len(problems)} 个问题。")
        raise typer.Exit(1)
    plan = ctx.plan
    print(terminal_safe(f"检查通过：{len(plan.tasks)} 项任务，{len(plan.units)} 个单位，台账 {ctx.journal_path}。"))


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("list")(list_tasks)
    app.command("units")(list_units)
    app.command("info")(info)
    app.command("init")(init)
    app.command("check")(check)
