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

import errno
import socket
from dataclasses import dataclass

from spasmkg.system import deny, network_namespace

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


def probe() -> int:
    """The error a loopback connection meets here (0: it connected)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            return sock.connect_ex(PROBE)
    except OSError as error:
        return error.errno or errno.EPERM


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
