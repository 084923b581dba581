"""责任单位 words → unit names, as units.yaml's header documents.

The names come back as written, with the shorthand of official tables spelled
out; matching them against units.yaml is the resolver's job, not this one's.

- Names are separated by 、，；, spaces and slashes (not inside brackets).
- A department written without its level after a city one takes the city's
  “市”: ``市民政局、人社局、财政局`` → 市民政局, 市人社局, 市财政局.  Only a short
  department name (…局/委/办/部/联/院/中心/厅/处/站/所) inherits, and only from
  the name just before it; a branch of a national body (…分局, …支行, 人行…中支)
  and a department of a place (金平区民政局, 某镇政府办) never do, and they break
  the chain.
- A bare level is the group of that level: ``镇`` → 各镇, ``区（县）`` → 各区（县）
  (so ``各区（县）、镇`` → 各区（县）, 各镇); ``X党委政府`` / ``X政府`` of a level is
  that level (``镇党委政府`` → 各镇); ``市`` / ``市政府`` → 市人民政府.
- ``市、区（县）、镇各级政府`` → 市人民政府, 各区（县）, 各镇.
- ``贫困村（各帮扶单位）`` → 贫困村, 各帮扶单位: a bracket that names units is
  units of its own; ``（县）`` is part of a name; ``（牵头）`` marks the lead and
  ``（配合）`` is dropped.
- ``分散贫困户由各镇负责`` → 各镇: who is responsible is what counts.
- ``牵头单位：X；配合单位：Y`` and ``X牵头`` mark leads.
- A trailing ``等相关职能部门`` / ``等单位`` is dropped.
"""

from __future__ import annotations

import re

_LEVELS = {
    "区（县）": "各区（县）", "区县": "各区县", "县区": "各县区", "县（区）": "各县（区）", "县": "各县",
    "区": "各区", "镇": "各镇", "乡镇": "各乡镇", "乡": "各乡", "镇（街道）": "各镇（街道）",
    "街道": "各街道", "村": "各村", "社区": "各社区", "村（社区）": "各村（社区）",
}
_CITY_GOVERNMENT = "市人民政府"
_GOVERNMENT_SUFFIX = r"(?:党委、?政府|人民政府|政府|党委)"
_LEVEL_ALTERNATION = "|".join(sorted((re.escape(k) for k in _LEVELS), key=len, reverse=True))
_LEVEL_NAME = re.compile(rf"^各?({_LEVEL_ALTERNATION}){_GOVERNMENT_SUFFIX}?$")
_CITY = re.compile(rf"^市{_GOVERNMENT_SUFFIX}?$")
_ALL_LEVELS = re.compile(rf"^(.+?)各级{_GOVERNMENT_SUFFIX}$")
_RESPONSIBLE = re.compile(r"^(?:.*?由)?(.+?)负责$")
_LEAD_SUFFIX = re.compile(r"^(.+?)[（(]?牵头(?:单位)?[）)]?$")
_SUPPORT_SUFFIX = re.compile(r"^(.+?)[（(]?(?:配合|协办|协助|配合单位|参与)[）)]?$")
_ETC = re.compile(r"^(.+?)等(?:相关|有关|其他)?(?:职能)?(?:部门|单位|机构)?$")
_BRACKET_TAIL = re.compile(r"^(.+?)（([^（）]+)）$")
_UNIT_WORD = re.compile(r"(?:单位|局|委|办|部|部门|机构|组|村|镇|中心|站|所|会|联|院|行|队|社区|街道|企业|公司)$")
_DEPARTMENT = re.compile(r"^[\u4e00-\u9fff]{1,10}(?:局|委|办|部|联|院|中心|厅|处|站|所)$")
_NOT_ABBREVIATED = re.compile(r"^(?:市|省|区|县|镇|乡|村|各|团|中共|国家|中国)|分局|支行|分行|中支|监管|分公司"
                              r"|[区县镇](?=.)")
