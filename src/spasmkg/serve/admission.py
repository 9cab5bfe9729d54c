"""Who may have a query run, and when: a slot per worker, a bounded queue, a cap per client.

A request that would wait beyond the queue gets 503, one from a client with too many queries
in flight gets 429; the rest wait their turn for a slot.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from spasmkg.serve.request import Refused


class Admission:
    """Slots for running queries, a queue for waiting ones, and a count per client."""

    def __init__(self, slots: int, max_waiting: int, max_per_client: int) -> None:
        self.slots = asyncio.Semaphore(slots)
        self.max_waiting = max_waiting
        self.max_per_client = max_per_client
        self.waiting = 0
        self.per_client: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def admitted(self, client: str) -> AsyncIterator[None]:
        """Hold a slot for one of the client's queries, after waiting for it in the queue.

        :raises Refused: the queue is full (503), or the client has too many queries (429).
        """
        if self.waiting >= self.max_waiting:
            raise Refused(503, "server busy; try again shortly")
        if self.per_client.get(client, 0) >= self.max_per_client:
            raise Refused(429, f"more than {self.max_per_client} queries at once from one client")
        self.per_client[client] = self.per_client.get(client, 0) + 1
        self.waiting += 1
        queued = True
        try:
            async with self.slots:
                self.waiting -= 1
                queued = False
                yield
        finally:
            if queued:
                self.waiting -= 1
            self.per_client[client] -= 1
            if not self.per_client[client]:
                del self.per_client[client]
