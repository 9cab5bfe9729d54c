"""Every way of naming an entity, and the one resolver that reads a person's words.

A name can be a label, a synonym, a spasmkg name or IRI, an outside identifier (``G35``,
``HP:0003394``), or an everyday name with its source (a lay term, a brand name, an
abbreviation, an HPO layperson's synonym: ``skgo:Name``). The resolver reads what a person
types the way a person means it: without regard to case, punctuation or hyphens, plurals and
"-ing" forms, possessives ("Parkinson's"), a leading article, or the order of the words; a word
that can name several entities names the preferred sense and says which others it could have
meant; an unknown word gets close names. Look-ups, query parameters, explain, ``why``, the
page's search and the site all read names through one index, so a word means the same entity
everywhere.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spasmkg.errors import UnknownEntity, UsageError
from spasmkg.model.curie import prefix_map, split_curie
from spasmkg.model.records import Entity

#: How a word was read, most direct first: these order the candidates of an ambiguous word.
HOW = ("label", "identifier", "synonym", "abbreviation", "brandName", "layTerm", "laypersonSynonym")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
#: Words that do not change what a name means.
ARTICLES = frozenset({"a", "an", "the", "my"})
#: Small joining words that only place the other words ("cramps at night", "deficiency of
#: magnesium"): left out of the order-free form of a name.
JOINING = frozenset({"at", "in", "of", "on"})
WORD = re.compile(r"[^\W_]+")
#: Why a name matched a term, in the order search ranks them.
EXACT = "exact name"
SAME_WORDS = "same words"
ANY_ORDER = "same words in another order"
BARE_CODE = "code without its prefix"
EVERY_WORD = "holds every word"
SOME_WORDS = "holds some of the words"
CLOSE = "close spelling"


def key(term: str) -> str:
    """How names are compared exactly: without case and surrounding space."""
    return term.casefold().strip()


def singular(word: str) -> str:
    """A word's base form, by the rules English names follow: a plural's singular (cramps,
    injuries, stretches) and an "-ing" form's stem (cramping, twitching); words that end in
    -ss, -us or -is stay as they are; an adjective made from a noun with "-y" after "ch" or
    "mp" is read as the noun (twitchy, crampy, itchy). Names and inputs are read alike, so a
    stem that is not a word (aching, ach) still matches its own kind."""
    if len(word) > 6 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith(("chy", "mpy")):
        return word[:-1]
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def words(term: str) -> list[str]:
    """A term's words: case, apostrophes, possessives, punctuation and hyphens set aside."""
    text = term.translate(APOSTROPHES).casefold()
    text = re.sub(r"'s\b|s'(?=\s|$)|'", lambda m: "s" if m.group(0) == "s'" else "", text)
    return [w for w in WORD.findall(text) if w not in ARTICLES]


def normal(term: str) -> str:
    """A term as the resolver compares it: its words, each in the singular, in order."""
    return " ".join(singular(word) for word in words(term))


def unordered(term: str) -> str:
    """A term's words in the singular, in sorted order and without joining words ("cramps
    leg", "leg cramps" and "cramps in the leg")."""
    return " ".join(sorted(singular(word) for word in words(term) if word not in JOINING))


@dataclass(frozen=True)
class Reading:
    """How a person's words were read: the entity taken, how, from which sources, and what else
    the words could have meant."""

    term: str
    entity: Entity
    #: label, identifier, synonym, abbreviation, brandName, layTerm or laypersonSynonym
    how: str
    #: the name the words matched, as the graph writes it
    matched: str
    sources: tuple[str, ...] = ()
    #: other entities of the graph the words name, by label
    others: tuple[str, ...] = ()
    #: what else the words can mean outside the graph
    other_senses: str = ""

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {
            "input": self.term,
            "entity": self.entity.curie,
            "label": self.entity.label,
            "how": self.how,
            "matched": self.matched,
            "sources": list(self.sources),
            "other_senses": [*self.others, *([self.other_senses] if self.other_senses else [])],
        }


