"""Step 1 of reading deadline words: even out the writing, remembering where each character came from.

- Invisible characters (zero-width spaces and joiners, the BOM, soft hyphens,
  bidi marks) are dropped; every Unicode space is a space.
- One space is dropped (``6 月底前``, ``2 0日``); a line break or a run of two
  or more spaces separates clauses like ``；``.
- NFKC per character (full-width digits and punctuation → ASCII), traditional
  characters of the deadline vocabulary → simplified (內→内, 後→后, 週→周 …).
- Chinese numerals in front of a unit (年 月 日 号 次 个 天 周 季 旬) become
  digits: 二〇一八年 → 2018年, 十二月 → 12月, 廿五日 → 25日, 两次 → 2次,
  一个月 → 1个月; 〇/零/两/廿/卅 are read.  ``一月内`` (within a month) is a
  span of time, written ``1个月内``, not January.
- ``号`` after a number is ``日``.

Every normalised character remembers its index in the original text, so
errors point at the words the clerk typed and rules show the words they came from.
"""

from __future__ import annotations

import re
import unicodedata

# Traditional forms of the characters fupin's deadline vocabulary uses (families,
# object words, refusals), mapped to the simplified ones the patterns are written in.
_VARIANTS = str.maketrans({
    "於": "于", "內": "内", "後": "后", "個": "个", "週": "周", "號": "号", "兩": "两", "開": "开", "學": "学", "長": "长",
    "態": "态", "續": "续", "當": "当", "時": "时", "終": "终", "結": "结", "為": "为", "報": "报", "總": "总", "對": "对",
    "匯": "汇", "進": "进", "啟": "启", "應": "应", "將": "将", "務": "务", "禮": "礼", "節": "节", "國": "国", "慶": "庆",
    "間": "间", "議": "议", "會": "会", "辦": "办", "發": "发", "現": "现", "驗": "验", "資": "资", "數": "数", "據": "据",
    "項": "项", "計": "计", "劃": "划", "況": "况", "標": "标", "經": "经", "濟": "济", "編": "编", "製": "制", "質": "质",
    "監": "监", "測": "测", "統": "统", "規": "规", "範": "范", "並": "并", "轉": "转", "檢": "检", "紀": "纪", "錄": "录",
    "單": "单", "雙": "双", "農": "农", "麥": "麦", "來": "来", "臨": "临", "隨": "随", "盡": "尽", "適": "适", "達": "达",
    "實": "实", "審": "审", "蓋": "盖", "導": "导", "領": "领", "繳": "缴", "義": "义", "預": "预", "納": "纳", "稅": "税",
    "績": "绩", "賬": "账", "書": "书", "機": "机", "關": "关", "滿": "满", "從": "从", "則": "则", "級": "级", "歲": "岁",
    "勢": "势", "處": "处", "決": "决", "戶": "户", "幫": "帮", "貧": "贫", "專": "专", "題": "题", "問": "问", "設": "设",
    "備": "备", "網": "网", "產": "产", "護": "护", "險": "险", "擇": "择", "剛": "刚", "馬": "马", "趕": "赶", "緊": "紧",
    "頭": "头", "舉": "举", "訊": "讯", "館": "馆", "運": "运", "與": "与", "還": "还", "歷": "历", "曆": "历", "獲": "获",
    "驟": "骤", "陸": "陆", "參": "参", "夠": "够", "銷": "销", "紙": "纸", "復": "复", "線": "线", "輪": "轮", "擬": "拟",
    "佈": "布", "○": "〇", "爭": "争", "産": "产", "體": "体", "兒": "儿", "寫": "写", "幾": "几", "動": "动", "勞": "劳",
    "區": "区", "變": "变", "啓": "启", "圍": "围", "堅": "坚", "婦": "妇", "屬": "属", "異": "异", "斷": "断", "無": "无",
    "沒": "没", "點": "点", "確": "确", "種": "种", "組": "组", "織": "织", "繞": "绕", "記": "记", "評": "评", "識": "识",
    "說": "说", "請": "请", "讀": "读", "調": "调", "費": "费", "過": "过", "針": "针",
})

_INVISIBLE = {"Cf"}
# Item numbers (①, ⑴, ⒈ …) start a new item: they separate clauses like ；, and are not digits.
_ENUMERATORS = {chr(c) for c in (*range(0x2460, 0x2474), *range(0x2474, 0x2488), *range(0x2488, 0x249C),
                                 *range(0x24F5, 0x24FF), *range(0x2776, 0x2794))}  # format characters: zero-width space/joiners, BOM, bidi marks, soft hyphen

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "廿": 20, "卅": 30, "百": 100}

_CN_NUMBER = re.compile(r"[〇零一二两三四五六七八九十廿卅百]+(?=[年月日号次个天周季旬]|以上)")
# 一月内 / 一月之内: a month's time, not January (在一月内报告 …); not after a year or 每.
_ONE_MONTH_SPAN = re.compile(r"(?<![0-9〇零一二两三四五六七八九十年每第])一月(?=内|之内|以内)")
_HAO = re.compile(r"(?<=[0-9])号")

SEPARATOR = ";"


def _cn_value(run: str) -> str | None:
    """A Chinese numeral as ASCII digits, or None if it is not a plain number."""
    if not any(ch in _CN_UNITS for ch in run):
        # 二〇一八 → 2018, 五 → 5: read digit by digit.
        return "".join(str(_CN_DIGITS[ch]) for ch in run)
    total = 0
    current: int | None = None
    for ch in run:
        if ch in _CN_DIGITS:
            if current is not None:
                return None
            current = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if ch in "廿卅":
                if current is not None:
                    return None
                total += unit
            else:
                total += (1 if current is None else current) * unit
            current = None
    if current is not None:
        total += current
    return str(total)


def _rewrite(s: str, where: list[int], rx: re.Pattern[str], value) -> tuple[str, list[int]]:
    """Replace each match of rx by value(match) (None: keep), each new character at the match's start."""
    out: list[str] = []
    out_where: list[int] = []
    last = 0
    for m in rx.finditer(s):
        new = value(m)
        if new is None:
            continue
        out.append(s[last:m.start()])
        out_where.extend(where[last:m.start()])
        out.append(new)
        out_where.extend([where[m.start()]] * len(new))
        last = m.end()
    out.append(s[last:])
    out_where.extend(where[last:])
    return "".join(out), out_where


def _is_space(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Zs"


def normalize(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the original index."""
    chars: list[str] = []
    where: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if _is_space(ch):
            j = i
            while j < n and (_is_space(text[j]) or unicodedata.category(text[j]) in _INVISIBLE):
                j += 1
            run = text[i:j]
            if "\n" in run or "\r" in run or sum(1 for c in run if _is_space(c)) >= 2:
                chars.append(SEPARATOR)
                where.append(i)
            i = j
            continue
        if unicodedata.category(ch) in _INVISIBLE:
            i += 1
            continue
        if ch in _ENUMERATORS:
            chars.append(SEPARATOR)
            where.append(i)
            i += 1
            continue
        for c in unicodedata.normalize("NFKC", ch.translate(_VARIANTS)).translate(_VARIANTS):
            if not _is_space(c):
                chars.append(c)
                where.append(i)
        i += 1
    s = "".join(chars)
    s, where = _rewrite(s, where, _ONE_MONTH_SPAN, lambda m: "1个月")
    s, where = _rewrite(s, where, _CN_NUMBER, lambda m: _cn_value(m.group()))
    s, where = _rewrite(s, where, _HAO, lambda m: "日")
    return s, where
