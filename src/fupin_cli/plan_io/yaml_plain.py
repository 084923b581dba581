"""Plan files written in plain YAML, read without PyYAML: the same data and lines, ten times faster.

``tasks.yaml`` and ``units.yaml`` — as the shipped plan, ``fupin import`` and
clerks write them — use a small part of YAML: block mappings and sequences,
one value per line (plain, "double" or 'single' quoted text, a decimal
number, a one-line ``[list]`` or ``{mapping}``), comments.  PyYAML reads that
part slowly: its C parser builds a node with marks for every scalar and Python
then constructs each one (about 1.3 s for a 20,000-unit units.yaml, where this
reader takes a tenth of that), and importing yaml alone costs ~25 ms.

The rule that keeps it safe: anything outside that part — anchors, tags,
block scalars, text or flows over several lines, tabs, escapes or numbers
other than the common ones, YAML's bool words, duplicate keys, any syntax
error — makes :func:`read_plain` give up (``None``), and the caller reads the
text with PyYAML, which also words every error.  So this reader only has to
be right about what it accepts: the same values, key order, lines and columns
as PyYAML with the C loader (tests/test_yaml_plain.py compares the two).
"""

from __future__ import annotations

import re
from functools import cache


class Mapping(dict):
    """A YAML mapping with the line of itself and of each key's value (1-based line, column)."""

    line: int = 0
    column: int = 0
    key_lines: dict


class _NotPlain(Exception):
    """Outside the plain part of YAML: read the text with PyYAML instead."""


# Anything in the text that the plain part never holds: tabs, carriage returns (after CRLF), YAML's
# other line breaks (\x85, \u2028, \u2029), a byte-order mark, and what YAML 1.1 does not count as
# printable.  (Lone surrogates cannot come out of UTF-8 decoding.)  Kept to Latin-1 in the pattern:
# a class of wide characters costs milliseconds to compile.
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_UNUSUAL_WIDE = ("\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff")

# The implicit types of YAML 1.1 as PyYAML resolves plain scalars (dates stay text in plan files), and
# the first characters it tries each on; tests/test_yaml_plain.py keeps both the same as yaml.resolver's.
RESOLVERS = {
    "bool": r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
    "float": r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
             r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    "int": r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
           r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$",
    "merge": r"^(?:<<)$",
    "null": r"^(?:~|null|Null|NULL|)$",
    "value": r"^(?:=)$",
    "yaml": r"^(?:!|&|\*)$",
}
TYPED_FIRST = frozenset("yYnNtTfFoO-+0123456789.<~=!&*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")  # no resolver but the timestamp one takes these


@cache
def _typed() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in RESOLVERS.values()))

_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_NULLS = frozenset(("~", "null", "Null", "NULL"))

# A block mapping's line: a plain key, ":", then a value, a comment or nothing.  A double-quoted value
# without escapes and a plain one without ":" or "#" (most of them) are taken here, anything else by
# ``inline``.
_KEY = re.compile(r"(?P<key>[^-?:,\[\]{}#&*!|>'\"%@` ][^:#]*?) *(?P<colon>:)"
                  r"(?: +(?:\"(?P<quoted>[^\"\\]*)\"\Z|(?P<plain>[^-?:,\[\]{}#&*!|>'\"%@` ][^:#]*)\Z"
                  r"|(?P<rest>.*)))?\Z")
# A one-line list of double-quoted text without escapes (the long lists of members are written so).
_QUOTED_LIST = re.compile(r'\[ *"[^"\\]*"(?: *, *"[^"\\]*")* *\]')
_QUOTED = re.compile(r'"([^"\\]*)"')
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.))")
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
# A block scalar's header: folded (>) or literal (|), clipped or stripped (-).
_BLOCK_SCALAR = re.compile(r"([>|])(-?)(?: +#.*)?\Z")
# In a one-line flow: a quoted or plain item, then the sign after it.
_FLOW_VALUE = re.compile(r" *(?:\"((?:[^\"\\]|\\.)*)\"|'((?:[^']|'')*)'"
                         r"|([^-?:,\[\]{}#&*!|>'\"%@` ][^,\[\]{}:#?]*?|-[0-9]+)) *([,\]}])")