@dataclass(frozen=True)
class Spelling:
    """One name of one entity in the index: its words, how it names the entity, its sources."""

    curie: str
    text: str
    how: str
    sources: tuple[str, ...] = ()
    preferred: bool = False
    other_senses: str = ""


@dataclass(frozen=True)
class Hit:
    """A candidate of a search: the entity, the name of it that matched, and why."""

    entity: Entity
    spelling: Spelling
    #: one of the tiers: exact name, same words, ... close spelling
    why: str


@dataclass
class NameIndex:
    """Entities by every name they go by: exact names, their normal forms, and their words in
    any order; outside identifiers count as names too."""

    entities: dict[str, Entity] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=dict)
    exact: dict[str, set[str]] = field(default_factory=dict)
    spellings: dict[str, list[Spelling]] = field(default_factory=dict)
    by_normal: dict[str, list[Spelling]] = field(default_factory=dict)
    by_words: dict[str, list[Spelling]] = field(default_factory=dict)

    @classmethod
    def of(cls, entities: Iterable[Entity]) -> NameIndex:
        """Index entities by CURIE, IRI, name, label, synonyms, everyday names and identifiers."""
        index = cls()
        for entity in entities:
            curie = entity.curie
            index.entities[curie] = entity
            for text in (entity.curie, entity.iri, entity.name):
                index.spell(Spelling(curie, text, "identifier"))
            index.spell(Spelling(curie, entity.label, "label"))
            for synonym in entity.synonyms:
                index.spell(Spelling(curie, synonym, "synonym"))
            for name in entity.names:
                index.spell(
                    Spelling(
                        curie, name.text, name.kind, name.sources, name.preferred, name.other_senses
                    )
                )
            for identifier in entity.identifiers:
                for spelling in (identifier.curie, identifier.iri):
                    index.spell(Spelling(curie, spelling, "identifier"))
                    if identifier.predicate == "skos:exactMatch":
                        index.exact.setdefault(key(spelling), set()).add(curie)
        return index

    def spell(self, spelling: Spelling) -> None:
        """Register one name of an entity under its exact, normal and unordered forms."""
        self.names.setdefault(key(spelling.text), set()).add(spelling.curie)
        self.spellings.setdefault(key(spelling.text), []).append(spelling)
        if spelling.how != "identifier":
            self.by_normal.setdefault(normal(spelling.text), []).append(spelling)
            if unordered(spelling.text):
                self.by_words.setdefault(unordered(spelling.text), []).append(spelling)

    def add(self, curie: str, *names: str) -> None:
        """Register plain names of an entity (synonyms)."""
        for name in names:
            self.spell(Spelling(curie, name, "synonym"))

    def tiers(self, term: str) -> Iterator[tuple[str, list[Spelling]]]:
        """The names a term matches, tier by tier, each with why it matched: exactly, in normal
        form, with its words in any order, as a bare outside code (``G35``); computed lazily,
        as the last tier reads every name."""
        yield EXACT, self.spellings.get(key(term), [])
        if normal(term):
            yield SAME_WORDS, self.by_normal.get(normal(term), [])
            yield ANY_ORDER, self.by_words.get(unordered(term), [])
        yield BARE_CODE, self.bare_code(term)

    def bare_code(self, term: str) -> list[Spelling]:
        """The outside identifiers whose local part is the term (``G35`` of ``ICD10WHO:G35``)."""
        prefixes = {p.casefold() for p in prefix_map()}
        wanted = key(term)
        return [
            spelling
            for name, spellings in self.spellings.items()
            if split_curie(name)[1] == wanted and split_curie(name)[0] in prefixes
            for spelling in spellings
        ]

    def matches(self, term: str) -> list[Spelling]:
        """The names a term matches, from the first tier that has any (see :meth:`tiers`)."""
        return next((found for _, found in self.tiers(term) if found), [])

    def sharing(self, term: str, every: bool) -> list[Spelling]:
        """The names that hold every word of the term (``every``), or some but not all of
        them; most words shared first, then fewest other words."""
        wanted = set(normal(term).split()) - JOINING
        found = []
        for name, spellings in self.by_normal.items():
            held = len(wanted & set(name.split()))
            if held and (held == len(wanted)) == every:
                found += [((-held, len(name.split()), rank(s)), s) for s in spellings]
        return [spelling for _, spelling in sorted(found, key=lambda f: f[0])]

    def close(self, term: str, limit: int) -> list[Spelling]:
        """The names spelt most like the term (difflib's ratio, 0.6 or more), closest first."""
        near = difflib.get_close_matches(normal(term), list(self.by_normal), n=limit, cutoff=0.6)
        return [s for name in near for s in sorted(self.by_normal[name], key=rank)]

    def search(self, term: str, limit: int = 10) -> list[Hit]:
        """Candidates for a term, best first, each entity once with why it matched: the tiers
        of :meth:`tiers` (an entity the term names exactly first, then by the resolver's
        :func:`rank`), then names holding every word, then some of them, then names spelt
        alike.

        :raises UsageError: the term is empty.
        """
        if not term.strip():
            raise UsageError("give a word, a name or an identifier to search for")
        closest = self.closest(term)
        tiers = [
            *(
                (why, sorted(found, key=lambda s: (s.curie not in closest, rank(s))))
                for why, found in self.tiers(term)
            ),
            (EVERY_WORD, self.sharing(term, every=True)),
            (SOME_WORDS, self.sharing(term, every=False)),
            (CLOSE, self.close(term, limit)),
        ]
        hits: dict[str, Hit] = {}
        for why, found in tiers:
            for spelling in found:
                if len(hits) < limit and spelling.curie not in hits:
                    hits[spelling.curie] = Hit(self.entities[spelling.curie], spelling, why)
        return list(hits.values())

    def candidates(self, term: str) -> set[str]:
        """Entities a term names (see :meth:`matches`)."""
        return {spelling.curie for spelling in self.matches(term)}

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
        if not term.strip():
            raise UsageError("give a name, a label or an identifier to look up")
        found = self.candidates(term)
        if not found:
            raise self.unknown(term)
        best = self.closest(term)
        return [self.entities[c] for c in sorted(found, key=lambda c: (c not in best, c))]

    def read(self, term: str) -> Reading:
        """How a person's words are read: the one entity they name, or, when they name several,
        the preferred sense (a name marked so, else the most direct kind of name, else the one
        whose own label it is) with the others listed.

        :raises UnknownEntity: nothing matches (close names suggested), or several entities
            match and nothing prefers one of them.
        """
        if not term.strip():
            raise UsageError("give a name, a label or an identifier, not an empty word")
        found = self.matches(term)
        if not found:
            raise self.unknown(term)
        by_entity: dict[str, Spelling] = {}
        for spelling in sorted(found, key=rank):
            by_entity.setdefault(spelling.curie, spelling)
        chosen = sorted(by_entity.values(), key=rank)
        best = chosen[0]
        if len(chosen) > 1 and rank(best)[:2] == rank(chosen[1])[:2]:
            exact = self.closest(term) & set(by_entity)
            if len(exact) != 1:
                raise UnknownEntity(
                    f"{term!r} names several entities ({', '.join(sorted(by_entity))}); "
                    "use one of them"
                )
            best = by_entity[next(iter(exact))]
        others = tuple(self.entities[s.curie].label for s in chosen if s.curie != best.curie)
        return Reading(
            term,
            self.entities[best.curie],
            best.how,
            best.text,
            best.sources,
            others,
            best.other_senses,
        )

    def resolve(self, term: str) -> Entity:
        """The one entity a term names (see :meth:`read`).

        :raises UnknownEntity: nothing matches, or several do and none is preferred.
        """
        return self.read(term).entity


def rank(spelling: Spelling) -> tuple[int, int, str]:
    """Which name wins when words name several entities: a preferred sense, then the most
    direct kind of name, then the first entity by CURIE (for a stable choice)."""
    return (not spelling.preferred, HOW.index(spelling.how), spelling.curie)
