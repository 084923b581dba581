"""Chinese deadline words (完成时限) → :class:`~fupin_cli.domain.model.Rule` values.

Pure text work: no I/O, no clock.  ``parse`` reads a 完成时限 cell such as
"每季度之后10日内完成" and returns the rules it states; ``read`` also says which
family read each rule and which words were set aside as the task's object.
:mod:`.normalise` evens out the writing, :mod:`.parser` splits clauses, matches
the :mod:`.families` table and makes sure no date word is left unread,
:mod:`.describe` says a rule back in words.
"""

from .describe import describe
from .parser import Reading, count_in_text, parse, read

__all__ = ["parse", "read", "Reading", "count_in_text", "describe"]
