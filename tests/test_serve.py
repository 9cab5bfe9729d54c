"""``spasmkg serve``: a real Oxigraph server behind spasmkg's read-only front."""

from __future__ import annotations

import concurrent.futures
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import spasmkg
from spasmkg.ask.answer import query
from spasmkg.errors import EndpointError
from spasmkg.outputs.build import build
from spasmkg.serve.front import FrontConfig
from spasmkg.serve.server import Server
from tests.helpers import EXPECTED, OFFLINE, REPO, Listener
from tests.serving import SLOW_QUERY, get_url, http, serve_command


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("serve") / "dist", layer="core").out


@pytest.fixture(scope="module")
def served(dist: Path) -> Iterator[Server]:
    with Server(
        (dist / "spasmkg.nq").read_bytes(), port=0, config=FrontConfig(timeout=2.0, max_body=20_000)
    ) as server:
        yield server


def get(server: Server, text: str) -> tuple[int, str, dict[str, str]]:
    return get_url(server.url, text)


@pytest.mark.parametrize("name", OFFLINE)
def test_named_queries_answer_the_same_over_http(
    served: Server, kg: spasmkg.KnowledgeGraph, name: str
) -> None:
    params = EXPECTED[name].get("params", {})
    remote = query(name, params, kg=kg, endpoint=served.url)
    local = query(name, params, kg=kg, engine="rdflib")
    assert remote.sorted_rows() == local.sorted_rows()
    core_only = EXPECTED[name].get("layer") == "all"  # the served build is the core layer
    assert len(remote.rows) == (0 if core_only else EXPECTED[name]["rows"])


@pytest.mark.parametrize(
    ("url_suffix", "data", "method", "content_type"),
    [
        ("?" + urllib.parse.urlencode({"update": "DROP ALL"}), None, "GET", None),
        ("", b"DROP ALL", "POST", "application/sparql-update"),
        (
            "",
            urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
            "POST",
            "application/x-www-form-urlencoded",
        ),
        (
            "",
            urllib.parse.urlencode({"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode(),
            "POST",
            "application/x-www-form-urlencoded",
        ),
        ("", b"LOAD <http://127.0.0.1:9/x>", "POST", "application/sparql-query"),
    ],
)
def test_updates_are_rejected(
    served: Server, url_suffix: str, data: bytes | None, method: str, content_type: str | None
) -> None:
    status, body, _ = http(
        served.url + url_suffix,
        data,
        method,
        {"Content-Type": content_type} if content_type else {},
    )
    assert status == 403, body
    assert "read-only" in body or "refused" in body
    assert json.loads(get(served, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[1])["results"][
        "bindings"
    ][0]["n"]["value"] == str(len(spasmkg.load(layer="core").union()))


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_graph_store_writes_are_rejected(served: Server, method: str) -> None:
    base = served.url.removesuffix("/sparql")
    status, body, _ = http(
        f"{base}/store?default",
        b"<urn:a> <urn:b> <urn:c> .",
        method,
        {"Content-Type": "application/n-triples"},
    )
    assert status == 405 and "read-only" in body


def test_service_is_refused_and_never_called(served: Server) -> None:
    listener = Listener()
    try:
        for text in (
            f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }} }}",
        ):
            status, body, _ = get(served, text)
            assert status == 403 and "SERVICE" in body
        assert listener.requests == []
    finally:
        listener.close()


def test_syntax_error_is_400_with_position(served: Server) -> None:
    status, body, _ = get(served, "SELECT ?x WHERE {\n ?x ?y\n}")
    assert status == 400 and body.startswith("SPARQL syntax error at line 3, column 2: expected")


def test_slow_query_hits_the_time_out_with_504_and_the_server_carries_on(served: Server) -> None:
    started = time.monotonic()
    status, body, _ = get(served, SLOW_QUERY)
    assert status == 504 and "timed out after 2 s" in body
    assert time.monotonic() - started < 10
    assert get(served, "ASK { ?s ?p ?o }")[0] == 200


