"""``python -m jobindsats``: the same as the ``jobindsats`` command."""

from .cli import main

main()
