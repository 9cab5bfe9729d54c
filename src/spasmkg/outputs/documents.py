"""RDF documents as people read them, for the build's files and the site's answers alike:
Turtle and TriG that declare each namespace once and only the prefixes they use.

pyoxigraph declares every prefix it is given, used or not; so the statements are watched as
they stream to it, and the declarations none of them used are taken out of the document's
head. Nothing here imports rdflib or the loaded graph: the site's query workers write with it.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pyoxigraph as ox

from spasmkg.model.term_parts import XSD, XSD_STRING

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


#: JSON-LD 1.1 uses a plain prefix definition only when its IRI ends with one of these.
GEN_DELIMS = tuple(":/?#[]@")


def jsonld_context(prefixes: Mapping[str, str]) -> dict[str, Any]:
    """The prefixes as a JSON-LD 1.1 context; a namespace such as ``.../obo/HP_`` must say it is
    a prefix, as it does not end with a delimiter."""
    context: dict[str, Any] = {"@version": 1.1}
    for prefix, namespace in sorted(prefixes.items()):
        usable = namespace.endswith(GEN_DELIMS)
        context[prefix] = namespace if usable else {"@id": namespace, "@prefix": True}
    return context


def jsonld_value(term: Any, compact: Callable[[str], str]) -> Any:
    """One object of a triple as a JSON-LD value."""
    if isinstance(term, ox.NamedNode):
        return {"@id": compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@language": term.language, "@value": term.value}
    if term.datatype.value == XSD_STRING:
        return term.value
    return {"@type": compact(term.datatype.value), "@value": term.value}


def jsonld_document(triples: Iterable[Any], prefixes: Mapping[str, str]) -> bytes:
    """Compact JSON-LD whose context declares the prefixes its IRIs use: one node per subject,
    in the order the triples come, each with its properties and values sorted, one node per
    line (readable in a diff); blank nodes keep their labels, and nothing is framed."""
    find = prefix_finder(prefixes)
    used: dict[str, str] = {}

    def compact(iri: str) -> str:
        found = find(iri)
        if found is None or not found[1]:
            return iri
        used[found[0]] = prefixes[found[0]]
        return f"{found[0]}:{found[1]}"

    nodes: dict[str, dict[str, list[Any]]] = {}
    for triple in triples:
        subject = triple.subject
        named = isinstance(subject, ox.NamedNode)
        node = nodes.setdefault(compact(subject.value) if named else f"_:{subject.value}", {})
        if triple.predicate.value == RDF_TYPE:
            node.setdefault("@type", []).append(compact(triple.object.value))
        else:
            key = compact(triple.predicate.value)
            node.setdefault(key, []).append(jsonld_value(triple.object, compact))
    lines = []
    for identifier, properties in nodes.items():
        values = {
            key: items if len(items) == 1 else sorted(items, key=json.dumps)
            for key, items in properties.items()
        }
        lines.append(json.dumps({"@id": identifier, **values}, sort_keys=True, ensure_ascii=False))
    context = json.dumps(jsonld_context(used), sort_keys=True)
    body = ",\n  ".join(lines)
    return f'{{"@context": {context},\n "@graph": [\n  {body}\n ]\n}}\n'.encode()
