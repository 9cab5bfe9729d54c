"""Turtle and TriG as spasmkg writes them (build and site alike), checked against what
pyoxigraph really writes and reads back."""

from __future__ import annotations

import io
from typing import Any

import pyoxigraph as ox
import pytest

from spasmkg.outputs.documents import terse
from tests.helpers import assert_declares_what_it_uses

E = "http://e.com/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"e": E, "ea": E + "a/", "rdf": RDF, "xsd": XSD, "unused": "http://unused.org/"}


def iri(local: str) -> ox.NamedNode:
    """A named node in the example namespace."""
    return ox.NamedNode(E + local)


def typed(value: str, datatype: str) -> ox.Literal:
    """A literal of an XML Schema datatype."""
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


@pytest.mark.parametrize(
    ("objects", "uses"),
    [
        # Turtle writes these bare: nothing to declare for them
        ([typed("1", "integer"), typed("-1.5", "decimal"), typed("1e3", "double")], {"e"}),
        ([typed("true", "boolean"), ox.Literal("x"), ox.Literal("x", language="en")], {"e"}),
        # these keep their datatype
        ([typed("1.5", "double")], {"e", "xsd"}),
        ([typed("1", "decimal")], {"e", "xsd"}),
        ([typed("yes", "boolean")], {"e", "xsd"}),
        ([typed("2024-01-01", "date")], {"e", "xsd"}),
        # the longest namespace wins; the namespace itself is written as a prefixed name
        ([ox.NamedNode(E + "a/b")], {"e", "ea"}),
        ([ox.NamedNode(E)], {"e"}),
        # rdf:type as an object, and inside a triple term, is written rdf:type
        ([ox.NamedNode(RDF + "type")], {"e", "rdf"}),
        ([ox.Triple(iri("s"), ox.NamedNode(RDF + "type"), iri("o"))], {"e", "rdf"}),
        ([ox.NamedNode("http://elsewhere.org/x")], {"e"}),
    ],
)
def test_turtle_declares_only_what_pyoxigraph_writes_with_a_prefix(
    objects: list[Any], uses: set[str]
) -> None:
    triples = [ox.Triple(iri("s"), iri("p"), o) for o in objects]
    text = terse(triples, ox.RdfFormat.TURTLE, PREFIXES)
    assert assert_declares_what_it_uses(text.decode()) == uses
    assert {quad.triple for quad in ox.parse(text, format=ox.RdfFormat.TURTLE)} == set(triples)


def test_rdf_type_as_a_predicate_is_a_and_needs_no_declaration() -> None:
    """In TriG too, where a graph's name is written with its prefix."""
    quads = [ox.Quad(ox.NamedNode(E + "a/s"), ox.NamedNode(RDF + "type"), iri("C"), iri("g"))]
    text = terse(quads, ox.RdfFormat.TRIG, PREFIXES)
    assert b" a e:C" in text
    assert assert_declares_what_it_uses(text.decode()) == {"e", "ea"}
    assert set(ox.parse(text, format=ox.RdfFormat.TRIG)) == set(quads)


def test_an_empty_answer_declares_nothing() -> None:
    assert terse([], ox.RdfFormat.TURTLE, PREFIXES) == b""


def test_written_into_a_buffer_as_it_streams() -> None:
    """The site writes into a capped buffer as the statements come; the answer is trimmed."""
    buffer = io.BytesIO()
    triples = iter([ox.Triple(iri("s"), iri("p"), ox.Literal("x"))])
    text = terse(triples, ox.RdfFormat.TURTLE, PREFIXES, buffer)
    assert text == b'@prefix e: <http://e.com/> .\ne:s e:p "x" .\n'
    assert b"unused" in buffer.getvalue()  # pyoxigraph declared every prefix it was given
