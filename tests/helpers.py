"""Helpers shared by the tests: SPARQL shortcuts, the named queries' expected answers, planting
a fault in a copy of the data, running the real command, and loopback servers that record."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import yaml
from rdflib import Graph

import spasmkg
from spasmkg.ask.library import library
from spasmkg.model.paths import data_paths
from spasmkg.model.records import Claim

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO.parent / "shared" / "sources" / "000_917287f35ccb5cf3.txt"


class Figures(NamedTuple):
    """The shipped graph's counts, stated once for the tests that pin them: raise them here when
    curated content is added, and every pinned count follows."""

    #: the core's entities, and its warning signs and pieces of advice
    entities: int
    guidance: int
    #: the core's claims, those resting on the curators alone, and its plain triples (beside
    #: each claim's standing and each evidence item's design)
    claims: int
    curators_alone: int
    plain: int
    #: with every layer loaded by default: nodes, KGX edges, the negated ones (a claim's refuting
    #: items), and the edges kgx folds into another that shares its triple
    all_nodes: int
    all_edges: int
    all_negated: int
    all_folded: int

    @property
    def nodes(self) -> int:
        """The core's nodes: entities and guidance."""
        return self.entities + self.guidance


CORE = Figures(
    entities=231,
    guidance=44,
    claims=538,
    curators_alone=7,
    plain=435,
    all_nodes=1203,
    all_edges=1976,
    all_negated=31,
    all_folded=33,
)
#: The named queries' expected answers, kept as data beside them.
EXPECTED = yaml.safe_load((REPO / "tests" / "data" / "query_expectations.yaml").read_text())
#: The named queries that need no network.
OFFLINE = [name for name, q in library(data_paths()).items() if "# requires: network" not in q.text]
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


#: A prefix declaration, a string or an IRI, and a prefixed name, as pyoxigraph writes Turtle.
DECLARATION = re.compile(r"^@prefix ([^:\s]*): <([^>]*)> \.$", re.M)
STRING_OR_IRI = re.compile(r'"(?:[^"\\]|\\.)*"|<[^<>\s]*>')
PREFIXED_NAME = re.compile(r"(?:^|(?<=[\s(\[,;^]))([A-Za-z][\w.-]*)?:", re.M)


def turtle_prefixes(text: str) -> tuple[list[tuple[str, str]], set[str]]:
    """The prefixes a Turtle or TriG document declares (name and namespace, in order, repeats
    kept), and the prefixes of the prefixed names its statements use (outside strings and IRIs)."""
    declared = DECLARATION.findall(text)
    statements = STRING_OR_IRI.sub(" ", DECLARATION.sub("", text))
    return declared, set(PREFIXED_NAME.findall(statements))


def assert_declares_what_it_uses(text: str) -> set[str]:
    """A Turtle or TriG document declares each namespace once, under one name, and exactly the
    prefixes it uses; gives those prefixes."""
    declared, used = turtle_prefixes(text)
    names = [name for name, _ in declared]
    namespaces = [namespace for _, namespace in declared]
    assert len(set(names)) == len(names), names
    assert len(set(namespaces)) == len(namespaces), sorted(namespaces)
    assert set(names) == used, (sorted(set(names) - used), sorted(used - set(names)))
    return used


def sparql(graph: Graph, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT as dictionaries of strings, with the common prefixes declared."""
    return [
        {key: str(value) for key, value in row.asdict().items()}  # type: ignore[union-attr]
        for row in graph.query(PREFIXES + query)
    ]


def ask(graph: Graph, query: str) -> bool:
    """Answer of an ASK query, with the common prefixes declared."""
    return bool(graph.query(PREFIXES + query).askAnswer)


def plant(data: Path, file: str, old: str, new: str) -> int:
    """Replace text in a data file; return the line number of the change."""
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def append_line(data: Path, file: str, line: str) -> int:
    """Add a line at the end of a data file; return its line number."""
    path = data / file
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


class Line:
    """A line a report must hold, where a table does not give the whole line: one that starts
    with ``start`` and has each of ``has`` in it."""

    def __init__(self, start: str = "", *, has: str | tuple[str, ...] = ()) -> None:
        self.start = start
        self.has = (has,) if isinstance(has, str) else has

    def among(self, lines: Iterable[str]) -> bool:
        """Whether one of the lines is such a line."""
        return any(
            line.startswith(self.start) and all(part in line for part in self.has) for line in lines
        )

    def __repr__(self) -> str:
        return f"Line({self.start!r}, has={self.has!r})"


def reported(expected: str | Line, lines: list[str]) -> bool:
    """Whether a report holds a line: given whole (a string), or as a :class:`Line`."""
    return expected in lines if isinstance(expected, str) else expected.among(lines)


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


def claim(
    kg: spasmkg.KnowledgeGraph, subject: str, relation: str, obj: str, context: str | None = None
) -> Claim:
    """The one claim 'subject relation object' (in a context); fails if absent."""
    found = [
        c
        for c in kg.claims_about(subject)
        if c.subject.name == subject
        and c.predicate.name == relation
        and c.object.name == obj
        and (c.context.name if c.context else None) == context
    ]
    assert len(found) == 1, f"expected one claim {subject} {relation} {obj} in {context}"
    return found[0]


def kinds(claim_: Claim, direction: str = "supports") -> set[str]:
    """The kinds of source behind a claim's items of one direction."""
    return {item.source.kind for item in claim_.evidence if item.direction == direction}
