"""Views: report rows → what people and scripts read, Documents (Chinese headers) and JSON records.

Printouts (terminal, html, docx, markdown) read in minutes: the lists of a period
report are consolidated per task and period, the units still lagging in one cell.
Spreadsheets (xlsx, csv) get the *detail* documents — one row per unit and
obligation — so nothing is lost; JSON gets the records.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..domain.model import Plan, Task
from ..reports.labels import date_words, period_words, short_date
from ..reports.order import plan_keys, task_order
from ..reports.rows import Row
from .document import Chart, Column, Document, PageBreak, Paragraphs, Table, shown_change
from .records import progress_record, row_record

if TYPE_CHECKING:  # annotations only: a due list's printout needs none of the period report's modules
    from ..domain.holidays import HolidayCalendar
    from ..domain.units import UnitIndex
    from ..reports.notice import Notices
    from ..reports.period import PeriodReport, UnitSummary

UNCATEGORISED = "（未分类）"
PERIOD_NAMES = {"week": "周", "month": "月", "quarter": "季度"}
# Shown first when a document covers more than one list, so that 1.1 of one list is not read as the other's.
PLAN_COLUMN = Column("plan", "清单")


def with_plan(columns: list[Column], show: bool) -> list[Column]:
    return [PLAN_COLUMN, *columns] if show else columns

TASK_COLUMNS = [
    Column("id", "编号"), Column("seq", "序号", priority=3), Column("text", "工作任务", "prose"),
    Column("units", "责任单位", "units", hoist=True), Column("deadline", "完成时限", "prose", priority=2),
]
ROW_COLUMNS = [
    Column("status", "状态", "status"), Column("unit", "责任单位", "units", hoist=True), Column("task", "编号"),
    Column("text", "工作任务", "prose"), Column("period", "期间"), Column("due", "应完成日", "date"),
    Column("nominal_due", "原定日期", "date", priority=3), Column("days_text", "期限", priority=2),
    Column("progress", "完成次数", priority=3),
]
CALENDAR_COLUMNS = [
    Column("due", "应完成日", "date"), Column("nominal_due", "原定日期", "date", priority=3),
    Column("task", "编号"), Column("text", "工作任务", "prose"), Column("unit", "责任单位", "units", hoist=True),
    Column("period", "期间"), Column("required", "需完成次数", "int", priority=3),
]
JOURNAL_COLUMNS = [
    Column("id", "记录号"), Column("op", "类型"), Column("date", "完成日期", "date"),
    Column("task", "编号"), Column("unit", "责任单位", "units", hoist=True), Column("period", "期间"),
    Column("by", "经办人", "units", priority=2), Column("note", "备注", "prose", priority=2),
    Column("state", "状态", "units"),
]


def task_record(task: Task) -> dict:
    return {"id": task.id, "seq": task.seq, "category": task.category, "text": task.text,
            "units": list(task.units), "deadline": task.deadline, "note": task.note,
            "explicit_schedule": task.explicit_schedule, "plan": task.plan}


def tasks_document(plan: Plan, tasks: list[Task], subtitle: str = "") -> Document:
    order = _category_order(plan)
    rows = [task_record(t) | {"category": t.category or UNCATEGORISED}
            for t in sorted(tasks, key=lambda t: order[t.category or UNCATEGORISED])]
    lines = [f"{plan.doc_no}  共 {len(tasks)} 项任务" + (f"（{subtitle}）" if subtitle else "")]
    columns = with_plan(TASK_COLUMNS, len(plan_keys(plan)) > 1)
    return Document(title=plan.title, lines=lines,
                    tables=[Table("", columns, rows, group_by="category")])


def _category_order(plan: Plan) -> dict[str, int]:
    order: dict[str, int] = {}
    for task in plan.tasks:
        order.setdefault(task.category or UNCATEGORISED, len(order))
    return order


def unit_records(plan: Plan, counts: dict[str, int]) -> list[dict]:
    return [{"name": u.name, "kind": u.kind, "aliases": list(u.aliases), "members": list(u.members),
             "tasks": counts.get(u.name, 0), "note": u.note} for u in plan.units.values()]


def units_document(plan: Plan, records: list[dict]) -> Document:
    columns = [Column("name", "单位", "units"), Column("kind", "类别"), Column("aliases", "别名", "units"),
               Column("members", "成员", "units"), Column("tasks", "任务数", "int")]
    return Document(title=f"{plan.title}：责任单位", lines=[f"共 {len(records)} 个单位"],
                    tables=[Table("", columns, records)])


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def progress_words(entry) -> str:
    """A progress report in one run of words: 进展：…；问题：…；下步：…（60%，7月10日）."""
    if entry is None:
        return ""
    parts = [f"{label}：{text}" for label, text in (("进展", entry.done), ("问题", entry.problem),
                                                     ("下步", entry.next)) if text]
    when = short_date(entry.date) + (f"，{entry.percent}%" if entry.percent is not None else "")
    return "；".join(parts) + f"（{when}）"


def _display(row: Row) -> dict:
    """A row for the Document renderers: dates stay dates, plus the 完成次数 column."""
    return {"plan": row.plan, "task": row.task, "text": row.text, "category": row.category, "unit": row.unit,
            "period": row.period, "nominal_due": row.nominal_due, "due": row.due, "status": row.status,
            "days": row.days, "required": row.required, "done_count": row.done_count,
            "done_date": row.done_date, "progress": f"{row.done_count}/{row.required}",
            "days_text": _days_text(row.days, row), "original_due": row.original_due if row.extensions else None,
            "extensions": row.extensions or None, "latest": progress_words(row.last_progress)}


def _days_text(days: int | None, row: Row | None = None) -> str:
    if row is not None and row.feedback_due is not None:
        return f"进展应于{short_date(row.feedback_due)}前报送"
    if days is None:
        return ""
    if days < 0:
        return f"逾期{-days}天"
    return "今天到期" if days == 0 else f"还有{days}天"


def rows_document(title: str, lines: list[str], rows: list[Row], *, group_by_unit: bool,
                  empty: str, show_plan: bool = False) -> Document:
    """A due or overdue list; grouped by unit, each unit once, in the order of ``rows``.

    ``show_plan``: the list covers several plans (a 清单 column)."""
    columns = with_plan([c for c in ROW_COLUMNS if not (group_by_unit and c.key == "unit")], show_plan)
    columns += ledger_columns(rows)
    return Document(title=title, lines=lines,
                    tables=[Table("", columns, [_display(r) for r in rows],
                                  group_by="unit" if group_by_unit else None, empty=empty)])


EXTENSION_COLUMNS = [Column("original_due", "原应完成日", "date", priority=2),
                     Column("extensions", "延期次数", "int", priority=2)]
LATEST_COLUMN = Column("latest", "最新进展", "brief", priority=2)


def ledger_columns(rows: list[Row]) -> list[Column]:
    """The columns the ledger adds when some row needs them: extensions, the latest progress."""
    columns = []
    if any(r.extensions for r in rows):
        columns += EXTENSION_COLUMNS
    if any(r.last_progress for r in rows):
        columns.append(LATEST_COLUMN)
    return columns


def calendar_document(title: str, lines: list[str], rows: list[Row], show_plan: bool = False) -> Document:
    columns = with_plan(CALENDAR_COLUMNS, show_plan)
    return Document(title=title, lines=lines,
                    tables=[Table("", columns, [_display(r) for r in rows], empty="此期间没有到期事项")])


def calendar_record(row: Row) -> dict:
    return {"task": row.task, "text": row.text, "unit": row.unit, "period": row.period,
            "nominal_due": row.nominal_due.isoformat(), "due": row.due.isoformat(),
            "required": row.required, "plan": row.plan}


_CHANNEL_WORDS = {"dingtalk": "钉钉", "wecom": "企业微信", "email": "邮件"}


def _op_words(op: str) -> str:
    from ..journal.entries import OPS

    spec = OPS.get(op)
    return spec.words if spec is not None else f"未知操作 {op}"


def entry_details(record: dict) -> str:
    """What an entry of the ledger's own ops says, in words (a completion: its evidence)."""
    op = record["op"]
    if op == "progress":
        parts = [f"{label}：{record[key]}" for label, key in (("进展", "done"), ("问题", "problem"), ("下步", "next"))
                 if record.get(key)]
        if record.get("percent") is not None:
            parts.append(f"完成 {record['percent']}%")
        return "；".join(parts)
    if op == "extend":
        before = f"（原 {record['due_before']}）" if record.get("due_before") else ""
        late = "；到期后申请" if record.get("late") else ""
        approved = f" {record['approved_on']} 批准" if record.get("approved_on") else " 批准"
        return (f"延期至 {record['until']}{before}，{record.get('approved_by', '')}{approved}；"
                f"原因：{record.get('reason', '')}{late}")
    if op == "remind":
        items = "、".join(f"{i['task']}（{i['period']}）" for i in record.get("items", ()))
        return f"{_CHANNEL_WORDS.get(record.get('channel', ''), record.get('channel', ''))}：{items}"
    if op == "waive":
        scope = "全部期间" if record.get("period") == "*" else "本期间"
        return f"免于考核（{scope}），{record.get('approved_by', '')} 批准；原因：{record.get('reason', '')}"
    if record.get("evidence"):
        return "佐证：" + "、".join(e.get("path") or e.get("url") or "" for e in record["evidence"])
    return ""


