"""``python -m spasmkg`` runs the same command line as ``spasmkg``."""

from spasmkg.cli import main

main()
