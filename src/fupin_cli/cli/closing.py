"""How a reporting command ends: the closing word about today last, and the exit code cron sees."""

import sys

import typer

from ..app.context import RunContext

# The real today lies outside every plan's window and its grace year: the report
# covered nothing.  Its own code, so that cron (and `|| mail …`) notices a list
# that has run out instead of reading an empty report as "nothing overdue".
EXIT_OUTSIDE_PLANS = 3


def finish_report(ctx: RunContext, *, exit_code: bool = False, overdue: int = 0, named: bool = False) -> None:
    """End a report: run-end warnings, then the word about today as the very last line, then the exit code.

    ``named``: the report's window was named outright (a month, a quarter), so today is not in question.
    """
    from .output import warn

    ctx.finish()
    notice = None if named else ctx.today_notice()
    if notice is not None:
        sys.stdout.flush()  # the report first, also when both streams go to one file (2>&1)
        warn(notice.message)
        if notice.outside:
            raise typer.Exit(EXIT_OUTSIDE_PLANS)
    if exit_code and overdue:
        raise typer.Exit(1)  # cron alerts on it, like git diff --exit-code
