"""The public front of ``spasmkg serve``: every request is checked and bounded before a worker
sees it.

The front refuses SPARQL Update in every protocol form and any SERVICE clause (read by
:mod:`spasmkg.ask.lexer` from the normalised text, which is also the text the worker runs),
caps the request body, the terms and the nesting of a query, the queries in flight, per client
and in the queue, and stops a query at its time-out or when its client hangs up. It is a plain
ASGI application: the SPARQL endpoint is the hot path and needs no framework.
"""

from __future__ import annotations

import asyncio
import re
import urllib.parse
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from spasmkg.ask.lexer import outline
from spasmkg.errors import QueryRefused
from spasmkg.serve.pool import Job, QueryTimedOut, WorkerFailed, WorkerPool
from spasmkg.serve.routes import NOTHING, Describe, Reply, Routes

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
READ_ONLY = "SPARQL Update is refused: this endpoint is read-only"
#: An IRI a client may name as a graph of the dataset (the store fetches nothing).
GRAPH_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")
#: Answers kept for repeated queries: at most this many bytes in all, and per answer.
CACHE_BYTES = 64 * 1024 * 1024
CACHE_ENTRY = 1024 * 1024
#: A body larger than the cap is read (and thrown away) up to this size before the 413, so the
#: client gets the answer instead of a connection reset.
DRAIN_LIMIT = 1_000_000


@dataclass
class FrontConfig:
    """Limits of the public front."""

    timeout: float = 10.0
    max_body: int = 100_000
    max_concurrency: int = 4
    max_waiting: int = 64
    max_per_client: int = 8
    cors_origin: str | None = None
    #: seconds a client may take to send a request's headers (from connecting, or from the
    #: end of the previous response), and that an idle keep-alive connection stays open
    header_timeout: float = 10.0
    keep_alive: int = 5


