"""Serialisations of the graph: Turtle, sorted N-Triples and N-Quads, TriG and JSON-LD.

Every writer is deterministic (same graph, same bytes), because rdflib's own iteration order
follows insertion order and Python's string hashing changes between processes.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph

from spasmkg.model.graph import KnowledgeGraph


def sorted_lines(text: str) -> str:
    """Sort the statements of a line-based format so its output is stable."""
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def turtle(kg: KnowledgeGraph) -> bytes:
    """The whole graph (ontology, curated, materialised, mappings) as one Turtle file."""
    return kg.union().serialize(format="turtle").encode("utf-8")


def ntriples(kg: KnowledgeGraph) -> bytes:
    """The whole graph as sorted N-Triples, the easiest form to diff and to stream."""
    return sorted_lines(kg.union().serialize(format="nt")).encode("utf-8")


def nquads(kg: KnowledgeGraph) -> bytes:
    """Sorted N-Quads, one named graph each for ontology, asserted, inferred and mappings."""
    chunks = []
    for name, graph in kg.named_graphs():
        for line in graph.serialize(format="nt").splitlines():
            if line.strip():
                chunks.append(f"{line.removesuffix(' .')} <{name}> .")
    return ("\n".join(sorted(set(chunks))) + "\n").encode("utf-8")


def trig(kg: KnowledgeGraph) -> bytes:
    """TriG with the same named graphs in a fixed order, readable with the curators' prefixes.

    rdflib's own TriG writer orders the graphs by set iteration, which changes between runs.
    """
    prefixes: set[str] = set()
    blocks = []
    for name, graph in kg.named_graphs():
        lines = graph.serialize(format="turtle").splitlines()
        prefixes.update(line for line in lines if line.startswith("@prefix"))
        body = [f"    {line}" if line else "" for line in lines if not line.startswith("@prefix")]
        blocks.append(f"<{name}> {{\n" + "\n".join(body).strip("\n") + "\n}\n")
    return ("\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def jsonld_context(graph: Graph) -> dict[str, str]:
    """The prefixes of the graph as a JSON-LD context, sorted."""
    return {prefix: str(namespace) for prefix, namespace in sorted(graph.namespaces()) if prefix}


def jsonld(kg: KnowledgeGraph) -> bytes:
    """Compact JSON-LD with the curators' prefixes, nodes sorted by identifier."""
    graph = kg.union()
    context = jsonld_context(graph)
    document: Any = json.loads(
        graph.serialize(format="json-ld", context=context, auto_compact=True)
    )
    nodes = document.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
    document["@graph"] = sorted(nodes, key=lambda node: str(node.get("@id")))
    return (json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
