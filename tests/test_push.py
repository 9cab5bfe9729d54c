"""``spasmkg push`` into real stores, and named queries asked there afterwards.

Oxigraph runs always, started as its manual says; Virtuoso where it is installed (CI installs
it). Fuseki is not run: none can be had on these machines (Debian's Jena packages hold no
Fuseki, no PyPI package bundles one, and Maven Central cannot be reached), so ``--kind fuseki``
is tested only for the URLs it sends to.
"""

from __future__ import annotations

import concurrent.futures
import json
import math
import threading
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
from tests.helpers import EXPECTED, OFFLINE, Listener, run_entry_point
from tests.stores import oxigraph_server, oxigraph_store, virtuoso_store

#: the named graphs of the shipped core with their triples, which a push must deliver into
#: the graphs of the same names, no more and no fewer (pushes are tested with the core layer;
#: the imported one only makes them slower)
BUILT = {
    str(name): len(graph) for name, graph in spasmkg.load(layer="core").named_graphs() if len(graph)
}
SHIPPED = sum(BUILT.values())
ASSERTED = "https://w3id.org/spasmkg/graph/asserted"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("push") / "dist", layer="core").out


@pytest.fixture(scope="module")
def dist_all(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("push") / "dist", layer="all").out


@pytest.fixture(scope="module")
def nquads(dist: Path) -> str:
    return (dist / "spasmkg.nq").read_text(encoding="utf-8")


def batches(size: int) -> int:
    """How many uploads a push of the core makes: each graph is cut on its own."""
    return sum(math.ceil(count / size) for count in BUILT.values())


def per_graph(lines: list[str]) -> dict[str, int]:
    """The triples of each named graph among some lines of N-Quads (the graph is last)."""
    counts: dict[str, int] = {}
    for line in lines:
        graph = line.rstrip(" .").rsplit(" ", 1)[1].strip("<>")
        counts[graph] = counts.get(graph, 0) + 1
    return counts


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


def test_push_to_oxigraph_keeps_each_graph(tmp_path: Path, nquads: str) -> None:
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        report = push(nquads, store, batch_size=700)
        assert dict(report.graphs) == BUILT
        assert (report.triples, report.batches, report.verified_sample) == (
            SHIPPED,
            batches(700),
            25 * len(BUILT),
        )
        assert graphs(store) == BUILT, "each graph under its own name; no staging graph left"


def agrees_with_the_local_engine(
    kg: spasmkg.KnowledgeGraph, endpoint: str, *, every_one_answers: bool
) -> list[str]:
    """Every named query asked at a store and on the local engine, the rows compared sorted
    (rows that tie under a query's ORDER BY may come in any order). The names of the queries
    that have rows."""
    answered = []
    for name in OFFLINE:
        params = EXPECTED[name].get("params", {})
        remote = query(name, params, kg=kg, endpoint=endpoint)
        local = query(name, params, kg=kg)
        assert remote.sorted_rows() == local.sorted_rows(), name
        assert remote.warnings == [] or not local.rows, (name, remote.warnings)
        if local.rows:
            answered.append(name)
    if every_one_answers:
        assert answered == OFFLINE, "a query that answers nothing proves nothing"
    return answered


def test_every_named_query_at_a_pushed_oxigraph_agrees_with_the_local_engine(
    tmp_path: Path, dist_all: Path, kg_all: spasmkg.KnowledgeGraph
) -> None:
    """With the imported layers too, so that every named query has rows to compare; Oxigraph
    started as its manual says, whose default graph is its own and empty."""
    with oxigraph_store(tmp_path / "store") as base:
        report = push((dist_all / "spasmkg.nq").read_text(encoding="utf-8"), client(base))
        assert len(report.graphs) == 7, "four of the core and three of the HPO layer"
        agrees_with_the_local_engine(kg_all, base + "/query", every_one_answers=True)


def ask_causes(base: str) -> tuple[list[object], list[str]]:
    """The causes of muscle spasm asked of a store's endpoint: its rows, and what stderr said."""
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
    return json.loads(answer.stdout)["results"]["bindings"], answer.stderr.splitlines()


