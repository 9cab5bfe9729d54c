"""Chains of claims between two entities, put together by the ontology's rules, in three groups.

A chain is formed only as :class:`spasmkg.model.composition.ChainRules` allow: a relation may
follow only the roles the ontology names, efficacy never passes from a class to its member or
from a product to its ingredient unless a claim is shown for the class as a whole, and a step
of a class's claim reached through a class link marks the chain *inherited*. A chain holds at
most one context (in pregnancy, in athletes ...): one that would mix two is not formed.

The answer has three groups: ``chains`` (every step's evidence backs it, and its context is
one the question named, or none), ``against`` (some step's evidence speaks against it or
leaves it open: not supported, or unsettled) and ``other_contexts`` (chains that hold, but
only in a context the question did not name). Chains are ranked by their weakest step
(standing, then study design and certainty of its strongest evidence, then hedge), direct
before inherited; chains that differ only by a class link are shown once, with the others
"like it".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from spasmkg.ask.citing import claim_lines
from spasmkg.errors import UsageError
from spasmkg.model.asking import Askable
from spasmkg.model.composition import ChainRules
from spasmkg.model.records import Claim, Entity, Term

#: The longest chain anyone may ask for (``--max-length``).
MAX_LENGTH = 8
#: An edge a chain may follow from a node: relation, object and context IRIs ("" for none).
Edge = tuple[str, str, str]
NO_CONTEXT = ""


@dataclass(frozen=True)
class Step:
    """One edge of a chain: the claims of one relation to one object in one context."""

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
    def standing(self) -> Term:
        """The standing of the step's surest claim."""
        return self.best.standing

    @property
    def context(self) -> Entity | None:
        """The one context the step's claims hold in, or None."""
        return self.claims[0].context

    @property
    def layer(self) -> str:
        """The layers the step's claims come from (``core``, ``hpo``, ``core+hpo``)."""
        return "+".join(sorted({claim.layer for claim in self.claims}))

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        best = self.best
        return {
            "layer": self.layer,
            "subject": self.subject.curie,
            "subject_label": self.subject.label,
            "relation": self.relation.curie,
            "relation_label": self.relation.label,
            "object": self.object.curie,
            "object_label": self.object.label,
            "context": self.context.curie if self.context else None,
            "context_label": self.context.label if self.context else None,
            "standing": best.standing.name,
            "modality": best.shown_modality.name if best.shown_modality else None,
            "strength": list(self.strength),
            "claims": [claim.as_dict() for claim in self.claims],
        }


@dataclass(frozen=True)
class Chain:
    """A path of steps from one entity to another."""

    steps: tuple[Step, ...]
    #: a step makes a claim about a class (or an ingredient) reach a member (or a product)
    inherited: bool = False
    #: chains that differ from this one only by class links, weaker or as strong
    like_it: tuple[Chain, ...] = field(default=())

    @property
    def weakest(self) -> int:
        """The index of the least sure step (the first of equals)."""
        return min(range(len(self.steps)), key=lambda index: self.steps[index].strength)

    @property
    def strength(self) -> tuple[int, int, int, int]:
        """What the whole chain can claim: its weakest step's strength."""
        return self.steps[self.weakest].strength

    @property
    def standing(self) -> Term:
        """The chain's standing: its weakest step's."""
        return self.steps[self.weakest].standing

    @property
    def holds(self) -> bool:
        """True when the evidence backs every step."""
        return all(step.best.holds for step in self.steps)

    @property
    def modality(self) -> Term | None:
        """The most hedged modality along the chain, or None when a step's evidence does not
        back it."""
        shown = [step.best.shown_modality for step in self.steps]
        if any(term is None for term in shown):
            return None
        return min((term for term in shown if term is not None), key=lambda term: term.rank)

    @property
    def context(self) -> Entity | None:
        """The one context a step of the chain is bound to, or None."""
        return next((step.context for step in self.steps if step.context), None)

    @property
    def route(self) -> str:
        """The chain on one line: labels joined by their relations."""
        return self.steps[0].subject.label + "".join(
            f" -[{s.relation.label}]-> {s.object.label}" for s in self.steps
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "route": self.route,
            "standing": self.standing.name,
            "modality": self.modality.name if self.modality else None,
            "context": self.context.curie if self.context else None,
            "context_label": self.context.label if self.context else None,
            "inherited": self.inherited,
            "strength": list(self.strength),
            "weakest_step": self.weakest,
            "steps": [step.as_dict() for step in self.steps],
            "like_it": [chain.route for chain in self.like_it],
        }


