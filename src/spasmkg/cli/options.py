"""Options and helpers the commands share: the data folder, the layer, registry choices, progress."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

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


class LayerList(click.ParamType):  # type: ignore[type-arg]
    """``all``, ``core``, or registered layer names joined by commas, checked against the
    registry of layers when the option is used."""

    name = "layers"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """The value as given, once every name in it is a registered layer."""
        from spasmkg.errors import UsageError
        from spasmkg.model.layers import names_of

        try:
            names_of(str(value))
        except UsageError as error:
            self.fail(str(error), param, ctx)
        return str(value)


def layer_option(default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--layer``: the layers to load, from the registry of layers."""
    return click.option(
        "--layer",
        type=LayerList(),
        default=default,
        show_default=True,
        metavar="LAYERS",
        help="all: the curated core with every imported layer (graph/imports/) but the opt-in "
        "ones; core: the curated graph alone; or layer names joined by commas (core,hpo; "
        "all,hpo-movement adds the opt-in grown HPO layer, in hpo's place). The core is "
        "always loaded.",
    )


class RegistryChoice(click.Choice):  # type: ignore[type-arg]
    """The names of a registry as choices, read when an option is used (keeps start-up quick)."""

    def __init__(self, module: str, registry: str) -> None:
        self.source = (module, registry)
        super().__init__([])

    @property  # type: ignore[override]
    def choices(self) -> list[str]:
        """The registry's names (a registry may be a function that lists them)."""
        module, registry = self.source
        found = getattr(importlib.import_module(module), registry)
        return list(found() if callable(found) else found)

    @choices.setter
    def choices(self, value: Any) -> None:
        """click sets the choices at construction; the registry decides them instead."""


def progress_printer(quiet: bool) -> Any:
    """A step callback that shows build progress on stderr (silent with -q)."""
    from rich.console import Console

    console = Console(stderr=True)
    started: list[str] = []

    def step(name: str) -> None:
        if not quiet:
            from spasmkg.outputs.build import STEPS

            started.append(name)
            console.print(f"[dim][{len(started)}/{len(STEPS)}][/dim] {name}")

    return step


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    """``k=v`` pairs from repeated ``--param`` options."""
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not name=value", param_hint="--param")
        params[name.strip()] = value
    return params


dist_option = click.option(
    "--from",
    "dist",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Reuse the output of an earlier 'spasmkg build' instead of building now.",
)


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Write to FILE instead of standard output.",
)


def rows_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--format tsv|json|jsonl`` and ``--output FILE``, for every command that gives rows."""
    from spasmkg.ask.rows import FORMATS

    return output_option(
        click.option(
            "-f",
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            default="tsv",
            show_default=True,
            help="tsv: a header, then a row a line (a list joined by '|'); json: an array of "
            "objects; jsonl: an object a line.",
        )(command)
    )


def emit(text: str, output: Path | None, what: str = "") -> None:
    """Text to standard output, or into ``--output FILE`` with a line on stderr saying so.

    :raises OutputError: the file cannot be written (exit 6).
    """
    if output is None:
        click.echo(text, nl=False)
        return
    from spasmkg.ask.rows import write_text

    write_text(output, text)
    click.echo(f"wrote {output}{f': {what}' if what else ''}", err=True)


def emit_rows(
    row_type: type[Any], rows: list[Any], output_format: str, output: Path | None
) -> None:
    """Rows in a format, to standard output or ``--output FILE``."""
    from spasmkg.ask.rows import render_rows

    emit(render_rows(row_type, rows, output_format), output, f"{len(rows)} rows")
