"""The ``spasmkg`` command: a thin layer over the library, one command per public function."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from spasmkg import __version__
from spasmkg.errors import SpasmKGError

data_option = click.option(
    "--data",
    "data_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder with ontology/, graph/ and queries/ (default: the packaged data).",
)
article_option = click.option(
    "--article",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The source article's text file; check every cited passage against it.",
)


class SpasmKGGroup(click.Group):
    """A click group that turns spasmkg's errors into one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; user errors become ``error: ...`` without a traceback."""
        try:
            return super().invoke(ctx)
        except SpasmKGError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)


@click.group(cls=SpasmKGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="spasmkg")
@click.option("-v", "--verbose", count=True, help="More log output (repeat for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def cli(verbose: int, quiet: bool) -> None:
    """spasmkg: a curated knowledge graph of why muscles spasm.

    Build it, validate it, query it with SPARQL, explain causal chains with their sources,
    look up entities in outside vocabularies, and browse it as an interactive page.
    """
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def progress_printer(quiet: bool) -> Any:
    """A step callback that shows build progress on stderr (silent with -q)."""
    from rich.console import Console

    console = Console(stderr=True)
    started: list[str] = []

    def step(name: str) -> None:
        if not quiet:
            from spasmkg.build import STEPS

            started.append(name)
            console.print(f"[dim][{len(started)}/{len(STEPS)}][/dim] {name}")

    return step


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Output folder; replaced atomically, and only if it is an earlier build.",
)
@data_option
@article_option
@click.pass_context
def build(ctx: click.Context, out: Path, data_root: Path | None, article: Path | None) -> None:
    """Load, validate and write the graph (Turtle, N-Triples, N-Quads, TriG, JSON-LD), VoID,
    a report and a manifest of checksums."""
    from spasmkg.build import build as run_build

    quiet = bool(ctx.parent and ctx.parent.params.get("quiet"))
    result = run_build(out, data_root, article=article, on_step=progress_printer(quiet))
    counts = result.counts
    click.echo(
        f"built {result.out}: {counts.triples} triples, {counts.entities} entities, "
        f"{counts.claims} claims, {len(result.files)} files"
    )


@cli.command()
@data_option
@article_option
def validate(data_root: Path | None, article: Path | None) -> None:
    """Check SHACL shapes, quality-check queries and identifiers; exit 1 on any violation."""
    from spasmkg.loader import load
    from spasmkg.validate import validate as run_validate

    report = run_validate(load(data_root), data_root, article=article)
    click.echo(report.summary())
    if not report.conforms:
        sys.exit(1)


@cli.command()
@click.option("--check", is_flag=True, help="Only report files that are not canonical; exit 1 if any.")
@data_option
def fmt(check: bool, data_root: Path | None) -> None:
    """Rewrite the curated Turtle files in canonical (sorted) form."""
    from spasmkg.canonical import format_files
    from spasmkg.paths import data_paths

    changed = format_files(data_paths(data_root), check=check)
    for name in changed:
        click.echo(f"{'not canonical' if check else 'reformatted'}: {name}")
    if check and changed:
        sys.exit(1)


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="spasmkg")
