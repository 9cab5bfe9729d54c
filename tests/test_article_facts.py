"""Each fact of the source article is in the graph as a claim citing the passage it comes from.

The numbered tests follow the article from top to bottom; a reader can check each one against
the article's text (../shared/sources/000_917287f35ccb5cf3.txt) by the passage name.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from tests.helpers import ask, sparql

POSSIBLE = "https://w3id.org/spasmkg/ontology/possible"
STATED = "https://w3id.org/spasmkg/ontology/stated"
TYPICAL = "https://w3id.org/spasmkg/ontology/typical"
AUTHOR_STATEMENT = "http://purl.obolibrary.org/obo/ECO_0000303"
CURATOR_INFERENCE = "http://purl.obolibrary.org/obo/ECO_0000305"
CLINICAL_STUDY = "http://purl.obolibrary.org/obo/ECO_0007121"


def claims(graph: Graph, subject: str, predicate: str, obj: str) -> list[dict[str, str]]:
    """The claims 'subject predicate object' with their article passage, modality and context."""
    return sparql(
        graph,
        f"""
        SELECT ?claim ?source ?modality ?context ?mechanism WHERE {{
          ?claim a skgo:Claim ; rdf:subject {subject} ; rdf:predicate {predicate} ;
                 rdf:object {obj} ; skgo:hasEvidence/prov:wasDerivedFrom ?source ;
                 skgo:modality ?modality .
          FILTER(STRSTARTS(STR(?source), "https://w3id.org/spasmkg/source/article-"))
          OPTIONAL {{ ?claim skgo:inContext ?context }}
          OPTIONAL {{ ?claim skgo:hasMechanism ?mechanism }}
        }}""",
    )


def only_claim(graph: Graph, subject: str, predicate: str, obj: str) -> dict[str, str]:
    """The single claim of a triple; fails if there is none or several."""
    found = claims(graph, subject, predicate, obj)
    assert len(found) == 1, f"expected one claim {subject} {predicate} {obj}, found {found}"
    return found[0]


def source(passage: str) -> str:
    """Full IRI of an article passage."""
    return f"https://w3id.org/spasmkg/source/{passage}"


def test_01_spasm_is_sudden_involuntary_contraction_in_any_muscle_group(graph: Graph) -> None:
    [row] = sparql(
        graph,
        "SELECT ?definition ?from WHERE { skg:muscle-spasm skos:definition ?definition ; "
        "prov:wasDerivedFrom ?from }",
    )
    assert "abrupt" in row["definition"] and "does not will" in row["definition"]
    assert "any group of muscles" in row["definition"]
    assert row["from"] == source("article-definition-what")


@pytest.mark.parametrize("form", ["muscle-twitch", "muscle-cramp"])
def test_01_twitches_and_cramps_are_the_mild_and_severe_ends_of_spasm(
    graph: Graph, form: str
) -> None:
    claim = only_claim(graph, f"skg:{form}", "skos:broader", "skg:muscle-spasm")
    assert claim["source"] == source("article-definition-range")


def test_02_dehydration_upsets_electrolytes_which_leads_to_spasm(graph: Graph) -> None:
    passage = source("article-causes-dehydration")
    first = only_claim(graph, "skg:dehydration", "skgo:causes", "skg:electrolyte-imbalance")
    second = only_claim(graph, "skg:electrolyte-imbalance", "skgo:causes", "skg:muscle-spasm")
    whole = only_claim(graph, "skg:dehydration", "skgo:causes", "skg:muscle-spasm")
    assert {first["source"], second["source"], whole["source"]} == {passage}
    assert whole["mechanism"].endswith("/electrolyte-imbalance")
    assert {first["modality"], second["modality"], whole["modality"]} == {POSSIBLE}


@pytest.mark.parametrize(
    ("nutrient", "blood_state"),
    [("magnesium", "hypomagnesemia"), ("potassium", "hypokalemia"), ("calcium", "hypocalcemia")],
)
def test_03_each_mineral_matters_for_muscle_and_its_lack_leads_to_spasm(
    graph: Graph, nutrient: str, blood_state: str
) -> None:
    passage = source("article-causes-nutrients")
    role = only_claim(graph, f"skg:{nutrient}", "skgo:requiredFor", "skg:muscle-contraction")
    lack = only_claim(graph, f"skg:{nutrient}-deficiency", "skgo:deficiencyOf", f"skg:{nutrient}")
    spasm = only_claim(graph, f"skg:{nutrient}-deficiency", "skgo:causes", "skg:muscle-spasm")
    assert {role["source"], lack["source"], spasm["source"]} == {passage}
    assert spasm["modality"] == POSSIBLE
    # the low blood level is the state in between, and it leads on to a form of spasm: read
    # from the claims (the careful view), since these claims are hedged
    assert ask(
        graph,
        f"""ASK {{ ?lack rdf:subject skg:{nutrient}-deficiency ; rdf:predicate skgo:causes ;
                         rdf:object skg:{blood_state} .
                  ?leads rdf:subject skg:{blood_state} ; rdf:predicate skgo:causes ;
                         rdf:object ?form .
                  ?form skos:broader* skg:muscle-spasm }}""",
    )
    # a low blood level is not a body deficiency: it can come from a shift into cells
    assert not ask(
        graph,
        f"""ASK {{ {{ skg:{blood_state} skgo:deficiencyOf ?any }} UNION
                  {{ ?c rdf:subject skg:{blood_state} ; rdf:predicate skgo:deficiencyOf }} }}""",
    )


def test_04_overuse_tires_a_muscle_and_makes_it_prone_to_spasm(graph: Graph) -> None:
    passage = source("article-causes-overuse")
    tired = only_claim(graph, "skg:muscle-overuse", "skgo:causes", "skg:muscle-fatigue")
    prone = only_claim(graph, "skg:muscle-fatigue", "skgo:riskFactorFor", "skg:muscle-spasm")
    overuse = only_claim(graph, "skg:muscle-overuse", "skgo:riskFactorFor", "skg:muscle-spasm")
    strain = only_claim(graph, "skg:muscle-strain", "skgo:riskFactorFor", "skg:muscle-spasm")
    assert {tired["source"], prone["source"], overuse["source"], strain["source"]} == {passage}
    assert overuse["mechanism"].endswith("/muscle-fatigue")


@pytest.mark.parametrize("group", ["athletes", "repetitive-movement"])
def test_04_athletes_and_repetitive_movers_are_at_higher_risk(graph: Graph, group: str) -> None:
    claim = only_claim(graph, f"skg:{group}", "skgo:riskFactorFor", "skg:muscle-spasm")
    assert claim["source"] == source("article-causes-overuse")
    assert claim["mechanism"].endswith("/muscle-overuse")
    assert claim["modality"] == POSSIBLE


def test_05_nerve_damage_disrupts_signals_and_leads_to_spasm(graph: Graph) -> None:
    claim = only_claim(graph, "skg:nerve-damage", "skgo:causes", "skg:muscle-spasm")
    assert claim["source"] == source("article-causes-nerve-damage")
    [row] = sparql(graph, "SELECT ?d WHERE { skg:nerve-damage skos:definition ?d }")
    assert "injury" in row["d"] and "disease" in row["d"] and "signals" in row["d"]


@pytest.mark.parametrize("disease", ["multiple-sclerosis", "parkinson-disease", "fibromyalgia"])
def test_06_diseases_that_can_cause_spasm(graph: Graph, disease: str) -> None:
    claim = only_claim(graph, f"skg:{disease}", "skgo:causes", "skg:muscle-spasm")
    assert claim["source"] == source("article-causes-diseases")
    assert claim["modality"] == POSSIBLE


@pytest.mark.parametrize("medicine", ["diuretic", "statin", "asthma-medication"])
def test_07_medicines_with_spasm_as_a_side_effect(graph: Graph, medicine: str) -> None:
    claim = only_claim(graph, f"skg:{medicine}", "skgo:hasAdverseEffect", "skg:muscle-spasm")
    assert claim["source"] == source("article-causes-medications")
    assert claim["modality"] == POSSIBLE


def test_07_only_some_asthma_medicines(graph: Graph) -> None:
    [row] = sparql(
        graph,
        "SELECT ?comment WHERE { ?c rdf:subject skg:asthma-medication ; "
        "rdf:predicate skgo:hasAdverseEffect ; rdf:object skg:muscle-spasm ; rdfs:comment ?comment }",
    )
    assert "some" in row["comment"] and "not all" in row["comment"]


def test_08_treatment_depends_on_the_cause(graph: Graph) -> None:
    claim = only_claim(graph, "skg:muscle-spasm", "skgo:managedBy", "skg:cause-directed-care")
    assert claim["source"] == source("article-treatment-cause")


def test_09_most_spasms_resolve_without_treatment_but_not_all(graph: Graph) -> None:
    claim = only_claim(graph, "skg:muscle-spasm", "skgo:hasCourse", "skg:self-limiting-course")
    assert claim["source"] == source("article-treatment-course")
    assert claim["modality"] == TYPICAL, "the article says 'in most cases', not always"


def test_10_when_to_seek_medical_attention(graph: Graph) -> None:
    rows = sparql(
        graph,
        """SELECT ?sign ?source WHERE { ?c rdf:subject skg:muscle-spasm ;
             rdf:predicate skgo:seekCareWhen ; rdf:object ?sign ;
             skgo:hasEvidence/prov:wasDerivedFrom ?source .
             FILTER(STRSTARTS(STR(?source), "https://w3id.org/spasmkg/source/article-")) }""",
    )
    signs = {row["sign"].rsplit("/", 1)[1] for row in rows}
    assert signs == {"persistent-spasms", "severe-painful-spasms", "disease-related-spasms"}
    assert {row["source"] for row in rows} == {source("article-treatment-seek-care")}


def test_11_studies_show_cannabis_can_reduce_spasm_in_ms_and_spinal_cord_injury(
    graph: Graph,
) -> None:
    found = claims(graph, "skg:medical-cannabis", "skgo:relieves", "skg:muscle-spasm")
    contexts = {row["context"].rsplit("/", 1)[1] for row in found}
    assert contexts == {"multiple-sclerosis", "spinal-cord-injury"}
    assert {row["source"] for row in found} == {source("article-cannabis-studies")}
    assert {row["modality"] for row in found} == {POSSIBLE}
    for row in found:
        evidence = {
            r["e"]
            for r in sparql(
                graph,
                f"""SELECT ?e WHERE {{ <{row["claim"]}> skgo:hasEvidence ?item .
                    ?item prov:wasDerivedFrom source:article-cannabis-studies ;
                          skgo:evidenceType ?e }}""",
            )
        }
        # the article names no study, so its report of studies is an author statement
        # without traceable support, not clinical study evidence
        assert evidence == {AUTHOR_STATEMENT}
        assert CLINICAL_STUDY not in evidence


def test_11_cannabis_claims_are_not_general(graph: Graph) -> None:
    """The article limits the benefit to certain conditions: every such claim has a context."""
    assert not ask(
        graph,
        """ASK { ?c rdf:subject skg:medical-cannabis ; rdf:predicate skgo:relieves ;
                 skgo:hasEvidence/prov:wasDerivedFrom source:article-cannabis-studies .
                 FILTER NOT EXISTS { ?c skgo:inContext ?context } }""",
    )


def test_12_cannabinoids_of_cannabis_act_on_the_endocannabinoid_system(graph: Graph) -> None:
    passage = source("article-cannabis-mechanism")
    assert only_claim(graph, "skg:cannabinoid", "skgo:foundIn", "skg:cannabis")["source"] == passage
    acts = only_claim(graph, "skg:cannabinoid", "skgo:interactsWith", "skg:endocannabinoid-system")
    assert acts["source"] == passage


def test_13_endocannabinoid_system_regulates_the_control_of_movement(graph: Graph) -> None:
    """The article's 'muscle movement' is the brain's control of movement, as the reviews say, not
    the contraction of muscle fibres."""
    claim = only_claim(graph, "skg:endocannabinoid-system", "skgo:regulates", "skg:motor-control")
    assert claim["source"] == source("article-cannabis-mechanism")
    assert (
        claims(graph, "skg:endocannabinoid-system", "skgo:regulates", "skg:muscle-contraction")
        == []
    )
    labels = {
        r["l"] for r in sparql(graph, "SELECT ?l WHERE { skg:motor-control skos:altLabel ?l }")
    }
    assert "muscle movement" in labels
    assert not sparql(graph, "SELECT ?l WHERE { skg:muscle-contraction skos:altLabel ?l }")


def test_every_passage_with_a_fact_is_cited(graph: Graph) -> None:
    """Completeness: each passage of the article supports at least one claim or definition.

    The causes overview only introduces the list that follows and states no fact of its own.
    """
    uncited = sparql(
        graph,
        """SELECT ?passage WHERE { ?passage a skgo:Passage .
             FILTER NOT EXISTS { ?anything prov:wasDerivedFrom ?passage } }""",
    )
    assert [row["passage"] for row in uncited] == [source("article-causes-overview")]


def test_article_causal_claims_are_hedged_like_the_article(graph: Graph) -> None:
    """Nothing is stated more strongly than its source: the article says 'can' throughout."""
    rows = sparql(
        graph,
        """SELECT ?claim ?modality WHERE {
             VALUES ?p { skgo:causes skgo:hasAdverseEffect skgo:riskFactorFor skgo:relieves }
             ?claim rdf:predicate ?p ; skgo:hasEvidence/prov:wasDerivedFrom ?passage ;
                    skgo:modality ?modality .
             ?passage dcterms:isPartOf source:article-causes }""",
    )
    assert (
        len(rows) == 19
    )  # 3 dehydration, 3 nutrients, 6 overuse, 1 nerve, 3 diseases, 3 medicines
    assert {row["modality"] for row in rows} == {POSSIBLE}


def test_article_claims_are_author_statements_and_curator_claims_are_curator_inference(
    graph: Graph,
) -> None:
    rows = sparql(
        graph,
        """SELECT ?item ?source ?evidence WHERE { ?claim skgo:hasEvidence ?item .
             ?item prov:wasDerivedFrom ?source ; skgo:evidenceType ?evidence }""",
    )
    assert rows
    for row in rows:
        if row["source"].endswith("/curators"):
            assert row["evidence"] == CURATOR_INFERENCE, row
        elif "/article-" in row["source"]:
            assert row["evidence"] == AUTHOR_STATEMENT, row
