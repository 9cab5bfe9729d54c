"""The query workers of ``spasmkg serve``: processes that hold the graph and answer queries.

Each worker keeps the graph in an in-memory pyoxigraph store and talks to the front over a
pipe: no port, so there is no endpoint anyone could reach without the front's checks, and no
temporary store on disk. A worker dies with the front (``PR_SET_PDEATHSIG``), runs without a
network where the kernel allows it (a new network namespace: a SERVICE clause that slipped
past the checks would reach nothing), and is killed and replaced when its query overruns or
its client hangs up — the only way to stop a query that is still running.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import multiprocessing
import os
import re
import signal
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
#: Where Oxigraph says a syntax error is: "error at LINE:COLUMN: what it expected".
POSITION = re.compile(r"error at (?P<line>\d+):(?P<column>\d+): (?P<rest>.*)", re.DOTALL)
#: The result formats a worker writes, by media type: SELECT and ASK, then graphs.
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
GRAPH_TYPES = (
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/n-quads",
    "application/trig",
)


@dataclass(frozen=True)
class Job:
    """One checked query for a worker, with the dataset and the answer's media types."""

    text: str
    accept: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    names_graphs: bool = False

    @property
    def union(self) -> bool:
        """Whether the default graph is the union: unless the query or the request names one."""
        return not (self.default_graphs or self.names_graphs)

    def encode(self) -> bytes:
        """The job as bytes for the pipe."""
        fields = [self.text, self.accept, self.default_graphs, self.named_graphs, self.names_graphs]
        return json.dumps(fields).encode("utf-8")

    @classmethod
    def decode(cls, data: bytes) -> Job:
        """A job read from the pipe."""
        text, accept, default_graphs, named_graphs, names_graphs = json.loads(data)
        return cls(text, tuple(accept), tuple(default_graphs), tuple(named_graphs), names_graphs)


@dataclass(frozen=True)
class Answer:
    """What a worker answers: an HTTP status, a media type and a body."""

    status: int
    content_type: str
    body: bytes

    def encode(self) -> bytes:
        """The answer as bytes for the pipe."""
        kind = self.content_type.encode("ascii")
        return self.status.to_bytes(2, "big") + bytes([len(kind)]) + kind + self.body

    @classmethod
    def decode(cls, data: bytes) -> Answer:
        """An answer read from the pipe."""
        size = data[2]
        return cls(int.from_bytes(data[:2], "big"), data[3 : 3 + size].decode(), data[3 + size :])


def choose(accept: Sequence[str], offered: Sequence[str]) -> str | None:
    """The first offered media type the client accepts (none given, or ``*/*``: the first)."""
    if not accept:
        return offered[0]
    for wanted in accept:
        if wanted in offered:
            return wanted
        if wanted in ("*/*", "application/*", "text/*"):
            family = wanted.partition("/")[0]
            return next((o for o in offered if family == "*" or o.startswith(family)), None)
    return None


def answer(store: Any, job: Job, prefixes: dict[str, str] | None = None) -> Answer:
    """Run a query on the store and write its result in the format the client asked for
    (Turtle with the graph's prefixes)."""
    import pyoxigraph as ox

    try:
        result = store.query(
            job.text,
            use_default_graph_as_union=job.union,
            default_graph=[ox.NamedNode(g) for g in job.default_graphs] or None,
            named_graphs=[ox.NamedNode(g) for g in job.named_graphs] or None,
        )
    except SyntaxError as error:
        where = POSITION.match(str(error))
        message = (
            f"SPARQL syntax error at line {where['line']}, column {where['column']}: {where['rest']}"
            if where
            else f"SPARQL syntax error: {error}"
        )
        return Answer(400, "text/plain", f"{message}\n".encode())
    except (OSError, ValueError, RuntimeError) as error:
        return Answer(500, "text/plain", f"the query failed: {error}\n".encode())
    offered = GRAPH_TYPES if isinstance(result, ox.QueryTriples) else RESULT_TYPES
    media_type = choose(job.accept, offered)
    if media_type is None:
        message = f"cannot answer in {', '.join(job.accept)}; this query gives {', '.join(offered)}"
        return Answer(406, "text/plain", (message + "\n").encode())
    try:  # results are computed while they are written, so evaluation errors surface here
        if isinstance(result, ox.QueryTriples):
            form = ox.RdfFormat.from_media_type(media_type)
            short = prefixes if form == ox.RdfFormat.TURTLE else None
            body = ox.serialize(result, format=form, prefixes=short)
        else:
            body = result.serialize(format=ox.QueryResultsFormat.from_media_type(media_type))
    except (OSError, ValueError, RuntimeError, SyntaxError) as error:
        return Answer(500, "text/plain", f"the query failed: {error}\n".encode())
    return Answer(200, media_type, bytes(body or b""))


