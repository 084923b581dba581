"""Chinese deadline words (完成时限) → :class:`~fupin_cli.domain.model.Rule` values.

Pure text work: no dates library, no I/O, no clock.  ``parse`` reads a
完成时限 cell such as "每季度之后10日内完成" and returns the rules it states:
:mod:`.normalise` evens out the writing, :mod:`.parser` splits clauses and
matches each against the :mod:`.families` table, :mod:`.describe` says a rule
back in words.
"""

from .describe import describe
from .parser import count_in_text, parse

__all__ = ["parse", "count_in_text", "describe"]
