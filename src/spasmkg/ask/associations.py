"""``spasmkg associations``: the claims as flat rows, as monarch-py lists associations, filtered
by subject, relation and object, each with its standing, hedge, context and evidence, so that
a researcher needs no SPARQL to take them into a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spasmkg.errors import UsageError
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.loader import load
from spasmkg.model.names import key
from spasmkg.model.records import Claim, EvidenceItem, Term


@dataclass(frozen=True)
class Association:
    """One claim as a row: who, which relation, whom, how it stands, and each evidence item's
    direction, study design, grade, reference and citation (the item lists run in step)."""

    claim: str
    subject: str
    subject_label: str
    predicate: str
    predicate_label: str
    object: str
    object_label: str
    #: supported, mixed, unsettled or notSupported
    standing: str
    #: the hedge (possible, probable, stated ...), empty when the evidence does not back the claim
    modality: str
    #: the group the claim is bound to, empty when it holds for everyone
    context: str
    context_label: str
    layer: str
    #: supports, refutes or inconclusive, one per evidence item
    directions: tuple[str, ...]
    designs: tuple[str, ...]
    #: the grade the source gives, "not graded" where it gives none
    certainties: tuple[str, ...]
    #: PMID: or doi: where the source records one, else the source's own CURIE
    references: tuple[str, ...]
    citations: tuple[str, ...]


def reference(item: EvidenceItem) -> str:
    """Where a reader finds an item's source: its PMID, else its DOI, else the source record."""
    source = item.source
    if source.pmid:
        return f"PMID:{source.pmid}"
    return f"doi:{source.doi}" if source.doi else source.curie


def association(claim: Claim) -> Association:
    """A claim as a flat row."""
    items = claim.evidence
    return Association(
        claim=claim.curie,
        subject=claim.subject.curie,
        subject_label=claim.subject.label,
        predicate=claim.predicate.curie,
        predicate_label=claim.predicate.label,
        object=claim.object.curie,
        object_label=claim.object.label,
        standing=claim.standing.name,
        modality=claim.shown_modality.name if claim.shown_modality else "",
        context=claim.context.curie if claim.context else "",
        context_label=claim.context.label if claim.context else "",
        layer=claim.layer,
        directions=tuple(item.direction for item in items),
        designs=tuple(item.design.label for item in items),
        certainties=tuple(
            item.certainty.label if item.certainty else "not graded" for item in items
        ),
        references=tuple(reference(item) for item in items),
        citations=tuple(item.source.citation for item in items),
    )


def relation(kg: KnowledgeGraph, name: str) -> Term:
    """The relation a user names by label (``has adverse effect``), CURIE, local name or IRI.

    :raises UsageError: no relation goes by that name; the message lists them.
    """
    wanted = key(name)
    for term in kg.relations:
        if wanted in {key(term.label), key(term.curie), key(term.name), key(term.iri)}:
            return term
    known = ", ".join(sorted(f"'{term.label}'" for term in kg.relations))
    raise UsageError(f"no relation named {name!r}; use one of {known} (or its CURIE)")


def associations(
    subject: str | None = None,
    predicate: str | None = None,
    obj: str | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
    kg: KnowledgeGraph | None = None,
    root: Path | str | None = None,
    layer: str | Sequence[str] = "all",
) -> list[Association]:
    """The claims with this subject, relation and object (each optional, named as a person
    would), surest first (standing, then the strongest evidence, then the claim's CURIE), from
    ``offset`` on, at most ``limit`` of them.

    >>> import spasmkg
    >>> rows = associations("furosemide", "has adverse effect", "hypokalemia", kg=spasmkg.load())
    >>> [(row.standing, row.modality, row.references) for row in rows]
    [('supported', 'possible', ('source:furose-adverse-reactions',))]

    :raises UnknownEntity: the subject or object names no entity (close names suggested).
    :raises UsageError: the relation is unknown, or limit or offset is out of range.
    """
    if limit is not None and limit < 1:
        raise UsageError(f"limit must be 1 or more, not {limit}")
    if offset < 0:
        raise UsageError(f"offset must be 0 or more, not {offset}")
    kg = kg or load(root, layer=layer)
    wanted = (
        kg.entity(subject).iri if subject is not None else None,
        relation(kg, predicate).iri if predicate is not None else None,
        kg.entity(obj).iri if obj is not None else None,
    )
    found = [
        claim
        for claim in kg.claims
        if all(
            want is None or want == have for want, have in zip(wanted, claim.triple, strict=True)
        )
    ]
    found.sort(key=lambda claim: (tuple(-n for n in claim.strength), claim.curie))
    end = None if limit is None else offset + limit
    return [association(claim) for claim in found[offset:end]]
