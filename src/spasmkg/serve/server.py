"""The process of ``spasmkg serve``: the front on a socket of its own, and its query workers.

The socket is bound first, so a port that is taken is an error before anything starts (a probe
answered by some other program can never be mistaken for ours). The workers are children of
this process and die with it; nothing is written to disk. SIGINT, SIGTERM and SIGHUP stop the
server cleanly; after SIGKILL the workers are killed by the kernel. Connections that send their
headers too slowly, send too much of them, sit idle, or leave an answer unread are closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import signal
import socket
import threading
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from spasmkg.errors import SpasmKGError, UsageError
from spasmkg.serve.front import Front, FrontConfig
from spasmkg.serve.pool import WorkerPool
from spasmkg.serve.routes import Routes
from spasmkg.version import install_hint

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def missing_web_server() -> SpasmKGError:
    """The error for a web server that is missing though spasmkg depends on it."""
    return UsageError(
        f"serving needs uvicorn, which spasmkg installs with it; install again: {install_hint()}"
    )


def require_web_server() -> None:
    """Fail at once, before a long start, when the web server is not installed.

    :raises SpasmKGError: uvicorn, a dependency of spasmkg, is missing.
    """
    import importlib.util

    if importlib.util.find_spec("uvicorn") is None:
        raise missing_web_server()


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def bind(host: str, port: int) -> socket.socket:
    """A listening socket of our own.

    :raises SpasmKGError: the port is taken, not ours to use, or the host is not an address here.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is in use by another program; choose another --port"
            ) from None
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    return sock


#: The most a request line's target and its headers may hold: longer is 414 or 431.
MAX_TARGET = 512 * 1024
MAX_HEADERS = 16 * 1024


def rejection(status: int, reason: str, message: str) -> bytes:
    """A whole response the protocol sends itself, before any application sees the request."""
    body = f"{message}\n".encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


