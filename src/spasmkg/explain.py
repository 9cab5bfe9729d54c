"""Causal and mechanistic chains between two entities, each step with its claims and sources."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from spasmkg.errors import SpasmKGError
from spasmkg.loader import KnowledgeGraph
from spasmkg.lookup import EntityIndex
from spasmkg.mappings import curie
from spasmkg.namespaces import SKGO

#: The relations a chain may follow, always from subject to object. ``skos:broader`` reads
#: "is a kind of": furosemide is a loop diuretic, a cramp is a form of spasm.
CHAIN_RELATIONS = (
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
#: From weakest to strongest; a chain is only as strong as its weakest step.
MODALITY_ORDER = (SKGO.possible, SKGO.typical, SKGO.stated)


@dataclass(frozen=True)
class ClaimInfo:
    """One claim behind a step: how strong, on what evidence, from where, where it applies."""

    iri: str
    modality: str
    evidence: tuple[str, ...]
    sources: tuple[str, ...]
    context: str | None
    mechanism: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Step:
    """One edge of a chain and the claims that support it."""

    subject: str
    subject_label: str
    relation: str
    relation_label: str
    object: str
    object_label: str
    claims: tuple[ClaimInfo, ...]


@dataclass(frozen=True)
class Chain:
    """A path of steps from one entity to another."""

    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def modality(self) -> str:
        """The weakest modality along the chain, taking each step's strongest claim."""
        ranks = [
            max(MODALITY_ORDER.index(URIRef(c.modality)) for c in step.claims)
            for step in self.steps
        ]
        return str(MODALITY_ORDER[min(ranks)]) if ranks else str(SKGO.stated)

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {
            "modality": curie(URIRef(self.modality)),
            "steps": [
                {
                    **{k: v for k, v in step.__dict__.items() if k != "claims"},
                    "claims": [claim.__dict__ for claim in step.claims],
                }
                for step in self.steps
            ],
        }


class Explainer:
    """Finds chains over the claim-backed edges of a loaded graph."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.graph: Graph = kg.asserted
        self.index = EntityIndex(kg)
        self.edges: dict[Node, list[tuple[URIRef, Node]]] = {}
        for relation in CHAIN_RELATIONS:
            for subject, obj in kg.inferred.subject_objects(relation):
                self.edges.setdefault(subject, []).append((relation, obj))
        for targets in self.edges.values():
            targets.sort()

    def label(self, node: Node) -> str:
        """The label of a node in the graph or the ontology."""
        return str(
            self.graph.value(node, RDFS.label)
            or self.kg.ontology.value(node, RDFS.label)
            or curie(node)
        )

    def claims(self, subject: Node, relation: Node, obj: Node) -> tuple[ClaimInfo, ...]:
        """The claims behind one edge."""
        g = self.graph
        found = []
        for claim in sorted(g.subjects(RDF.subject, subject), key=str):
            if g.value(claim, RDF.predicate) != relation or g.value(claim, RDF.object) != obj:
                continue
            context = g.value(claim, SKGO.inContext)
            found.append(
                ClaimInfo(
                    iri=curie(claim),
                    modality=str(g.value(claim, SKGO.modality)),
                    evidence=tuple(sorted(self.label(e) for e in g.objects(claim, SKGO.evidence))),
                    sources=tuple(sorted(curie(s) for s in g.objects(claim, PROV.wasDerivedFrom))),
                    context=self.label(context) if context is not None else None,
                    mechanism=tuple(
                        sorted(self.label(m) for m in g.objects(claim, SKGO.hasMechanism))
                    ),
                    note=str(g.value(claim, RDFS.comment) or ""),
                )
            )
        return tuple(found)

    def paths(
        self, start: Node, goal: Node, max_length: int
    ) -> Iterator[list[tuple[Node, URIRef, Node]]]:
        """Every simple path of at most ``max_length`` edges, depth first."""
        stack: list[tuple[Node, list[tuple[Node, URIRef, Node]], set[Node]]] = [
            (start, [], {start})
        ]
        while stack:
            node, path, seen = stack.pop()
            if node == goal and path:
                yield path
                continue
            if len(path) >= max_length:
                continue
            for relation, nxt in reversed(self.edges.get(node, [])):
                if nxt not in seen:
                    stack.append((nxt, [*path, (node, relation, nxt)], seen | {nxt}))

    def step(self, subject: Node, relation: URIRef, obj: Node) -> Step:
        """One edge with labels and claims."""
        return Step(
            subject=curie(subject),
            subject_label=self.label(subject),
            relation=curie(relation),
            relation_label=self.label(relation),
            object=curie(obj),
            object_label=self.label(obj),
            claims=self.claims(subject, relation, obj),
        )

    def explain(self, source: str, target: str, max_length: int = 4) -> list[Chain]:
        """Every chain from one entity to another, shortest first.

        :param source: a label, synonym, name or identifier of the starting entity.
        :param target: the same for the entity to reach.
        :raises UnknownEntity: either name matches no entity.
        """
        if max_length < 1:
            raise SpasmKGError("--max-length must be at least 1")
        start, goal = self.index.resolve(source), self.index.resolve(target)
        chains = [
            Chain(tuple(self.step(*edge) for edge in path))
            for path in self.paths(start, goal, max_length)
        ]
        return sorted(chains, key=lambda c: (len(c.steps), [s.object_label for s in c.steps]))


def explain(kg: KnowledgeGraph, source: str, target: str, max_length: int = 4) -> list[Chain]:
    """Every causal or mechanistic chain from ``source`` to ``target`` (see :class:`Explainer`)."""
    return Explainer(kg).explain(source, target, max_length)


def format_chains(chains: list[Chain], source: str, target: str) -> str:
    """Chains as text: each chain on one line, then its steps with their claims."""
    if not chains:
        return f"no chain from {source} to {target} (try a larger --max-length)\n"
    lines = [f"{len(chains)} chain{'s' if len(chains) != 1 else ''} from {source} to {target}:"]
    for number, chain in enumerate(chains, start=1):
        route = chain.steps[0].subject_label + "".join(
            f" -[{s.relation_label}]-> {s.object_label}" for s in chain.steps
        )
        lines.append(
            f"\n{number}. {route}   ({curie(URIRef(chain.modality)).removeprefix('skgo:')})"
        )
        for step in chain.steps:
            lines.append(f"   {step.subject_label} {step.relation_label} {step.object_label}")
            for claim in step.claims:
                context = f"; in {claim.context}" if claim.context else ""
                mechanism = f"; through {', '.join(claim.mechanism)}" if claim.mechanism else ""
                lines.append(
                    f"     - {curie(URIRef(claim.modality)).removeprefix('skgo:')}{context}{mechanism}; "
                    f"{'; '.join(claim.evidence)}; source: {', '.join(claim.sources)}"
                )
                lines.append(f"       {claim.note}")
    return "\n".join(lines) + "\n"
