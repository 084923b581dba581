"""Errors that fupin reports to a person.

Each class carries its exit code; the one handler in ``cli.main`` prints the
message (in Chinese) and exits with that code, so no traceback ever reaches a
clerk.  Library code raises these; only the CLI edge turns them into exits.
"""

from __future__ import annotations


class FupinError(Exception):
    """Base class: a message for a person, an exit code, and where it happened."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

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
    """A bad option or argument on the command line."""


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
        # Chinese characters take two terminal columns.
        width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in self.phrase[: self.position])
        return f"  {self.phrase}\n  {' ' * width}^"


class JournalError(FupinError):
    """The journal cannot be read or written; nothing was written."""


class OutputError(FupinError):
    """A report file cannot be written."""
