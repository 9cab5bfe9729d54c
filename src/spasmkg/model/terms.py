"""Terms between rdflib and pyoxigraph: pyoxigraph parses and queries, rdflib holds the records.

pyoxigraph reads Turtle twenty times faster than rdflib, so the loader parses with it and hands
rdflib the terms; the query engine, the checks and the writers go the other way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from spasmkg.errors import SpasmKGError
from spasmkg.model.term_parts import OXIGRAPH_TERMS, XSD_STRING


def plain_or_typed(value: str, datatype: str | None) -> Literal:
    """A literal as rdflib writes it: RDF 1.1 makes xsd:string the type of a plain literal, so
    both are one literal, and every engine's answer compares equal."""
    if datatype in (None, XSD_STRING):
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


def to_rdflib(term: Any) -> Node | None:
    """A pyoxigraph term as the equivalent rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return plain_or_typed(term.value, term.datatype.value)
    raise SpasmKGError(f"unsupported term from pyoxigraph: {term!r}")


def as_rdflib(term: Any) -> Node | None:
    """A term as rdflib's: pyoxigraph's converted, rdflib's (or None) as they are."""
    return to_rdflib(term) if isinstance(term, OXIGRAPH_TERMS) else term


def to_oxigraph(term: Node) -> Any:
    """An rdflib term as the equivalent pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise SpasmKGError(f"cannot pass {term!r} to pyoxigraph")


class RdflibTerms:
    """pyoxigraph terms turned into rdflib terms, each distinct term once; ``seen`` keeps them
    in the order the file first used them."""

    def __init__(self) -> None:
        self.seen: dict[Any, Node | None] = {}

    def __call__(self, value: Any) -> Node | None:
        if value not in self.seen:
            self.seen[value] = to_rdflib(value)
        return self.seen[value]


def rdflib_graph(
    triples: Iterable[Any], prefixes: dict[str, str], term: RdflibTerms | None = None
) -> Graph:
    """pyoxigraph triples as an rdflib graph with the prefixes their file declared."""
    graph = Graph(bind_namespaces="none")
    term = term or RdflibTerms()
    graph.addN(
        (term(t.subject), term(t.predicate), term(t.object), graph)  # type: ignore[misc]
        for t in triples
    )
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace)
    return graph


def oxigraph_quads(graph: Graph, name: Any) -> list[Any]:
    """An rdflib graph's triples as pyoxigraph quads in the named graph ``name``."""
    converted: dict[Node, Any] = {}

    def term(value: Node) -> Any:
        if value not in converted:
            converted[value] = to_oxigraph(value)
        return converted[value]

    return [ox.Quad(term(s), term(p), term(o), name) for s, p, o in graph]