@dataclass(frozen=True)
class Explanation:
    """The answer to "how does SOURCE lead to TARGET": what holds, what the evidence speaks
    against or leaves open, and what holds only in a context the question did not name."""

    source: Entity
    target: Entity
    contexts: tuple[Entity, ...]
    chains: tuple[Chain, ...]
    against: tuple[Chain, ...]
    other_contexts: tuple[Chain, ...]
    #: when no group has a chain: why not, and what to try
    nothing: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output: the three groups."""
        return {
            "chains": [chain.as_dict() for chain in self.chains],
            "against": [chain.as_dict() for chain in self.against],
            "other_contexts": [chain.as_dict() for chain in self.other_contexts],
        }


def chain_edges(claims: Iterable[Claim], rules: ChainRules) -> dict[str, dict[Edge, list[Claim]]]:
    """The edges a chain may follow from each node (by IRI): the claims of every relation with
    a chain role, whatever their standing, grouped by relation, object and context."""
    edges: dict[str, dict[Edge, list[Claim]]] = {}
    for claim in claims:
        if claim.predicate.iri in rules.role:
            context = claim.context.iri if claim.context else NO_CONTEXT
            targets = edges.setdefault(claim.subject.iri, {})
            targets.setdefault((claim.predicate.iri, claim.object.iri, context), []).append(claim)
    return edges


def step_of(claims: Sequence[Claim]) -> Step:
    """The step one edge makes, with its entities and claims."""
    first = claims[0]
    return Step(first.subject, first.predicate, first.object, tuple(claims))


@dataclass(frozen=True)
class Walk:
    """A chain being extended: where it is, how it got there and what it carries."""

    node: str
    path: tuple[tuple[str, Edge], ...] = ()
    seen: frozenset[str] = frozenset()
    #: the role of the last step that was not a class link (None at the start)
    last_role: str | None = None
    after_class_link: bool = False
    context: str = NO_CONTEXT
    inherited: bool = False


class Explainer:
    """Finds chains over the claims of a loaded graph, by the ontology's composition rules."""

    def __init__(self, kg: Askable) -> None:
        self.kg = kg
        self.rules = kg.chain_rules
        self.edges = chain_edges(kg.claims, self.rules)

    def extend(self, walk: Walk, edge: Edge) -> Walk | None:
        """The walk one edge further, or None where the rules forbid the step."""
        relation, target, context = edge
        if target in walk.seen or not self.rules.may_follow(walk.last_role, relation):
            return None
        if context and walk.context and context != walk.context:
            return None  # a chain never mixes two contexts
        link = self.rules.is_class_link(relation)
        inherits = walk.after_class_link and not link
        if inherits and self.rules.needs_class_wide(relation):
            claims = self.edges[walk.node][edge]
            if not any(claim.class_wide for claim in claims):
                return None
        return Walk(
            node=target,
            path=(*walk.path, (walk.node, edge)),
            seen=walk.seen | {target},
            last_role=walk.last_role if link else self.rules.role[relation],
            after_class_link=link,
            context=context or walk.context,
            inherited=walk.inherited or inherits,
        )

    def walks(self, start: str, goal: str, max_length: int) -> Iterator[Walk]:
        """Every walk of at most ``max_length`` steps that the rules allow, depth first."""
        stack = [Walk(start, seen=frozenset({start}))]
        while stack:
            walk = stack.pop()
            if walk.node == goal and walk.path:
                yield walk
                continue
            if len(walk.path) >= max_length:
                continue
            for edge in sorted(self.edges.get(walk.node, {}), reverse=True):
                extended = self.extend(walk, edge)
                if extended is not None:
                    stack.append(extended)

    def chain(self, walk: Walk) -> Chain:
        """The chain a finished walk makes."""
        steps = tuple(step_of(self.edges[node][edge]) for node, edge in walk.path)
        return Chain(steps, inherited=walk.inherited)

    def explain(
        self, source: str, target: str, max_length: int = 4, contexts: Sequence[str] = ()
    ) -> Explanation:
        """Every chain from one entity to another, in the three groups.

        :param source: a label, synonym, name or identifier of the starting entity.
        :param target: the same for the entity to reach.
        :param contexts: the groups the question is about (``athletes``, ``pregnancy`` ...);
            chains bound to another context go to ``other_contexts``.
        :raises UnknownEntity: a name matches no entity.
        """
        if max_length < 1:
            raise UsageError("--max-length must be at least 1")
        start, goal = self.kg.entity(source), self.kg.entity(target)
        if start.iri == goal.iri:
            raise UsageError(
                f"{source!r} and {target!r} are the same entity ({start.label}); "
                "explain needs two different ones"
            )
        asked = tuple(dict.fromkeys(self.kg.entity(name) for name in contexts))
        groups: dict[str, list[Chain]] = {"chains": [], "against": [], "other": []}
        for walk in self.walks(start.iri, goal.iri, max_length):
            chain = self.chain(walk)
            if not chain.holds:
                if not chain.inherited:  # a finding against a class says nothing of a member
                    groups["against"].append(chain)
            elif chain.context is None or chain.context in asked:
                groups["chains"].append(chain)
            else:
                groups["other"].append(chain)
        answer = Explanation(
            start,
            goal,
            asked,
            chains=gathered(groups["chains"], chain_order, self.rules),
            against=gathered(groups["against"], against_order, self.rules),
            other_contexts=gathered(groups["other"], chain_order, self.rules),
        )
        if answer.chains or answer.against or answer.other_contexts:
            return answer
        return replace(answer, nothing=self.why_nothing(start, goal, max_length))

    def why_nothing(self, start: Entity, goal: Entity, max_length: int) -> str:
        """Why no chain was found, and what to try: the entity takes part in no claim, the
        chains run the other way, a longer chain would reach, or nothing connects them."""
        for entity in (start, goal):
            if not self.kg.view.claims_by_node.get(entity.iri):
                return f"{entity.label} takes part in no claim of this graph"
        if any(True for _ in self.walks(goal.iri, start.iri, max_length)):
            return (
                f"no chain leads from {start.label} to {goal.label}, but chains lead the other "
                f"way: spasmkg explain {goal.label!r} {start.label!r}"
            )
        if max_length < MAX_LENGTH and any(
            True for _ in self.walks(start.iri, goal.iri, MAX_LENGTH)
        ):
            return f"no chain of at most {max_length} steps; a larger --max-length finds some"
        return f"nothing in the graph connects {start.label} to {goal.label}"


