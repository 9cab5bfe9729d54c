"""The typed, immutable records every consumer reads: entities, claims, evidence and sources.

The loader builds them once from the RDF (see :mod:`spasmkg.model.view`); explain, lookup, the
NetworkX export, the page and the report read these objects and never match RDF patterns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spasmkg.model.curie import local_of

#: The optional fields of an evidence item, in the order people read them, each with the words
#: that introduce it on a page or in a terminal.
QUALIFIERS = {
    "finding": "finding",
    "part": "part",
    "population": "in",
    "dose_route": "dose or route",
    "jurisdiction": "where",
    "measured": "measured",
    "frequency": "frequency",
    "onset": "onset",
    "sex": "sex",
    "modifiers": "modifiers",
    "curated_on": "curated on",
}
#: Directions of an evidence item: does the source back the claim, find no effect, or leave it open.
DIRECTIONS = ("supports", "refutes", "inconclusive")
#: The standings under which the evidence backs a claim (the others: unsettled, notSupported).
HOLDING = frozenset({"supported", "mixed"})


@dataclass(frozen=True)
class Term:
    """An ontology term (relation, modality, evidence type ...) as people read it."""

    iri: str
    curie: str
    label: str
    rank: int = 0

    @property
    def name(self) -> str:
        """The local name of the term (``relieves``, ``possible``)."""
        return local_of(self.curie)


@dataclass(frozen=True)
class Identifier:
    """One outside identifier of an entity, with the mapping relation and links for people."""

    predicate: str
    curie: str
    iri: str
    label: str
    vocabulary: str
    link: str


@dataclass(frozen=True)
class Name:
    """An everyday name of an entity (``skgo:Name``): its words, its kind and who uses it."""

    text: str
    #: ``layTerm``, ``brandName``, ``abbreviation`` or ``laypersonSynonym``
    kind: str
    #: the CURIEs of the sources that use the name
    sources: tuple[str, ...] = ()
    #: the sense taken when the words can name several entities
    preferred: bool = False
    #: what else the words can mean outside the graph
    other_senses: str = ""


@dataclass(frozen=True)
class Entity:
    """Anything a claim can connect: a biomedical entity or a piece of guidance."""

    iri: str
    curie: str
    label: str
    kind: str
    kind_label: str
    definition: str
    synonyms: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    is_guidance: bool = False
    #: for a warning sign, its triage tier: ``emergency``, ``sameDay``, ``soon`` or ``selfCare``
    urgency: str = ""
    #: the layer that brings the node (``core``, or an imported layer's name such as ``hpo``)
    layer: str = "core"
    #: everyday names (lay terms, brand names, abbreviations), each with its sources
    names: tuple[Name, ...] = ()

    @property
    def name(self) -> str:
        """The local name (``furosemide``)."""
        return local_of(self.curie)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        record = {
            key: getattr(self, key) for key in ("iri", "curie", "label", "kind", "definition")
        }
        if self.urgency:
            record["urgency"] = self.urgency
        record["synonyms"] = list(self.synonyms)
        record["names"] = [name.__dict__ for name in self.names]
        record["identifiers"] = [identifier.__dict__ for identifier in self.identifiers]
        return record


@dataclass(frozen=True)
class Source:
    """Something claims are taken from: an article passage, publication, label, record ..."""

    iri: str
    curie: str
    kind: str
    kind_label: str
    label: str
    definition: str = ""
    title: str = ""
    authors: str = ""
    year: str = ""
    journal: str = ""
    pmid: str = ""
    pmcid: str = ""
    doi: str = ""
    link: str = ""
    read_at: str = ""
    confirmed: str = ""
    part_of: str = ""
    #: for a part of a work (a passage of the seed article), the work it is in, described
    within: str = ""

    @property
    def citation(self) -> str:
        """A one-line reference: authors, year, title, journal and identifiers; a part of a
        work says which work, and what it is."""
        if self.within:
            return f"{self.label}, in {self.within}"
        author = " ".join(
            part for part in (self.authors, f"({self.year})" if self.year else "") if part
        )
        head = ". ".join(part for part in (author.rstrip("."), self.title or self.label) if part)
        ids = [f"PMID {self.pmid}" if self.pmid else "", f"doi:{self.doi}" if self.doi else ""]
        tail = "; ".join(item for item in [self.journal, *ids] if item)
        return f"{head}. {tail}" if tail else head

    def as_dict(self) -> dict[str, str]:
        """Plain data for JSON output, leaving out empty fields."""
        record = {key: value for key, value in self.__dict__.items() if value}
        record["citation"] = self.citation
        return record


@dataclass(frozen=True)
class EvidenceItem:
    """One source's evidence for a claim: what kind, which way, how sure, for whom."""

    iri: str
    source: Source
    evidence_type: Term
    #: the kind of study the finding comes from (its rank orders the strength of evidence)
    design: Term
    direction: str = "supports"
    certainty: Term | None = None
    finding: str = ""
    part: str = ""
    population: str = ""
    dose_route: str = ""
    jurisdiction: str = ""
    measured: str = ""
    #: what the HPO annotations add: how often, from what age, in which sex, with what
    #: modifiers, and when a biocurator last looked at the row
    frequency: str = ""
    onset: str = ""
    sex: str = ""
    modifiers: tuple[str, ...] = ()
    curated_on: str = ""

    @property
    def rests_on_curators(self) -> bool:
        """True when nobody but spasmkg's curators stand behind this item."""
        return self.source.kind == "Curation"

    @property
    def certainty_rank(self) -> int:
        """The rank of the grade the source gives, 0 when it grades nothing."""
        return self.certainty.rank if self.certainty else 0

    @property
    def weight(self) -> tuple[int, int]:
        """How strong the item is: its study design's rank, then its certainty's."""
        return (self.design.rank, self.certainty_rank)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output: the source's citation inline, empty qualifiers left out."""
        record: dict[str, Any] = {
            "item": self.iri,
            "source": self.source.curie,
            "source_kind": self.source.kind,
            "citation": self.source.citation,
            "link": self.source.link,
            "evidence_type": self.evidence_type.curie,
            "evidence_type_label": self.evidence_type.label,
            "design": self.design.name,
            "design_label": self.design.label,
            "direction": self.direction,
            "certainty": self.certainty.name if self.certainty else None,
            "certainty_label": self.certainty.label if self.certainty else None,
            "certainty_rank": self.certainty_rank,
        }
        for key in QUALIFIERS:
            if getattr(self, key):
                record[key] = getattr(self, key)
        return record


