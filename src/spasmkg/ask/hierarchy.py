"""``spasmkg ancestors`` and ``spasmkg descendants``: what an entity is a kind of, and what is a
kind of it, step by step.

The graph says "is a kind of" with ``skos:broader`` claims (furosemide is a kind of loop
diuretic; a cramp is a kind of spasm; the HPO layer's phenotypes below the core's), each with
its evidence like any other claim; ``rdfs:subClassOf`` orders only the ontology's own classes.
A walk follows the claims the evidence backs (supported or mixed), and reaches each entity
once, by its shortest path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib.namespace import SKOS

from spasmkg.errors import UsageError
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.loader import load
from spasmkg.model.records import Claim, Entity

BROADER = str(SKOS.broader)


@dataclass(frozen=True)
class Kin:
    """An entity met on the walk: how many steps away, and the step that reached it."""

    depth: int
    entity: str
    label: str
    kind: str
    layer: str
    #: the entity one step nearer the start, from which this one was reached
    via: str
    via_label: str
    #: the "is a kind of" claim of that step, and how it stands
    claim: str
    standing: str


def steps(kg: KnowledgeGraph, upward: bool) -> dict[str, list[tuple[Entity, Claim]]]:
    """From each entity, the entities one step up (what it is a kind of) or down, with the
    claim of each step; only claims the evidence backs."""
    found: dict[str, list[tuple[Entity, Claim]]] = {}
    for claim in kg.claims:
        if claim.predicate.iri == BROADER and claim.holds:
            start, end = (claim.subject, claim.object) if upward else (claim.object, claim.subject)
            found.setdefault(start.iri, []).append((end, claim))
    for neighbours in found.values():
        neighbours.sort(key=lambda step: (step[0].label.casefold(), step[0].curie))
    return found


def walk(
    term: str,
    upward: bool,
    max_depth: int | None,
    kg: KnowledgeGraph | None,
    root: Path | str | None,
    layer: str | Sequence[str],
) -> list[Kin]:
    """Every entity up or down from the one a term names, breadth first, nearest first.

    :raises UnknownEntity: the term names no entity.
    :raises UsageError: max_depth is below 1.
    """
    if max_depth is not None and max_depth < 1:
        raise UsageError(f"max depth must be 1 or more, not {max_depth}")
    kg = kg or load(root, layer=layer)
    start = kg.entity(term)
    links = steps(kg, upward)
    seen, frontier, found = {start.iri}, [start], []
    depth = 0
    while frontier and (max_depth is None or depth < max_depth):
        depth += 1
        reached = []
        for near in frontier:
            for far, claim in links.get(near.iri, []):
                if far.iri not in seen:
                    seen.add(far.iri)
                    reached.append(far)
                    found.append(
                        Kin(
                            depth,
                            far.curie,
                            far.label,
                            far.kind,
                            far.layer,
                            near.curie,
                            near.label,
                            claim.curie,
                            claim.standing.name,
                        )
                    )
        frontier = reached
    return found


def ancestors(
    term: str,
    *,
    max_depth: int | None = None,
    kg: KnowledgeGraph | None = None,
    root: Path | str | None = None,
    layer: str | Sequence[str] = "all",
) -> list[Kin]:
    """What the entity a term names is a kind of, and what those are kinds of, nearest first.

    >>> import spasmkg
    >>> [(kin.depth, kin.entity) for kin in ancestors("furosemide", kg=spasmkg.load())]
    [(1, 'skg:loop-diuretic'), (2, 'skg:diuretic')]

    :raises UnknownEntity: the term names no entity.
    """
    return walk(term, True, max_depth, kg, root, layer)


def descendants(
    term: str,
    *,
    max_depth: int | None = None,
    kg: KnowledgeGraph | None = None,
    root: Path | str | None = None,
    layer: str | Sequence[str] = "all",
) -> list[Kin]:
    """The kinds of the entity a term names, and their kinds, nearest first.

    :raises UnknownEntity: the term names no entity.
    """
    return walk(term, False, max_depth, kg, root, layer)
