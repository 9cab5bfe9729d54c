"""The walls around a query worker: no network, and no life after the front.

A query the front let through must still reach nothing, so a worker puts up two walls before it
loads the graph, each one checked rather than trusted:

- a network namespace of its own (``unshare(CLONE_NEWNET)``, as root or inside a user namespace
  where the kernel allows one): no interface is up there, so a connection is unreachable;
- a seccomp filter (libseccomp, through ctypes) that makes ``socket()`` and the other calls that
  could open or use a socket fail with EPERM: this one holds where namespaces are refused, as
  under Docker's default seccomp profile.

A worker behind neither wall says so and runs no query: ``spasmkg serve`` then stops at start
with one line that names both reasons (fail closed). The walls are proved by a probe: a
connection to a loopback port must fail with "permission denied" (the filter) or "network
unreachable" (the namespace); a refused or accepted connection means the network is there.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import signal
import socket
from collections.abc import Iterable
from dataclasses import dataclass

PR_SET_PDEATHSIG = 1
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
#: libseccomp's actions and the attribute that applies a filter to every thread.
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_ACT_ERRNO = 0x00050000
SCMP_FLTATR_CTL_TSYNC = 4
#: The calls a worker never needs (it talks over pipes): whatever could open, name or use a
#: socket, and io_uring, which can open sockets without the socket call.
NETWORK_CALLS = (
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "sendto",
    "sendmsg",
    "sendmmsg",
    "io_uring_setup",
)
#: Where the probe knocks: a loopback port; whether anything listens there does not matter.
PROBE = ("127.0.0.1", 9)


@dataclass(frozen=True)
class Walls:
    """Which walls stand around a worker, proved by the probe, and why any is missing."""

    namespace: bool
    seccomp: bool
    problems: tuple[str, ...] = ()

    @property
    def closed(self) -> bool:
        """True when at least one wall stands: no query can reach the network."""
        return self.namespace or self.seccomp

    def describe(self) -> str:
        """The walls in a few words, for the ``ready:`` line."""
        names = [
            n for n, up in (("network namespace", self.namespace), ("seccomp", self.seccomp)) if up
        ]
        return " and ".join(names) or "none"

    def encode(self) -> bytes:
        """The walls as a greeting's payload."""
        return (f"{int(self.namespace)}{int(self.seccomp)}" + "; ".join(self.problems)).encode()

    @classmethod
    def decode(cls, data: bytes) -> Walls:
        """Walls read from a greeting."""
        text = data.decode("utf-8", "replace")
        problems = tuple(p for p in text[2:].split("; ") if p)
        return cls(text[:1] == "1", text[1:2] == "1", problems)


def die_with_parent() -> None:
    """Ask Linux to kill this process when the process that started it dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def probe() -> int:
    """The error a loopback connection meets here (0: it connected)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            return sock.connect_ex(PROBE)
    except OSError as error:
        return error.errno or errno.EPERM


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


def isolate() -> Walls:
    """Put up both walls around this process and prove each with the probe."""
    problems = []
    trouble = network_namespace()
    namespace = not trouble and probe() in (errno.ENETUNREACH, errno.EHOSTUNREACH)
    if trouble or not namespace:
        problems.append(trouble or "the network namespace still reaches the network")
    trouble = deny(NETWORK_CALLS)
    sealed = not trouble and probe() == errno.EPERM
    if trouble or not sealed:
        problems.append(trouble or "the seccomp filter did not stop a socket")
    return Walls(namespace, sealed, tuple(problems))