def test_a_named_query_at_a_pushed_oxigraph_answers_as_the_local_engine(
    tmp_path: Path, dist: Path
) -> None:
    """Defect (issue 28 §2): after a push into Oxigraph as it starts by default, every named
    query answered 0 rows with exit 0: the triples sat in one named graph, the default graph
    the endpoint asks was empty."""
    with oxigraph_store(tmp_path / "store") as base:
        pushed = run_entry_point("push", "--endpoint", base, "--from", str(dist))
        assert pushed.returncode == 0, pushed.stderr
        rows, _ = ask_causes(base)
        assert len(rows) == EXPECTED["causes-of-condition"]["rows"]


def test_an_empty_answer_from_a_store_says_why(tmp_path: Path, dist: Path, nquads: str) -> None:
    """Defect (issue 28 §2): a store that held nothing the query could see answered 0 rows,
    exit 0, and nothing said so. Now one line on stderr says what the local graph answers and
    the likely cause; the answer itself is unchanged."""

    CAUSES = EXPECTED["causes-of-condition"]["rows"]

    with oxigraph_store(tmp_path / "store") as base:
        rows, said = ask_causes(base)
        assert rows == [] and len(said) == 1
        assert said[0].startswith(f"warning: {base}/query answered nothing and the graphs")
        assert f"are empty, while the local graph answers {CAUSES} rows: push the build" in said[0]
        store = client(base)
        everything = (dist / "spasmkg.nt").read_text(encoding="utf-8")
        store.add("https://w3id.org/spasmkg/graph/all", everything, "the layout of old pushes")
        rows, said = ask_causes(base)
        assert rows == [] and len(said) == 1 and "are empty, while" in said[0], (
            "the build's graphs are still empty"
        )
        few = [line for line in nquads.splitlines() if line.endswith(f"<{ASSERTED}> .")][:100]
        push("\n".join(few), store)
        rows, said = ask_causes(base)
        assert rows == [] and len(said) == 1
        assert f"answered nothing where the local graph answers {CAUSES} rows" in said[0]
        push(nquads, store)
        rows, said = ask_causes(base)
        assert len(rows) == CAUSES and said == []


def test_push_replaces_each_graph(tmp_path: Path, nquads: str) -> None:
    """A second push replaces the graphs it names, so nothing is doubled; graphs it does not
    name stay as they are."""
    few = [line for line in nquads.splitlines() if line.endswith(f"<{ASSERTED}> .")][:100]
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        push(nquads, store)
        push(nquads, store)
        assert graphs(store) == BUILT
        push("\n".join(few), store)
        assert graphs(store) == {**BUILT, ASSERTED: 100}
        push(nquads, store)
        assert graphs(store) == BUILT


def test_server_killed_mid_push_fails_clearly_and_a_rerun_completes(
    tmp_path: Path, nquads: str
) -> None:
    location = tmp_path / "store"
    first = nquads.splitlines()[:50]
    with oxigraph_store(location) as base:
        push("\n".join(first), client(base))
    with (
        pytest.raises(
            EndpointError,
            match=rf"^batch 2 of {batches(500)} \(<{ASSERTED}>, triples 501-1000\): cannot reach",
        ),
        oxigraph_server(location) as (base, server),
    ):
        store = client(base)

        def kill_after_first(line: str) -> None:
            if line.startswith("[1/"):
                server.kill()
                server.wait()

        push(nquads, store, batch_size=500, on_progress=kill_after_first)
    with oxigraph_store(location) as base:
        store = client(base)
        held = graphs(store)
        assert {graph: held[graph] for graph in BUILT if graph in held} == per_graph(first), (
            "the target graphs are as they were"
        )
        push(nquads, store, batch_size=500)
        assert graphs(store) == BUILT, "the rerun completes and clears the staging graphs"


def test_not_a_sparql_store(nquads: str) -> None:
    server = Listener(b"<html>not sparql</html>", "text/html")
    try:
        with pytest.raises(EndpointError, match="is it a SPARQL endpoint"):
            push(nquads, client(server.url.removesuffix("/sparql")))
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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<urn:a> <urn:b> <urn:c> <x> } ; DROP ALL ; {> .", "not N-Quads"),
        ("<urn:a> <urn:b> <urn:c> <urn:g> .\n<urn:a> <urn:b> <urn:d> .", "in no named graph"),
        ("<urn:a> <urn:b> <urn:c> <urn:g>", "not N-Quads"),
        ("\n\n", "nothing to push"),
    ],
)
def test_a_graph_name_that_is_no_iri_or_a_triple_in_no_graph_sends_nothing(
    text: str, message: str
) -> None:
    """Graph names go into SPARQL updates: a name an N-Quads parser does not take as an IRI, a
    triple that names no graph, or nothing at all is refused before the store is asked."""
    server = Listener()
    try:
        with pytest.raises(SpasmKGError, match=message):
            push(text, client(server.url.removesuffix("/sparql")))
        assert server.requests == []
    finally:
        server.close()


