"""Throughput of ``spasmkg serve`` against raw ``oxigraph serve-read-only``, side by side.

Both serve the same N-Quads on loopback and answer the same queries from the same clients in
one run, alternating rounds so drifts in machine load hit both alike. Two kinds of load: the
same query text again and again, and a different text for every request (each carries its own
FILTER constant, so no cache of parsed texts can help). The clients are Python threads with
keep-alive connections; where ``wrk`` is installed it is run too, on the repeated text, as a
load generator fast enough not to be the bottleneck.

    python benchmarks/bench_serve.py --requests 800 --clients 8 --rounds 3

With ``--layer`` given more than once (``--layer all --layer all,hpo-movement``), each choice
of layers is served by its own front and raw server, all started together and measured in
alternating rounds, so the ratios of the two graphs are measured side by side; the results go
to ``results/NAME.json`` (``--name``) with a block per choice and the load average.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from common import REPO, save

sys.path.insert(0, str(REPO / "src"))
QUERY = (
    "SELECT ?s ?label WHERE { ?s a <https://w3id.org/spasmkg/ontology/Medication> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)


def distinct(number: int) -> str:
    """The query with a FILTER constant of its own, so every text is new."""
    return QUERY.replace("}", f"FILTER(?s != <urn:spasmkg:bench:{number}>) }}")


def load(url: str, clients: int, requests: int, texts: list[str]) -> dict[str, float]:
    """``requests`` queries from each of ``clients`` threads; throughput, latency, errors."""
    parsed = urllib.parse.urlsplit(url)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client(offset: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        mine = []
        for number in range(requests):
            body = urllib.parse.urlencode(
                {"query": texts[(offset * requests + number) % len(texts)]}
            )
            started = time.perf_counter()
            try:
                connection.request(
                    "POST",
                    parsed.path,
                    body,
                    {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Accept": "application/sparql-results+json",
                    },
                )
                answer = connection.getresponse()
                ok = answer.status == 200 and b'"bindings"' in answer.read()
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            mine.append(time.perf_counter() - started)
            if not ok:
                with lock:
                    errors += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 2),
        "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 2),
        "errors": errors,
    }


#: wrk's script for a new query text on every request.
DISTINCT_LUA = """
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init(args)
  counter = 0
end
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?query=" .. "{head}" .. id .. "-" .. counter .. "{tail}",
                    {{["Accept"] = "application/sparql-results+json"}})
end
"""


def wrk(url: str, seconds: int, clients: int, script: Path | None = None) -> float | None:
    """Requests per second that wrk reaches (None without wrk): the repeated text, or with
    ``script`` a new text each time."""
    if shutil.which("wrk") is None:
        return None
    target = url + ("" if script else "?" + urllib.parse.urlencode({"query": QUERY}))
    options = ["-t2", f"-c{clients}", f"-d{seconds}s"]
    options += ["-H", "Accept: application/sparql-results+json"]
    options += ["-s", str(script)] if script else []
    result = subprocess.run(["wrk", *options, target], capture_output=True, text=True, check=True)
    for line in result.stdout.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    return None


def distinct_script(folder: Path) -> Path:
    """A wrk script that numbers every request's FILTER constant."""
    head, tail = urllib.parse.quote(distinct(-1)).split("-1")  # -1 stands for "id-counter"
    path = folder / "distinct.lua"
    path.write_text(DISTINCT_LUA.format(head=head, tail=tail))
    return path


@contextlib.contextmanager
def in_process_front(nquads: bytes, config: object) -> Iterator[str]:
    """The front with queries answered in its own process: no worker hop, and so neither
    isolation nor a way to stop a query. Not something to serve; a measure of what the hop costs."""
    import pyoxigraph as ox

    from spasmkg.serve import server as serving
    from spasmkg.serve.pool import WorkerPool
    from spasmkg.serve.worker import answer

    class InProcess(WorkerPool):
        async def start(self) -> None:
            self.store = ox.Store()
            self.store.bulk_load(self.nquads, format=ox.RdfFormat.N_QUADS)

        async def run(self, job, timeout, hung_up):  # type: ignore[no-untyped-def]
            return answer(self.store, job)

        def close(self) -> None:
            return None

    real = serving.WorkerPool
    serving.WorkerPool = InProcess  # type: ignore[misc]
    try:
        with serving.Server(nquads, port=0, config=config) as front:  # type: ignore[arg-type]
            yield front.url
    finally:
        serving.WorkerPool = real  # type: ignore[misc]


