"""Warning signs and their triage tiers, and the conditions that can be mistaken for a cramp.

Each test states one fact a reader can check against the sign's cited source: how soon to get care
(emergency, same day, soon, self-care), and what tells a mimic apart from a cramp.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

import spasmkg
from spasmkg.ask.answer import query
from spasmkg.ask.explain import explain
from spasmkg.checks.validate import validate
from spasmkg.errors import UndeclaredTerm
from spasmkg.model.namespaces import SKGO
from spasmkg.model.records import Claim, Entity
from tests.helpers import ask, sparql
from tests.test_load_errors import plant

TIERS = {"emergency": 4, "sameDay": 3, "soon": 2, "selfCare": 1}


def leads_to(kg: spasmkg.KnowledgeGraph, sign: Entity) -> list[Claim]:
    """The claims that send a person with a condition to this warning sign."""
    return [
        c
        for c in kg.claims_about(sign)
        if c.predicate.name == "seekCareWhen" and c.object.iri == sign.iri
    ]


def signs(kg: spasmkg.KnowledgeGraph) -> list[Entity]:
    return [e for e in kg.entities if e.kind == "WarningSign"]


def test_the_four_tiers_are_declared_and_ranked_and_the_old_two_are_gone(graph: Graph) -> None:
    rows = sparql(graph, "SELECT ?t ?rank WHERE { ?t a skgo:Urgency ; skgo:rank ?rank }")
    ranks = {row["t"].rpartition("/")[2]: int(row["rank"]) for row in rows}
    assert ranks == TIERS
    for gone in ("urgent", "routine"):
        with pytest.raises(AttributeError):
            getattr(SKGO, gone)


def test_every_warning_sign_has_a_tier_from_its_source(
    kg: spasmkg.KnowledgeGraph, graph: Graph
) -> None:
    """Exactly one tier each, and the sign cites a source that also backs a claim leading to it."""
    assert len(signs(kg)) >= 35
    for sign in signs(kg):
        assert sign.urgency in TIERS, sign.curie
        cited = {
            row["s"]
            for row in sparql(graph, f"SELECT ?s WHERE {{ <{sign.iri}> prov:wasDerivedFrom ?s }}")
        }
        assert cited and "https://w3id.org/spasmkg/source/curators" not in cited, sign.curie
        claims = leads_to(kg, sign)
        assert claims and all(c.support and not c.rests_on_curators for c in claims), sign.curie
        backing = {item.source.iri for c in claims for item in c.support}
        assert cited & backing, f"{sign.curie}: its tier's source backs no claim that leads to it"


@pytest.mark.parametrize(
    ("sign", "tier"),
    [
        ("jaw-stiffness-after-a-wound", "emergency"),
        ("dark-urine-with-muscle-symptoms", "emergency"),
        ("leg-symptoms-with-breathlessness-or-chest-pain", "emergency"),
        ("sudden-cold-pale-painful-leg", "emergency"),
        ("back-pain-with-saddle-numbness-or-bladder-bowel-change", "emergency"),
        ("back-pain-after-serious-accident", "emergency"),
        ("medicine-induced-spasms-with-breathing-or-swallowing-trouble", "emergency"),
        ("one-sided-painful-swollen-calf", "sameDay"),
        ("one-sided-red-swollen-leg-in-pregnancy", "sameDay"),
        ("prolonged-cramp-over-10-minutes", "sameDay"),
        ("heat-cramps-not-settling-within-an-hour", "sameDay"),
        ("cramps-with-new-weakness-or-numbness", "sameDay"),
        ("tingling-around-mouth-or-fingers-with-spasms", "sameDay"),
        ("unexplained-muscle-symptoms-on-statin", "sameDay"),
        ("uncontrollable-face-neck-or-eye-spasms-after-a-medicine", "sameDay"),
        ("back-pain-with-fever-weight-loss-or-night-pain", "sameDay"),
        ("twitching-with-weakness-or-wasting", "soon"),
        ("cramps-with-weakness-or-wasting", "soon"),
        ("cramps-disturbing-sleep", "soon"),
        ("calf-pain-on-walking-eased-by-rest", "soon"),
        ("twitch-lasting-over-two-weeks-or-in-several-places", "soon"),
        ("back-pain-not-improving-after-weeks", "soon"),
    ],
)
def test_warning_sign_tiers(kg: spasmkg.KnowledgeGraph, sign: str, tier: str) -> None:
    assert kg.entity(sign).urgency == tier


def test_jaw_stiffness_after_a_wound_is_an_emergency_tetanus_unlike_heat_cramps_lasting_an_hour(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    jaw = kg.entity("jaw-stiffness-after-a-wound")
    heat = kg.entity("heat-cramps-not-settling-within-an-hour")
    assert (jaw.urgency, heat.urgency) == ("emergency", "sameDay")
    by_condition = {c.subject.name: c for c in leads_to(kg, jaw)}
    assert set(by_condition) == {"muscle-spasm", "tetanus"}  # lockjaw names tetanus itself
    for claim in by_condition.values():
        assert "tetanus" in claim.note
        nhs = [i for i in claim.support if i.source.link.endswith("/conditions/tetanus/")]
        assert nhs and "999" in nhs[0].finding


def test_a_one_sided_swollen_calf_is_not_a_cramp_but_a_possible_clot_seen_the_same_day(
    kg: spasmkg.KnowledgeGraph, graph: Graph
) -> None:
    calf = kg.entity("one-sided-painful-swollen-calf")
    assert calf.urgency == "sameDay"
    assert {c.subject.name for c in leads_to(kg, calf)} == {"deep-vein-thrombosis", "muscle-cramp"}
    [mimic] = [
        c
        for c in kg.claims_about("deep-vein-thrombosis")
        if c.predicate.name == "mistakenFor"
        and c.object.name == "muscle-cramp"
        and c.context is None
    ]
    assert "Guideline" in {i.source.kind for i in mimic.support}  # NICE CKS names it a mimic
    [tell] = sparql(graph, f"SELECT ?t WHERE {{ <{mimic.iri}> skgo:howToTell ?t }}")
    assert "one leg" in tell["t"] and "swelling" in tell["t"]
    worse = kg.entity("leg-symptoms-with-breathlessness-or-chest-pain")
    assert worse.urgency == "emergency"


def test_in_pregnancy_one_red_swollen_leg_is_seen_the_same_day_and_pregnancy_raises_clot_risk(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    sign = kg.entity("one-sided-red-swollen-leg-in-pregnancy")
    assert sign.urgency == "sameDay"
    claims = leads_to(kg, sign)
    assert {c.context.name for c in claims if c.context} == {"pregnant-people"}
    assert {c.subject.name for c in claims} == {"deep-vein-thrombosis", "muscle-cramp"}
    [risk] = [
        c
        for c in kg.claims_about("pregnant-people")
        if c.predicate.name == "riskFactorFor" and c.object.name == "deep-vein-thrombosis"
    ]
    assert risk.support and "1000" in risk.note


@pytest.mark.parametrize(
    ("mimic", "cramp", "clue"),
    [
        ("deep-vein-thrombosis", "muscle-cramp", "one leg"),
        ("intermittent-claudication", "muscle-cramp", "walking"),
        ("restless-legs-syndrome", "nocturnal-leg-cramp", "urge to move"),
        ("popliteal-cyst", "muscle-cramp", "lump behind the knee"),
        ("popliteal-cyst", "deep-vein-thrombosis", "scan"),
        ("benign-fasciculation-syndrome", "amyotrophic-lateral-sclerosis", "no true weakness"),
    ],
)
def test_mimics_say_how_to_tell_them_apart(
    kg: spasmkg.KnowledgeGraph, graph: Graph, mimic: str, cramp: str, clue: str
) -> None:
    [claim] = [
        c
        for c in kg.claims_about(mimic)
        if c.predicate.name == "mistakenFor" and c.object.name == cramp and c.context is None
    ]
    assert claim.support and not claim.rests_on_curators
    [tell] = sparql(graph, f"SELECT ?t WHERE {{ <{claim.iri}> skgo:howToTell ?t }}")
    assert clue in tell["t"]


def test_a_mimic_is_not_a_cause_so_explain_does_not_follow_it(kg: spasmkg.KnowledgeGraph) -> None:
    assert explain(kg, "deep vein thrombosis", "muscle cramp").chains == ()
    assert not ask(kg.union(), "ASK { skgo:mistakenFor skgo:chainRole ?role }")


def test_back_pain_with_saddle_numbness_is_an_emergency_cauda_equina(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    sign = kg.entity("back-pain-with-saddle-numbness-or-bladder-bowel-change")
    assert sign.urgency == "emergency"
    assert {c.subject.name for c in leads_to(kg, sign)} == {
        "low-back-pain",
        "cauda-equina-syndrome",
    }
    assert all("A&E" in c.note for c in leads_to(kg, sign))


def test_acute_dystonic_reaction_presents_with_spasm_and_airway_involvement_is_an_emergency(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    [spasm] = [
        c
        for c in kg.claims_about("acute-dystonic-reaction")
        if c.predicate.name == "hasPhenotype" and c.object.name == "muscle-spasm"
    ]
    assert spasm.support and spasm.modality.name == "stated"
    routes = [c.route for c in explain(kg, "haloperidol", "muscle spasm").chains]
    assert (
        "haloperidol -[has adverse effect]-> acute dystonic reaction -[has phenotype]-> muscle spasm"
        in routes
    )
    throat = kg.entity("medicine-induced-spasms-with-breathing-or-swallowing-trouble")
    face = kg.entity("uncontrollable-face-neck-or-eye-spasms-after-a-medicine")
    assert (throat.urgency, face.urgency) == ("emergency", "sameDay")
    [airway] = leads_to(kg, throat)
    assert any(i.source.pmid == "38185029" for i in airway.support)  # review of laryngeal dystonia


def test_where_sources_disagree_the_cautious_tier_is_kept_and_the_claim_says_why(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    """NHS England lists a cramp over ten minutes as non-urgent; NHS inform, nidirect and Mayo say
    urgently: the same-day tier is kept, and the disagreement is in the claim."""
    [claim] = leads_to(kg, kg.entity("prolonged-cramp-over-10-minutes"))
    assert "NHS England" in claim.note and "cautious" in claim.note
    assert len(claim.support) >= 4


def test_when_to_seek_care_lists_the_most_urgent_first(kg: spasmkg.KnowledgeGraph) -> None:
    rows = [r for r in query("when-to-seek-care", {}, kg=kg).dicts() if r.get("urgency")]
    order = {"emergency": 4, "same day": 3, "soon": 2, "self-care": 1}
    ranks = [order[str(r["urgency"])] for r in rows]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] == 4


@pytest.mark.slow  # loads the whole graph again (seconds)
def test_a_warning_sign_without_a_tier_is_refused(data_copy: Path) -> None:
    two = "skgo:urgency skgo:emergency ;\n    skgo:urgency skgo:soon ."
    plant(data_copy, "graph/advice.ttl", "skgo:urgency skgo:emergency .", two)
    plant(data_copy, "graph/mimics.ttl", "    skgo:urgency skgo:soon .", "    .")
    found = [str(v) for v in validate(spasmkg.load(data_copy, layer="core")).violations]
    assert any("skgo:urgency: needs exactly one skgo:urgency" in v for v in found)
    assert sum("needs exactly one skgo:urgency" in v for v in found) == 2


def test_the_old_tiers_are_no_longer_terms(data_copy: Path) -> None:
    plant(data_copy, "graph/advice.ttl", "skgo:urgency skgo:soon", "skgo:urgency skgo:routine")
    with pytest.raises(UndeclaredTerm, match="skgo:routine"):
        spasmkg.load(data_copy, layer="core")


@pytest.mark.slow  # loads the whole graph again (seconds)
def test_a_mimic_claim_without_how_to_tell_is_refused(data_copy: Path) -> None:
    path = data_copy / "graph/mimics.ttl"
    text = path.read_text(encoding="utf-8")
    start = text.index("claim:restless-legs-syndrome--mistaken-for--nocturnal-leg-cramp a")
    tell = text.index("skgo:howToTell", start)
    end = text.index("\n", tell)
    path.write_text(text[:tell] + text[end + 1 :].lstrip(), encoding="utf-8")
    found = [str(v) for v in validate(spasmkg.load(data_copy, layer="core")).violations]
    assert any(
        "restless-legs-syndrome--mistaken-for--nocturnal-leg-cramp" in v and "skgo:howToTell" in v
        for v in found
    )
