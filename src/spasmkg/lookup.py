"""Find an entity by label, synonym, spasmkg name or IRI, or any of its external identifiers."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from spasmkg.errors import UnknownEntity
from spasmkg.loader import KnowledgeGraph
from spasmkg.mappings import Mapping, expand, prefix_map
from spasmkg.namespaces import SKGO


@dataclass(frozen=True)
class Identifier:
    """One external identifier of an entity, with the mapping relation and resolvable links."""

    predicate: str
    curie: str
    label: str
    iri: str
    link: str
    vocabulary: str


@dataclass(frozen=True)
class EntityRecord:
    """An entity as lookup shows it."""

    iri: str
    curie: str
    label: str
    kind: str
    definition: str
    alt_labels: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    matched_by: str = ""

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        record = {
            key: getattr(self, key)
            for key in ("iri", "curie", "label", "kind", "definition", "matched_by")
        }
        record["alt_labels"] = list(self.alt_labels)
        record["identifiers"] = [identifier.__dict__ for identifier in self.identifiers]
        return record


def identifier(mapping: Mapping) -> Identifier:
    """An identifier with its canonical IRI and a page for people."""
    prefix = prefix_map()[mapping.object_prefix]
    return Identifier(
        predicate=mapping.predicate_id,
        curie=mapping.object_id,
        label=mapping.object_label,
        iri=str(prefix.iri(mapping.object_local_id)),
        link=prefix.link(mapping.object_local_id),
        vocabulary=prefix.name,
    )


def external_names(mapping: Mapping) -> set[str]:
    """The spellings of a mapping's object: its CURIE and its canonical IRI, without case."""
    return {mapping.object_id.casefold(), str(expand(mapping.object_id)).casefold()}


@dataclass
class EntityIndex:
    """Every way of naming each entity, for lookups, query parameters and suggestions."""

    kg: KnowledgeGraph
    names: dict[str, set[str]] = field(default_factory=dict)

    @cached_property
    def entities(self) -> dict[str, URIRef]:
        """Entity IRIs by their ``skg:`` CURIE."""
        return self.kg.entities()

    def __post_init__(self) -> None:
        for curie, iri in self.entities.items():
            self.add(curie, curie, iri, curie.removeprefix("skg:"))
            for label in (
                *self.kg.asserted.objects(iri, RDFS.label),
                *self.kg.asserted.objects(iri, SKOS.altLabel),
            ):
                self.add(curie, str(label))
        for mapping in self.kg.mapping_set.mappings if self.kg.mapping_set else ():
            external = expand(mapping.object_id)
            self.add(mapping.subject_id, mapping.object_id, *([str(external)] if external else []))

    def add(self, curie: str, *keys: str) -> None:
        """Register names of an entity (compared without case)."""
        for key in keys:
            self.names.setdefault(key.casefold().strip(), set()).add(curie)

    def candidates(self, term: str) -> set[str]:
        """Entities a term names: directly, or as a bare external code such as ``G35``."""
        key = term.casefold().strip()
        if key in self.names:
            return self.names[key]
        bare = {
            curie
            for name, curies in self.names.items()
            if name.partition(":")[2] == key
            and name.partition(":")[0].upper() in {p.upper() for p in prefix_map()}
            for curie in curies
        }
        return bare

    def suggestions(self, term: str) -> list[str]:
        """Close names, for the error message of an unknown term."""
        return difflib.get_close_matches(term.casefold(), list(self.names), n=5, cutoff=0.6)

    def record(self, curie: str, matched_by: str) -> EntityRecord:
        """Everything lookup shows about one entity."""
        iri = self.entities[curie]
        graph = self.kg.asserted
        kind = next(
            (
                str(t).removeprefix(str(SKGO._NS))
                for t in graph.objects(iri, RDF.type)
                if str(t).startswith(str(SKGO._NS))
            ),
            "",
        )
        rows = [
            m
            for m in (self.kg.mapping_set.mappings if self.kg.mapping_set else ())
            if m.subject_id == curie
        ]
        order = {
            "skos:exactMatch": 0,
            "skos:closeMatch": 1,
            "skos:narrowMatch": 2,
            "skos:broadMatch": 3,
        }
        rows.sort(key=lambda m: (order.get(m.predicate_id, 4), m.object_id))
        return EntityRecord(
            iri=str(iri),
            curie=curie,
            label=str(graph.value(iri, RDFS.label) or ""),
            kind=kind,
            definition=str(graph.value(iri, SKOS.definition) or ""),
            alt_labels=tuple(sorted(str(a) for a in graph.objects(iri, SKOS.altLabel))),
            identifiers=tuple(identifier(m) for m in rows if m.object_prefix in prefix_map()),
            matched_by=matched_by,
        )

    def lookup(self, term: str) -> list[EntityRecord]:
        """All entities a term names, best first; an external ID can name several.

        :raises UnknownEntity: nothing matches; the message suggests close names.
        """
        found = self.candidates(term)
        if not found:
            hints = self.suggestions(term)
            hint = f"; did you mean: {', '.join(hints)}?" if hints else ""
            raise UnknownEntity(f"no entity matches {term!r}{hint}")
        exact = self.exact_matches(term)
        return [
            self.record(curie, term) for curie in sorted(found, key=lambda c: (c not in exact, c))
        ]

    def exact_matches(self, term: str) -> set[str]:
        """Entities whose own name is the term, or that map to it with skos:exactMatch."""
        key = term.casefold().strip()
        rows = self.kg.mapping_set.mappings if self.kg.mapping_set else ()
        if any(key in external_names(m) for m in rows):
            return {
                m.subject_id
                for m in rows
                if m.predicate_id == "skos:exactMatch" and key in external_names(m)
            }
        return set(self.names.get(key, set()))

    def resolve(self, term: str) -> URIRef:
        """The one entity a term names, for query parameters and explanations.

        :raises UnknownEntity: nothing, or more than one entity, matches.
        """
        found = self.candidates(term)
        if len(found) == 1:
            return self.entities[next(iter(found))]
        exact = self.exact_matches(term) & found
        if len(exact) == 1:
            return self.entities[next(iter(exact))]
        if not found:
            self.lookup(term)
        raise UnknownEntity(
            f"{term!r} names several entities ({', '.join(sorted(found))}); use one of them"
        )
