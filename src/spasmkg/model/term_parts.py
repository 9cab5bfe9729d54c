"""The parts of an RDF term (its kind, text, language and datatype), read alike from
pyoxigraph's terms and rdflib's.

The Oxigraph engine's rows stay pyoxigraph terms until someone reads them as rdflib's (see
:attr:`spasmkg.ask.results.QueryResult.rows`): a command that only writes them out never
imports rdflib, which took longer than loading the graph and answering (benchmarks/README.md).
"""

from __future__ import annotations

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
OXIGRAPH_TERMS = (ox.NamedNode, ox.BlankNode, ox.Literal)


def kind(term: object) -> str:
    """``uri``, ``bnode`` or ``literal``, as the SPARQL JSON results name them."""
    if isinstance(term, ox.NamedNode):
        return "uri"
    if isinstance(term, ox.BlankNode):
        return "bnode"
    if isinstance(term, ox.Literal):
        return "literal"
    from rdflib import BNode, URIRef  # a term that is not pyoxigraph's is rdflib's: imported

    if isinstance(term, URIRef):
        return "uri"
    return "bnode" if isinstance(term, BNode) else "literal"


def text(term: object) -> str:
    """An IRI, a blank node's label or a literal's lexical form."""
    return term.value if isinstance(term, OXIGRAPH_TERMS) else str(term)


def language(term: object) -> str | None:
    """A literal's language tag, if it has one."""
    return getattr(term, "language", None) or None


def datatype(term: object) -> str | None:
    """A typed literal's datatype IRI; none for a plain string or a language-tagged one, which
    RDF 1.1 types implicitly."""
    found = getattr(term, "datatype", None)
    if found is None:
        return None
    iri = found.value if isinstance(found, ox.NamedNode) else str(found)
    return None if iri in (XSD_STRING, RDF_LANG_STRING) else iri
