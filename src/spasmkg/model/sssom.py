"""SSSOM mappings to outside vocabularies: read the mapping set and turn its rows into SKOS triples."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from spasmkg.errors import MappingError
from spasmkg.model.curie import expand, prefix_map
from spasmkg.model.namespaces import SKG

MAPPING_PREDICATES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
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
        return self.object_id.partition(":")[0]

    @property
    def object_local_id(self) -> str:
        """The identifier of the object within its vocabulary."""
        return self.object_id.partition(":")[2]


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


def read_sssom(path: Path) -> MappingSet:
    """Parse an SSSOM TSV file (YAML metadata in leading ``#`` lines, then a table)."""
    import yaml

    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line[1:] for line in lines if line.startswith("#")]
    try:
        metadata = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as error:
        detail = " ".join(str(error).split())
        raise MappingError(f"{path.name}: bad SSSOM metadata block: {detail}") from None
    first_row = len(header)
    reader = csv.DictReader(lines[first_row:], delimiter="\t", quoting=csv.QUOTE_NONE)
    columns = tuple(reader.fieldnames or ())
    mappings = [
        Mapping(
            line=first_row + number + 2,
            **{
                key: (row.get(key) or "").strip()
                for key in Mapping.__dataclass_fields__
                if key != "line"
            },
        )
        for number, row in enumerate(reader)
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
    for prefix in sorted({m.object_prefix for m in mapping_set.mappings}):
        if prefix in prefix_map():
            graph.bind(prefix.lower(), prefix_map()[prefix].uri_prefix)
    for mapping in mapping_set.mappings:
        relation = mapping.predicate_id.removeprefix("skos:")
        if (
            mapping.object_prefix in prefix_map()
            and relation in MAPPING_PREDICATES
            and mapping.subject_id.startswith("skg:")
        ):
            obj = expand(mapping.object_id)
            graph.add((subject_iri(mapping.subject_id), SKOS[relation], obj))
    return graph
