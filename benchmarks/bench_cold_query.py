"""A named query in a cold process against `import rdflib` plus a bare parse of the graph.

python benchmarks/bench_cold_query.py --runs 9
"""

from __future__ import annotations

import argparse
import sys

from bench_build import BARE_PARSE
from common import REPO, interleaved_medians, save

QUERY = "diseases-with-spasm"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    spasmkg = [sys.executable, "-m", "spasmkg", "query", QUERY]
    medians = interleaved_medians(
        {
            "python -c 'import rdflib'": [sys.executable, "-c", "import rdflib"],
            "import rdflib + bare parse": [sys.executable, "-c", BARE_PARSE],
            f"spasmkg query {QUERY} (default engine, csv)": [*spasmkg, "-f", "csv"],
            f"spasmkg query {QUERY} (oxigraph, csv)": [
                *spasmkg,
                "-f",
                "csv",
                "--engine",
                "oxigraph",
            ],
            f"spasmkg query {QUERY} (default engine, table)": spasmkg,
        },
        args.runs,
        cwd=REPO,
    )
    baseline = medians["import rdflib + bare parse"]
    save(
        "cold_query",
        {
            "runs": args.runs,
            "process_median_s": {k: round(v, 4) for k, v in medians.items()},
            "ratio_to_import_and_parse": {
                k: round(v / baseline, 2) for k, v in medians.items() if k.startswith("spasmkg")
            },
        },
    )


if __name__ == "__main__":
    main()
