"""The one error of table reading: a ``PlanError`` that names file, sheet and row."""

from __future__ import annotations

from ...domain.errors import PlanError
from .model import Location


class TableError(PlanError):
    """A file that cannot be read as a task table.  Exit code 2 (bad input).

    ``where`` is the table location (``清单.xlsx:Sheet1!A3``, ``清单.docx:表1 第7行``);
    ``str()`` gives ``where: message``, like every other ``FupinError``.
    """

    def __init__(self, message: str, where: Location | str) -> None:
        if isinstance(where, str):
            where = Location(where)
        super().__init__(message, file=where.file, line=where.row)
        self.where = where

    def location(self) -> str:
        return str(self.where)
