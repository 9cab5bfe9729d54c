"""Causal and mechanistic chains between two entities, each step with its claims and evidence.

Only claims that some evidence supports become steps. A chain is as sure as its weakest step,
so chains are ranked by that step's evidence (the grade its source gives, then the kind of
evidence, then the claim's hedge) and the step is marked; refuting items are shown beside the
supporting ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib.namespace import SKOS

from spasmkg.ask.citing import claim_lines
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
        SKGO.hasPhenotype,
        SKGO.interactsWith,
        SKGO.targets,
        SKGO.partOfPathway,
        SKGO.regulates,
        SKGO.requiredFor,
        SKGO.degrades,
        SKOS.broader,
    )
)


@dataclass(frozen=True)
class Step:
    """One edge of a chain and the claims behind it."""

    subject: Entity
    relation: Term
    object: Entity
    claims: tuple[Claim, ...]

    @property
    def best(self) -> Claim:
        """The surest of the step's claims."""
        return max(self.claims, key=lambda claim: claim.strength)

    @property
    def strength(self) -> tuple[int, int, int, int]:
        """The strength of the step's surest claim (see :attr:`Claim.strength`)."""
        return self.best.strength

    @property
    def modality(self) -> Term:
        """The modality of the step's surest claim."""
        return self.best.modality

    @property
    def layer(self) -> str:
        """Where the step's claims come from: ``core``, ``imported`` or ``core+imported``."""
        return "+".join(sorted({claim.layer for claim in self.claims}))

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "layer": self.layer,
            "subject": self.subject.curie,
            "subject_label": self.subject.label,
            "relation": self.relation.curie,
            "relation_label": self.relation.label,
            "object": self.object.curie,
            "object_label": self.object.label,
            "modality": self.modality.name,
            "strength": list(self.strength),
            "claims": [claim.as_dict() for claim in self.claims],
        }


@dataclass(frozen=True)
class Chain:
    """A path of steps from one entity to another."""

    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def weakest(self) -> int:
        """The index of the least sure step (the first of equals)."""
        return min(range(len(self.steps)), key=lambda index: self.steps[index].strength)

    @property
    def strength(self) -> tuple[int, int, int, int]:
        """What the whole chain can claim: on each count (undisputed, grade, evidence type,
        modality), no more than its weakest step has."""
        ranks = [step.strength for step in self.steps]
        return (
            min(r[0] for r in ranks),
            min(r[1] for r in ranks),
            min(r[2] for r in ranks),
            min(r[3] for r in ranks),
        )

    @property
    def modality(self) -> Term:
        """The most hedged modality along the chain: a chain is no surer than any of its steps."""
        return min((step.modality for step in self.steps), key=lambda term: term.rank)

    @property
    def contexts(self) -> int:
        """How many steps hold only in a context (in pregnancy, in multiple sclerosis ...)."""
        return sum(step.best.context is not None for step in self.steps)

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
            "strength": list(self.strength),
            "weakest_step": self.weakest,
            "steps": [step.as_dict() for step in self.steps],
        }


Edge = tuple[str, str]  # (relation IRI, object IRI)


def chain_edges(claims: Iterable[Claim]) -> dict[str, dict[Edge, list[Claim]]]:
    """The edges a chain may follow from each node (by IRI): the supported claims of the chain
    relations, grouped by relation and object, in the order given."""
    edges: dict[str, dict[Edge, list[Claim]]] = {}
    for claim in claims:
        if claim.predicate.iri in CHAIN_RELATIONS and claim.support:
            targets = edges.setdefault(claim.subject.iri, {})
            targets.setdefault((claim.predicate.iri, claim.object.iri), []).append(claim)
    return edges


def step_of(claims: list[Claim]) -> Step:
    """The step one edge makes, with its entities and claims."""
    first = claims[0]
    return Step(first.subject, first.predicate, first.object, tuple(claims))


class Explainer:
    """Finds chains over the claims of a loaded graph."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.edges = chain_edges(kg.claims)

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
        return step_of(self.edges[subject][edge])

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
        return sorted(chains, key=chain_order)


def explain(kg: KnowledgeGraph, source: str, target: str, max_length: int = 4) -> list[Chain]:
    """Every causal or mechanistic chain from ``source`` to ``target`` (see :class:`Explainer`).

    >>> import spasmkg
    >>> chains = explain(spasmkg.load(), "furosemide", "muscle cramp", max_length=2)
    >>> chains[0].route
    'furosemide -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp'
    """
    return Explainer(kg).explain(source, target, max_length)


def chain_order(chain: Chain) -> tuple[tuple[int, ...], int, int, list[str]]:
    """Surest chain first, then the one bound to fewer contexts, then shorter, then by the
    labels along the way."""
    return (
        tuple(-rank for rank in chain.strength),
        chain.contexts,
        len(chain.steps),
        [step.object.label for step in chain.steps],
    )


def format_chains(chains: list[Chain], source: str, target: str) -> str:
    """Chains as text, surest first: the route, then each step's claims and evidence, the
    weakest step marked."""
    if not chains:
        return (
            f"no chain from {source} to {target} that evidence supports"
            " (try a larger --max-length)\n"
        )
    lines = [
        f"{len(chains)} chain{'s' if len(chains) != 1 else ''} from {source} to {target},"
        " surest first (+ supports, - refutes, ? inconclusive):"
    ]
    for number, chain in enumerate(chains, start=1):
        lines.append(f"\n{number}. {chain.route}   ({chain.modality.name})")
        for index, step in enumerate(chain.steps):
            mark = "   <- weakest step" if index == chain.weakest and len(chain.steps) > 1 else ""
            lines.append(f"   step {index + 1} ({step.layer} layer){mark}")
            for claim in step.claims:
                lines += claim_lines(claim, indent="     ")
    return "\n".join(lines) + "\n"
