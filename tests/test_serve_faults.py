"""``spasmkg serve`` under attack and faults: real sockets, real signals, real worker processes."""

from __future__ import annotations

import concurrent.futures
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

import spasmkg
from spasmkg.outputs.registry import render
from spasmkg.serve.front import FrontConfig
from spasmkg.serve.server import Server
from tests.helpers import REPO
from tests.serving import SLOW_QUERY, get_url, http, serve_command


@pytest.fixture(scope="module")
def nquads(kg: spasmkg.KnowledgeGraph) -> bytes:
    return render(kg, "nquads")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return spasmkg.build(tmp_path_factory.mktemp("faults") / "dist", layer="core").out


@pytest.fixture(scope="module")
def served(nquads: bytes) -> Iterator[Server]:
    config = FrontConfig(timeout=3.0, header_timeout=1.0, keep_alive=1, max_per_client=8)
    with Server(nquads, port=0, config=config) as server:
        yield server


def raw_request(server: Server, data: bytes, wait: float = 5.0) -> bytes:
    """Send bytes on a fresh connection and read until the server closes it (or ``wait``)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            chunks.append(b"<still open>")
        return b"".join(chunks)


def children(pid: int) -> set[int]:
    """Every descendant process of a process."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            found |= {int(child)} | children(int(child))
    return found


def listening_ports(pids: set[int]) -> set[int]:
    """The TCP ports on which any of these processes listens."""
    ports = set()
    for pid in pids:
        inodes = {
            match.group(1)
            for fd in Path(f"/proc/{pid}/fd").iterdir()
            if (match := re.fullmatch(r"socket:\[(\d+)\]", os.readlink(fd)))
        }
        for table in ("tcp", "tcp6"):
            for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def alive(pid: int) -> bool:
    """True while a process exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


def wait_gone(pids: set[int], limit: float = 10.0) -> set[int]:
    """The processes still alive after waiting up to ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    return {p for p in pids if alive(p)}


# -------------------------------------------------------------- high: one request freezes it


def test_a_large_query_does_not_hold_up_other_clients(served: Server) -> None:
    """Defect: a 97 KB query was parsed by rdflib on the event loop, so other clients waited
    8.4 s. The front now only lexes it (linear) and a worker parses it."""
    iris = " ".join(f"<http://example.org/{n:050d}>" for n in range(1350))
    big = f"SELECT * WHERE {{ VALUES ?x {{ {iris} }} ?x ?p ?o }}".encode()
    assert 90_000 < len(big) < 100_000
    kind = {"Content-Type": "application/sparql-query"}
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        large = [pool.submit(http, served.url, big, "POST", kind) for _ in range(4)]
        started = time.monotonic()
        small = [pool.submit(get_url, served.url, "ASK { ?s ?p ?o }") for _ in range(4)]
        assert [f.result()[0] for f in small] == [200] * 4
        waited = time.monotonic() - started
        assert [f.result()[0] for f in large] == [200] * 4
    assert waited < 3.0, f"small queries waited {waited:.1f} s behind large ones"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "SELECT * WHERE { " + " UNION ".join("{ ?s ?p ?o }" for _ in range(30_000)) + " }",
            "terms",
        ),
        ("SELECT * WHERE " + "{ " * 120 + "?s ?p ?o" + " }" * 120, "deeper than"),
        ("SELECT * WHERE { ?s ?p " + "[ <urn:p> " * 120 + "?o" + " ]" * 120 + " }", "deeper than"),
    ],
    ids=["30000-branch UNION", "120 nested groups", "120 nested blank nodes"],
)
def test_the_work_a_query_asks_for_is_bounded(served: Server, text: str, message: str) -> None:
    status, body, _ = http(
        served.url, text.encode(), "POST", {"Content-Type": "application/sparql-query"}
    )
    assert status in (400, 413), body
    if status == 400:
        assert message in body


# ---------------------------------------------------------- medium: nothing else is reachable


