"""``spasmkg push``: load the graph into any SPARQL 1.1 Graph Store, safely.

Batches go to a fresh staging graph through the Graph Store Protocol, with retries on
transient errors. The store must then hold exactly the triples sent (count and a sample)
before one SPARQL Update ``MOVE`` replaces the target graph with the staging graph, atomically
where the store runs updates in a transaction (Oxigraph, Fuseki, Virtuoso do). A failure
names the batch and the reason, drops the staging graph, and leaves the target as it was.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from spasmkg.errors import DataError, EndpointError, UsageError
from spasmkg.remote import lock
from spasmkg.remote.client import SparqlClient, basic_or_digest

log = logging.getLogger(__name__)

DEFAULT_GRAPH = "https://w3id.org/spasmkg/graph/all"
#: The most push reads of any answer: its queries (a lock's row, a count, an ASK) and the
#: store's acknowledgements are small, so a store that sends more is not one to trust.
MAX_ANSWER = 1024 * 1024
IRI = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+")


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
    """What a push did and what the store holds afterwards."""

    graph: str
    triples: int
    batches: int
    verified_sample: int


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


def push(
    ntriples: str,
    store: GraphStore,
    graph: str = DEFAULT_GRAPH,
    *,
    batch_size: int = 5000,
    sample_size: int = 25,
    wait: float = 60.0,
    on_progress: Callable[[str], None] | None = None,
) -> PushReport:
    """Replace ``graph`` in the store with exactly these triples, or fail and leave it as it was.

    The push takes the target's lock (waiting up to ``wait`` seconds for another push), fills
    a staging graph of its own, checks it, moves it onto the target and checks again. It drops
    no graph but staging graphs named by a token this process drew: its own, and those of its
    pushes that died; a forged lock record cannot make it drop anything else.

    :param ntriples: the triples, one N-Triples statement per line.
    :param on_progress: called with a line for each step and batch.
    :raises EndpointError: a step failed; the message says which and why.
    """
    if not IRI.fullmatch(graph):
        raise UsageError(f"{graph!r} is not an absolute IRI for the target graph")
    lines = sorted({line for line in ntriples.splitlines() if line.strip()})
    if not lines:
        raise DataError("nothing to push: the graph is empty")
    say = on_progress or (lambda _: None)
    batches = [lines[i : i + batch_size] for i in range(0, len(lines), batch_size)]
    staging = lock.staging_graph(graph)
    say(f"locking <{graph}>")
    lock.acquire(store, graph, staging, wait=wait, on_wait=say)
    try:
        for number, batch in enumerate(batches, start=1):
            first = (number - 1) * batch_size + 1
            what = f"batch {number} of {len(batches)} (triples {first}-{first + len(batch) - 1})"
            store.add(staging, "\n".join(batch) + "\n", what)
            say(f"[{number}/{len(batches)}] batch sent")
        say("verifying the staging graph")
        verify(store, staging, lines, sample_size, "staging graph")
        say("moving it onto the target")
        move_into_place(store, staging, graph)
        lock.CREATED.discard(staging)  # moved onto the target: it is no staging graph any more
        say("verifying the target graph")
        checked = verify(store, graph, lines, sample_size, "target graph")
    except BaseException:
        try:
            lock.drop(store, staging, "removing this push's staging graph")
        except EndpointError as cleanup:
            log.warning("could not remove the staging graph %s: %s", staging, cleanup)
        raise
    finally:
        try:
            lock.release(store, staging)
        except EndpointError as cleanup:
            log.warning("could not release the lock of %s: %s", staging, cleanup)
    return PushReport(graph, len(lines), len(batches), checked)


def move_into_place(store: GraphStore, staging: str, graph: str) -> None:
    """Replace the target by the staging graph in one update.

    Not ``MOVE SILENT``: were the staging graph gone, that would empty the target and succeed.
    """
    store.update(f"MOVE GRAPH <{staging}> TO GRAPH <{graph}>", "replacing the target graph")


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