_FLOW_KEY = re.compile(r" *([^-?:,\[\]{}#&*!|>'\"%@` ][^,\[\]{}:#?]*?) *: +")
_EMPTY_FLOW = re.compile(r" *([\]}])")
_FLOW_END = re.compile(r" *([,}])")  # after a list inside a one-line mapping
_MAX_KEY = 1000  # libyaml refuses longer implicit keys


def read_plain(text: str):
    """The data of ``text`` as PyYAML would construct it (with :class:`Mapping` lines), or None.

    None means "not plain": read the text with PyYAML.  A plain document is
    always a mapping or a list, never None itself.
    """
    try:
        return _Reader(text).document()
    except (_NotPlain, RecursionError):
        return None


def _scalar(text: str):
    """A plain scalar's value: text, a decimal int or null; anything else PyYAML types is not plain."""
    if text[0] not in TYPED_FIRST:
        return text
    if _DECIMAL.match(text):
        return int(text)
    if text in _NULLS:
        return None
    if _DATE.match(text) is None and _typed().match(text):
        raise _NotPlain
    return text


def _key(text: str) -> str:
    if len(text) > _MAX_KEY:
        raise _NotPlain
    return str(_scalar(text))  # as the loader's mapping constructor: every key becomes text


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body

    def one(m: re.Match) -> str:
        if m.group(1) is not None:
            code = int(m.group(1), 16)
            if 0xD800 <= code <= 0xDFFF:
                raise _NotPlain  # PyYAML keeps a lone surrogate; not worth matching
            return chr(code)
        escaped = _ESCAPES.get(m.group(2))
        if escaped is None:
            raise _NotPlain
        return escaped

    return _ESCAPE.sub(one, body)


def _is_entry(body: str) -> bool:
    return body[0] == "-" and (len(body) == 1 or body[1] == " ")


def _end_of_line(text: str, pos: int) -> None:
    """After a quoted value or a flow: only spaces, or spaces and a comment."""
    rest = text[pos:]
    if rest and not (rest[0] == " " and (not rest.strip(" ") or rest.lstrip(" ")[0] == "#")):
        raise _NotPlain


