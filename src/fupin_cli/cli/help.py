"""Help pages in Chinese, wrapped by display width, and the command classes that use them.

click measures text in characters and breaks lines only at spaces, so a
Chinese help line is two cells per character too long and is cut anywhere.
:func:`wrap_cells` counts cells (CJK = 2), breaks between Chinese characters
but never inside a Latin word, never starts a line with closing punctuation
(，。、；：？！）》) and never ends one with opening punctuation (（《“).

:class:`FupinTyper` makes every command a :class:`FupinCommand` and every group
a :class:`FupinGroup`, so a command added by any module gets the same help,
the same Chinese usage errors and the same command-name suggestions.
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import MutableMapping

import typer
from .clicklib import core as click_core
from .clicklib import exceptions as click_exceptions
from .clicklib import formatting, shell_completion
from typer.core import TyperCommand, TyperGroup

from ..domain.text import display_width
from .messages import (
    DEFAULT_NOTE,
    HEADINGS,
    HELP_OPTION_HELP,
    MULTIPLE_NOTE,
    NoSuchCommand,
    OPTIONS_METAVAR,
    REQUIRED_NOTE,
    SUBCOMMAND_METAVAR,
    USAGE,
    command_suggestions,
)

MAX_WIDTH = 80
EXAMPLE = "例"  # a paragraph that begins so is a command line: broken only between its words
_CLOSING = set("，。、；：？！）》」』…")  # never at the start of a line
_OPENING = set("（《「『")  # never at the end of one


def _wide(ch: str) -> bool:
    return display_width(ch) == 2


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(unbreakable piece, whether a space comes before it).

    A run of narrow characters (a Latin word, an option, a date) is one piece,
    each wide character another; closing punctuation is glued to what it
    follows and opening punctuation to what it precedes.
    """
    atoms: list[tuple[str, bool]] = []
    word, word_space, space = "", False, False
    for ch in text:
        if ch.isspace():
            if word:
                atoms.append((word, word_space))
                word = ""
            space = True
        elif _wide(ch):
            if word:
                atoms.append((word, word_space))
                word = ""
            atoms.append((ch, space))
            space = False
        else:
            if not word:
                word_space, space = space, False
            word += ch
    if word:
        atoms.append((word, word_space))
    pieces: list[tuple[str, bool]] = []
    opener: tuple[str, bool] | None = None
    for piece, before in atoms:
        if opener is not None:
            piece, before, opener = opener[0] + piece, opener[1], None
        if piece in _OPENING:
            opener = (piece, before)
        elif pieces and not before and piece[0] in _CLOSING:
            pieces[-1] = (pieces[-1][0] + piece, pieces[-1][1])
        else:
            pieces.append((piece, before))
    if opener is not None:
        pieces.append(opener)
    return pieces


