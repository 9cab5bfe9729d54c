"""The query workers as the front sees them: started, watched, stopped and replaced.

Each worker answers one job at a time. A job ends in one of five ways: its answer; its
time-out (504); its client leaving (the worker is asked to cancel and kept if it stops within
a short grace, else killed); the worker passing its memory ceiling (503, checked every
:data:`WATCH_EVERY` seconds from ``/proc``); or the worker dying. A killed worker is replaced
in the background, so the pool keeps its size.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
from typing import Any

from spasmkg.serve.isolation import Walls
from spasmkg.serve.protocol import CANCEL, EXPOSED, READY, Answer, Frames, Job
from spasmkg.serve.worker import MAX_ANSWER, worker_main

log = logging.getLogger(__name__)

#: Seconds between two looks at the memory of the busy workers.
WATCH_EVERY = 0.05
#: Seconds a worker has to stop a cancelled job before it is killed instead.
CANCEL_GRACE = 0.5
#: The memory a worker may hold while it answers, unless the server says otherwise.
MAX_MEMORY = 1024 * 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class WorkerFailed(Exception):
    """A worker could not start, or stands behind no wall."""


class QueryTimedOut(Exception):
    """A query ran past its time-out; its worker was stopped."""


class Worker:
    """One worker process: a pipe for its jobs, a pipe for its answers."""

    def __init__(self, nquads: bytes, prefixes: dict[str, str], cap: int) -> None:
        context = multiprocessing.get_context("spawn")
        job_reader, self.jobs = context.Pipe(duplex=False)
        self.answers, answer_writer = context.Pipe(duplex=False)
        self.process = context.Process(
            target=worker_main,
            args=(job_reader, answer_writer, nquads, prefixes, cap),
            daemon=True,
            name="spasmkg-worker",
        )
        self.process.start()
        job_reader.close()
        answer_writer.close()
        self.frames = Frames()
        self.walls = Walls(False, False)
        self.greeting: asyncio.Future[bytes] | None = None
        self.pending: asyncio.Future[bytes] | None = None

    async def ready(self, loop: asyncio.AbstractEventLoop, limit: float) -> None:
        """Listen to the worker and wait until it has loaded the graph.

        :raises WorkerFailed: it died, or it stands behind no wall.
        """
        self.greeting = loop.create_future()
        loop.add_reader(self.answers.fileno(), self.readable)
        message = await asyncio.wait_for(self.greeting, limit)
        if message.startswith(EXPOSED):
            walls = Walls.decode(message[len(EXPOSED) :])
            raise WorkerFailed(
                "the query workers cannot drop network access here ("
                + "; ".join(walls.problems)
                + "), so serve runs no query; run it where the kernel allows a network "
                "namespace or a seccomp filter (libseccomp)"
            )
        if not message.startswith(READY):
            raise WorkerFailed(
                f"a query worker stopped while loading the graph (exit code {self.process.exitcode})"
            )
        self.walls = Walls.decode(message[len(READY) :])

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

    def cancel(self) -> None:
        """Ask the worker to stop its job (it answers at once, or not at all)."""
        with contextlib.suppress(OSError):
            self.jobs.send_bytes(CANCEL)

    def memory(self) -> int:
        """The bytes the worker holds in memory now (0 once it is gone)."""
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as statm:
                return int(statm.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            return 0

    def kill(self) -> None:
        """Stop the worker now, whatever it is doing."""
        with contextlib.suppress(ValueError, OSError, RuntimeError):
            asyncio.get_running_loop().remove_reader(self.answers.fileno())
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.jobs.close()
        self.answers.close()


class WorkerPool:
    """Workers for the front, each busy with one query at a time."""

    def __init__(
        self,
        nquads: bytes,
        size: int,
        start_limit: float = 120.0,
        prefixes: dict[str, str] | None = None,
        *,
        max_answer: int = MAX_ANSWER,
        max_memory: int = MAX_MEMORY,
    ) -> None:
        self.nquads = nquads
        self.prefixes = dict(prefixes or {})
        self.size = size
        self.start_limit = start_limit
        self.max_answer = max_answer
        self.max_memory = max_memory
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.workers: set[Worker] = set()
        self.replacing: set[asyncio.Task[None]] = set()
        self.busy: dict[Worker, asyncio.Future[None]] = {}
        self.walls = Walls(False, False)
        self.watcher: asyncio.TimerHandle | None = None

    @property
    def isolated(self) -> bool:
        """True when every worker stands behind at least one wall."""
        return self.walls.closed

    def spawn(self) -> Worker:
        """A new worker process (not yet ready)."""
        worker = Worker(self.nquads, self.prefixes, self.max_answer)
        self.workers.add(worker)
        return worker

    async def start(self) -> None:
        """Start every worker and wait until each holds the graph.

        :raises WorkerFailed: a worker died while loading, or stands behind no wall.
        """
        started = [self.spawn() for _ in range(self.size)]
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(w.ready(loop, self.start_limit) for w in started))
        self.walls = Walls(
            all(w.walls.namespace for w in started), all(w.walls.seccomp for w in started)
        )
        for worker in started:
            self.idle.put_nowait(worker)
        self.watch()

    def watch(self) -> None:
        """Look at the memory of every busy worker, and again in a moment."""
        for worker, over in self.busy.items():
            if not over.done() and worker.memory() > self.max_memory:
                over.set_result(None)
        self.watcher = asyncio.get_running_loop().call_later(WATCH_EVERY, self.watch)

    async def replace(self, worker: Worker) -> None:
        """Kill a worker and put a fresh one in its place."""
        worker.kill()
        self.workers.discard(worker)
        fresh = self.spawn()
        try:
            await fresh.ready(asyncio.get_running_loop(), self.start_limit)
        except (asyncio.TimeoutError, asyncio.CancelledError, WorkerFailed):
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

    async def worker_for(self, hung_up: asyncio.Future[Any], timeout: float) -> Worker:
        """An idle worker, unless the client hangs up or the time runs out first.

        :raises QueryTimedOut: no worker was free in time.
        :raises asyncio.CancelledError: the client hung up while the job waited.
        """
        if hung_up.done():
            raise asyncio.CancelledError("the client hung up")
        if not self.idle.empty():
            return await self.idle_worker()
        getting = asyncio.ensure_future(self.idle_worker())
        try:
            done, _ = await asyncio.wait(
                (getting, hung_up), timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            if not getting.done():
                getting.cancel()
        if getting in done:
            worker = getting.result()
            if not hung_up.done():
                return worker
            self.idle.put_nowait(worker)
        if hung_up.done():
            raise asyncio.CancelledError("the client hung up")
        raise QueryTimedOut(f"no query worker was free within {timeout:g} s")

    async def run(self, job: Job, timeout: float, hung_up: asyncio.Future[Any]) -> Answer:
        """Answer a job within ``timeout`` seconds, or stop it when ``hung_up`` completes.

        :raises QueryTimedOut: it ran too long (its worker was stopped).
        :raises asyncio.CancelledError: the client hung up (its query was stopped).
        """
        worker = await self.worker_for(hung_up, timeout)
        try:
            pending = worker.send(job)
        except OSError:
            self.retire(worker)
            return Answer.text(503, "a query worker was restarting; try again")
        over = self.busy[worker] = asyncio.get_running_loop().create_future()
        try:
            done, _ = await asyncio.wait(
                (pending, hung_up, over), timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if pending in done and pending.result():
                self.idle.put_nowait(worker)
                return Answer.decode(pending.result())
            if over in done:
                self.retire(worker)
                return self.over_memory()
            if pending in done:
                self.retire(worker)
                code = worker.process.exitcode
                return Answer.text(
                    500, f"the query stopped its worker (exit {code}); it was restarted"
                )
            await self.stop(worker, pending, over)
        except asyncio.CancelledError:
            self.retire(worker)
            raise
        finally:
            self.busy.pop(worker, None)
        if hung_up in done:
            raise asyncio.CancelledError("the client hung up")
        raise QueryTimedOut(f"query timed out after {timeout:g} s")

    def over_memory(self) -> Answer:
        """The answer to a query that passed the memory ceiling."""
        ceiling = self.max_memory // (1024 * 1024)
        return Answer.text(
            503,
            f"the query needed more than {ceiling} MiB of memory, the most a query worker may "
            "hold (serve --max-memory); it was stopped and its worker replaced",
        )

    async def stop(
        self, worker: Worker, pending: asyncio.Future[bytes], over: asyncio.Future[None]
    ) -> None:
        """Stop a job nobody waits for: keep the worker if it cancels in time, else replace it."""
        worker.cancel()
        done, _ = await asyncio.wait(
            (pending, over), timeout=CANCEL_GRACE, return_when=asyncio.FIRST_COMPLETED
        )
        if pending in done and pending.result():
            self.idle.put_nowait(worker)
        else:
            self.retire(worker)

    def close(self) -> None:
        """Stop every worker."""
        if self.watcher is not None:
            self.watcher.cancel()
        for worker in list(self.workers):
            worker.kill()
        self.workers.clear()
