"""One push at a time per target graph, with the lock kept in the store itself.

For each named graph it replaces (its target), a push records the target and its staging
graph in a small named graph, :data:`PUSHES`; that record is the target's lock. A push takes
the locks of its targets one by one in the order of their IRIs, so two pushes never each hold
a lock the other waits for. Taking a lock is one SPARQL Update that inserts only when no
other push holds the target, which the stores ``push`` supports run atomically. A lock older
than its lease belongs to a push that died: the next push takes it over.

A record in the store proves nothing (anyone who may write the store may write one, naming any
graph), so a push drops only staging graphs whose name carries a token this process made:
its own, and those of pushes of this process that died. The staging graph of a push that died
elsewhere is left in the store and named in a message.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Protocol

from spasmkg.errors import EndpointError
from spasmkg.system import process_alive

PUSHES = "https://w3id.org/spasmkg/graph/pushes"
TERMS = "https://w3id.org/spasmkg/push/"
#: Seconds after which a lock is taken to belong to a push that died.
LEASE = 900.0
#: The staging graphs of the pushes this process is running now.
ACTIVE: set[str] = set()
#: The staging graphs this process made (each named by a token it drew) and has not dropped.
CREATED: set[str] = set()


def staging_graph(target: str) -> str:
    """A new staging graph for a target, named by a random token this process keeps."""
    name = f"{target.rstrip('/')}/staging-{secrets.token_hex(16)}"
    CREATED.add(name)
    return name


def drop(store: Store, stagings: Collection[str], what: str) -> list[str]:
    """Drop the staging graphs this process made, in one update; refuse any other. The ones
    dropped."""
    mine = [staging for staging in stagings if staging in CREATED]
    if mine:
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{staging}>" for staging in mine), what)
        CREATED.difference_update(mine)
    return mine


class Store(Protocol):
    """What the lock needs of a graph store."""

    def select(self, query: str, what: str) -> list[dict[str, dict[str, str]]]: ...

    def update(self, text: str, what: str) -> None: ...


def now() -> str:
    """The time as an xsd:dateTime literal's text."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def me() -> str:
    """Who holds a lock: this machine and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Holder:
    """The push that holds a target: its staging graph, start time and process."""

    staging: str
    since: str
    by: str

    def dead(self, lease: float) -> bool:
        """True when the push is known to have stopped: its lease ran out, or it ran on this
        machine and its process is gone."""
        if self.by == me():
            return self.staging not in ACTIVE
        host, _, pid = self.by.rpartition(":")
        if host == socket.gethostname() and pid.isdigit() and not process_alive(int(pid)):
            return True
        return age(self.since) > lease


def holder(store: Store, target: str) -> Holder | None:
    """The push that holds a target, if any."""
    rows = store.select(
        f"SELECT ?staging ?since ?by WHERE {{ GRAPH <{PUSHES}> {{ ?staging <{TERMS}locks> <{target}> ; "
        f"<{TERMS}since> ?since ; <{TERMS}by> ?by }} }} ORDER BY ?since LIMIT 1",
        "looking for another push to the same graph",
    )
    if not rows:
        return None
    return Holder(rows[0]["staging"]["value"], rows[0]["since"]["value"], rows[0]["by"]["value"])


def age(since: str) -> float:
    """Seconds since a recorded start time (a lock with a bad time counts as stale)."""
    try:
        started = datetime.fromisoformat(since)
    except ValueError:
        return float("inf")
    return (datetime.now(timezone.utc) - started).total_seconds()


def acquire(
    store: Store,
    target: str,
    staging: str,
    *,
    wait: float,
    lease: float = LEASE,
    poll: float = 0.5,
    on_wait: Callable[[str], None] = lambda _: None,
) -> None:
    """Hold the target for this push, waiting up to ``wait`` seconds for another push.

    :raises EndpointError: another live push still holds the target after ``wait`` seconds.
    """
    deadline = time.monotonic() + wait
    while True:
        store.update(
            f'INSERT {{ GRAPH <{PUSHES}> {{ <{staging}> <{TERMS}locks> <{target}> ; <{TERMS}since> "{now()}" ; '
            f'<{TERMS}by> "{me()}" }} }} '
            f"WHERE {{ FILTER NOT EXISTS {{ GRAPH <{PUSHES}> {{ ?other <{TERMS}locks> <{target}> }} }} }}",
            "taking the lock on the target graph",
        )
        held = holder(store, target)
        if held is not None and held.staging == staging:
            ACTIVE.add(staging)
            return
        if held is not None and held.dead(lease):
            on_wait(f"taking over from a push that stopped ({held.by}, {held.since})")
            release(store, [held.staging])
            if not drop(store, [held.staging], "dropping the staging graph of a push that died"):
                on_wait(
                    f"left <{held.staging}> in the store: no push of this process made it; "
                    "drop it yourself if it is a leftover"
                )
            continue
        if time.monotonic() > deadline:
            if held is None:
                raise EndpointError(f"the store did not record the lock on <{target}>")
            raise EndpointError(
                f"another push to <{target}> has been running since {held.since} ({held.by}, "
                f"staging graph <{held.staging}>); try again when it is done"
            )
        if held is not None:
            on_wait(f"waiting for another push to <{target}> ({held.by}, since {held.since})")
        time.sleep(poll)


def release(store: Store, stagings: Collection[str]) -> None:
    """Remove the records of pushes, which frees their targets, in one update."""
    ACTIVE.difference_update(stagings)
    store.update(
        " ;\n".join(
            f"DELETE WHERE {{ GRAPH <{PUSHES}> {{ <{staging}> ?p ?o }} }}" for staging in stagings
        ),
        "releasing the lock",
    )
