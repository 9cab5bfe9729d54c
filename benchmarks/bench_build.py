"""`spasmkg build` against the bare cost of parsing the same Turtle files with rdflib.

Both are timed as whole processes (median of interleaved runs), and the build is also timed
step by step in one process, to show where the time goes.

    python benchmarks/bench_build.py --runs 9
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, interleaved_medians, save

BARE_PARSE = """
import glob, rdflib
graph = rdflib.Graph()
for path in sorted(glob.glob("ontology/spasmkg.ttl") + glob.glob("graph/*.ttl")):
    graph.parse(path, format="turtle")
"""


def steps() -> dict[str, float]:
    """Seconds spent in each build step, in this process (imports done first)."""
    sys.path.insert(0, str(REPO / "src"))
    import spasmkg.outputs.build as build_module  # noqa: F401  (imports before timing)
    from spasmkg.outputs.build import build

    marks: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        build(Path(out) / "dist", on_step=lambda name: marks.append((name, time.perf_counter())))
        ended = time.perf_counter()
    ends = [t for _, t in marks[1:]] + [ended]
    result = {name: round(end - start, 4) for (name, start), end in zip(marks, ends, strict=True)}
    result["total"] = round(ended - started, 4)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        medians = interleaved_medians(
            {
                "python -c 'import rdflib'": [sys.executable, "-c", "import rdflib"],
                "bare rdflib parse": [sys.executable, "-c", BARE_PARSE],
                "spasmkg build": [
                    sys.executable,
                    "-m",
                    "spasmkg",
                    "-q",
                    "build",
                    "--out",
                    f"{out}/dist",
                ],
            },
            args.runs,
            cwd=REPO,
        )
    build_steps = steps()
    save(
        "build",
        {
            "runs": args.runs,
            "process_median_s": {k: round(v, 4) for k, v in medians.items()},
            "ratio_build_to_bare_parse_process": round(
                medians["spasmkg build"] / medians["bare rdflib parse"], 2
            ),
            "in_process_build_steps_s": build_steps,
        },
    )


if __name__ == "__main__":
    main()
