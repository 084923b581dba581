"""Steps 2 and 3 of reading deadline words: clauses, families, and the rule that makes silence impossible.

Clauses end at ``;`` ``；`` ``。`` and line breaks.  In a clause, at each
position the longest match of the :mod:`.families` table is read; the words of
the task's *object* (上半年项目实施情况, 上一年度第四季度报表, 《2009年…总结》,
可持续发展) are set aside first.  Then the rule that makes silence impossible:
every date-bearing word left in the clause (digits with 年/月/日/旬/季/周,
上中下旬, 季度, 次月/次年/明年, 至/到/起 at a date, weekday names, 每…,
持续/长期/常态…) must belong to a rule that was read or to an object, or the
phrase is an error quoting that word and pointing at it.  Words that fupin
reads but will not guess at — event-relative (会后5日内), vague (随时, 尽快),
region-dependent (汛期前) — are refused with a message saying why and what to
write instead.

Within a clause: a count (至少两次, 2次以上, 一次) sets the count of the rules of
its comma-part (or of the part before, when its own has none); a bare
recurrence (每月…一次) gives way to a rule of its kind that names a day
(…均限于次月十日前); a one-off after ``并``/``以后`` + 每年 repeats yearly
(2018年12月底前完成，并每年更新); bounds (自2024年起, 2018年至2020年) apply to the
recurring rules after them.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ..domain.errors import PhraseError
from ..domain.model import Rule
from ..domain.values import Record, replace
from .families import DEADLINE_TAIL, FAMILIES, BadNumbers, Built, Context, Family, Refused
from .normalise import normalize

# ---------------------------------------------------------------- words

_COUNT = re.compile(r"(?:至少|不少于|最少|不低于)?(?<![第0-9计共])(?P<n>[0-9]{1,3})次(?:及?以上)?")

_CLAUSE_END = re.compile(r"[;。]")
_BLANK = re.compile(r"[\s;。、,:!?.()\[\]]*")

# Every word that says something about a date; each must be accounted for.
DATE_WORD = re.compile(
    r"\d+个?(?:工作日|年度|年|月|日|旬|季|周|星期)|\d+个?天(?=内|以内|之内)"
    r"|[上中下]旬|季度|半年|次月|次年|明年|翌年|下月|下个月|月后|季后|年后|本月|当月|本周|今年|本年|当年"
    r"|(?:周|星期|礼拜)(?:[一二三四五六日天七八九]|(?=\d))"
    r"|每个?(?:年|月|季|周|星期|礼拜|半年|学期|\d个?月|双月|单月|旬|天|日)|逐(?:年|月|季|周|旬)|按(?:年|月|季|周|次)"
    r"|双月|单月|持续|长期|常态|长效|年底|年末|年内|月底|月末|季末|工作日|开学"
    r"|(?:春节|元旦|国庆|五一|端午|中秋|清明)(?=前|后|之前|之后|以前|以后|期间)"
    r"|(?<=[日月年旬底末])(?:至(?![少多今])|到|起)|(?:至|到)(?=\d|今年|次年|明年)"
)

# The task's object: words about other periods, after a verb that takes them.
_OBJECT_VERBS = (r"上报|报送|报告|汇报|录入|提交|汇总|统计|公布|明确|列入|申报|结清|编制|制定|建立|完成|完善|"
                 r"评估|研究|部署|对|关于|围绕|针对")
_PERIOD_REF = (r"(?:上(?:1个?|个)?(?:年度|年|季度|季|月份|月|周|星期)"
               r"|下(?:1个?|个)?(?:年度|周|星期|季度)|本年度|本季度)(?![\d内底末前])")
# What an object run may hold: periods, ordinals, numbers and the words joining them.
_OBJECT_RUN = re.compile(r"(?:上1个|上1|上个|上|下1个|下1|下个|下|本|当|第|\d+|[一二三四五六七八九十]|年度|年|季度|季|月份|月"
                         r"|周|星期|半年|全年"
                         r"|、|和|及|与|以及|的)+")
_OBJECT_TRIGGER = re.compile(rf"(?:{_OBJECT_VERBS})(?=[\d上下本当第全])|(?={_PERIOD_REF})")
# What follows a date that is the object rather than a deadline (2017年帮扶项目, 上半年工作总结).
_NOUN_AFTER = re.compile(
    r"(?:的)?(?:项目|工作|情况|计划|总结|报表|报告|数据|任务|指标|目标|资金|信息|资料|材料|名单|帮扶|年报|季报|"
    r"月报|快报|金融|孕产妇|儿童|死亡|经验|考核|成果|进展|应纳税|预算|决算|经费|举措|疫情|护理|改进|"
    r"发展|规划|免报|不报|除外|活动|会议|台账|事项|问题|人口|全年|村|户|保险)")
_ONGOING_OBJECT_BEFORE = re.compile(rf"(?:可|{_OBJECT_VERBS})$")
_QUOTES = {"《": "》", "“": "”", "\"": "\"", "‘": "’", "「": "」", "『": "』"}
_BOUNDS = {"自某时起", "某年至某年", "某年及以后"}  # families that bound the rules after them
_JOIN_BEFORE = re.compile(r"(?:以及|和|及|与|、)$")

# ---------------------------------------------------------------- refusals

_SCHEDULE_ONCE = "- {every: once, date: 2018-09-30}"
_SCHEDULE_MONTH = "- {every: month, day: 25}"


def _vague(words: str, why: str) -> str:
    return (f"“{words}”没有说明具体哪一天（{why}），fupin 不猜日期。请写明期限，如“2018年9月30日前”“每月25日前”，"
            f"或在 schedule: 中写 {_SCHEDULE_MONTH}")


def _event(words: str) -> str:
    return (f"“{words}”是从某件事（收到通知、开会、文件印发、验收……）算起的期限，fupin 不知道那件事哪天发生，"
            f"算不出日期。请写明日期，如“2018年9月30日前”，或在 schedule: 中写 {_SCHEDULE_ONCE}")


def _region(words: str) -> str:
    return (f"“{words}”的日期因地因年而异（汛期、农忙、供暖季……由当地确定），fupin 不猜日期。请写明当地的日期，"
            f"如“每年5月31日前”，或在 schedule: 中写 - {{every: year, month: 5, day: 31}}")


_STRONG_VAGUE = [
    (re.compile(r"立行立改"), "立行立改是要求马上改，不是一个日期"),
    (re.compile(r"随时"), "随时可以做，没有期限"),
    (re.compile(r"尽快|尽早|从速"), "尽快没有期限"),
    (re.compile(r"适时|择机|择时"), "什么时候合适由人判断"),
    (re.compile(r"近期"), "近期没有期限"),
    (re.compile(r"限期"), "限期没有写出期限"),
    (re.compile(r"不定期|定期"), "定期没有说多久一次"),
    (re.compile(r"每?(?:月初|年初|季初)"), "月初、年初没有说到哪一天为止"),
    (re.compile(r"(?:每|按)?月份?或者?(?:每|按)?季度?"), "按月还是按季由别处决定"),
]
_OBJECT_VAGUE = re.compile(r"本月|当月|本周|本季度?")
_WEAK_VAGUE = re.compile(r"立即|立刻|马上|及时|抓紧|即时")
_EVENT_WORDS = re.compile(r"按次|之日起|次日起|期满")
_DURATION = re.compile(r"(?:\d+个?(?:工作日|日|天|月|周|星期))(?:之内|以内|内)")
_REGION = re.compile(r"(?:主汛期|汛期|汛前|农忙|麦收|秋收|夏收|秋种|春耕|三夏|三秋|供暖季|采暖季|供暖期|采暖期|雨季|旱季)"
                     r"(?:来临|到来|开始|结束)?(?:之前|以前|前|之后|以后|后|期间)(?!\()")


# ---------------------------------------------------------------- reading

class Reading(Record):
    """What ``read`` found: the rules, each one's family, the object words set aside, and every span read.

    Spans are [start, end) in the text; ``read_spans`` also holds the words of
    rules dropped as repeats of an earlier one.
    """

    rules: tuple[Rule, ...]
    families: tuple[str, ...]
    objects: tuple[tuple[int, int], ...]
    read_spans: tuple[tuple[int, int], ...] = ()

    def __init__(self, rules: tuple[Rule, ...], families: tuple[str, ...], objects: tuple[tuple[int, int], ...],
                 read_spans: tuple[tuple[int, int], ...] = ()) -> None:
        self.rules = rules
        self.families = families
        self.objects = objects
        self.read_spans = read_spans


class _Found(Record):
    start: int
    end: int
    family: Family
    built: Built
    rules: list[Rule]                # a new list when not given
    words: list[tuple[int, int]]     # normalised spans the rules came from (a new list when not given)

    def __init__(self, start: int, end: int, family: Family, built: Built, rules: list[Rule] | None = None,
                 words: list[tuple[int, int]] | None = None) -> None:
        self.start = start
        self.end = end
        self.family = family
        self.built = built
        self.rules = [] if rules is None else rules
        self.words = [] if words is None else words


class _Clause:
    def __init__(self, text: str, s: str, where: list[int], a: int, b: int, plan_year: int) -> None:
        self.text, self.s, self.where, self.a, self.b = text, s, where, a, b
        self.plan_year = plan_year
        self.objects: list[tuple[int, int]] = []
        self.runs: list[tuple[int, int]] = []  # the objects that are runs of period words after a verb

    # -- positions in the original text
    def original(self, i: int, j: int) -> str:
        if i >= j:
            return ""
        return self.text[self.where[i]: self.where[j - 1] + 1].strip()

    def span(self, i: int, j: int) -> tuple[int, int]:
        return (self.where[i], self.where[j - 1] + 1)

    def error(self, index: int, message: str) -> PhraseError:
        position = self.where[index] if index < len(self.where) else len(self.text)
        return PhraseError(message, phrase=self.text, position=position)

    # -- objects
    def in_object(self, i: int, j: int) -> bool:
        return any(oa <= i and j <= ob for oa, ob in self.objects)

    def in_title(self, i: int) -> bool:
        """Inside 《…》: a document's title, whose words are no requirement."""
        return any(oa <= i < ob and self.s[oa] == "《" for oa, ob in self.objects)

    def _mark_objects(self) -> None:
        s, a, b = self.s, self.a, self.b
        i = a
        while i < b:  # quotes: 《2009年…总结》, “三年活动”
            close = _QUOTES.get(s[i])
            if close is not None:
                j = s.find(close, i + 1, b)
                j = b if j < 0 else j + 1
                self.objects.append((i, j))
                i = j
            else:
                i += 1
        for trigger in _OBJECT_TRIGGER.finditer(s, a, b):
            run = _OBJECT_RUN.match(s, trigger.end(), b)
            if run is None or run.end() == run.start():
                continue
            end = run.end()
            while end > run.start() and s[end - 1] in "、和及与的":
                end -= 1
            if end < b and s[end] in "前底末内日旬止":
                continue  # 上报2018年6月底前…: a deadline, not an object
            if DATE_WORD.search(s, run.start(), end) and not self.in_object(run.start(), end):
                self.objects.append((run.start(), end))
                self.runs.append((run.start(), end))

    def is_object_match(self, i: int, j: int, family: Family) -> bool:
        """A family match that is the object of the task, not a deadline."""
        s = self.s
        before = s[max(self.a, i - 4):i]
        if family.name == "长期性":
            return bool(_ONGOING_OBJECT_BEFORE.search(before)) or bool(_NOUN_AFTER.match(s, j, self.b))
        if family.name in _BOUNDS:
            return False
        if not DEADLINE_TAIL.search(s[i:j]) and _NOUN_AFTER.match(s, j, self.b):
            return True
        return self.follows_object(i)

    def follows_object(self, i: int) -> bool:
        """Right after an object, or joined to one by 和、及 …: 上一年度第四季度及本年度第一季度."""
        m = _JOIN_BEFORE.search(self.s, self.a, i)
        if m is not None:
            return any(ob == m.start() for _, ob in self.objects)
        # Right after: only a run of period words (上一年度第四季度), not a title or a vetoed match.
        return any(ob == i for _, ob in self.runs)

    # -- reading
    def refuse_words(self) -> None:
        s, a, b = self.s, self.a, self.b
        found: list[tuple[int, str]] = []
        for rx, why in _STRONG_VAGUE:
            for m in rx.finditer(s, a, b):
                if not self.in_title(m.start()):
                    found.append((m.start(), _vague(self.original(m.start(), m.end()), why)))
        for m in _OBJECT_VAGUE.finditer(s, a, b):
            if not self.in_object(m.start(), m.end()) and not _NOUN_AFTER.match(s, m.end(), b):
                found.append((m.start(), _vague(self.original(m.start(), m.end()), "本月、当月、本周随记录的日子变化")))
        for m in _EVENT_WORDS.finditer(s, a, b):
            found.append((m.start(), _event(self.original(m.start(), m.end()))))
        for m in _REGION.finditer(s, a, b):
            found.append((m.start(), _region(self.original(m.start(), m.end()))))
        if found:
            index, message = min(found)
            raise self.error(index, message)

    def scan(self) -> list[_Found]:
        s, a, b = self.s, self.a, self.b
        ctx = Context(plan_year=self.plan_year, text=s[a:b])
        families = [family for family in FAMILIES if family.may_match(ctx.text)]  # in table order: ties as before
        found: list[_Found] = []
        pos = a
        while pos < b:
            inside = next((ob for oa, ob in self.objects if oa <= pos < ob), None)
            if inside is not None:
                pos = inside
                continue
            best = None
            for family in families:
                m = family.match(s, pos, b)
                if m is None or m.end() == pos:
                    continue
                if best is None or m.end() > best[0].end():
                    best = (m, family)
            if best is None:
                pos += 1
                continue
            m, family = best
            if self.is_object_match(m.start(), m.end(), family):
                self.objects.append((m.start(), m.end()))
                pos = m.end()
                continue
            try:
                built = family.build(m, ctx)
            except BadNumbers as exc:
                raise self.error(m.start(), f"完成时限“{self.original(m.start(), m.end())}”超出范围：{exc}。"
                                            f"请改正，如“2018年9月30日前”“每月25日前”，"
                                            f"或在 schedule: 中写 {_SCHEDULE_ONCE}") from None
            except Refused as exc:
                raise self.error(m.start(), _vague(self.original(m.start(), m.end()), str(exc))) from None
            except (ValueError, OverflowError, TypeError, KeyError):
                raise self.error(m.start(), f"完成时限“{self.original(m.start(), m.end())}”超出范围：数字太大或太小。"
                                            f"请改正，如“2018年9月30日前”，或在 schedule: 中写 {_SCHEDULE_ONCE}") from None
            if built.head:
                ctx.head = built.head
            found.append(_Found(m.start(), m.end(), family, built, list(built.rules), [(m.start(), m.end())]))
            pos = m.end()
        return found

    def accounted(self, found: list[_Found]) -> None:
        """Every date word left must be part of a match or an object: else an error that points at it."""
        s, a, b = self.s, self.a, self.b
        taken = [(f.start, f.end) for f in found] + self.objects
        for m in DATE_WORD.finditer(s, a, b):
            i, j = m.start(), m.end()
            if any(ta <= i and j <= tb for ta, tb in taken):
                continue
            if any(ta < j and i < tb for ta, tb in taken) and s[i:j] in ("至", "到", "起"):
                continue
            if _NOUN_AFTER.match(s, j, b) or self.follows_object(i):
                self.objects.append((i, j))
                taken.append((i, j))
                continue
            duration = _DURATION.match(s, i, b)
            if duration is not None:
                raise self.error(i, _event(self.original(i, duration.end())))
            raise self.error(i, f"无法识别完成时限中的“{self.original(i, j)}”：读到了它，但它不属于任何读懂的期限，"
                                f"fupin 不能略过它。请改写，如“2018年9月30日前”“每月25日前”，"
                                f"或在 schedule: 中写 {_SCHEDULE_ONCE}")

    def combine(self, found: list[_Found]) -> list[tuple[Rule, str, tuple[int, int], str]]:
        """The clause's rules: bounds applied, bare recurrences merged, renewals, counts; with their words."""
        s = self.s
        # Bounds: 自…起 / 2018年至2020年 / 2014年度及以后 apply to the recurring rules after them.
        pending: _Found | None = None
        for f in found:
            built = f.built
            if not built.rules and (built.since or built.until):
                if pending is not None:
                    self._unused_bounds(pending)
                pending = f
                continue
            if pending is not None and f.rules and all(r.kind != "once" for r in f.rules):
                f.rules = [replace(r, since=pending.built.since, until=pending.built.until) for r in f.rules]
                f.words.insert(0, (pending.start, pending.end))
                pending.built = Built()  # used
                pending = None
            elif pending is not None and f.rules:
                self._unused_bounds(pending)
                pending = None
        if pending is not None:
            self._unused_bounds(pending)
        # Renewal: X前完成，并每年更新 / 以后每年…一次 → yearly on X's month and day from the next year.
        last_once: _Found | None = None
        for f in found:
            if f.rules and all(r.kind == "once" for r in f.rules):
                last_once = f
            elif f.built.bare and f.rules and f.rules[0].kind == "year" and last_once is not None \
                    and re.search(r"(?:并|以后|此后|今后|之后)$", s[max(self.a, f.start - 3):f.start]):
                day = last_once.rules[-1].date
                yearly = Rule(kind="year", month=day.month,
                              day=None if (day + _ONE_DAY).month != day.month else day.day,
                              since=date(day.year + 1, 1, 1))
                f.rules = [yearly]
                f.built = Built([yearly])
        # Counts, per comma-part.
        counts: dict[int, int] = {}
        for c in _COUNT.finditer(s, self.a, self.b):
            n = int(c.group("n"))
            if n >= 1:
                part = s.count(",", self.a, c.start())
                counts.setdefault(part, n)
        for part, n in counts.items():
            owners = [f for f in found if f.rules and s.count(",", self.a, f.start) == part]
            back = part
            while not owners and back > 0:
                back -= 1
                owners = [f for f in found if f.rules and s.count(",", self.a, f.start) == back]
            for f in owners:
                f.rules = [replace(r, count=n) if r.count == 1 else r for r in f.rules]
        # A bare recurrence gives way to a rule of its kind that names the day (每月…一次,均限于次月十日前).
        for f in found:
            if not (f.built.bare and f.rules):
                continue
            kind = f.rules[0].kind
            other = next((g for g in found if g is not f and not g.built.bare
                          and any(r.kind == kind for r in g.rules)), None)
            if other is not None:
                count = f.rules[0].count
                other.rules = [replace(r, count=count) if r.kind == kind and r.count == 1 else r
                               for r in other.rules]
                other.words = sorted(other.words + f.words)
                f.rules = []
        result = []
        for f in found:
            for rule in f.rules:
                words = "…".join(self.original(i, j) for i, j in f.words)
                first, last = f.words[0][0], f.words[-1][1]
                result.append((rule, words, self.span(first, last), f.family.name))
        return result

    def _unused_bounds(self, f: _Found) -> None:
        if f.built.fallback:
            f.rules = list(f.built.fallback)
            return
        words = self.original(f.start, f.end)
        raise self.error(f.start, f"“{words}”只说了从哪天开始，没有找到期限（到哪天完成）。请写明期限，"
                                  f"如“{words}每月25日前”，或在 schedule: 中写 "
                                  f"- {{every: month, day: 25, since: {f.built.since.isoformat()}}}")


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