def test_oversized_request_is_413(served: Server) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30_000
    status, _, _ = http(
        served.url, big.encode(), "POST", {"Content-Type": "application/sparql-query"}
    )
    assert status == 413


def test_cors_is_off_by_default(served: Server) -> None:
    _, _, headers = get(served, "ASK {}")
    assert "Access-Control-Allow-Origin" not in headers


def test_cors_when_asked(dist: Path) -> None:
    with Server(
        (dist / "spasmkg.nq").read_bytes(),
        port=0,
        config=FrontConfig(cors_origin="https://example.org"),
    ) as server:
        _, _, headers = get(server, "ASK {}")
        assert headers.get("access-control-allow-origin") == "https://example.org"


def test_concurrency_cap_answers_busy(dist: Path) -> None:
    config = FrontConfig(timeout=2.0, max_concurrency=1, max_waiting=1)
    with (
        Server((dist / "spasmkg.nq").read_bytes(), port=0, config=config) as server,
        concurrent.futures.ThreadPoolExecutor(4) as pool,
    ):
        statuses = sorted(pool.map(lambda _: get(server, SLOW_QUERY)[0], range(4)))
    assert 503 in statuses and 504 in statuses


def test_endpoint_that_is_not_sparql_is_a_clear_error(kg: spasmkg.KnowledgeGraph) -> None:
    server = Listener(b"<html>hello</html>", "text/html")
    try:
        with pytest.raises(EndpointError, match="is it a SPARQL endpoint"):
            query(sparql="SELECT * WHERE { ?s ?p ?o }", kg=kg, endpoint=server.url)
    finally:
        server.close()


def test_serve_command_prints_ready_answers_and_stops_on_ctrl_c(dist: Path) -> None:
    with serve_command("--from", str(dist)) as (process, url):
        answer = subprocess.run(
            [
                sys.executable,
                "-m",
                "spasmkg",
                "query",
                "--endpoint",
                url,
                "hierarchy",
                "-p",
                "root=statin",
                "-f",
                "csv",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO / "src")},
            timeout=60,
        )
        assert answer.returncode == 0, answer.stderr
        assert "https://w3id.org/spasmkg/entity/atorvastatin" in answer.stdout
        status, home, headers = http(url.removesuffix("sparql"))
        assert status == 200 and headers["content-type"].startswith("text/html")
        assert 'href="/editor"' in home and "spasmkg.nq" in home
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert "stopped" in (process.stderr.read() if process.stderr else "")
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=3)


def test_serve_works_from_a_venv_that_is_not_activated(dist: Path) -> None:
    """Defect: the oxigraph command was looked up on PATH only, so ``venv/bin/spasmkg serve``
    (or a pipx install) said the 'serve' extra was missing although it was installed."""
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    env.update(PATH="/usr/bin:/bin", PYTHONPATH=str(REPO / "src"))
    with serve_command("--from", str(dist), env=env) as (process, url):
        assert get_url(url, "ASK {}")[0] == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0


def test_serve_without_the_extra_says_so_before_loading_anything(tmp_path: Path) -> None:
    """Defect: without uvicorn, serve loaded the graph and rendered every file before saying
    the web server was missing (it is a dependency now: a broken install says how to mend it)."""
    hidden = tmp_path / "no_uvicorn"
    hidden.mkdir()
    # an installation without uvicorn: importing it fails, and find_spec finds nothing
    (hidden / "sitecustomize.py").write_text("import sys\nsys.modules['uvicorn'] = None\n")
    result = subprocess.run(
        [sys.executable, "-m", "spasmkg", "serve", "--port", "0"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": f"{hidden}:{REPO / 'src'}"},
        timeout=60,
    )
    assert result.returncode == 2
    assert (
        "serving needs uvicorn" in result.stderr and "install again: pip install" in result.stderr
    )
    assert "loading" not in result.stderr