def test_serve_listens_on_one_port_and_writes_nothing_to_disk(dist: Path, tmp_path: Path) -> None:
    """Defect: the private Oxigraph was an ordinary loopback port anyone could query."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "TMPDIR": str(tmp_path)}
    with serve_command("--from", str(dist), env=env) as (process, url):
        pids = {process.pid} | children(process.pid)
        assert len(pids) >= 3, "the front and its two workers"
        port = int(url.split(":")[2].split("/")[0])
        assert listening_ports(pids) == {port}
        assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name
)
def test_a_stop_signal_stops_the_front_and_every_worker(
    dist: Path, tmp_path: Path, stop: signal.Signals
) -> None:
    """Defect: SIGTERM or SIGHUP left the Oxigraph child running and its store behind."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "TMPDIR": str(tmp_path)}
    with serve_command("--from", str(dist), env=env) as (process, _):
        workers = children(process.pid)
        assert workers
        process.send_signal(stop)
        assert process.wait(timeout=30) == 0
        assert "stopped" in (process.stderr.read() if process.stderr else "")
        assert wait_gone(workers) == set()
        assert list(tmp_path.iterdir()) == []


def test_sigkill_of_the_front_takes_the_workers_with_it(dist: Path) -> None:
    with serve_command("--from", str(dist)) as (process, _):
        workers = children(process.pid)
        process.kill()
        process.wait(timeout=10)
        assert wait_gone(workers) == set(), "PR_SET_PDEATHSIG kills orphaned workers"


@pytest.mark.servers
def test_a_taken_port_is_an_error_not_a_false_ready(dist: Path) -> None:
    """Defect: the readiness probe was answered by whatever held the port, and serve said ready."""
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "spasmkg", "serve", "--port", str(port), "--from", str(dist)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO / "src")},
            timeout=60,
        )
    assert result.returncode == 2
    assert "ready" not in result.stdout
    assert f"port {port} on 127.0.0.1 is in use by another program" in result.stderr


# ------------------------------------------------------ medium: clients that hang up, or crowd


