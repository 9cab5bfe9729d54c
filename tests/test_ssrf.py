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
from spasmkg.serve.pool import Answer, Job, WorkerPool
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
    if status == 200:
        assert case == "the issue's differential", "only the query that means no SERVICE may run"
    else:
        assert status in (400, 403), body
    assert listener.requests == []


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("case", CASES)
def test_the_query_command_never_calls_out(
    kg: spasmkg.KnowledgeGraph, listener: Listener, case: str, engine: str
) -> None:
    try:
        spasmkg.query(sparql=payloads(listener.url)[case], kg=kg, engine=engine)
    except QueryError:
        pass
    else:
        assert case == "the issue's differential", "only the query that means no SERVICE may run"
    assert listener.requests == []


def test_the_differential_runs_as_the_grammar_reads_it(served: Server, listener: Listener) -> None:
    """Decoded once, the escapes close the first string: the SERVICE sits inside a literal, and
    every engine runs that same normalised text."""
    status, body = post(served.url, payloads(listener.url)["the issue's differential"])
    assert status == 200 and '"bindings":[]' in body.replace(" ", "")


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
    """Second wall: a worker runs in a network namespace of its own, so a SERVICE that reached
    it directly (bypassing the front) goes nowhere."""

    async def direct() -> tuple[bool, Answer]:
        pool = WorkerPool(render(kg, "nquads"), 1)
        await pool.start()
        try:
            never = asyncio.get_running_loop().create_future()
            answer = await pool.run(Job(payloads(listener.url)["plain"]), 10.0, never)
        finally:
            pool.close()
        return pool.isolated, answer

    isolated, answer = asyncio.run(direct())
    if not isolated:
        pytest.skip("this kernel allows no network namespace for an ordinary process")
    assert answer.status == 500 and b"unreachable" in answer.body, "the worker lived to say so"
    assert listener.requests == []
