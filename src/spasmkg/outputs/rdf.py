"""Serialisations of the graph: Turtle, sorted N-Triples and N-Quads, TriG and JSON-LD.

pyoxigraph writes them from the graph's store, sorted, with the curators' prefixes (one name
per namespace; Turtle and TriG declare only those they use, see
:mod:`spasmkg.outputs.documents`): the same graph gives the same bytes, and the whole set takes
a fraction of a second where rdflib's writers took several (benchmarks/README.md, "The cost of
the imported HPO layer").
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

import pyoxigraph as ox

from spasmkg.model.graph import KnowledgeGraph
from spasmkg.outputs.documents import RDF_TYPE, jsonld_document, terse


def triple_order(triple: Any) -> tuple[str, bool, str, str]:
    """Subjects in order, each with its types first, as people read Turtle."""
    predicate = triple.predicate.value
    return (triple.subject.value, predicate != RDF_TYPE, predicate, str(triple.object))


@lru_cache(maxsize=2)
def graph_triples(kg: KnowledgeGraph) -> dict[str, list[Any]]:
    """Each named graph's triples by graph IRI, read from the store once: reading a store's
    quads back into Python objects is slow, and three writers need them."""
    found: dict[str, list[Any]] = {}
    for quad in kg.store:
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        found.setdefault(quad.graph_name.value, []).append(triple)
    return found


@lru_cache(maxsize=2)
def sorted_triples(kg: KnowledgeGraph) -> tuple[Any, ...]:
    """Every triple of every named graph once, in reading order (the graph has no blank
    nodes, so every subject is an IRI)."""
    unique = {triple for triples in graph_triples(kg).values() for triple in triples}
    return tuple(sorted(unique, key=triple_order))


def named_quads(kg: KnowledgeGraph) -> list[Any]:
    """Every quad, named graph by named graph in their fixed order, each in reading order (the
    order of :func:`sorted_triples`, looked up rather than worked out again)."""
    place = {triple: index for index, triple in enumerate(sorted_triples(kg))}
    quads = []
    for name, _ in kg.named_graphs():
        graph = ox.NamedNode(str(name))
        triples = graph_triples(kg).get(str(name), [])
        quads += [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in sorted(triples, key=place.__getitem__)
        ]
    return quads


def serialize(statements: Any, form: Any) -> bytes:
    """Triples or quads in a line-based RDF format, written by pyoxigraph."""
    return cast(bytes, ox.serialize(statements, format=form))


def sorted_lines(data: bytes) -> bytes:
    """The statements of a line-based format sorted, so its output is easy to diff."""
    return b"".join(sorted(set(data.splitlines(keepends=True))))


def turtle(kg: KnowledgeGraph) -> bytes:
    """The whole graph (ontology, curated, materialised, mappings) as one Turtle file."""
    return terse(sorted_triples(kg), ox.RdfFormat.TURTLE, kg.prefixes)


def ntriples(kg: KnowledgeGraph) -> bytes:
    """The whole graph as sorted N-Triples, the easiest form to diff and to stream."""
    every = kg.store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(every, ox.QueryTriples)  # a CONSTRUCT's answer, whatever the store
    return sorted_lines(every.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")


def nquads(kg: KnowledgeGraph) -> bytes:
    """Sorted N-Quads, one named graph each for ontology, asserted, inferred and mappings."""
    return sorted_lines(serialize(kg.store, ox.RdfFormat.N_QUADS))


def trig(kg: KnowledgeGraph) -> bytes:
    """TriG with the same named graphs in a fixed order, readable with the curators' prefixes."""
    return terse(named_quads(kg), ox.RdfFormat.TRIG, kg.prefixes)


def jsonld(kg: KnowledgeGraph) -> bytes:
    """Compact JSON-LD with the curators' prefixes (see :func:`~spasmkg.outputs.documents.jsonld`)."""
    return jsonld_document(sorted_triples(kg), kg.prefixes)