def test_a_fuseki_push_sends_to_the_dataset_s_services() -> None:
    assert StoreEndpoints.from_base("http://localhost:3030/spasmkg/", "fuseki") == StoreEndpoints(
        "http://localhost:3030/spasmkg/query",
        "http://localhost:3030/spasmkg/update",
        "http://localhost:3030/spasmkg/data",
    )


def test_push_command(tmp_path: Path, dist: Path) -> None:
    with oxigraph_store(tmp_path / "store") as base:
        result = run_entry_point(
            "push", "--endpoint", base, "--from", str(dist), "--batch-size", "1000"
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [
            f"pushed {SHIPPED} triples into {len(BUILT)} named graphs in {batches(1000)} "
            f"batch(es); counts and {25 * len(BUILT)} sampled triples verified",
            *(f"  <{graph}>  {count}" for graph, count in sorted(BUILT.items())),
        ]
        assert f"[{batches(1000)}/{batches(1000)}] batch sent" in result.stderr


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
    tmp_path: Path, nquads: str, kg: spasmkg.KnowledgeGraph
) -> None:
    with virtuoso_store(tmp_path / "virtuoso") as base:
        store = client(base, "virtuoso", httpx.DigestAuth("dba", "dba"))
        report = push(nquads, store, batch_size=1000)
        assert report.triples == SHIPPED
        assert graphs(store) == BUILT
        answered = agrees_with_the_local_engine(kg, base + "/sparql", every_one_answers=False)
        assert len(answered) == len(OFFLINE) - 3, "three need the HPO layer, not pushed here"


def test_virtuoso_wrong_credentials(tmp_path: Path, nquads: str) -> None:
    with virtuoso_store(tmp_path / "virtuoso") as base:
        store = client(base, "virtuoso", httpx.DigestAuth("dba", "wrong"))
        with pytest.raises(EndpointError, match=r"refused the credentials \(HTTP 401\)"):
            push(nquads, store)


# ------------------------------------------------ a push never destroys what it did not make


def test_a_vanished_staging_graph_fails_the_move_and_keeps_every_target(tmp_path: Path) -> None:
    """Defect: MOVE SILENT from a graph that is gone empties the target and reports success.
    The targets are replaced in one update, so when one move fails none is made."""
    inferred = "https://w3id.org/spasmkg/graph/inferred"
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        push(
            f"<urn:a> <urn:b> <urn:c> <{ASSERTED}> .\n<urn:a> <urn:b> <urn:d> <{inferred}> .", store
        )
        store.add(f"{ASSERTED}/copy", "<urn:a> <urn:b> <urn:c> .\n", "a second graph")
        store.update(
            f"MOVE SILENT GRAPH <{ASSERTED}/gone> TO GRAPH <{ASSERTED}/copy>", "the old way"
        )
        assert f"{ASSERTED}/copy" not in graphs(store), "MOVE SILENT from nothing emptied it"
        store.add(f"{ASSERTED}/staging-new", "<urn:new> <urn:b> <urn:c> .\n", "a staging graph")
        with pytest.raises(EndpointError, match="replacing the target graphs: HTTP"):
            move_into_place(
                store, {ASSERTED: f"{ASSERTED}/staging-new", inferred: f"{inferred}/staging-gone"}
            )
        assert graphs(store) == {ASSERTED: 1, inferred: 1, f"{ASSERTED}/staging-new": 1}
        assert store.ask(f"ASK {{ GRAPH <{ASSERTED}> {{ <urn:a> <urn:b> <urn:c> }} }}", "old")


