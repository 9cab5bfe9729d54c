"""Helpers shared by the tests: SPARQL shortcuts and running the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rdflib import Graph

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO.parent / "shared" / "sources" / "000_917287f35ccb5cf3.txt"
PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skg: <https://w3id.org/spasmkg/entity/>
PREFIX skgo: <https://w3id.org/spasmkg/ontology/>
PREFIX source: <https://w3id.org/spasmkg/source/>
PREFIX ECO: <http://purl.obolibrary.org/obo/ECO_>
"""


def sparql(graph: Graph, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT as dictionaries of strings, with the common prefixes declared."""
    return [
        {key: str(value) for key, value in row.asdict().items()}  # type: ignore[union-attr]
        for row in graph.query(PREFIXES + query)
    ]


def ask(graph: Graph, query: str) -> bool:
    """Answer of an ASK query, with the common prefixes declared."""
    return bool(graph.query(PREFIXES + query).askAnswer)


def run_entry_point(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m spasmkg`` as a user would, from the source checkout."""
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "spasmkg", *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        env=environment,
        timeout=300,
    )


SPARQL_ANSWER = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "from-listener"}}]}}'


class Listener:
    """A loopback HTTP server that records every request (and its body) and answers with one fixed body
    (by default a one-row SPARQL result; give HTML to play a server that is not SPARQL),
    with the given statuses first and 200 after them."""

    def __init__(
        self,
        body: bytes = SPARQL_ANSWER,
        content_type: str = "application/sparql-results+json",
        statuses: list[int] | None = None,
    ) -> None:
        import http.server
        import threading

        self.requests: list[str] = []
        self.bodies: list[bytes] = []
        recorded, bodies = self.requests, self.bodies

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self) -> None:
                recorded.append(f"{self.command} {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                bodies.append(self.rfile.read(length))
                self.send_response(statuses.pop(0) if statuses else 200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

            def log_message(self, *args: object) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


class Stalling:
    """A loopback server that accepts connections and then stalls: it says nothing at all, or
    it sends an answer's headers and then one byte a second."""

    def __init__(self, drip: bool) -> None:
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.drip = drip
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        import threading

        while not self.closed.is_set():
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.stall, args=(connection,), daemon=True).start()

    def stall(self, connection: object) -> None:
        import socket

        assert isinstance(connection, socket.socket)
        with connection:
            connection.recv(65536)
            if self.drip:
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                    b"Content-Length: 100000\r\n\r\n"
                )
            while not self.closed.wait(1.0):
                if self.drip:
                    try:
                        connection.sendall(b" ")
                    except OSError:
                        return

    def close(self) -> None:
        """Stop: a socket closed from another thread does not wake its accept(), a shut one
        does, so no thread is left waiting (a build in the same process would not fork)."""
        import contextlib
        import socket

        self.closed.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(timeout=5)
