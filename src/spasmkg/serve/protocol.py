"""What the front and a query worker say to each other over their pipes, and the media types
an answer can take.

The front sends a :class:`Job` (or :data:`CANCEL` while one runs); the worker first greets
(:data:`READY` with the walls it stands behind, or :data:`EXPOSED` with why it has none) and then
answers each job with one :class:`Answer`. An event loop may read a pipe in pieces, so
:class:`Frames` puts the messages back together.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from spasmkg.model.formats import RDF_FORMATS, RESULT_FORMATS

#: The result formats a worker writes, by media type: SELECT and ASK, then graphs.
RESULT_TYPES = tuple(f.media_type for f in RESULT_FORMATS.values())
GRAPH_TYPES = tuple(f.media_type for f in RDF_FORMATS.values())
#: The front's word for "stop the job you are running, and keep going".
CANCEL = b"cancel"
#: A worker's greetings: it holds the graph behind these walls, or it has none and stops.
READY = b"ready:"
EXPOSED = b"exposed:"
#: The status of an answer to a job that was cancelled (nobody reads it).
CANCELLED = 499


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

    @property
    def size(self) -> int:
        """About how many bytes the job holds, for the answer cache's count."""
        parts = (self.text, *self.accept, *self.default_graphs, *self.named_graphs)
        return sum(len(part) for part in parts) + 64 * (1 + len(parts))

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

    @classmethod
    def text(cls, status: int, message: str) -> Answer:
        """A one-line plain-text answer."""
        return cls(status, "text/plain", (message.rstrip("\n") + "\n").encode())


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
