"""Views: report rows → what people and scripts read, Documents (Chinese headers) and JSON records."""

from __future__ import annotations

import calendar as months
from datetime import date

from ..domain.holidays import HolidayCalendar
from ..domain.model import Plan, Task
from ..reports.rows import Row
from ..reports.weekly import WeeklyReport
from .document import Column, Document, Table

UNCATEGORISED = "（未分类）"

TASK_COLUMNS = [
    Column("id", "编号"), Column("seq", "序号"), Column("text", "工作任务"),
    Column("units", "责任单位"), Column("deadline", "完成时限"),
]
ROW_COLUMNS = [
    Column("status", "状态", "status"), Column("unit", "责任单位"), Column("task", "编号"),
    Column("text", "工作任务"), Column("period", "期间"), Column("due", "应完成日", "date"),
    Column("nominal_due", "原定日期", "date"), Column("days_text", "期限"),
    Column("progress", "完成次数"),
]
CALENDAR_COLUMNS = [
    Column("due", "应完成日", "date"), Column("nominal_due", "原定日期", "date"),
    Column("task", "编号"), Column("text", "工作任务"), Column("unit", "责任单位"),
    Column("period", "期间"), Column("required", "需完成次数", "int"),
]
JOURNAL_COLUMNS = [
    Column("id", "记录号"), Column("op", "类型"), Column("date", "完成日期", "date"),
    Column("task", "编号"), Column("unit", "责任单位"), Column("period", "期间"),
    Column("by", "经办人"), Column("note", "备注"), Column("state", "状态"),
]


def task_record(task: Task) -> dict:
    return {"id": task.id, "seq": task.seq, "category": task.category, "text": task.text,
            "units": list(task.units), "deadline": task.deadline, "note": task.note,
            "explicit_schedule": task.explicit_schedule}


def tasks_document(plan: Plan, tasks: list[Task], subtitle: str = "") -> Document:
    rows = [task_record(t) | {"category": t.category or UNCATEGORISED}
            for t in sorted(tasks, key=lambda t: _category_order(plan)[t.category or UNCATEGORISED])]
    lines = [f"{plan.doc_no}  共 {len(tasks)} 项任务" + (f"（{subtitle}）" if subtitle else "")]
    return Document(title=plan.title, lines=lines,
                    tables=[Table("", TASK_COLUMNS, rows, group_by="category")])


def _category_order(plan: Plan) -> dict[str, int]:
    order: dict[str, int] = {}
    for task in plan.tasks:
        order.setdefault(task.category or UNCATEGORISED, len(order))
    return order


def unit_records(plan: Plan, counts: dict[str, int]) -> list[dict]:
    return [{"name": u.name, "kind": u.kind, "aliases": list(u.aliases), "members": list(u.members),
             "tasks": counts.get(u.name, 0), "note": u.note} for u in plan.units.values()]


def units_document(plan: Plan, records: list[dict]) -> Document:
    columns = [Column("name", "单位"), Column("kind", "类别"), Column("aliases", "别名"),
               Column("members", "成员"), Column("tasks", "任务数", "int")]
    return Document(title=f"{plan.title}：责任单位", lines=[f"共 {len(records)} 个单位"],
                    tables=[Table("", columns, records)])


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def row_record(row: Row) -> dict:
    """The JSON contract of a report row (documented in the README)."""
    return {"task": row.task, "text": row.text, "category": row.category, "unit": row.unit,
            "period": row.period, "nominal_due": _iso(row.nominal_due), "due": _iso(row.due),
            "status": row.status, "days": row.days, "required": row.required,
            "done_count": row.done_count, "done_date": _iso(row.done_date)}


def _display(row: Row) -> dict:
    """A row for the Document renderers: dates stay dates, plus the 完成次数 column."""
    return {"task": row.task, "text": row.text, "category": row.category, "unit": row.unit,
            "period": row.period, "nominal_due": row.nominal_due, "due": row.due, "status": row.status,
            "days": row.days, "required": row.required, "done_count": row.done_count,
            "done_date": row.done_date, "progress": f"{row.done_count}/{row.required}",
            "days_text": _days_text(row.days)}


def _days_text(days: int | None) -> str:
    if days is None:
        return ""
    if days < 0:
        return f"逾期{-days}天"
    return "今天到期" if days == 0 else f"还有{days}天"


def rows_document(title: str, lines: list[str], rows: list[Row], *, group_by_unit: bool,
                  empty: str) -> Document:
    columns = [c for c in ROW_COLUMNS if not (group_by_unit and c.key == "unit")]
    return Document(title=title, lines=lines,
                    tables=[Table("", columns, [_display(r) for r in rows],
                                  group_by="unit" if group_by_unit else None, empty=empty)])


def calendar_document(title: str, lines: list[str], rows: list[Row]) -> Document:
    return Document(title=title, lines=lines,
                    tables=[Table("", CALENDAR_COLUMNS, [_display(r) for r in rows], empty="此期间没有到期事项")])


