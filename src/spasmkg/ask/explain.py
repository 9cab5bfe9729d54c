"""Causal and mechanistic chains between two entities, each step with its claims and evidence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib.namespace import SKOS

from spasmkg.errors import UsageError
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.namespaces import SKGO
from spasmkg.model.records import Claim, Entity, Term

#: The relations a chain may follow, always from subject to object. ``skos:broader`` reads
#: "is a kind of": furosemide is a loop diuretic, a cramp is a form of spasm.
CHAIN_RELATIONS = frozenset(
    str(relation)
    for relation in (
        SKGO.causes,
        SKGO.contributesTo,
        SKGO.hasAdverseEffect,
        SKGO.riskFactorFor,
        SKGO.relieves,
        SKGO.treats,
        SKGO.hasActiveIngredient,
        SKGO.interactsWith,
        SKGO.targets,
        SKGO.partOfPathway,
        SKGO.regulates,
        SKGO.requiredFor,
        SKGO.degrades,
        SKOS.broader,
    )
)
#: From weakest to strongest; a chain is only as strong as its weakest step.
MODALITY_ORDER = (str(SKGO.possible), str(SKGO.typical), str(SKGO.stated))


def modality_rank(term: Term) -> int:
    """Where a modality sits from weakest (0) to strongest."""
    return MODALITY_ORDER.index(term.iri) if term.iri in MODALITY_ORDER else 0


@dataclass(frozen=True)
class Step:
    """One edge of a chain and the claims behind it."""

    subject: Entity
    relation: Term
    object: Entity
    claims: tuple[Claim, ...]

    @property
    def modality(self) -> Term:
        """The strongest modality among the step's claims."""
        return max((claim.modality for claim in self.claims), key=modality_rank)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "subject": self.subject.curie,
            "subject_label": self.subject.label,
            "relation": self.relation.curie,
            "relation_label": self.relation.label,
            "object": self.object.curie,
            "object_label": self.object.label,
            "modality": self.modality.name,
            "claims": [claim.as_dict() for claim in self.claims],
        }


@dataclass(frozen=True)
class Chain:
    """A path of steps from one entity to another."""

    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def modality(self) -> Term:
        """The weakest modality along the chain, taking each step's strongest claim."""
        return min((step.modality for step in self.steps), key=modality_rank)

    @property
    def route(self) -> str:
        """The chain on one line: labels joined by their relations."""
        return self.steps[0].subject.label + "".join(
            f" -[{s.relation.label}]-> {s.object.label}" for s in self.steps
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "modality": self.modality.curie,
            "steps": [step.as_dict() for step in self.steps],
        }


Edge = tuple[str, str]  # (relation IRI, object IRI)


class Explainer:
    """Finds chains over the claims of a loaded graph."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.edges: dict[str, dict[Edge, list[Claim]]] = {}
        for claim in kg.claims:
            if claim.predicate.iri in CHAIN_RELATIONS:
                targets = self.edges.setdefault(claim.subject.iri, {})
                targets.setdefault((claim.predicate.iri, claim.object.iri), []).append(claim)

    def paths(self, start: str, goal: str, max_length: int) -> Iterator[list[tuple[str, Edge]]]:
        """Every simple path of at most ``max_length`` edges, depth first."""
        stack: list[tuple[str, list[tuple[str, Edge]], frozenset[str]]] = [
            (start, [], frozenset({start}))
        ]
        while stack:
            node, path, seen = stack.pop()
            if node == goal and path:
                yield path
                continue
            if len(path) >= max_length:
                continue
            for edge in sorted(self.edges.get(node, {}), reverse=True):
                if edge[1] not in seen:
                    stack.append((edge[1], [*path, (node, edge)], seen | {edge[1]}))

    def step(self, subject: str, edge: Edge) -> Step:
        """One edge with its entities and claims."""
        claims = tuple(self.edges[subject][edge])
        first = claims[0]
        return Step(first.subject, first.predicate, first.object, claims)

    def explain(self, source: str, target: str, max_length: int = 4) -> list[Chain]:
        """Every chain from one entity to another, shortest first.

        :param source: a label, synonym, name or identifier of the starting entity.
        :param target: the same for the entity to reach.
        :raises UnknownEntity: either name matches no entity.
        """
        if max_length < 1:
            raise UsageError("--max-length must be at least 1")
        start, goal = self.kg.entity(source), self.kg.entity(target)
        chains = [
            Chain(tuple(self.step(*edge) for edge in path))
            for path in self.paths(start.iri, goal.iri, max_length)
        ]
        return sorted(chains, key=lambda c: (len(c.steps), [s.object.label for s in c.steps]))


def explain(kg: KnowledgeGraph, source: str, target: str, max_length: int = 4) -> list[Chain]:
    """Every causal or mechanistic chain from ``source`` to ``target`` (see :class:`Explainer`).

    >>> import spasmkg
    >>> chains = explain(spasmkg.load(), "furosemide", "muscle cramp", max_length=2)
    >>> chains[0].route
    'furosemide -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp'
    """
    return Explainer(kg).explain(source, target, max_length)


def claim_line(claim: Claim) -> str:
    """One claim behind a step: modality, context, mechanism, evidence and sources."""
    context = f"; in {claim.context.label}" if claim.context else ""
    mechanism = (
        f"; through {', '.join(m.label for m in claim.mechanism)}" if claim.mechanism else ""
    )
    evidence = "; ".join(sorted({item.evidence_type.label for item in claim.evidence}))
    sources = ", ".join(source.curie for source in claim.sources)
    return f"     - {claim.modality.name}{context}{mechanism}; {evidence}; source: {sources}"


def format_chains(chains: list[Chain], source: str, target: str) -> str:
    """Chains as text: each chain on one line, then its steps with their claims."""
    if not chains:
        return f"no chain from {source} to {target} (try a larger --max-length)\n"
    lines = [f"{len(chains)} chain{'s' if len(chains) != 1 else ''} from {source} to {target}:"]
    for number, chain in enumerate(chains, start=1):
        lines.append(f"\n{number}. {chain.route}   ({chain.modality.name})")
        for step in chain.steps:
            lines.append(f"   {step.subject.label} {step.relation.label} {step.object.label}")
            for claim in step.claims:
                lines.append(claim_line(claim))
                lines.append(f"       {claim.note}")
    return "\n".join(lines) + "\n"