def count_in_text(text: str) -> int | None:
    """The first count requirement (至少两次, 2次以上, 一次 …) in text, or None."""
    s, _ = normalize(str(text))
    for m in _COUNT.finditer(s):
        n = int(m.group("n"))
        if n >= 1:
            return n
    return None


def _split(s: str, begin: int, end: int, rx: re.Pattern[str]) -> list[tuple[int, int]]:
    spans = []
    start = begin
    for m in rx.finditer(s, begin, end):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, end))
    return spans


def read(text: str, plan_year: int) -> Reading:
    """The rules stated by the deadline words ``text``, each with its family, and the object words set aside.

    Raises :class:`PhraseError` (and nothing else) when the words are empty,
    a clause holds no deadline, a date word belongs to no rule, or the words
    are refused (event-relative, vague, region-dependent, out of range).
    """
    if not isinstance(text, str):
        raise PhraseError("完成时限应为文字", phrase=repr(text), position=0)
    s, where = normalize(text)
    rules: list[Rule] = []
    families: list[str] = []
    objects: list[tuple[int, int]] = []
    spans: list[tuple[int, int]] = []
    seen: set[Rule] = set()
    for a, b in _split(s, 0, len(s), _CLAUSE_END):
        if _BLANK.fullmatch(s, a, b):
            continue
        clause = _Clause(text, s, where, a, b, plan_year)
        clause._mark_objects()
        clause.refuse_words()
        found = clause.scan()
        clause.accounted(found)
        read_here = clause.combine(found)
        if not read_here:
            weak = _WEAK_VAGUE.search(s, a, b)
            if weak is not None:
                raise clause.error(weak.start(), _vague(clause.original(weak.start(), weak.end()),
                                                        "立即、及时、抓紧都没有说到哪天为止"))
            skip = a + len(s[a:b]) - len(s[a:b].lstrip(",、:"))
            raise clause.error(skip, f"无法识别完成时限“{clause.original(a, b)}”：没有找到期限"
                                     "（如“2018年6月30日前”“每月25日前”“每季度之后10日内”“长期性”）；"
                                     f"也可在 schedule: 中写明，如 {_SCHEDULE_ONCE}")
        source = clause.original(a, b)
        objects.extend(clause.span(i, j) for i, j in clause.objects if i < j)
        for rule, words, span, family in read_here:
            spans.append(span)
            if rule.meaning in seen:
                continue
            seen.add(rule.meaning)
            rules.append(replace(rule, source=source, words=words, span=span))
            families.append(family)
    if not rules:
        raise PhraseError("完成时限为空：请填写期限（如“2018年6月30日前”“每月25日前”“长期性”）",
                          phrase=text, position=0)
    return Reading(tuple(rules), tuple(families), tuple(objects), tuple(spans))


def parse(text: str, plan_year: int) -> tuple[Rule, ...]:
    """The rules stated by the deadline words ``text`` (see :func:`read`)."""
    if not isinstance(text, str):
        return read(text, plan_year).rules  # raises the PhraseError that says so
    return _parse_text(text, plan_year)


@lru_cache(maxsize=1024)
def _parse_text(text: str, plan_year: int) -> tuple[Rule, ...]:
    # Remembered: plans repeat a few dozen wordings over hundreds of tasks, and rules are immutable.
    # A PhraseError is not remembered, only raised (each task's message is its own).
    return read(text, plan_year).rules
