"""The graph as a NetworkX MultiDiGraph: entities are nodes, claims are edges.

Literals and bookkeeping (labels, definitions, sources, evidence) become attributes, never
nodes, so graph algorithms see only the biomedical network. All attributes are strings (lists
joined with ``" | "``), so the graph survives GraphML and node-link JSON unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.records import Claim, Entity

LIST_SEPARATOR = " | "


def joined(values: Iterable[str]) -> str:
    """Several values as one attribute string, sorted and without repeats."""
    return LIST_SEPARATOR.join(sorted(set(values)))


def node_attributes(entity: Entity) -> dict[str, str]:
    """What a node carries: identity, label, kind, definition and outside identifiers."""
    return {
        "iri": entity.iri,
        "curie": entity.curie,
        "label": entity.label,
        "kind": entity.kind,
        "definition": entity.definition,
        "alt_labels": joined(entity.synonyms),
        "external_ids": joined(identifier.curie for identifier in entity.identifiers),
    }


def edge_attributes(claim: Claim) -> dict[str, str]:
    """What an edge carries: the relation, the claim's qualifiers and a summary of its evidence
    (how many items point each way, their grades and populations), its standing, its hedge
    (empty when its evidence does not back it), and the predicate of its plain triple, empty
    when the claim is too hedged or too bound to a context to have one."""
    return {
        "claim": claim.curie,
        "predicate": claim.predicate.curie,
        "predicate_iri": claim.predicate.iri,
        "predicate_label": claim.predicate.label,
        "sources": joined(source.curie for source in claim.sources),
        "source_labels": joined(source.label for source in claim.sources),
        "evidence": joined(item.evidence_type.curie for item in claim.evidence),
        "evidence_labels": joined(item.evidence_type.label for item in claim.evidence),
        "supporting": str(len(claim.support)),
        "refuting": str(sum(item.direction == "refutes" for item in claim.evidence)),
        "inconclusive": str(sum(item.direction == "inconclusive" for item in claim.evidence)),
        "certainties": joined(item.certainty.label for item in claim.evidence if item.certainty),
        "populations": joined(item.population for item in claim.evidence if item.population),
        "simple_view": claim.plain.curie if claim.plain else "",
        "standing": claim.standing.label,
        "modality": claim.shown_modality.label if claim.shown_modality else "",
        "context": claim.context.curie if claim.context else "",
        "context_label": claim.context.label if claim.context else "",
        "mechanism": joined(entity.curie for entity in claim.mechanism),
        "mechanism_labels": joined(entity.label for entity in claim.mechanism),
        "note": claim.note,
    }


def to_networkx(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """One node per entity or guidance node, one edge per claim, keyed by the claim's CURIE.

    >>> import spasmkg
    >>> graph = to_networkx(spasmkg.load())
    >>> graph.nodes["skg:furosemide"]["kind"]
    'Medication'
    """
    graph = nx.MultiDiGraph(name="spasmkg")
    for entity in kg.entities:
        graph.add_node(entity.curie, **node_attributes(entity))
    for claim in kg.claims:
        graph.add_edge(
            claim.subject.curie, claim.object.curie, key=claim.curie, **edge_attributes(claim)
        )
    return graph


def graphml(kg: KnowledgeGraph) -> bytes:
    """GraphML for Gephi, Cytoscape and yEd."""
    return (
        "\n".join(nx.generate_graphml(to_networkx(kg), encoding="utf-8", prettyprint=True)).encode(
            "utf-8"
        )
        + b"\n"
    )


def node_link(kg: KnowledgeGraph) -> bytes:
    """Node-link JSON (d3 style), sorted keys."""
    data = nx.node_link_data(to_networkx(kg), edges="edges")
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write a NetworkX graph as GraphML."""
    nx.write_graphml(graph, path, encoding="utf-8", prettyprint=True)


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`write_graphml` (without the reader's defaults)."""
    graph = nx.MultiDiGraph(nx.read_graphml(path, force_multigraph=True))
    for key in ("node_default", "edge_default"):
        graph.graph.pop(key, None)
    return graph


def write_node_link(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write a NetworkX graph as node-link JSON, sorted keys."""
    data = nx.node_link_data(graph, edges="edges")
    path.write_text(
        json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def read_node_link(path: Path) -> nx.MultiDiGraph:
    """Read a node-link JSON file written by :func:`write_node_link`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return nx.MultiDiGraph(nx.node_link_graph(data, directed=True, multigraph=True, edges="edges"))
