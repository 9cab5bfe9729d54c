"""The public front of ``spasmkg serve``: an ASGI app that checks every query before the store.

Oxigraph's server runs SERVICE clauses (it would send HTTP requests wherever a query says),
keeps working on a query after the client has gone unless given a time-out, and then answers
200 with a truncated body. So users never talk to it directly: the front refuses SERVICE,
UPDATE and LOAD, caps request size and concurrency, applies the time-out with a proper error
status, and only then forwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spasmkg.ask.safety import check_read_only
from spasmkg.errors import QueryRefused, QuerySyntaxError, SpasmKGError

if TYPE_CHECKING:
    import httpx
    from starlette.requests import Request
    from starlette.responses import Response

SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
JSON_RESULTS = "application/sparql-results+json"
READ_ONLY = "SPARQL Update is refused: this endpoint is read-only"


@dataclass
class FrontConfig:
    """Limits of the public front."""

    timeout: float = 10.0
    max_body: int = 100_000
    max_concurrency: int = 8
    max_waiting: int = 64
    cors_origin: str | None = None


def missing_extra() -> SpasmKGError:
    """The error for a missing optional dependency."""
    return SpasmKGError("serving needs the 'serve' extra: pip install 'spasmkg[serve]'")


def refusal(message: str, status: int = 403) -> Response:
    """A plain-text refusal."""
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(message + "\n", status_code=status)


class Front:
    """Check, limit and forward SPARQL queries to a private store."""

    def __init__(self, backend: str, config: FrontConfig) -> None:
        self.backend = backend
        self.config = config
        self.slots = asyncio.Semaphore(config.max_concurrency)
        self.waiting = 0
        self.client: httpx.AsyncClient | None = None

    def app(self) -> Any:
        """The Starlette application."""
        try:
            from starlette.applications import Starlette
            from starlette.routing import Route
        except ImportError:
            raise missing_extra() from None
        routes = [
            Route("/", self.home, methods=["GET"]),
            Route("/sparql", self.sparql, methods=["GET", "POST", "OPTIONS"]),
            Route("/query", self.sparql, methods=["GET", "POST", "OPTIONS"]),
            Route("/{path:path}", self.refuse, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        ]
        return Starlette(routes=routes, lifespan=self.lifespan)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Any) -> AsyncIterator[None]:
        """One connection pool to the store for the life of the app."""
        import httpx

        timeout = httpx.Timeout(self.config.timeout, connect=5.0)
        async with httpx.AsyncClient(timeout=timeout) as client:
            self.client = client
            yield

    def cors(self, response: Response) -> Response:
        """Allow the configured browser origin, if any."""
        if self.config.cors_origin:
            response.headers["Access-Control-Allow-Origin"] = self.config.cors_origin
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        return response

    async def read_body(self, request: Request) -> bytes | None:
        """The request body, or None when it is larger than allowed."""
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.config.max_body:
            return None
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > self.config.max_body:
                return None
        return body

    async def query_text(self, request: Request) -> tuple[str | None, Response | None]:
        """The query of a request in any protocol form, or the refusal to send instead."""
        if request.method == "GET":
            if "update" in request.query_params:
                return None, refusal(READ_ONLY)
            return request.query_params.get("query"), None
        body = await self.read_body(request)
        if body is None:
            return None, refusal(f"request larger than {self.config.max_body} bytes", 413)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == SPARQL_UPDATE:
            return None, refusal(READ_ONLY)
        if kind == SPARQL_QUERY:
            return body.decode("utf-8", "replace"), None
        if kind == FORM:
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            if "update" in form:
                return None, refusal(READ_ONLY)
            queries = form.get("query") or []
            return (queries[0] if queries else None), None
        return None, refusal(
            f"unsupported content type {kind!r}; send {SPARQL_QUERY} or a form", 415
        )

    async def forward(self, text: str, accept: str) -> Any:
        """Send a checked query to the store."""
        assert self.client is not None, "the lifespan opens the client"
        return await self.client.post(
            self.backend,
            content=text.encode("utf-8"),
            headers={"Content-Type": SPARQL_QUERY, "Accept": accept},
        )

    async def sparql(self, request: Request) -> Response:
        """The SPARQL protocol endpoint."""
        import httpx
        from starlette.responses import Response

        if request.method == "OPTIONS":
            return self.cors(Response(status_code=204))
        text, problem = await self.query_text(request)
        if problem is not None:
            return self.cors(problem)
        if not text:
            return self.cors(refusal("no query given (use ?query= or POST a query)", 400))
        try:
            check_read_only(text, "query", allow_remote=True, hints=False)
        except QueryRefused as error:
            return self.cors(refusal(str(error).removeprefix("query: ")))
        except QuerySyntaxError as error:
            return self.cors(refusal(str(error).removeprefix("query: "), 400))
        if self.waiting >= self.config.max_waiting:
            return self.cors(refusal("server busy; try again shortly", 503))
        self.waiting += 1
        try:
            await self.slots.acquire()
        finally:
            self.waiting -= 1
        try:
            answer = await asyncio.wait_for(
                self.forward(text, request.headers.get("accept", JSON_RESULTS)),
                self.config.timeout,
            )
        except (asyncio.TimeoutError, httpx.TimeoutException):
            return self.cors(refusal(f"query timed out after {self.config.timeout:g} s", 504))
        except httpx.TransportError as error:
            return self.cors(refusal(f"the store is not reachable: {error}", 502))
        finally:
            self.slots.release()
        headers = {"Content-Type": answer.headers.get("content-type", JSON_RESULTS)}
        return self.cors(Response(answer.content, status_code=answer.status_code, headers=headers))

    async def home(self, request: Request) -> Response:
        """A line on what this is."""
        from starlette.responses import PlainTextResponse

        return PlainTextResponse(
            "spasmkg SPARQL endpoint (read-only). Send queries to /sparql with GET ?query=... "
            f"or POST {SPARQL_QUERY}.\n"
        )

    async def refuse(self, request: Request) -> Response:
        """Everything else: this endpoint writes nothing."""
        return refusal("this endpoint is read-only: only SPARQL queries at /sparql", 405)
