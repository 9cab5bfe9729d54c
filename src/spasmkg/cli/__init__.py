"""The ``spasmkg`` command: a thin layer over the library, one command per public function.

The group lives here; the commands are in ``data`` (build, validate, fmt, import, export),
``ask`` (lookup, query, queries, explain, why, html), ``research`` (associations, normalize,
search, ancestors, descendants) and ``publish`` (serve, push), which register themselves on it
when imported below; ``options`` holds the options they share.
"""

from __future__ import annotations

import gc
import logging
import sys
from typing import Any

import click

from spasmkg import __version__
from spasmkg.errors import EXIT_CODES, SpasmKGError


class SpasmKGGroup(click.Group):
    """A click group that turns spasmkg's errors into one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; user errors become ``error: ...`` without a traceback."""
        try:
            return super().invoke(ctx)
        except SpasmKGError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)


EPILOG = "\b\nExit codes:\n" + "\n".join(
    f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items()
)


@click.group(
    cls=SpasmKGGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EPILOG
)
@click.version_option(__version__, prog_name="spasmkg")
@click.option("-v", "--verbose", count=True, help="More log output (repeat for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def cli(verbose: int, quiet: bool) -> None:
    """spasmkg: a curated knowledge graph of why muscles spasm.

    Build it, validate it, query it with SPARQL, explain causal chains with their sources,
    look up entities in outside vocabularies, and browse it as an interactive page.
    """
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def register_commands() -> None:
    """Import the command modules, which add their commands to the group."""
    from spasmkg.cli import ask, data, publish, research  # noqa: F401


register_commands()


def main() -> None:
    """Entry point of the console script: every error is one line on stderr with its exit code
    (a mistake in the options is 2, Ctrl-C is 130, as shells expect)."""
    try:
        code = cli.main(prog_name="spasmkg", standalone_mode=False)
    except click.UsageError as error:
        where = f"{error.ctx.command_path} --help" if error.ctx else "spasmkg --help"
        click.echo(f"error: {error.format_message()} (see '{where}')", err=True)
        sys.exit(2)
    except click.ClickException as error:
        click.echo(f"error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        sys.exit(130)
    finally:
        # the process ends here: spare it the last collection over everything it loaded,
        # which took half a second after a build (benchmarks/README.md)
        gc.freeze()
    sys.exit(code if isinstance(code, int) else 0)
