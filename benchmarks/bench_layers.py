"""What the imported HPO layers cost: the same commands on the core, with the default layers,
with the grown HPO layer, and on the layer files as they were before.

python benchmarks/bench_layers.py --runs 5 --before /tmp/spasmkg-before

Side by side in one run, interleaved: a bare rdflib parse of the core files, of the core with
the default layers' file (graph/imports/hpo.ttl) and of the core with the grown layer's
(graph/imports/hpo-movement.ttl); ``spasmkg build`` with the default layers and with
``--layer all,hpo-movement`` (``--one-process`` adds the default build with its validation
kept in the process); a cold named query (a new process, answering from the compiled graph
the warm-up run left, and with ``--no-cache`` from the files) and the page with ``--layer
core``, ``all`` and ``all,hpo-movement``. ``--before DIR`` adds the query and the page on a
data folder holding the files of an earlier commit (``git archive COMMIT ontology graph
queries | tar -x -C DIR``), to compare a cold query with what it cost there. Wall-clock
medians, the median peak resident memory of each process and its median CPU time (both from
``wait4``, which counts the children a process waited for: a build's forked validation), and
the load average before and after.
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
GROWN = "all,hpo-movement"
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


def commands(out: str, before: str | None, one_process: bool) -> dict[str, list[str]]:
    """The commands to compare, by name."""
    spasmkg = [sys.executable, "-m", "spasmkg", "-q"]
    query = [*spasmkg, "query", QUERY, "-p", "condition=muscle-cramp", "-f", "csv"]
    setups = {layer: ["--layer", layer] for layer in ("core", "all", GROWN)}
    if before:
        setups["before"] = ["--data", before]
    found = {
        "bare parse, core": [sys.executable, "-c", PARSE.format(extra="")],
        **{
            f"bare parse, core + {name}": [
                sys.executable,
                "-c",
                PARSE.format(extra=f' + ["graph/imports/{name}"]'),
            ]
            for name in ("hpo.ttl", "hpo-movement.ttl")
        },
        "spasmkg build": [*spasmkg, "build", "--out", f"{out}/dist"],
        f"spasmkg build --layer {GROWN}": [
            *spasmkg,
            "build",
            "--out",
            f"{out}/grown",
            "--layer",
            GROWN,
        ],
    }
    if one_process:
        found["spasmkg build, validation not forked"] = [
            sys.executable,
            "-c",
            ONE_PROCESS_BUILD.format(out=f"{out}/one-process"),
        ]
    for number, (name, options) in enumerate(setups.items()):
        found[f"query {name}"] = [*query, *options]
        found[f"query {name} --no-cache"] = [*query, *options, "--no-cache"]
        found[f"html {name}"] = [*spasmkg, "html", "--out", f"{out}/page-{number}.html", *options]
    return found


def ratio(medians: dict[str, float], top: str, bottom: str) -> float | None:
    """One median over another, when both were measured."""
    if top not in medians or bottom not in medians:
        return None
    return round(medians[top] / medians[bottom], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", help="a data folder holding an earlier commit's files")
    parser.add_argument("--one-process", action="store_true", help="add the unforked build")
    parser.add_argument("--name", default="layers", help="the results file's name")
    args = parser.parse_args()
    out = tempfile.mkdtemp()
    os.environ["SPASMKG_CACHE_DIR"] = f"{out}/compiled"  # the warm-up run compiles the graph
    found = commands(out, args.before, args.one_process)
    load_before = os.getloadavg()
    seconds: dict[str, list[float]] = {name: [] for name in found}
    memory: dict[str, list[int]] = {name: [] for name in found}
    cpu: dict[str, list[float]] = {name: [] for name in found}
    for command in found.values():
        run(command)  # warm the file cache and the compiled graphs
    for _ in range(args.runs):
        for name, command in found.items():
            elapsed, peak, busy = run(command)
            seconds[name].append(elapsed)
            memory[name].append(peak)
            cpu[name].append(busy)
    median_s = {name: round(statistics.median(v), 3) for name, v in seconds.items()}
    median_cpu = {name: round(statistics.median(v), 3) for name, v in cpu.items()}
    pairs = {
        "build / bare parse (core + hpo.ttl)": ("spasmkg build", "bare parse, core + hpo.ttl"),
        f"build --layer {GROWN} / bare parse (core + hpo-movement.ttl)": (
            f"spasmkg build --layer {GROWN}",
            "bare parse, core + hpo-movement.ttl",
        ),
        "build / build with validation not forked": (
            "spasmkg build",
            "spasmkg build, validation not forked",
        ),
        f"query {GROWN} / query before": (f"query {GROWN}", "query before"),
        "query all / query before": ("query all", "query before"),
        "query all / query core": ("query all", "query core"),
        f"query {GROWN} / query all": (f"query {GROWN}", "query all"),
        f"query {GROWN} / query before, --no-cache": (
            f"query {GROWN} --no-cache",
            "query before --no-cache",
        ),
        "query all / query core, --no-cache": ("query all --no-cache", "query core --no-cache"),
        f"html {GROWN} / html all": (f"html {GROWN}", "html all"),
        "html all / html core": ("html all", "html core"),
    }
    save(
        args.name,
        {
            "runs": args.runs,
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in os.getloadavg()],
            "median_s": median_s,
            "median_peak_mib": {
                name: round(statistics.median(v) / 1024, 1) for name, v in memory.items()
            },
            "median_cpu_s": median_cpu,
            "ratios": {
                name: value
                for name, (top, bottom) in pairs.items()
                if (value := ratio(median_s, top, bottom)) is not None
            },
            "cpu_ratios": {
                name: value
                for name, (top, bottom) in pairs.items()
                if (value := ratio(median_cpu, top, bottom)) is not None
            },
        },
    )


if __name__ == "__main__":
    main()
