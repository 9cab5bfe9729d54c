"""Commands researchers expect from the tools they already use (monarch-py, runoak,
bioregistry): associations, normalize, search, ancestors and descendants, each giving rows as
TSV, JSON or JSON Lines, to standard output or ``--output FILE``."""

from __future__ import annotations

from pathlib import Path

import click

from spasmkg.cli import cli
from spasmkg.cli.options import data_option, emit_rows, layer_option, rows_options


@cli.command()
@click.argument("term")
@click.option(
    "--limit", type=click.IntRange(1), default=10, show_default=True, help="At most N candidates."
)
@rows_options
@layer_option("all")
@data_option
def search(
    term: str,
    limit: int,
    output_format: str,
    output: Path | None,
    layer: str,
    data_root: Path | None,
) -> None:
    """Candidates for TERM, best first, each with the name that matched and why: the exact
    name, the same words (case, plurals and punctuation aside), the same words in another
    order, a code without its prefix, a name holding every word or some of them, or a close
    spelling. Exit 3 if nothing is near.

    \b
    Example:
      spasmkg search 'leg cramps at night' --limit 5
    """
    from spasmkg.ask.lookup import Candidate
    from spasmkg.ask.lookup import search as find

    emit_rows(
        Candidate, find(term, limit=limit, root=data_root, layer=layer), output_format, output
    )
