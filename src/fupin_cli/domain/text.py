"""Text as people see it: names compared the way clerks write them, display width, terminal safety, folding.

Everything here is pure and works on ``str``: the terminal renderers, the printouts
and the messages of the CLI all measure, clean and fold text through these functions,
so a Chinese character is two cells everywhere and no control sequence reaches a
terminal from a task text, a unit name, a note or an argument.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# ---------------------------------------------------------------- names


def normalize_name(text: str) -> str:
    """The form names are compared in: NFKC (全角 → 半角 brackets), no spaces, lower case."""
    # str.split() drops exactly what \s matches (both are str.isspace), at a third of re.sub's cost:
    # a province's units are normalised 40,000 times when its plan is read.
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@lru_cache(maxsize=4096)
def pinyin_key(name: str) -> tuple[str, ...]:
    """A name's sort key in pinyin (市民政局 → shi min zheng ju), as Chinese lists are ordered by name."""
    from pypinyin import lazy_pinyin  # only when sorting by name: keeps start-up fast

    return tuple(lazy_pinyin(name, errors=lambda chars: list(chars)))


# ---------------------------------------------------------------- terminal safety

# Whole escape sequences go, not just their ESC: a bare "[31m" left behind is noise, and an OSC
# (window title, hyperlink, clipboard) carries a payload up to its BEL or ST.
_ESCAPE_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"            # CSI … final byte
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC … BEL or ST
    r"|\x1b[ -/]*[0-~]?"                   # two- and three-byte escapes (ESC c, ESC ( B …)
    r"|\x9b[0-?]*[ -/]*[@-~]?"             # 8-bit CSI
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # 8-bit OSC, DCS, SOS, PM, APC
)
# Line and paragraph separators and tabs read as a space; every other control (C0, DEL, C1) and
# every format character (bidi embeddings and overrides such as RLO, isolates, marks, zero-width
# space/joiners, word joiner, BOM, soft hyphen, tag characters) is removed.
_AS_SPACE = {"\t", "\u2028", "\u2029", "\x85"}


@lru_cache(maxsize=4096)
def _keep(ch: str) -> str:
    if ch in _AS_SPACE:
        return " "
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Cs"):
        return ""
    return ch


def terminal_safe(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with nothing a terminal would act on or hide: no escape sequences, controls, bidi
    overrides or zero-width characters.

    Newlines fold into spaces (a table cell is one logical line) unless ``keep_newlines``
    (messages of several lines); a carriage return never survives, so nothing can overwrite a line.
    """
    if text.isascii() and text.isprintable():
        return text
    text = _ESCAPE_SEQUENCES.sub("", text)
    if keep_newlines:
        lines = text.replace("\r\n", "\n").split("\n")
        return "\n".join("".join(_keep(ch) for ch in line) for line in lines)
    text = text.replace("\r\n", " ").replace("\n", " ")
    return "".join(_keep(ch) for ch in text)


def is_terminal_safe(text: str) -> bool:
    return terminal_safe(text, keep_newlines=True) == text


# ---------------------------------------------------------------- width


@lru_cache(maxsize=8192)
def char_width(ch: str) -> int:
    """Cells one character takes in a terminal: East Asian wide and full-width two, marks and controls none."""
    if ch.isascii():
        return 1 if ch.isprintable() else 0
    if unicodedata.east_asian_width(ch) in "WF":
        return 2
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Me"):
        return 0
    return 1


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes: East Asian wide and full-width characters count two."""
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))


# ---------------------------------------------------------------- folding

# Never at the start of a line (禁则): closing punctuation and marks that belong to what precedes.
NO_LINE_START = set("，。、；：！？）》」』】〕〗〉”’…·%,.;:!?)]}、﹑～")
# Never at the end of a line: opening brackets and quotes belong to what follows.
NO_LINE_END = set("（《「『【〔〖〈“‘([{")
# A good place to fold: after a clause of Chinese text (not after 、, which only separates list items).
CLAUSE_END = set("，。；：！？,;")
# Letters, digits and their inner punctuation stay together: 2018-04-25, 100%, R.1, http://x.
_WORD = re.compile(r"[A-Za-z0-9]+(?:[.\-/:_#@+][A-Za-z0-9]+)*%?|[ ]+|.", re.S)


