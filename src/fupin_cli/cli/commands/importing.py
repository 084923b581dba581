"""Bringing a list in and out: ``fupin import`` (an official table → a data folder), ``fupin export``."""

import os
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from ...domain.errors import UsageError
from ..options import YEAR, Choice, DataOpt, JournalOpt, OutputOpt, PathValue, PlanOpt, Text, context

PROGRESS_DELAY = 1.0        # seconds before an import says what it is doing


class Progress:
    """What a long import is doing, on stderr — only on a terminal, only once it has taken a second.

    Called with each phase's words; a thread redraws one line (phase and seconds) until ``close``.
    """

    def __init__(self, stream=None, delay: float = PROGRESS_DELAY) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.phase = ""
        self.start = time.monotonic()
        self.shown = False
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = None
        if self.enabled:
            self._thread = threading.Thread(target=self._run, args=(delay,), daemon=True)
            self._thread.start()

    def __call__(self, phase: str) -> None:
        with self._lock:
            self.phase = phase
            if self.shown:
                self._draw()

    def _run(self, delay: float) -> None:
        if self._stop.wait(delay):
            return
        while True:
            with self._lock:
                self.shown = True
                self._draw()
            if self._stop.wait(0.5):
                return

    def _draw(self) -> None:
        self.stream.write(f"\r\x1b[K{self.phase}……（{time.monotonic() - self.start:.0f} 秒）")
        self.stream.flush()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def import_table(
    file: Annotated[Path, typer.Argument(click_type=PathValue(folder=False, metavar="表格文件"), metavar="表格文件",
                                         help="任务清单表格：.docx、.xlsx、.csv、.tsv 或 .txt。", show_default=False)],
    into: Annotated[Optional[Path], typer.Option(
        "--into", click_type=PathValue(folder=True, metavar="文件夹", creates=True), help="导入到哪个数据文件夹；默认为 FUPIN_DATA，未设置时为当前目录下与文件同名的文件夹。",
        show_default=False)] = None,
    plan_key: Annotated[Optional[str], typer.Option(
        "--plan", click_type=Text("清单名"), help="清单名：写成文件夹中的 plans/清单名.yaml（与其他清单并存）；不写则为 tasks.yaml。",
        show_default=False)] = None,
    sheet: Annotated[Optional[str], typer.Option(
        "--sheet", click_type=Text("工作表"), help="读哪个工作表（.xlsx）或第几个表格（.docx，如 表2）；默认为第一个有表头的。",
        show_default=False)] = None,
    year: Annotated[Optional[int], typer.Option(
        "--year", click_type=YEAR, help="清单所属年份；默认从标题、文号、印发日期或文件名读出。", show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="文件夹中已有另一份清单，或新表去掉了台账中有完成记录的任务时，仍然导入。")] = False,
    journal: JournalOpt = None,
) -> None:
    """把 Word/Excel 任务清单表格导入为数据文件夹（tasks.yaml、units.yaml），并列出需要核对的地方。
    Import an official task table.

    有新增单位或无法识别的完成时限时退出码为 1（导入已完成，请核对）；表格有错时为 2（什么也没写）。

    例：fupin import 2019年任务清单.xlsx --into ./2019清单
    """
    from ...app.importing import import_file

    folder = into if into is not None else Path(os.environ.get("FUPIN_DATA") or file.stem)
    progress = Progress()
    try:
        report = import_file(file, into=folder, plan_key=plan_key, sheet=sheet, year=year, force=force,
                             journal=journal, progress=progress)
    finally:
        progress.close()
    _show_report(report)
    if report.needs_review:
        raise typer.Exit(1)


