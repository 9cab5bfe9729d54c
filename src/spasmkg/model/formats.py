"""The RDF and SPARQL-result formats spasmkg writes and serves: one name, media type and file
extension each, read by the build's registry of outputs, the site's content negotiation and
the query workers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One format: the name spasmkg uses for it, its media type, its file extension."""

    name: str
    media_type: str
    extension: str
    label: str


#: RDF serialisations, in the order a site offers them after HTML.
RDF_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "text/turtle", "ttl", "Turtle"),
        Format("jsonld", "application/ld+json", "jsonld", "JSON-LD"),
        Format("ntriples", "application/n-triples", "nt", "N-Triples"),
        Format("nquads", "application/n-quads", "nq", "N-Quads"),
        Format("trig", "application/trig", "trig", "TriG"),
        Format("rdfxml", "application/rdf+xml", "rdf", "RDF/XML"),
    )
}
#: SPARQL results of SELECT and ASK queries.
RESULT_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "application/sparql-results+json", "srj", "SPARQL results in JSON"),
        Format("xml", "application/sparql-results+xml", "srx", "SPARQL results in XML"),
        Format("csv", "text/csv", "csv", "CSV"),
        Format("tsv", "text/tab-separated-values", "tsv", "TSV"),
    )
}
HTML = Format("html", "text/html", "html", "HTML")


def spelled(formats: dict[str, Format]) -> str:
    """The words ``?format=`` takes, for an error message: ``turtle (ttl), html, ...``."""
    return ", ".join(
        f.name if f.extension == f.name else f"{f.name} ({f.extension})" for f in formats.values()
    )


def named(word: str, formats: dict[str, Format]) -> Format | None:
    """The format a ``?format=`` word names: its name, or its file extension (``ttl``)."""
    return formats.get(word) or next((f for f in formats.values() if f.extension == word), None)
