"""``spasmkg why``: why might this symptom be happening to this person, and how sure are we.

A person gives a symptom in their own words, the medicines they take, the conditions they have
and the groups they belong to (older adults, pregnancy, athletes ...). The answer comes in the
order a careful leaflet gives it: the warning signs first, most urgent first; then the possible
reasons, those tied to the person's own medicines and conditions before the general causes,
each a chain that ``explain`` forms and ranks (never one bound to a group the person is not in,
never one the evidence speaks against); rare diseases of an imported layer apart, unless the
person names one; what may help and what does not; what the symptom can be mistaken for; and
how each word was read. The same inputs always give the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spasmkg.ask.explain import Chain, Explainer
from spasmkg.errors import UnknownEntity
from spasmkg.model.asking import Askable
from spasmkg.model.names import Reading
from spasmkg.model.records import Claim, Entity

#: The relations by which something is a reason for a symptom.
CAUSAL = frozenset({"causes", "contributesTo", "riskFactorFor", "hasAdverseEffect", "hasPhenotype"})
EFFICACY = frozenset({"relieves", "treats"})
#: General causes come in this order of kinds, then by their evidence: what a person does or
#: is exposed to, and the states of the body, before medicines and before diseases; the graph
#: holds no frequencies, and this keeps the worst explanation from coming first by default.
KIND_ORDER = (
    "Activity",
    "PhysiologicalState",
    "Nutrient",
    "Population",
    "Medication",
    "MedicationClass",
    "Condition",
    "Injury",
    "Disease",
)
#: Kinds that are a reason only for the person who names them: a group for its members, a
#: medicine for who takes it (its class stays general: "diuretics can cause cramps").
PERSONAL_KINDS = frozenset({"Population", "Medication"})
#: How many rare diseases the answer names, and how many reasons it gives for one input.
RARE_LIMIT = 5
PER_INPUT = 4
NOTICE = (
    "This is information from a curated knowledge graph, not a diagnosis or medical advice; "
    "if you are worried, or a warning sign applies, contact a health professional."
)


def tier_ranks(kg: Askable) -> dict[str, int]:
    """Each triage tier of the ontology (``emergency`` ... ``selfCare``) with its rank, the most
    urgent highest."""
    return dict(kg.urgency_ranks)


def tier_name(urgency: str) -> str:
    """A tier as the answer writes it: ``sameDay`` as ``same-day``."""
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in urgency)


@dataclass(frozen=True)
class RedFlag:
    """A warning sign that goes with the symptom or an input, with its tier and evidence."""

    sign: Entity
    tier: str
    rank: int
    claims: tuple[Claim, ...]
    #: the input it comes with (the symptom, a medicine, a condition)
    about: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "sign": self.sign.curie,
            "label": self.sign.label,
            "tier": self.tier,
            "advice": self.sign.definition,
            "about": self.about,
            "evidence": [item.as_dict() for claim in self.claims for item in claim.evidence],
        }


@dataclass(frozen=True)
class Reason:
    """A possible reason: where it starts, which input it comes from, and the chain."""

    cause: Entity
    came_from: str | None
    chain: Chain

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        weakest = self.chain.steps[self.chain.weakest].best
        graded = [i.certainty.label for i in weakest.support if i.certainty]
        return {
            "cause": self.cause.curie,
            "cause_label": self.cause.label,
            "from": self.came_from,
            "chain": self.chain.as_dict(),
            "standing": self.chain.standing.name,
            "certainty": graded[0] if graded else None,
            "context": self.chain.context.curie if self.chain.context else None,
        }


@dataclass(frozen=True)
class RareCause:
    """A rare disease of an imported layer that presents with what the person reports."""

    disease: Entity
    accounts_for: tuple[str, ...]
    claims: tuple[Claim, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "disease": self.disease.curie,
            "label": self.disease.label,
            "layer": self.disease.layer,
            "accounts_for": list(self.accounts_for),
            "claims": [claim.curie for claim in self.claims],
        }


@dataclass(frozen=True)
class Measure:
    """A treatment or measure for the symptom, as its evidence stands, with the harms the graph
    records for it (a leaflet that says quinine helps cramps must say what it can do)."""

    claim: Claim
    harms: tuple[Claim, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        record = self.claim.as_dict()
        return {
            "treatment": self.claim.subject.curie,
            "label": self.claim.subject.label,
            "for": self.claim.object.label,
            "standing": self.claim.standing.name,
            "context": record["context"],
            "note": self.claim.note,
            "evidence": record["evidence"],
            "harms": [
                {"effect": harm.object.label, "claim": harm.curie, "standing": harm.standing.name}
                for harm in self.harms
            ],
        }


@dataclass(frozen=True)
class Mimic:
    """Something the symptom can be mistaken for: how to tell, and how soon to get care."""

    condition: Entity
    claim: Claim
    tier: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "condition": self.condition.curie,
            "label": self.condition.label,
            "mistaken_for": self.claim.object.label,
            "how_to_tell": self.claim.note,
            "tier": self.tier or None,
            "evidence": [item.as_dict() for item in self.claim.evidence],
        }


@dataclass(frozen=True)
class WhyAnswer:
    """The whole answer, in the order it is read."""

    symptom: Reading
    understood: tuple[Reading, ...]
    not_understood: tuple[dict[str, Any], ...]
    red_flags: tuple[RedFlag, ...]
    explanations: tuple[Reason, ...]
    rare_causes: tuple[RareCause, ...]
    may_help: tuple[Measure, ...]
    does_not_help: tuple[Measure, ...]
    mimics: tuple[Mimic, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output: exactly the answer's keys, in order."""
        return {
            "symptom": self.symptom.as_dict(),
            "understood": [reading.as_dict() for reading in self.understood],
            "not_understood": list(self.not_understood),
            "red_flags": [flag.as_dict() for flag in self.red_flags],
            "explanations": [reason.as_dict() for reason in self.explanations],
            "rare_causes": [cause.as_dict() for cause in self.rare_causes],
            "may_help": [measure.as_dict() for measure in self.may_help],
            "does_not_help": [measure.as_dict() for measure in self.does_not_help],
            "mimics": [mimic.as_dict() for mimic in self.mimics],
        }