def test_queries_of_clients_that_hung_up_are_stopped(nquads: bytes) -> None:
    """Defect: 24 dropped requests kept the endpoint busy for 30 s."""
    config = FrontConfig(timeout=30.0, max_waiting=64)
    with Server(nquads, port=0, config=config) as server:
        body = urllib.parse.urlencode({"query": SLOW_QUERY}).encode()
        request = (
            f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        for _ in range(24):
            with socket.create_connection(("127.0.0.1", server.port)) as sock:
                sock.sendall(request)
            # the socket closes here: the client hangs up without reading the answer
        time.sleep(0.5)
        started = time.monotonic()
        assert get_url(server.url, "ASK { ?s ?p ?o }")[0] == 200
        assert time.monotonic() - started < 10, "the dropped queries were stopped, not finished"


def test_one_client_cannot_take_every_worker(nquads: bytes) -> None:
    config = FrontConfig(timeout=3.0, max_per_client=2, max_waiting=16)
    with (
        Server(nquads, port=0, config=config) as server,
        concurrent.futures.ThreadPoolExecutor(5) as pool,
    ):
        statuses = sorted(pool.map(lambda _: get_url(server.url, SLOW_QUERY)[0], range(5)))
    assert 429 in statuses
    assert statuses.count(504) <= 2


# --------------------------------------------------------------------- low: what users meet


def test_idle_and_slow_header_connections_are_closed(served: Server) -> None:
    assert raw_request(served, b"", wait=5.0) == b"", "an idle connection is closed"
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n")
        for _ in range(8):
            time.sleep(0.4)
            try:
                sock.sendall(b"X-Slow: y\r\n")
            except OSError:
                break
        closed = sock.recv(100) == b""
    assert closed and time.monotonic() - started < 5, "headers dripped in are cut off"


def test_head_answers_like_get_without_a_body(served: Server) -> None:
    status, body, headers = http(served.url + "?query=ASK%7B%7D", method="HEAD")
    assert status == 200 and body == ""
    assert headers["content-type"].startswith("application/sparql-results+json")


def test_an_oversized_body_gets_a_413_not_a_reset(served: Server) -> None:
    big = ("SELECT * WHERE { ?s ?p ?o } #" + "x" * 150_000).encode()
    status, body, headers = http(
        served.url, big, "POST", {"Content-Type": "application/sparql-query"}
    )
    assert status == 413 and "larger than 100000 bytes" in body
    assert headers.get("connection") == "close"


def test_the_dataset_parameters_name_graphs_of_the_build(
    served: Server, kg: spasmkg.KnowledgeGraph
) -> None:
    """Defect: default-graph-uri and named-graph-uri were dropped silently."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    asserted = "https://w3id.org/spasmkg/graph/asserted"
    query = urllib.parse.urlencode({"query": count, "default-graph-uri": asserted})
    status, body, _ = http(f"{served.url}?{query}")
    assert status == 200 and f'"value":"{len(kg.asserted)}"' in body.replace(" ", "")
    names = urllib.parse.urlencode(
        {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": asserted}
    )
    status, body, _ = http(f"{served.url}?{names}")
    assert status == 200 and asserted in body and "graph/inferred" not in body
    bad = urllib.parse.urlencode({"query": count, "default-graph-uri": "not an iri"})
    assert http(f"{served.url}?{bad}")[0] == 400


def test_every_answer_carries_the_security_headers(served: Server) -> None:
    for url in (served.url + "?query=ASK%7B%7D", served.url.removesuffix("/sparql") + "/"):
        _, _, headers = http(url)
        assert headers["x-content-type-options"] == "nosniff"
        assert "default-src 'none'" in headers["content-security-policy"]


def test_a_large_answer_arrives_whole(served: Server, kg: spasmkg.KnowledgeGraph) -> None:
    """Defect found on the way: uvloop made the answer pipe non-blocking, so an answer larger
    than the pipe's buffer came in pieces and was lost. Messages are now reassembled."""
    status, body, headers = http(
        served.url + "?" + urllib.parse.urlencode({"query": "CONSTRUCT WHERE { ?s ?p ?o }"}),
        headers={"Accept": "application/n-triples"},
    )
    assert status == 200 and headers["content-type"] == "application/n-triples"
    assert len(body) > 200_000, "larger than a pipe's buffer"
    assert len([line for line in body.splitlines() if line.strip()]) == len(kg.union())


def test_frames_are_reassembled_from_any_pieces() -> None:
    import threading
    from multiprocessing.connection import Pipe

    from spasmkg.serve.protocol import Frames

    reader, writer = Pipe(duplex=False)
    sender = threading.Thread(
        target=lambda: [writer.send_bytes(m) for m in (b"first", b"x" * 70_000)]
    )
    sender.start()
    stream = b""
    while len(stream) < 4 + 5 + 4 + 70_000:
        stream += os.read(reader.fileno(), 65536)
    sender.join()
    frames = Frames()
    messages = [m for byte in range(len(stream)) for m in frames.feed(stream[byte : byte + 1])]
    assert messages == [b"first", b"x" * 70_000]


def test_a_repeated_query_is_answered_from_memory(nquads: bytes) -> None:
    """The served graph never changes, so a repeated query's answer is kept: it is answered
    even while the only worker is busy."""
    config = FrontConfig(timeout=3.0, max_concurrency=1)
    with (
        Server(nquads, port=0, config=config, workers=1) as server,
        concurrent.futures.ThreadPoolExecutor(2) as pool,
    ):
        first = get_url(server.url, "SELECT ?s WHERE { ?s a ?kind } LIMIT 3")
        busy = pool.submit(get_url, server.url, SLOW_QUERY)
        time.sleep(0.5)
        started = time.monotonic()
        again = get_url(server.url, "SELECT ?s WHERE { ?s a ?kind } LIMIT 3")
        assert time.monotonic() - started < 1.0 and not busy.done()
        assert again[:2] == first[:2] and again[0] == 200
        assert busy.result()[0] == 504
