"""Commands that publish the graph: serve it read-only, push it into a graph store."""

from __future__ import annotations

from pathlib import Path

import click

from spasmkg.cli import cli
from spasmkg.cli.options import RegistryChoice, data_option, dist_option, layer_option


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
    help="Port of the site and its SPARQL endpoint.",
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
    "--max-answer",
    type=click.IntRange(1),
    default=32,
    show_default=True,
    metavar="MB",
    help="Megabytes one answer may hold; a larger one gets 422 saying how to page.",
)
@click.option(
    "--max-memory",
    type=click.IntRange(64),
    default=1024,
    show_default=True,
    metavar="MB",
    help="Megabytes of memory a query worker may hold; a query past it gets 503.",
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
    max_answer: int,
    max_memory: int,
    cors_origin: str | None,
    dist: Path | None,
    layer: str,
    data_root: Path | None,
) -> None:
    """Serve the graph read-only as a site: a home page with the downloads and their
    checksums, the interactive page, a SPARQL editor, the endpoint at /sparql, and a page for
    every entity, claim, source and evidence item (/entity/NAME ...) that also answers in
    Turtle, JSON-LD and N-Triples to an Accept header.

    Every query is checked before it runs: SPARQL Update in any form and any text that spells
    SERVICE are refused, and request size, headers, terms, nesting, queue and per-client load
    are capped. Queries run in worker processes that hold the graph in memory behind a network
    namespace or a seccomp filter (serve stops at start where neither is possible), within a
    memory ceiling and an answer cap, and are stopped at the time-out or when the client hangs
    up. No other port is opened and nothing is written to disk. SIGINT (Ctrl-C), SIGTERM and
    SIGHUP stop it cleanly. With --from, the files of that build are served (it must have been
    built from the same data, and each file must match its manifest); without it, they are
    rendered in memory at start.
    """
    from spasmkg.model.loader import load
    from spasmkg.serve.app import site_server
    from spasmkg.serve.front import FrontConfig
    from spasmkg.serve.server import Server, bind, require_web_server

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}, reachable from other machines", err=True)
    config = FrontConfig(
        timeout=timeout,
        max_concurrency=workers,
        max_waiting=queue_size,
        max_per_client=max_per_client,
        cors_origin=cors_origin,
        max_answer=max_answer * 1024 * 1024,
        max_memory=max_memory * 1024 * 1024,
    )
    require_web_server()  # a missing web server or a taken port is an error now, not after the loading
    sock = bind(host, port)
    click.echo(f"loading the graph (layer {layer}) ...", err=True)
    kg = load(data_root, layer=layer)

    def step(message: str) -> None:
        click.echo(f"  {message}", err=True)

    server = site_server(
        kg, dist, step, host=host, port=port, config=config, workers=workers, sock=sock
    )
    click.echo(f"loading the graph into {workers} query worker(s) ...", err=True)

    def ready(running: Server) -> None:
        click.echo(
            f"ready: {running.base}/  (endpoint {running.url}; read-only; workers: no network "
            f"({running.walls}); Ctrl-C to stop)"
        )

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
    "in all for other pushes to the same graphs.",
)
@dist_option
@layer_option("all")
@data_option
def push(
    endpoint: str,
    kind: str,
    user: str | None,
    password: str | None,
    batch_size: int,
    timeout: float,
    dist: Path | None,
    layer: str,
    data_root: Path | None,
) -> None:
    """Load the build's named graphs into a SPARQL 1.1 Graph Store (Oxigraph, Fuseki, Virtuoso
    ...), each into the graph of the same name, replacing them all in one update, and verify the
    store holds exactly what was sent. 'spasmkg query --endpoint' asks for their union.

    One push at a time per graph: a second push waits for the first. A push drops no graph but
    its own staging graphs, named by a token it drew (a push that died elsewhere leaves its
    staging graphs, and the next push names them). A bearer token can be given in
    $SPASMKG_TOKEN."""
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
    nquads = graph_bytes(dist, "nquads", data_root, layer).decode("utf-8")
    report = run_push(nquads, store, batch_size=batch_size, wait=timeout, on_progress=progress)
    click.echo(
        f"pushed {report.triples} triples into {len(report.graphs)} named graphs in "
        f"{report.batches} batch(es); counts and {report.verified_sample} sampled triples verified"
    )
    for graph, triples in report.graphs:
        click.echo(f"  <{graph}>  {triples}")
