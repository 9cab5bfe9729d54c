"""What the imported HPO layer costs: the same commands on the core alone and with the layer.

python benchmarks/bench_layers.py --runs 5

Side by side in one run, interleaved: a bare rdflib parse of the core files and of the core with
graph/imports/; ``spasmkg build`` (which always takes every layer), and the same build with
its validation kept in the process; a cold named query (a new
process, answering from the compiled graph the warm-up run left, and with ``--no-cache`` from
the files) and the page with ``--layer core`` and ``--layer all``. Wall-clock medians, the median
peak resident memory of each process and its median CPU time (both from ``wait4``, which counts
the children a process waited for: a build's forked validation).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from common import REPO, environment, save

PARSE = """
import glob, rdflib
graph = rdflib.Graph()
for path in sorted(glob.glob("ontology/spasmkg.ttl") + glob.glob("graph/*.ttl"){extra}):
    graph.parse(path, format="turtle")
"""
QUERY = "causes-of-condition"
#: ``spasmkg build`` with one more thread alive, so that its validation runs in the process
#: itself rather than in a forked copy (spasmkg.system.Forked): what the second core buys
ONE_PROCESS_BUILD = """
import sys, threading
threading.Thread(target=threading.Event().wait, daemon=True).start()
from spasmkg.cli import main
sys.argv = ["spasmkg", "-q", "build", "--out", {out!r}]
main()
"""


def run(command: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak resident KiB and CPU seconds of one process and the children it
    waited for (a build's forked validation among them); fails loudly if it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(
            f"{command} failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    out = tempfile.mkdtemp()
    os.environ["SPASMKG_CACHE_DIR"] = f"{out}/compiled"  # the warm-up run compiles the graph
    spasmkg = [sys.executable, "-m", "spasmkg", "-q"]
    query = [*spasmkg, "query", QUERY, "-p", "condition=muscle-cramp", "-f", "csv"]
    commands = {
        "bare parse, core": [sys.executable, "-c", PARSE.format(extra="")],
        "bare parse, core + imports": [
            sys.executable,
            "-c",
            PARSE.format(extra=' + glob.glob("graph/imports/*.ttl")'),
        ],
        "spasmkg build": [*spasmkg, "build", "--out", f"{out}/dist"],
        "spasmkg build, validation not forked": [
            sys.executable,
            "-c",
            ONE_PROCESS_BUILD.format(out=f"{out}/one-process"),
        ],
        **{f"query --layer {layer}": [*query, "--layer", layer] for layer in ("core", "all")},
        **{
            f"query --layer {layer} --no-cache": [*query, "--layer", layer, "--no-cache"]
            for layer in ("core", "all")
        },
        "html --layer core": [*spasmkg, "html", "--out", f"{out}/core.html", "--layer", "core"],
        "html --layer all": [*spasmkg, "html", "--out", f"{out}/all.html", "--layer", "all"],
    }
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    memory: dict[str, list[int]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        run(command)  # warm the file cache
    for _ in range(args.runs):
        for name, command in commands.items():
            elapsed, peak, busy = run(command)
            seconds[name].append(elapsed)
            memory[name].append(peak)
            cpu[name].append(busy)
    median_s = {name: round(statistics.median(v), 3) for name, v in seconds.items()}
    median_mib = {name: round(statistics.median(v) / 1024, 1) for name, v in memory.items()}
    save(
        "layers",
        {
            "runs": args.runs,
            "median_s": median_s,
            "median_peak_mib": median_mib,
            "median_cpu_s": {name: round(statistics.median(v), 3) for name, v in cpu.items()},
            "ratios": {
                "build / bare parse (core + imports)": round(
                    median_s["spasmkg build"] / median_s["bare parse, core + imports"], 2
                ),
                "build / build with validation not forked": round(
                    median_s["spasmkg build"] / median_s["spasmkg build, validation not forked"], 2
                ),
                "query all / query core": round(
                    median_s["query --layer all"] / median_s["query --layer core"], 2
                ),
                "query all / query core, --no-cache": round(
                    median_s["query --layer all --no-cache"]
                    / median_s["query --layer core --no-cache"],
                    2,
                ),
                "html all / html core": round(
                    median_s["html --layer all"] / median_s["html --layer core"], 2
                ),
            },
        },
    )


if __name__ == "__main__":
    main()
