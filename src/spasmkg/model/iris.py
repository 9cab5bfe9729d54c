"""spasmkg's base IRI and the prefixes it shows IRIs with, as plain strings: what a command that
only writes CURIEs needs, without rdflib's namespaces (see :mod:`spasmkg.model.namespaces`)."""

from __future__ import annotations

BASE = "https://w3id.org/spasmkg/"

#: Prefixes for spasmkg's own namespaces and the W3C vocabularies it uses, for short display.
SPASMKG_PREFIXES = {
    "skg": BASE + "entity/",
    "skgo": BASE + "ontology/",
    "claim": BASE + "claim/",
    "evidence": BASE + "evidence/",
    "source": BASE + "source/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
}
