"""``spasmkg explain``: chains formed by the ontology's rules, in three groups (what holds, what
the evidence speaks against or leaves open, what holds only in another group), each step with
its claims, standing, evidence and sources."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import spasmkg
from spasmkg.ask.explain import Chain, Explainer, format_explanation
from spasmkg.errors import UnknownEntity
from tests.helpers import run_entry_point


@pytest.fixture(scope="module")
def explainer(kg_all: spasmkg.KnowledgeGraph) -> Explainer:
    """Chains over the shipped graph with its layers (as ``spasmkg.load()`` gives it)."""
    return Explainer(kg_all)


def routes(chains: tuple[Chain, ...]) -> list[list[str]]:
    """Each chain as the list of entities it passes."""
    return [[c.steps[0].subject.curie] + [s.object.curie for s in c.steps] for c in chains]


def every_chain(explainer: Explainer, source: str, target: str, **options: object) -> list[Chain]:
    """The chains of all three groups, and the ones gathered under them."""
    answer = explainer.explain(source, target, **options)  # type: ignore[arg-type]
    shown = [*answer.chains, *answer.against, *answer.other_contexts]
    return shown + [other for chain in shown for other in chain.like_it]


def test_furosemide_reaches_cramp_through_low_potassium_citing_its_label(
    explainer: Explainer,
) -> None:
    answer = explainer.explain("furosemide", "muscle cramp")
    first = answer.chains[0]
    assert routes(answer.chains)[0] == ["skg:furosemide", "skg:hypokalemia", "skg:muscle-cramp"]
    assert [s.relation.curie for s in first.steps] == ["skgo:hasAdverseEffect", "skgo:causes"]
    assert [s.kind for s in first.steps[0].claims[0].sources] == ["ProductInformation"]
    assert first.standing.name == "supported" and first.modality is not None
    assert first.modality.name == "possible" and not first.inherited


def test_the_magnesium_question_shows_the_cochrane_finding_beside_the_pregnancy_claim(
    explainer: Explainer,
) -> None:
    """Magnesium does not prevent ordinary night cramps in older adults (Cochrane, GRADE high):
    that finding leads the evidence against, next to the unsettled pregnancy claim; nothing
    about magnesium and cramp holds."""
    answer = explainer.explain("magnesium", "muscle cramp")
    assert answer.chains == () and answer.other_contexts == ()
    older, pregnancy = answer.against[0], answer.against[1]
    assert older.context is not None and older.context.name == "older-adults"
    assert older.standing.name == "notSupported" and older.modality is None
    refuting = [i for i in older.steps[0].claims[0].evidence if i.direction == "refutes"]
    assert {i.certainty.name for i in refuting if i.certainty} == {"grade-high", "grade-moderate"}
    assert all("CD009402" in i.source.doi for i in refuting)
    assert pregnancy.context is not None and pregnancy.context.name == "pregnant-people"
    assert pregnancy.standing.name == "unsettled"


def test_a_disputed_step_moves_its_chain_to_the_evidence_against(explainer: Explainer) -> None:
    """Whether diuretics deplete magnesium is left open by Davies and Fraser's review, as strong
    as the reviews that say they do: the route through low magnesium is unsettled."""
    answer = explainer.explain("furosemide", "muscle cramp", max_length=2)
    assert ["skg:furosemide", "skg:hypomagnesemia", "skg:muscle-cramp"] not in routes(answer.chains)
    [magnesium] = [
        c for c in answer.against if c.steps[0].object.name == "hypomagnesemia" and not c.context
    ]
    assert magnesium.standing.name == "unsettled" and magnesium.weakest == 0
    sources = {i.source.authors for i in magnesium.steps[0].claims[0].evidence}
    assert "Davies DL, Fraser R" in sources


def test_a_chain_is_no_surer_than_its_weakest_step(explainer: Explainer) -> None:
    for chain in every_chain(explainer, "furosemide", "muscle spasm"):
        assert chain.strength == min(step.strength for step in chain.steps)
        assert chain.standing == chain.steps[chain.weakest].standing
        if chain.modality is not None:
            assert chain.modality.rank == min(step.best.modality.rank for step in chain.steps)


def test_efficacy_never_passes_from_a_class_or_an_ingredient(explainer: Explainer) -> None:
    """Nabiximols does not inherit what medical cannabis, THC or cannabinoids relieve: the
    only chains are its own claims (in MS, in stroke)."""
    for chain in every_chain(explainer, "nabiximols", "spasticity"):
        assert len(chain.steps) == 1, chain.route
    answer = explainer.explain("nabiximols", "spasticity")
    assert answer.chains == (), "the MS claim holds only in MS"
    [ms] = answer.other_contexts
    assert ms.context is not None and ms.context.name == "multiple-sclerosis"
    [stroke] = answer.against
    assert stroke.context is not None and stroke.context.name == "stroke"
    assert stroke.standing.name == "notSupported"


def test_asking_about_a_group_brings_its_chains_in(explainer: Explainer) -> None:
    answer = explainer.explain("nabiximols", "spasticity", contexts=["multiple sclerosis"])
    [ms] = answer.chains
    assert ms.standing.name == "mixed", "patient-reported measures improve, clinicians' do not"
    refuting = [i for c in ms.steps[0].claims for i in c.evidence if i.direction == "refutes"]
    assert refuting, "the evidence against travels with the chain"


def test_a_class_wide_claim_passes_to_a_member_marked_inherited(data_copy: Path) -> None:
    """Marked as shown for the class as a whole, medical cannabis's MS claim reaches
    nabiximols, inherited, and is gathered under nabiximols's own claim as one like it."""
    path = data_copy / "graph" / "endocannabinoid.ttl"
    text = path.read_text(encoding="utf-8")
    claim = "claim:medical-cannabis--relieves--spasticity--in--multiple-sclerosis a skgo:Claim ;"
    assert claim in text
    path.write_text(text.replace(claim, claim + "\n    skgo:classWide true ;"), "utf-8")
    answer = Explainer(spasmkg.load(data_copy, layer="core")).explain(
        "nabiximols", "spasticity", contexts=["multiple sclerosis"]
    )
    [own] = answer.chains
    assert not own.inherited and len(own.steps) == 1
    [inherited] = own.like_it
    assert inherited.inherited and inherited.steps[0].relation.curie == "skos:broader"
    assert inherited.steps[1].subject.name == "medical-cannabis"


