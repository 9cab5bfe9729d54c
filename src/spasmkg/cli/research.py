"""Commands researchers expect from the tools they already use (monarch-py, runoak,
bioregistry): associations, normalize, search, ancestors and descendants, each giving rows as
TSV, JSON or JSON Lines, to standard output or ``--output FILE``."""

from __future__ import annotations

from pathlib import Path

import click

from spasmkg.cli import cli
from spasmkg.cli.options import data_option, emit_rows, layer_option, rows_options


@cli.command()
@click.option("-s", "--subject", metavar="ENTITY", help="Only claims about this entity.")
@click.option(
    "-p",
    "--predicate",
    metavar="RELATION",
    help="Only claims of this relation, by label ('has adverse effect') or CURIE "
    "(skgo:hasAdverseEffect, skos:broader).",
)
@click.option("-O", "--object", "obj", metavar="ENTITY", help="Only claims about this object.")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most N rows.")
@click.option(
    "--offset", type=click.IntRange(0), default=0, show_default=True, help="Skip the first N rows."
)
@rows_options
@layer_option("all")
@data_option
def associations(
    subject: str | None,
    predicate: str | None,
    obj: str | None,
    limit: int | None,
    offset: int,
    output_format: str,
    output: Path | None,
    layer: str,
    data_root: Path | None,
) -> None:
    """The claims as flat rows, surest first: subject, relation, object, standing, hedge,
    context, layer, and each evidence item's direction, study design, grade, reference
    (PMID:, doi:, or the source record) and citation. Entities may be named by label,
    synonym, everyday name or identifier.

    \b
    Example:
      spasmkg associations --subject furosemide --predicate 'has adverse effect'
      spasmkg associations --object 'muscle cramp' --format jsonl --output cramp.jsonl
    """
    from spasmkg.ask.associations import Association
    from spasmkg.ask.associations import associations as find

    rows = find(subject, predicate, obj, limit=limit, offset=offset, root=data_root, layer=layer)
    emit_rows(Association, rows, output_format, output)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-c", "--column", required=True, metavar="NAME", help="The column to map, by its header."
)
@rows_options
@layer_option("all")
@data_option
def normalize(
    file: Path,
    column: str,
    output_format: str,
    output: Path | None,
    layer: str,
    data_root: Path | None,
) -> None:
    """Map a column of a CSV or TSV FILE (codes such as ICD10WHO:G35 or G35, MESH:D013035,
    HP:0003394, CHEBI:47426, MONDO:0005301, labels, synonyms, lay words) to the graph's
    entities: one row per input row with the entity, how it matched (exact / close / broad
    mapping, identifier, label, synonym, lay name; ambiguous or none), the SSSOM predicate and
    justification, and what else it could mean. A summary, with every unmatched row, goes to
    stderr. The delimiter comes from the extension (.csv, .tsv), else from the header line.

    \b
    Example:
      spasmkg normalize patients.csv --column diagnosis --output mapped.tsv
    """
    from spasmkg.ask.normalize import Normalized, summary
    from spasmkg.ask.normalize import normalize as run

    rows = run(file, column, root=data_root, layer=layer)
    emit_rows(Normalized, rows, output_format, output)
    click.echo(summary(rows), err=True)


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


def kin_command(name: str, summary: str) -> None:
    """Register ``ancestors`` or ``descendants``, each the call of its library function."""

    @cli.command(name, help=summary)
    @click.argument("entity")
    @click.option("--max-depth", type=click.IntRange(1), default=None, help="Go at most N steps.")
    @rows_options
    @layer_option("all")
    @data_option
    def command(
        entity: str,
        max_depth: int | None,
        output_format: str,
        output: Path | None,
        layer: str,
        data_root: Path | None,
    ) -> None:
        from spasmkg.ask import hierarchy

        find = getattr(hierarchy, name)
        rows = find(entity, max_depth=max_depth, root=data_root, layer=layer)
        emit_rows(hierarchy.Kin, rows, output_format, output)


KIN_HELP = (
    "step by step along the graph's 'is a kind of' claims (skos:broader) that the evidence "
    "backs, nearest first: each row with its depth, the entity one step nearer from which it "
    "was reached, and the claim of that step with its standing."
)
kin_command(
    "ancestors",
    f"What ENTITY is a kind of, and what those are kinds of, {KIN_HELP}\n\n"
    "\b\nExample:\n  spasmkg ancestors furosemide",
)
kin_command(
    "descendants",
    f"The kinds of ENTITY, and their kinds, {KIN_HELP}\n\n"
    "\b\nExample:\n  spasmkg descendants 'muscle spasm' --max-depth 1",
)
