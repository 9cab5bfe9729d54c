"""SERVICE can never be smuggled past the read-only checks: every escape form, every engine.

A loopback listener stands in for the server a requester wants to reach; it must never be
called, neither through the served endpoint nor through ``spasmkg query`` on either engine.
"""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

import spasmkg
from spasmkg.errors import QueryError
from spasmkg.outputs.registry import render
from spasmkg.serve.front import FrontConfig
from spasmkg.serve.pool import WorkerPool
from spasmkg.serve.protocol import Answer, Job
from spasmkg.serve.server import Server
from tests.helpers import Listener


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def served(kg: spasmkg.KnowledgeGraph) -> Iterator[Server]:
    with Server(render(kg, "nquads"), port=0, config=FrontConfig(timeout=5.0)) as server:
        yield server


def payloads(url: str) -> dict[str, str]:
    """Ways to write a SERVICE call to ``url``, plain and disguised."""
    host = url.removeprefix("http://")
    hidden_iri = "".join(f"\\u{ord(c):04X}" for c in url)
    body = "{ ?a ?b ?c }"
    return {
        "the issue's differential": (
            'SELECT * WHERE { { ?s ?p "A\\u0022 . ?s ?p " } UNION '
            f'{{ SERVICE <{url}> {body} }} UNION {{ ?x ?y " . ?s ?p \\u0022B" }} }}'
        ),
        "plain": f"SELECT * WHERE {{ SERVICE <{url}> {body} }}",
        "lower case": f"select * where {{ service <{url}> {body} }}",
        "mixed case": f"SELECT * WHERE {{ SeRvIcE <{url}> {body} }}",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {body} }}",
        "glued to SILENT": f"SELECT * WHERE {{ SERVICESILENT<{url}>{body} }}",
        "escaped keyword": f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {body} }}",
        "long escape": f"SELECT * WHERE {{ \\U00000053\\U00000045RVICE <{url}> {body} }}",
        "escaped IRI brackets": f"SELECT * WHERE {{ SERVICE \\u003C{url}\\u003E {body} }}",
        "IRI spelt in escapes": f"SELECT * WHERE {{ SERVICE <{hidden_iri}> {body} }}",
        "escaped slash": f"SELECT * WHERE {{ SERVICE <http:\\u002F\\u002F{host}> {body} }}",
        "double escape": f"SELECT * WHERE {{ \\u005Cu0053ERVICE <{url}> {body} }}",
        "surrogate escapes": f'SELECT * WHERE {{ ?s ?p "\\uD83D\\uDE00" . SERVICE <{url}> {body} }}',
        "default prefix": f"PREFIX : <{url}/> SELECT * WHERE {{ SERVICE:x{body} }}",
        "prefix named service": f"PREFIX service: <{url}/> SELECT * WHERE {{ SERVICE service:x {body} }}",
        "variable": f"SELECT * WHERE {{ VALUES ?x {{ <{url}> }} SERVICE ?x {body} }}",
        "bound variable": f"SELECT * WHERE {{ BIND(<{url}> AS ?x) SERVICE ?x {body} }}",
        "tab and newline": f"SELECT * WHERE {{\tSERVICE\n<{url}>\n{body} }}",
        "after a comment": f"SELECT * WHERE {{ # a comment\nSERVICE <{url}> {body} }}",
        "escaped newline ends a comment": f"SELECT * WHERE {{ # x\\u000ASERVICE <{url}> {body} }}",
        "after a string with escaped quotes": f'SELECT * WHERE {{ ?s ?p "\\"" . SERVICE <{url}> {body} }}',
        "after a long string": f"SELECT * WHERE {{ ?s ?p '''a''b''' . SERVICE <{url}> {body} }}",
        "long string closed by escapes": (
            f"SELECT * WHERE {{ ?s ?p '''x\\u0027\\u0027\\u0027 . SERVICE <{url}> {body} . ?s ?p '''y''' }}"
        ),
        "in OPTIONAL": f"SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <{url}> {body} }} }}",
        "in MINUS": f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {body} }} }}",
        "in FILTER EXISTS": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {body} }} }}",
        "in GRAPH": f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {body} }} }}",
        "in a subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {body} }} }} }}",
        "in ASK": f"ASK {{ SERVICE <{url}> {body} }}",
        "in CONSTRUCT": f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE <{url}> {body} }}",
        "in DESCRIBE": f"DESCRIBE ?a WHERE {{ SERVICE <{url}> {body} }}",
        # issue 23: a prefixed name that ends in ".SERVICE" was one name to the lexer and a
        # name, a dot and a SERVICE clause to Oxigraph
        "prefixed name glued to SERVICE": (
            f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ?p ex:.SERVICE <{url}> {body} }}"
        ),
        # issue 23: Oxigraph re-reads a long string with an invalid escape as short strings
        # ('' and ' '), so the SERVICE the lexer took for string content runs
        "long string re-read after an invalid escape": (
            f"SELECT * WHERE {{ VALUES ?x {{ ''' ' }} SERVICE <{url}> {body} # \\q '''\n }}"
        ),
        "percent escapes in a prefixed name": (
            f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ ?s ?p ex:%53ERVICE . SERVICE <{url}> {body} }}"
        ),
        "in a comment before a newline escape": f"SELECT * WHERE {{ # SERVICE\\u000A SERVICE <{url}> {body} }}",
    }