def _journal_row(record: dict) -> dict:
    op = record["op"]
    if op == "void":
        state = f"作废 {record['target']}"
    elif op in ("done", "progress", "extend", "waive"):
        state = "已作废" if record["voided_by"] else "有效"
    elif op == "remind":
        state = "已送达" + _CHANNEL_WORDS.get(record.get("channel", ""), record.get("channel", "")) \
            + ("（领导）" if record.get("route") == "leader" else "")
    else:  # written by a newer fupin: shown, never counted
        state = "本版本不认识，已保留"
    return record | {"op": _op_words(op), "state": state, "detail": entry_details(record)}


def journal_document(path: str, records: list[dict]) -> Document:
    rows = [_journal_row(r) for r in records]
    columns = with_plan(JOURNAL_COLUMNS, len({r.get("plan") for r in records if r.get("plan")}) > 1)
    if any(r["detail"] for r in rows):
        columns = [*columns[:-1], Column("detail", "内容", "prose", priority=2), columns[-1]]
    return Document(title="销号台账", lines=[f"文件：{path}  共 {len(records)} 条"],
                    tables=[Table("", columns, rows, empty="台账中没有记录")])


# ---------------------------------------------------------------- unit lists in words


def unit_groups(units: UnitIndex) -> dict[str, tuple[str, ...]]:
    """Groups of three or more leaf units, in units.yaml order: a list naming all of one says the group."""
    return {name: units.leaves(name) for name, unit in units.items()
            if unit.is_group and len(units.leaves(name)) >= 3}


