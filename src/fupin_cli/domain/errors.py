"""Errors that fupin reports to a person.

Each class carries its exit code; the one handler at the CLI edge prints the
message (in Chinese) and exits with that code, so no traceback ever reaches a
clerk.  Library code raises these; only the CLI turns them into exits.

``subject`` names the input an error is about in the library's own terms
(``"period"``, ``"date"`` …); the CLI knows which option supplied it and says so.
"""

from __future__ import annotations

from .text import display_width


class FupinError(Exception):
    """Base class: a message for a person, an exit code, and where it happened."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None,
                 line: int | None = None, column: int | None = None, subject: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.subject = subject

    def __reduce__(self):
        # Pickle (the plan cache) rebuilds exceptions from args alone; keep every attribute.
        return _rebuild, (type(self), self.__dict__)

    def location(self) -> str:
        """``file:line:column`` as far as known, or an empty string."""
        parts = [p for p in (self.file, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


def _rebuild(cls, state: dict) -> FupinError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class UsageError(FupinError):
    """A bad value given by a person: an option, an argument, a date or period they typed."""


class PlanError(FupinError):
    """tasks.yaml or units.yaml cannot be used as it is."""


class PhraseError(FupinError):
    """Deadline words that fupin cannot read.

    ``phrase`` is the whole text and ``position`` the index of the character
    where reading stopped, so the message can point at it.
    """

    def __init__(self, message: str, *, phrase: str, position: int, **where) -> None:
        super().__init__(message, **where)
        self.phrase = phrase
        self.position = position

    def pointer(self) -> str:
        """The phrase with a caret line under the place reading stopped."""
        return f"  {self.phrase}\n  {' ' * display_width(self.phrase[: self.position])}^"


class JournalError(FupinError):
    """The journal cannot be read or written; nothing was written."""


class OutputError(FupinError):
    """A report file cannot be written."""