def _hard_split(token: str, width: int) -> list[str]:
    pieces, piece = [], ""
    for ch in token:
        if piece and display_width(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return pieces + ([piece] if piece else [])


def wrap_cells(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "", *,
               at_spaces_only: bool = False) -> list[str]:
    """``text`` (one paragraph) as lines of at most ``width`` display cells, indents included.

    ``at_spaces_only`` keeps every space-separated word whole (a command line in an example).
    """
    lines: list[str] = []
    line, indent = initial_indent, initial_indent
    pieces = [(word, i > 0) for i, word in enumerate(text.split())] if at_spaces_only else _tokens(text)
    for token, before in pieces:
        room = width - display_width(line)
        gap = " " if before and line != indent else ""
        if display_width(gap + token) <= room:
            line += gap + token
            continue
        if line != indent:
            lines.append(line)
            line = indent = subsequent_indent
        available = max(width - display_width(line), 1)
        if display_width(token) <= available:
            line += token
            continue
        *full, rest = _hard_split(token, available)
        lines.extend(line + piece if i == 0 else subsequent_indent + piece for i, piece in enumerate(full))
        line = subsequent_indent + rest
    if line.strip() or not lines:
        lines.append(line)
    return lines


def _join_lines(lines: list[str]) -> str:
    """A paragraph's source lines as one text: no space is invented between two Chinese characters."""
    text = ""
    for line in (line.strip() for line in lines):
        if text and line and not (_wide(text[-1]) and _wide(line[0])):
            text += " "
        text += line
    return text


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a help text: split at blank lines, and each example line (例：…) on its own."""
    found, current = [], []
    for line in text.splitlines():
        starts_example = line.strip().startswith(EXAMPLE)
        if (not line.strip() or starts_example) and current:
            found.append(_join_lines(current))
            current = []
        if line.strip():
            current.append(line)
    if current:
        found.append(_join_lines(current))
    return found


class CellFormatter(formatting.HelpFormatter):
    """click's help formatter, measuring in display cells and speaking Chinese."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        if width is None:
            width = max(min(shutil.get_terminal_size().columns, max_width or MAX_WIDTH) - 2, 50)
        super().__init__(indent_increment, width, max_width)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        head = f"{' ' * self.current_indent}{USAGE}{prog} "
        for line in wrap_cells(args, self.width, head, " " * display_width(head)):
            self.write(line + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{' ' * self.current_indent}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        blocks = ["\n".join(wrap_cells(p, self.width, indent, indent + "  " * p.startswith(EXAMPLE),
                                        at_spaces_only=p.startswith(EXAMPLE)))
                  for p in paragraphs(text)]
        self.write("\n\n".join(blocks) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_width = min(max((display_width(first) for first, _ in rows), default=0), col_max)
        indent = " " * self.current_indent
        column = self.current_indent + first_width + col_spacing
        for first, second in rows:
            if not second:
                self.write(f"{indent}{first}\n")
                continue
            if display_width(first) <= first_width:
                head = f"{indent}{first}{' ' * (column - self.current_indent - display_width(first))}"
            else:
                self.write(f"{indent}{first}\n")
                head = " " * column
            text_lines = wrap_cells(_join_lines(second.splitlines()), max(self.width, column + 20), head,
                                    " " * column)
            self.write("\n".join(text_lines) + "\n")


class FupinContext(typer.Context):
    formatter_class = CellFormatter


# ---------------------------------------------------------------- help records

def _metavar(param) -> str:
    if param.metavar:
        return param.metavar
    return getattr(param.type, "metavar", None) or "值"


def help_record(param, ctx) -> tuple[str, str] | None:
    """(names, description) of a parameter in a help page, notes in Chinese."""
    if getattr(param, "hidden", False):
        return None
    notes = []
    if param.param_type_name == "argument":
        first = _metavar(param)
    else:
        first, _slash = formatting.join_options(param.opts)
        if param.secondary_opts:
            first += " / " + formatting.join_options(param.secondary_opts)[0]
        if not getattr(param, "is_flag", False):
            first += f" {_metavar(param)}"
        default = param.default
        if getattr(param, "show_default", False) and default not in (None, False, "", (), []) \
                and not callable(default):
            notes.append(DEFAULT_NOTE.format(default=default))
        if param.multiple and getattr(param.type, "repeatable", True):
            notes.append(MULTIPLE_NOTE)
    if param.required:
        notes.append(REQUIRED_NOTE)
    text = (getattr(param, "help", None) or "").strip()
    if notes:
        text = f"{text} [{'；'.join(notes)}]" if text else f"[{'；'.join(notes)}]"
    return first, text


def _format_params(command, ctx, formatter) -> None:
    arguments, options = [], []
    for param in command.get_params(ctx):
        record = help_record(param, ctx)
        if record is not None:
            (arguments if param.param_type_name == "argument" else options).append(record)
    for key, rows in (("arguments", arguments), ("options", options)):
        if rows:
            with formatter.section(HEADINGS[key]):
                formatter.write_dl(rows)


def _chinese_help_option(option):
    if option is not None:
        option.help = HELP_OPTION_HELP
    return option


def _parse_with_context(parse, ctx, args):
    """click raises some usage errors without the context; attach it, so the message names the command."""
    try:
        return parse(ctx, args)
    except click_exceptions.UsageError as exc:
        if exc.ctx is None:
            exc.ctx, exc.cmd = ctx, ctx.command
        raise


def short_help(command) -> str:
    """The first paragraph of a command's help: what the command list shows."""
    text = inspect.cleandoc(command.short_help or command.help or "").partition("\f")[0]
    found = paragraphs(text)
    return found[0] if found else ""


def usage_pieces(command, ctx) -> list[str]:
    """``[选项] 任务编号 [记录号]``: arguments by their Chinese metavar, optional ones in brackets."""
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            name = _metavar(param)
            pieces.append(name if param.required else f"[{name}]")
    return pieces


class FupinCommand(TyperCommand):
    context_class = FupinContext

    def collect_usage_pieces(self, ctx) -> list[str]:
        return usage_pieces(self, ctx)

    def __init__(self, *args, **kwargs) -> None:
        kwargs["options_metavar"] = OPTIONS_METAVAR
        kwargs["rich_markup_mode"] = None
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx):
        return _chinese_help_option(super().get_help_option(ctx))

    def format_options(self, ctx, formatter) -> None:
        _format_params(self, ctx, formatter)

    def parse_args(self, ctx, args):
        return _parse_with_context(super().parse_args, ctx, args)

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self)


class FupinGroup(TyperGroup):
    context_class = FupinContext

    def collect_usage_pieces(self, ctx) -> list[str]:
        return [*usage_pieces(self, ctx), self.subcommand_metavar]

    def __init__(self, *args, **kwargs) -> None:
        kwargs["options_metavar"] = OPTIONS_METAVAR
        kwargs["subcommand_metavar"] = SUBCOMMAND_METAVAR
        kwargs["rich_markup_mode"] = None
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx):
        return _chinese_help_option(super().get_help_option(ctx))

    def format_options(self, ctx, formatter) -> None:
        _format_params(self, ctx, formatter)
        rows = command_rows(self.commands)
        if rows:
            with formatter.section(HEADINGS["commands"]):
                formatter.write_dl(rows)

    def parse_args(self, ctx, args):
        return _parse_with_context(super().parse_args, ctx, args)

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self)

    def shell_complete(self, ctx, incomplete):
        """Tab on a command name: the names with their short help (no command built to say it), then options."""
        items = [shell_completion.CompletionItem(name, help=text) for name, text in command_rows(self.commands)
                 if name.startswith(incomplete)]
        return items + click_core.Command.shell_complete(self, ctx, incomplete)

    def resolve_command(self, ctx, args):
        name = args[0]
        command = self.get_command(ctx, name)
        if command is None and not ctx.resilient_parsing:
            if name.startswith("-"):
                self.parse_args(ctx, args)  # an unknown option where a command belongs: say so
            visible = list(self.commands)  # fupin hides no command: none is built to say so
            raise NoSuchCommand(name, command_suggestions(name, visible), ctx)
        return (name if command else None), command, args[1:]


