"""Chinese deadline words (完成时限) → :class:`~fupin_cli.domain.model.Rule` values.

Pure text work: no I/O, no clock.  ``parse`` reads a 完成时限 cell such as
"每季度之后10日内完成" and returns the rules it states; ``read`` also says which
family read each rule and which words were set aside as the task's object.
:mod:`.normalise` evens out the writing, :mod:`.parser` splits clauses, matches
the :mod:`.families` table and makes sure no date word is left unread,
:mod:`.describe` says a rule back in words.
"""

# ``describe`` is cheap and bound here, so the name is the function, not its submodule.
from .describe import describe

__all__ = ["parse", "read", "Reading", "count_in_text", "describe"]

_PARSER_NAMES = frozenset(("parse", "read", "Reading", "count_in_text"))


def __getattr__(name: str):
    # The parser lazily (PEP 562): saying a rule back in words (reports label shared periods with it)
    # must not pay for compiling the families' patterns, which only reading deadline words needs.
    if name in _PARSER_NAMES:
        from . import parser

        return getattr(parser, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
