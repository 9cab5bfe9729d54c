"""A cold `spasmkg why` and a cold named query against the floor of a cold question, and
`spasmkg.why()` over the vignettes on a loaded graph (issue 27, section 5).

The floor is a bare Python process that loads the built N-Quads (``spasmkg build``'s
spasmkg.nq) into pyoxigraph and runs one query (the named query's SPARQL). The spasmkg
commands run cold (a fresh process each time) with a compiled cache of their own, filled by
the warm-up run, as a user's second question finds it. All process timings are interleaved,
medians of ``--runs``.

python benchmarks/bench_why.py --runs 9 --dist /tmp/perfdist
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import REPO, environment, interleaved_medians, save

QUERY = "diseases-with-spasm"
FLOOR = """
import sys
import pyoxigraph as ox
store = ox.Store()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
rows = list(store.query(open(sys.argv[2], encoding="utf-8").read(), use_default_graph_as_union=True))
print(len(rows))
"""


def built_quads(dist: Path) -> Path:
    """The N-Quads of a build, built once when missing."""
    quads = dist / "spasmkg.nq"
    if not quads.is_file():
        command = [sys.executable, "-m", "spasmkg", "build", "--out", str(dist)]
        subprocess.run(command, check=True, capture_output=True, cwd=REPO, env=environment())
    return quads


def vignette_timings(passes: int) -> dict[str, Any]:
    """Milliseconds of each ``spasmkg.why()`` call over the vignettes on a loaded graph."""
    sys.path.insert(0, str(REPO / "src"))
    import yaml

    import spasmkg

    kg = spasmkg.load()
    vignettes = yaml.safe_load((REPO / "tests" / "data" / "vignettes.yaml").read_text("utf-8"))
    asked = [
        (v["inputs"]["symptom"], {k: v["inputs"].get(k, []) for k in ("takes", "has", "groups")})
        for v in vignettes
    ]
    spasmkg.why(*asked[0][:1], kg=kg, **asked[0][1])  # the first call builds the records
    times = []
    for _ in range(passes):
        for symptom, inputs in asked:
            started = time.perf_counter()
            spasmkg.why(symptom, kg=kg, **inputs)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "calls": len(times),
        "vignettes": len(asked),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
        "max_ms": round(times[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--passes", type=int, default=3, help="passes over the vignettes")
    parser.add_argument("--dist", type=Path, default=Path("/tmp/perfdist"))
    args = parser.parse_args()
    quads = built_quads(args.dist)
    sparql = REPO / "queries" / f"{QUERY}.rq"
    spasmkg = [sys.executable, "-m", "spasmkg"]
    floor = "floor: python + pyoxigraph load of spasmkg.nq + one query"
    with tempfile.TemporaryDirectory(prefix="bench-why-cache-") as cache:
        os.environ["SPASMKG_CACHE_DIR"] = cache  # environment() passes it on
        medians = interleaved_medians(
            {
                floor: [sys.executable, "-c", FLOOR, str(quads), str(sparql)],
                f"spasmkg query {QUERY} -f csv": [*spasmkg, "query", QUERY, "-f", "csv"],
                "spasmkg why cramps --takes furosemide": [
                    *spasmkg,
                    "why",
                    "cramps",
                    "--takes",
                    "furosemide",
                ],
            },
            args.runs,
            cwd=REPO,
        )
    baseline = medians[floor]
    save(
        "why",
        {
            "runs": args.runs,
            "process_median_s": {k: round(v, 4) for k, v in medians.items()},
            "ratio_to_floor": {
                k: round(v / baseline, 2) for k, v in medians.items() if k.startswith("spasmkg")
            },
            "why_on_loaded_graph": vignette_timings(args.passes),
        },
    )


if __name__ == "__main__":
    main()