def _show_report(report) -> None:
    from ...app.importing import describe_source
    from ...output.document import Column, Document, Table
    from ..output import show
    from ...output.formats import View

    imported = report.imported
    header = imported.header
    what = "更新" if report.same_plan else "替换" if report.replaced else "导入"
    lines = [f"{describe_source(report.file, report.grid)} → {report.plan_file}",
             f"《{header.title}》" + (f"（{header.doc_no}）" if header.doc_no else "")
             + f"，有效期 {header.valid_from} 至 {header.valid_to}（年份读自{report.year_from}）"]
    if report.same_plan:
        lines.append(f"同一份清单再次导入：{imported.kept_ids} 项任务沿用原编号，"
                     f"{len(imported.tasks) - imported.kept_ids} 项为新任务")
    if report.replaced:
        lines.append(f"已替换原有的《{report.replaced}》")
    summary = [
        {"item": "任务", "count": len(imported.tasks)},
        {"item": "责任单位（已有）", "count": len(imported.known_units)},
        {"item": "责任单位（新增，待核对）", "count": len(imported.new_units)},
        {"item": "完成时限无法识别（待核对）", "count": len(imported.unreadable)},
        {"item": "完成时限为空", "count": len(imported.empty_deadlines)},
    ]
    review = []
    for unit in imported.new_units:
        close = f"；相近的已有单位：{'、'.join(unit.close)}" if unit.close else ""
        review.append({"kind": "新增单位", "where": str(unit.first),
                       "what": f"{unit.name}（按“{unit.why}”推测为{unit.kind}；任务 {'、'.join(unit.tasks)}）{close}"})
    for item in imported.unreadable:
        quoted = "" if f"“{item.words}”" in item.message else f"“{item.words}”——"
        review.append({"kind": "完成时限无法识别", "where": str(item.location),
                       "what": f"任务 {item.task}：{quoted}{item.message}"})
    for orphan in report.orphans:
        fate = "编号被新清单沿用，这些记录会算到新任务上" if orphan.reused else "新表中没有这项任务"
        review.append({"kind": "台账记录对不上", "where": ", ".join(str(p) for p in report.journals),
                       "what": f"任务 {orphan.task}（{orphan.text}）有 {orphan.entries} 条完成记录；{fate}"})
    for change in report.unit_changes:
        review.append({"kind": "责任单位变化", "where": str(report.plan_file), "what": change})
    for task_id in imported.dropped_schedules:
        review.append({"kind": "手写规则已去掉", "where": str(report.plan_file),
                       "what": f"任务 {task_id} 的完成时限改了，原来手写的 schedule 不再适用，请重新核对"})
    info = [{"kind": "完成时限为空", "where": str(item.location), "what": f"任务 {item.task}：不计入到期报表"}
            for item in imported.empty_deadlines]
    info += [{"kind": "新编号", "where": str(report.plan_file),
              "what": f"新任务 {given}：按规则应为 {by_rule}，但原清单已用过这个编号（台账记录不能挪到别的任务上）"}
             for by_rule, given in imported.renumbered]
    info += [{"kind": "提示", "where": notice.split(": ", 1)[0], "what": notice.split(": ", 1)[-1]}
             for notice in report.table_notices]
    columns = [Column("kind", "类别"), Column("where", "位置"), Column("what", "内容")]
    tables = [Table("", [Column("item", "项目"), Column("count", "数量", "int")], summary),
              Table("需要核对", columns, review, empty="（无）")]
    if info:
        tables.append(Table("提示", columns, info))
    document = Document(f"{what}完成：{len(imported.tasks)} 项任务", lines, tables)
    show(View(document=lambda: document), "table")
    data = f" --data {report.folder}"
    if report.needs_review:
        print(f"请核对上面列出的事项（{report.units_file.name} 中新增的单位、{report.plan_file.name} 中带“【导入】”的说明），"
              f"改好后运行：fupin check{data}")
    else:
        print(f"下一步：fupin check{data}；fupin list{data}")


EXPORT_FORMATS = ("xlsx", "docx")


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx（Excel）或 docx（Word）。",
                                     click_type=Choice(EXPORT_FORMATS, "格式", {"xlsx": "Excel 工作簿",
                                                                               "docx": "Word 文档"}))] = "xlsx",
    output: OutputOpt = None,
    force: Annotated[bool, typer.Option("--force", help="--output 的文件已存在时覆盖它。")] = False,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
) -> None:
    """把清单导出为正式的任务清单表格（序号、工作任务、责任单位、完成时限、备注），可再用 fupin import 导入。
    Export the plan as the official table.

    例：fupin export --format docx --output 任务清单.docx
    """
    from ...app.exporting import export_plan
    from ..output import emit, warn

    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--format 的值 “{fmt}” 无效，可选：{'、'.join(EXPORT_FORMATS)}", subject="format")
    if output is None and sys.stdout.isatty():
        raise UsageError(f"{fmt} 是二进制文件，请用 --output 文件名.{fmt} 写入文件", subject="output")
    plan = context(data=data, plan=plan_key).plan
    content, differences = export_plan(plan, fmt)
    emit(content, output, force)
    if differences:
        warn(f"下列 {len(differences)} 处在表格中无法原样表示，再用 fupin import 导入时会不同：")
        for difference in differences:
            print(f"  {difference}", file=sys.stderr)


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("import")(import_table)
    app.command("export")(export)