@dataclass(frozen=True)
class Claim:
    """One statement (subject, relation, object) with its qualifiers and its evidence."""

    iri: str
    curie: str
    subject: Entity
    predicate: Term
    object: Entity
    modality: Term
    #: how the claim stands on its evidence (supported, mixed, unsettled, not supported)
    standing: Term
    note: str
    graph: str
    context: Entity | None = None
    mechanism: tuple[Entity, ...] = ()
    evidence: tuple[EvidenceItem, ...] = field(default=())
    #: the relation of the claim's plain triple (the simple view), or None when a plain triple
    #: would say more than the claim: one bound to a context, or with disputing evidence
    plain: Term | None = None
    #: the claim's evidence covers its subject class as a whole, so its effect may pass to a
    #: member in a chain (``skgo:classWide``)
    class_wide: bool = False
    #: the layer the claim comes from (a name of :data:`spasmkg.model.layers.LAYERS`)
    layer: str = "core"

    @property
    def sources(self) -> tuple[Source, ...]:
        """The distinct sources of the evidence items, in order."""
        return tuple(dict.fromkeys(item.source for item in self.evidence))

    @property
    def rests_on_curators(self) -> bool:
        """True when every evidence item comes from the curators alone."""
        return all(item.rests_on_curators for item in self.evidence)

    @property
    def support(self) -> tuple[EvidenceItem, ...]:
        """The items that back the claim."""
        return tuple(item for item in self.evidence if item.direction == "supports")

    @property
    def disputes(self) -> tuple[EvidenceItem, ...]:
        """The items that refute the claim or find the evidence inconclusive."""
        return tuple(item for item in self.evidence if item.direction != "supports")

    @property
    def holds(self) -> bool:
        """True when the evidence backs the claim: its standing is supported or mixed."""
        return self.standing.name in HOLDING

    @property
    def shown_modality(self) -> Term | None:
        """The hedge to show with the claim, or None when its evidence does not back it: a
        claim the evidence does not support never reads as possible or stated."""
        return self.modality if self.holds else None

    @property
    def strength(self) -> tuple[int, int, int, int]:
        """How sure the claim is, for ranking: its standing's rank, then the study design and
        the certainty of its strongest supporting item, then its hedge (0 where it has none)."""
        best = max((item.weight for item in self.support), default=(0, 0))
        return (self.standing.rank, *best, self.modality.rank if self.holds else 0)

    @property
    def triple(self) -> tuple[str, str, str]:
        """Subject, predicate and object IRIs."""
        return (self.subject.iri, self.predicate.iri, self.object.iri)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output: CURIEs with their labels, and every evidence item."""
        return {
            "claim": self.curie,
            "subject": self.subject.curie,
            "subject_label": self.subject.label,
            "predicate": self.predicate.curie,
            "predicate_label": self.predicate.label,
            "object": self.object.curie,
            "object_label": self.object.label,
            "modality": self.shown_modality.name if self.shown_modality else None,
            "standing": self.standing.name,
            "standing_label": self.standing.label,
            "strength": list(self.strength),
            "context": self.context.curie if self.context else None,
            "context_label": self.context.label if self.context else None,
            "mechanism": [entity.curie for entity in self.mechanism],
            "mechanism_labels": [entity.label for entity in self.mechanism],
            "note": self.note,
            "simple_view": self.plain.curie if self.plain else None,
            "graph": self.graph,
            "layer": self.layer,
            "rests_on_curators": self.rests_on_curators,
            "evidence": [item.as_dict() for item in self.evidence],
        }
