"""Every way of naming an entity: label, synonym, spasmkg name or IRI, or an outside identifier.

One index serves look-ups, query parameters, explanations and the page's focus, so a name
means the same entity everywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from spasmkg.errors import UnknownEntity
from spasmkg.model.curie import prefix_map, split_curie
from spasmkg.model.records import Entity


def key(term: str) -> str:
    """How names are compared: without case and surrounding space."""
    return term.casefold().strip()


@dataclass
class NameIndex:
    """Entities by every name they go by; outside identifiers count as names too."""

    entities: dict[str, Entity] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=dict)
    exact: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, entities: Iterable[Entity]) -> NameIndex:
        """Index entities by CURIE, IRI, name, label, synonyms and identifiers."""
        index = cls()
        for entity in entities:
            index.entities[entity.curie] = entity
            index.add(entity.curie, entity.curie, entity.iri, entity.name, entity.label)
            index.add(entity.curie, *entity.synonyms)
            for identifier in entity.identifiers:
                index.add(entity.curie, identifier.curie, identifier.iri)
                if identifier.predicate == "skos:exactMatch":
                    for spelling in (identifier.curie, identifier.iri):
                        index.exact.setdefault(key(spelling), set()).add(entity.curie)
        return index

    def add(self, curie: str, *names: str) -> None:
        """Register names of an entity."""
        for name in names:
            self.names.setdefault(key(name), set()).add(curie)

    def candidates(self, term: str) -> set[str]:
        """Entities a term names: directly, or as a bare outside code such as ``G35``."""
        wanted = key(term)
        if wanted in self.names:
            return self.names[wanted]
        prefixes = {p.casefold() for p in prefix_map()}
        return {
            curie
            for name, curies in self.names.items()
            if split_curie(name)[1] == wanted and split_curie(name)[0] in prefixes
            for curie in curies
        }

    def closest(self, term: str) -> set[str]:
        """Of the candidates, those whose own name is the term or that match it exactly."""
        wanted = key(term)
        if wanted in self.exact:
            return self.exact[wanted]
        own = {
            curie
            for curie in self.names.get(wanted, set())
            if wanted
            in {key(self.entities[curie].label), key(curie), key(self.entities[curie].name)}
        }
        return own or set(self.names.get(wanted, set()))

    def suggestions(self, term: str) -> list[str]:
        """Close names, for the message of an unknown term."""
        return difflib.get_close_matches(key(term), list(self.names), n=5, cutoff=0.6)

    def unknown(self, term: str) -> UnknownEntity:
        """The error for a term that names nothing, with suggestions."""
        hints = self.suggestions(term)
        hint = f"; did you mean: {', '.join(hints)}?" if hints else ""
        return UnknownEntity(f"no entity matches {term!r}{hint}")

    def find(self, term: str) -> list[Entity]:
        """Every entity a term names, closest first; an outside identifier can name several.

        :raises UnknownEntity: nothing matches; the message suggests close names.
        """
        found = self.candidates(term)
        if not found:
            raise self.unknown(term)
        best = self.closest(term)
        return [self.entities[c] for c in sorted(found, key=lambda c: (c not in best, c))]

    def resolve(self, term: str) -> Entity:
        """The one entity a term names.

        :raises UnknownEntity: nothing, or more than one entity, matches.
        """
        found = self.candidates(term)
        if not found:
            raise self.unknown(term)
        if len(found) == 1:
            return self.entities[next(iter(found))]
        best = self.closest(term) & found
        if len(best) == 1:
            return self.entities[next(iter(best))]
        raise UnknownEntity(
            f"{term!r} names several entities ({', '.join(sorted(found))}); use one of them"
        )
