"""RDF documents as people read them, for the build's files and the site's answers alike:
Turtle and TriG that declare each namespace once and only the prefixes they use.

pyoxigraph declares every prefix it is given, used or not; so the statements are watched as
they stream to it, and the declarations none of them used are taken out of the document's
head. Nothing here imports rdflib or the loaded graph: the site's query workers write with it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: The predicate Turtle writes ``a``.
A = ox.NamedNode(RDF_TYPE)
#: Literals Turtle writes bare, with no datatype to declare, when their text has the form of
#: Turtle's own numbers and booleans (Turtle 1.1, productions 19, 20, 21 and 133s).
BARE = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "double": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}
#: One declaration at the head of a document pyoxigraph wrote.
DECLARATION = re.compile(rb"@prefix ([^:\s]*): <[^>]*> \.\n")


def prefix_finder(prefixes: Mapping[str, str]) -> Callable[[str], tuple[str, str] | None]:
    """A function giving the prefix and local part an IRI is written with: the longest
    namespace that holds it, as pyoxigraph chooses; remembered, as IRIs come again and again."""
    longest_first = sorted(prefixes.items(), key=lambda item: -len(item[1]))
    seen: dict[str, tuple[str, str] | None] = {}

    def find(iri: str) -> tuple[str, str] | None:
        if iri not in seen:
            seen[iri] = None
            for prefix, namespace in longest_first:
                if iri.startswith(namespace):
                    seen[iri] = (prefix, iri[len(namespace) :])
                    break
        return seen[iri]

    return find


def written_iris(term: Any) -> Iterator[str]:
    """The IRIs Turtle writes for a term: a named node's; a literal's datatype, unless it is a
    plain or language-tagged string or Turtle writes the literal bare; a triple term's."""
    if isinstance(term, ox.NamedNode):
        yield term.value
    elif isinstance(term, ox.Literal):
        datatype = term.datatype.value
        bare = BARE.get(datatype)
        if not (term.language or datatype == XSD_STRING or (bare and bare.fullmatch(term.value))):
            yield datatype
    elif isinstance(term, ox.Triple):
        for part in term:
            yield from written_iris(part)


def written_terms(statement: Any) -> tuple[Any, ...]:
    """The terms of a triple or quad that Turtle or TriG may write with a prefix: all but the
    predicate ``rdf:type``, which it writes ``a``."""
    subject, predicate, *rest = statement
    return (subject, *rest) if predicate == A else (subject, predicate, *rest)


def terse(
    statements: Iterable[Any],
    form: ox.RdfFormat,
    prefixes: Mapping[str, str],
    output: io.BytesIO | None = None,
) -> bytes:
    """Turtle or TriG that declares only the prefixes its statements use (each namespace once,
    given one name per namespace), written into ``output`` (a capped buffer, say) as the
    statements stream in."""
    find = prefix_finder(prefixes)
    used: set[str] = set()
    seen: set[Any] = set()  # each term is looked at once: most come again and again

    def watched() -> Iterator[Any]:
        for statement in statements:
            for term in written_terms(statement):
                if term not in seen:
                    seen.add(term)
                    for iri in written_iris(term):
                        found = find(iri)
                        if found is not None:
                            used.add(found[0])
            yield statement

    target = output if output is not None else io.BytesIO()
    ox.serialize(watched(), target, format=form, prefixes=dict(prefixes))
    return without_unused(target.getvalue(), used)


def without_unused(document: bytes, used: set[str]) -> bytes:
    """A document without the declarations at its head of prefixes it does not use."""
    kept = []
    position = 0
    while (declaration := DECLARATION.match(document, position)) is not None:
        if declaration[1].decode() in used:
            kept.append(declaration[0])
        position = declaration.end()
    return b"".join(kept) + document[position:]