_ROLE = re.compile(r"(牵头单位|牵头部门|配合单位|配合部门|协办单位|责任单位|责任部门|牵头|配合)[：:]")
_CLAUSE_SEPARATORS = re.compile(r"[，,；;\s/／]+")


def split_unit_names(text: str) -> tuple[list[str], list[str]]:
    """(names, leads) of one 责任单位 paragraph, in the order written, each once."""
    names: list[str] = []
    leads: list[str] = []
    for role, segment in _role_segments(text):
        for clause in _top_level_split(segment, _CLAUSE_SEPARATORS):
            for name, lead in _clause_names(clause):
                if name not in names:
                    names.append(name)
                if (lead or role == "lead") and name not in leads:
                    leads.append(name)
    return names, leads


def _role_segments(text: str) -> list[tuple[str, str]]:
    """``牵头单位：X；配合单位：Y`` → [("lead", X), ("", Y)]."""
    parts = _ROLE.split(text)
    segments = [("", parts[0])]
    for label, body in zip(parts[1::2], parts[2::2]):
        segments.append(("lead" if label.startswith("牵头") else "", body))
    return [(role, body) for role, body in segments if body.strip()]


def _top_level_split(text: str, separators: re.Pattern) -> list[str]:
    """Split at separators that are not inside （…）."""
    pieces, depth, start = [], 0, 0
    for match in re.finditer(rf"[（(]|[）)]|{separators.pattern}", text):
        token = match.group(0)
        if token in "（(":
            depth += 1
        elif token in "）)":
            depth = max(depth - 1, 0)
        elif depth == 0:
            pieces.append(text[start:match.start()])
            start = match.end()
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def _clause_names(clause: str) -> list[tuple[str, bool]]:
    """The names of one clause (no ，；or space inside), expanded; (name, is_lead)."""
    responsible = _RESPONSIBLE.match(clause)
    if responsible and "由" in clause:
        clause = responsible.group(1)            # 分散贫困户由各镇负责 → 各镇
    all_levels = _ALL_LEVELS.match(clause)
    if all_levels:                               # 市、区（县）、镇各级政府
        return [(_level_or_name(item), False) for item in _top_level_split(all_levels.group(1), re.compile("、"))]
    out: list[tuple[str, bool]] = []
    previous = ""
    for item in _top_level_split(clause, re.compile("、")):
        for name, lead in _item_names(item):
            if previous.startswith("市") and previous != _CITY_GOVERNMENT and _DEPARTMENT.match(name) \
                    and not _NOT_ABBREVIATED.search(name):
                name = "市" + name               # 市民政局、人社局 → 市人社局
            out.append((name, lead))
            previous = name
    return out


def _item_names(item: str) -> list[tuple[str, bool]]:
    """One 、-separated item: brackets, lead marks, 等…, levels."""
    lead = False
    support = _SUPPORT_SUFFIX.match(item)
    if support:
        item = support.group(1)
    marked = _LEAD_SUFFIX.match(item)
    if marked and marked.group(1):
        item, lead = marked.group(1), True
    etc = _ETC.match(item)
    if etc and item.endswith(("部门", "单位", "机构", "等")):
        item = etc.group(1)
    responsible = _RESPONSIBLE.match(item)
    if responsible:
        item = responsible.group(1)
    bracket = _BRACKET_TAIL.match(item)
    if bracket and not _LEVEL_NAME.match(item) and len(bracket.group(2)) >= 2 and _UNIT_WORD.search(bracket.group(2)):
        inner = [(name, False) for clause in _top_level_split(bracket.group(2), _CLAUSE_SEPARATORS)
                 for name, _ in _clause_names(clause)]
        return [(_level_or_name(bracket.group(1)), lead), *inner]
    return [(_level_or_name(item), lead)]


def _level_or_name(item: str) -> str:
    level = _LEVEL_NAME.match(item)
    if level:
        return _LEVELS[level.group(1)]
    if _CITY.match(item):
        return _CITY_GOVERNMENT
    return item
