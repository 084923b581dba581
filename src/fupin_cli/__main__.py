"""``python -m fupin_cli`` runs the ``fupin`` command."""

from .cli import main

main()
