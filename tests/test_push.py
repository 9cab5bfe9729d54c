"""``spasmkg push`` into real stores: Oxigraph always, Virtuoso where it is installed."""

from __future__ import annotations

import concurrent.futures
import json
import math
import subprocess
import time
from pathlib import Path

import httpx
import pytest

import spasmkg
import spasmkg.remote.push
from spasmkg.ask.answer import query
from spasmkg.errors import EndpointError, SpasmKGError
from spasmkg.outputs.build import build
from spasmkg.remote import lock
from spasmkg.remote.client import SparqlClient
from spasmkg.remote.push import GraphStore, StoreEndpoints, move_into_place, push
from tests.helpers import Listener, run_entry_point
from tests.stores import oxigraph_store, virtuoso_store
from tests.test_queries import EXPECTED, OFFLINE

#: the triples of the shipped graph, which a push must deliver, no more and no fewer
#: pushes are tested with the core layer (the imported one only makes them slower)
SHIPPED = len(spasmkg.load(layer="core").union())

GRAPH = "https://w3id.org/spasmkg/graph/all"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("push") / "dist", layer="core").out


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
        assert (report.triples, report.batches, report.verified_sample) == (
            SHIPPED,
            math.ceil(SHIPPED / 700),
            25,
        )
        assert graphs(store) == {GRAPH: SHIPPED}, "no staging graph is left"
        for name in OFFLINE:
            params = EXPECTED[name].get("params", {})
            remote = query(name, params, kg=kg, endpoint=base + "/query")
            assert remote.sorted_rows() == query(name, params, kg=kg).sorted_rows(), name


def test_a_named_query_at_a_pushed_oxigraph_answers_as_the_local_engine(
    tmp_path: Path, dist: Path
) -> None:
    """Defect (issue 28 §2): after a push into Oxigraph as it starts by default, every named
    query answered 0 rows with exit 0: the triples sat in one named graph, the default graph
    the endpoint asks was empty."""
    with oxigraph_store(tmp_path / "store") as base:
        pushed = run_entry_point("push", "--endpoint", base, "--from", str(dist))
        assert pushed.returncode == 0, pushed.stderr
        answer = run_entry_point(
            "query",
            "causes-of-condition",
            "-p",
            "condition=muscle-spasm",
            "--layer",
            "core",
            "--endpoint",
            base + "/query",
            "-f",
            "json",
        )
        assert answer.returncode == 0, answer.stderr
        rows = json.loads(answer.stdout)["results"]["bindings"]
        assert len(rows) == EXPECTED["causes-of-condition"]["rows"] == 47


def test_push_replaces_the_graph(tmp_path: Path, ntriples: str) -> None:
    lines = ntriples.splitlines()
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        push(ntriples, store)
        push("\n".join(lines[:100]), store)
        assert graphs(store) == {GRAPH: 100}
        push(ntriples, store)
        assert graphs(store) == {GRAPH: SHIPPED}


def test_server_killed_mid_push_fails_clearly_and_a_rerun_completes(
    tmp_path: Path, ntriples: str
) -> None:
    location = tmp_path / "store"
    with oxigraph_store(location) as base:
        push("\n".join(ntriples.splitlines()[:50]), client(base))
    with (
        pytest.raises(
            EndpointError,
            match=rf"^batch 2 of {math.ceil(SHIPPED / 500)} \(triples 501-1000\): cannot reach",
        ),
        oxigraph_store(location) as base,
    ):
        store = client(base)

        def kill_after_first(line: str) -> None:
            if line.startswith("[1/"):
                subprocess.run(
                    ["pkill", "-f", f"oxigraph serve --location {location}"], check=False
                )

        push(ntriples, store, batch_size=500, on_progress=kill_after_first)
    with oxigraph_store(location) as base:
        store = client(base)
        assert graphs(store)[GRAPH] == 50, "the target graph is as it was"
        push(ntriples, store, batch_size=500)
        assert graphs(store) == {GRAPH: SHIPPED}, "the rerun completes and clears the staging graph"


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
            f"pushed {SHIPPED} triples to <https://w3id.org/spasmkg/graph/all>"
            f" in {math.ceil(SHIPPED / 1000)} batch(es)"
        )
        assert (
            f"[{math.ceil(SHIPPED / 1000)}/{math.ceil(SHIPPED / 1000)}] batch sent" in result.stderr
        )


def test_push_command_builds_when_not_given_a_build(tmp_path: Path) -> None:
    with oxigraph_store(tmp_path / "store") as base:
        result = run_entry_point("push", "--endpoint", base, "--layer", "core")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"pushed {SHIPPED} triples")


def test_push_command_to_nowhere_exits_5(dist: Path) -> None:
    result = run_entry_point("push", "--endpoint", "http://127.0.0.1:9", "--from", str(dist))
    assert result.returncode == 5
    assert result.stderr.splitlines()[-1].startswith(
        "error: taking the lock on the target graph: cannot reach"
    )


def test_virtuoso_push_with_digest_auth_and_named_queries(
    tmp_path: Path, ntriples: str, kg: spasmkg.KnowledgeGraph
) -> None:
    with virtuoso_store(tmp_path / "virtuoso") as base:
        store = client(base, "virtuoso", httpx.DigestAuth("dba", "dba"))
        report = push(ntriples, store, batch_size=1000)
        assert report.triples == SHIPPED
        assert graphs(store) == {GRAPH: SHIPPED}
        for name in OFFLINE:
            params = EXPECTED[name].get("params", {})
            remote = query(name, params, kg=kg, endpoint=base + "/sparql")
            assert remote.sorted_rows() == query(name, params, kg=kg).sorted_rows(), name


