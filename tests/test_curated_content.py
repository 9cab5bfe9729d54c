"""What a clinician expects to find beyond the article, each claim with evidence a reader can
check: the source's kind, its grade, which way it points.

Each test states one fact the way a reader would check it against the cited source.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

import spasmkg
from spasmkg.ask.explain import explain
from spasmkg.errors import UnknownEntity
from tests.helpers import ask, claim, kinds


@pytest.mark.parametrize(
    ("drug", "drug_class", "parent"),
    [
        ("furosemide", "loop-diuretic", "diuretic"),
        ("hydrochlorothiazide", "thiazide-diuretic", "diuretic"),
        ("atorvastatin", "statin", "statin"),
        ("simvastatin", "statin", "statin"),
        ("salbutamol", "beta2-agonist", "asthma-medication"),
        ("theophylline", "asthma-medication", "asthma-medication"),
    ],
)
def test_each_medication_class_of_the_article_has_members(
    graph: Graph, drug: str, drug_class: str, parent: str
) -> None:
    assert ask(graph, f"ASK {{ skg:{drug} skos:broader+ skg:{drug_class} }}")
    assert ask(graph, f"ASK {{ skg:{drug} skos:broader* skg:{parent} }}")
    # the article says these medicines *can* cause spasms: the simple view says "may"
    assert ask(graph, f"ASK {{ skg:{parent} skgo:mayHaveAdverseEffect skg:muscle-spasm }}")
    assert not ask(graph, f"ASK {{ skg:{parent} skgo:hasAdverseEffect skg:muscle-spasm }}")


@pytest.mark.parametrize("diuretic", ["furosemide", "hydrochlorothiazide"])
def test_diuretics_reach_cramp_through_low_potassium_citing_product_information(
    kg: spasmkg.KnowledgeGraph, diuretic: str
) -> None:
    routes = [chain.route for chain in explain(kg, diuretic, "muscle cramp", max_length=2).chains]
    assert f"{diuretic} -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp" in routes
    assert "ProductInformation" in kinds(claim(kg, diuretic, "hasAdverseEffect", "hypokalemia"))


def test_salbutamol_cramps_have_no_mechanism_the_labels_do_not_give(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    cramps = claim(kg, "salbutamol", "hasAdverseEffect", "muscle-cramp")
    assert cramps.mechanism == ()
    assert kinds(cramps) == {"ProductInformation"}
    # low potassium is a separate effect of the class, from labels and trials
    low_potassium = claim(kg, "beta2-agonist", "hasAdverseEffect", "hypokalemia")
    assert {"ProductInformation", "Publication"} <= kinds(low_potassium)


def test_blinded_trials_dispute_that_statins_cause_most_muscle_pain(
    kg: spasmkg.KnowledgeGraph, graph: Graph
) -> None:
    pain = claim(kg, "statin", "hasAdverseEffect", "myalgia")
    refuting = [item for item in pain.evidence if item.direction == "refutes"]
    assert any(item.source.doi == "10.1136/bmj.n135" for item in refuting)
    assert any(item.source.pmid == "36049498" for item in pain.support)  # CTT meta-analysis
    # disputed, so no plain triple in either form
    assert pain.plain is None
    assert not ask(graph, "ASK { skg:statin skgo:mayHaveAdverseEffect skg:myalgia }")


def test_statins_rarely_break_down_muscle_per_the_regulator(kg: spasmkg.KnowledgeGraph) -> None:
    assert claim(kg, "statin", "hasAdverseEffect", "rhabdomyolysis").support
    necrotising = claim(kg, "statin", "hasAdverseEffect", "immune-mediated-necrotizing-myopathy")
    assert "RegulatorCommunication" in kinds(necrotising)


@pytest.mark.parametrize(
    "member", ["cb1-receptor", "cb2-receptor", "faah", "mgll", "endocannabinoid"]
)
def test_endocannabinoid_system_members(graph: Graph, member: str) -> None:
    assert ask(graph, f"ASK {{ skg:{member} skgo:partOfPathway skg:endocannabinoid-system }}")


def test_cannabidiol_is_not_claimed_to_target_the_receptors(graph: Graph) -> None:
    """Cannabidiol binds CB1/CB2 only weakly: the graph must not say it targets them."""
    assert not ask(graph, "ASK { ?c rdf:subject skg:cannabidiol ; rdf:predicate skgo:targets }")
    assert ask(
        graph,
        "ASK { ?c rdf:subject skg:cannabidiol ; rdf:predicate skgo:interactsWith ; "
        "skgo:modality skgo:possible }",
    )


def test_nabiximols_helps_patient_rated_but_not_clinician_rated_ms_spasticity(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    relief = claim(kg, "nabiximols", "relieves", "spasticity", "multiple-sclerosis")
    aan = [item for item in relief.evidence if item.source.pmid == "24663230"]
    assert {(item.direction, item.certainty.name if item.certainty else "") for item in aan} == {
        ("supports", "aan-level-b"),
        ("refutes", "aan-level-b"),
    }
    assert relief.plain is None  # bound to MS, and disputed
    stroke = claim(kg, "nabiximols", "relieves", "spasticity", "stroke")
    assert {item.direction for item in stroke.evidence} == {"refutes"}


def test_magnesium_does_not_prevent_ordinary_cramps_in_older_adults(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    found = claim(kg, "magnesium", "relieves", "muscle-cramp", "older-adults")
    assert not found.support
    grades = {item.certainty.name for item in found.evidence if item.certainty}
    assert grades == {"grade-high", "grade-moderate"}
    assert {item.source.doi for item in found.evidence} == {"10.1002/14651858.CD009402.pub3"}


def test_quinine_works_somewhat_but_regulators_warn_against_it(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    relief = claim(kg, "quinine", "relieves", "muscle-cramp")
    assert any(item.source.pmid == "25842375" for item in relief.support)  # Cochrane review
    assert "RegulatorCommunication" in kinds(relief, "inconclusive")
    harm = claim(kg, "quinine", "hasAdverseEffect", "thrombocytopenia")
    assert "RegulatorCommunication" in kinds(harm)


def test_botulinum_toxin_relieves_adult_spasticity_at_aan_level_a(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    relief = claim(kg, "botulinum-toxin", "relieves", "spasticity")
    levels = {item.certainty.name for item in relief.support if item.certainty}
    assert "aan-level-a" in levels
    assert {item.source.doi for item in relief.support} == {"10.1212/WNL.0000000000002560"}


@pytest.mark.parametrize(
    ("cause", "state"),
    [
        ("proton-pump-inhibitor", "hypomagnesemia"),
        ("thiazide-diuretic", "hyponatremia"),
        ("baclofen", "baclofen-withdrawal-syndrome"),
    ],
)
def test_medicines_with_sourced_harms(kg: spasmkg.KnowledgeGraph, cause: str, state: str) -> None:
    found = claim(kg, cause, "hasAdverseEffect", state)
    assert found.support and not found.rests_on_curators


@pytest.mark.parametrize(
    ("cause", "state"),
    [
        ("hypoparathyroidism", "hypocalcemia"),
        ("thyroid-or-neck-surgery", "hypoparathyroidism"),
        ("vitamin-d-deficiency", "hypocalcemia"),
        ("chronic-kidney-disease", "hypocalcemia"),
        ("hyperventilation", "respiratory-alkalosis"),
        ("respiratory-alkalosis", "tetany"),
        ("tetanus", "muscle-spasm"),
        ("amyotrophic-lateral-sclerosis", "muscle-twitch"),
    ],
)
def test_causes_a_clinician_expects(kg: spasmkg.KnowledgeGraph, cause: str, state: str) -> None:
    assert claim(kg, cause, "causes", state).support


def test_no_chain_leads_from_multiple_sclerosis_to_fasciculations(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    """MS damages the central motor pathways; twitching comes from lower motor neurons."""
    assert explain(kg, "multiple sclerosis", "muscle twitch", max_length=6).chains == ()
    assert claim(kg, "multiple-sclerosis", "causes", "upper-motor-neuron-damage").support
    assert claim(kg, "lower-motor-neuron-damage", "causes", "muscle-twitch").support
    # central and peripheral damage are both kinds of the article's nerve damage, which no
    # longer causes twitching by itself
    assert not [c for c in kg.claims_about("nerve-damage") if c.object.name == "muscle-twitch"]


def test_antispasmodic_does_not_resolve_to_the_skeletal_muscle_relaxants(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    with pytest.raises(UnknownEntity):
        kg.entity("antispasmodic")
    assert "antispasmodic" not in kg.entity("muscle-relaxant").synonyms


@pytest.mark.parametrize("group", ["older-adults", "pregnant-people"])
def test_risk_groups_beyond_the_article_cite_studies(
    kg: spasmkg.KnowledgeGraph, group: str
) -> None:
    found = claim(kg, group, "riskFactorFor", "muscle-cramp")
    assert "Publication" in kinds(found)
    assert not found.rests_on_curators


def test_deficiency_state_and_blood_level_are_different_entities(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    """A body deficit of magnesium is not the same as a low blood level; both are kept."""
    found = claim(kg, "magnesium-deficiency", "causes", "hypomagnesemia")
    assert "normal" in found.note
    assert "inconclusive" in {item.direction for item in found.evidence}


@pytest.mark.parametrize(
    ("sign", "urgency"),
    [
        ("twitching-with-weakness-or-wasting", "soon"),
        ("dark-urine-with-muscle-symptoms", "emergency"),
        ("jaw-stiffness-after-a-wound", "emergency"),
        ("tingling-around-mouth-or-fingers-with-spasms", "sameDay"),
        ("cramps-disturbing-sleep", "soon"),
    ],
)
def test_warning_signs_carry_the_urgency_their_sources_give(
    kg: spasmkg.KnowledgeGraph, sign: str, urgency: str
) -> None:
    entity = kg.entity(sign)
    assert entity.urgency == urgency
    leading = [c for c in kg.claims_about(entity) if c.predicate.name == "seekCareWhen"]
    assert leading and all(c.support and not c.rests_on_curators for c in leading)


def test_advice_not_to_stop_a_medicine_alone_is_sourced(kg: spasmkg.KnowledgeGraph) -> None:
    found = claim(kg, "muscle-cramp", "managedBy", "ask-before-stopping-a-medicine")
    assert found.support and not found.rests_on_curators


def test_curators_alone_carry_few_claims_each_with_its_reason(kg: spasmkg.KnowledgeGraph) -> None:
    alone = [c for c in kg.claims if c.rests_on_curators]
    assert len(alone) <= 0.05 * len(kg.claims)
    assert all(item.finding for c in alone for item in c.evidence)
    assert {item.evidence_type.curie for c in alone for item in c.evidence} == {"ECO:0000305"}


def test_every_claim_has_evidence_and_every_citation_a_checked_copy(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    assert all(c.evidence for c in kg.claims)
    checked = [
        s
        for s in kg.sources
        if s.kind not in {"Curation", "Passage", "Article", "ArticleSection", "DatabaseRecord"}
    ]
    assert checked
    assert all(s.read_at and s.confirmed and s.link.startswith("http") for s in checked)
