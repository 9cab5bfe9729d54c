"""``spasmkg push``: load the build's named graphs into any SPARQL 1.1 Graph Store, safely.

Each named graph of the build (ontology, asserted, inferred, mappings, and each imported
layer's two) goes to the same-named graph in the store, so a query that asks for the union of
those graphs there answers as the local engine does. Batches go to a fresh staging graph per
target through the Graph Store Protocol, with retries on transient errors. Every staging
graph must then hold exactly the triples sent (count and a sample) before one SPARQL Update of
``MOVE`` operations replaces all the targets by their staging graphs, atomically where the
store runs an update request in a transaction (Oxigraph, Fuseki, Virtuoso do). A failure names
the batch and the reason, drops the staging graphs, and leaves every target as it was.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from spasmkg.errors import DataError, EndpointError, UsageError
from spasmkg.remote import lock
from spasmkg.remote.client import SparqlClient, basic_or_digest

log = logging.getLogger(__name__)

#: The most push reads of any answer: its queries (a lock's row, a count, an ASK) and the
#: store's acknowledgements are small, so a store that sends more is not one to trust.
MAX_ANSWER = 1024 * 1024


@dataclass(frozen=True)
class StoreLayout:
    """How a kind of store lays out its endpoints under a base URL, and how it authenticates."""

    query: str
    update: str
    store: str
    digest_auth: bool = False


#: The kinds of store ``spasmkg push --kind`` knows.
LAYOUTS = {
    "oxigraph": StoreLayout("/query", "/update", "/store"),
    "fuseki": StoreLayout("/query", "/update", "/data"),
    "virtuoso": StoreLayout("/sparql", "/sparql-auth", "/sparql-graph-crud-auth", digest_auth=True),
}


@dataclass(frozen=True)
class StoreEndpoints:
    """Where to query, update and write graphs."""

    query: str
    update: str
    store: str

    @classmethod
    def from_base(cls, base: str, kind: str) -> StoreEndpoints:
        """Endpoints of a known kind of store from its base URL."""
        if kind not in LAYOUTS:
            raise UsageError(f"unknown store kind {kind!r}; choose one of {', '.join(LAYOUTS)}")
        if not base.startswith(("http://", "https://")):
            raise EndpointError(f"{base}: the endpoint must be an http:// or https:// URL")
        layout = LAYOUTS[kind]
        base = base.rstrip("/")
        return cls(base + layout.query, base + layout.update, base + layout.store)


@dataclass(frozen=True)
class PushReport:
    """What a push did: the named graphs it replaced with their triples, and what it checked."""

    graphs: tuple[tuple[str, int], ...]
    batches: int
    verified_sample: int

    @property
    def triples(self) -> int:
        """The triples of all the graphs together."""
        return sum(count for _, count in self.graphs)


class GraphStore:
    """A SPARQL 1.1 store as push sees it: where to query, update and upload, and one client."""

    def __init__(self, endpoints: StoreEndpoints, client: SparqlClient) -> None:
        self.endpoints = endpoints
        self.client = client

    def select(self, query: str, what: str) -> list[dict[str, Any]]:
        """Rows of a SELECT."""
        return self.client.select(self.endpoints.query, query, what)

    def ask(self, query: str, what: str) -> bool:
        """Answer of an ASK."""
        return self.client.ask(self.endpoints.query, query, what)

    def update(self, text: str, what: str) -> None:
        """Run a SPARQL Update."""
        self.client.update(self.endpoints.update, text, what)

    def add(self, graph: str, ntriples: str, what: str) -> None:
        """Append N-Triples to a named graph."""
        self.client.add_to_graph(self.endpoints.store, graph, ntriples, what)

    def count(self, graph: str, what: str) -> int:
        """Number of triples in a named graph."""
        rows = self.select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", what
        )
        try:
            return int(rows[0]["n"]["value"])
        except (IndexError, KeyError, ValueError):
            raise EndpointError(f"{what}: unexpected answer to a COUNT query: {rows!r}") from None


def sample(lines: Sequence[str], size: int) -> list[str]:
    """An evenly spread, repeatable sample of N-Triples lines."""
    if len(lines) <= size:
        return list(lines)
    step = len(lines) / size
    return [lines[int(i * step)] for i in range(size)]


def named_graphs(nquads: str) -> dict[str, list[str]]:
    """The build's triples as sorted N-Triples lines by named graph, read with a real N-Quads
    parser, so no graph name can carry SPARQL into the updates that name it.

    :raises DataError: the text is not N-Quads, or a triple is in no named graph.
    """
    found: dict[str, set[str]] = {}
    try:
        for quad in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise DataError(f"{quad.triple} is in no named graph; a build names each")
            found.setdefault(quad.graph_name.value, set()).add(f"{quad.triple} .")
    except SyntaxError as error:
        raise DataError(f"the graph to push is not N-Quads: {error}") from None
    return {graph: sorted(lines) for graph, lines in sorted(found.items())}


@dataclass(frozen=True)
class Batch:
    """One upload: some triples of one target, for its staging graph."""

    target: str
    staging: str
    lines: Sequence[str]
    first: int


def batches_of(
    graphs: Mapping[str, Sequence[str]], stagings: Mapping[str, str], size: int
) -> list[Batch]:
    """Each target's triples cut into uploads of at most ``size``, target by target."""
    return [
        Batch(graph, stagings[graph], lines[start : start + size], start + 1)
        for graph, lines in graphs.items()
        for start in range(0, len(lines), size)
    ]