def explain(
    kg: Askable | None,
    source: str,
    target: str,
    max_length: int = 4,
    contexts: Sequence[str] = (),
    *,
    root: Path | str | None = None,
    layer: str | Sequence[str] = "all",
    cache: bool = True,
) -> Explanation:
    """Every causal or mechanistic chain from ``source`` to ``target`` (see :class:`Explainer`),
    in ``kg`` or, when it is None, in the data folder ``root`` loaded with ``layer`` (the
    records of its compiled entry when one matches the files, unless ``cache=False``).

    >>> import spasmkg
    >>> answer = explain(spasmkg.load(), "furosemide", "muscle cramp", max_length=2)
    >>> answer.chains[0].route
    'furosemide -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp'
    """
    if kg is None:
        from spasmkg.model.compiled import ask_graph

        kg = ask_graph(root, layer=layer, cache=cache)
    return Explainer(kg).explain(source, target, max_length, contexts)


def chain_order(chain: Chain) -> tuple[Any, ...]:
    """Direct before inherited, then the surest weakest step, then shorter, then by labels."""
    return (
        chain.inherited,
        tuple(-rank for rank in chain.strength),
        len(chain.steps),
        [step.object.label for step in chain.steps],
    )


def against_order(chain: Chain) -> tuple[Any, ...]:
    """Not supported before unsettled, then by how strong the evidence on the weakest step is,
    then shorter, then by labels."""
    weakest = chain.steps[chain.weakest].best
    design, certainty = max(item.weight for item in weakest.evidence)
    return (
        chain.standing.rank,
        -design,
        -certainty,
        len(chain.steps),
        [step.object.label for step in chain.steps],
    )


