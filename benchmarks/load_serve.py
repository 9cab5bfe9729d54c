"""A bounded loopback load test of ``spasmkg serve``: 8 clients x 1,000 mixed requests.

Starts ``python -m spasmkg serve --port 0`` from a checkout (this one, or ``--repo``, so the
same script measures an older commit), waits for its ``ready:`` line, and sends each client's
requests over one keep-alive connection: repeated and distinct SPARQL queries, pages and RDF
descriptions of resources, a 303, 404s with close names, downloads, refusals (SERVICE, an
update, a syntax error) and HEAD. It reports throughput, p50/p99 latency, unexpected answers
and the resident memory of the front and its workers (sampled every 0.2 s). Every request
goes to 127.0.0.1, the count is fixed, each request has a time-out, and the server is stopped
at the end.

    python benchmarks/load_serve.py --clients 8 --requests 1000 [--repo PATH] [--layer core]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from common import REPO, save

QUERY = (
    "SELECT ?s ?label WHERE { ?s a <https://w3id.org/spasmkg/ontology/Medication> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)


def mix(client: int, number: int) -> tuple[str, str, dict[str, str], str | None, set[int]]:
    """Request ``number`` of a client: method, path, headers, body and the statuses expected
    (the kind of request is ``number % 12``)."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    json_results = {"Accept": "application/sparql-results+json"}
    kind = number % 12
    if kind in (0, 1, 2):
        return (
            "GET",
            "/sparql?" + urllib.parse.urlencode({"query": QUERY}),
            json_results,
            None,
            {200},
        )
    if kind in (3, 4):
        distinct = QUERY.replace("}", f"FILTER(?s != <urn:load:{client}:{number}>) }}")
        body = urllib.parse.urlencode({"query": distinct})
        return "POST", "/sparql", {**form, **json_results}, body, {200}
    if kind == 5:
        return "GET", "/entity/furosemide", {"Accept": "text/html"}, None, {200}
    if kind == 6:
        return "GET", "/entity/furosemide", {"Accept": "text/turtle"}, None, {200}
    if kind == 7:
        return "GET", "/entity/CHEBI:47426", {}, None, {303}
    if kind == 8:
        return "GET", f"/entity/furosemid{client}x{number}", {"Accept": "text/turtle"}, None, {404}
    if kind == 9:
        return "GET", "/", {}, None, {200}
    if kind == 10:
        refused = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
        return "POST", "/sparql", form, urllib.parse.urlencode({"query": refused}), {403}
    return (
        "HEAD",
        "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}),
        {},
        None,
        {200},
    )


def rss_kib(pids: list[int]) -> int:
    """Resident memory of these processes together, in KiB."""
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(found.group(1)) if found else 0
    return total


def family(pid: int) -> list[int]:
    """A process and its descendants."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += family(int(child))
    return found


def start(repo: Path, layer: str) -> tuple[subprocess.Popen[str], int]:
    """``spasmkg serve`` from a checkout on a free port; its process and port once ready."""
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "spasmkg", "serve", "--port", "0", "--layer", layer],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=repo,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 300
    for line in process.stdout:
        found = re.search(r"ready: http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return process, int(found.group(1))
        if time.monotonic() > deadline:
            break
    process.kill()
    sys.exit("the server did not say it was ready")


def run(port: int, clients: int, requests: int, server_pid: int) -> dict[str, object]:
    """Every client's requests; latencies, unexpected answers and memory while they ran."""
    latencies: list[float] = []
    unexpected: dict[str, int] = {}
    lock = threading.Lock()
    memory: list[int] = []
    running = threading.Event()
    running.set()

    def sample() -> None:
        while running.is_set():
            memory.append(rss_kib(family(server_pid)))
            time.sleep(0.2)

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        for step in range(requests):
            method, path, headers, body, expected = mix(number, step)
            started = time.perf_counter()
            try:
                connection.request(method, path, body, headers)
                answer = connection.getresponse()
                answer.read()
                status = answer.status
                if answer.getheader("connection", "") == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__  # type: ignore[assignment]
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - started)
            if status not in expected:
                with lock:
                    key = f"kind {step % 12} ({method} {path.split('?')[0]}) -> {status}"
                    unexpected[key] = unexpected.get(key, 0) + 1
        connection.close()
        with lock:
            latencies.extend(mine)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    before = rss_kib(family(server_pid))
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    running.clear()
    sampler.join()
    after = rss_kib(family(server_pid))
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 2),
        "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 2),
        "errors": sum(unexpected.values()),
        "unexpected": unexpected,
        "rss_mib_before": round(before / 1024, 1),
        "rss_mib_peak": round(max(memory, default=before) / 1024, 1),
        "rss_mib_after": round(after / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=1000, help="requests per client")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout to serve from")
    parser.add_argument("--layer", default="all")
    parser.add_argument("--name", default="load_serve", help="the result file's name")
    args = parser.parse_args()
    process, port = start(args.repo.resolve(), args.layer)
    try:
        report = run(port, args.clients, args.requests, process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    report.update(clients=args.clients, requests_per_client=args.requests, layer=args.layer)
    save(args.name, report)


if __name__ == "__main__":
    main()
