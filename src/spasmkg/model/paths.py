"""Find the data folders (ontology/, graph/, queries/) in an installed wheel or a source checkout."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from spasmkg.errors import DataNotFound

DATA_FOLDERS = ("ontology", "graph", "queries")


@dataclass(frozen=True)
class DataPaths:
    """The three data folders of one spasmkg data root."""

    root: Path

    @property
    def ontology(self) -> Path:
        """Folder with spasmkg.ttl (classes and relations) and shapes.ttl (SHACL)."""
        return self.root / "ontology"

    @property
    def graph(self) -> Path:
        """Folder with the curated Turtle files and the SSSOM mappings."""
        return self.root / "graph"

    @property
    def queries(self) -> Path:
        """Folder with the named SPARQL queries; qc/ holds the quality checks."""
        return self.root / "queries"

    @property
    def ontology_file(self) -> Path:
        """The OWL ontology."""
        return self.ontology / "spasmkg.ttl"

    @property
    def shapes_file(self) -> Path:
        """The SHACL shapes."""
        return self.ontology / "shapes.ttl"

    @property
    def mappings_file(self) -> Path:
        """The SSSOM mapping set."""
        return self.graph / "mappings.sssom.tsv"

    @property
    def imports(self) -> Path:
        """Folder with the generated layers (``spasmkg import``), one Turtle file each."""
        return self.graph / "imports"

    def graph_files(self) -> list[Path]:
        """Curated Turtle files, sorted so every build reads them in the same order."""
        return sorted(self.graph.glob("*.ttl"))


def _is_data_root(path: Path) -> bool:
    return all((path / name).is_dir() for name in DATA_FOLDERS)


def data_paths(root: Path | str | None = None) -> DataPaths:
    """Return the data folders: the given root, the wheel's packaged copy, or the source checkout.

    A source checkout wins over nothing else: the wheel carries the folders under
    ``spasmkg/data``; run from a checkout with ``PYTHONPATH=src`` they sit two levels above
    the package, at the top of the repository.
    """
    if root is not None:
        candidate = Path(root)
        if not _is_data_root(candidate):
            raise DataNotFound(
                f"{candidate}: not a spasmkg data folder (needs {', '.join(DATA_FOLDERS)}/)"
            )
        return DataPaths(candidate)
    package = Path(str(resources.files("spasmkg")))
    for candidate in (package / "data", package.parent.parent):
        if _is_data_root(candidate):
            return DataPaths(candidate)
    raise DataNotFound(
        "cannot find the spasmkg data folders; reinstall the package or pass --data DIR"
    )
