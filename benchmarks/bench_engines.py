"""rdflib vs pyoxigraph on synthetic graphs shaped like spasmkg's, 1e3 to 1e6 triples.

For each size and engine, a fresh worker process loads the graph (N-Triples), then times
three named queries; the parent records load time, peak memory (max RSS) and query times,
and reports medians. A query that runs past the time limit is reported as such.

    python benchmarks/bench_engines.py --sizes 1e3 1e4 1e5 1e6 --runs 3

Results go to benchmarks/results/engines.json; the table is printed as Markdown.
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

QUERIES = {
    "causes-of-condition": {"condition": "https://w3id.org/spasmkg/entity/muscle-spasm"},
    "hierarchy": {"root": "https://w3id.org/spasmkg/entity/condition-0"},
    "risk-groups": {},
}


def prepare(size: float, work: Path) -> Path:
    """Generate the synthetic data folder and its union as N-Triples (cached)."""
    from synthetic import generate

    import spasmkg

    nt = work / f"synthetic-{int(size)}.nt"
    if not nt.exists():
        folder = generate(int(size), work / f"synthetic-{int(size)}")
        started = time.perf_counter()
        kg = spasmkg.load(folder)
        union = kg.union()
        print(
            f"  spasmkg.load of {len(union)} triples: {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        union.serialize(nt, format="nt", encoding="utf-8")
    return nt


class Timeout(Exception):
    """A query ran past its limit."""


def worker(engine_name: str, nt: Path, limit: int) -> dict[str, object]:
    """Load and query in this process; return timings and peak memory."""
    import pyoxigraph as ox
    from rdflib import Graph

    from spasmkg.ask.engines import OxigraphEngine
    from spasmkg.ask.library import library
    from spasmkg.ask.rdflib_engine import RdflibEngine
    from spasmkg.ask.safety import inspect_query
    from spasmkg.model.paths import data_paths

    started = time.perf_counter()
    if engine_name == "rdflib":
        graph = Graph()
        graph.parse(nt, format="nt")
        engine = RdflibEngine(graph)
    else:
        store = ox.Store()
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        engine = OxigraphEngine(store, union=False)
    load = time.perf_counter() - started
    result: dict[str, object] = {"load_s": load, "queries": {}}

    def alarm(*_: object) -> None:
        raise Timeout

    signal.signal(signal.SIGALRM, alarm)
    named = library(data_paths())
    for name, params in QUERIES.items():
        bindings = {k: ox.NamedNode(v) for k, v in params.items()}
        started = time.perf_counter()
        signal.alarm(limit)
        try:
            rows = engine.run(inspect_query(named[name].text), bindings).size()
            result["queries"][name] = {"s": time.perf_counter() - started, "rows": rows}  # type: ignore[index]
        except Timeout:
            result["queries"][name] = {"s": None, "rows": None, "timeout": limit}  # type: ignore[index]
        finally:
            signal.alarm(0)
    result["max_rss_mb"] = peak_memory_mb()
    return result


def peak_memory_mb() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss would include the parent's,
    which Linux carries across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median(values: list[float]) -> float | None:
    """Median of the values that finished."""
    return statistics.median(values) if values else None


def summarise(runs: list[dict[str, object]]) -> dict[str, object]:
    """Medians over runs."""
    summary: dict[str, object] = {
        "runs": len(runs),
        "load_s": median([r["load_s"] for r in runs]),  # type: ignore[misc]
        "max_rss_mb": median([r["max_rss_mb"] for r in runs]),  # type: ignore[misc]
    }
    for name in QUERIES:
        times = [r["queries"][name]["s"] for r in runs if r["queries"][name]["s"] is not None]  # type: ignore[index]
        summary[name] = median(times) if len(times) == len(runs) else None
    return summary


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", default=["1e3", "1e4", "1e5", "1e6"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--runs-slow",
        type=int,
        default=1,
        help="runs of rdflib at 1e6 triples (each takes many minutes)",
    )
    parser.add_argument("--limit", type=int, default=300, help="seconds a query may take")
    parser.add_argument("--work", type=Path, default=Path("/tmp/spasmkg-bench"))
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "NT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]), args.limit)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, object]] = {}
    for size in args.sizes:
        print(f"size {size}", flush=True)
        nt = prepare(float(size), args.work)
        triples = sum(1 for _ in nt.open(encoding="utf-8"))
        for engine in ("rdflib", "oxigraph"):
            runs = []
            count = args.runs_slow if engine == "rdflib" and float(size) >= 1e6 else args.runs
            for _ in range(count):
                out = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--worker",
                        engine,
                        str(nt),
                        "--limit",
                        str(args.limit),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            results[f"{size} {engine}"] = {
                "triples": triples,
                "engine": engine,
                **summarise(runs),
                "raw": runs,
            }
            print(f"  {engine}: {summarise(runs)}", flush=True)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "engines.json").write_text(json.dumps(results, indent=1) + "\n")
    print(table(results))


def cell(value: object) -> str:
    """A timing cell: seconds with three digits, or 'timed out'."""
    return "timed out" if value is None else f"{value:.3f}"


def table(results: dict[str, dict[str, object]]) -> str:
    """Markdown table of medians."""
    lines = [
        "| triples | engine | load s | peak MB | " + " | ".join(f"{q} s" for q in QUERIES) + " |",
        "|---:|---|---:|---:|" + "---:|" * len(QUERIES),
    ]
    for row in results.values():
        lines.append(
            f"| {row['triples']:,} | {row['engine']} | {cell(row['load_s'])} | {row['max_rss_mb']:.0f} | "
            + " | ".join(cell(row[q]) for q in QUERIES)
            + " |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
