"""The graph as a NetworkX MultiDiGraph: entities are nodes, claims are edges.

Literals and bookkeeping (labels, definitions, sources, evidence) become attributes, never
nodes, so graph algorithms see only the biomedical network. Counts are integers and
multivalued attributes sorted lists; every node and edge names its layer, and every edge its
claim's standing and hedge. GraphML has only single values, so a list is written there as a
JSON array under a key whose ``<desc>`` is :data:`LIST_DESCRIPTION`; :func:`read_graphml`
decodes it again. Node-link JSON keeps lists and numbers as they are.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter

from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.records import Claim, Entity

#: What an attribute holds: text, a count, or several values.
Value = str | int | list[str]
#: The description of a GraphML key whose values are lists, each written as a JSON array.
LIST_DESCRIPTION = "a list: a JSON array of strings"
#: The description of the whole GraphML file, for whoever opens it.
GRAPHML_DESCRIPTION = (
    "spasmkg: one node per entity, one edge per claim (keyed by its CURIE). Counts are integers. "
    f"GraphML has no lists: a key described as '{LIST_DESCRIPTION}' holds a JSON array."
)
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def listed(values: Iterable[str]) -> list[str]:
    """Several values as one attribute, sorted and without repeats."""
    return sorted(set(values))


def node_attributes(entity: Entity) -> dict[str, Value]:
    """What a node carries: identity, label, kind, layer, definition and outside identifiers."""
    return {
        "iri": entity.iri,
        "curie": entity.curie,
        "label": entity.label,
        "kind": entity.kind,
        "layer": entity.layer,
        "definition": entity.definition,
        "alt_labels": listed(entity.synonyms),
        "external_ids": listed(identifier.curie for identifier in entity.identifiers),
    }


def edge_attributes(claim: Claim) -> dict[str, Value]:
    """What an edge carries: the relation, the claim's layer and qualifiers and a summary of its
    evidence (how many items point each way, their grades and populations), its standing, its
    hedge (empty when its evidence does not back it), and the predicate of its plain triple,
    empty when the claim is too hedged or too bound to a context to have one."""
    return {
        "claim": claim.curie,
        "predicate": claim.predicate.curie,
        "predicate_iri": claim.predicate.iri,
        "predicate_label": claim.predicate.label,
        "layer": claim.layer,
        "sources": listed(source.curie for source in claim.sources),
        "source_labels": listed(source.label for source in claim.sources),
        "evidence": listed(item.evidence_type.curie for item in claim.evidence),
        "evidence_labels": listed(item.evidence_type.label for item in claim.evidence),
        "supporting": len(claim.support),
        "refuting": sum(item.direction == "refutes" for item in claim.evidence),
        "inconclusive": sum(item.direction == "inconclusive" for item in claim.evidence),
        "certainties": listed(item.certainty.label for item in claim.evidence if item.certainty),
        "populations": listed(item.population for item in claim.evidence if item.population),
        "simple_view": claim.plain.curie if claim.plain else "",
        "standing": claim.standing.label,
        "modality": claim.shown_modality.label if claim.shown_modality else "",
        "context": claim.context.curie if claim.context else "",
        "context_label": claim.context.label if claim.context else "",
        "mechanism": listed(entity.curie for entity in claim.mechanism),
        "mechanism_labels": listed(entity.label for entity in claim.mechanism),
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


def attribute_dicts(graph: nx.MultiDiGraph) -> Iterator[tuple[str, dict[str, Any]]]:
    """The attributes of every node and edge, each with ``node`` or ``edge`` (GraphML's word)."""
    for _, data in graph.nodes(data=True):
        yield "node", data
    for *_, data in graph.edges(data=True):
        yield "edge", data


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """GraphML of a graph: numbers typed by their keys, each list a JSON array under a key
    described as :data:`LIST_DESCRIPTION`, and the file described for whoever opens it."""
    flat = graph.copy()
    lists: set[tuple[str, str]] = set()
    for scope, data in attribute_dicts(flat):
        for name, value in data.items():
            if isinstance(value, list):
                data[name] = json.dumps(value, ensure_ascii=False)
                lists.add((scope, name))
    writer = GraphMLWriter(graph=flat, encoding="utf-8", prettyprint=True)
    for key in writer.xml.findall("key"):
        if (key.get("for"), key.get("attr.name")) in lists:
            key.insert(0, description(LIST_DESCRIPTION))
    writer.xml.insert(0, description(GRAPHML_DESCRIPTION))
    out = io.BytesIO()
    writer.dump(out)
    return out.getvalue() + b"\n"


def description(text: str) -> ET.Element:
    """A GraphML ``<desc>`` element."""
    element = ET.Element("desc")
    element.text = text
    return element


def graphml(kg: KnowledgeGraph) -> bytes:
    """GraphML for Gephi, Cytoscape and yEd."""
    return graphml_bytes(to_networkx(kg))


def node_link_bytes(graph: nx.MultiDiGraph) -> bytes:
    """Node-link JSON (d3 style) of a graph, sorted keys."""
    data = nx.node_link_data(graph, edges="edges")
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def node_link(kg: KnowledgeGraph) -> bytes:
    """Node-link JSON of the network."""
    return node_link_bytes(to_networkx(kg))


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write a NetworkX graph as GraphML."""
    path.write_bytes(graphml_bytes(graph))


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """Read a GraphML file written by :func:`write_graphml` (without the reader's defaults),
    decoding the keys the file describes as lists."""
    lists = {
        (key.get("for"), key.get("attr.name"))
        for key in ET.parse(path).getroot().iter(GRAPHML + "key")
        if key.findtext(GRAPHML + "desc") == LIST_DESCRIPTION
    }
    graph = nx.MultiDiGraph(nx.read_graphml(path, force_multigraph=True))
    for key in ("node_default", "edge_default"):
        graph.graph.pop(key, None)
    for scope, data in attribute_dicts(graph):
        for name, value in data.items():
            if (scope, name) in lists:
                data[name] = json.loads(value)
    return graph


def write_node_link(graph: nx.MultiDiGraph, path: Path) -> None:
    """Write a NetworkX graph as node-link JSON, sorted keys."""
    path.write_bytes(node_link_bytes(graph))


def read_node_link(path: Path) -> nx.MultiDiGraph:
    """Read a node-link JSON file written by :func:`write_node_link`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return nx.MultiDiGraph(nx.node_link_graph(data, directed=True, multigraph=True, edges="edges"))