def test_virtuoso_wrong_credentials(tmp_path: Path, ntriples: str) -> None:
    with virtuoso_store(tmp_path / "virtuoso") as base:
        store = client(base, "virtuoso", httpx.DigestAuth("dba", "wrong"))
        with pytest.raises(EndpointError, match=r"refused the credentials \(HTTP 401\)"):
            push(ntriples, store)


# ------------------------------------------------ a push never destroys what it did not make


def test_a_vanished_staging_graph_fails_the_move_and_keeps_the_target(tmp_path: Path) -> None:
    """Defect: MOVE SILENT from a graph that is gone empties the target and reports success."""
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        push("<urn:a> <urn:b> <urn:c> .", store)
        store.add(f"{GRAPH}/copy", "<urn:a> <urn:b> <urn:c> .\n", "a second graph")
        store.update(f"MOVE SILENT GRAPH <{GRAPH}/gone> TO GRAPH <{GRAPH}/copy>", "the old way")
        assert f"{GRAPH}/copy" not in graphs(store), "MOVE SILENT from nothing emptied it"
        with pytest.raises(EndpointError, match="replacing the target graph: HTTP"):
            move_into_place(store, f"{GRAPH}/staging-gone", GRAPH)
        assert graphs(store) == {GRAPH: 1}


def test_a_push_leaves_graphs_it_did_not_make(tmp_path: Path, ntriples: str) -> None:
    """Defect: every push dropped every <graph>/staging-* graph, whoever made it."""
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        lookalike = f"{GRAPH}/staging-notes"
        store.add(lookalike, "<urn:mine> <urn:says> <urn:keep-me> .\n", "someone's graph")
        push(ntriples, store)
        assert graphs(store) == {GRAPH: SHIPPED, lookalike: 1}


def test_concurrent_pushes_to_one_graph_take_turns(tmp_path: Path, ntriples: str) -> None:
    lines = ntriples.splitlines()
    with oxigraph_store(tmp_path / "store") as base:
        waited: list[str] = []

        def slow(line: str) -> None:
            if line.startswith("["):
                time.sleep(0.3)

        def first() -> None:
            push(ntriples, client(base), batch_size=500, on_progress=slow)

        def second() -> None:
            time.sleep(0.2)
            push("\n".join(lines[:10]), client(base), on_progress=waited.append, wait=30)

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            for future in [pool.submit(first), pool.submit(second)]:
                future.result()
        assert any(line.startswith("waiting for another push") for line in waited)
        assert graphs(client(base)) == {GRAPH: 10}, "the second push ran after the first, whole"


def test_a_dead_push_is_taken_over_and_a_live_one_waited_for(tmp_path: Path, ntriples: str) -> None:
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        stale = f"{GRAPH}/staging-dead"
        store.add(stale, "<urn:half> <urn:of> <urn:a-push> .\n", "a dead push's batch")
        store.update(
            f"INSERT DATA {{ GRAPH <{lock.PUSHES}> {{ <{stale}> <{lock.TERMS}locks> <{GRAPH}> ; "
            f'<{lock.TERMS}since> "2000-01-01T00:00:00+00:00" ; <{lock.TERMS}by> "elsewhere:1" }} }}',
            "a lock from long ago",
        )
        said: list[str] = []
        push(ntriples, store, on_progress=said.append)
        assert graphs(store) == {GRAPH: SHIPPED, stale: 1}, "taken over; its graph is left"
        assert any(f"left <{stale}> in the store" in line for line in said)
        live = f"{GRAPH}/staging-live"
        store.update(
            f"INSERT DATA {{ GRAPH <{lock.PUSHES}> {{ <{live}> <{lock.TERMS}locks> <{GRAPH}> ; "
            f'<{lock.TERMS}since> "{lock.now()}" ; <{lock.TERMS}by> "elsewhere:1" }} }}',
            "a lock held now",
        )
        with pytest.raises(EndpointError, match=r"another push to .* has been running since"):
            push(ntriples, store, wait=1.0)
        assert graphs(store)[GRAPH] == SHIPPED


def test_a_forged_lock_record_cannot_make_a_push_drop_a_foreign_graph(
    tmp_path: Path, ntriples: str
) -> None:
    """Defect: a lock record written into the pushes graph by anyone made push drop the graph
    it named, a foreign one included. Only graphs named by a token this process drew go."""
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        theirs = "https://w3id.org/spasmkg/their-data"
        store.add(theirs, "<urn:their> <urn:precious> <urn:data> .\n", "a foreign graph")
        store.update(
            f"INSERT DATA {{ GRAPH <{lock.PUSHES}> {{ <{theirs}> <{lock.TERMS}locks> <{GRAPH}> ; "
            f'<{lock.TERMS}since> "2000-01-01T00:00:00+00:00" ; <{lock.TERMS}by> "forger:1" }} }}',
            "a forged lock record",
        )
        push(ntriples, store)
        assert graphs(store) == {GRAPH: SHIPPED, theirs: 1}


def test_push_reads_no_more_than_it_can_need_from_a_hostile_store(ntriples: str) -> None:
    """Defect: push read up to 512 MB from a store before refusing its answer."""
    flood = b'{"head": {"vars": ["n"]}, "results": {"bindings": [' + b" " * 20_000_000 + b"]}}"
    listener = Listener(body=flood)
    try:
        base = listener.url.removesuffix("/sparql")
        started = time.monotonic()
        with pytest.raises(EndpointError, match="larger than 1048576 bytes"):
            push(ntriples, spasmkg.remote.push.connect(base, timeout=30))
        assert time.monotonic() - started < 10
    finally:
        listener.close()
