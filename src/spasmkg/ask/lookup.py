"""``spasmkg lookup``: an entity by any of its names, shown with its identifiers everywhere and
the claims it takes part in, each with its evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spasmkg.ask.citing import claim_lines
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.loader import load
from spasmkg.model.records import Claim, Entity


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