def calendar_record(row: Row) -> dict:
    return {"task": row.task, "text": row.text, "unit": row.unit, "period": row.period,
            "nominal_due": row.nominal_due.isoformat(), "due": row.due.isoformat(),
            "required": row.required}


_OP_WORDS = {"done": "销号", "void": "作废"}


def _journal_row(record: dict) -> dict:
    op = record["op"]
    if op == "done":
        state = "已作废" if record["voided_by"] else "有效"
    elif op == "void":
        state = f"作废 {record['target']}"
    else:  # written by a newer fupin: shown, never counted
        state = "本版本不认识，已保留"
    return record | {"op": _OP_WORDS.get(op, f"未知操作 {op}"), "state": state}


def journal_document(path: str, records: list[dict]) -> Document:
    rows = [_journal_row(r) for r in records]
    return Document(title="销号台账", lines=[f"文件：{path}  共 {len(records)} 条"],
                    tables=[Table("", JOURNAL_COLUMNS, rows, empty="台账中没有记录")])


SUMMARY_COLUMNS = [
    Column("unit", "责任单位"), Column("overdue", "逾期未完成", "int"),
    Column("due_this_week", "本周到期", "int"), Column("due_next_week", "下周到期", "int"),
    Column("done_this_week", "本周已完成", "int"), Column("done_on_time", "按时完成", "int"),
    Column("done_late", "逾期完成", "int"), Column("was_due", "应完成", "int"),
    Column("rate", "完成率", "rate"),
]
WEEK_COLUMNS = {
    "overdue": [Column("status", "状态", "status"), Column("unit", "责任单位"), Column("task", "编号"),
                Column("text", "工作任务"), Column("period", "期间"), Column("due", "应完成日", "date"),
                Column("days_overdue", "逾期天数", "int")],
    "due_this_week": [Column("status", "状态", "status"), Column("unit", "责任单位"), Column("task", "编号"),
                      Column("text", "工作任务"), Column("period", "期间"), Column("due", "应完成日", "date"),
                      Column("progress", "完成次数")],
    "done_this_week": [Column("status", "状态", "status"), Column("unit", "责任单位"), Column("task", "编号"),
                       Column("text", "工作任务"), Column("period", "期间"), Column("due", "应完成日", "date"),
                       Column("done_date", "完成日期", "date")],
}
WEEK_COLUMNS["due_next_week"] = WEEK_COLUMNS["due_this_week"]


def weekly_title(report: WeeklyReport) -> str:
    return f"{report.title} 督办周报（{report.year}年第{report.week}周）"


def weekly_document(report: WeeklyReport) -> Document:
    lines = [f"{report.doc_no}  {report.week_start} 至 {report.week_end}，截至 {report.as_of}"]
    summary_rows = [summary_record(s) for s in report.summaries]
    tables = [Table("各单位汇总", SUMMARY_COLUMNS, summary_rows, empty="本周没有需要督办的事项")]
    for key, heading in report.SECTIONS:
        rows = [_display(r) | {"days_overdue": -r.days if r.days is not None else None}
                for r in getattr(report, key)]
        tables.append(Table(f"{heading}（{len(rows)} 项）", WEEK_COLUMNS[key], rows))
    return Document(title=weekly_title(report), lines=lines, tables=tables)


def summary_record(summary) -> dict:
    return {"unit": summary.unit, "overdue": summary.overdue, "due_this_week": summary.due_this_week,
            "due_next_week": summary.due_next_week, "done_this_week": summary.done_this_week,
            "done_on_time": summary.done_on_time, "done_late": summary.done_late,
            "was_due": summary.was_due, "rate": summary.rate}


def weekly_record(report: WeeklyReport) -> dict:
    return {
        "title": report.title, "doc_no": report.doc_no, "as_of": report.as_of.isoformat(),
        "week": f"{report.year}-W{report.week:02d}", "week_start": report.week_start.isoformat(),
        "week_end": report.week_end.isoformat(),
        "summary": [summary_record(s) for s in report.summaries],
        **{key: [row_record(r) for r in getattr(report, key)] for key, _ in report.SECTIONS},
    }


# ---------------------------------------------------------------- deadlines

def explain_document(result: dict) -> Document:
    rules = Table("理解为", [Column("n", "#", "int"), Column("description", "规则"), Column("words", "出自原文")],
                  [{"n": i + 1, **r} for i, r in enumerate(result["rules"])])
    upcoming = Table("之后的到期日", [Column("period", "期间"), Column("nominal_due", "原定日期"),
                                   Column("due", "应完成日（节假日顺延后）")],
                     result["next"], empty="长期性任务，没有到期日" if result["ongoing"] else "（无）")
    return Document(title=f"完成时限：{result['phrase']}", tables=[rules, upcoming])


WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def month_grid(first: date, rows: list[Row], calendar: HolidayCalendar) -> Table:
    """A Monday-first month grid: each day with its count of deadlines; 休 marks a day off."""
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
