"""The walls around the query workers hold where one of them cannot stand, and serve refuses
to run queries where neither can (issue 23: under Docker's default seccomp profile no network
namespace could be made, and a SERVICE that slipped past the front left the machine).

Each test runs Python in a jail: a seccomp filter, installed before anything else, that
refuses the calls a container's profile refuses. It is inherited by every process started
from there, so the workers meet the same refusals.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import REPO, Listener

#: Each test starts serve's query workers, or serve itself, in a jail of its own.
pytestmark = pytest.mark.servers

#: What Docker's default profile refuses an unprivileged container: new namespaces.
NO_NAMESPACES = ("unshare",)
#: A system that allows neither wall: no namespaces, and no seccomp filter either.
NO_WALLS = ("unshare", "seccomp", "prctl")


def jailed(
    refused: tuple[str, ...], *arguments: str, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGUMENTS`` with these system calls refused (EPERM) from the start."""
    launcher = (
        "import os, sys\n"
        "from spasmkg.serve.isolation import deny\n"
        f"problem = deny({list(refused)!r})\n"
        "if problem: sys.exit('cannot build the jail: ' + problem)\n"
        "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])\n"
    )
    return subprocess.run(
        [sys.executable, "-c", launcher, *arguments],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )


POOL_RUN = """
import asyncio, json, sys
import pyoxigraph as ox
from spasmkg.serve.pool import WorkerPool
from spasmkg.serve.protocol import Job

url = sys.argv[1]
nquads = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\\n"

async def main():
    pool = WorkerPool(nquads, 1)
    await pool.start()
    try:
        never = asyncio.get_running_loop().create_future()
        job = Job(f"SELECT * WHERE {{ ?s ?p ?o . SERVICE <{url}> {{ ?a ?b ?c }} }}")
        answer = await pool.run(job, 10.0, never)
    finally:
        pool.close()
    print(json.dumps([pool.walls.describe(), answer.status, answer.body.decode()]))

asyncio.run(main())
"""


def test_without_namespaces_the_seccomp_wall_still_holds() -> None:
    """Where unshare is refused (Docker's default), the filter alone keeps a SERVICE that
    reached a worker from leaving it."""
    listener = Listener()
    try:
        result = jailed(NO_NAMESPACES, "-c", POOL_RUN, listener.url)
        assert result.returncode == 0, result.stderr
        walls, status, body = json.loads(result.stdout.splitlines()[-1])
        assert walls == "seccomp"
        assert status == 500 and "Operation not permitted" in body
        assert listener.requests == []
    finally:
        listener.close()


def test_serve_refuses_to_start_where_no_wall_can_stand() -> None:
    """Fail closed: a worker that cannot drop network access runs no query, and serve stops
    at start with one line that says why (before issue 23 it served, "network not isolated")."""
    result = jailed(NO_WALLS, "-m", "spasmkg", "serve", "--port", "0", "--layer", "core")
    assert result.returncode != 0
    assert "ready:" not in result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(
        "error: the server did not start: the query workers cannot drop network access here"
    )
    assert "no network namespace (unshare: Operation not permitted)" in last
    assert "no seccomp filter" in last
    assert "Traceback" not in result.stderr
