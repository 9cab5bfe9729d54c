"""``spasmkg serve``: the graph behind a real Oxigraph server, reached through a safe front.

Oxigraph's server runs SERVICE clauses (it would send HTTP requests wherever a query says),
keeps working on a query after the client has gone unless given a time-out, and then answers
200 with a truncated body. So users never talk to it directly: it listens on a private
loopback port, read-only, and spasmkg's own small ASGI front (Starlette on uvicorn) checks
every query first. The front refuses SERVICE, UPDATE and LOAD, caps request size and
concurrency, applies the time-out with a proper error status, and only then forwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from spasmkg.errors import QueryRefused, QuerySyntaxError, SpasmKGError

if TYPE_CHECKING:
    from starlette.responses import Response
from spasmkg.queries import check_read_only

log = logging.getLogger(__name__)

SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
JSON_RESULTS = "application/sparql-results+json"


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


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def oxigraph_binary() -> str:
    """The ``oxigraph`` command from the PyPI package of that name."""
    found = shutil.which("oxigraph")
    if found is None:
        raise missing_extra()
    return found


def load_store(nquads: Path, location: Path) -> None:
    """Load N-Quads into a new Oxigraph store folder (no server may hold it)."""
    location.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [oxigraph_binary(), "load", "--location", str(location), "--file", str(nquads)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise SpasmKGError(f"oxigraph load failed: {result.stderr.strip().splitlines()[-1:]}")


def wait_until_answers(
    url: str, process: subprocess.Popen[bytes] | None = None, limit: float = 30.0
) -> None:
    """Poll a SPARQL endpoint with a trivial ASK until it answers."""
    deadline = time.monotonic() + limit
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SpasmKGError(f"the server stopped at start-up (exit code {process.returncode})")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise SpasmKGError(f"{url} did not answer within {limit:.0f} s")


def start_oxigraph(location: Path, port: int, timeout: float) -> subprocess.Popen[bytes]:
    """Oxigraph serving a store read-only on a private loopback port."""
    process = subprocess.Popen(
        [
            oxigraph_binary(),
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            str(max(1, int(timeout) + 1)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_answers(f"http://127.0.0.1:{port}/query", process)
    return process


def read_only_refusal(message: str, status: int = 403) -> Response:
    """A plain-text refusal."""
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(message + "\n", status_code=status)


def make_app(backend: str, config: FrontConfig) -> Any:
    """The public front: check, limit and forward SPARQL queries to the private Oxigraph."""
    try:
        import httpx
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import PlainTextResponse, Response
        from starlette.routing import Route
    except ImportError:
        raise missing_extra() from None

    slots = asyncio.Semaphore(config.max_concurrency)
    waiting = {"count": 0}
    clients: list[httpx.AsyncClient] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=httpx.Timeout(config.timeout, connect=5.0)) as client:
            clients.append(client)
            yield

    def cors(response: Response) -> Response:
        if config.cors_origin:
            response.headers["Access-Control-Allow-Origin"] = config.cors_origin
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        return response

    async def read_body(request: Request) -> bytes | None:
        declared = request.headers.get("content-length")
        if declared is not None and int(declared) > config.max_body:
            return None
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > config.max_body:
                return None
        return body

    async def query_text(request: Request) -> tuple[str | None, Response | None]:
        if request.method == "GET":
            if "update" in request.query_params:
                return None, read_only_refusal(
                    "SPARQL Update is refused: this endpoint is read-only"
                )
            return request.query_params.get("query"), None
        body = await read_body(request)
        if body is None:
            return None, read_only_refusal(f"request larger than {config.max_body} bytes", 413)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == SPARQL_UPDATE:
            return None, read_only_refusal("SPARQL Update is refused: this endpoint is read-only")
        if kind == SPARQL_QUERY:
            return body.decode("utf-8", "replace"), None
        if kind == FORM:
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            if "update" in form:
                return None, read_only_refusal(
                    "SPARQL Update is refused: this endpoint is read-only"
                )
            queries = form.get("query") or []
            return (queries[0] if queries else None), None
        return None, read_only_refusal(
            f"unsupported content type {kind!r}; send {SPARQL_QUERY} or a form", 415
        )

    async def forward(text: str, accept: str) -> Any:
        return await clients[0].post(
            backend,
            content=text.encode("utf-8"),
            headers={"Content-Type": SPARQL_QUERY, "Accept": accept},
        )

    async def sparql(request: Request) -> Response:
        if request.method == "OPTIONS":
            return cors(Response(status_code=204))
        text, problem = await query_text(request)
        if problem is not None:
            return cors(problem)
        if not text:
            return cors(read_only_refusal("no query given (use ?query= or POST a query)", 400))
        try:
            check_read_only(text, "query", allow_remote=True, hints=False)
        except QueryRefused as error:
            return cors(read_only_refusal(str(error).removeprefix("query: ")))
        except QuerySyntaxError as error:
            return cors(read_only_refusal(str(error).removeprefix("query: "), 400))
        if waiting["count"] >= config.max_waiting:
            return cors(read_only_refusal("server busy; try again shortly", 503))
        waiting["count"] += 1
        try:
            await slots.acquire()
        finally:
            waiting["count"] -= 1
        try:
            answer = await asyncio.wait_for(
                forward(text, request.headers.get("accept", JSON_RESULTS)), config.timeout
            )
        except (asyncio.TimeoutError, httpx.TimeoutException):
            return cors(read_only_refusal(f"query timed out after {config.timeout:g} s", 504))
        except httpx.TransportError as error:
            return cors(read_only_refusal(f"the store is not reachable: {error}", 502))
        finally:
            slots.release()
        headers = {"Content-Type": answer.headers.get("content-type", JSON_RESULTS)}
        return cors(Response(answer.content, status_code=answer.status_code, headers=headers))

    async def home(request: Request) -> Response:
        return PlainTextResponse(
            "spasmkg SPARQL endpoint (read-only). Send queries to /sparql with GET ?query=... "
            f"or POST {SPARQL_QUERY}.\n"
        )

    async def refuse(request: Request) -> Response:
        return read_only_refusal("this endpoint is read-only: only SPARQL queries at /sparql", 405)

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST", "OPTIONS"]),
        Route("/query", sparql, methods=["GET", "POST", "OPTIONS"]),
        Route("/{path:path}", refuse, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


@dataclass
class Server:
    """Oxigraph plus the front, started together and stopped together.

    >>> with Server(nquads) as server:          # doctest: +SKIP
    ...     print(server.url)
    http://127.0.0.1:7878/sparql
    """

    nquads: Path
    host: str = "127.0.0.1"
    port: int = 7878
    config: FrontConfig = field(default_factory=FrontConfig)
    workdir: Path | None = None
    _oxigraph: subprocess.Popen[bytes] | None = None
    _thread: threading.Thread | None = None
    _uvicorn: Any = None
    _tmp: tempfile.TemporaryDirectory[str] | None = None

    @property
    def url(self) -> str:
        """The public SPARQL endpoint."""
        return f"http://{self.host}:{self.port}/sparql"

    def start(self) -> Server:
        """Load the store, start Oxigraph privately and the front publicly; wait until both answer."""
        try:
            import uvicorn
        except ImportError:
            raise missing_extra() from None
        if self.workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="spasmkg-serve-")
            self.workdir = Path(self._tmp.name)
        store = self.workdir / "store"
        load_store(self.nquads, store)
        private = free_port()
        self._oxigraph = start_oxigraph(store, private, self.config.timeout)
        if self.port == 0:
            self.port = free_port(self.host)
        app = make_app(f"http://127.0.0.1:{private}/query", self.config)
        config = uvicorn.Config(
            app, host=self.host, port=self.port, log_level="warning", lifespan="on"
        )
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._uvicorn.run, daemon=True)
        self._thread.start()
        try:
            wait_until_answers(self.url)
        except SpasmKGError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the front, then Oxigraph, and remove the temporary store."""
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._oxigraph is not None and self._oxigraph.poll() is None:
            self._oxigraph.terminate()
            try:
                self._oxigraph.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._oxigraph.kill()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