def units_words(names: list[str], groups: dict[str, tuple[str, ...]], *, count: bool = True) -> str:
    """Units (in order) in one cell: a whole group by its name, a group but one or two as “除…外”,
    the others by name, and how many: 各区（县）全部7个、各镇、贫困村（共9个单位）."""
    ordered = list(dict.fromkeys(names))
    if not ordered:
        return ""
    place = {name: i for i, name in enumerate(ordered)}
    taken: set[str] = set()
    parts: list[tuple[int, str]] = []
    for group, members in groups.items():
        if any(m in taken for m in members):  # overlapping groups: the first listed wins
            continue
        inside = [m for m in members if m in place]
        missing = [m for m in members if m not in place]
        if inside and not missing:
            words = f"{group}全部{len(members)}个"
        elif 1 <= len(missing) <= 2 and len(inside) >= 3:
            words = f"{group}除{'、'.join(missing)}外{len(inside)}个"
        else:
            continue
        taken.update(inside)
        parts.append((min(place[m] for m in inside), words))
    parts += [(place[name], name) for name in ordered if name not in taken]
    text = "、".join(words for _, words in sorted(parts))
    return f"{text}（共{len(ordered)}个单位）" if count and len(ordered) > 1 else text


# ---------------------------------------------------------------- period reports


def _summary_columns(kind: str, ledger: bool = False) -> list[Column]:
    """The summary's columns; ``ledger``: with 延期 and 反馈逾期 (once the journal records either)."""
    name = PERIOD_NAMES[kind]
    extra = [Column("extended", "延期", "int", priority=2),
             Column("feedback_overdue", "反馈逾期", "int", priority=2)] if ledger else []
    return [
        Column("rank", "排名", "int", priority=2), Column("unit", "责任单位"),
        Column("was_due", "应完成", "int", priority=2), Column("done", "已完成", "int", priority=2),
        Column("done_late", "其中逾期完成", "int", priority=3), Column("overdue", "逾期未完成", "int"),
        *extra, Column("due_now", f"本{name}到期", "int", priority=2), Column("due_next", f"下{name}到期", "int", priority=3),
        Column("done_now", f"本{name}已完成", "int", priority=3),
        Column("previous_rate", f"上{name}完成率", "rate", priority=3), Column("rate", f"本{name}完成率", "rate"),
        Column("change", "变化", "change", priority=2),
    ]


def summary_row(summary: UnitSummary) -> dict:
    return {"rank": summary.rank, "unit": summary.unit, "was_due": summary.was_due, "done": summary.done,
            "done_on_time": summary.done_on_time, "done_late": summary.done_late, "overdue": summary.overdue,
            "due_now": summary.due_now, "due_next": summary.due_next, "done_now": summary.done_now,
            "previous_rate": summary.previous_rate, "rate": summary.rate,
            "change": shown_change(summary.rate, summary.previous_rate), "extended": summary.extended,
            "feedback_overdue": summary.feedback_overdue}


def report_title(report: PeriodReport) -> str:
    who = f"（{report.unit}）" if report.unit else ""
    return f"{report.title} {report.name}{who}（{report.label}）"


