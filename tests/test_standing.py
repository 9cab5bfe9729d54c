"""A claim's standing on its evidence: one rule, declared in the ontology, on every claim.

The rule in the README's words: take a claim's strongest evidence (the highest study design,
then the highest certainty its source gives); if all of it supports the claim, the claim is
supported; if some supports and some refutes, mixed; if none of it refutes but some finds the
evidence too thin, unsettled; if some refutes and none supports, not supported. This file
restates that rule on its own and checks the ontology's version of it against every claim.
"""

from __future__ import annotations

import itertools

import pytest

import spasmkg
from spasmkg.errors import SpasmKGError
from spasmkg.model.records import Claim
from spasmkg.model.standing import EvidenceRules, Weighed

SKGO = "https://w3id.org/spasmkg/ontology/"
DIRECTIONS = ("supports", "refutes", "inconclusive")


def expected_standing(directions: set[str]) -> str:
    """The README's rule, written out again by hand."""
    if directions == {"supports"}:
        return "supported"
    if {"supports", "refutes"} <= directions:
        return "mixed"
    if "refutes" in directions:
        return "notSupported"
    return "unsettled"


def strongest_directions(claim: Claim) -> set[str]:
    """The directions of a claim's items of the highest design, then certainty."""
    top = max(item.weight for item in claim.evidence)
    return {item.direction for item in claim.evidence if item.weight == top}


@pytest.fixture(scope="module")
def rules(kg: spasmkg.KnowledgeGraph) -> EvidenceRules:
    return EvidenceRules.of(kg.ontology)


def test_every_claim_stands_where_the_rule_puts_it(kg_all: spasmkg.KnowledgeGraph) -> None:
    wrong = [
        (claim.curie, claim.standing.name)
        for claim in kg_all.claims
        if claim.standing.name != expected_standing(strongest_directions(claim))
    ]
    assert wrong == []


def test_the_ontologys_rule_gives_exactly_one_standing_for_any_directions(
    rules: EvidenceRules,
) -> None:
    for size in range(1, 4):
        for directions in itertools.combinations(DIRECTIONS, size):
            items = [Weighed(SKGO + d, SKGO + "systematicReview") for d in directions]
            assert rules.standing(items) == SKGO + expected_standing(set(directions))


def test_a_rule_that_fits_twice_is_refused(kg: spasmkg.KnowledgeGraph) -> None:
    ontology = kg.ontology.__class__()
    ontology += kg.ontology
    from rdflib import URIRef

    ontology.remove((URIRef(SKGO + "supported"), URIRef(SKGO + "ifStrongestExclude"), None))
    broken = EvidenceRules.of(ontology)
    with pytest.raises(SpasmKGError, match="exactly one must fit"):
        broken.standing(
            [
                Weighed(SKGO + "supports", SKGO + "systematicReview"),
                Weighed(SKGO + "refutes", SKGO + "systematicReview"),
            ]
        )


def test_a_graded_review_outweighs_an_ungraded_one_and_a_trial_outweighs_the_article(
    rules: EvidenceRules,
) -> None:
    """Certainty decides between two reviews; study design comes first."""
    graded_refutes = Weighed(SKGO + "refutes", SKGO + "systematicReview", SKGO + "grade-high")
    ungraded_supports = Weighed(SKGO + "supports", SKGO + "systematicReview")
    assert rules.standing([graded_refutes, ungraded_supports]) == SKGO + "notSupported"
    article = Weighed(SKGO + "supports", SKGO + "untracedStatement")
    trial = Weighed(SKGO + "refutes", SKGO + "randomisedTrial")
    assert rules.standing([article, trial]) == SKGO + "notSupported"
    assert rules.standing([article]) == SKGO + "supported"


@pytest.mark.parametrize(
    ("claim", "standing"),
    [
        # Cochrane CD009402 (GRADE high): magnesium does not prevent ordinary cramps in older adults
        ("claim:magnesium--relieves--muscle-cramp--in--older-adults", "notSupported"),
        # the same review could not pool the pregnancy trials (GRADE very low)
        ("claim:magnesium--relieves--muscle-cramp--in--pregnant-people", "unsettled"),
        # AAN level B: nabiximols helps patient-rated, not clinician-rated, MS spasticity
        ("claim:nabiximols--relieves--spasticity--in--multiple-sclerosis", "mixed"),
        # AAN level A (with GRADE-graded reviews behind it): quinine works, modestly
        ("claim:quinine--relieves--muscle-cramp", "supported"),
        # a randomised trial after stroke found no effect
        ("claim:nabiximols--relieves--spasticity--in--stroke", "notSupported"),
        # cohorts of triathletes and ultra-runners find no link; one review argues for it
        ("claim:dehydration--causes--muscle-cramp--in--athletes", "notSupported"),
        # 19 blinded trials find a small excess; other pooled trials find none
        ("claim:statin--has-adverse-effect--myalgia", "mixed"),
        # the furosemide label lists low potassium
        ("claim:furosemide--has-adverse-effect--hypokalemia", "supported"),
    ],
)
def test_standing_of_claims_read_in_their_sources(
    kg: spasmkg.KnowledgeGraph, claim: str, standing: str
) -> None:
    assert {c.curie: c for c in kg.claims}[claim].standing.name == standing


def test_the_standing_is_stored_on_every_claim(kg_all: spasmkg.KnowledgeGraph) -> None:
    """The build keeps it in the inferred graph, where SPARQL and the exports read it."""
    from rdflib import URIRef

    stored = {
        str(claim): str(standing)
        for claim, standing in kg_all.inferred.subject_objects(URIRef(SKGO + "standing"))
    }
    for loaded in kg_all.imports:
        stored.update(
            (str(c), str(s)) for c, s in loaded.inferred.subject_objects(URIRef(SKGO + "standing"))
        )
    assert {c.iri: c.standing.iri for c in kg_all.claims} == stored


def test_a_claim_the_evidence_does_not_back_never_reads_as_possible(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    from spasmkg.ask.citing import standing_text
    from spasmkg.outputs.kgx import records
    from spasmkg.outputs.network import edge_attributes

    edges = {edge["id"]: edge for edge in records(kg)[1]}
    for claim in kg.claims:
        if claim.holds:
            continue
        assert claim.shown_modality is None and claim.plain is None
        assert claim.as_dict()["modality"] is None
        assert standing_text(claim) == f"[{claim.standing.label}]"
        assert edge_attributes(claim)["modality"] == ""
        found = [edges[i] for i in (claim.curie, f"{claim.curie}#refuted") if i in edges]
        assert len(found) == bool(claim.support) + any(
            item.direction == "refutes" for item in claim.evidence
        ), claim.curie
        for edge in found:
            assert edge["spasmkg_modality"] == ""
            assert edge["spasmkg_standing"] == claim.standing.name
