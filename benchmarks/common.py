"""Small helpers shared by the benchmark scripts: timing processes, medians, saving results."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"


def environment() -> dict[str, str]:
    """Run spasmkg from this checkout."""
    return {**os.environ, "PYTHONPATH": str(REPO / "src")}


def time_process(command: list[str], cwd: Path | None = None) -> float:
    """Wall-clock seconds of one process run (fails loudly if it fails)."""
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd, env=environment())
    return time.perf_counter() - started


def interleaved_medians(
    commands: dict[str, list[str]], runs: int, cwd: Path | None = None
) -> dict[str, float]:
    """Median wall time of each command, runs interleaved so drifts in machine load hit all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the file cache once
        time_process(command, cwd)
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(time_process(command, cwd))
    return {name: statistics.median(values) for name, values in times.items()}


def save(name: str, data: object) -> None:
    """Write a result file and echo it."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    json.dump(data, sys.stdout, indent=1, sort_keys=True)
    print()