def atoms(text: str) -> list[str]:
    """``text`` cut where a line may break: a CJK character, a Latin word or number, a run of spaces;
    closing punctuation joined to what precedes it and opening punctuation to what follows."""
    out: list[str] = []
    pending_open = ""
    for piece in _WORD.findall(text):
        if piece[0] in NO_LINE_START and out and not pending_open:
            out[-1] += piece
        elif piece[0] in NO_LINE_END and len(piece) == 1:
            pending_open += piece
        else:
            out.append(pending_open + piece)
            pending_open = ""
    if pending_open:
        out.append(pending_open)
    return out


def _split_wide(atom: str, width: int) -> list[str]:
    """An atom wider than a line, cut by characters (the last resort)."""
    parts, line, used = [], "", 0
    for ch in atom:
        w = char_width(ch)
        if used + w > width and line:
            parts.append(line)
            line, used = "", 0
        line += ch
        used += w
    if line:
        parts.append(line)
    return parts


def fold(text: str, width: int, *, prefer_clauses: bool = True, indent: str = "") -> list[str]:
    """``text`` folded into lines of at most ``width`` cells.

    Lines break between atoms (never inside a number, word or date, never before ，。、；
    nor after （); with ``prefer_clauses`` a line ends after a clause mark when one
    lies in its second half (，。；), so lines read as phrases.  Only an atom wider than ``width``
    is cut inside.  ``indent`` starts the first line (a paragraph's 　　).
    """
    if width <= 0 or display_width(indent + text) <= width:
        return [indent + text]
    lines: list[str] = []
    line: list[str] = [indent] if indent else []
    used = display_width(indent)
    for atom in atoms(text):
        w = display_width(atom)
        if not line and atom.isspace():
            continue
        if used + w <= width:
            line.append(atom)
            used += w
            continue
        if atom.isspace():
            lines.append("".join(line).rstrip())
            line, used = [], 0
            continue
        carry: list[str] = []
        if prefer_clauses and line and line[-1][-1] not in CLAUSE_END:
            for index in range(len(line) - 1, 0, -1):
                if line[index - 1][-1] in CLAUSE_END:
                    if display_width("".join(line[:index])) * 2 >= width:
                        carry = line[index:]
                        line = line[:index]
                    break
        if line:
            lines.append("".join(line).rstrip())
        line = [a for a in carry if not (a.isspace() and a is carry[0])]
        used = display_width("".join(line))
        if used + w <= width:
            line.append(atom)
            used += w
        else:
            if line:
                lines.append("".join(line).rstrip())
            pieces = _split_wide(atom, width)
            lines.extend(pieces[:-1])
            line, used = [pieces[-1]], display_width(pieces[-1])
    if line:
        lines.append("".join(line).rstrip())
    lines = [ln for ln in lines if ln] or [""]
    _no_widow(lines, width)
    return lines


def _no_widow(lines: list[str], width: int) -> None:
    """A last line of one character (“助”, “位。”) takes the character before it along, unless the line
    above ends a clause (in place)."""
    if len(lines) < 2 or lines[-2][-1] in CLAUSE_END:
        return
    last, above = atoms(lines[-1]), atoms(lines[-2])
    if len(last) != 1 or len(above) < 3 or above[-1].isspace():
        return
    moved = above[-1]
    if display_width(moved + lines[-1]) <= width and not moved[-1] in NO_LINE_END:
        lines[-2] = "".join(above[:-1]).rstrip()
        lines[-1] = moved + lines[-1]


def shorten(lines: list[str], width: int, max_lines: int) -> list[str]:
    """At most ``max_lines`` of folded ``lines``; when some are left out the last kept line ends with …"""
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and display_width(last) + 1 > width:
        last = last[:-1]
    kept[-1] = last.rstrip("，、；：,;: ") + "…"
    return kept


def widest_atom(text: str) -> int:
    """Width of the widest unbreakable piece of ``text``: the narrowest column it fits without cutting."""
    return max((display_width(a) for a in atoms(text) if not a.isspace()), default=0)