def _report_lines(report: PeriodReport) -> list[str]:
    lines = []
    if report.doc_no:
        lines.append(f"依据：{report.doc_no}")
    lines.append(f"统计期间：{date_words(report.start)}至{date_words(report.end)}，"
                 f"截至{date_words(report.as_of)}")
    total = report.total
    if total.was_due:
        change = "" if total.change is None else f"（上{PERIOD_NAMES[report.kind]} {total.previous_rate:.0%}）"
        lines.append(f"{report.unit or '全市'}应完成 {total.was_due} 项，已完成 {total.done} 项，"
                     f"逾期未完成 {total.overdue} 项，完成率 {total.rate:.0%}{change}")
    return lines


def _summary_table(report: PeriodReport) -> Table:
    rows = [summary_row(s) for s in report.summaries]
    total = summary_row(report.total) if len(report.summaries) > 1 else None
    name = PERIOD_NAMES[report.kind]
    note = (f"完成率 = 已完成 ÷ 应完成（截至统计日已到期的事项）；上{name}完成率为上{name}最后一天的完成率；"
            f"变化以百分点计，▲ 上升 ▼ 下降；排名按本{name}完成率。")
    if report.waived:
        note += f"免于考核（不适用或已终止）的 {report.waived} 项不计入应完成和完成率。"
    ledger = bool(report.total.extended or report.total.feedback_overdue)
    return Table("各单位完成情况", _summary_columns(report.kind, ledger), rows, empty=f"本{name}没有需要督办的事项",
                 total=total, note=note if rows else "")


def _trend_chart(report: PeriodReport) -> Chart:
    points = [(f"{p.day.month}/{p.day.day}", p.rate) for p in report.trend]
    who = report.unit or "全市"
    return Chart(f"完成率走势（{who}，按周）", points,
                 note="每点为该周最后一天（最后一点为统计日）的累计完成率。")


def _trend_table(report: PeriodReport) -> Table:
    columns = [Column("day", "日期", "date"), Column("was_due", "应完成", "int"), Column("done", "已完成", "int"),
               Column("rate", "完成率", "rate")]
    rows = [{"day": p.day, "was_due": p.was_due, "done": p.done, "rate": p.rate} for p in report.trend]
    return Table("完成率走势", columns, rows, count=f"（{report.unit or '全市'}，按周）")


# Where progress (进展) and extensions (延期) will go once the journal records them: one more Column in
# the item columns below and one more key in ``_item_row`` — nothing else changes.
def _item_columns(key: str, *, by_unit: bool, ledger: bool = False) -> list[Column]:
    """``ledger``: the list has extensions or progress to show (延期次数, 最新进展)."""
    columns = [Column("task", "编号"), Column("text", "工作任务", "prose"), Column("period_words", "期间", "period"),
               Column("due", "应完成日", "date", priority=2)]
    if key == "overdue":
        columns.append(Column("days_overdue", "逾期天数", "int"))
    if key == "extended":
        columns.insert(3, Column("original_due", "原应完成日", "date", priority=2))
    if key == "done_now":
        columns.append(Column("done_words" if not by_unit else "done_words_unit", "完成情况", "units"))
    elif not by_unit:
        columns.append(Column("units_words", "未完成单位", "units"))
    elif key not in ("overdue", "extended"):
        columns.append(Column("progress", "完成次数", priority=2))
    if key in ("overdue", "extended") and ledger:
        columns += [Column("extensions", "延期次数", "int", priority=2), LATEST_COLUMN]
    return columns


def _period_text(row: Row) -> str:
    words = period_words(row.period)
    return f"{words}（{row.rule_hint}）" if row.rule_hint else words


def _done_words(row: Row, *, with_unit: bool) -> str:
    when = short_date(row.done_date)
    late = "，逾期完成" if row.status == "done_late" else ""
    return f"{row.unit}（{when}{late}）" if with_unit else f"{when}完成{late}"


def _items(rows: list[Row], key: str, groups: dict[str, tuple[str, ...]]) -> list[dict]:
    """Rows consolidated per task and period, in the order of their first row; units in one cell."""
    items: dict[tuple[str, str, str], list[Row]] = {}
    for row in rows:
        items.setdefault((row.plan, row.task, row.period), []).append(row)
    out = []
    for (plan, task, _period), found in items.items():
        first = found[0]
        names = [r.unit for r in found]
        units = units_words(names, groups)
        if key in ("due_now", "due_next"):  # several completions required: say how far each unit got
            partial = [f"{r.unit}{r.done_count}/{r.required}" for r in found if r.done_count]
            if partial:
                units += "；已部分完成：" + "、".join(partial)
        with_progress = [r for r in found if r.last_progress]
        latest = "；".join((f"{r.unit}：" if len(found) > 1 else "") + progress_words(r.last_progress)
                          for r in with_progress)
        out.append({"plan": plan, "task": task, "text": first.text, "period": first.period,
                    "period_words": _period_text(first), "original_due": first.original_due,
                    "extensions": max(r.extensions for r in found) or None, "latest": latest,
                    "due": first.due, "days_overdue": -first.days if first.days is not None and first.days < 0 else None,
                    "units_words": units, "units": names, "count": len(found),
                    "done_words": "、".join(_done_words(r, with_unit=True) for r in found)})
    return out


