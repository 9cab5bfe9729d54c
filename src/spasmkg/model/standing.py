"""A claim's standing on its evidence, by the one rule the ontology declares.

The strongest evidence items of a claim are those of the highest study design (a systematic
review or guideline above a randomised trial, above a cohort or case-control study, above a
case report, above an expert statement, a label listing or a patient page, above a statement
with no traceable support) and, among those, of the highest certainty their sources give.
Each standing of the ontology (``skgo:supported``, ``skgo:mixed``, ``skgo:unsettled``,
``skgo:notSupported``) names the directions those items must include and must not include;
exactly one standing fits any set of directions (a test proves it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from spasmkg.errors import SpasmKGError
from spasmkg.model.namespaces import SKGO


@dataclass(frozen=True)
class Weighed:
    """What the rule needs of one evidence item: its direction, design and certainty (IRIs)."""

    direction: str
    design: str
    certainty: str | None = None


@dataclass(frozen=True)
class StandingRule:
    """One standing and the directions its claim's strongest items must and must not have."""

    standing: str
    include: frozenset[str]
    exclude: frozenset[str]

    def fits(self, directions: frozenset[str]) -> bool:
        """True when a set of directions has this standing."""
        return self.include <= directions and not self.exclude & directions


def ranks(ontology: Graph, cls: URIRef) -> dict[str, int]:
    """The rank of every individual of a class, by IRI (0 where none is given)."""
    return {
        str(node): int(str(ontology.value(node, SKGO.rank) or 0))
        for node in ontology.subjects(RDF.type, cls)
    }


@dataclass(frozen=True)
class EvidenceRules:
    """The ontology's study designs, certainty grades and standings, read once."""

    design_rank: Mapping[str, int]
    default_design: Mapping[str, str]
    certainty_rank: Mapping[str, int]
    standing_rank: Mapping[str, int]
    standings: tuple[StandingRule, ...]

    @classmethod
    def of(cls, ontology: Graph) -> EvidenceRules:
        """The rules as the ontology declares them."""
        standings = tuple(
            StandingRule(
                str(node),
                frozenset(str(d) for d in ontology.objects(node, SKGO.ifStrongestInclude)),
                frozenset(str(d) for d in ontology.objects(node, SKGO.ifStrongestExclude)),
            )
            for node in sorted(ontology.subjects(RDF.type, SKGO.Standing), key=str)
        )
        return cls(
            design_rank=ranks(ontology, SKGO.StudyDesign),
            default_design={
                str(eco): str(design)
                for eco, design in ontology.subject_objects(SKGO.defaultDesign)
            },
            certainty_rank=ranks(ontology, SKGO.Certainty),
            standing_rank=ranks(ontology, SKGO.Standing),
            standings=standings,
        )

    def design(self, stated: Node | None, evidence_type: Node | None) -> str | None:
        """An item's design: the one it states, else its evidence type's default, else None
        (an evidence type the ontology does not declare: SHACL and a quality check report it)."""
        if stated is not None:
            return str(stated)
        return self.default_design.get(str(evidence_type))

    def weight(self, item: Weighed) -> tuple[int, int]:
        """How strong an item is: its design's rank, then its certainty's rank."""
        certainty = self.certainty_rank.get(item.certainty, 0) if item.certainty else 0
        return (self.design_rank.get(item.design, 0), certainty)

    def strongest(self, items: Iterable[Weighed]) -> list[Weighed]:
        """The items of the highest weight."""
        listed = list(items)
        if not listed:
            return []
        top = max(self.weight(item) for item in listed)
        return [item for item in listed if self.weight(item) == top]

    def standing(self, items: Iterable[Weighed]) -> str:
        """The standing (IRI) of a claim with these evidence items.

        :raises SpasmKGError: no standing, or more than one, fits (the ontology's rule is not
            exhaustive and exclusive), or the claim has no items.
        """
        directions = frozenset(item.direction for item in self.strongest(items))
        fitting = [rule.standing for rule in self.standings if rule.fits(directions)]
        if len(fitting) != 1:
            raise SpasmKGError(
                f"the ontology's standings give {len(fitting)} standings for strongest"
                f" evidence with directions {sorted(directions)}; exactly one must fit"
            )
        return fitting[0]


def weighed_items(graph: Graph, claim: Node, rules: EvidenceRules) -> list[Weighed]:
    """A claim's evidence items as the rule reads them, from the RDF."""
    found = []
    for item in graph.objects(claim, SKGO.hasEvidence):
        direction = graph.value(item, SKGO.direction)
        design = rules.design(
            graph.value(item, SKGO.studyDesign), graph.value(item, SKGO.evidenceType)
        )
        if direction is None or design is None:
            continue  # SHACL reports it
        certainty = graph.value(item, SKGO.certainty)
        found.append(Weighed(str(direction), design, str(certainty) if certainty else None))
    return found
