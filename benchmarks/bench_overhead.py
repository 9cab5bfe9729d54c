"""The cost of spasmkg's query layer over a bare pyoxigraph call, at 1e5 triples.

The layer parses and checks the query (read-only, no SERVICE), binds parameters as typed
terms, runs it, and converts the answer to rdflib terms. Both sides use the same store.

    python benchmarks/bench_overhead.py --triples 1e5 --runs 25
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from common import REPO, save

sys.path.insert(0, str(REPO / "src"))

QUERIES = {
    "causes-of-condition": ("condition", "https://w3id.org/spasmkg/entity/muscle-spasm"),
    "hierarchy": ("root", "https://w3id.org/spasmkg/entity/condition-0"),
    "risk-groups": None,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", default="1e5")
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--work", type=Path, default=Path("/tmp/spasmkg-bench"))
    args = parser.parse_args()
    import pyoxigraph as ox
    from bench_engines import prepare

    from spasmkg.ask.answer import run_query
    from spasmkg.ask.engines import OxigraphEngine
    from spasmkg.ask.library import NamedQuery, library
    from spasmkg.model.paths import data_paths

    nt = prepare(float(args.triples), args.work)
    store = ox.Store()
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    engine = OxigraphEngine(store, union=False)
    named = library(data_paths())
    results = {}
    for name, param in QUERIES.items():
        query: NamedQuery = named[name]
        values = {param[0]: param[1]} if param else {}
        substitutions = {ox.Variable(param[0]): ox.NamedNode(param[1])} if param else {}
        bare, layered = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            answer = engine.store.query(query.text, substitutions=substitutions)
            names = answer.variables
            rows = [tuple(solution[name] for name in names) for solution in answer]
            bare.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = run_query(query, engine, values, lambda term: term)
            layered.append(time.perf_counter() - started)
            assert result.size() == len(rows)
        plain, layered_median = statistics.median(bare), statistics.median(layered)
        results[name] = {
            "rows": len(rows),
            "bare_median_s": round(plain, 5),
            "spasmkg_median_s": round(layered_median, 5),
            "overhead_percent": round(100 * (layered_median - plain) / plain, 1),
        }
    save("overhead", {"triples": int(float(args.triples)), "runs": args.runs, "queries": results})


if __name__ == "__main__":
    main()