class Asker:
    """Answers ``why`` questions over one loaded graph."""

    def __init__(self, kg: Askable) -> None:
        self.kg = kg
        self.explainer = Explainer(kg)
        self.tiers = tier_ranks(kg)

    def family(self, entity: Entity, *, up: bool, down: bool) -> set[str]:
        """An entity with the kinds it is (``up``) and the kinds of it (``down``), by IRI."""
        found, stack = {entity.iri}, [entity.iri]
        while stack:
            iri = stack.pop()
            for claim in self.kg.view.claims_by_node.get(iri, ()):
                if claim.predicate.curie != "skos:broader" or not claim.holds:
                    continue
                nxt = (
                    claim.object.iri
                    if up and claim.subject.iri == iri
                    else claim.subject.iri
                    if down and claim.object.iri == iri
                    else None
                )
                if nxt and nxt not in found:
                    found.add(nxt)
                    stack.append(nxt)
        return found

    def tier_of(self, sign: Entity) -> tuple[str, int]:
        """A warning sign's tier as written, and its rank (the most urgent highest)."""
        return tier_name(sign.urgency), self.tiers.get(sign.urgency, 0)

    def red_flags(self, about: dict[str, str]) -> tuple[RedFlag, ...]:
        """Warning signs of the symptom's family and of the inputs, most urgent first."""
        found: dict[str, RedFlag] = {}
        for iri, input_word in about.items():
            for claim in self.kg.view.claims_by_node.get(iri, ()):
                if claim.predicate.name != "seekCareWhen" or claim.subject.iri != iri:
                    continue
                if not claim.holds or claim.object.iri in found:
                    continue
                tier, rank = self.tier_of(claim.object)
                found[claim.object.iri] = RedFlag(claim.object, tier, rank, (claim,), input_word)
        return tuple(sorted(found.values(), key=lambda f: (-f.rank, f.sign.label)))

    def parents(self, entity: Entity) -> list[Entity]:
        """What an entity is directly a kind of, by the claims that hold."""
        return [
            self.kg.view.entities[iri]
            for iri in sorted(
                {
                    claim.object.iri
                    for claim in self.kg.view.claims_by_node.get(entity.iri, ())
                    if claim.subject.iri == entity.iri
                    and claim.predicate.curie == "skos:broader"
                    and claim.holds
                }
            )
        ]

    def targets(self, symptom: Entity) -> list[Entity]:
        """What a reason may reach: the symptom, then what it is directly a kind of (a cause of
        muscle cramps is a reason for night cramps), but never the top of the hierarchy (muscle
        spasm covers unlike things: tetanus is no reason for a twitch)."""
        return [symptom, *(parent for parent in self.parents(symptom) if self.parents(parent))]

    def chains(
        self, source: Entity, targets: Sequence[Entity], groups: Sequence[str], longest: int
    ) -> list[Chain]:
        """The chains that hold from one entity to the symptom or what it is a kind of, for
        someone in these groups, each route once, surest first."""
        found: dict[str, Chain] = {}
        reached = {target.iri for target in targets}
        for target in targets:
            if target.iri == source.iri:
                continue
            answer = self.explainer.explain(source.curie, target.curie, longest, groups)
            for chain in answer.chains:
                passes = {step.object.iri for step in chain.steps[:-1]}
                if not passes & reached:  # a chain that reaches the symptom on the way is kept
                    found.setdefault(chain.route, chain)  # as the shorter one, once
        return sorted(found.values(), key=lambda c: (c.inherited, tuple(-x for x in c.strength)))

    def general_reasons(
        self, targets: Sequence[Entity], groups: Sequence[str], named: set[str]
    ) -> list[Reason]:
        """The common causes of the symptom for someone in these groups: a direct causal claim
        from the core (or a layer the person named) into the symptom, a kind of it, or what it
        is directly a kind of, as the surest chain that holds from it."""
        into = {iri for target in targets for iri in self.family(target, up=False, down=True)}
        causes = {
            claim.subject.iri
            for iri in into
            for claim in self.kg.view.claims_by_node.get(iri, ())
            if claim.object.iri == iri
            and claim.predicate.name in CAUSAL
            and claim.holds
            and (claim.subject.layer == "core" or claim.subject.iri in named)
            and claim.subject.kind not in PERSONAL_KINDS
        }
        reasons = []
        for cause in sorted(causes):
            found = self.chains(self.kg.view.entities[cause], targets, groups, 2)
            if found:
                reasons.append(Reason(self.kg.view.entities[cause], None, found[0]))
        return reasons

    def rare_causes(
        self, symptoms: set[str], reported: dict[str, set[str]], named: set[str]
    ) -> tuple[RareCause, ...]:
        """Diseases of imported layers that present with the symptom, by how much of what the
        person reports (each input word with the entities it covers) each accounts for."""
        by_disease: dict[str, list[Claim]] = {}
        for iri in symptoms:
            for claim in self.kg.view.claims_by_node.get(iri, ()):
                if (
                    claim.object.iri == iri
                    and claim.predicate.name == "hasPhenotype"
                    and claim.subject.layer != "core"
                    and claim.holds
                ):
                    by_disease.setdefault(claim.subject.iri, []).append(claim)
        found = []
        for disease, claims in by_disease.items():
            if disease in named:
                continue  # a disease the person named is a reason, not a rare cause
            phenotypes = {
                c.object.iri
                for c in self.kg.view.claims_by_node.get(disease, ())
                if c.subject.iri == disease and c.predicate.name == "hasPhenotype" and c.holds
            }
            accounted = tuple(sorted(word for word, iris in reported.items() if iris & phenotypes))
            found.append(RareCause(self.kg.view.entities[disease], accounted, tuple(claims)))
        found.sort(key=lambda r: (-len(r.accounts_for), r.disease.label))
        return tuple(found[:RARE_LIMIT])

    def measures(self, symptoms: set[str], groups: set[str]) -> tuple[list[Measure], list[Measure]]:
        """Treatments and measures for the symptom (and what it is a kind of) in the person's
        groups: what may help, and what does not or is not shown to."""
        helps: list[Measure] = []
        fails: list[Measure] = []
        for iri in sorted(symptoms):
            for claim in self.kg.view.claims_by_node.get(iri, ()):
                if claim.object.iri != iri or claim.predicate.name not in EFFICACY:
                    continue
                if claim.context is not None and claim.context.iri not in groups:
                    continue
                (helps if claim.holds else fails).append(Measure(claim, self.harms(claim.subject)))
        return (
            sorted(helps, key=lambda m: (tuple(-x for x in m.claim.strength), m.claim.curie)),
            sorted(fails, key=lambda m: (m.claim.standing.rank, m.claim.curie)),
        )

    def harms(self, treatment: Entity) -> tuple[Claim, ...]:
        """The adverse effects of a treatment that the evidence backs, by label."""
        found = [
            claim
            for claim in self.kg.view.claims_by_node.get(treatment.iri, ())
            if claim.subject.iri == treatment.iri
            and claim.predicate.name == "hasAdverseEffect"
            and claim.holds
            and claim.context is None
        ]
        return tuple(sorted(found, key=lambda c: c.object.label))

    def mimics(self, symptoms: set[str], groups: set[str]) -> tuple[Mimic, ...]:
        """What the symptom (or a kind of it) can be mistaken for, most urgent first; a mimic
        bound to a group (a clot in pregnancy) only for its members."""
        found = []
        for iri in sorted(symptoms):
            for claim in self.kg.view.claims_by_node.get(iri, ()):
                if claim.object.iri != iri or claim.predicate.name != "mistakenFor":
                    continue
                if claim.context is not None and claim.context.iri not in groups:
                    continue
                signs = [
                    self.tier_of(c.object)
                    for c in self.kg.view.claims_by_node.get(claim.subject.iri, ())
                    if c.subject.iri == claim.subject.iri and c.predicate.name == "seekCareWhen"
                ]
                tier = max(signs, key=lambda s: s[1], default=("", 0))
                found.append((tier[1], Mimic(claim.subject, claim, tier[0])))
        found.sort(key=lambda pair: (-pair[0], pair[1].condition.label))
        return tuple(mimic for _, mimic in found)

    def read_all(
        self, words: Iterable[str]
    ) -> tuple[list[tuple[str, Reading]], list[dict[str, Any]]]:
        """Each input word read, or listed as not understood with close names."""
        read, missed = [], []
        for word in words:
            try:
                read.append((word, self.kg.names.read(word)))
            except UnknownEntity as error:
                missed.append({"input": word, "reason": str(error)})
        return read, missed

    def why(
        self,
        symptom: str,
        takes: Sequence[str] = (),
        has: Sequence[str] = (),
        groups: Sequence[str] = (),
    ) -> WhyAnswer:
        """The answer for one person (see the module's docstring).

        :raises UnknownEntity: the symptom names nothing (close names are suggested).
        """
        said = self.kg.names.read(symptom)
        target = said.entity
        medicines, missed_medicines = self.read_all(takes)
        conditions, missed_conditions = self.read_all(has)
        group_readings, missed_groups = self.read_all(groups)
        group_curies = [r.entity.curie for _, r in group_readings]
        group_iris = {r.entity.iri for _, r in group_readings}
        upward = self.family(target, up=True, down=False)
        symptoms = upward | self.family(target, up=False, down=True)
        about = {iri: symptom for iri in sorted(symptoms)}
        for word, reading in [*medicines, *conditions]:
            for iri in self.family(reading.entity, up=True, down=False):
                about.setdefault(iri, word)
        named = {reading.entity.iri for _, reading in conditions}
        targets = self.targets(target)
        own: list[Reason] = []
        for word, reading in [*medicines, *conditions, *group_readings]:
            own += [
                Reason(reading.entity, word, chain)
                for chain in self.chains(reading.entity, targets, group_curies, 4)[:PER_INPUT]
            ]
        general = [
            r
            for r in self.general_reasons(targets, group_curies, named)
            if r.cause.iri not in {o.cause.iri for o in own}
        ]
        general.sort(key=general_order)
        reported = {symptom: symptoms}
        reported.update(
            (word, self.family(reading.entity, up=True, down=True)) for word, reading in conditions
        )
        helps, fails = self.measures(upward, group_iris)
        mimics = self.mimics(symptoms, group_iris)
        # the warning signs of what a reason of the person's own passes through (a medicine's
        # acute dystonic reaction) and of what the symptom may really be (a clot) go with it too
        for reason in own:
            for step in reason.chain.steps[:-1]:
                about.setdefault(step.object.iri, reason.came_from or symptom)
        for mimic in mimics:
            about.setdefault(mimic.condition.iri, symptom)
        return WhyAnswer(
            symptom=said,
            understood=tuple(r for _, r in [*medicines, *conditions, *group_readings]),
            not_understood=tuple([*missed_medicines, *missed_conditions, *missed_groups]),
            red_flags=self.red_flags(about),
            explanations=tuple([*own, *general]),
            rare_causes=self.rare_causes(symptoms, reported, named),
            may_help=tuple(helps),
            does_not_help=tuple(fails),
            mimics=mimics,
        )


