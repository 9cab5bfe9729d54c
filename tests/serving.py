"""What the tests of ``spasmkg serve`` share: one request over HTTP, a query that runs too long,
and the serve command as a user starts it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from tests.helpers import REPO

#: A query no server answers within a few seconds (a four-way cross product).
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def http(
    url: str,
    data: bytes | None = None,
    method: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, str, dict[str, str]]:
    """Status, body and headers of one request (errors included)."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def get_url(url: str, text: str) -> tuple[int, str, dict[str, str]]:
    """A query sent by GET."""
    return http(url + "?" + urllib.parse.urlencode({"query": text}))


@contextlib.contextmanager
def serve_command(
    *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``spasmkg serve`` as a user starts it; yields the process and its endpoint (the site's
    address it printed, and /sparql)."""
    environment = env or {**os.environ, "PYTHONPATH": str(REPO / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "spasmkg", "serve", "--port", "0", "--layer", "core", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        if not line.startswith("ready: http://127.0.0.1:"):
            process.kill()
            pytest.fail(f"serve did not print ready: {line!r} {process.communicate()[1]}")
        site = line.split()[1]
        assert site.endswith("/") and f"(endpoint {site}sparql;" in line
        yield process, site + "sparql"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
