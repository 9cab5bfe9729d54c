"""Real SPARQL servers for the tests: a writable Oxigraph and a Virtuoso instance, on loopback."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from spasmkg.remote.client import wait_for_endpoint
from spasmkg.serve.server import free_port

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def find_command(name: str) -> str:
    """A console script beside the Python running the tests (a venv that is not activated),
    else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is neither in {beside.parent} nor on PATH: pip install -e '.[test]'")
    return found


@contextmanager
def oxigraph_server(workdir: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A writable Oxigraph server started as its manual says (``oxigraph serve``, whose default
    graph is its own, not the union of the named graphs); yields its base URL and process."""
    binary = find_command("oxigraph")
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(workdir), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_endpoint(
            f"http://127.0.0.1:{port}/query", still_starting=lambda: process.poll() is None
        )
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def oxigraph_store(workdir: Path) -> Iterator[str]:
    """A writable Oxigraph server (see :func:`oxigraph_server`); yields its base URL."""
    with oxigraph_server(workdir) as (base, _):
        yield base


def virtuoso_missing() -> str | None:
    """Why Virtuoso cannot run here, or None."""
    if shutil.which("virtuoso-t") is None or not VIRTUOSO_INI.exists():
        return "Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run does)"
    return None


@contextmanager
def virtuoso_store(workdir: Path) -> Iterator[str]:
    """Our own Virtuoso instance from a copied virtuoso.ini, bound to loopback; yields its base URL.

    A new database starts with the DBA account dba/dba.
    """
    reason = virtuoso_missing()
    if reason:
        if os.environ.get("SPASMKG_REQUIRE_VIRTUOSO"):
            pytest.fail(reason)
        pytest.skip(reason)
    workdir.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    text = VIRTUOSO_INI.read_text().replace("/var/lib/virtuoso-opensource-7/db/", f"{workdir}/")
    text = re.sub(r"(?m)^ServerPort\s*=\s*1111\s*$", f"ServerPort = 127.0.0.1:{sql_port}", text)
    text = re.sub(r"(?m)^ServerPort\s*=\s*8890\s*$", f"ServerPort = 127.0.0.1:{http_port}", text)
    ini = workdir / "virtuoso.ini"
    ini.write_text(text)
    subprocess.run(
        ["virtuoso-t", "+configfile", str(ini), "+wait"],
        cwd=workdir,
        check=True,
        timeout=120,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_for_endpoint(base + "/sparql")
        yield base
    finally:
        match = (
            re.search(r"VIRT_PID=(\d+)", (workdir / "virtuoso.lck").read_text())
            if (workdir / "virtuoso.lck").exists()
            else None
        )
        if match:
            os.kill(int(match.group(1)), signal.SIGTERM)
            for _ in range(100):
                if not (workdir / "virtuoso.lck").exists():
                    break
                time.sleep(0.1)