def _by_task(rows: list[Row], plan: Plan, sort: str) -> list[Row]:
    """Rows in the order their consolidated items are listed: tasks in plan order (periods by due date),
    or, sorted by date, the earliest first; units inside an item stay in the official order."""
    if sort in ("due", "overdue"):
        return rows
    tasks = task_order(plan)
    return sorted(rows, key=lambda r: (tasks.get(r.task_key, len(tasks)), r.due or date.max, r.period))


def _unit_rows(rows: list[Row]) -> list[dict]:
    return [{"unit": r.unit, "plan": r.plan, "task": r.task, "text": r.text, "period": r.period,
             "period_words": _period_text(r),
             "due": r.due, "days_overdue": -r.days if r.days is not None and r.days < 0 else None,
             "progress": f"{r.done_count}/{r.required}", "done_words_unit": _done_words(r, with_unit=False),
             "original_due": r.original_due, "extensions": r.extensions or None,
             "latest": progress_words(r.last_progress)}
            for r in rows]


def _group_rows_by_unit(rows: list[Row], order: list[str]) -> list[Row]:
    place = {name: i for i, name in enumerate(order)}
    return sorted(rows, key=lambda r: place.get(r.unit, len(place)))  # stable: keeps each unit's own order


def period_document(report: PeriodReport, plan: Plan, *, by_unit: bool | None = None,
                    sort: str = "official") -> Document:
    """The printout of a period report: summary, trend (monthly/quarterly), then the four lists consolidated
    per task and period — or, ``by_unit`` (the default with --unit), under each unit's heading."""
    by_unit = report.unit is not None if by_unit is None else by_unit
    groups = unit_groups(plan.units)
    several = len(report.plans) > 1
    merge = ("plan", "task", "text") if several else ("task", "text")
    blocks: list = [_summary_table(report)]
    if report.trend and report.kind != "week":
        blocks.append(_trend_chart(report))
    unit_order = [s.unit for s in report.summaries]
    for key, heading in report.sections:
        rows = getattr(report, key)
        if key == "extended" and not rows:
            continue  # the 延期中 list appears once something is extended
        ledger = any(r.extensions or r.last_progress for r in rows)
        if by_unit:
            table_rows = _unit_rows(_group_rows_by_unit(rows, unit_order))
            count = f"（{len(rows)} 项）"
            one_unit = len({r.unit for r in rows}) <= 1 and report.unit is not None  # named in the title already
            blocks.append(Table(heading, with_plan(_item_columns(key, by_unit=True, ledger=ledger), several),
                                table_rows, group_by=None if one_unit else "unit", count=count, merge=merge))
        else:
            items = _items(_by_task(rows, plan, sort), key, groups)
            count = f"（{len(items)} 项，涉及 {len(rows)} 个单位次）" if rows else "（0 项）"
            blocks.append(Table(heading, with_plan(_item_columns(key, by_unit=False, ledger=ledger), several),
                                items, count=count, merge=merge))
    if report.progress:
        blocks.append(_progress_table(report, several))
    return Document(title=report_title(report), lines=_report_lines(report), blocks=blocks,
                    subject=report.unit or "", running=f"{report.name}（{report.label}）")


PROGRESS_COLUMNS = [Column("task", "编号"), Column("text", "工作任务", "prose"),
                    Column("unit", "责任单位", "units"), Column("period_words", "期间", "period", priority=3),
                    Column("date", "日期", "date"), Column("done", "进展情况", "prose"),
                    Column("problem", "存在问题", "prose", priority=2), Column("next", "下步计划", "prose", priority=2),
                    Column("percent", "完成比例", "text", priority=3), Column("by", "经办人", "units", priority=3)]


def progress_heading(kind: str) -> str:
    return f"本{PERIOD_NAMES[kind]}进展"


def _progress_table(report: PeriodReport, several: bool) -> Table:
    """本周进展: every progress report dated in the period, tasks in plan order."""
    texts = report.task_texts
    rows = [{"plan": p.plan, "task": p.task, "text": texts.get((p.plan, p.task), ""), "unit": p.unit,
             "period_words": period_words(p.period), "period": p.period, "date": p.date, "done": p.done,
             "problem": p.problem, "next": p.next, "percent": "" if p.percent is None else f"{p.percent}%",
             "by": p.by}
            for p in report.progress]
    return Table(progress_heading(report.kind), with_plan(PROGRESS_COLUMNS, several), rows,
                 count=f"（{len(rows)} 条）", merge=("plan", "task", "text") if several else ("task", "text"))