def likeness(chain: Chain, rules: ChainRules) -> tuple[Any, ...]:
    """What a chain says once its class links are set aside: the relations and objects of its
    other steps, where it ends, and its context."""
    return (
        tuple(
            (step.relation.iri, step.object.iri)
            for step in chain.steps
            if not rules.is_class_link(step.relation.iri)
        ),
        chain.steps[-1].object.iri,
        chain.context.iri if chain.context else NO_CONTEXT,
    )


def gathered(
    chains: list[Chain], order: Callable[[Chain], Any], rules: ChainRules
) -> tuple[Chain, ...]:
    """Chains in order, each shown once with the later chains that differ from it only by
    class links gathered under it."""
    firsts: dict[tuple[Any, ...], Chain] = {}
    others: dict[tuple[Any, ...], list[Chain]] = {}
    for chain in sorted(chains, key=order):
        key = likeness(chain, rules)
        if key in firsts:
            others[key].append(chain)
        else:
            firsts[key], others[key] = chain, []
    return tuple(
        Chain(chain.steps, chain.inherited, tuple(others[key])) for key, chain in firsts.items()
    )


def chain_heading(number: int, chain: Chain) -> str:
    """A chain's first line: its route, context, standing and hedge, and whether inherited."""
    context = f"   only in {chain.context.label}" if chain.context else ""
    hedge = f", {chain.modality.name}" if chain.modality else ""
    inherited = ", inherited through a class link" if chain.inherited else ""
    return f"\n{number}. {chain.route}{context}   ({chain.standing.label}{hedge}{inherited})"


def chain_lines(number: int, chain: Chain) -> list[str]:
    """A chain as text: its heading, each step's claims and evidence with the weakest step
    marked, then the chains like it."""
    lines = [chain_heading(number, chain)]
    for index, step in enumerate(chain.steps):
        mark = "   <- weakest step" if index == chain.weakest and len(chain.steps) > 1 else ""
        lines.append(f"   step {index + 1} ({step.layer} layer){mark}")
        for claim in step.claims:
            lines += claim_lines(claim, indent="     ")
    if chain.like_it:
        lines.append(f"   and {len(chain.like_it)} more like it, through class links:")
        lines += [f"     {other.route}" for other in chain.like_it]
    return lines


#: The three groups of an answer as text: heading, and what to say when a group is empty.
SECTIONS = (
    ("chains", "What the evidence supports, surest first", "no chain that the evidence backs"),
    ("against", "What the evidence speaks against or leaves open", ""),
    ("other_contexts", "Only in other groups (ask with --context GROUP)", ""),
)


def format_explanation(answer: Explanation) -> str:
    """An answer as text: the chains that hold, then what the evidence speaks against or
    leaves open, then what holds only in other groups; every claim with its evidence."""
    asked = ", ".join(entity.label for entity in answer.contexts)
    lines = [
        f"From {answer.source.label} to {answer.target.label}"
        + (f", in {asked}" if asked else "")
        + " (+ supports, - refutes, ? inconclusive)."
    ]
    for key, heading, empty in SECTIONS:
        chains: tuple[Chain, ...] = getattr(answer, key)
        if not chains and not empty:
            continue
        lines.append(f"\n== {heading}: {len(chains)} ==")
        if not chains:
            lines.append(answer.nothing or f"{empty} (--context GROUP may find more)")
        for number, chain in enumerate(chains, start=1):
            lines += chain_lines(number, chain)
    return "\n".join(lines) + "\n"
