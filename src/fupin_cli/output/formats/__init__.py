"""The format registry: every output format fupin writes, what it needs, and how it is rendered.

A format module has one function, ``render(view, target) -> str | bytes``: it
asks the :class:`View` for what it needs (a Document for people, records for
scripts, calendar rows for ics) and lays it out for the :class:`Target`.  A
command offers every format whose needs its view can meet, so adding a format
is one module and one entry in :data:`FORMATS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any, Callable


@dataclass(frozen=True)
class Target:
    """Where rendered output goes: a terminal (``width`` cells, colour unless NO_COLOR) or not."""

    terminal: bool = False
    width: int | None = None


@dataclass
class View:
    """What a command can show, each part built only if a format asks for it."""

    document: Callable[[], Any] | None = None  # → Document, for people
    records: Callable[[], Any] | None = None  # → JSON-able records, for scripts
    calendar: Callable[[], Any] | None = None  # → (plan, rows), for calendar files

    def offers(self) -> frozenset[str]:
        return frozenset(need for need in ("document", "records", "calendar") if getattr(self, need) is not None)


@dataclass(frozen=True)
class Format:
    name: str
    needs: str  # the part of a View it renders
    binary: bool = False
    description: str = ""

    def render(self, view: View, target: Target = Target()) -> str | bytes:
        return import_module(f"{__name__}.{self.name}").render(view, target)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("table", "document", description="表格（终端中彩色，管道或文件中为纯文本）"),
    Format("text", "document", description="纯文本表格"),
    Format("json", "records", description="JSON"),
    Format("csv", "document", description="CSV（带 BOM，供 Excel/WPS）"),
    Format("markdown", "document", description="Markdown"),
    Format("html", "document", description="HTML 打印页（A4）"),
    Format("xlsx", "document", binary=True, description="Excel 工作簿"),
    Format("ics", "calendar", description="iCalendar 日历"),
)}


def formats_for(offers: frozenset[str] | set[str], *, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Names of the formats a view offering ``offers`` can be rendered in, in registry order."""
    return tuple(name for name, fmt in FORMATS.items() if fmt.needs in offers and name not in exclude)