def general_order(reason: Reason) -> tuple[Any, ...]:
    """Where a general cause goes: by kind (see :data:`KIND_ORDER`), then surest first."""
    kind = reason.cause.kind
    place = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    return (place, tuple(-x for x in reason.chain.strength), reason.cause.label)


def why(
    symptom: str,
    *,
    takes: Sequence[str] = (),
    has: Sequence[str] = (),
    groups: Sequence[str] = (),
    kg: Askable | None = None,
    root: Path | str | None = None,
    layer: str | Sequence[str] = "all",
    cache: bool = True,
) -> WhyAnswer:
    """Why might a symptom be happening to this person (in ``kg``, or the data folder ``root``
    loaded with ``layer``): warning signs, reasons, rare causes, what helps, mimics.

    Without ``kg``, the graph's records come from its compiled entry when one matches the
    files (see :func:`spasmkg.model.compiled.ask_graph`; ``cache=False`` loads the files).

    >>> import spasmkg
    >>> answer = why("cramps", takes=["furosemide"], kg=spasmkg.load(layer="core"))
    >>> answer.explanations[0].chain.route
    'furosemide -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp'
    """
    if kg is None:
        from spasmkg.model.compiled import ask_graph

        kg = ask_graph(root, layer=layer, cache=cache)
    return Asker(kg).why(symptom, takes, has, groups)
