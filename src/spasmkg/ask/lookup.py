"""``spasmkg lookup`` and ``spasmkg search``: an entity by any of its names, shown with its
identifiers everywhere and the claims it takes part in, each with its evidence; or the ranked
candidates for a word, each with why it matched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from spasmkg.ask.citing import claim_lines
from spasmkg.errors import UsageError
from spasmkg.model.compiled import query_graph
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.loader import load
from spasmkg.model.names import NameIndex
from spasmkg.model.paths import DataPaths
from spasmkg.model.records import Claim, Entity


class Named(Protocol):
    """What reading names needs of a graph: its names and its data folder; a KnowledgeGraph
    and the graph compiled for questions both have them."""

    @property
    def paths(self) -> DataPaths:
        """The data folder (for its mapping set)."""
        ...

    @property
    def names(self) -> NameIndex:
        """Every name of every entity."""
        ...


def named_graph(kg: Named | None, root: Path | str | None, layer: str | Sequence[str]) -> Named:
    """The graph given, else the data folder's compiled for questions: its names are read in
    half a second, where loading every record takes several."""
    return kg or query_graph(root, layer=layer)


def lookup(
    term: str,
    *,
    kg: KnowledgeGraph | None = None,
    root: Path | str | None = None,
    layer: str | Sequence[str] = "all",
) -> list[Entity]:
    """Every entity a label, synonym, IRI or outside identifier names, closest first (in
    ``kg``, or in the data folder ``root`` loaded with ``layer``).

    >>> import spasmkg
    >>> [entity.curie for entity in lookup("G35", kg=spasmkg.load())]
    ['skg:multiple-sclerosis']

    :raises UnknownEntity: nothing matches; the message suggests close names.
    """
    return (kg or load(root, layer=layer)).find(term)


@dataclass(frozen=True)
class Story:
    """An entity with the claims it takes part in and those that hold in its context."""

    entity: Entity
    claims: tuple[Claim, ...]
    in_context: tuple[Claim, ...]


def lookup_with_claims(
    term: str, *, root: Path | str | None = None, layer: str | Sequence[str] = "all"
) -> list[Story]:
    """Every entity a name names, each with its whole story (``spasmkg lookup``).

    :raises UnknownEntity: nothing matches; the message suggests close names.
    """
    kg = load(root, layer=layer)
    return [
        Story(entity, kg.claims_about(entity), kg.claims_in_context(entity))
        for entity in kg.find(term)
    ]


def format_entity(entity: Entity) -> str:
    """An entity and its identifiers as aligned text, for the terminal."""
    urgency = f", {entity.urgency}" if entity.urgency else ""
    lines = [f"{entity.curie}  {entity.label}  ({entity.kind}{urgency})", f"  {entity.iri}"]
    if entity.definition:
        lines.append(f"  {entity.definition}")
    if entity.synonyms:
        lines.append(f"  also called: {', '.join(entity.synonyms)}")
    if entity.identifiers:
        lines.append("  identifiers:")
        width = max(len(i.curie) for i in entity.identifiers)
        for item in entity.identifiers:
            label = f"  {item.label}" if item.label else ""
            lines.append(f"    {item.predicate:<17} {item.curie:<{width}}  {item.iri}{label}")
    return "\n".join(lines)


def format_claims(story: Story) -> str:
    """The claims an entity takes part in, then those in its context, each with every
    evidence item."""
    if not story.claims:
        lines = ["  claims: none"]
    else:
        lines = [f"  claims ({len(story.claims)}; + supports, - refutes, ? inconclusive):"]
    for claim in story.claims:
        lines += claim_lines(claim, indent="    ")
    if story.in_context:
        lines.append(f"  claims in the context of {story.entity.label} ({len(story.in_context)}):")
    for claim in story.in_context:
        lines += claim_lines(claim, indent="    ")
    return "\n".join(lines)


@dataclass(frozen=True)
class Candidate:
    """One candidate of a search: the entity, the name of it that matched, and why."""

    rank: int
    entity: str
    label: str
    kind: str
    layer: str
    #: the name or identifier that matched, as the graph writes it
    matched: str
    #: label, identifier, synonym, abbreviation, brandName, layTerm or laypersonSynonym
    how: str
    #: exact name, same words, same words in another order, code without its prefix, holds
    #: every word, holds some of the words, close spelling
    why: str
    #: the sources that use an everyday name
    sources: tuple[str, ...]


def search(
    term: str,
    *,
    limit: int = 10,
    kg: Named | None = None,
    root: Path | str | None = None,
    layer: str | Sequence[str] = "all",
) -> list[Candidate]:
    """The entities a word may mean, best first, each with the name that matched and why
    (see :meth:`spasmkg.model.names.NameIndex.search`).

    >>> [(c.entity, c.why) for c in search("frusemide", limit=1)]
    [('skg:furosemide', 'exact name')]

    :raises UnknownEntity: no name is near the word.
    :raises UsageError: the word is empty, or limit is below 1.
    """
    if limit < 1:
        raise UsageError(f"limit must be 1 or more, not {limit}")
    index = named_graph(kg, root, layer).names
    hits = index.search(term, limit)
    if not hits:
        raise index.unknown(term)
    return [
        Candidate(
            rank,
            hit.entity.curie,
            hit.entity.label,
            hit.entity.kind,
            hit.entity.layer,
            hit.spelling.text,
            hit.spelling.how,
            hit.why,
            hit.spelling.sources,
        )
        for rank, hit in enumerate(hits, start=1)
    ]
