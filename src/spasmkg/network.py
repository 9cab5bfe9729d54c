"""The graph as a NetworkX MultiDiGraph: entities are nodes, claims are edges.

Literals and bookkeeping (labels, definitions, sources, evidence) become attributes, never
nodes, so graph algorithms see only the biomedical network. All attributes are strings, so
the graph survives GraphML and node-link JSON unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from spasmkg.loader import KnowledgeGraph
from spasmkg.mappings import curie
from spasmkg.namespaces import SKGO

LIST_SEPARATOR = " | "


def kind_of(graph: Graph, node: Node) -> str:
    """The ontology class of a node, as its local name (Condition, Medication ...)."""
    kinds = sorted(
        str(t).removeprefix(str(SKGO._NS))
        for t in graph.objects(node, RDF.type)
        if str(t).startswith(str(SKGO._NS))
    )
    return kinds[0] if kinds else ""


def described_nodes(kg: KnowledgeGraph) -> list[URIRef]:
    """Entities and guidance nodes: everything a claim can connect."""
    classes = {
        c
        for root in (SKGO.Entity, SKGO.Guidance)
        for c in kg.ontology.transitive_subjects(RDFS.subClassOf, root)
    }
    return sorted(
        {n for c in classes for n in kg.asserted.subjects(RDF.type, c) if isinstance(n, URIRef)}
    )


def node_attributes(kg: KnowledgeGraph, node: URIRef) -> dict[str, str]:
    """What a node carries: identity, label, kind, definition and external identifiers."""
    g = kg.asserted
    external = sorted(
        curie(o)
        for p in (
            SKOS.exactMatch,
            SKOS.closeMatch,
            SKOS.broadMatch,
            SKOS.narrowMatch,
            SKOS.relatedMatch,
        )
        for o in kg.mappings.objects(node, p)
    )
    return {
        "iri": str(node),
        "curie": curie(node),
        "label": str(g.value(node, RDFS.label) or ""),
        "kind": kind_of(g, node),
        "definition": str(g.value(node, SKOS.definition) or ""),
        "alt_labels": LIST_SEPARATOR.join(sorted(str(a) for a in g.objects(node, SKOS.altLabel))),
        "external_ids": LIST_SEPARATOR.join(external),
    }


def label(kg: KnowledgeGraph, node: Node | None) -> str:
    """Label of a node from the graph or ontology, else its CURIE."""
    if node is None:
        return ""
    return str(
        kg.asserted.value(node, RDFS.label) or kg.ontology.value(node, RDFS.label) or curie(node)
    )


def joined(kg: KnowledgeGraph, nodes: list[Node], *, labels: bool = False) -> str:
    """Several nodes as one attribute string, sorted."""
    return LIST_SEPARATOR.join(sorted(label(kg, n) if labels else curie(n) for n in nodes))


def edge_attributes(kg: KnowledgeGraph, claim: URIRef) -> dict[str, str]:
    """What an edge carries: the relation and the claim's provenance."""
    g = kg.asserted
    predicate = g.value(claim, RDF.predicate)
    sources = list(g.objects(claim, PROV.wasDerivedFrom))
    evidence = list(g.objects(claim, SKGO.evidence))
    mechanism = list(g.objects(claim, SKGO.hasMechanism))
    context = g.value(claim, SKGO.inContext)
    return {
        "claim": curie(claim),
        "predicate": curie(predicate) if predicate is not None else "",
        "predicate_iri": str(predicate),
        "predicate_label": label(kg, predicate),
        "sources": joined(kg, sources),
        "source_labels": joined(kg, sources, labels=True),
        "evidence": joined(kg, evidence),
        "evidence_labels": joined(kg, evidence, labels=True),
        "modality": label(kg, g.value(claim, SKGO.modality)),
        "context": curie(context) if context is not None else "",
        "context_label": label(kg, context),
        "mechanism": joined(kg, mechanism),
        "mechanism_labels": joined(kg, mechanism, labels=True),
        "note": str(g.value(claim, RDFS.comment) or ""),
    }


def to_networkx(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """One node per entity or guidance node, one edge per claim, keyed by the claim's CURIE.

    >>> import spasmkg
    >>> graph = to_networkx(spasmkg.load())
    >>> graph.nodes["skg:furosemide"]["kind"]
    'Medication'
    """
    graph = nx.MultiDiGraph(name="spasmkg")
    for node in described_nodes(kg):
        graph.add_node(curie(node), **node_attributes(kg, node))
    for claim in sorted(kg.asserted.subjects(RDF.type, SKGO.Claim), key=str):
        subject, obj = kg.asserted.value(claim, RDF.subject), kg.asserted.value(claim, RDF.object)
        if subject is None or obj is None or not isinstance(claim, URIRef):
            continue
        graph.add_edge(curie(subject), curie(obj), key=curie(claim), **edge_attributes(kg, claim))
    return graph


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """GraphML for Gephi, Cytoscape and yEd."""
    nx.write_graphml(graph, path, encoding="utf-8", prettyprint=True)


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`write_graphml` (without the reader's defaults)."""
    graph = nx.MultiDiGraph(nx.read_graphml(path, force_multigraph=True))
    for key in ("node_default", "edge_default"):
        graph.graph.pop(key, None)
    return graph


def write_node_link(graph: nx.MultiDiGraph, path: Path) -> None:
    """Node-link JSON (d3 style), sorted keys."""
    data = nx.node_link_data(graph, edges="edges")
    path.write_text(
        json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def read_node_link(path: Path) -> nx.MultiDiGraph:
    """Read a node-link JSON file written by :func:`write_node_link`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return nx.MultiDiGraph(nx.node_link_graph(data, directed=True, multigraph=True, edges="edges"))
