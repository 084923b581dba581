"""The format registry: every output format fupin writes, what it needs, and how it is rendered.

A format module has one function, ``render(view, target) -> str | bytes``: it
asks the :class:`View` for what it needs (a Document for people, records for
scripts, calendar rows for ics) and lays it out for the :class:`Target`.  A
command offers every format whose needs its view can meet, so adding a format
is one module and one entry in :data:`FORMATS`.

Every Document a format gets has been through
:func:`~fupin_cli.output.document.clean_document`: no string from the plan, the
journal or the command line reaches a person with escape sequences, controls,
bidi overrides or zero-width characters in it.  JSON gets the records untouched.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any, Callable

from ...domain.errors import UsageError
from ...domain.values import Frozen, Record


class Target(Frozen):
    """Where rendered output goes: a terminal (``width`` cells, colour unless NO_COLOR) or not.

    ``width`` None means as wide as the content (a pipe or file without COLUMNS); ``wide`` asks
    for every column and every word even in a narrow terminal.
    """

    terminal: bool = False
    width: int | None = None
    wide: bool = False

    def __init__(self, terminal: bool = False, width: int | None = None, wide: bool = False) -> None:
        vars(self).update(terminal=terminal, width=width, wide=wide)


class View(Record):
    """What a command can show, each part built only if a format asks for it.

    ``detail`` is the Document for spreadsheets when it differs from the one people read
    (one row per unit and obligation where the printout consolidates them).
    """

    document: Callable[[], Any] | None = None  # → Document, for people
    records: Callable[[], Any] | None = None  # → JSON-able records, for scripts
    calendar: Callable[[], Any] | None = None  # → (plan, rows), for calendar files
    detail: Callable[[], Any] | None = None  # → Document, for spreadsheets

    def __init__(self, document: Callable[[], Any] | None = None, records: Callable[[], Any] | None = None,
                 calendar: Callable[[], Any] | None = None, detail: Callable[[], Any] | None = None) -> None:
        self.document = document
        self.records = records
        self.calendar = calendar
        self.detail = detail

    def offers(self) -> frozenset[str]:
        return frozenset(need for need in ("document", "records", "calendar") if getattr(self, need) is not None)

    def cleaned(self) -> "View":
        """This view with its Documents made safe to show."""
        from ..document import clean_document

        document, detail = self.document, self.detail
        return View(document=(lambda: clean_document(document())) if document else None,
                    records=self.records, calendar=self.calendar,
                    detail=(lambda: clean_document(detail())) if detail else None)

    def spreadsheet(self):
        """The Document a spreadsheet shows: the detail when there is one."""
        return (self.detail or self.document)()


class Format(Frozen):
    name: str
    needs: str  # the part of a View it renders
    binary: bool = False
    description: str = ""
    suffixes: tuple[str, ...] = ()  # file name endings that mean this format (--output 周报.docx)

    def __init__(self, name: str, needs: str, binary: bool = False, description: str = "",
                 suffixes: tuple[str, ...] = ()) -> None:
        vars(self).update(name=name, needs=needs, binary=binary, description=description, suffixes=suffixes)

    def render(self, view: View, target: Target = Target()) -> str | bytes:
        if self.needs == "document":
            view = view.cleaned()
        return import_module(f"{__name__}.{self.name}").render(view, target)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("table", "document", description="表格（终端中彩色，管道或文件中为纯文本）"),
    Format("text", "document", description="纯文本表格", suffixes=(".txt",)),
    Format("json", "records", description="JSON", suffixes=(".json",)),
    Format("csv", "document", description="CSV（带 BOM，供 Excel/WPS）", suffixes=(".csv",)),
    Format("markdown", "document", description="Markdown", suffixes=(".md", ".markdown")),
    Format("html", "document", description="HTML 打印页（A4）", suffixes=(".html", ".htm")),
    Format("xlsx", "document", binary=True, description="Excel 工作簿", suffixes=(".xlsx",)),
    Format("docx", "document", binary=True, description="Word 文档", suffixes=(".docx",)),
    Format("ics", "calendar", description="iCalendar 日历", suffixes=(".ics",)),
)}


def formats_for(offers: frozenset[str] | set[str], *, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Names of the formats a view offering ``offers`` can be rendered in, in registry order."""
    return tuple(name for name, fmt in FORMATS.items() if fmt.needs in offers and name not in exclude)


def format_of_suffix(path: Path) -> str | None:
    """The format a file name's ending means (``.docx`` → docx), or None."""
    suffix = path.suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt.name
    return None


def choose_format(requested: str | None, output: Path | None, allowed: tuple[str, ...], default: str = "table") -> str:
    """The format to write: ``--format`` if given, else the one ``--output``'s ending names, else ``default``
    (a file without an ending gets it too).

    A ``--format`` that contradicts the ending (``--format html --output 周报.docx``) is an error, as are
    an ending that names a format this command cannot write and, without ``--format``, an ending that
    names no format (``周报.pdf``).
    """
    by_suffix = format_of_suffix(output) if output is not None else None
    if requested is not None:
        if requested not in allowed:
            raise UsageError(f"--format 的值 “{requested}” 无效，可选：{'、'.join(allowed)}", subject="format")
        compatible = {requested} | ({"text"} if requested == "table" else set())
        if by_suffix is not None and by_suffix not in compatible:
            raise UsageError(f"--format {requested} 与 --output 的扩展名 “{output.suffix}”（{by_suffix}）不一致；"
                             f"请改用 .{_suffix_of(requested)} 结尾的文件名，或去掉 --format", subject="format")
        return requested
    if by_suffix is not None:
        if by_suffix not in allowed:
            raise UsageError(f"--output 的扩展名 “{output.suffix}” 表示 {by_suffix} 格式，本命令不能输出该格式；"
                             f"可选：{'、'.join(allowed)}", subject="format")
        return by_suffix
    if output is not None and output.suffix:
        known = "、".join(f".{_suffix_of(name)}" for name in allowed if FORMATS[name].suffixes)
        raise UsageError(f"无法从 --output 的扩展名 “{output.suffix}” 判断格式：请用 {known} 结尾，或加 --format",
                         subject="format")
    return default


def _suffix_of(name: str) -> str:
    suffixes = FORMATS[name].suffixes
    return suffixes[0].lstrip(".") if suffixes else name