DETAIL_COLUMNS = {
    "overdue": [Column("status", "状态", "status"), Column("unit", "责任单位", "units"), Column("task", "编号"),
                Column("text", "工作任务", "prose"), Column("period_words", "期间", "period"),
                Column("period", "期间代码"), Column("due", "应完成日", "date"),
                Column("days_overdue", "逾期天数", "int")],
    "due_now": [Column("status", "状态", "status"), Column("unit", "责任单位", "units"), Column("task", "编号"),
                Column("text", "工作任务", "prose"), Column("period_words", "期间", "period"),
                Column("period", "期间代码"), Column("due", "应完成日", "date"), Column("progress", "完成次数")],
    "done_now": [Column("status", "状态", "status"), Column("unit", "责任单位", "units"), Column("task", "编号"),
                 Column("text", "工作任务", "prose"), Column("period_words", "期间", "period"),
                 Column("period", "期间代码"), Column("due", "应完成日", "date"),
                 Column("done_date", "完成日期", "date")],
}
DETAIL_COLUMNS["due_next"] = DETAIL_COLUMNS["due_now"]
DETAIL_COLUMNS["extended"] = [Column("status", "状态", "status"), Column("unit", "责任单位", "units"),
                              Column("task", "编号"), Column("text", "工作任务", "prose"),
                              Column("period_words", "期间", "period"), Column("period", "期间代码"),
                              Column("original_due", "原应完成日", "date"), Column("due", "延期至", "date"),
                              Column("extensions", "延期次数", "int")]


def period_detail_document(report: PeriodReport) -> Document:
    """The period report for spreadsheets: the summary, the trend and one row per unit and obligation."""
    blocks: list = [_summary_table(report)]
    if report.trend and report.kind != "week":
        blocks.append(_trend_table(report))
    for key, heading in report.sections:
        found = getattr(report, key)
        if key == "extended" and not found:
            continue
        rows = [_display(r) | {"period_words": _period_text(r),
                               "days_overdue": -r.days if r.days is not None and r.days < 0 else None}
                for r in found]
        columns = DETAIL_COLUMNS[key]
        if key in ("overdue", "extended"):
            columns = columns + [c for c in ledger_columns(found) if c.key not in {k.key for k in columns}]
        blocks.append(Table(heading, with_plan(columns, len(report.plans) > 1), rows,
                            count=f"（{len(rows)} 项）"))
    if report.progress:
        blocks.append(_progress_table(report, len(report.plans) > 1))
    return Document(title=report_title(report), lines=_report_lines(report), blocks=blocks,
                    subject=report.unit or "", running=f"{report.name}（{report.label}）")


def summary_record(summary: UnitSummary, kind: str = "week") -> dict:
    """A unit's figures in JSON; the weekly report keeps the names of its documented contract."""
    names = {"week": ("due_this_week", "due_next_week", "done_this_week")}.get(
        kind, ("due_this_period", "due_next_period", "done_this_period"))
    return {"unit": summary.unit, "overdue": summary.overdue, names[0]: summary.due_now, names[1]: summary.due_next,
            names[2]: summary.done_now, "done_on_time": summary.done_on_time, "done_late": summary.done_late,
            "was_due": summary.was_due, "rate": summary.rate, "previous_rate": summary.previous_rate,
            "change": summary.change, "rank": summary.rank, "extended": summary.extended,
            "feedback_overdue": summary.feedback_overdue, "waived": summary.waived}


_RECORD_SECTIONS = {"week": {"overdue": "overdue", "due_now": "due_this_week", "due_next": "due_next_week",
                             "done_now": "done_this_week", "extended": "extended"}}
_PERIOD_SECTIONS = {"overdue": "overdue", "due_now": "due_this_period", "due_next": "due_next_period",
                    "done_now": "done_this_period", "extended": "extended"}


def period_record(report: PeriodReport) -> dict:
    """The JSON of a period report (documented in the README)."""
    names = _RECORD_SECTIONS.get(report.kind, _PERIOD_SECTIONS)  # the documented order; extended added last
    head = {"title": report.title, "doc_no": report.doc_no, "as_of": report.as_of.isoformat()}
    if report.kind == "week":
        head |= {"week": f"{report.year}-W{report.week:02d}", "week_start": report.start.isoformat(),
                 "week_end": report.end.isoformat()}
    else:
        head |= {"kind": report.kind, "period": report.label, "start": report.start.isoformat(),
                 "end": report.end.isoformat()}
    body = {"unit": report.unit,
            "summary": [summary_record(s, report.kind) for s in report.summaries],
            "total": summary_record(report.total, report.kind),
            **{name: [row_record(r) for r in getattr(report, key)] for key, name in names.items()
               if key != "extended"}}
    if report.kind != "week":
        body["trend"] = [{"date": p.day.isoformat(), "done": p.done, "was_due": p.was_due, "rate": p.rate}
                         for p in report.trend]
    # Added with the ledger's own ops, after every key of the earlier contract.
    body["extended"] = [row_record(r) for r in report.extended]
    body["progress_this_week" if report.kind == "week" else "progress_this_period"] = [
        {"plan": p.plan, "task": p.task, "unit": p.unit, "period": p.period} | progress_record(p)
        for p in report.progress]
    body["waived"] = report.waived
    return head | body


