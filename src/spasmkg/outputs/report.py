"""Counts that describe a build: the VoID description and the build report."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from spasmkg.model.curie import curie, expand, prefix_of
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.iris import BASE
from spasmkg.model.layers import CORE, LAYERS
from spasmkg.model.namespaces import ONTOLOGY_IRI, SKG, VOID
from spasmkg.version import __version__

DATASET = URIRef(BASE + "dataset")
LICENSE = URIRef(LAYERS[CORE].licence)


@dataclass(frozen=True)
class Counts:
    """What the graph holds, counted once and used by both VoID and the report."""

    triples: int
    graphs: dict[str, int]
    entities_by_class: dict[str, int]
    #: warning signs and advice: nodes of the graph, but not biomedical entities
    guidance_by_class: dict[str, int]
    edges_by_predicate: dict[str, int]
    claims_by_source_kind: dict[str, int]
    claims_by_modality: dict[str, int]
    claims_by_evidence: dict[str, int]
    evidence_by_direction: dict[str, int]
    evidence_by_certainty: dict[str, int]
    claims_on_curators_alone: int
    claims_by_layer: dict[str, int] = field(default_factory=dict)
    #: each named graph's licence; an imported layer keeps the terms of its source
    licences: dict[str, str] = field(default_factory=dict)
    vocabulary_coverage: dict[str, int] = field(default_factory=dict)
    mappings_by_vocabulary: dict[str, int] = field(default_factory=dict)
    mappings_by_predicate: dict[str, int] = field(default_factory=dict)

    @property
    def entities(self) -> int:
        """Number of biomedical entities."""
        return sum(self.entities_by_class.values())

    @property
    def guidance(self) -> int:
        """Number of warning signs and pieces of advice."""
        return sum(self.guidance_by_class.values())

    @property
    def nodes(self) -> int:
        """Number of nodes: the entities and the guidance (what KGX, NetworkX and the site list)."""
        return self.entities + self.guidance

    @property
    def claims(self) -> int:
        """Number of claims."""
        return sum(self.claims_by_modality.values())

    def summary(self) -> str:
        """The counts every output states, in the same words everywhere."""
        return (
            f"{self.triples:,} triples, {self.nodes:,} nodes ({self.entities:,} entities and "
            f"{self.guidance:,} warning signs and pieces of advice), {self.claims:,} claims"
        )


def tally(values: Any) -> dict[str, int]:
    """Counts of each value, sorted by value."""
    return dict(sorted(Counter(values).items()))


def coverage(kg: KnowledgeGraph) -> dict[str, int]:
    """How many biomedical entities are linked to 0, 1, 2, or 3 or more outside vocabularies."""
    bands = Counter(
        min(len({prefix_of(i.curie) for i in entity.identifiers}), 3)
        for entity in kg.entities
        if not entity.is_guidance
    )
    return {("3+" if band == 3 else str(band)): bands.get(band, 0) for band in range(4)}


def licences(kg: KnowledgeGraph) -> dict[str, str]:
    """The licence of each named graph, from the registry of layers: an imported layer's two
    graphs keep its source's terms, every other graph is spasmkg's own."""
    by_graph = {
        str(graph): row.licence for row in kg.layers for graph in (row.graph, row.inferred_graph)
    }
    return {str(name): by_graph.get(str(name), str(LICENSE)) for name, _ in kg.named_graphs()}


def distinct_triples(kg: KnowledgeGraph) -> int:
    """How many triples the named graphs hold together, each counted once (in pyoxigraph)."""
    answer = kg.store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    assert isinstance(answer, ox.QuerySolutions)  # a SELECT's answer, whatever the store
    return int(next(iter(answer))["n"].value)


@lru_cache(maxsize=4)
def count(kg: KnowledgeGraph) -> Counts:
    """Count triples, entities, relations and claims of a loaded graph (once per graph)."""
    rows = kg.mapping_set.mappings if kg.mapping_set else []
    return Counts(
        triples=distinct_triples(kg),
        graphs={str(name): len(graph) for name, graph in kg.named_graphs()},
        entities_by_class=tally(f"skgo:{e.kind}" for e in kg.entities if not e.is_guidance),
        guidance_by_class=tally(f"skgo:{e.kind}" for e in kg.entities if e.is_guidance),
        edges_by_predicate=tally(curie(p) for _, p, _ in kg.inferred),
        claims_by_source_kind=tally(
            kind for c in kg.claims for kind in {s.kind for s in c.sources}
        ),
        claims_by_modality=tally(claim.modality.curie for claim in kg.claims),
        claims_by_evidence=tally(
            eco for c in kg.claims for eco in {item.evidence_type.curie for item in c.evidence}
        ),
        evidence_by_direction=tally(item.direction for c in kg.claims for item in c.evidence),
        evidence_by_certainty=tally(
            item.certainty.curie if item.certainty else "not graded"
            for c in kg.claims
            for item in c.evidence
        ),
        claims_on_curators_alone=sum(claim.rests_on_curators for claim in kg.claims),
        claims_by_layer=tally(claim.layer for claim in kg.claims),
        licences=licences(kg),
        vocabulary_coverage=coverage(kg),
        mappings_by_vocabulary=tally(m.object_prefix for m in rows),
        mappings_by_predicate=tally(m.predicate_id for m in rows),
    )


def void_turtle(kg: KnowledgeGraph, dumps: list[str]) -> bytes:
    """The VoID description as Turtle."""
    return void_description(count(kg), sorted(dumps)).serialize(format="turtle").encode()


def void_description(counts: Counts, files: list[str]) -> Graph:
    """A VoID description of the build: size, licence, vocabulary, dumps and partitions."""
    void = Graph(bind_namespaces="none")
    for prefix, namespace in (("void", VOID), ("dcterms", DCTERMS), ("xsd", XSD)):
        void.bind(prefix, namespace)
    void.add((DATASET, RDF.type, VOID.Dataset))
    void.add((DATASET, DCTERMS.title, Literal("spasmkg", lang="en")))
    void.add(
        (
            DATASET,
            DCTERMS.description,
            Literal(
                "A curated knowledge graph of the causes, mechanisms and relief of muscle spasms, "
                "every edge a claim with its source and evidence.",
                lang="en",
            ),
        )
    )
    void.add((DATASET, DCTERMS.license, LICENSE))
    void.add((DATASET, DCTERMS.hasVersion, Literal(__version__)))
    void.add((DATASET, VOID.vocabulary, ONTOLOGY_IRI))
    void.add((DATASET, VOID.uriSpace, Literal(str(SKG))))
    void.add((DATASET, VOID.triples, Literal(counts.triples, datatype=XSD.integer)))
    void.add((DATASET, VOID.entities, Literal(counts.nodes, datatype=XSD.integer)))
    for name in files:
        void.add((DATASET, VOID.dataDump, URIRef(name)))
    for kind, partitions, key in (
        ("class", counts.entities_by_class | counts.guidance_by_class, VOID.entities),
        ("property", counts.edges_by_predicate, VOID.triples),
    ):
        for name, number in partitions.items():
            partition = URIRef(f"{DATASET}/{kind}/{name.replace(':', '-')}")
            void.add((DATASET, VOID[f"{kind}Partition"], partition))
            void.add((partition, VOID[kind], expand(name)))
            void.add((partition, key, Literal(number, datatype=XSD.integer)))
    return void


def report_json(kg: KnowledgeGraph) -> bytes:
    """The build report as stable JSON."""
    counts = count(kg)
    document = {
        "version": __version__,
        "triples": counts.triples,
        "nodes": counts.nodes,
        "entities": counts.entities,
        "guidance": counts.guidance,
        "claims": counts.claims,
    }
    document.update(asdict(counts))
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode()


def markdown_table(title: str, rows: dict[str, Any], column: str = "count") -> list[str]:
    """One titled two-column Markdown table."""
    lines = [f"## {title}", "", f"| | {column} |", "|---|---:|"]
    lines += [f"| {key} | {value} |" for key, value in rows.items()]
    return [*lines, ""]


def report_markdown(kg: KnowledgeGraph) -> bytes:
    """The build report for people: totals, then one table per breakdown."""
    counts = count(kg)
    lines = [
        f"# spasmkg {__version__} build report",
        "",
        f"{counts.summary()}.",
        "",
        f"Claims resting on the curators alone: {counts.claims_on_curators_alone} of "
        f"{counts.claims} ({100 * counts.claims_on_curators_alone / max(counts.claims, 1):.1f} %).",
        "",
    ]
    lines += markdown_table("Triples per named graph", counts.graphs)
    lines += markdown_table("Licence per named graph", counts.licences, "licence")
    lines += markdown_table("Claims per layer", counts.claims_by_layer)
    lines += markdown_table("Entities per class", counts.entities_by_class)
    lines += markdown_table("Warning signs and advice per class", counts.guidance_by_class)
    lines += markdown_table("Relations (materialised from claims)", counts.edges_by_predicate)
    lines += markdown_table("Claims per kind of source", counts.claims_by_source_kind)
    lines += markdown_table("Claims per modality", counts.claims_by_modality)
    lines += markdown_table("Claims per evidence type", counts.claims_by_evidence)
    lines += markdown_table("Evidence items per direction", counts.evidence_by_direction)
    lines += markdown_table("Evidence items per certainty", counts.evidence_by_certainty)
    lines += markdown_table("Entities by number of linked vocabularies", counts.vocabulary_coverage)
    lines += markdown_table("Mappings per vocabulary", counts.mappings_by_vocabulary)
    lines += markdown_table("Mappings per SKOS relation", counts.mappings_by_predicate)
    return "\n".join(lines).encode()
