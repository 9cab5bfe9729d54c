"""Answers kept for repeated queries, within a byte budget that counts everything they hold.

The served graph never changes, so the same job always has the same answer. An entry is
counted by its answer's body, its media type, and its key: the query text, the Accept list
and the graph IRIs of the request (a 60 KB Accept header once grew the front by a gigabyte
because only bodies were counted). The oldest entries go first beyond the budget.
"""

from __future__ import annotations

from collections import OrderedDict

from spasmkg.serve.protocol import Answer, Job

#: The most the cache holds in all, and the most one entry may hold.
CACHE_BYTES = 64 * 1024 * 1024
CACHE_ENTRY = 1024 * 1024
#: What Python adds to every entry, roughly: the dictionary slot, the answer and its tuple.
OVERHEAD = 400


def cost(job: Job, answer: Answer) -> int:
    """The bytes an entry holds: its key, its answer and the objects around them."""
    return job.size + len(answer.body) + len(answer.content_type) + OVERHEAD


class AnswerCache:
    """Successful answers by job, least recently used first out."""

    def __init__(self, budget: int = CACHE_BYTES, entry_limit: int = CACHE_ENTRY) -> None:
        self.budget = budget
        self.entry_limit = entry_limit
        self.entries: OrderedDict[Job, tuple[Answer, int]] = OrderedDict()
        self.size = 0

    def get(self, job: Job) -> Answer | None:
        """The kept answer of a job, if any (it becomes the most recently used)."""
        found = self.entries.get(job)
        if found is None:
            return None
        self.entries.move_to_end(job)
        return found[0]

    def put(self, job: Job, answer: Answer) -> None:
        """Keep a successful answer that fits; drop the oldest beyond the budget."""
        size = cost(job, answer)
        if answer.status != 200 or size > self.entry_limit or job in self.entries:
            return
        self.entries[job] = (answer, size)
        self.size += size
        while self.size > self.budget:
            _, (_, old) = self.entries.popitem(last=False)
            self.size -= old
