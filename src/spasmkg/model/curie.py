"""CURIEs and IRIs: one converter over spasmkg's own prefixes and those frozen from bioregistry.

The prefix map (``prefixes.json``, written by ``scripts/freeze_prefixes.py``) is packaged, so no
command needs the network, and every outside identifier becomes the IRI its vocabulary publishes
(MeSH ``http://id.nlm.nih.gov/mesh/``, OBO PURLs, UniProt PURLs ...).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from spasmkg.errors import UnknownPrefix
from spasmkg.model import term_parts
from spasmkg.model.iris import SPASMKG_PREFIXES

if TYPE_CHECKING:  # rdflib is imported where an IRI is made: writing a CURIE needs none
    from rdflib import URIRef


@dataclass(frozen=True)
class Prefix:
    """A vocabulary prefix as bioregistry describes it."""

    prefix: str
    bioregistry: str
    name: str
    pattern: str
    uri_prefix: str
    link_prefix: str
    wikidata_property: str | None = None

    def iri(self, local_id: str) -> URIRef:
        """The canonical IRI of an identifier of this vocabulary."""
        from rdflib import URIRef

        return URIRef(self.uri_prefix + local_id)

    def link(self, local_id: str) -> str:
        """A web page about the identifier, for people."""
        return self.link_prefix + local_id


@cache
def prefix_map() -> dict[str, Prefix]:
    """The frozen outside prefixes, by CURIE prefix."""
    text = resources.files("spasmkg.model").joinpath("prefixes.json").read_text(encoding="utf-8")
    return {
        name: Prefix(prefix=name, **record) for name, record in json.loads(text)["prefixes"].items()
    }


@cache
def known_prefixes() -> dict[str, str]:
    """Every prefix spasmkg knows, with its namespace: its own and the vocabularies'."""
    return {**{name: p.uri_prefix for name, p in prefix_map().items()}, **SPASMKG_PREFIXES}


def one_name_each(bound: Mapping[str, str]) -> dict[str, str]:
    """Prefixes with one name per namespace, so a document declares each namespace once: the
    name spasmkg's CURIEs use where it has one (``CHEBI``, not the mapping file's ``chebi``),
    else the first bound; sorted by name.

    >>> one_name_each({"hp": "http://purl.obolibrary.org/obo/HP_", "HP": "http://purl.obolibrary.org/obo/HP_"})
    {'HP': 'http://purl.obolibrary.org/obo/HP_'}
    """
    own = {namespace: name for name, namespace in known_prefixes().items()}
    chosen: dict[str, str] = {}
    for name, namespace in bound.items():
        chosen.setdefault(namespace, own.get(namespace, name))
    return dict(sorted((name, namespace) for namespace, name in chosen.items()))


@cache
def converter() -> Any:
    """The one CURIE <-> IRI converter: spasmkg's prefixes and the frozen outside ones."""
    import curies  # imported on first use: it pulls in pydantic, slow for a one-shot command

    records = {name: prefix.uri_prefix for name, prefix in prefix_map().items()}
    return curies.Converter.from_prefix_map({**SPASMKG_PREFIXES, **records})


def expand(curie: str) -> URIRef:
    """The canonical IRI of a CURIE.

    >>> expand("MESH:D013035")
    rdflib.term.URIRef('http://id.nlm.nih.gov/mesh/D013035')

    :raises UnknownPrefix: the prefix is neither spasmkg's nor one of the frozen vocabularies.
    """
    iri = converter().expand(curie)
    if iri is None:
        known = ", ".join(sorted(prefix_map()))
        raise UnknownPrefix(f"{curie!r}: unknown prefix (known: {known}, and spasmkg's own)")
    from rdflib import URIRef

    return URIRef(iri)


@lru_cache(maxsize=1 << 16)
def compress(iri: str) -> str | None:
    """The CURIE of an IRI, or None when no known prefix matches (IRIs of anyone's making);
    remembered, as the records and every writer ask again for the same IRIs.

    >>> compress("http://purl.obolibrary.org/obo/HP_0003394")
    'HP:0003394'
    """
    found = converter().compress(iri)
    return str(found) if found else None


def curie(term: object) -> str:
    """How people read a term: a CURIE where a prefix is known, else the IRI or the literal's text.

    >>> from rdflib import URIRef
    >>> curie(URIRef("https://w3id.org/spasmkg/entity/furosemide"))
    'skg:furosemide'
    """
    if term is None:
        return ""
    if term_parts.kind(term) == "uri":
        return compress(term_parts.text(term)) or term_parts.text(term)
    return term_parts.text(term)


def split_curie(text: str) -> tuple[str, str]:
    """A CURIE's prefix and local identifier, read as the curies library reads one (at the
    first colon; a test checks the two agree on every CURIE of the graph), without importing
    it: a cold command that never compresses an IRI would pay a quarter of a second for it.
    Text that is not a CURIE has no prefix.

    >>> split_curie("skg:furosemide")
    ('skg', 'furosemide')
    """
    prefix, colon, local = text.partition(":")
    return (prefix, local) if colon else ("", text)


def prefix_of(text: str) -> str:
    """A CURIE's prefix (``skg`` of ``skg:furosemide``)."""
    return split_curie(text)[0]


def local_of(text: str) -> str:
    """A CURIE's local identifier (``furosemide`` of ``skg:furosemide``)."""
    return split_curie(text)[1]


def link(curie_text: str) -> str:
    """A page for people about an outside identifier (empty for spasmkg's own CURIEs)."""
    prefix, local_id = split_curie(curie_text)
    known = prefix_map().get(prefix)
    return known.link(local_id) if known else ""
