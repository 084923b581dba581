"""Rules in Chinese words for people: "每季度，季度结束后10日内（需完成1次）"."""

from __future__ import annotations

from ..domain.model import Rule

_EVERY_NAME = {"week": "每周", "month": "每月", "quarter": "每季度", "half": "每半年", "year": "每年",
               "semester": "每学期", "bimonth": "每两个月", "dekad": "每旬"}
_PERIOD_NAME = {"month": "月", "quarter": "季度", "half": "半年", "year": "年", "semester": "学期",
                "bimonth": "两个月", "dekad": "旬"}
_WEEKDAY_NAME = "一二三四五六日"


def _anchor(rule: Rule) -> str:
    """Where in the period the rule points before any offset."""
    k, mo, d = rule.kind, rule.month, rule.day
    name = _PERIOD_NAME[k]
    day = "末" if d is None else f"{d}日"
    if k == "month":
        return "月末" if d is None else f"当月{d}日"
    if k == "dekad":
        return "旬末" if d is None else f"旬内第{d}日"
    if k == "year":
        if mo is None:
            return "年底" if d is None else f"12月{d}日"
        return f"{mo}月底" if d is None else f"{mo}月{d}日"
    if k == "semester" and mo == 1 and d == 1:
        return "开学日"
    if k == "bimonth" and mo == 1:
        return "单月月底" if d is None else f"单月{d}日"
    if k == "bimonth":
        return "双月月底" if d is None else f"双月{d}日"
    if mo is None:
        return f"{name}末" if d is None else f"{name}末月{day}"
    first = "首月" if mo == 1 else f"第{mo}个月"
    return f"{name}{first}{day}"


def _bounds(rule: Rule) -> str:
    if rule.since and rule.until:
        return f"（{rule.since.isoformat()}至{rule.until.isoformat()}）"
    if rule.since:
        return f"（自{rule.since.isoformat()}起）"
    if rule.until:
        return f"（至{rule.until.isoformat()}止）"
    return ""


def _workdays(n: int) -> str:
    if n > 0:
        return f"后第{n}个工作日"
    if n == -1:
        return "前最后一个工作日"
    return f"前倒数第{-n}个工作日"


def describe(rule: Rule) -> str:
    """The rule in Chinese words for people, e.g. "每季度，季度结束后10日内（需完成1次）"."""
    count = f"（需完成{rule.count}次）"
    if rule.kind == "once":
        when = rule.date.isoformat() if rule.date else "日期未定"
        if rule.holiday:
            when += f"（{rule.holiday}放假首日）"
        tail = _workdays(rule.workdays) if rule.workdays else "前"
        return f"一次性，{when}{tail}" + (count if rule.count > 1 else "")
    if rule.kind == "ongoing":
        return "长期性，无固定期限" + _bounds(rule) + (count if rule.count > 1 else "")
    every = _EVERY_NAME.get(rule.kind, rule.kind)
    am, ad = rule.after_months, rule.after_days
    if rule.kind == "week":
        wd = "日" if rule.weekday is None else _WEEKDAY_NAME[rule.weekday % 7]
        when = f"周{wd}前" if ad == 0 else f"周{wd}后{ad}日" if ad > 0 else f"周{wd}前{-ad}日"
        return f"{every}，{when}{_bounds(rule)}{count}"
    anchor = _anchor(rule)
    name = _PERIOD_NAME.get(rule.kind, rule.kind)
    if rule.workdays and am == 0 and ad == 0:
        base = f"{name}结束" if anchor in (f"{name}末", "月末", "年底") else anchor
        if rule.workdays > 0:
            when = f"{base}后{rule.workdays}个工作日内"
        else:
            when = f"{anchor}{_workdays(rule.workdays)}"
    elif am == 0 and ad == 0:
        when = f"{anchor}前"
    elif anchor == "开学日" and ad == -1 and am > 0:
        when = f"开学后{am}个月内"
    elif anchor == "开学日" and am == 0 and ad >= 0:
        when = f"开学后{ad + 1}日内"
    elif am == 12 and ad == 0 and rule.kind == "year":
        when = f"次年{anchor}前"
    else:
        span = (f"{am}个月" if am else "") + (f"{ad}日" if ad > 0 else "")
        tail = f"再提前{-ad}日" if ad < 0 else ""
        base = f"{name}结束" if anchor in (f"{name}末", "月末", "年底") else anchor
        when = f"{base}后{span}内{tail}" if span else f"{base}前{tail}"
        if rule.workdays:
            when += f"，再{_workdays(rule.workdays)[1:]}"
    return f"{every}，{when}{_bounds(rule)}{count}"