def command_rows(commands) -> list[tuple[str, str]]:
    """(name, short help) of each visible command of a group, in help order: a group's command list."""
    if isinstance(commands, LazyCommands):
        return commands.help_rows()
    return [(name, short_help(command)) for name, command in commands.items() if not command.hidden]


class LazyCommands(MutableMapping):
    """A group's commands by name, each built on first use by ``build(name, module)``.

    ``table`` names every command's module in help order; commands already built (a
    sub-group typer made) follow them.  click reads ``group.commands`` only through
    ``get``, ``items`` and iteration, so a run that executes one command builds one.
    ``summaries`` gives a command's short help (what :func:`short_help` would say of it
    built) so that a help page lists the commands without importing their modules.
    """

    def __init__(self, table: dict[str, str], build, built: dict | None = None,
                 summaries: dict[str, str] | None = None) -> None:
        self._table = dict(table)
        self._build = build
        self._built = dict(built or {})
        self._summaries = dict(summaries or {})
        self._order = list(self._table) + [name for name in self._built if name not in self._table]

    def help_rows(self) -> list[tuple[str, str]]:
        """(name, short help) of every visible command; a command not yet built and summarised stays unbuilt."""
        rows = []
        for name in self._order:
            if name not in self._built and name in self._summaries:
                rows.append((name, self._summaries[name]))  # a summarised command is never hidden
            elif not self[name].hidden:
                rows.append((name, short_help(self[name])))
        return rows

    def __getitem__(self, name: str):
        if name not in self._built:
            if name not in self._table:
                raise KeyError(name)
            self._built[name] = self._build(name, self._table[name])
        return self._built[name]

    def __setitem__(self, name: str, command) -> None:
        if name not in self._order:
            self._order.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self._order:
            raise KeyError(name)
        self._order.remove(name)
        self._table.pop(name, None)
        self._built.pop(name, None)

    def __iter__(self):
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name) -> bool:
        return name in self._order


class FupinTyper(typer.Typer):
    """A typer app whose commands and groups are fupin's: Chinese help, messages and suggestions."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("cls", FupinGroup)
        kwargs.setdefault("rich_markup_mode", None)  # click's plain help: rich's costs more start-up than the help
        kwargs.setdefault("context_settings", {"help_option_names": ["-h", "--help"]})
        super().__init__(**kwargs)

    def command(self, name: str | None = None, *, cls=None, **kwargs):
        return super().command(name, cls=cls or FupinCommand, **kwargs)