CASES = sorted(payloads("http://127.0.0.1:9/x"))


def post(url: str, text: str) -> tuple[int, str]:
    data = urllib.parse.urlencode({"query": text}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize("case", CASES)
def test_the_served_endpoint_never_calls_out(served: Server, listener: Listener, case: str) -> None:
    status, body = post(served.url, payloads(listener.url)[case])
    assert status in (400, 403), body
    assert listener.requests == []


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("case", CASES)
def test_the_query_command_never_calls_out(
    kg: spasmkg.KnowledgeGraph, listener: Listener, case: str, engine: str
) -> None:
    with pytest.raises(QueryError):
        spasmkg.query(sparql=payloads(listener.url)[case], kg=kg, engine=engine)
    assert listener.requests == []


def test_a_text_that_spells_service_anywhere_is_refused(served: Server) -> None:
    """The price of checking no tokens for SERVICE: the word in a string is refused too, with a
    message that says why and how to match such a value; without the word the query runs."""
    status, body = post(served.url, 'SELECT * WHERE { ?s ?p "customer service" }')
    assert status == 403
    assert "spells SERVICE" in body and 'CONCAT("serv", "ice")' in body
    fine = 'SELECT * WHERE { ?s ?p ?o FILTER(?o = CONCAT("customer serv", "ice")) }'
    status, body = post(served.url, fine)
    assert status == 200 and '"bindings":[]' in body.replace(" ", "")


def test_the_issue_payloads_run_a_service_in_oxigraph(listener: Listener) -> None:
    """A control for the two payloads of issue 23: Oxigraph itself does call out on them, so
    the refusals above are what keeps the listener quiet."""
    import pyoxigraph as ox

    store = ox.Store()
    node = ox.NamedNode("http://example.org/")
    store.add(ox.Quad(node, node, node))
    for case in ("prefixed name glued to SERVICE", "long string re-read after an invalid escape"):
        before = len(listener.requests)
        list(store.query(payloads(listener.url)[case], use_default_graph_as_union=True))
        assert len(listener.requests) > before, case
    listener.requests.clear()


def test_the_listener_would_answer_if_allowed(
    kg: spasmkg.KnowledgeGraph, listener: Listener
) -> None:
    """A control: with --allow-service the same engine does call the listener."""
    before = len(listener.requests)
    spasmkg.query(
        sparql=payloads(listener.url)["plain"], kg=kg, engine="oxigraph", allow_service=True
    )
    assert len(listener.requests) > before
    listener.requests.clear()


def test_a_worker_has_no_network_even_if_a_check_failed(
    kg: spasmkg.KnowledgeGraph, listener: Listener
) -> None:
    """Second wall: a worker stands behind a network namespace and a seccomp filter, so a
    SERVICE that reached it directly (bypassing the front) goes nowhere, and it lives on."""

    async def direct() -> tuple[str, Answer, Answer]:
        pool = WorkerPool(render(kg, "nquads"), 1)
        await pool.start()
        try:
            never = asyncio.get_running_loop().create_future()
            answer = await pool.run(Job(payloads(listener.url)["plain"]), 10.0, never)
            after = await pool.run(Job("ASK { ?s ?p ?o }"), 10.0, never)
        finally:
            pool.close()
        return pool.walls.describe(), answer, after

    walls, answer, after = asyncio.run(direct())
    assert walls == "network namespace and seccomp"
    assert answer.status == 500 and b"Operation not permitted" in answer.body
    assert after.status == 200, "the worker lived to answer the next query"
    assert listener.requests == []
