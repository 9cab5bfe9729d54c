"""What spasmkg asks of the operating system, in one place: processes, forks and the
collector, files written whole and their checksums, and the Linux calls made through libc
(an atomic exchange of two paths, the parent-death signal, a network namespace, a seccomp
filter)."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import gc
import hashlib
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, NoReturn, TypeVar, cast

T = TypeVar("T")

AT_FDCWD = -100
RENAME_EXCHANGE = 2
PR_SET_PDEATHSIG = 1
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
#: libseccomp's actions and the attribute that applies a filter to every thread.
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_ACT_ERRNO = 0x00050000
SCMP_FLTATR_CTL_TSYNC = 4


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


def file_sha256(path: Path) -> str:
    """A file's SHA-256 in hex, read in blocks (the files of a build, an import's inputs)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomically(path: Path, text: str) -> None:
    """Replace a file in one step, so an interrupted rewrite never leaves half a file."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step, if the kernel and file system can (Linux 3.15+)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    return bool(result == 0)


def die_with_parent() -> None:
    """Ask Linux to kill this process when the process that started it dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def network_namespace() -> str:
    """Move into a network namespace of its own; empty when done, else why not."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as error:
        return f"no network namespace (libc: {error})"
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return ""
    return f"no network namespace (unshare: {os.strerror(ctypes.get_errno())})"


def deny(calls: Iterable[str], error: int = errno.EPERM) -> str:
    """Install a seccomp filter that makes these system calls fail with ``error`` in this
    process, its threads and everything it starts; empty when done, else why not."""
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return "no seccomp filter (libseccomp is not installed)"
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_void_p,
    ]
    lib.seccomp_attr_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint32]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    context = lib.seccomp_init(SCMP_ACT_ALLOW)
    if not context:
        return "no seccomp filter (seccomp_init failed)"
    try:
        lib.seccomp_attr_set(context, SCMP_FLTATR_CTL_TSYNC, 1)
        for call in calls:
            number = lib.seccomp_syscall_resolve_name(call.encode())
            if number < 0:
                continue  # not a call of this architecture
            action = SCMP_ACT_ERRNO | (error & 0xFFFF)
            if lib.seccomp_rule_add_array(context, action, number, 0, None) < 0:
                return f"no seccomp filter (cannot add a rule for {call})"
        result = lib.seccomp_load(context)
        if result < 0:
            return f"no seccomp filter (seccomp_load: {os.strerror(-result)})"
        return ""
    finally:
        lib.seccomp_release(context)
