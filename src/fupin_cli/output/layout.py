"""Fitting a table into a width of terminal cells: which columns, how wide, each cell's lines.

Shared by the rich terminal renderer and the plain text renderer, so both break
the same way.  The rules, in the order they are given up:

1. every column at its natural width (the widest cell or header);
2. prose (the task text) folds, down to a readable :data:`PROSE_SOFT` cells;
3. name lists (units, period words) break only between names;
4. headers of narrow columns fold (逾期 / 天数);
5. columns of lower priority (3, then 2) are left out, and the table says which;
6. prose folds further, down to :data:`PROSE_HARD`;
7. the table becomes a list of records (``header：value`` lines), so nothing breaks.

Ids, dates, periods, counts and statuses never break.  In tables narrower than
:data:`SHORTEN_BELOW` cells prose is cut after :data:`MAX_PROSE_LINES` lines with …,
unless ``wide``.  Without a width nothing folds at all.
"""

from __future__ import annotations

import re

from ..domain.text import display_width, fold, shorten, widest_atom
from ..domain.values import Record
from .document import Column, Table

PROSE_SOFT = 24
PROSE_HARD = 10
HEADER_MIN = 4
SHORTEN_BELOW = 100
MAX_PROSE_LINES = 3
# Names in a list break after 、，； and spaces, before 全部/除 (各区（县）全部7个, 各区（县）除金平区外6个)
# and before the count （共10个单位）; periods break before their （rule） and after 、；.
_NAME_BREAK = re.compile(r"(?<=[、，；, ])|(?=（共)|(?=除)|(?=全部)")
_PERIOD_BREAK = re.compile(r"(?=（)|(?<=[；、])")


class Layout(Record):
    columns: list[Column]
    widths: list[int]
    header: list[list[str]]  # per column: its header's lines
    rows: list[list[list[str]]]  # per row, per column: the cell's lines
    dropped: list[Column]  # a new list when not given
    records: bool = False  # too narrow for a table: show each row as ``header：value`` lines
    shortened: bool = False

    def __init__(self, columns: list[Column], widths: list[int], header: list[list[str]],
                 rows: list[list[list[str]]], dropped: list[Column] | None = None, records: bool = False,
                 shortened: bool = False) -> None:
        self.columns = columns
        self.widths = widths
        self.header = header
        self.rows = rows
        self.dropped = [] if dropped is None else dropped
        self.records = records
        self.shortened = shortened

    @property
    def multiline(self) -> bool:
        return any(len(cell) > 1 for row in self.rows for cell in row)


def border_cost(columns: int) -> int:
    """Cells taken by borders and padding: ``│ a │ b │`` is 3 per column and 1."""
    return 3 * columns + 1


def _segments(text: str, kind: str = "units") -> list[str]:
    pattern = _PERIOD_BREAK if kind == "period" else _NAME_BREAK
    return [s for s in pattern.split(text) if s]


def _fixed_min(text: str) -> int:
    return display_width(text)


def _name_min(text: str, kind: str) -> int:
    """The widest name of a list; a period's (rule) part may fold, its label not."""
    widest = 0
    for segment in _segments(text, kind):
        foldable = segment.startswith("（") and kind == "period"
        widest = max(widest, widest_atom(segment) if foldable else display_width(segment.rstrip(" ")))
    return widest


