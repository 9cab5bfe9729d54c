"""Load test of the served endpoint on loopback: named queries from concurrent clients.

Compares with running `spasmkg query --format csv` as a new process per request, the way
a user without a server would answer the same questions.

    python benchmarks/bench_serve.py --requests 2000 --clients 8
"""

from __future__ import annotations

import argparse
import concurrent.futures
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from common import REPO, environment, save

sys.path.insert(0, str(REPO / "src"))
NAMES = [
    "hierarchy",
    "external-ids",
    "diseases-with-spasm",
    "when-to-seek-care",
    "nutrient-deficiencies",
]


def percentile(values: list[float], share: float) -> float:
    """The value below which a share of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--process-requests", type=int, default=40)
    args = parser.parse_args()

    import spasmkg
    from spasmkg.ask.answer import entity_resolver
    from spasmkg.ask.engines import bound_text
    from spasmkg.ask.library import bind_params, library
    from spasmkg.ask.safety import inspect_query
    from spasmkg.outputs.registry import render
    from spasmkg.serve.front import FrontConfig
    from spasmkg.serve.server import Server

    kg = spasmkg.load()
    named = library(kg.paths)
    texts = []
    for query in (named[name] for name in NAMES):
        bindings = bind_params(query, query.example_params, entity_resolver(kg))
        texts.append(bound_text(inspect_query(query.text), bindings))
    with Server(
        render(kg, "nquads"), port=0, config=FrontConfig(max_concurrency=args.clients)
    ) as server:

        def ask(number: int) -> tuple[float, bool]:
            body = urllib.parse.urlencode({"query": texts[number % len(texts)]}).encode()
            request = urllib.request.Request(
                server.url, data=body, headers={"Accept": "application/sparql-results+json"}
            )
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    ok = response.status == 200 and b'"results"' in response.read()
            except (urllib.error.URLError, TimeoutError):
                ok = False
            return time.perf_counter() - started, ok

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            outcomes = list(pool.map(ask, range(args.requests)))
        elapsed = time.perf_counter() - started
    latencies = [seconds for seconds, _ in outcomes]
    errors = sum(1 for _, ok in outcomes if not ok)

    def one_process(number: int) -> float:
        name = NAMES[number % len(NAMES)]
        command = [sys.executable, "-m", "spasmkg", "query", name, "-f", "csv"]
        for param in named[name].params:
            command += ["-p", f"{param.name}={param.example}"]
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=environment(), cwd=REPO)
        return time.perf_counter() - began

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
        process_latencies = list(pool.map(one_process, range(args.process_requests)))
    process_elapsed = time.perf_counter() - started
    served_rate = args.requests / elapsed
    process_rate = args.process_requests / process_elapsed
    save(
        "serve",
        {
            "requests": args.requests,
            "clients": args.clients,
            "errors": errors,
            "served_throughput_per_s": round(served_rate, 1),
            "served_p50_ms": round(1000 * statistics.median(latencies), 1),
            "served_p99_ms": round(1000 * percentile(latencies, 0.99), 1),
            "process_per_request": {
                "requests": args.process_requests,
                "throughput_per_s": round(process_rate, 2),
                "p50_ms": round(1000 * statistics.median(process_latencies), 1),
            },
            "throughput_ratio_served_to_process": round(served_rate / process_rate, 1),
        },
    )


if __name__ == "__main__":
    main()