def test_an_adverse_effect_of_a_class_reaches_a_member_marked_and_below_direct_chains(
    explainer: Explainer,
) -> None:
    answer = explainer.explain("hydrochlorothiazide", "muscle cramp")
    inherited = [c for c in answer.chains if c.inherited]
    assert inherited, "diuretics list cramps: hydrochlorothiazide reaches it through its class"
    first_inherited = answer.chains.index(inherited[0])
    assert all(not c.inherited for c in answer.chains[:first_inherited])
    assert all(c.inherited for c in answer.chains[first_inherited:])


def test_chains_that_differ_only_by_a_class_hop_are_shown_once(explainer: Explainer) -> None:
    """Hydrochlorothiazide lowers sodium, and so (its labels say) do thiazides and diuretics:
    one chain, with the two routes through its classes gathered under it."""
    answer = explainer.explain("hydrochlorothiazide", "muscle cramp")
    [sodium] = [
        c
        for c in answer.chains
        if [s.object.name for s in c.steps] == ["hyponatremia", "muscle-cramp"]
    ]
    assert len(sodium.like_it) == 2
    assert all(c.inherited for c in sodium.like_it)
    assert len(answer.chains) < 10, "the nineteen permutations of the old explain are gone"


def test_no_main_chain_crosses_a_context_nobody_asked_about(explainer: Explainer) -> None:
    for source, target in [
        ("hydrochlorothiazide", "muscle cramp"),
        ("dehydration", "muscle spasm"),
        ("furosemide", "muscle cramp"),
        ("magnesium", "muscle cramp"),
    ]:
        answer = explainer.explain(source, target)
        assert all(c.context is None for c in answer.chains), source
        for chain in every_chain(explainer, source, target):
            contexts = {s.context.iri for s in chain.steps if s.context}
            assert len(contexts) <= 1, f"{chain.route} mixes {contexts}"


def test_dehydration_in_athletes_is_not_offered_as_a_cause(explainer: Explainer) -> None:
    """Cohorts of triathletes and ultra-runners found no link between dehydration and cramps:
    the athletes' claim is evidence against, never a chain that holds."""
    answer = explainer.explain("dehydration", "muscle cramp", max_length=1)
    assert answer.chains == ()
    [athletes] = answer.against
    assert athletes.context is not None and athletes.context.name == "athletes"
    assert athletes.standing.name == "notSupported"


