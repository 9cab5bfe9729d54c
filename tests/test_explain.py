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
    assert [s.curie for s in first.steps[0].claims[0].sources] == ["source:curators"]
    assert first.modality.iri.endswith("/possible")


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
    assert [s.curie for s in last.claims[0].sources] == ["source:article-causes-medications"]
    assert [s.curie for s in by_class[0].steps[0].claims[0].sources] == ["source:chebi-47426"]


def test_cannabis_chain_keeps_its_context(explainer: Explainer) -> None:
    [chain] = explainer.explain("medical cannabis", "muscle spasm", max_length=1)
    contexts = {claim.context.label for claim in chain.steps[0].claims if claim.context}
    assert contexts == {"multiple sclerosis", "spinal cord injury"}
    assert {e.evidence_type.label for claim in chain.steps[0].claims for e in claim.evidence} >= {
        "clinical study evidence used in manual assertion"
    }


def test_dehydration_reaches_spasm_directly_and_through_electrolytes(explainer: Explainer) -> None:
    assert routes(explainer.explain("dehydration", "muscle spasm", max_length=2)) == [
        ["skg:dehydration", "skg:muscle-spasm"],
        ["skg:dehydration", "skg:electrolyte-imbalance", "skg:muscle-spasm"],
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
    assert text.stdout.startswith("2 chains from furosemide to muscle cramp:")
    assert (
        "1. furosemide -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp   (possible)"
        in text.stdout
    )
    data = json.loads(
        run_entry_point("explain", "furosemide", "muscle cramp", "--format", "json").stdout
    )
    assert data[0]["steps"][1]["object"] == "skg:muscle-cramp"
    assert data[0]["modality"] == "skgo:possible"


def test_explain_command_unknown_entity_exits_3() -> None:
    result = run_entry_point("explain", "nothing-like-this", "muscle cramp")
    assert result.returncode == 3 and result.stderr.startswith("error: no entity matches")
