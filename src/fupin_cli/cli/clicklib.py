"""click, wherever this typer keeps it: vendored as ``typer._click`` (typer ≥ 0.26) or the click package.

pyproject allows typer 0.24–0.28; the older ones depend on click itself.  The
rest of ``cli/`` imports click's modules from here only.
"""

try:
    from typer._click import core, exceptions, formatting, shell_completion, types
except ImportError:  # typer < 0.26 runs on click
    from click import core, exceptions, formatting, shell_completion, types

__all__ = ["core", "exceptions", "formatting", "shell_completion", "types"]