def test_a_single_uncontrolled_study_never_outranks_a_graded_recommendation(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    """Quinine (AAN level A) ranks above gabapentin's open-label study of 30 people, and the
    seed article ranks below a trial."""
    claims = {c.curie: c for c in kg.claims}
    quinine = claims["claim:quinine--relieves--muscle-cramp"]
    gabapentin = claims["claim:gabapentin--relieves--muscle-cramp"]
    assert gabapentin.support[0].design.name == "caseSeries"
    assert quinine.strength > gabapentin.strength
    article_only = claims["claim:calcium-deficiency--causes--muscle-spasm"]
    trial_backed = claims["claim:vitamin-e--relieves--muscle-cramp--in--haemodialysis-patients"]
    assert article_only.support[0].design.name == "untracedStatement"
    assert trial_backed.strength > article_only.strength


def test_no_chain_against_the_direction_of_cause(explainer: Explainer) -> None:
    answer = explainer.explain("muscle spasm", "dehydration")
    assert (answer.chains, answer.against, answer.other_contexts) == ((), (), ())


def test_max_length_limits_chains(explainer: Explainer) -> None:
    assert explainer.explain("furosemide", "muscle cramp", max_length=1).chains == ()
    assert len(every_chain(explainer, "furosemide", "muscle cramp", max_length=3)) > len(
        every_chain(explainer, "furosemide", "muscle cramp", max_length=2)
    )


def test_unknown_entity(explainer: Explainer) -> None:
    with pytest.raises(UnknownEntity, match="did you mean"):
        explainer.explain("furosemid", "muscle cramp")
    with pytest.raises(UnknownEntity):
        explainer.explain("furosemide", "muscle cramp", contexts=["no such group"])


def test_the_text_answer_reads_in_three_groups(explainer: Explainer) -> None:
    text = format_explanation(explainer.explain("magnesium", "muscle cramp"))
    assert text.startswith("From magnesium to muscle cramp")
    assert "== What the evidence supports, surest first: 0 ==" in text
    against = text.split("== What the evidence speaks against or leaves open: 3 ==", 1)[1]
    assert against.lstrip().startswith(
        "1. magnesium -[relieves]-> muscle cramp   only in older adults   (not supported)"
    )
    assert "[not supported]" in against and "[possible" not in against
    assert (
        "- refutes, systematic review or guideline, GRADE: high certainty: Garrison SR" in against
    )


def test_explain_command_text_and_json() -> None:
    text = run_entry_point("explain", "furosemide", "muscle cramp", "--max-length", "2")
    assert text.returncode == 0, text.stderr
    assert (
        "1. furosemide -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp   "
        "(supported, possible)" in text.stdout
    )
    assert re.search(
        r"\? inconclusive, expert statement.*: Davies DL, Fraser R \(1993\)", text.stdout
    )
    data = json.loads(
        run_entry_point(
            "explain", "furosemide", "muscle cramp", "--max-length", "2", "--format", "json"
        ).stdout
    )
    assert set(data) == {"chains", "against", "other_contexts"}
    first = data["chains"][0]
    assert first["standing"] == "supported" and first["steps"][1]["object"] == "skg:muscle-cramp"
    assert first["steps"][0]["relation"] == "skgo:hasAdverseEffect"
    claim = first["steps"][0]["claims"][0]
    assert claim["context"] is None and claim["standing"] == "supported"
    item = claim["evidence"][0]
    assert item["direction"] == "supports" and item["source_kind"] == "ProductInformation"
    assert item["link"].startswith("https://") and item["finding"]
    assert data["against"][0]["standing"] == "unsettled"
    assert data["against"][0]["modality"] is None


def test_explain_command_takes_contexts() -> None:
    data = json.loads(
        run_entry_point(
            "explain",
            "nabiximols",
            "spasticity",
            "--context",
            "multiple sclerosis",
            "--format",
            "json",
        ).stdout
    )
    assert [c["context"] for c in data["chains"]] == ["skg:multiple-sclerosis"]
    assert data["other_contexts"] == []


def test_explain_command_unknown_entity_exits_3() -> None:
    result = run_entry_point("explain", "nothing-like-this", "muscle cramp")
    assert result.returncode == 3 and result.stderr.startswith("error: no entity matches")