@contextlib.contextmanager
def raw_oxigraph(nquads: bytes, workdir: Path) -> Iterator[str]:
    """``oxigraph serve-read-only`` on the same data; yields its query URL."""
    from spasmkg.remote.client import wait_for_endpoint
    from spasmkg.serve.server import free_port

    binary = Path(sys.executable).parent / "oxigraph"
    command = str(binary) if binary.exists() else shutil.which("oxigraph")
    if command is None:
        sys.exit("the oxigraph command is needed (pip install -e '.[test]')")
    (workdir / "graph.nq").write_bytes(nquads)
    subprocess.run(
        [
            command,
            "load",
            "--location",
            str(workdir / "store"),
            "--file",
            str(workdir / "graph.nq"),
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            command,
            "serve-read-only",
            "--location",
            str(workdir / "store"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/query"
        wait_for_endpoint(url, still_starting=lambda: process.poll() is None)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def summary(
    runs: dict[str, dict[str, list[dict[str, float]]]], fast: dict[str, dict[str, float | None]]
) -> dict[str, object]:
    """Medians of one served graph's rounds: rates, their ratio, errors, and wrk's rates."""

    def median(name: str, kind: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name][kind])

    report: dict[str, object] = {"runs": runs}
    for kind in ("repeated", "distinct"):
        report[f"{kind}_front_per_s"] = median("front", kind, "per_s")
        report[f"{kind}_raw_per_s"] = median("raw", kind, "per_s")
        report[f"{kind}_ratio"] = round(
            median("front", kind, "per_s") / median("raw", kind, "per_s"), 2
        )
        report[f"{kind}_errors"] = sum(run["errors"] for name in runs for run in runs[name][kind])
        report[f"{kind}_front_p50_p99_ms"] = [
            median("front", kind, "p50_ms"),
            median("front", kind, "p99_ms"),
        ]
    for kind, rates in fast.items():
        front, raw = rates.get("front"), rates.get("raw")
        if front and raw:
            report[f"wrk_{kind}"] = {**rates, "ratio": round(front / raw, 2)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=800, help="queries per client per round")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--wrk-seconds", type=int, default=5)
    parser.add_argument("--layer", action="append", help="layers to serve (repeat to compare)")
    parser.add_argument("--name", default="serve", help="the results file's name")
    args = parser.parse_args()

    import spasmkg
    from spasmkg.outputs.registry import render
    from spasmkg.serve.front import FrontConfig
    from spasmkg.serve.server import Server

    layers = args.layer or ["all"]
    nquads = {layer: render(spasmkg.load(layer=layer), "nquads") for layer in layers}
    repeated = [QUERY]
    fresh = [distinct(n) for n in range(args.requests * args.clients * args.rounds)]
    runs = {
        layer: {name: {"repeated": [], "distinct": []} for name in ("front", "raw")}
        for layer in layers
    }
    fast: dict[str, dict[str, dict[str, float | None]]] = {layer: {} for layer in layers}
    config = FrontConfig(max_concurrency=2, max_per_client=64, max_waiting=256)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as servers:
        urls: dict[str, dict[str, str]] = {}
        for number, layer in enumerate(layers):
            workdir = Path(tmp) / str(number)
            workdir.mkdir()
            raw_url = servers.enter_context(raw_oxigraph(nquads[layer], workdir))
            front = servers.enter_context(Server(nquads[layer], port=0, config=config, workers=2))
            urls[layer] = {"front": front.url, "raw": raw_url}
        for number in range(args.rounds):
            for layer in layers:
                for name, url in urls[layer].items():
                    for kind, texts in (
                        ("repeated", repeated),
                        ("distinct", fresh[number :: args.rounds]),
                    ):
                        runs[layer][name][kind].append(
                            load(url, args.clients, args.requests, texts)
                        )
        script = distinct_script(Path(tmp))
        for layer in layers:
            fast[layer] = {
                kind: {
                    name: wrk(url, args.wrk_seconds, args.clients, extra)
                    for name, url in urls[layer].items()
                }
                for kind, extra in (("repeated", None), ("distinct", script))
            }
            with in_process_front(nquads[layer], config) as ceiling:
                fast[layer]["distinct"]["front without the worker hop"] = wrk(
                    ceiling, args.wrk_seconds, args.clients, script
                )

    common: dict[str, object] = {
        "requests_per_client": args.requests,
        "clients": args.clients,
        "rounds": args.rounds,
        "query": QUERY,
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
    }
    if len(layers) == 1:
        save(args.name, {**common, **summary(runs[layers[0]], fast[layers[0]])})
    else:
        blocks = {layer: summary(runs[layer], fast[layer]) for layer in layers}
        save(args.name, {**common, "layers": blocks})


if __name__ == "__main__":
    main()