def test_a_push_leaves_graphs_it_did_not_make(tmp_path: Path, nquads: str) -> None:
    """Defect: every push dropped every <graph>/staging-* graph, whoever made it."""
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        lookalike = f"{ASSERTED}/staging-notes"
        store.add(lookalike, "<urn:mine> <urn:says> <urn:keep-me> .\n", "someone's graph")
        push(nquads, store)
        assert graphs(store) == {**BUILT, lookalike: 1}


def test_concurrent_pushes_to_one_graph_take_turns(tmp_path: Path, nquads: str) -> None:
    lines = nquads.splitlines()
    with oxigraph_store(tmp_path / "store") as base:
        waited: list[str] = []
        sending = threading.Event()

        def slow(line: str) -> None:
            if line.startswith("["):
                sending.set()
                time.sleep(0.3)

        def first() -> None:
            push(nquads, client(base), batch_size=500, on_progress=slow)

        def second() -> None:
            sending.wait(30)
            push("\n".join(lines[:10]), client(base), on_progress=waited.append, wait=30)

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            for future in [pool.submit(first), pool.submit(second)]:
                future.result()
        assert any(line.startswith("waiting for another push") for line in waited)
        assert graphs(client(base)) == {**BUILT, **per_graph(lines[:10])}, (
            "the second push ran after the first, whole"
        )


def test_a_dead_push_is_taken_over_and_a_live_one_waited_for(tmp_path: Path, nquads: str) -> None:
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        stale = f"{ASSERTED}/staging-dead"
        store.add(stale, "<urn:half> <urn:of> <urn:a-push> .\n", "a dead push's batch")
        store.update(
            f"INSERT DATA {{ GRAPH <{lock.PUSHES}> {{ <{stale}> <{lock.TERMS}locks> <{ASSERTED}> ; "
            f'<{lock.TERMS}since> "2000-01-01T00:00:00+00:00" ; <{lock.TERMS}by> "elsewhere:1" }} }}',
            "a lock from long ago",
        )
        said: list[str] = []
        push(nquads, store, on_progress=said.append)
        assert graphs(store) == {**BUILT, stale: 1}, "taken over; its graph is left"
        assert any(f"left <{stale}> in the store" in line for line in said)
        live = f"{ASSERTED}/staging-live"
        store.update(
            f"INSERT DATA {{ GRAPH <{lock.PUSHES}> {{ <{live}> <{lock.TERMS}locks> <{ASSERTED}> ; "
            f'<{lock.TERMS}since> "{lock.now()}" ; <{lock.TERMS}by> "elsewhere:1" }} }}',
            "a lock held now",
        )
        with pytest.raises(EndpointError, match=r"another push to .* has been running since"):
            push(nquads, store, wait=1.0)
        assert graphs(store) == {**BUILT, stale: 1, lock.PUSHES: 3}, "the live lock stays"


def test_a_forged_lock_record_cannot_make_a_push_drop_a_foreign_graph(
    tmp_path: Path, nquads: str
) -> None:
    """Defect: a lock record written into the pushes graph by anyone made push drop the graph
    it named, a foreign one included. Only graphs named by a token this process drew go."""
    with oxigraph_store(tmp_path / "store") as base:
        store = client(base)
        theirs = "https://w3id.org/spasmkg/their-data"
        store.add(theirs, "<urn:their> <urn:precious> <urn:data> .\n", "a foreign graph")
        store.update(
            f"INSERT DATA {{ GRAPH <{lock.PUSHES}> {{ <{theirs}> <{lock.TERMS}locks> <{ASSERTED}> ; "
            f'<{lock.TERMS}since> "2000-01-01T00:00:00+00:00" ; <{lock.TERMS}by> "forger:1" }} }}',
            "a forged lock record",
        )
        push(nquads, store)
        assert graphs(store) == {**BUILT, theirs: 1}


def test_push_reads_no_more_than_it_can_need_from_a_hostile_store(nquads: str) -> None:
    """Defect: push read up to 512 MB from a store before refusing its answer."""
    flood = b'{"head": {"vars": ["n"]}, "results": {"bindings": [' + b" " * 20_000_000 + b"]}}"
    listener = Listener(body=flood)
    try:
        base = listener.url.removesuffix("/sparql")
        started = time.monotonic()
        with pytest.raises(EndpointError, match="larger than 1048576 bytes"):
            push(nquads, spasmkg.remote.push.connect(base, timeout=30))
        assert time.monotonic() - started < 10
    finally:
        listener.close()
