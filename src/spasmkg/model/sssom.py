"""SSSOM mappings to outside vocabularies: read the mapping set and turn its rows into SKOS triples."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from spasmkg.errors import MappingError
from spasmkg.model.curie import expand, local_of, prefix_map, prefix_of
from spasmkg.model.namespaces import SKG

#: A spasmkg entity CURIE as a mapping's subject.
SUBJECT = re.compile(r"skg:[a-z0-9][a-z0-9-]*")
MAPPING_PREDICATES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
#: The longest field a mapping row may hold (csv's own limit, 131,072, made explicit).
MAX_FIELD = 131_072
REQUIRED_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
)


@dataclass(frozen=True)
class Mapping:
    """One row of the mapping set, with the line it sits on."""

    line: int
    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    comment: str = ""
    object_source_version: str = ""

    @property
    def object_prefix(self) -> str:
        """The prefix of the object CURIE (before the first colon)."""
        return prefix_of(self.object_id)

    @property
    def object_local_id(self) -> str:
        """The identifier of the object within its vocabulary."""
        return local_of(self.object_id)


@dataclass
class MappingSet:
    """A parsed SSSOM TSV file: metadata block and rows."""

    path: Path
    metadata: dict[str, Any]
    mappings: list[Mapping] = field(default_factory=list)
    columns: tuple[str, ...] = ()

    @property
    def curie_map(self) -> dict[str, str]:
        """The prefixes the file declares."""
        return dict(self.metadata.get("curie_map") or {})


def table_lines(path: Path) -> list[str]:
    """The file's lines, read as UTF-8 (a byte-order mark is allowed and dropped).

    :raises MappingError: the file cannot be read or is not UTF-8.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise MappingError(f"{path.name}: cannot read: {error.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise MappingError(f"{path.name}:{line}: not UTF-8 text; save the file as UTF-8") from None
    return text.splitlines()


def read_rows(
    path: Path, lines: list[str], first: int
) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    """The table under the metadata block: its columns and its rows, checked line by line.

    :raises MappingError: a row with more or fewer fields than the header (a tab inside a
        value, say), a commented-out row, or a field too long to be a mapping.
    """
    csv.field_size_limit(MAX_FIELD)
    if first >= len(lines):
        return (), []
    columns = tuple(lines[first].split("\t"))
    rows = []
    for number, line in enumerate(lines[first + 1 :], start=first + 2):
        if not line.strip():
            continue
        if line.startswith("#"):
            raise MappingError(
                f"{path.name}:{number}: a '#' line inside the table; SSSOM allows comment lines "
                "only in the metadata block at the top (delete the row instead)"
            )
        try:
            [fields] = list(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        except csv.Error as error:
            raise MappingError(f"{path.name}:{number}: {error}") from None
        if len(fields) != len(columns):
            raise MappingError(
                f"{path.name}:{number}: {len(fields)} fields where the header has {len(columns)} "
                "(a tab inside a value, or a missing one?)"
            )
        rows.append(dict(zip(columns, fields, strict=True)) | {"line": str(number)})
    return columns, rows


def read_sssom(path: Path) -> MappingSet:
    """Parse an SSSOM TSV file (YAML metadata in leading ``#`` lines, then a table).

    :raises MappingError: the file is unreadable, not UTF-8, or malformed; the message names
        file and line.
    """
    import yaml

    lines = table_lines(path)
    first = next((n for n, line in enumerate(lines) if not line.startswith("#")), len(lines))
    try:
        metadata = yaml.safe_load("\n".join(line[1:] for line in lines[:first])) or {}
    except yaml.YAMLError as error:
        detail = " ".join(str(error).split())
        raise MappingError(f"{path.name}: bad SSSOM metadata block: {detail}") from None
    columns, rows = read_rows(path, lines, first)
    fields = [key for key in Mapping.__dataclass_fields__ if key != "line"]
    mappings = [
        Mapping(line=int(row["line"]), **{key: row.get(key, "").strip() for key in fields})
        for row in rows
    ]
    return MappingSet(path, metadata if isinstance(metadata, dict) else {}, mappings, columns)


def subject_iri(curie: str) -> URIRef:
    """The IRI of a spasmkg entity CURIE (``skg:furosemide``)."""
    return SKG[curie.removeprefix("skg:")]


def mapping_graph(mapping_set: MappingSet) -> Graph:
    """SKOS mapping triples with canonical IRIs, for rows whose object prefix is known."""
    graph = Graph(bind_namespaces="none")
    graph.bind("skos", SKOS)
    graph.bind("skg", SKG)
    for name in sorted({m.object_prefix for m in mapping_set.mappings}):
        if name in prefix_map():
            graph.bind(name.lower(), prefix_map()[name].uri_prefix)
    for mapping in mapping_set.mappings:
        relation = mapping.predicate_id.removeprefix("skos:")
        prefix = prefix_map().get(mapping.object_prefix)
        if (  # other rows are reported by the identifier checks, not turned into triples
            prefix is not None
            and relation in MAPPING_PREDICATES
            and SUBJECT.fullmatch(mapping.subject_id)
            and re.fullmatch(prefix.pattern.strip("^$"), mapping.object_local_id)
        ):
            obj = expand(mapping.object_id)
            graph.add((subject_iri(mapping.subject_id), SKOS[relation], obj))
    return graph