def guarded_protocol(header_timeout: float, send_timeout: float = 10.0) -> type:
    """uvicorn's HTTP protocol with the guards a public server needs: a deadline for each
    request's headers (slow-loris), caps on the request target and the headers (414, 431, read
    no further), a deadline for a client that leaves an answer unread (its connection is
    dropped, and with it what was waiting to be sent)."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        raise missing_web_server() from None

    class GuardedHttp(HttpToolsProtocol):
        """Closes connections that send too slowly, too much, or read too slowly."""

        header_timer: asyncio.TimerHandle | None = None
        write_timer: asyncio.TimerHandle | None = None
        header_bytes = 0
        oversize: bytes | None = None

        def arm(self) -> None:
            self.disarm()
            self.header_timer = self.loop.call_later(header_timeout, self.too_slow)

        def disarm(self) -> None:
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None

        def too_slow(self) -> None:
            if not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self.arm()

        def data_received(self, data: bytes) -> None:
            if not self.transport.is_closing():
                super().data_received(data)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self.header_bytes, self.oversize = 0, None

        def on_url(self, url: bytes) -> None:
            if len(self.url) + len(url) > MAX_TARGET:
                self.oversize = rejection(
                    414, "URI Too Long", f"the request target is longer than {MAX_TARGET} bytes"
                )
            else:
                super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self.header_bytes += len(name) + len(value)
            if self.header_bytes > MAX_HEADERS:
                self.oversize = self.oversize or rejection(
                    431,
                    "Request Header Fields Too Large",
                    f"the request headers are larger than {MAX_HEADERS} bytes",
                )
            else:
                super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self.disarm()
            if self.oversize is not None:
                self.transport.write(self.oversize)
                self.transport.close()
                return
            super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            if self.oversize is None:
                super().on_body(body)

        def on_message_complete(self) -> None:
            if self.oversize is None:
                super().on_message_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self.arm()

        def pause_writing(self) -> None:
            super().pause_writing()
            if self.write_timer is None:
                self.write_timer = self.loop.call_later(send_timeout, self.transport.abort)

        def resume_writing(self) -> None:
            if self.write_timer is not None:
                self.write_timer.cancel()
                self.write_timer = None
            super().resume_writing()

        def connection_lost(self, exc: Exception | None) -> None:
            self.disarm()
            if self.write_timer is not None:
                self.write_timer.cancel()
            super().connection_lost(exc)

    return GuardedHttp


def event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's event loop where it is installed, else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


@dataclass
class Server:
    """The front and its workers, started together and stopped together.

    >>> with Server(nquads) as server:          # doctest: +SKIP
    ...     print(server.url)
    http://127.0.0.1:7878/sparql
    """

    nquads: bytes
    host: str = "127.0.0.1"
    port: int = 7878
    config: FrontConfig = field(default_factory=FrontConfig)
    workers: int = 2
    isolated: bool = False
    #: the walls around the workers once started ("network namespace and seccomp")
    walls: str = "none"
    #: the site's pages (none: the endpoint alone, with a one-line home)
    routes: Routes | None = None
    #: the prefixes of Turtle answers
    prefixes: dict[str, str] = field(default_factory=dict)
    #: a socket bound already (see :func:`bind`), so a taken port fails before a long start
    sock: socket.socket | None = None
    _uvicorn: Any = None
    _pool: WorkerPool | None = None
    _front: Front | None = None
    _thread: threading.Thread | None = None
    _failure: BaseException | None = None

    @property
    def base(self) -> str:
        """The server's address, for the home page and the site's links."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The public SPARQL endpoint."""
        return f"{self.base}/sparql"

    def prepare(self) -> tuple[socket.socket, Coroutine[Any, Any, None]]:
        """Bind the socket and make the coroutine that serves on it."""
        try:
            import uvicorn
        except ImportError:
            raise missing_web_server() from None
        sock = self.sock or bind(self.host, self.port)
        self.port = int(sock.getsockname()[1])
        pool = self._pool = WorkerPool(
            self.nquads,
            self.workers,
            prefixes=self.prefixes,
            max_answer=self.config.max_answer,
            max_memory=self.config.max_memory,
        )
        front = self._front = Front(pool, self.config, self.routes)
        config = uvicorn.Config(
            front,
            log_level="warning",
            lifespan="on",
            http=guarded_protocol(self.config.header_timeout, self.config.send_timeout),
            timeout_keep_alive=self.config.keep_alive,
        )

        class Quiet(uvicorn.Server):
            """uvicorn, without its own signal handling (this server stops on SIGHUP too)."""

            @contextlib.contextmanager
            def capture_signals(self) -> Iterator[None]:
                yield

        self._uvicorn = Quiet(config)

        async def serve() -> None:
            try:
                await front.start()  # workers hold the graph before the socket serves a request
                if not front.startup_error:
                    await self._uvicorn.serve(sockets=[sock])
            finally:
                front.close()
                sock.close()

        return sock, serve()

    def run(self, on_ready: Callable[[Server], None]) -> None:
        """Serve in this thread until stopped; call ``on_ready`` once ready.

        In the main thread, SIGINT, SIGTERM and SIGHUP stop it cleanly.
        """
        _, serving = self.prepare()
        loop = event_loop()
        signals = STOP_SIGNALS if threading.current_thread() is threading.main_thread() else ()
        for number in signals:
            loop.add_signal_handler(number, self.request_stop)
        watcher = loop.create_task(self.announce(on_ready))
        try:
            loop.run_until_complete(serving)
        finally:
            watcher.cancel()
            loop.run_until_complete(asyncio.gather(watcher, return_exceptions=True))
            for number in signals:
                loop.remove_signal_handler(number)
            loop.close()
        if not self._uvicorn.started:
            reason = self._front.startup_error if self._front else ""
            raise SpasmKGError(f"the server did not start: {reason or 'see the log above'}")

    async def announce(self, on_ready: Callable[[Server], None]) -> None:
        """Call ``on_ready`` when uvicorn has started and the workers hold the graph."""
        while not self._uvicorn.started:
            if self._uvicorn.should_exit:
                return
            await asyncio.sleep(0.01)
        self.isolated = bool(self._pool and self._pool.isolated)
        self.walls = self._pool.walls.describe() if self._pool else "none"
        on_ready(self)

    def request_stop(self) -> None:
        """Begin a clean stop."""
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True

    def start(self) -> Server:
        """Serve from a background thread (for tests and notebooks); return once ready."""
        ready = threading.Event()

        def background() -> None:
            try:
                self.run(lambda _: ready.set())
            except BaseException as error:  # handed to the thread that called start()
                self._failure = error
            finally:
                ready.set()

        self._thread = threading.Thread(target=background, daemon=True, name="spasmkg-serve")
        self._thread.start()
        ready.wait()
        if self._failure is not None:
            raise self._failure
        return self

    def stop(self) -> None:
        """Stop the front and its workers and wait for them."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
