"""What every term of a curated file must be before anything else reads it.

rdflib's Turtle parser is lenient: it keeps IRIs with spaces, braces, quotes or newlines (from
``\\u`` escapes), lone surrogates, and relative IRIs resolved against the builder's own file
path, and it lets a file bind ``skg:`` to a foreign namespace. Each of these would crash a
later writer or publish something wrong, so the loader refuses them here, naming file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from spasmkg.errors import GraphSyntaxError
from spasmkg.model.iris import SPASMKG_PREFIXES

#: Relative IRIs are resolved against this base, so they can be recognised and refused.
RELATIVE_BASE = "https://relative-iri.invalid/"
IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`\x7f]*")
SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(text: str) -> bool:
    """True when a string holds a lone surrogate, which no file can encode."""
    return SURROGATE.search(text) is not None


def problem(term: Node) -> str | None:
    """What is wrong with one term, or None."""
    if isinstance(term, BNode):
        return "a blank node; give the node an IRI (blank nodes have no stable name or order)"
    if isinstance(term, URIRef):
        iri = str(term)
        if iri.startswith(RELATIVE_BASE):
            return f"the relative IRI <{iri.removeprefix(RELATIVE_BASE)}>; write it in full or with a prefix"
        if iri.startswith("file:"):
            return f"the file IRI <{iri}>, which would publish a local path"
        if has_surrogate(iri) or not IRI.fullmatch(iri):
            return f"the IRI {iri!r}, which has a character IRIs may not hold"
    if isinstance(term, Literal) and has_surrogate(str(term)):
        return "a string with a lone surrogate, which no file can encode"
    return None


def distinct_terms(graph: Graph) -> Iterator[Node]:
    """Every term of a graph once, in the order the graph gives them."""
    seen: set[Node] = set()
    for triple in graph:
        for term in triple:
            if term not in seen:
                seen.add(term)
                yield term


def problems(terms: Iterable[Node]) -> Iterator[tuple[Node, str]]:
    """Every bad term among distinct terms, with what is wrong with it."""
    for term in terms:
        found = problem(term)
        if found:
            yield term, found


def line_with(path: Path, needle: str) -> int:
    """The first line of a file that holds a text (1 if none)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    return next((number for number, line in enumerate(lines, 1) if needle in line), 1)


def check_wellformed(
    graph: Graph, path: Path, shown_as: str, terms: Iterable[Node] | None = None
) -> None:
    """Refuse a parsed file with a bad term or a rebound spasmkg or W3C prefix.

    :param terms: the graph's distinct terms, when the parser has them already.
    :raises GraphSyntaxError: with the file and line of the first problem.
    """
    for prefix, namespace in graph.namespaces():
        wanted = SPASMKG_PREFIXES.get(prefix)
        if wanted is not None and str(namespace) != wanted:
            line = line_with(path, f"<{namespace}>")
            raise GraphSyntaxError(
                f"{shown_as}:{line}: the prefix {prefix}: must stand for <{wanted}>, "
                f"not <{namespace}>"
            )
    for term, found in problems(distinct_terms(graph) if terms is None else terms):
        text = str(term).removeprefix(RELATIVE_BASE) if isinstance(term, URIRef) else ""
        clean = re.match(r"[^\x00-\x20<>\"{}|\\^`\x7f\ud800-\udfff]*", text)
        needle = clean.group() if clean else ""
        line = line_with(path, needle) if needle else 1
        raise GraphSyntaxError(f"{shown_as}:{line}: {found}")
