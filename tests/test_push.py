"""``spasmkg push`` into real stores: Oxigraph always, Virtuoso where it is installed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

import spasmkg
from spasmkg.ask.answer import query
from spasmkg.errors import EndpointError, SpasmKGError
from spasmkg.outputs.build import build
from spasmkg.remote.client import SparqlClient
from spasmkg.remote.push import GraphStore, StoreEndpoints, push
from tests.helpers import Listener, run_entry_point
from tests.stores import oxigraph_store, virtuoso_store
from tests.test_queries import EXPECTED, OFFLINE

GRAPH = "https://w3id.org/spasmkg/graph/all"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("push") / "dist").out


@pytest.fixture(scope="module")
def ntriples(dist: Path) -> str:
    return (dist / "spasmkg.nt").read_text(encoding="utf-8")


def client(base: str, kind: str = "oxigraph", auth: httpx.Auth | None = None) -> GraphStore:
    return GraphStore(
        StoreEndpoints.from_base(base, kind), SparqlClient(auth=auth, retries=1, backoff=0.1)
    )


def graphs(store: GraphStore) -> dict[str, int]:
    rows = store.select(
        'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/spasmkg/")) } GROUP BY ?g',
        "list",
    )
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def test_push_to_oxigraph_then_every_named_query_agrees(
    tmp_path: Path, ntriples: str, kg: spasmkg.KnowledgeGraph
) -> None:
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        report = push(ntriples, store, batch_size=700)
        assert (report.triples, report.batches, report.verified_sample) == (2269, 4, 25)
        assert graphs(store) == {GRAPH: 2269}, "no staging graph is left"
        for name in OFFLINE:
            params = EXPECTED[name].get("params", {})
            remote = query(name, params, kg=kg, endpoint=base + "/query")
            assert remote.sorted_rows() == query(name, params, kg=kg).sorted_rows(), name


def test_push_replaces_the_graph(tmp_path: Path, ntriples: str) -> None:
    lines = ntriples.splitlines()
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        push(ntriples, store)
        push("\n".join(lines[:100]), store)
        assert graphs(store) == {GRAPH: 100}
        push(ntriples, store)
        assert graphs(store) == {GRAPH: 2269}


def test_server_killed_mid_push_fails_clearly_and_a_rerun_completes(
    tmp_path: Path, ntriples: str
) -> None:
    location = tmp_path / "store"
    with oxigraph_store(location) as base:
        push("\n".join(ntriples.splitlines()[:50]), client(base))
    with (
        pytest.raises(EndpointError, match=r"^batch 2 of 5 \(triples 501-1000\): cannot reach"),
        oxigraph_store(location) as base,
    ):
        store = client(base)

        def kill_after_first(number: int, total: int) -> None:
            if number == 1:
                subprocess.run(
                    ["pkill", "-f", f"oxigraph serve --location {location}"], check=False
                )

        push(ntriples, store, batch_size=500, on_batch=kill_after_first)
    with oxigraph_store(location) as base:
        store = client(base)
        assert graphs(store)[GRAPH] == 50, "the target graph is as it was"
        push(ntriples, store, batch_size=500)
        assert graphs(store) == {GRAPH: 2269}, "the rerun completes and clears the staging graph"


def test_not_a_sparql_store(ntriples: str) -> None:
    server = Listener(b"<html>not sparql</html>", "text/html")
    try:
        with pytest.raises(EndpointError, match="is it a SPARQL endpoint"):
            push(ntriples, client(server.url.removesuffix("/sparql")))
    finally:
        server.close()


def test_transient_errors_are_retried() -> None:
    """A 503 and a 502 from a busy store are retried; the third answer counts."""
    server = Listener(statuses=[503, 502])
    try:
        store = GraphStore(
            StoreEndpoints.from_base(server.url.removesuffix("/sparql"), "oxigraph"),
            SparqlClient(retries=2, backoff=0.05),
        )
        rows = store.select("SELECT ?x WHERE { ?x ?p ?o }", "a query")
        assert [row["x"]["value"] for row in rows] == ["from-listener"]
        assert len(server.requests) == 3
    finally:
        server.close()


def test_a_permanent_error_is_not_retried() -> None:
    server = Listener(statuses=[400])
    try:
        with pytest.raises(EndpointError, match="a query: HTTP 400"):
            client(server.url.removesuffix("/sparql")).select(
                "SELECT * WHERE { ?s ?p ?o }", "a query"
            )
        assert len(server.requests) == 1
    finally:
        server.close()


def test_target_graph_must_be_an_iri(ntriples: str) -> None:
    with pytest.raises(SpasmKGError, match="not an absolute IRI"):
        push(ntriples, client("http://127.0.0.1:9"), graph="x> } ; DROP ALL ; {")


def test_push_command(tmp_path: Path, dist: Path) -> None:
    with oxigraph_store(tmp_path / "store") as base:
        result = run_entry_point(
            "push", "--endpoint", base, "--from", str(dist), "--batch-size", "1000"
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(
            "pushed 2269 triples to <https://w3id.org/spasmkg/graph/all> in 3 batch(es)"
        )
        assert "[3/3] batch sent" in result.stderr


def test_push_command_builds_when_not_given_a_build(tmp_path: Path) -> None:
    with oxigraph_store(tmp_path / "store") as base:
        result = run_entry_point("push", "--endpoint", base)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("pushed 2269 triples")


def test_push_command_to_nowhere_exits_5(dist: Path) -> None:
    result = run_entry_point("push", "--endpoint", "http://127.0.0.1:9", "--from", str(dist))
    assert result.returncode == 5
    assert result.stderr.startswith("error: looking for staging graphs")


def test_virtuoso_push_with_digest_auth_and_named_queries(
    tmp_path: Path, ntriples: str, kg: spasmkg.KnowledgeGraph
) -> None:
    with virtuoso_store(tmp_path / "virtuoso") as base:
        store = client(base, "virtuoso", httpx.DigestAuth("dba", "dba"))
        report = push(ntriples, store, batch_size=1000)
        assert report.triples == 2269
        assert graphs(store) == {GRAPH: 2269}
        for name in OFFLINE:
            params = EXPECTED[name].get("params", {})
            remote = query(name, params, kg=kg, endpoint=base + "/sparql")
            assert remote.sorted_rows() == query(name, params, kg=kg).sorted_rows(), name


def test_virtuoso_wrong_credentials(tmp_path: Path, ntriples: str) -> None:
    with virtuoso_store(tmp_path / "virtuoso") as base:
        store = client(base, "virtuoso", httpx.DigestAuth("dba", "wrong"))
        with pytest.raises(EndpointError, match=r"refused the credentials \(HTTP 401\)"):
            push(ntriples, store)
