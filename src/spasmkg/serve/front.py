"""The public front of ``spasmkg serve``: it routes every request and sends every answer.

It is a plain ASGI application (the SPARQL endpoint is the hot path and needs no framework).
What a request asks is read and checked by :mod:`spasmkg.serve.request`, in a thread beside the
event loop when it is longer than :data:`INLINE` bytes, so a long body cannot hold up other
clients; the site's pages (and a 404's close names) are made in that thread too.
Queries wait for a slot (:mod:`spasmkg.serve.admission`), are answered from memory when they
were asked before (:mod:`spasmkg.serve.cache`) or else by a worker of the pool
(:mod:`spasmkg.serve.pool`). Every answer carries the security headers and is sent in pieces,
so the front never writes more than a piece ahead of a client that reads slowly.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from spasmkg.serve.admission import Admission
from spasmkg.serve.cache import AnswerCache
from spasmkg.serve.pool import MAX_MEMORY, QueryTimedOut, WorkerFailed, WorkerPool
from spasmkg.serve.protocol import Answer, Job
from spasmkg.serve.request import (
    SPARQL_QUERY,
    Refused,
    accepted,
    header,
    job_of,
)
from spasmkg.serve.routes import NOTHING, Describe, Reply, Routes
from spasmkg.serve.worker import MAX_ANSWER

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

#: A body larger than the cap is read (and thrown away) up to this size before the 413, so the
#: client gets the answer instead of a connection reset.
DRAIN_LIMIT = 1_000_000
#: Requests up to this size are read on the event loop: the lexer is linear, so that costs
#: at most a few tens of microseconds, less than the hop to a thread; longer ones go to a thread.
INLINE = 4096
#: The size of the pieces an answer is sent in.
PIECE = 64 * 1024


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
    #: the most one answer may hold, and the memory a worker may use while it answers
    max_answer: int = MAX_ANSWER
    max_memory: int = MAX_MEMORY
    #: seconds a client may leave an answer unread before its connection is closed
    send_timeout: float = 10.0


class Front:
    """The ASGI application: the SPARQL endpoint, the site's pages (or, without a site, a home
    line), and refusals for the rest."""

    def __init__(self, pool: WorkerPool, config: FrontConfig, routes: Routes | None = None) -> None:
        self.pool = pool
        self.config = config
        self.routes = routes
        self.admission = Admission(
            config.max_concurrency, config.max_waiting, config.max_per_client
        )
        self.cache = AnswerCache()
        self.startup_error = ""
        self.threads = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="spasmkg-front")

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
                if not self.pool.workers:
                    await self.start()
                if self.startup_error:
                    await send({"type": "lifespan.startup.failed", "message": self.startup_error})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def start(self) -> None:
        """Start the workers; a failure is kept in ``startup_error`` and stops them all."""
        try:
            await self.pool.start()
        except (WorkerFailed, asyncio.TimeoutError, OSError) as error:
            self.startup_error = str(error) or type(error).__name__
            self.close()

    def close(self) -> None:
        """Stop the workers and the front's threads."""
        self.pool.close()
        self.threads.shutdown(wait=False, cancel_futures=True)

    async def in_thread(self, work: Callable[..., Any], *args: Any) -> Any:
        """Run parsing or rendering beside the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.threads, work, *args)

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
        try:
            accept = accepted(header(scope, b"accept"))
        except Refused as refusal:
            await self.refuse(scope, send, refusal)
            return
        query_string = scope["query_string"].decode("latin-1")
        reply = await self.in_thread(routes.get, scope["path"], query_string, accept)
        if isinstance(reply, Describe):
            client = (scope.get("client") or ("?", 0))[0]
            try:
                answer = await self.answer(reply.job, client, receive)
            except Refused as refusal:
                reply = Reply(refusal.status, "text/plain", f"{refusal}\n".encode())
            except asyncio.CancelledError:
                return
            else:
                reply = Reply(
                    answer.status, answer.content_type, answer.body, headers=reply.headers
                )
        await self.respond(
            scope,
            send,
            reply.status,
            reply.content_type,
            reply.body,
            policy=reply.policy,
            extra=reply.headers,
        )

    async def refuse(self, scope: Scope, send: Send, refusal: Refused) -> None:
        """Answer a refusal in one line (closing the connection after a body left unread)."""
        close = refusal.status in (408, 413, 431)
        body = f"{refusal}\n".encode()
        await self.respond(scope, send, refusal.status, "text/plain", body, close=close)

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
        """Send a whole response with the security headers (and CORS, if configured), the body
        in pieces."""
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
        if scope["method"] == "HEAD" or len(body) <= PIECE:
            await send(
                {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
            )
            return
        view = memoryview(body)
        for start in range(0, len(body), PIECE):
            last = start + PIECE >= len(body)
            piece = bytes(view[start : start + PIECE])
            await send({"type": "http.response.body", "body": piece, "more_body": not last})

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
            body = await self.read_body(scope, receive)
            if len(body) + len(scope["query_string"]) <= INLINE:
                job = job_of(scope, body)
            else:
                job = await self.in_thread(job_of, scope, body)
            answer = self.cache.get(job)
            if answer is None:
                answer = await self.answer(job, client, receive)
                self.cache.put(job, answer)
        except Refused as refusal:
            await self.refuse(scope, send, refusal)
            return
        except asyncio.CancelledError:
            return  # the client hung up; its query was stopped
        await self.respond(scope, send, answer.status, answer.content_type, answer.body)

    async def answer(self, job: Job, client: str, receive: Receive) -> Answer:
        """Run a job within the limits: queue, per-client, concurrency, time-out, hang-up."""
        hung_up = asyncio.ensure_future(self.disconnected(receive))
        try:
            async with self.admission.admitted(client):
                if hung_up.done():
                    raise asyncio.CancelledError("the client hung up")
                return await self.pool.run(job, self.config.timeout, hung_up)
        except QueryTimedOut as error:
            raise Refused(504, str(error)) from None
        finally:
            hung_up.cancel()

    @staticmethod
    async def disconnected(receive: Receive) -> None:
        """Return when the client disconnects."""
        while (await receive())["type"] != "http.disconnect":
            pass