class Refused(Exception):
    """A request the front answers itself, with a status and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Request:
    """The SPARQL protocol parameters of one request."""

    query: str
    accept: tuple[str, ...]
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def header(scope: Scope, name: bytes) -> str:
    """One request header (the last one given), or empty."""
    found = [value for key, value in scope["headers"] if key == name]
    return found[-1].decode("latin-1") if found else ""


def accepted(value: str) -> tuple[str, ...]:
    """The media types of an Accept header, most wanted first."""
    ranked = []
    for position, part in enumerate(value.split(",")):
        media_type, *parameters = (item.strip() for item in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, number = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if media_type and quality > 0:
            ranked.append((-quality, position, media_type.lower()))
    return tuple(media_type for _, _, media_type in sorted(ranked))


def graph_names(values: list[str], parameter: str) -> tuple[str, ...]:
    """Graph IRIs named by a protocol parameter, checked."""
    for value in values:
        if not GRAPH_IRI.fullmatch(value):
            raise Refused(400, f"{parameter} {value[:200]!r} is not an IRI")
    return tuple(values)


class Front:
    """The ASGI application: the SPARQL endpoint, the site's pages (or, without a site, a home
    line), and refusals for the rest."""

    def __init__(self, pool: WorkerPool, config: FrontConfig, routes: Routes | None = None) -> None:
        self.pool = pool
        self.config = config
        self.routes = routes
        self.slots = asyncio.Semaphore(config.max_concurrency)
        self.waiting = 0
        self.per_client: dict[str, int] = {}
        self.startup_error = ""
        self.answers: OrderedDict[Job, tuple[int, str, bytes]] = OrderedDict()
        self.cached_bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
        elif scope["type"] == "http":
            await self.http(scope, receive, send)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        """Start the workers before the first request; stop them at the end."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.pool.start()
                except (WorkerFailed, asyncio.TimeoutError, OSError) as error:
                    self.startup_error = f"{type(error).__name__}: {error}"
                    self.pool.close()
                    await send({"type": "lifespan.startup.failed", "message": self.startup_error})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Route a request."""
        path, method = scope["path"], scope["method"]
        if path in ("/sparql", "/query"):
            await self.sparql(scope, receive, send)
        elif method not in ("GET", "HEAD"):
            message = b"this server is read-only: only GET, and SPARQL queries at /sparql\n"
            await self.respond(scope, send, 405, "text/plain", message)
        elif self.routes is not None:
            await self.browse(self.routes, scope, receive, send)
        elif path == "/":
            text = (
                "spasmkg SPARQL endpoint (read-only). Send queries to /sparql with GET ?query=... "
                f"or POST {SPARQL_QUERY} or a form.\n"
            )
            await self.respond(scope, send, 200, "text/plain; charset=utf-8", text.encode())
        else:
            await self.respond(
                scope, send, 404, "text/plain", b"not found; the endpoint is /sparql\n"
            )

    async def browse(self, routes: Routes, scope: Scope, receive: Receive, send: Send) -> None:
        """A page of the site, or a resource's RDF description from a worker."""
        accept = accepted(header(scope, b"accept"))
        reply = routes.get(scope["path"], scope["query_string"].decode("latin-1"), accept)
        if isinstance(reply, Describe):
            client = (scope.get("client") or ("?", 0))[0]
            try:
                status, content_type, body = await self.answer(reply.job, client, receive)
            except Refused as refusal:
                reply = Reply(refusal.status, "text/plain", f"{refusal}\n".encode())
            except asyncio.CancelledError:
                return
            else:
                reply = Reply(status, content_type, body, headers=reply.headers)
        await self.respond(
            scope,
            send,
            reply.status,
            reply.content_type,
            reply.body,
            policy=reply.policy,
            extra=reply.headers,
        )

    async def respond(
        self,
        scope: Scope,
        send: Send,
        status: int,
        content_type: str,
        body: bytes,
        *,
        close: bool = False,
        policy: str = NOTHING,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> None:
        """Send a whole response with the security headers (and CORS, if configured)."""
        headers = [
            (b"content-type", content_type.encode("latin-1")),
            (b"content-length", str(len(body)).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"content-security-policy", policy.encode("latin-1")),
            (b"referrer-policy", b"no-referrer"),
        ]
        headers += [(name.encode("latin-1"), value.encode("latin-1")) for name, value in extra]
        if close:
            headers.append((b"connection", b"close"))
        if self.config.cors_origin:
            headers += [
                (b"access-control-allow-origin", self.config.cors_origin.encode("latin-1")),
                (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                (b"access-control-allow-headers", b"Content-Type, Accept"),
            ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )

    async def read_body(self, scope: Scope, receive: Receive) -> bytes:
        """The request body, within the size cap and the time-out.

        :raises Refused: too large (413, after draining it) or too slow (408).
        """
        declared = header(scope, b"content-length")
        limit = self.config.max_body
        chunks: list[bytes] = []
        size = 0

        async def read() -> None:
            nonlocal size
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise asyncio.CancelledError("the client hung up")
                chunk = message.get("body", b"")
                size += len(chunk)
                if size <= limit:
                    chunks.append(chunk)
                if not message.get("more_body") or size > DRAIN_LIMIT:
                    return

        if declared.isdigit() and int(declared) > DRAIN_LIMIT:
            raise Refused(413, f"request larger than {limit} bytes")
        try:
            await asyncio.wait_for(read(), self.config.timeout)
        except asyncio.TimeoutError:
            raise Refused(
                408, f"the request body did not arrive within {self.config.timeout:g} s"
            ) from None
        if size > limit:
            raise Refused(413, f"request larger than {limit} bytes")
        return b"".join(chunks)

    async def parameters(self, scope: Scope, receive: Receive) -> Request:
        """The query and dataset of a request in any protocol form.

        :raises Refused: an update, an unsupported body, or a bad graph IRI.
        """
        fields = urllib.parse.parse_qs(scope["query_string"].decode("latin-1"))
        body = await self.read_body(scope, receive)
        if scope["method"] == "POST":
            kind = header(scope, b"content-type").split(";")[0].strip().lower()
            if kind == SPARQL_UPDATE:
                raise Refused(403, READ_ONLY)
            if kind == SPARQL_QUERY:
                fields["query"] = [body.decode("utf-8", "replace")]
            elif kind == FORM:
                for name, values in urllib.parse.parse_qs(body.decode("utf-8", "replace")).items():
                    fields.setdefault(name, []).extend(values)
            else:
                raise Refused(
                    415, f"unsupported content type {kind!r}; send {SPARQL_QUERY} or a form"
                )
        if "update" in fields:
            raise Refused(403, READ_ONLY)
        queries = fields.get("query") or []
        if len(queries) != 1 or not queries[0].strip():
            raise Refused(400, "give exactly one query (use ?query= or POST a query)")
        return Request(
            query=queries[0],
            accept=accepted(header(scope, b"accept")),
            default_graphs=graph_names(fields.get("default-graph-uri", []), "default-graph-uri"),
            named_graphs=graph_names(fields.get("named-graph-uri", []), "named-graph-uri"),
        )

    def checked(self, request: Request) -> Job:
        """The job for a worker: the normalised text, if it is read-only and within bounds.

        :raises Refused: an update, a SERVICE clause, or a query past the bounds.
        """
        try:
            seen = outline(request.query)
        except QueryRefused as error:
            raise Refused(400, str(error)) from None
        if seen.updates:
            raise Refused(403, READ_ONLY)
        if seen.services:
            raise Refused(403, "SERVICE would send the query to another server; refused")
        return Job(
            seen.text, request.accept, request.default_graphs, request.named_graphs, seen.datasets
        )

    async def sparql(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The SPARQL protocol endpoint."""
        method = scope["method"]
        if method == "OPTIONS":
            await self.respond(scope, send, 204, "text/plain", b"")
            return
        if method not in ("GET", "HEAD", "POST"):
            await self.respond(scope, send, 405, "text/plain", b"only GET and POST at /sparql\n")
            return
        client = (scope.get("client") or ("?", 0))[0]
        try:
            job = self.checked(await self.parameters(scope, receive))
            cached = self.answers.get(job)
            if cached is not None:
                self.answers.move_to_end(job)
                status, content_type, body = cached
            else:
                status, content_type, body = await self.answer(job, client, receive)
                self.remember(job, (status, content_type, body))
        except Refused as refusal:
            close = refusal.status in (408, 413)
            await self.respond(
                scope, send, refusal.status, "text/plain", f"{refusal}\n".encode(), close=close
            )
            return
        except asyncio.CancelledError:
            return  # the client hung up; its query was stopped
        await self.respond(scope, send, status, content_type, body)

    def remember(self, job: Job, answer: tuple[int, str, bytes]) -> None:
        """Keep a successful answer: the graph never changes while it is served, so the same
        job always has the same answer. The oldest answers go first beyond the cache's size."""
        if answer[0] != 200 or len(answer[2]) > CACHE_ENTRY:
            return
        self.answers[job] = answer
        self.cached_bytes += len(answer[2])
        while self.cached_bytes > CACHE_BYTES:
            _, (_, _, old) = self.answers.popitem(last=False)
            self.cached_bytes -= len(old)

    async def answer(self, job: Job, client: str, receive: Receive) -> tuple[int, str, bytes]:
        """Run a job within the limits: queue, per-client, concurrency, time-out, hang-up."""
        if self.waiting >= self.config.max_waiting:
            raise Refused(503, "server busy; try again shortly")
        if self.per_client.get(client, 0) >= self.config.max_per_client:
            raise Refused(
                429, f"more than {self.config.max_per_client} queries at once from one client"
            )
        self.per_client[client] = self.per_client.get(client, 0) + 1
        hung_up = asyncio.ensure_future(self.disconnected(receive))
        self.waiting += 1
        queued = True
        try:
            async with self.slots:
                self.waiting -= 1
                queued = False
                if hung_up.done():
                    raise asyncio.CancelledError("the client hung up")
                result = await self.pool.run(job, self.config.timeout, hung_up)
        except QueryTimedOut as error:
            raise Refused(504, str(error)) from None
        finally:
            if queued:
                self.waiting -= 1
            hung_up.cancel()
            self.per_client[client] -= 1
            if not self.per_client[client]:
                del self.per_client[client]
        return result.status, result.content_type, result.body

    @staticmethod
    async def disconnected(receive: Receive) -> None:
        """Return when the client disconnects."""
        while (await receive())["type"] != "http.disconnect":
            pass