class _Reader:
    def __init__(self, text: str) -> None:
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        if _UNUSUAL.search(text) or any(ch in text for ch in _UNUSUAL_WIDE):
            raise _NotPlain
        self.lines = text.split("\n")
        rows = []  # (line, indent, text after the indent) of every line that is not blank or a comment
        for number, line in enumerate(self.lines, 1):
            body = line.lstrip(" ")
            if body and body[0] != "#":
                rows.append((number, len(line) - len(body), body.rstrip(" ")))
        self.rows = rows
        self.keys: dict[str, str] = {}

    def document(self):
        if not self.rows:
            raise _NotPlain
        node, i = self.block(0)
        if i != len(self.rows):
            raise _NotPlain
        return node

    def key(self, text: str) -> str:
        key = self.keys.get(text)
        if key is None:
            key = self.keys[text] = _key(text)
        return key

    def block(self, i: int):
        """The block collection starting at row ``i``, and the row after it."""
        number, indent, body = self.rows[i]
        if _is_entry(body):
            return self.sequence(i, indent)
        m = _KEY.match(body)
        if m is None:
            raise _NotPlain
        return self.mapping(number, indent, m, i + 1)

    def mapping(self, number: int, column: int, m: re.Match, i: int):
        """A block mapping whose first key is ``m`` (a match of _KEY) at (``number``, ``column``); its other
        keys are rows from ``i``."""
        result = Mapping()
        result.line, result.column = number, column + 1
        result.key_lines = key_lines = {}
        rows = self.rows
        count = len(rows)
        keys = self.keys
        while True:
            raw, _, quoted, plain, rest = m.groups()
            key = keys.get(raw)
            if key is None:
                key = keys[raw] = _key(raw)
            if key in result:
                raise _NotPlain  # PyYAML's loader words the duplicate
            if quoted is not None:
                result[key] = quoted
                key_lines[key] = (number, column + m.start(3))
            elif plain is not None:
                result[key] = plain if plain[0] not in TYPED_FIRST else _scalar(plain)
                key_lines[key] = (number, column + m.start(4) + 1)
            else:
                if rest and rest[0] != "#":
                    start = column + m.start(5)
                    header = _BLOCK_SCALAR.match(rest) if rest[0] in ">|" else None
                    if header is not None:
                        result[key], i = self.block_scalar(number, column, header, i)
                    else:
                        result[key] = self.inline(rest, number, start)
                    key_lines[key] = (number, start + 1)
                else:
                    below = rows[i] if i < count else None
                    if below is not None and (below[1] > column or (below[1] == column and _is_entry(below[2]))):
                        result[key], i = self.block(i)
                        key_lines[key] = (below[0], below[1] + 1)
                    else:  # nothing: null, marked just after the colon as libyaml does
                        result[key] = None
                        key_lines[key] = (number, column + m.start(2) + 2)
            if i >= count:
                return result, i
            number, indent, body = rows[i]
            if indent != column or body[0] == "-":  # (a key never starts with "-": _KEY refuses it)
                if indent > column:
                    raise _NotPlain  # text going on over the next line, or a stray indent
                return result, i
            m = _KEY.match(body)
            if m is None:
                raise _NotPlain
            i += 1

    def sequence(self, i: int, indent: int):
        items = []
        rows = self.rows
        count = len(rows)
        while i < count:
            number, at, body = rows[i]
            if at != indent:
                if at < indent:
                    break
                raise _NotPlain
            if not _is_entry(body):
                break
            rest = body[1:].lstrip(" ")
            i += 1
            if not rest or rest[0] == "#":
                if i < count and rows[i][1] > indent:
                    node, i = self.block(i)
                else:
                    node = None
            else:
                column = indent + len(body) - len(rest)
                if _is_entry(rest):
                    raise _NotPlain  # "- - x": a list in a list on one line
                header = _BLOCK_SCALAR.match(rest) if rest[0] in ">|" else None
                m = _KEY.match(rest) if header is None else None
                if header is not None:
                    node, i = self.block_scalar(number, indent, header, i)
                elif m is not None:
                    node, i = self.mapping(number, column, m, i)
                else:
                    node = self.inline(rest, number, column)
                if i < count and rows[i][1] > indent:
                    raise _NotPlain  # text going on over the next line
            items.append(node)
        return items, i

    def block_scalar(self, number: int, parent: int, header: re.Match, i: int):
        """A ``>`` or ``|`` scalar whose header is on line ``number``: its lines all at one indent, no blank lines.

        Folded (``>``) joins the lines with spaces, literal (``|``) with line
        breaks; ``-`` strips the final line break, else it is kept.  Blank or
        more-indented lines, trailing spaces, spaces on the blank lines after
        it and a last line without a line break are left to PyYAML.  Returns the text and the first row after it.
        """
        lines = self.lines
        content: list[str] = []
        indent = -1
        end = number  # the index of the line after the scalar (lines[number] is the line after the header)
        while end < len(lines):
            line = lines[end]
            body = line.lstrip(" ")
            if not body:
                break
            at = len(line) - len(body)
            if indent < 0:
                if at <= parent:
                    break
                indent = at
            elif at < indent:
                break
            elif at > indent:
                raise _NotPlain
            if body[-1] == " ":
                raise _NotPlain
            content.append(body)
            end += 1
        if not content or end >= len(lines):
            raise _NotPlain
        after = end
        while after < len(lines) and not lines[after].strip(" "):
            if lines[after]:
                raise _NotPlain  # spaces on a blank line after it: YAML may count some as text
            after += 1
        if after < len(lines) and after > end and len(lines[after]) - len(lines[after].lstrip(" ")) >= indent:
            raise _NotPlain  # a blank line inside the scalar
        text = (" " if header.group(1) == ">" else "\n").join(content)
        if not header.group(2):
            text += "\n"
        rows = self.rows
        while i < len(rows) and rows[i][0] <= end:
            i += 1
        return text, i

    def inline(self, text: str, number: int, column: int):
        """The value written on the rest of a line (``text`` starts at ``column``, 0-based)."""
        first = text[0]
        if first == '"':
            m = _DOUBLE.match(text)
            if m is None:
                raise _NotPlain
            _end_of_line(text, m.end())
            return _unescape(m.group(1))
        if first == "'":
            m = _SINGLE.match(text)
            if m is None:
                raise _NotPlain
            _end_of_line(text, m.end())
            return m.group(1).replace("''", "'")
        if first == "[":
            value, end = self.flow_list(text)
            _end_of_line(text, end)
            return value
        if first == "{":
            value, end = self.flow_mapping(text, number, column)
            _end_of_line(text, end)
            return value
        cut = text.find(" #")
        if cut >= 0:
            text = text[:cut].rstrip(" ")
        if ": " in text or text[-1] == ":" or (first in "-?:,]}#&*!|>%@`" and not _DECIMAL.match(text)):
            raise _NotPlain
        return _scalar(text)

    @staticmethod
    def _flow_item(m: re.Match):
        if m.group(1) is not None:
            return _unescape(m.group(1))
        if m.group(2) is not None:
            return m.group(2).replace("''", "'")
        return _scalar(m.group(3))

    def flow_list(self, text: str, start: int = 0):
        """The one-line list whose "[" is at ``start``, and where it ends."""
        if text.startswith("[]", start):
            return [], start + 2
        quoted = _QUOTED_LIST.match(text, start)
        if quoted is not None:
            return _QUOTED.findall(text, start, quoted.end()), quoted.end()
        empty = _EMPTY_FLOW.match(text, start + 1)
        if empty is not None:
            if empty.group(1) != "]":
                raise _NotPlain
            return [], empty.end()
        items = []
        pos = start + 1
        while True:
            m = _FLOW_VALUE.match(text, pos)
            if m is None or m.group(4) == "}":
                raise _NotPlain
            items.append(self._flow_item(m))
            pos = m.end()
            if m.group(4) == "]":
                return items, pos

    def flow_mapping(self, text: str, number: int, column: int):
        """The one-line mapping starting the text (at ``column``); its values text or one-line lists."""
        result = Mapping()
        result.line, result.column, result.key_lines = number, column + 1, {}
        empty = _EMPTY_FLOW.match(text, 1)
        if empty is not None:
            if empty.group(1) != "}":
                raise _NotPlain
            return result, empty.end()
        pos = 1
        while True:
            k = _FLOW_KEY.match(text, pos)
            if k is None:
                raise _NotPlain
            key = self.key(k.group(1))
            if key in result:
                raise _NotPlain
            if text.startswith("[", k.end()):
                result[key], end = self.flow_list(text, k.end())
                result.key_lines[key] = (number, column + k.end() + 1)
                m = _FLOW_END.match(text, end)
                if m is None:
                    raise _NotPlain
                sign = m.group(1)
            else:
                m = _FLOW_VALUE.match(text, k.end())
                if m is None or m.group(4) == "]":
                    raise _NotPlain
                start = next(m.start(g) for g in (1, 2, 3) if m.group(g) is not None)
                if m.group(3) is None:
                    start -= 1  # the opening quote
                result[key] = self._flow_item(m)
                result.key_lines[key] = (number, column + start + 1)
                sign = m.group(4)
            pos = m.end()
            if sign == "}":
                return result, pos