def _header_min(header: str) -> int:
    """A header folds into two lines at most."""
    full = display_width(header)
    half = -(-full // 2)
    return min(full, max(HEADER_MIN, widest_atom(header), half + (half % 2)))


def fold_names(text: str, width: int, kind: str = "units") -> list[str]:
    """A list of names folded between names; a name wider than the line is folded by atoms."""
    lines: list[str] = []
    line = ""
    for segment in _segments(text, kind):
        if display_width(line + segment) <= width:
            line += segment
            continue
        if line:
            lines.append(line.rstrip(" "))
        if display_width(segment) <= width:
            line = segment
        else:
            *full, line = fold(segment, width, prefer_clauses=False)
            lines.extend(full)
    if line:
        lines.append(line.rstrip(" "))
    return lines or [""]


def _fold_fixed(text: str, width: int) -> list[str]:
    if display_width(text) <= width:
        return [text]
    return fold(text, width, prefer_clauses=False)


def _shrink(widths: list[int], floors: list[int], movable: list[int], budget: int) -> bool:
    """Narrow the ``movable`` columns, widest first, until the widths sum to ``budget``; False if the floors
    do not allow it."""
    excess = sum(widths) - budget
    if excess <= 0:
        return True
    room = sum(widths[i] - floors[i] for i in movable if widths[i] > floors[i])
    if room < excess:
        return False
    while excess > 0:
        widest = max((i for i in movable if widths[i] > floors[i]), key=lambda i: (widths[i], -i))
        others = [widths[i] for i in movable if i != widest and widths[i] > floors[i]]
        target = max(max(others, default=floors[widest]), floors[widest])
        step = min(excess, max(1, widths[widest] - target))
        widths[widest] -= step
        excess -= step
    return True


def _widths(columns: list[Column], cells: list[list[str]], width: int,
            prose_soft: int = PROSE_SOFT) -> list[int] | None:
    """Column widths that fit ``width`` without dropping a column (prose no narrower than
    ``prose_soft``), or None."""
    headers = [c.header for c in columns]
    natural = [max([display_width(h)] + [display_width(row[i]) for row in cells]) for i, h in enumerate(headers)]
    budget = width - border_cost(len(columns))
    widths = list(natural)
    if sum(widths) <= budget:
        return widths
    prose = [i for i, c in enumerate(columns) if c.fit == "prose"]
    names = [i for i, c in enumerate(columns) if c.fit == "name"]
    fixed = [i for i, c in enumerate(columns) if c.fit == "fixed"]

    def content_min(i: int) -> int:
        fit = columns[i].fit
        if fit == "fixed":
            return max([_fixed_min(row[i]) for row in cells] or [0])
        if fit == "name":
            return max([_name_min(row[i], columns[i].kind) for row in cells] or [0])
        return min(natural[i], max(PROSE_HARD, min(max([widest_atom(row[i]) for row in cells] or [0]), prose_soft)))

    mins = [content_min(i) for i in range(len(columns))]
    header_mins = [_header_min(h) for h in headers]
    soft = [min(natural[i], max(prose_soft, mins[i])) if i in prose else natural[i] for i in range(len(columns))]
    # The stages, each letting more give way: (floors, movable columns).
    name_floor = [max(mins[i], header_mins[i]) if i in names else soft[i] for i in range(len(columns))]
    fixed_floor = [max(mins[i], header_mins[i]) if i in fixed else name_floor[i] for i in range(len(columns))]
    stages = [
        (soft, prose),
        ([name_floor[i] for i in range(len(columns))], prose + names),
        (fixed_floor, prose + names + fixed),
    ]
    for floors, movable in stages:
        widths = list(natural)
        # Prose gives way first: names and fixed columns shrink only as far as prose cannot.
        if _shrink(widths, floors, prose, budget):
            if len(prose) == 1 and names and widths[prose[0]] < natural[prose[0]]:
                _balance(widths, natural, name_floor, prose[0], names, cells)
            return widths
        for i in prose:
            widths[i] = min(widths[i], floors[i])
        rest = [i for i in movable if i not in prose]
        if rest and _shrink(widths, floors, rest, budget):
            if len(prose) == 1 and names:
                _balance(widths, natural, floors, prose[0], names, cells)
            return widths
    return None


SAMPLE_ROWS = 200


def _balance(widths: list[int], natural: list[int], floors: list[int], prose: int, names: list[int],
             cells: list[list[str]]) -> None:
    """Share the room of the prose column and the name columns so the table is as short as it can be
    (ties: the prose wider), estimating each cell's lines from its width (in place)."""
    room = widths[prose] + sum(widths[i] for i in names)
    step = max(1, len(cells) // SAMPLE_ROWS)
    sample = [[display_width(row[i]) for i in [prose, *names]] for row in cells[::step]]
    best: tuple[int, int] | None = None
    best_widths: list[int] = []
    for width in range(floors[prose], min(natural[prose], room - sum(floors[i] for i in names)) + 1):
        trial = list(widths)
        trial[prose] = width
        for i in names:
            trial[i] = natural[i]
        if not _shrink(trial, floors, names, sum(trial) - (sum(trial[i] for i in [prose, *names]) - room)):
            continue
        columns = [trial[prose], *(trial[i] for i in names)]
        height = sum(max(-(-cell // column) if cell else 1 for cell, column in zip(row, columns)) for row in sample)
        if best is None or (height, -width) <= best:
            best, best_widths = (height, -width), trial
    if best_widths:
        widths[:] = best_widths


def lay_out(columns: list[Column], cells: list[list[str]], width: int | None, *, wide: bool = False) -> Layout:
    """The layout of ``cells`` (rows of column texts) under ``columns`` in ``width`` terminal cells."""
    if width is None:
        return Layout(columns, [max([display_width(c.header)] + [display_width(r[i]) for r in cells])
                                for i, c in enumerate(columns)],
                      [[c.header] for c in columns], [[[cell] for cell in row] for row in cells])
    shown = list(range(len(columns)))
    dropped: list[Column] = []
    widths = _widths(columns, cells, width)
    while widths is None and not wide:
        candidates = [i for i in shown if columns[i].priority > 1]
        if not candidates:
            break
        worst = max(candidates, key=lambda i: (columns[i].priority, i))
        shown.remove(worst)
        dropped.append(columns[worst])
        widths = _widths([columns[i] for i in shown], [[row[i] for i in shown] for row in cells], width)
    kept = [columns[i] for i in shown]
    kept_cells = [[row[i] for i in shown] for row in cells]
    if widths is None:
        widths = _widths(kept, kept_cells, width, prose_soft=PROSE_HARD)
    if widths is None:
        return Layout(columns, [], [[c.header] for c in columns], [[[cell] for cell in row] for row in cells],
                      records=True)
    cut = width < SHORTEN_BELOW and not wide
    shortened = False
    rows = []
    for row in kept_cells:
        lines_of_row = []
        for column, w, text in zip(kept, widths, row):
            if column.fit == "prose":
                lines = fold(text, w)
                if column.kind == "brief" and not wide and len(lines) > 1:  # one line in a terminal
                    lines = shorten(lines, w, 1)
                    shortened = True
                elif cut and len(lines) > MAX_PROSE_LINES:
                    lines = shorten(lines, w, MAX_PROSE_LINES)
                    shortened = True
            elif column.fit == "name":
                lines = fold_names(text, w, column.kind)
            else:
                lines = _fold_fixed(text, w)
            lines_of_row.append(lines)
        rows.append(lines_of_row)
    header = [fold(c.header, min(w, _header_min(c.header)) if display_width(c.header) > w else w,
                   prefer_clauses=False) for c, w in zip(kept, widths)]
    return Layout(kept, widths, header, rows, dropped=dropped, shortened=shortened)


def record_lines(columns: list[Column], cells: list[list[str]], width: int | None) -> list[list[str]]:
    """Each row as ``header：value`` lines, values folded to what is left of ``width``."""
    label = max((display_width(c.header) for c in columns), default=0) + 2
    value_width = None if width is None else max(width - label, 10)
    out = []
    for row in cells:
        lines = []
        for column, text in zip(columns, row):
            head = f"{column.header}：" + " " * (label - 2 - display_width(column.header))
            if value_width is None:
                folded = [text]
            elif column.fit == "prose":
                folded = fold(text, value_width)
            elif column.fit == "name":
                folded = fold_names(text, value_width, column.kind)
            else:
                folded = _fold_fixed(text, value_width)
            lines.append((head + folded[0]).rstrip())
            lines.extend(" " * label + more for more in folded[1:])
        out.append(lines)
    return out


def dropped_note(layout: Layout) -> str:
    """The line under a table that says what a narrow terminal left out."""
    parts = []
    if layout.dropped:
        parts.append("屏幕较窄，未显示：" + "、".join(c.header for c in layout.dropped))
    if layout.shortened:
        parts.append("较长的文字以…截断")
    if not parts:
        return ""
    return "（" + "；".join(parts) + "。加宽终端、加 --wide 或用 --format html/xlsx 查看全部）"


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


# ---------------------------------------------------------------- a Table, ready to draw


class Prepared(Record):
    """A :class:`Table` laid out for a width: its (hoisted) heading, layout, groups and total row."""

    heading: str
    columns: list[Column]  # every column but the group key (the layout may show fewer)
    layout: Layout
    cells: list[list[str]]  # the unfolded cells of the rows (for the record layout)
    groups: list[tuple[str, list[int]]]  # (group heading, row indexes); one group without a heading if ungrouped
    total_cells: list[str] | None
    total: list[list[str]] | None  # the total row's lines per shown column
    statuses: list[object]  # each row's status value (for colour)
    note: str

    def __init__(self, heading: str, columns: list[Column], layout: Layout, cells: list[list[str]],
                 groups: list[tuple[str, list[int]]], total_cells: list[str] | None, total: list[list[str]] | None,
                 statuses: list[object], note: str) -> None:
        self.heading = heading
        self.columns = columns
        self.layout = layout
        self.cells = cells
        self.groups = groups
        self.total_cells = total_cells
        self.total = total
        self.statuses = statuses
        self.note = note


def merged(table: Table) -> list[dict]:
    """Rows with the values of ``table.merge`` columns left out where they repeat the row above
    (a task's text printed once over its periods), within each group."""
    if not table.merge:
        return table.rows
    out = []
    previous: dict | None = None
    for row in table.rows:
        same_group = previous is not None and (table.group_by is None
                                               or previous.get(table.group_by) == row.get(table.group_by))
        shown = dict(row)
        if same_group:
            for key in table.merge:
                if row.get(key) != previous.get(key):
                    break
                shown[key] = ""
        out.append(shown)
        previous = row
    return out


def merged_spans(table: Table, rows: list[dict]) -> list[dict[str, int]]:
    """Per row, for each merged column: how many rows its cell spans (>1 on the first row of a run of equal
    values, 0 where the cell above covers it), as HTML's rowspan and Word's vertical merge need it."""
    spans = [dict.fromkeys(table.merge, 1) for _ in rows]
    for depth, key in enumerate(table.merge):
        start = 0
        for index in range(1, len(rows) + 1):
            same = index < len(rows) and all(rows[index].get(k) == rows[start].get(k)
                                             for k in table.merge[: depth + 1])
            if not same:
                if index - start > 1:
                    spans[start][key] = index - start
                    for covered in range(start + 1, index):
                        spans[covered][key] = 0
                start = index
    return spans


def prepare(table: Table, width: int | None, *, wide: bool = False, cell=None) -> Prepared:
    """Hoist constant columns, lay the rows (and the total) out in ``width``, find the groups."""
    from .document import cell_text, hoist_constant_columns, ordered_groups

    cell = cell or cell_text
    table = hoist_constant_columns(table)
    columns = [c for c in table.columns if c.key != table.group_by]
    rows = merged(table)
    cells = [[cell(row.get(c.key), c.kind) for c in columns] for row in rows]
    total = [cell(table.total.get(c.key), c.kind) for c in columns] if table.total else None
    layout = lay_out(columns, cells + ([total] if total else []), width, wide=wide)
    total_lines = layout.rows.pop() if total and not layout.records else None
    index_of = {id(row): i for i, row in enumerate(rows)}
    if table.group_by:
        groups = [(f"{cell(key, 'text')}（{len(found)} 项）", [index_of[id(r)] for r in found])
                  for key, found in ordered_groups(rows, table.group_by)]
    else:
        groups = [("", list(range(len(rows))))]
    note = "\n".join(n for n in (table.note, dropped_note(layout)) if n)
    return Prepared(table.heading, columns, layout, cells, groups, total, total_lines,
                    [row.get("status") for row in rows], note)


# ---------------------------------------------------------------- printed column widths

CELL_PADDING_MM = 4.2  # Word's default cell margins (1.9 mm each side) and a little air
STEP_MM = 2.0
LOOK_AHEAD = 15  # steps a column may take at once to get off a plateau (30 mm)


def print_widths(columns: list[Column], cells: list[list[str]], width_mm: float, size_pt: float) -> list[float]:
    """Column widths in millimetres for a printed table ``width_mm`` wide in ``size_pt`` type.

    Ids, dates and counts are as wide as their widest cell (headers in at most two lines).  The prose
    and name columns start at their least and are given the room left a step at a time, each time to
    the column where it saves the most lines per millimetre (estimated from the cells' widths on a
    sample of rows); room that saves no line goes to the prose.
    """
    per_mm = 2 / (size_pt * 0.3528)  # cells per millimetre: a Chinese character, two cells, is size_pt wide
    natural = []
    for i, column in enumerate(columns):
        header = _header_min(column.header)
        content = max([display_width(row[i]) for row in cells] or [0])
        natural.append(max(header, content))
    # A period's label (2018年第二季度) stays on one line; its duty may fold.  Other text may fold to 4 characters.
    floor = [max([_name_min(row[i], "period") for row in cells] or [0]) if c.kind == "period" else 8
             for i, c in enumerate(columns)]
    slack = [2 if c.kind == "period" else 0 for c in columns]  # a label must not break on the renderer's spacing
    minimum = [n / per_mm + CELL_PADDING_MM if c.fit == "fixed" else (min(n, f) + extra) / per_mm + CELL_PADDING_MM
               for n, f, extra, c in zip(natural, floor, slack, columns)]
    flexible = [i for i, c in enumerate(columns) if c.fit != "fixed"]
    widths = [minimum[i] if c.fit == "fixed" else 0.0 for i, c in enumerate(columns)]
    left = width_mm - sum(widths) - sum(minimum[i] for i in flexible)
    if not flexible or left < 0:
        scale = width_mm / sum(minimum)
        return [w * scale for w in minimum]
    step = max(1, len(cells) // SAMPLE_ROWS)
    sample = [[display_width(row[i]) for i in flexible] for row in cells[::step]]
    shares = [minimum[i] for i in flexible]
    ceiling = [max(natural[i] / per_mm + CELL_PADDING_MM, minimum[i]) for i in flexible]

    def lines_in(cell: int, share: float) -> int:
        room = max(int((share - CELL_PADDING_MM) * per_mm), 1)
        return -(-cell // room) if cell else 1

    while left >= STEP_MM:
        per_column = [[lines_in(row[k], shares[k]) for k in range(len(flexible))] for row in sample]
        current = sum(max(row) for row in per_column)
        best: tuple[float, int, int] | None = None  # (lines saved per step, -steps, column)
        for k in range(len(flexible)):
            others = [max(row[:k] + row[k + 1:], default=1) for row in per_column]
            for steps in range(1, LOOK_AHEAD + 1):
                share = shares[k] + steps * STEP_MM
                if steps * STEP_MM > left or share > ceiling[k] + STEP_MM:
                    break
                total = sum(max(other, lines_in(row[k], share)) for other, row in zip(others, sample))
                if total < current:
                    candidate = ((current - total) / steps, -steps, k)
                    if best is None or candidate > best:
                        best = candidate
                    break
        if best is None:
            break
        _, steps, k = best
        shares[k] += -steps * STEP_MM
        left -= -steps * STEP_MM
    # Room that saves no line: to the prose (or all flexible columns), as far as each has words for it.
    takers = [k for k, i in enumerate(flexible) if columns[i].fit == "prose"] or list(range(len(flexible)))
    while left > 0.01 and takers:
        part = left / len(takers)
        for k in list(takers):
            room = max(ceiling[k] - shares[k], 0.0)
            given = min(part, room) if len(takers) > 1 or room < part else part
            shares[k] += given
            left -= given
            if shares[k] >= ceiling[k] and len(takers) > 1:
                takers.remove(k)
        if all(shares[k] >= ceiling[k] for k in takers):
            shares[takers[0]] += left
            left = 0.0
    for k, i in enumerate(flexible):
        widths[i] = shares[k]
    return widths


PORTRAIT_MM = 180  # A4 portrait inside margins
FLEXIBLE_MM = 25  # the least a prose or name column should have on paper


def needs_landscape(document, size_pt: float = 9) -> bool:
    """True when a table of ``document`` would not fit A4 portrait: its ids, dates and counts at their
    widths and every prose or name column at :data:`FLEXIBLE_MM` take more than :data:`PORTRAIT_MM`."""
    from .document import cell_text

    if document.landscape:
        return True
    per_mm = 2 / (size_pt * 0.3528)
    for table in document.all_tables():
        columns = [c for c in table.columns if c.key != table.group_by]
        width = 0.0
        for column in columns:
            if column.fit != "fixed":
                width += FLEXIBLE_MM
                continue
            content = max([display_width(cell_text(row.get(column.key), column.kind)) for row in table.rows] or [0])
            width += max(_header_min(column.header), content) / per_mm + CELL_PADDING_MM
        if width > PORTRAIT_MM:
            return True
    return False
