"""``spasmkg build``: load, validate and write every output, atomically and reproducibly."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spasmkg import __version__
from spasmkg.errors import SpasmKGError, ValidationFailed
from spasmkg.export import RDF_WRITERS
from spasmkg.html import write_page
from spasmkg.loader import KnowledgeGraph, load
from spasmkg.network import to_networkx, write_graphml, write_node_link
from spasmkg.paths import data_paths
from spasmkg.stats import Counts, count, report_json, report_markdown, void_description
from spasmkg.validate import validate

MANIFEST = "manifest.json"
StepCallback = Callable[[str], None]

#: The steps of a build, in order, as progress shows them.
STEPS = (
    "load",
    "validate",
    "write RDF",
    "write network",
    "write report",
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


def input_checksums(kg: KnowledgeGraph, root: Path) -> dict[str, str]:
    """Checksums of the data files the build read, keyed by their path in the repository."""
    return {str(path.relative_to(root)): sha256(path) for path in kg.files}


def check_replaceable(out: Path) -> None:
    """Refuse to replace a folder that is not an earlier spasmkg build."""
    if out.exists() and (
        not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).exists())
    ):
        raise SpasmKGError(
            f"{out}: exists and is not a spasmkg build folder (no {MANIFEST}); "
            "choose another --out or remove it"
        )


def swap_into_place(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` so readers see the old build or the new, never a mix."""
    if out.exists():
        retired = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, retired)
        os.replace(staging, out)
        shutil.rmtree(retired)
    else:
        os.replace(staging, out)


def write_outputs(kg: KnowledgeGraph, folder: Path, step: StepCallback) -> Counts:
    """Write every output file of a build into ``folder``."""
    step("write RDF")
    for file_name, writer in RDF_WRITERS.values():
        writer(kg, folder / file_name)
    step("write network")
    network = to_networkx(kg)
    write_graphml(network, folder / "spasmkg.graphml")
    write_node_link(network, folder / "spasmkg.nodelink.json")
    write_page(network, folder / "spasmkg.html")
    step("write report")
    counts = count(kg, kg.union())
    void = void_description(counts, sorted(name for name, _ in RDF_WRITERS.values()))
    (folder / "void.ttl").write_text(void.serialize(format="turtle"), encoding="utf-8")
    (folder / "report.json").write_text(report_json(counts), encoding="utf-8")
    (folder / "report.md").write_text(report_markdown(counts), encoding="utf-8")
    if kg.mapping_set is not None:
        shutil.copyfile(kg.mapping_set.path, folder / kg.mapping_set.path.name)
    return counts


def build(
    out: Path | str = "dist",
    root: Path | str | None = None,
    *,
    article: Path | None = None,
    on_step: StepCallback | None = None,
) -> BuildResult:
    """Load, validate and write the merged graph and its companions to ``out``.

    Output goes to a staging folder beside ``out`` that replaces it only when everything
    succeeded, so a failed build leaves the previous one untouched.

    :raises ValidationFailed: the graph breaks a shape, QC check or identifier rule.
    """
    step = on_step or (lambda _name: None)
    out = Path(out).resolve()
    check_replaceable(out)
    paths = data_paths(root)
    step("load")
    kg = load(paths.root)
    step("validate")
    report = validate(kg, paths.root, article=article)
    if not report.conforms:
        raise ValidationFailed(
            f"the graph has {len(report.violations)} violation(s); nothing was written. "
            f"First: {sorted(report.violations)[0]} (run 'spasmkg validate' for all)"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        counts = write_outputs(kg, staging, step)
        step("write manifest")
        files = write_manifest(staging, input_checksums(kg, paths.root))
        step("swap into place")
        swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(out, files, counts)
