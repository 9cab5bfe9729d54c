"""``spasmkg explain``: causal chains with the claim, source and evidence of every step."""

from __future__ import annotations

import json

import pytest

import spasmkg
from spasmkg.ask.explain import Chain, Explainer
from spasmkg.errors import UnknownEntity
from tests.helpers import run_entry_point


@pytest.fixture(scope="module")
def explainer() -> Explainer:
    return Explainer(spasmkg.load())


def routes(chains: list[Chain]) -> list[list[str]]:
    """Each chain as the list of entities it passes."""
    return [[c.steps[0].subject.curie] + [s.object.curie for s in c.steps] for c in chains]


def test_furosemide_reaches_cramp_through_low_potassium(explainer: Explainer) -> None:
    chains = explainer.explain("furosemide", "muscle cramp")
    assert routes(chains)[0] == ["skg:furosemide", "skg:hypokalemia", "skg:muscle-cramp"]
    first = chains[0]
    assert [s.relation.curie for s in first.steps] == ["skgo:hasAdverseEffect", "skgo:causes"]
    assert [s.kind for s in first.steps[0].claims[0].sources] == ["ProductInformation"]
    assert first.modality.iri.endswith("/possible")


def test_a_disputed_step_ranks_its_chain_below_undisputed_ones(explainer: Explainer) -> None:
    """Whether diuretics deplete magnesium is left open by a review, so the route through low
    magnesium comes after the one through low potassium."""
    chains = explainer.explain("furosemide", "muscle cramp", max_length=2)
    assert routes(chains)[:2] == [
        ["skg:furosemide", "skg:hypokalemia", "skg:muscle-cramp"],
        ["skg:furosemide", "skg:hypomagnesemia", "skg:muscle-cramp"],
    ]
    magnesium = chains[1]
    assert magnesium.weakest == 0
    assert "inconclusive" in {i.direction for c in magnesium.steps[0].claims for i in c.evidence}
    strengths = [chain.strength for chain in chains]
    assert strengths == sorted(strengths, reverse=True)


def test_a_chain_is_no_surer_than_any_of_its_steps(explainer: Explainer) -> None:
    for chain in explainer.explain("furosemide", "muscle spasm"):
        for count in range(4):  # undisputed, grade, evidence type, modality
            assert chain.strength[count] == min(step.strength[count] for step in chain.steps)
        assert chain.steps[chain.weakest].strength == min(step.strength for step in chain.steps)
        assert chain.modality.rank == min(step.modality.rank for step in chain.steps)


def test_a_chain_bound_to_a_context_ranks_below_an_equal_one_that_is_not(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    chains = Explainer(kg_all).explain("Gitelman syndrome", "muscle cramp", max_length=2)
    pregnancy = [c for c in chains if c.contexts]
    assert pregnancy and chains.index(pregnancy[0]) == len(chains) - 1
    assert pregnancy[0].modality.name == "possible", "the chain is as hedged as its hedged step"


def test_furosemide_reaches_spasm_through_its_class_citing_the_article(
    explainer: Explainer,
) -> None:
    chains = explainer.explain("furosemide", "muscle spasm")
    by_class = [
        c
        for c in chains
        if [s.object.curie for s in c.steps]
        == ["skg:loop-diuretic", "skg:diuretic", "skg:muscle-spasm"]
    ]
    assert len(by_class) == 1
    last = by_class[0].steps[-1]
    assert last.relation.label == "has adverse effect"
    assert "source:article-causes-medications" in [s.curie for s in last.claims[0].sources]
    assert "source:chebi-47426" in [s.curie for s in by_class[0].steps[0].claims[0].sources]


def test_cannabis_chain_keeps_its_context(explainer: Explainer) -> None:
    [chain] = explainer.explain("medical cannabis", "muscle spasm", max_length=1)
    contexts = {claim.context.label for claim in chain.steps[0].claims if claim.context}
    assert contexts == {"multiple sclerosis", "spinal cord injury"}
    article = {
        e.evidence_type.curie
        for claim in chain.steps[0].claims
        for e in claim.evidence
        if e.source.curie == "source:article-cannabis-studies"
    }
    assert article == {"ECO:0000303"}


def test_only_supported_claims_are_steps(explainer: Explainer) -> None:
    """A trial found nabiximols no help after stroke: that claim is never a step."""
    [chain] = explainer.explain("nabiximols", "spasticity", max_length=1)
    assert {claim.context.name for claim in chain.steps[0].claims if claim.context} == {
        "multiple-sclerosis"
    }
    # magnesium for ordinary cramps in older adults is refuted, so it is no step either
    [magnesium] = explainer.explain("magnesium", "muscle cramp", max_length=1)
    assert "older-adults" not in {
        claim.context.name for claim in magnesium.steps[0].claims if claim.context
    }


def test_dehydration_reaches_spasm_directly_and_through_electrolytes(explainer: Explainer) -> None:
    """The article's direct claim comes first; the route through cramps in athletes is
    disputed by studies of runners and triathletes, so it comes last."""
    assert routes(explainer.explain("dehydration", "muscle spasm", max_length=2)) == [
        ["skg:dehydration", "skg:muscle-spasm"],
        ["skg:dehydration", "skg:electrolyte-imbalance", "skg:muscle-spasm"],
        ["skg:dehydration", "skg:muscle-cramp", "skg:muscle-spasm"],
    ]


def test_no_chain_against_the_direction_of_cause(explainer: Explainer) -> None:
    assert explainer.explain("muscle spasm", "dehydration") == []


def test_max_length_limits_chains(explainer: Explainer) -> None:
    assert explainer.explain("furosemide", "muscle cramp", max_length=1) == []
    assert len(explainer.explain("furosemide", "muscle cramp", max_length=3)) > len(
        explainer.explain("furosemide", "muscle cramp", max_length=2)
    )


def test_unknown_entity(explainer: Explainer) -> None:
    with pytest.raises(UnknownEntity, match="did you mean"):
        explainer.explain("furosemid", "muscle cramp")


def test_explain_command_text_and_json() -> None:
    text = run_entry_point("explain", "furosemide", "muscle cramp", "--max-length", "2")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("3 chains from furosemide to muscle cramp, surest first")
    assert (
        "1. furosemide -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp   (possible)"
        in text.stdout
    )
    # the weakest step is marked, and refuting or open items show beside supporting ones
    second = text.stdout.split("\n2. ", 1)[1].split("\n3. ", 1)[0]
    assert "step 1 (core layer)   <- weakest step" in second
    assert "\n       ? inconclusive, not graded: Davies DL, Fraser R (1993)." in second
    data = json.loads(
        run_entry_point(
            "explain", "furosemide", "muscle cramp", "--max-length", "2", "--format", "json"
        ).stdout
    )
    assert data[0]["steps"][1]["object"] == "skg:muscle-cramp"
    assert data[0]["modality"] == "skgo:possible"
    assert data[1]["weakest_step"] == 0
    item = data[0]["steps"][0]["claims"][0]["evidence"][0]
    assert item["direction"] == "supports" and item["source_kind"] == "ProductInformation"
    assert item["link"].startswith("https://") and item["finding"]


def test_explain_command_unknown_entity_exits_3() -> None:
    result = run_entry_point("explain", "nothing-like-this", "muscle cramp")
    assert result.returncode == 3 and result.stderr.startswith("error: no entity matches")