weekly_record = period_record


# ---------------------------------------------------------------- reminders (催办) in reports

REMINDER_COLUMNS = [Column("unit", "责任单位", "units"), Column("task", "编号"), Column("text", "工作任务", "prose"),
                    Column("period", "期间", "period"), Column("chased", "催办次数")]


def with_reminders(document: Document, chases: list[dict]) -> Document:
    """``document`` with a last table of the overdue items that were chased: 催办 N 次 each."""
    if chases:
        rows = [{"unit": c["unit"], "task": c["task"], "text": c["text"], "period": c["period"],
                 "chased": f"催办 {c['count']} 次"} for c in chases]
        table = Table("逾期事项催办情况", REMINDER_COLUMNS, rows, count=f"（{len(rows)} 项）")
        document.blocks = document.body() + [table]
    return document


def reminders_record(chases: list[dict]) -> list[dict]:
    return [{"unit": c["unit"], "task": c["task"], "period": c["period"], "count": c["count"], "plan": c["plan"]}
            for c in chases]


# ---------------------------------------------------------------- notices (督办通知单)

NOTICE_COLUMNS = [Column("task", "编号"), Column("text", "工作任务", "prose"),
                  Column("deadline", "完成时限（原文）", "prose", priority=2),
                  Column("overdue_periods", "逾期未完成的期间", "period"),
                  Column("days_overdue", "最长逾期天数", "int"),
                  Column("soon_periods", "近期到期（应完成日）", "period")]
# The latest progress (最新进展) of an item, once the journal records progress: shown only when some item has it.
PROGRESS_COLUMN = Column("progress_words", "最新进展", "prose", priority=2)


def periods_in_words(rows: list[Row]) -> str:
    """The periods of one task's rows in few words: 2018年4月、5月、6月（每月25日前录入）；2018年6月30日."""
    by_duty: dict[str, list[str]] = {}
    for row in rows:
        by_duty.setdefault(row.rule_hint, []).append(period_words(row.period))
    parts = []
    for hint, words in by_duty.items():
        shown, year = [], ""
        for word in words:
            head = word[:5] if len(word) > 5 and word[4] == "年" else ""
            shown.append(word[5:] if head and head == year else word)
            year = head or year
        parts.append("、".join(shown) + (f"（{hint}）" if hint else ""))
    return "；".join(parts)


def _notice_rows(overdue: list[Row], soon: list[Row], deadlines: dict[tuple[str, str], str], progress: dict,
                 order: dict[tuple[str, str], int]) -> list[dict]:
    """One row per task, in plan order: its overdue periods in words and the longest delay, and what of it falls
    due soon with the dates — a task and its deadline words are printed once."""
    by_task: dict[tuple[str, str], tuple[list[Row], list[Row]]] = {}
    for index, rows in enumerate((overdue, soon)):
        for row in rows:
            by_task.setdefault(row.task_key, ([], []))[index].append(row)
    out = []
    for key in sorted(by_task, key=lambda k: order.get(k, len(order))):
        late, coming = (sorted(rows, key=lambda r: (r.due or date.max, r.period)) for rows in by_task[key])
        first = (late or coming)[0]
        task = first.task
        days = [-r.days for r in late if r.days is not None]
        out.append({"plan": first.plan, "task": task, "text": first.text, "deadline": deadlines.get(key, ""),
                    "overdue_periods": periods_in_words(late), "days_overdue": max(days) if days else None,
                    "soon_periods": "；".join(f"{_period_text(r)}：{short_date(r.due)}" for r in coming),
                    "progress_words": progress.get((task, first.unit), "")
                    or progress_words(next((r.last_progress for r in (*late, *coming) if r.last_progress), None))})
    return out


def notice_number(as_of: date, index: int) -> str:
    return f"{as_of:%Y%m%d}-{index:02d}"


