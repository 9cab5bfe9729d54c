"""``spasmkg build``: load, validate and write every output, atomically and reproducibly."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spasmkg.checks.references import reference_checks
from spasmkg.checks.report import ValidationReport
from spasmkg.errors import OutputError, ValidationFailed
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.loader import load
from spasmkg.outputs.registry import OUTPUTS
from spasmkg.outputs.report import Counts, count
from spasmkg.outputs.swap import (
    MANIFEST,
    check_replaceable,
    recover,
    staging_folder,
    swap_into_place,
)
from spasmkg.system import Forked, collector_paused
from spasmkg.version import __version__

StepCallback = Callable[[str], None]

#: The steps of a build, in order, as progress shows them.
STEPS = (
    "load",
    "start the graph checks",
    *(f"write {output.file_name}" for output in OUTPUTS.values()),
    "check references",
    "wait for the graph checks",
    "write manifest",
    "swap into place",
)


@dataclass(frozen=True)
class BuildResult:
    """Where the build went, what it wrote and what the graph holds."""

    out: Path
    files: dict[str, str]
    counts: Counts


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(folder: Path, inputs: dict[str, str]) -> dict[str, str]:
    """Checksums of every output file (and of the inputs), so a user can verify a build."""
    files = {path.name: sha256(path) for path in sorted(folder.iterdir()) if path.name != MANIFEST}
    manifest = {"spasmkg": __version__, "files": files, "inputs": inputs}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", "utf-8")
    return files


def input_checksums(kg: KnowledgeGraph) -> dict[str, str]:
    """Checksums of the data files the build read, keyed by their path in the repository."""
    return {str(path.relative_to(kg.root)): sha256(path) for path in kg.files}


def share(kg: KnowledgeGraph) -> None:
    """Build the records and the store before validation forks, so that the validating copy
    and the writing process share them instead of each building its own."""
    _ = kg.view, kg.store


def checked_graph(kg: KnowledgeGraph) -> ValidationReport:
    """The shapes' and quality checks' report on the graph; the checks are imported here, so
    that the forked copy imports their libraries while the writer goes on."""
    from spasmkg.checks.validate import graph_checks

    return graph_checks(kg)


def check_report(report: ValidationReport) -> None:
    """Refuse a graph that breaks a shape, a QC check or an identifier rule."""
    if not report.conforms:
        raise ValidationFailed(
            f"the graph has {len(report.violations)} violation(s); nothing was written. "
            f"First: {sorted(report.violations)[0]} (run 'spasmkg validate' for all)"
        )


def write_outputs(kg: KnowledgeGraph, folder: Path, step: StepCallback) -> Counts:
    """Write every output of the registry into ``folder``."""
    for output in OUTPUTS.values():
        step(f"write {output.file_name}")
        (folder / output.file_name).write_bytes(output.write(kg))
    return count(kg)


@collector_paused()
def build(
    out: Path | str = "dist",
    root: Path | str | None = None,
    *,
    layer: str = "all",
    article: Path | None = None,
    on_step: StepCallback | None = None,
) -> BuildResult:
    """Load, validate and write the merged graph and its companions to ``out``.

    Output goes to a staging folder beside ``out`` that replaces it only when everything
    succeeded, so a failed build leaves the previous one untouched. The SHACL shapes and
    quality checks run in a forked copy of the process while this one writes and then checks
    the references (each half takes about as long; see benchmarks/README.md), and a build with
    a violation is thrown away.

    :param layer: ``all`` (the core and the imported layers) or ``core`` (the curated graph
        alone, under spasmkg's own licence).
    :raises ValidationFailed: the graph breaks a shape, QC check or identifier rule.
    """
    step = on_step or (lambda _name: None)
    out = Path(out).resolve()
    recover(out)
    check_replaceable(out)
    step("load")
    kg = load(root, layer=layer)
    share(kg)
    step("start the graph checks")
    staging = staging_folder(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
    except OSError as error:
        raise OutputError(
            f"{out}: cannot write a build there ({error.strerror}); choose another --out"
        ) from None
    try:
        with Forked(lambda: checked_graph(kg)) as graph_checks:
            counts = write_outputs(kg, staging, step)
            step("check references")
            references = reference_checks(kg, article=article)
            step("wait for the graph checks")
            check_report(graph_checks.result() + references)
        step("write manifest")
        files = write_manifest(staging, input_checksums(kg))
        step("swap into place")
        swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(out, files, counts)
