"""The command line: the typer app, shared options, output writing, one module per command group.

The only package that imports typer.  ``main`` is the console entry point.
"""

from .app import main

__all__ = ["main"]