def lock_all(
    store: GraphStore,
    stagings: Mapping[str, str],
    wait: float,
    say: Callable[[str], None],
    held: list[str],
) -> None:
    """Take the lock of every target in the order of their IRIs, within ``wait`` seconds in
    all, adding each staging graph whose lock is taken to ``held`` for the caller to release.

    :raises EndpointError: a target stayed locked, or the store failed.
    """
    deadline = time.monotonic() + wait
    for graph in sorted(stagings):
        say(f"locking <{graph}>")
        remaining = max(0.0, deadline - time.monotonic())
        lock.acquire(store, graph, stagings[graph], wait=remaining, on_wait=say)
        held.append(stagings[graph])


def push(
    nquads: str,
    store: GraphStore,
    *,
    batch_size: int = 5000,
    sample_size: int = 25,
    wait: float = 60.0,
    on_progress: Callable[[str], None] | None = None,
) -> PushReport:
    """Replace each named graph of the build in the store with exactly its triples, or fail and
    leave every one as it was.

    The push takes each target's lock (waiting up to ``wait`` seconds in all for other pushes),
    fills a staging graph of its own per target, checks them, moves them all onto their targets
    in one update and checks again. It drops no graph but staging graphs named by a token this
    process drew: its own, and those of its pushes that died; a forged lock record cannot make
    it drop anything else. Graphs of the store that the build does not name are left alone.

    :param nquads: the build's named graphs as N-Quads (``spasmkg.nq``).
    :param on_progress: called with a line for each step and batch.
    :raises DataError: nothing to push, or not N-Quads with every triple in a named graph.
    :raises EndpointError: a step failed; the message says which and why.
    """
    graphs = named_graphs(nquads)
    if not graphs:
        raise DataError("nothing to push: the graph is empty")
    say = on_progress or (lambda _: None)
    stagings = {graph: lock.staging_graph(graph) for graph in graphs}
    batches = batches_of(graphs, stagings, batch_size)
    held: list[str] = []
    try:
        lock_all(store, stagings, wait, say, held)
        for number, batch in enumerate(batches, start=1):
            last = batch.first + len(batch.lines) - 1
            what = (
                f"batch {number} of {len(batches)} (<{batch.target}>, triples {batch.first}-{last})"
            )
            store.add(batch.staging, "\n".join(batch.lines) + "\n", what)
            say(f"[{number}/{len(batches)}] batch sent")
        say("verifying the staging graphs")
        for graph, lines in graphs.items():
            verify(store, stagings[graph], lines, sample_size, f"staging graph of <{graph}>")
        say("moving them onto their targets")
        move_into_place(store, stagings)
        lock.CREATED.difference_update(stagings.values())  # moved: no staging graphs any more
        say("verifying the target graphs")
        checked = sum(
            verify(store, graph, lines, sample_size, f"target graph <{graph}>")
            for graph, lines in graphs.items()
        )
    except BaseException:
        try:
            lock.drop(store, list(stagings.values()), "removing this push's staging graphs")
        except EndpointError as cleanup:
            log.warning("could not remove the staging graphs of this push: %s", cleanup)
        raise
    finally:
        if held:
            try:
                lock.release(store, held)
            except EndpointError as cleanup:
                log.warning("could not release the locks of this push: %s", cleanup)
    counts = tuple((graph, len(lines)) for graph, lines in graphs.items())
    return PushReport(counts, len(batches), checked)


def move_into_place(store: GraphStore, stagings: Mapping[str, str]) -> None:
    """Replace every target by its staging graph in one update, so a store that runs an update
    in a transaction shows the old graphs or the new ones, never a mix.

    Not ``MOVE SILENT``: were a staging graph gone, that would empty its target and succeed.
    """
    store.update(
        " ;\n".join(
            f"MOVE GRAPH <{staging}> TO GRAPH <{graph}>" for graph, staging in stagings.items()
        ),
        "replacing the target graphs",
    )


def verify(store: GraphStore, graph: str, lines: Sequence[str], sample_size: int, name: str) -> int:
    """Check a graph holds exactly the triples sent: same count, and a sample present."""
    held = store.count(graph, f"counting the {name}")
    if held != len(lines):
        raise EndpointError(f"the {name} holds {held} triples, not the {len(lines)} sent")
    picked = sample(lines, sample_size)
    for line in picked:
        triple = line.rstrip().removesuffix(".").strip()
        if not store.ask(
            f"ASK {{ GRAPH <{graph}> {{ {triple} }} }}", f"checking a sample of the {name}"
        ):
            raise EndpointError(f"the {name} lacks a triple that was sent: {line[:200]}")
    return len(picked)


def connect(
    base: str,
    kind: str = "oxigraph",
    *,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    timeout: float = 60.0,
    on_retry: Callable[[str], None] | None = None,
) -> GraphStore:
    """A store of a known kind at a base URL, with the authentication that kind expects."""
    endpoints = StoreEndpoints.from_base(base, kind)
    auth = basic_or_digest(user, password, digest=LAYOUTS[kind].digest_auth)
    client = SparqlClient(
        auth=auth, token=token, timeout=timeout, on_retry=on_retry, max_answer=MAX_ANSWER
    )
    return GraphStore(endpoints, client)
