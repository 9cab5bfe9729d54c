"""What spasmkg asks of the operating system, in one place."""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, NoReturn, TypeVar, cast

T = TypeVar("T")


def process_alive(pid: int) -> bool:
    """True while a process with this ID exists (ours or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Forked(Generic[T]):
    """Work done in a forked copy of this process while the caller goes on: the copy shares the
    caller's loaded graph without copying or pickling it, and hands back a small result.

    Where the system cannot fork (Windows), or while other threads run (the copy would have
    none of them, and a lock one of them held would stay locked in it), the work is done at
    once, in this process. Use it as a context manager, so that a caller who fails before
    asking for the result also ends the copy.
    """

    def __init__(self, work: Callable[[], T]) -> None:
        self.pid = 0
        self.reader = -1
        self.outcome: tuple[bool, Any] | None = None
        if not hasattr(os, "fork") or threading.active_count() > 1:
            self.outcome = run(work)
            return
        reader, writer = os.pipe()
        gc.freeze()  # the copy's collector then leaves the shared objects' pages unwritten
        try:
            pid = os.fork()
        except OSError:  # no process to spare (a limit, or memory): do the work here
            pid = -1
        if pid == 0:  # the copy: do the work, send its outcome, and never return to the caller
            os.close(reader)
            send_and_exit(writer, work)
        gc.unfreeze()
        os.close(writer)
        if pid < 0:
            os.close(reader)
            self.outcome = run(work)
            return
        self.pid, self.reader = pid, reader

    def result(self) -> T:
        """What the work returned, waiting for it; what it raised is raised here."""
        if self.outcome is None:
            reader, self.reader = self.reader, -1  # closed by the reading, however it ends
            with open(reader, "rb") as pipe:
                data = pipe.read()
            os.waitpid(self.pid, 0)
            self.pid = 0
            lost = (False, ChildProcessError("the forked process ended without a result"))
            self.outcome = pickle.loads(data) if data else lost
        succeeded, value = self.outcome
        if not succeeded:
            raise value
        return cast(T, value)

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *_: object) -> None:
        if self.pid:  # the caller stopped before it took the result: end the copy
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0
        if self.reader >= 0:
            os.close(self.reader)
            self.reader = -1


def run(work: Callable[[], T]) -> tuple[bool, Any]:
    """The work's return value, or what it raised, marked with which it is."""
    try:
        return True, work()
    except BaseException as error:  # carried to the caller, who raises it
        return False, error


def send_and_exit(writer: int, work: Callable[[], Any]) -> NoReturn:
    """Do the work in a forked copy, write its outcome to the pipe and end the copy at once
    (no exit handlers, no flushing of buffers the caller owns)."""
    try:
        outcome = run(work)
        try:
            payload = pickle.dumps(outcome)
        except Exception:  # an unpicklable result or error still reaches the caller as text
            payload = pickle.dumps((False, ChildProcessError(repr(outcome[1]))))
        with open(writer, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: loading makes a million objects that live until
    the end, and the collector's passes over them took 0.9 s of a 3.9 s build
    (benchmarks/README.md). Reference counting still frees everything else."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
