"""One client for SPARQL over HTTP: the query and update protocol and the Graph Store Protocol.

Time-outs, retries, authentication and error messages live here and nowhere else; the remote
query engine, ``spasmkg push`` and the server's readiness probe all use it. Every operation has
one deadline that covers its retries and its whole answer, so a server that drips a byte at a
time, or says nothing, cannot hold a command for longer than asked.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from spasmkg.errors import EndpointError, UsageError

log = logging.getLogger(__name__)

#: Statuses that say "try again later" rather than "this will never work".
TRANSIENT = frozenset({429, 500, 502, 503, 504})
FORM = "application/x-www-form-urlencoded"
JSON_RESULTS = "application/sparql-results+json"
#: The most of an answer kept in memory unless a client is given less; a larger one is
#: refused rather than read on.
MAX_ANSWER = 512 * 1024 * 1024


@dataclass(frozen=True)
class Answer:
    """A successful HTTP answer: status, media type and body."""

    url: str
    status: int
    content_type: str
    body: bytes

    def json(self, what: str) -> Any:
        """The body as JSON, or a clear error if the server sent something else."""
        try:
            return json.loads(self.body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise EndpointError(
                f"{what}: {self.url} did not answer with SPARQL JSON results "
                f"(got {self.content_type or 'no media type'}); is it a SPARQL endpoint?"
            ) from None


def check_url(url: str) -> str:
    """An endpoint URL must be http or https (no file:, no bare host)."""
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"{url}: an endpoint URL must start with http:// or https://")
    return url


def basic_or_digest(user: str | None, password: str | None, *, digest: bool) -> httpx.Auth | None:
    """HTTP authentication for a user, or None without one.

    :raises SpasmKGError: a user name without a password.
    """
    if not user:
        return None
    if password is None:
        raise UsageError("a user name needs a password: --password or $SPASMKG_PASSWORD")
    return httpx.DigestAuth(user, password) if digest else httpx.BasicAuth(user, password)


class SparqlClient:
    """Queries, updates and graph uploads against SPARQL 1.1 servers, with one deadline each."""

    def __init__(
        self,
        *,
        auth: httpx.Auth | None = None,
        token: str | None = None,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
        on_retry: Callable[[str], None] | None = None,
        max_answer: int = MAX_ANSWER,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(auth=auth, headers=headers, follow_redirects=False)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_answer = max_answer
        self.on_retry = on_retry or (lambda message: log.info("%s", message))

    def close(self) -> None:
        """Close the connections."""
        self.http.close()

    def request(self, method: str, url: str, what: str, **options: Any) -> Answer:
        """One operation: retried on connection errors and transient statuses, within the deadline.

        :raises EndpointError: the server refused, failed, or did not answer in time.
        """
        deadline = time.monotonic() + self.timeout
        problem = ""
        for attempt in range(self.retries + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                status, content_type, body = self.fetch(method, url, remaining, deadline, options)
            except httpx.TimeoutException:
                problem = f"no complete answer from {url} within {self.timeout:g} s"
                break
            except httpx.TransportError as error:
                problem = f"cannot reach {url}: {error}"
            else:
                if status in (401, 403):
                    raise EndpointError(f"{what}: {url} refused the credentials (HTTP {status})")
                if status < 300:
                    return Answer(url, status, content_type, body)
                detail = " ".join(body.decode("utf-8", "replace").split())[:200]
                problem = f"HTTP {status} from {url}: {detail}"
                if status not in TRANSIENT:
                    raise EndpointError(f"{what}: {problem}")
            if attempt < self.retries:
                pause = min(self.backoff * 2**attempt, max(0.0, deadline - time.monotonic()))
                self.on_retry(f"{what}: {problem}; retrying in {pause:.1f} s")
                time.sleep(pause)
        if not problem:
            problem = f"no complete answer from {url} within {self.timeout:g} s"
        elif self.retries and not problem.startswith("no complete answer"):
            problem += f" (after {self.retries} retries)"
        raise EndpointError(f"{what}: {problem}")

    def fetch(
        self, method: str, url: str, remaining: float, deadline: float, options: dict[str, Any]
    ) -> tuple[int, str, bytes]:
        """Send one request and read the whole answer before the deadline."""
        with self.http.stream(method, url, timeout=httpx.Timeout(remaining), **options) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("deadline passed while reading the answer")
                if size > self.max_answer:
                    raise EndpointError(
                        f"{url}: the answer is larger than {self.max_answer} bytes, more than "
                        "this request can need; is it the store you meant?"
                    )
                chunks.append(chunk)
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return response.status_code, kind, b"".join(chunks)

    def query(
        self, url: str, text: str, accept: str, what: str, graphs: Sequence[str] = ()
    ) -> Answer:
        """A query as a URL-encoded form POST, the protocol form every store accepts.

        :param graphs: the query's dataset, for a store that holds more than one graph: their
            union is its default graph (``default-graph-uri``) and each is a named graph
            (``named-graph-uri``); none leaves the dataset to the query and the store.
        """
        return self.request(
            "POST",
            check_url(url),
            what,
            data={"query": text, "default-graph-uri": graphs, "named-graph-uri": graphs},
            headers={"Accept": accept, "Content-Type": FORM},
        )

    def select(self, url: str, text: str, what: str) -> list[dict[str, Any]]:
        """Rows of a SELECT, as SPARQL JSON bindings."""
        document = self.query(url, text, JSON_RESULTS, what).json(what)
        try:
            return list(document["results"]["bindings"])
        except (KeyError, TypeError):
            raise EndpointError(
                f"{what}: {url} did not answer with SPARQL JSON results; is it a SPARQL endpoint?"
            ) from None

    def ask(self, url: str, text: str, what: str) -> bool:
        """The answer of an ASK."""
        document = self.query(url, text, JSON_RESULTS, what).json(what)
        if not isinstance(document, dict) or not isinstance(document.get("boolean"), bool):
            raise EndpointError(
                f"{what}: {url} did not answer with a SPARQL boolean; is it a SPARQL endpoint?"
            )
        return bool(document["boolean"])

    def update(self, url: str, text: str, what: str) -> None:
        """Run a SPARQL Update."""
        self.request("POST", check_url(url), what, data={"update": text})

    def add_to_graph(self, url: str, graph: str, ntriples: str, what: str) -> None:
        """Append N-Triples to a named graph (Graph Store Protocol POST)."""
        self.request(
            "POST",
            check_url(url),
            what,
            params={"graph": graph},
            content=ntriples.encode("utf-8"),
            headers={"Content-Type": "application/n-triples"},
        )


def wait_for_endpoint(
    url: str, limit: float = 30.0, still_starting: Callable[[], bool] | None = None
) -> None:
    """Poll an endpoint with ``ASK {}`` until it answers, for servers that are starting.

    :param still_starting: called between tries; return False when the server has died.
    :raises EndpointError: it did not answer within ``limit`` seconds, or it died.
    """
    client = SparqlClient(timeout=2.0, retries=0)
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            if still_starting is not None and not still_starting():
                raise EndpointError(f"{url}: the server stopped while starting")
            try:
                client.ask(url, "ASK {}", "waiting for the server")
                return
            except EndpointError:
                time.sleep(0.1)
    finally:
        client.close()
    raise EndpointError(f"{url} did not answer within {limit:.0f} s")
