"""SSSOM mappings to outside vocabularies: read the mapping set, expand CURIEs, make triples.

CURIEs expand with the prefix map frozen from bioregistry (``prefixes.json``), so a build
never needs the network, and every external identifier becomes the IRI that the vocabulary
itself publishes (MeSH ``http://id.nlm.nih.gov/mesh/``, OBO PURLs, UniProt PURLs ...).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from spasmkg.errors import SpasmKGError
from spasmkg.namespaces import SKG, SPASMKG_PREFIXES

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
class Prefix:
    """A vocabulary prefix, frozen from bioregistry."""

    prefix: str
    bioregistry: str
    name: str
    pattern: str
    uri_prefix: str
    link_prefix: str
    wikidata_property: str | None = None

    def iri(self, local_id: str) -> URIRef:
        """The canonical IRI of an identifier of this vocabulary."""
        return URIRef(self.uri_prefix + local_id)

    def link(self, local_id: str) -> str:
        """A web page about the identifier, for people."""
        return self.link_prefix + local_id


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


@cache
def prefix_map() -> dict[str, Prefix]:
    """The frozen prefix map, by CURIE prefix."""
    text = resources.files("spasmkg").joinpath("prefixes.json").read_text(encoding="utf-8")
    return {
        name: Prefix(prefix=name, **record) for name, record in json.loads(text)["prefixes"].items()
    }


def read_sssom(path: Path) -> MappingSet:
    """Parse an SSSOM TSV file (YAML metadata in leading ``#`` lines, then a table)."""
    import yaml

    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line[1:] for line in lines if line.startswith("#")]
    try:
        metadata = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as error:
        detail = " ".join(str(error).split())
        raise SpasmKGError(f"{path.name}: bad SSSOM metadata block: {detail}") from None
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


@cache
def converter() -> Any:
    """CURIE <-> IRI conversion over the frozen prefixes (spasmkg's own prefix included)."""
    import curies  # imported on first use: it pulls in pydantic, slow for a one-shot command

    records = {name: prefix.uri_prefix for name, prefix in prefix_map().items()}
    return curies.Converter.from_prefix_map({**SPASMKG_PREFIXES, **records})


def expand(curie: str) -> URIRef | None:
    """The canonical IRI of a CURIE, or None if its prefix is unknown.

    A dictionary look-up in the frozen map, so that loading the graph needs no converter.

    >>> expand("MESH:D013035")
    rdflib.term.URIRef('http://id.nlm.nih.gov/mesh/D013035')
    """
    prefix, _, local_id = curie.partition(":")
    if prefix in prefix_map():
        return prefix_map()[prefix].iri(local_id)
    if prefix in SPASMKG_PREFIXES:
        return URIRef(SPASMKG_PREFIXES[prefix] + local_id)
    return None


def compress(iri: str) -> str | None:
    """The CURIE of a canonical IRI, or None if no known prefix matches.

    >>> compress("http://purl.obolibrary.org/obo/HP_0003394")
    'HP:0003394'
    """
    found = converter().compress(iri)
    return str(found) if found else None


def curie(term: object) -> str:
    """How people read a term: a CURIE where a prefix is known, else the IRI or the literal's text.

    >>> curie(URIRef("https://w3id.org/spasmkg/entity/furosemide"))
    'skg:furosemide'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compress(str(term)) or str(term)
    return str(term)


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
        obj = expand(mapping.object_id)
        relation = mapping.predicate_id.removeprefix("skos:")
        if (
            obj is not None
            and relation in MAPPING_PREDICATES
            and mapping.subject_id.startswith("skg:")
        ):
            graph.add((subject_iri(mapping.subject_id), SKOS[relation], obj))
    return graph
