"""The words of a reminder: markdown for the robots (split to fit), plain text for mail.

A markdown message looks like::

    #### 督办提醒
    **市民政局** · 2018年汕头市脱贫攻坚主要任务清单 · 截至 2018-07-15

    **已逾期 2 项**
    - 8.2（2018-06） 落实低保提标：逾期 12 天，应于 2018-07-03 完成，已催办 1 次
    - …

    **即将到期 1 项**
    - …

    @13800001111

When it does not fit the channel's limit it is split between items into pieces
whose title line carries ``（1/3）``, ``（2/3）``…; a kind of item continued from
the piece before is headed ``（续）``.  No item is ever cut in two; an item too
long for a message of its own has its task text shortened with ``…`` (its id,
period and status are always kept).  Mentions go in the first piece only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .notice import KIND_HEADINGS, KINDS, Notice, NoticeItem, item_label, item_status

ELLIPSIS = "…"
EMPTY_LINE = "（没有需要催办的事项）"

# fits(text, first) -> whether a piece with this markdown (the first piece carries
# the mentions) can be sent as one message.
Fits = Callable[[str, bool], bool]


@dataclass(frozen=True)
class _Entry:
    item: NoticeItem
    text: str          # the task text, possibly shortened
    continued: bool    # not the first item of its kind in the whole notice


def _one_line(text: str) -> str:
    return " ".join(text.split())


def item_line(item: NoticeItem, text: str | None = None) -> str:
    """``8.2（2018-06） 落实低保提标：逾期 12 天，…`` (without a list marker)."""
    words = _one_line(item.text if text is None else text)
    label = item_label(item)
    return f"{label} {words}：{item_status(item)}" if words else f"{label}：{item_status(item)}"


def _title_line(notice: Notice, mark: str, keyword: str | None) -> str:
    line = f"#### {notice.title}{mark}"
    subline = _subline(notice)
    if keyword and keyword not in line and keyword not in subline:
        line = f"#### 【{keyword}】{notice.title}{mark}"
    return line


def _subline(notice: Notice) -> str:
    parts = [f"**{notice.unit}**"]
    if notice.plan_title:
        parts.append(notice.plan_title)
    parts.append(f"截至 {notice.as_of.isoformat()}")
    return " · ".join(parts)


def _render(notice: Notice, entries: list[_Entry], mark: str, keyword: str | None,
            mention: str | None) -> str:
    blocks = [f"{_title_line(notice, mark, keyword)}\n\n{_subline(notice)}"]
    counts = {kind: len(notice.of_kind(kind)) for kind in KINDS}
    if not notice.items:
        blocks.append(EMPTY_LINE)
    for kind in KINDS:
        mine = [entry for entry in entries if entry.item.kind == kind]
        if mine:
            heading = f"**{KIND_HEADINGS[kind]} {counts[kind]} 项{'（续）' if mine[0].continued else ''}**"
            blocks.append("\n".join([heading] + [f"- {item_line(e.item, e.text)}" for e in mine]))
    if mention:
        blocks.append(mention)
    return "\n\n".join(blocks)


def _ordered(notice: Notice) -> list[_Entry]:
    entries = []
    for kind in KINDS:
        for index, item in enumerate(notice.of_kind(kind)):
            entries.append(_Entry(item, item.text, continued=index > 0))
    return entries


def markdown_pieces(notice: Notice, fits: Fits, *, keyword: str | None = None,
                    mention: str | None = None) -> list[str]:
    """The markdown message(s) for ``notice``, each accepted by ``fits``.

    Raises ValueError when even one item with its text shortened to nothing does
    not fit (a limit far below anything the robots have).
    """
    entries = _ordered(notice)
    whole = _render(notice, entries, "", keyword, mention)
    if fits(whole, True):
        return [whole]

    # Measure with the widest mark the final count can need (each piece holds at
    # least one item), so the real, no wider, marks fit too.
    widest = len(entries)
    probe_mark = f"（{widest}/{widest}）"

    def probe(group: list[_Entry], first: bool) -> bool:
        return fits(_render(notice, group, probe_mark, keyword, mention if first else None), first)

    groups: list[list[_Entry]] = []
    current: list[_Entry] = []
    for entry in entries:
        first = not groups
        if current and probe(current + [entry], first):
            current.append(entry)
            continue
        if current:
            groups.append(current)
            first = False
        if not probe([entry], first):
            entry = _shorten(entry, lambda e, f=first: probe([e], f))
        current = [entry]
    groups.append(current)

    total = len(groups)
    return [_render(notice, group, f"（{index}/{total}）", keyword, mention if index == 1 else None)
            for index, group in enumerate(groups, start=1)]


def _shorten(entry: _Entry, fits_alone: Callable[[_Entry], bool]) -> _Entry:
    """``entry`` with the longest prefix of its text (plus …) that fits in a piece alone."""
    text = _one_line(entry.item.text)

    def cut(keep: int) -> _Entry:
        return _Entry(entry.item, text[:keep] + ELLIPSIS, entry.continued)

    if not fits_alone(cut(0)):
        raise ValueError(f"item {entry.item.task} does not fit in a message even without its text")
    low, high = 0, len(text)  # cut(low) fits; find the largest such
    while low < high:
        middle = (low + high + 1) // 2
        if fits_alone(cut(middle)):
            low = middle
        else:
            high = middle - 1
    return cut(low)


def plain_text(notice: Notice) -> str:
    """The reminder as plain text (the mail body)."""
    lines = [f"{notice.title}：{notice.unit}"]
    lines.append(" · ".join(filter(None, [notice.plan_title, f"截至 {notice.as_of.isoformat()}"])))
    if not notice.items:
        lines += ["", EMPTY_LINE]
    for kind in KINDS:
        items = notice.of_kind(kind)
        if items:
            lines += ["", f"{KIND_HEADINGS[kind]} {len(items)} 项"]
            lines += [f"  {index}. {item_line(item)}" for index, item in enumerate(items, start=1)]
    return "\n".join(lines) + "\n"
