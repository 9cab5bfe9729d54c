"""Curated additions beyond the article: representative drugs, mechanisms, the pathway, risk groups.

Each is a curator assertion (ECO:0000305, source:curators), never dressed up as a citation.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from tests.helpers import ask, sparql


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
    assert ask(graph, f"ASK {{ skg:{parent} skgo:hasAdverseEffect skg:muscle-spasm }}")


@pytest.mark.parametrize("diuretic", ["furosemide", "hydrochlorothiazide"])
def test_diuretics_reach_cramp_through_low_potassium(graph: Graph, diuretic: str) -> None:
    assert ask(
        graph,
        f"""ASK {{ skg:{diuretic} skgo:hasAdverseEffect skg:hypokalemia .
                  skg:hypokalemia skgo:causes skg:muscle-cramp .
                  skg:muscle-cramp skos:broader skg:muscle-spasm }}""",
    )


def test_beta2_agonists_lower_potassium_and_salbutamol_cramps_through_it(graph: Graph) -> None:
    assert ask(graph, "ASK { skg:beta2-agonist skgo:hasAdverseEffect skg:hypokalemia }")
    [row] = sparql(
        graph,
        """SELECT ?mechanism WHERE { ?c rdf:subject skg:salbutamol ; rdf:predicate skgo:hasAdverseEffect ;
             rdf:object skg:muscle-cramp ; skgo:hasMechanism ?mechanism }""",
    )
    assert row["mechanism"].endswith("/hypokalemia")


def test_statin_muscle_symptoms_are_hedged_and_the_mechanism_left_open(graph: Graph) -> None:
    rows = sparql(
        graph,
        """SELECT ?o ?modality ?comment WHERE { ?c rdf:subject skg:statin ;
             rdf:predicate skgo:hasAdverseEffect ; rdf:object ?o ; skgo:modality ?modality ;
             rdfs:comment ?comment ; prov:wasDerivedFrom source:curators }""",
    )
    assert {row["o"].rsplit("/", 1)[1] for row in rows} == {"myalgia", "muscle-cramp"}
    assert {row["modality"].rsplit("/", 1)[1] for row in rows} == {"possible"}
    assert any("not settled" in row["comment"] for row in rows)


@pytest.mark.parametrize(
    "member", ["cb1-receptor", "cb2-receptor", "faah", "mgll", "endocannabinoid"]
)
def test_endocannabinoid_system_members(graph: Graph, member: str) -> None:
    assert ask(graph, f"ASK {{ skg:{member} skgo:partOfPathway skg:endocannabinoid-system }}")


@pytest.mark.parametrize(
    ("ligand", "receptor"),
    [
        ("thc", "cb1-receptor"),
        ("thc", "cb2-receptor"),
        ("anandamide", "cb1-receptor"),
        ("2-arachidonoylglycerol", "cb1-receptor"),
        ("2-arachidonoylglycerol", "cb2-receptor"),
    ],
)
def test_cannabinoid_receptor_ligands(graph: Graph, ligand: str, receptor: str) -> None:
    assert ask(graph, f"ASK {{ skg:{ligand} skgo:targets skg:{receptor} }}")


def test_enzymes_end_the_endocannabinoid_signals(graph: Graph) -> None:
    assert ask(
        graph,
        "ASK { skg:faah skgo:degrades skg:anandamide . "
        "skg:mgll skgo:degrades skg:2-arachidonoylglycerol }",
    )


def test_cannabidiol_is_not_claimed_to_target_the_receptors(graph: Graph) -> None:
    """Cannabidiol binds CB1/CB2 only weakly: the graph must not say it targets them."""
    assert not ask(graph, "ASK { skg:cannabidiol skgo:targets ?receptor }")
    assert ask(
        graph,
        "ASK { ?c rdf:subject skg:cannabidiol ; rdf:predicate skgo:interactsWith ; "
        "skgo:modality skgo:possible }",
    )


def test_licensed_cannabis_medicine_for_ms_spasticity(graph: Graph) -> None:
    assert ask(
        graph,
        "ASK { ?c rdf:subject skg:nabiximols ; rdf:predicate skgo:relieves ; "
        "rdf:object skg:spasticity ; skgo:inContext skg:multiple-sclerosis }",
    )
    assert ask(
        graph,
        "ASK { skg:nabiximols skgo:hasActiveIngredient skg:thc, skg:cannabidiol ; "
        "skos:broader skg:medical-cannabis }",
    )


@pytest.mark.parametrize("cause", ["multiple-sclerosis", "spinal-cord-injury"])
def test_spasticity_is_the_form_of_spasm_in_ms_and_spinal_cord_injury(
    graph: Graph, cause: str
) -> None:
    assert ask(
        graph,
        f"ASK {{ skg:{cause} skgo:causes skg:spasticity . "
        "skg:spasticity skos:related skg:muscle-spasm }",
    )


@pytest.mark.parametrize("group", ["older-adults", "pregnant-people"])
def test_risk_groups_beyond_the_article(graph: Graph, group: str) -> None:
    assert ask(
        graph,
        f"ASK {{ ?c rdf:subject skg:{group} ; rdf:predicate skgo:riskFactorFor ; "
        "rdf:object skg:muscle-cramp ; prov:wasDerivedFrom source:curators }",
    )


def test_deficiency_state_and_blood_level_are_different_entities(graph: Graph) -> None:
    """A body deficit of magnesium is not the same as a low blood level; both are kept."""
    assert ask(graph, "ASK { skg:magnesium-deficiency skgo:causes skg:hypomagnesemia }")
    [row] = sparql(
        graph,
        """SELECT ?comment WHERE { ?c rdf:subject skg:magnesium-deficiency ;
        rdf:predicate skgo:causes ; rdf:object skg:hypomagnesemia ; rdfs:comment ?comment }""",
    )
    assert "normal" in row["comment"]


def test_curator_claims_cite_the_curators_not_a_publication(graph: Graph) -> None:
    rows = sparql(
        graph,
        """SELECT ?claim WHERE { ?claim a skgo:Claim ; skgo:evidence ECO:0000305 ;
             prov:wasDerivedFrom ?source . FILTER(?source != source:curators) }""",
    )
    assert rows == []


def test_every_entity_has_one_english_label_and_definition(graph: Graph) -> None:
    rows = sparql(
        graph,
        """SELECT ?e (COUNT(DISTINCT ?l) AS ?labels) (COUNT(DISTINCT ?d) AS ?definitions) WHERE {
             ?e a/rdfs:subClassOf* skgo:Entity ; rdfs:label ?l ; skos:definition ?d .
             FILTER(LANG(?l) = "en" && LANG(?d) = "en") } GROUP BY ?e""",
    )
    assert len(rows) == 68
    assert all(row["labels"] == "1" and row["definitions"] == "1" for row in rows)