def die_with_parent() -> None:
    """Ask Linux to kill this process when the process that started it dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def isolate_network() -> bool:
    """Move this process into a network namespace of its own, with no way out.

    Works as root, or for any user where the kernel allows unprivileged user namespaces.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))


def worker_main(
    jobs: Connection, answers: Connection, nquads: bytes, prefixes: dict[str, str]
) -> None:
    """A worker's life: load the graph, say how it is isolated, then answer jobs until told."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the front decides when workers stop
    isolated = isolate_network()
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    answers.send_bytes(b"ready isolated" if isolated else b"ready")
    while True:
        try:
            job = Job.decode(jobs.recv_bytes())
        except (EOFError, OSError):
            return
        try:
            reply = answer(store, job, prefixes)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # a panic in the engine (pyo3 raises BaseException)
            reply = Answer(
                500, "text/plain", f"the query failed: {type(error).__name__}: {error}\n".encode()
            )
        answers.send_bytes(reply.encode())


class Frames:
    """Reassembles the messages of a pipe the event loop reads without blocking.

    An event loop may switch a pipe it watches to non-blocking mode (uvloop does), so a
    message can arrive in pieces; ``Connection.recv_bytes`` cannot be used there.
    """

    def __init__(self) -> None:
        self.buffer = bytearray()

    def feed(self, chunk: bytes) -> list[bytes]:
        """Add what was read; return every message now complete."""
        self.buffer += chunk
        messages = []
        while len(self.buffer) >= 4:
            (size,) = struct.unpack("!i", self.buffer[:4])
            start = 4
            if size == -1:  # multiprocessing's header for messages over 2 GiB
                if len(self.buffer) < 12:
                    break
                (size,) = struct.unpack("!Q", self.buffer[4:12])
                start = 12
            if len(self.buffer) < start + size:
                break
            messages.append(bytes(self.buffer[start : start + size]))
            del self.buffer[: start + size]
        return messages


class Worker:
    """One worker process: a pipe for its jobs, a pipe for its answers."""

    def __init__(self, nquads: bytes, prefixes: dict[str, str]) -> None:
        context = multiprocessing.get_context("spawn")
        job_reader, self.jobs = context.Pipe(duplex=False)
        self.answers, answer_writer = context.Pipe(duplex=False)
        self.process = context.Process(
            target=worker_main,
            args=(job_reader, answer_writer, nquads, prefixes),
            daemon=True,
            name="spasmkg-worker",
        )
        self.process.start()
        job_reader.close()
        answer_writer.close()
        self.frames = Frames()
        self.isolated = False
        self.greeting: asyncio.Future[bytes] | None = None
        self.pending: asyncio.Future[bytes] | None = None

    async def ready(self, loop: asyncio.AbstractEventLoop, limit: float) -> None:
        """Listen to the worker and wait until it has loaded the graph."""
        self.greeting = loop.create_future()
        loop.add_reader(self.answers.fileno(), self.readable)
        message = await asyncio.wait_for(self.greeting, limit)
        if not message.startswith(b"ready"):
            raise WorkerFailed(
                f"a query worker stopped while loading the graph (exit code {self.process.exitcode})"
            )
        self.isolated = message == b"ready isolated"

    def readable(self) -> None:
        """The worker wrote (or died): pass each whole message to whoever waits for it."""
        try:
            chunk = os.read(self.answers.fileno(), 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:  # the worker died: wake everyone who waits with an empty message
            asyncio.get_running_loop().remove_reader(self.answers.fileno())
            self.deliver(b"")
            return
        for message in self.frames.feed(chunk):
            self.deliver(message)

    def deliver(self, message: bytes) -> None:
        """Hand one message to the greeting or the pending job."""
        waiting = self.greeting if self.greeting is not None else self.pending
        if self.greeting is not None:
            self.greeting = None
        else:
            self.pending = None
        if waiting is not None and not waiting.done():
            waiting.set_result(message)

    def send(self, job: Job) -> asyncio.Future[bytes]:
        """Give the worker a job; the future gets its answer."""
        self.pending = asyncio.get_running_loop().create_future()
        self.jobs.send_bytes(job.encode())
        return self.pending

    def kill(self) -> None:
        """Stop the worker now, whatever it is doing."""
        with contextlib.suppress(ValueError, OSError, RuntimeError):
            asyncio.get_running_loop().remove_reader(self.answers.fileno())
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.jobs.close()
        self.answers.close()


class WorkerFailed(Exception):
    """A worker could not start."""


class QueryTimedOut(Exception):
    """A query ran past its time-out; its worker was replaced."""


class WorkerPool:
    """Workers for the front, each busy with one query at a time."""

    def __init__(
        self,
        nquads: bytes,
        size: int,
        start_limit: float = 120.0,
        prefixes: dict[str, str] | None = None,
    ) -> None:
        self.nquads = nquads
        self.prefixes = dict(prefixes or {})
        self.size = size
        self.start_limit = start_limit
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.workers: set[Worker] = set()
        self.replacing: set[asyncio.Task[None]] = set()
        self.isolated = False

    async def start(self) -> None:
        """Start every worker and wait until each holds the graph."""
        started = [Worker(self.nquads, self.prefixes) for _ in range(self.size)]
        self.workers.update(started)
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(w.ready(loop, self.start_limit) for w in started))
        self.isolated = all(w.isolated for w in started)
        for worker in started:
            self.idle.put_nowait(worker)

    async def replace(self, worker: Worker) -> None:
        """Kill a worker and put a fresh one in its place."""
        worker.kill()
        self.workers.discard(worker)
        fresh = Worker(self.nquads, self.prefixes)
        self.workers.add(fresh)
        try:
            await fresh.ready(asyncio.get_running_loop(), self.start_limit)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            fresh.kill()
            self.workers.discard(fresh)
            raise
        self.idle.put_nowait(fresh)

    def retire(self, worker: Worker) -> None:
        """Replace a worker in the background (the task is kept until it is done)."""
        task = asyncio.ensure_future(self.replace(worker))
        self.replacing.add(task)
        task.add_done_callback(self.replacing.discard)

    async def idle_worker(self) -> Worker:
        """Wait for an idle worker (not one that died while idle)."""
        while True:
            worker = await self.idle.get()
            if worker.process.is_alive():
                return worker
            self.retire(worker)

    async def run(self, job: Job, timeout: float, hung_up: asyncio.Future[Any]) -> Answer:
        """Answer a job within ``timeout`` seconds, or stop it when ``hung_up`` completes.

        :raises QueryTimedOut: it ran too long (its worker was replaced).
        :raises asyncio.CancelledError: the client hung up (its worker was replaced).
        """
        worker = await self.idle_worker()
        try:
            pending = worker.send(job)
        except OSError:
            self.retire(worker)
            return Answer(503, "text/plain", b"a query worker was restarting; try again\n")
        try:
            futures: set[asyncio.Future[Any]] = {pending, hung_up}
            done, _ = await asyncio.wait(
                futures, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        except asyncio.CancelledError:
            self.retire(worker)
            raise
        if pending in done and pending.result():
            self.idle.put_nowait(worker)
            return Answer.decode(pending.result())
        self.retire(worker)
        if pending in done:
            code = worker.process.exitcode
            return Answer(
                500,
                "text/plain",
                f"the query stopped its worker (exit {code}); it was restarted\n".encode(),
            )
        if hung_up in done:
            raise asyncio.CancelledError("the client hung up")
        raise QueryTimedOut(f"query timed out after {timeout:g} s")

    def close(self) -> None:
        """Stop every worker."""
        for worker in list(self.workers):
            worker.kill()
        self.workers.clear()
