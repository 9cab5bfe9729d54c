"""The processes of ``spasmkg serve``: a private, read-only Oxigraph and the public front."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from spasmkg.errors import SpasmKGError
from spasmkg.remote.client import wait_for_endpoint
from spasmkg.serve.front import Front, FrontConfig, missing_extra


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def find_command(name: str) -> str:
    """A console script installed beside this Python (a venv's bin/, even when not activated),
    else on PATH.

    :raises SpasmKGError: neither place has it; the message says where it looked.
    """
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SpasmKGError(
            f"the {name!r} command was found neither in {beside.parent} nor on PATH; "
            "install the 'serve' extra: pip install 'spasmkg[serve]'"
        )
    return found


def load_store(nquads: bytes, location: Path) -> None:
    """Load N-Quads into a new Oxigraph store folder (no server may hold it)."""
    location.mkdir(parents=True, exist_ok=True)
    data = location.parent / "graph.nq"
    data.write_bytes(nquads)
    result = subprocess.run(
        [find_command("oxigraph"), "load", "--location", str(location), "--file", str(data)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    data.unlink()
    if result.returncode != 0:
        raise SpasmKGError(f"oxigraph load failed: {result.stderr.strip().splitlines()[-1:]}")


def start_oxigraph(location: Path, port: int, timeout: float) -> subprocess.Popen[bytes]:
    """Oxigraph serving a store read-only on a private loopback port."""
    process = subprocess.Popen(
        [
            find_command("oxigraph"),
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            str(max(1, int(timeout) + 1)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_endpoint(
        f"http://127.0.0.1:{port}/query", still_starting=lambda: process.poll() is None
    )
    return process


@dataclass
class Server:
    """Oxigraph plus the front, started together and stopped together.

    >>> with Server(nquads) as server:          # doctest: +SKIP
    ...     print(server.url)
    http://127.0.0.1:7878/sparql
    """

    nquads: bytes
    host: str = "127.0.0.1"
    port: int = 7878
    config: FrontConfig = field(default_factory=FrontConfig)
    _oxigraph: subprocess.Popen[bytes] | None = None
    _thread: threading.Thread | None = None
    _uvicorn: Any = None
    _tmp: tempfile.TemporaryDirectory[str] | None = None

    @property
    def url(self) -> str:
        """The public SPARQL endpoint."""
        return f"http://{self.host}:{self.port}/sparql"

    def start(self) -> Server:
        """Load the store, start Oxigraph privately and the front publicly; wait until both answer."""
        try:
            import uvicorn
        except ImportError:
            raise missing_extra() from None
        self._tmp = tempfile.TemporaryDirectory(prefix="spasmkg-serve-")
        store = Path(self._tmp.name) / "store"
        load_store(self.nquads, store)
        private = free_port()
        self._oxigraph = start_oxigraph(store, private, self.config.timeout)
        if self.port == 0:
            self.port = free_port(self.host)
        app = Front(f"http://127.0.0.1:{private}/query", self.config).app()
        config = uvicorn.Config(
            app, host=self.host, port=self.port, log_level="warning", lifespan="on"
        )
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._uvicorn.run, daemon=True)
        self._thread.start()
        try:
            wait_for_endpoint(self.url)
        except SpasmKGError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the front, then Oxigraph, and remove the temporary store."""
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._oxigraph is not None and self._oxigraph.poll() is None:
            self._oxigraph.terminate()
            try:
                self._oxigraph.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._oxigraph.kill()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