def notices_document(found: Notices, progress: dict | None = None, first_number: int = 1) -> Document:
    """One page per unit: to whom, what is overdue and what falls due soon (with the deadline's own words),
    what to do, and room to sign, date and receipt the notice."""
    progress = progress or {}
    blocks: list = []
    for index, notice in enumerate(found.notices, start=first_number):
        if blocks:
            blocks.append(PageBreak())
        blocks.append(Paragraphs([f"督办通知单（{notice.unit}）"], style="heading"))
        blocks.append(Paragraphs([f"编号：{notice_number(found.as_of, index)}"], style="small"))
        blocks.append(Paragraphs([f"{notice.unit}："], style="salutation"))
        basis = f"《{found.title}》" + (f"（{found.doc_no}）" if found.doc_no else "")
        if notice:
            what = "、".join(part for part in (
                f"{len(notice.overdue)} 项逾期未完成" if notice.overdue else "",
                f"{len(notice.due_soon)} 项将在 {found.within} 天内到期" if notice.due_soon else "") if part)
            body = [f"根据{basis}，截至{date_words(found.as_of)}，你单位承担的任务中有 {what}，明细如下。",
                    "请对照清单抓紧办理：逾期事项请说明原因并明确完成时间，办结后及时报送完成情况和佐证材料，以便销号。"]
        else:
            body = [f"根据{basis}，截至{date_words(found.as_of)}，你单位没有逾期未完成或 {found.within} 天内到期的任务。"]
        blocks.append(Paragraphs(body))
        if notice:
            table_rows = _notice_rows(notice.overdue, notice.due_soon, found.deadlines, progress, found.order)
            shown = [c for c in NOTICE_COLUMNS if any(r[c.key] not in (None, "") for r in table_rows)
                     or c.key in ("task", "text", "deadline")]
            shown = with_plan(shown, len(found.plans) > 1)
            shown += [PROGRESS_COLUMN] if any(r["progress_words"] for r in table_rows) else []
            counts = "，".join(part for part in (
                f"逾期 {len(notice.overdue)} 期" if notice.overdue else "",
                f"{found.within} 天内到期 {len(notice.due_soon)} 期" if notice.due_soon else "") if part)
            blocks.append(Table("督办事项", shown, table_rows, count=f"（{len(table_rows)} 项任务：{counts}）"))
        blocks.append(Paragraphs([f"督办单位：{found.issuer or '（督办单位）'}（盖章）",
                                  "签发人：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日"], style="signature"))
        blocks.append(Paragraphs([f"签收人（{notice.unit}）：＿＿＿＿＿＿　　签收日期：＿＿＿＿年＿＿月＿＿日"],
                                 style="receipt"))
    single = found.notices[0].unit if len(found.notices) == 1 else ""
    title = "督办通知单" + (f"（{single}）" if single else "")
    lines = [f"依据：{found.doc_no}" if found.doc_no else "", f"截至{date_words(found.as_of)}"
             + (f"，共 {len(found.notices)} 个单位" if len(found.notices) > 1 else "")]
    return Document(title=title, lines=[line for line in lines if line], blocks=blocks, subject=single,
                    running="督办通知单", compact=True)


def notices_record(found: Notices, first_number: int = 1) -> dict:
    return {"title": found.title, "doc_no": found.doc_no, "as_of": found.as_of.isoformat(), "within": found.within,
            "notices": [{"unit": n.unit, "number": notice_number(found.as_of, i),
                         "overdue": [row_record(r) | {"deadline": found.deadlines.get(r.task_key, "")}
                                     for r in n.overdue],
                         "due_soon": [row_record(r) | {"deadline": found.deadlines.get(r.task_key, "")}
                                      for r in n.due_soon]}
                        for i, n in enumerate(found.notices, start=first_number)]}


# ---------------------------------------------------------------- deadlines

def explain_document(result: dict) -> Document:
    rules = Table("理解为", [Column("n", "#", "int"), Column("description", "规则", "prose"),
                          Column("words", "出自原文", "prose")],
                  [{"n": i + 1, **r} for i, r in enumerate(result["rules"])])
    upcoming = Table("之后的到期日", [Column("period", "期间"), Column("nominal_due", "原定日期"),
                                   Column("due", "应完成日（节假日顺延后）")],
                     result["next"], empty="长期性任务，没有到期日" if result["ongoing"] else "（无）")
    return Document(title=f"完成时限：{result['phrase']}", tables=[rules, upcoming])


WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def month_grid(first: date, rows: list[Row], calendar: HolidayCalendar) -> Table:
    """A Monday-first month grid: each day with its count of deadlines; 休 marks a day off."""
    import calendar as months  # only for the grid: every report imports this module

    counts: dict[date, int] = {}
    for row in rows:
        counts[row.due] = counts.get(row.due, 0) + 1
    weeks = []
    for week in months.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        cells = {}
        for index, day in enumerate(week):
            if day.month != first.month:
                cells[str(index)] = ""
                continue
            mark = "" if calendar.is_workday(day) else "休"
            count = f" {counts[day]}项" if day in counts else ""
            cells[str(index)] = f"{day.day}{mark}{count}"
        weeks.append(cells)
    return Table(f"{first.year}年{first.month}月（休=休息日，N项=当天到期事项数）",
                 [Column(str(i), f"周{name}") for i, name in enumerate(WEEKDAYS)], weeks)
