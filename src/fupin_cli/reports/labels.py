"""Periods and duties in words for printouts: ``2018-07`` → 2018年7月, ``2018-Q3`` → 2018年第三季度, and which
duty of a task a period belongs to when several share it (每月25日前录入 / 每月28日前审核)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from ..domain.model import Rule, Settings
from ..domain.periods import read_label

_QUARTERS = "一二三四"
# What a duty asks for, to tell two duties of one period apart: the last of these in its words.
_ACTIONS = ("录入", "审核", "报送", "上报", "报告", "汇总", "公示", "核查", "检查", "督查", "考核", "总结",
            "部署", "发放", "拨付", "更新", "备案", "整理", "召开")


def period_words(label: str, settings: Settings = Settings()) -> str:
    """A period label in words: 2018年7月, 2018年第三季度, 2018年下半年, 2018年, 2018年第29周,
    2018年春季学期, 2018年6月30日; a label fupin does not know is returned as it is."""
    base = label.partition("#")[0]  # 2018-07#d28: the duty's key is told in words by rule_hint
    found = read_label(base, settings)
    if found is None:
        return label
    kind, start, _end = found
    if kind == "month":
        return f"{start.year}年{start.month}月"
    if kind == "quarter":
        return f"{start.year}年第{_QUARTERS[(start.month - 1) // 3]}季度"
    if kind == "half":
        return f"{start.year}年{'上' if start.month <= 6 else '下'}半年"
    if kind == "year":
        return f"{start.year}年"
    if kind == "week":
        year, week, _ = start.isocalendar()
        return f"{year}年第{week}周"
    if kind == "semester":
        index = base.rsplit("S", 1)[-1]
        names = {"1": "春季学期", "2": "秋季学期"} if len(settings.semester_starts) == 2 else {}
        return f"{start.year}年{names.get(index, f'第{index}学期')}"
    return date_words(start)


def date_words(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def short_date(day: date | None) -> str:
    return "" if day is None else f"{day.month}月{day.day}日"


@lru_cache(maxsize=1024)
def rule_hint(rules: tuple[Rule, ...], index: int) -> str:
    """How rule ``index`` is due, in a few words, when another rule of the task shares its periods; else ""."""
    if not 0 <= index < len(rules):
        return ""
    rule = rules[index]

    def family(r: Rule) -> str:
        return "month" if r.kind == "ongoing" else r.kind

    if rule.kind == "once" or sum(family(r) == family(rule) for r in rules) < 2:
        return ""
    hint = _timing(rule) + _action(rule.source)
    siblings = [_timing(r) + _action(r.source) for r in rules if family(r) == family(rule)]
    if siblings.count(hint) > 1:  # same words twice: say which requirement it is
        hint += f"（第{index + 1}项要求）"
    return hint


def _timing(rule: Rule) -> str:
    from ..phrases.describe import describe

    words = describe(rule).split("（需完成")[0]
    return words.replace("，当月", "").replace("，月末", "月末")


def _action(source: str) -> str:
    """The last action word in the rule's own words (审核 in 每月28日前完成信息录入的审核工作)."""
    best, where = "", -1
    for word in _ACTIONS:
        at = source.rfind(word)
        if at > where:
            best, where = word, at
    return best
