"""What a clinician expects to find (issue 26) and what the review corrected (issue 24, section 6).

Each test states one fact the way a reader would check it against the cited source: the source's
kind, its grade, which way it points, and the population the finding holds in.
"""

from __future__ import annotations

import pytest

import spasmkg
from spasmkg.ask.explain import explain
from tests.helpers import claim, kinds

# ---------------------------------------------------------------- twitching


def test_twitchings_causes_include_the_harmless_ones(kg: spasmkg.KnowledgeGraph) -> None:
    """Benign fasciculation, caffeine, stress, exercise and lack of sleep, not only ALS."""
    causes = {
        c.subject.name
        for c in kg.claims_about("muscle-twitch")
        if c.object.name == "muscle-twitch"
        and c.predicate.name in {"causes", "hasPhenotype"}
        and c.holds
    }
    assert {
        "benign-fasciculation-syndrome",
        "caffeine",
        "stress-and-anxiety",
        "physical-exertion",
        "sleep-deprivation",
        "amyotrophic-lateral-sclerosis",
    } <= causes
    routes = [c.route for c in explain(kg, "caffeine", "muscle twitch").chains]
    assert "caffeine -[causes]-> muscle twitch" in routes


def test_ordinary_twitches_pass_by_themselves_and_twitching_without_weakness_is_rarely_serious(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    course = claim(kg, "muscle-twitch", "hasCourse", "self-limiting-course")
    assert course.modality.name == "typical" and "PatientInformation" in kinds(course)
    see_gp = claim(
        kg, "muscle-twitch", "seekCareWhen", "twitch-lasting-over-two-weeks-or-in-several-places"
    )
    assert "very rarely serious" in see_gp.note


def test_benign_fasciculation_does_not_lead_to_motor_neurone_disease(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    risk = claim(
        kg, "benign-fasciculation-syndrome", "riskFactorFor", "amyotrophic-lateral-sclerosis"
    )
    assert risk.standing.name == "notSupported" and not risk.support
    assert {i.design.name for i in risk.disputes} >= {"systematicReview", "observationalStudy"}
    answer = explain(kg, "benign fasciculation syndrome", "amyotrophic lateral sclerosis")
    assert answer.chains == ()
    assert [c.standing.name for c in answer.against] == ["notSupported"]


def test_benign_fasciculation_comes_with_cramps_in_most_people(kg: spasmkg.KnowledgeGraph) -> None:
    cramps = claim(kg, "benign-fasciculation-syndrome", "hasPhenotype", "muscle-cramp")
    assert cramps.modality.name == "typical"
    assert any("64.7%" in i.finding for i in cramps.support)


def test_eyelid_twitching_is_a_harmless_twitch_and_magnesium_is_not_shown_to_help(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    assert claim(kg, "eyelid-myokymia", "broader", "muscle-twitch").support
    assert claim(kg, "caffeine", "causes", "eyelid-myokymia").support
    assert claim(kg, "magnesium", "relieves", "eyelid-myokymia").standing.name == "unsettled"
    assert kg.entity("eyelid-twitch-spreading-to-face").urgency == "soon"


# ---------------------------------------------------------------- back spasm


def test_paracetamol_alone_is_not_supported_for_low_back_pain(kg: spasmkg.KnowledgeGraph) -> None:
    found = claim(kg, "paracetamol", "relieves", "low-back-pain")
    assert found.standing.name == "notSupported" and not found.support
    grades = {i.certainty.name for i in found.disputes if i.certainty}
    assert grades == {"grade-high", "recommendation-strong"}  # 2 RCTs; NICE 'do not offer'
    assert found.plain is None


def test_low_back_pain_comes_with_spasm_and_what_helps_is_graded(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    assert claim(kg, "low-back-pain", "hasPhenotype", "muscle-spasm").support
    active = claim(kg, "low-back-pain", "managedBy", "staying-active")
    assert "grade-moderate" in {i.certainty.name for i in active.support if i.certainty}
    heat = claim(kg, "superficial-heat", "relieves", "low-back-pain")
    assert any(i.source.doi == "10.1002/14651858.CD004750.pub2" for i in heat.support)
    nsaid = claim(kg, "nsaid", "relieves", "low-back-pain")
    assert nsaid.standing.name == "supported" and "lowest dose" in nsaid.note
    assert claim(kg, "weak-opioid", "relieves", "low-back-pain").standing.name == "unsettled"


def test_muscle_relaxants_for_back_pain_help_a_little_at_very_low_certainty_and_cause_drowsiness(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    relief = claim(kg, "muscle-relaxant", "relieves", "low-back-pain")
    [newest] = [i for i in relief.evidence if i.source.doi == "10.1136/bmj.n1446"]
    assert newest.direction == "inconclusive" and newest.certainty is not None
    assert newest.certainty.name == "grade-very-low"
    assert "very low certainty" in relief.note
    drowsy = claim(kg, "muscle-relaxant", "hasAdverseEffect", "somnolence")
    assert drowsy.modality.name == "typical" and any("30" in i.finding for i in drowsy.support)


# ---------------------------------------------------------------- spasticity


def test_stroke_causes_spasticity_through_upper_motor_neuron_damage(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    routes = [c.route for c in explain(kg, "stroke", "spasticity").chains]
    assert "stroke -[causes]-> upper motor neuron damage -[causes]-> spasticity" in routes
    prevalence = claim(kg, "stroke", "causes", "spasticity")
    assert any("25.3%" in i.finding for i in prevalence.support)


@pytest.mark.parametrize(
    "cause", ["cerebral-palsy", "traumatic-brain-injury", "amyotrophic-lateral-sclerosis"]
)
def test_spasticity_has_causes_beyond_ms_and_spinal_cord_injury(
    kg: spasmkg.KnowledgeGraph, cause: str
) -> None:
    assert claim(kg, cause, "causes", "spasticity").support
    assert claim(kg, cause, "causes", "upper-motor-neuron-damage").support


def test_botulinum_toxin_after_stroke_is_bound_to_stroke_and_graded_aan_level_a(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    stroke = claim(kg, "botulinum-toxin", "relieves", "spasticity", "stroke")
    assert "aan-level-a" in {i.certainty.name for i in stroke.support if i.certainty}
    assert stroke.plain is None  # bound to stroke: no plain triple
    cp = claim(kg, "botulinum-toxin", "relieves", "spasticity", "cerebral-palsy")
    assert "aan-level-a" in {i.certainty.name for i in cp.support if i.certainty}
    assert (
        claim(kg, "baclofen", "relieves", "spasticity", "cerebral-palsy").standing.name
        == "unsettled"
    )


def test_stretching_does_not_prevent_contractures_high_certainty(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    found = claim(kg, "muscle-stretching", "relieves", "contracture")
    assert found.standing.name == "notSupported"
    assert {i.certainty.name for i in found.disputes if i.certainty} == {"grade-high"}


# ---------------------------------------------------------------- presentations by population


def test_magnesium_does_not_help_night_cramps_in_older_adults_but_stretching_before_sleep_may(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    magnesium = claim(kg, "magnesium", "relieves", "muscle-cramp", "older-adults")
    assert magnesium.standing.name == "notSupported"
    stretching = claim(kg, "muscle-stretching", "relieves", "muscle-cramp", "older-adults")
    trial = [i for i in stretching.support if i.source.pmid == "22341378"]
    assert trial and trial[0].design.name == "randomisedTrial"
    assert claim(kg, "older-adults", "riskFactorFor", "nocturnal-leg-cramp").support


def test_in_pregnancy_calcium_is_not_supported_and_stretching_is_the_advice(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    assert claim(kg, "calcium", "relieves", "muscle-cramp", "pregnant-people").standing.name == (
        "notSupported"
    )
    for vitamin in ("vitamin-d", "vitamin-b-complex"):
        found = claim(kg, vitamin, "relieves", "muscle-cramp", "pregnant-people")
        assert found.standing.name == "unsettled"
    assert claim(kg, "muscle-stretching", "relieves", "muscle-cramp", "pregnant-people").support


def test_dialysis_cramps_vitamin_c_in_a_placebo_controlled_trial(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    found = claim(kg, "vitamin-c", "relieves", "muscle-cramp", "haemodialysis-patients")
    [trial] = [i for i in found.support if i.source.pmid == "11427639"]
    assert trial.design.name == "randomisedTrial" and "61%" in trial.finding
    assert claim(
        kg, "l-carnitine", "relieves", "muscle-cramp", "haemodialysis-patients"
    ).standing.name == ("unsettled")


def test_cirrhosis_cramps_options_are_bound_to_cirrhosis(kg: spasmkg.KnowledgeGraph) -> None:
    for option in ("taurine", "baclofen", "methocarbamol", "orphenadrine"):
        found = claim(kg, option, "relieves", "muscle-cramp", "cirrhosis")
        assert found.standing.name == "supported" and found.plain is None
    assert claim(kg, "vitamin-e", "relieves", "muscle-cramp", "cirrhosis").standing.name == "mixed"
    answer = explain(kg, "taurine", "muscle cramp")
    assert answer.chains == () and [c.context.name for c in answer.other_contexts] == ["cirrhosis"]


# ---------------------------------------------------------------- corrections (issue 24, section 6)


def test_potassium_supplements_are_a_caution_not_a_treatment_for_cramps(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    care = {
        c.predicate.name for c in kg.claims_about("muscle-cramp") if "potassium" in c.subject.name
    }
    assert not care & {"relieves", "treats", "managedBy"}
    assert not [c for c in kg.claims_about("muscle-cramp") if "potassium" in c.object.name]
    caution = claim(kg, "potassium-supplement", "hasAdverseEffect", "hyperkalemia")
    assert "not a treatment for cramps" in caution.note and "doctor advises" in caution.note
    assert "ProductInformation" in kinds(caution)
    assert claim(kg, "electrolyte-replacement", "treats", "hypokalemia").support


def test_off_period_dystonia_is_part_of_parkinsons_not_a_levodopa_adverse_effect(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    disease = claim(kg, "parkinson-disease", "causes", "dystonia")
    assert "not a levodopa adverse effect" in disease.note and "not a reason to cut" in disease.note
    assert "observationalStudy" in {i.design.name for i in disease.support}  # off-medication cohort
    levodopa = claim(kg, "levodopa", "hasAdverseEffect", "dystonia", "parkinson-disease")
    assert "peak" in levodopa.note and "only by the prescriber" in levodopa.note


def test_quinine_carries_its_qt_warning_and_tonic_water_is_not_a_treatment(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    qt = claim(kg, "quinine", "hasAdverseEffect", "qt-prolongation")
    assert [i.source.kind for i in qt.support] == ["RegulatorCommunication"]
    assert "2017" in qt.support[0].finding
    assert "QT" in claim(kg, "quinine", "relieves", "muscle-cramp").note
    platelets = claim(kg, "quinine", "hasAdverseEffect", "thrombocytopenia")
    assert "tonic water" in platelets.note and "caseSeries" in {
        i.design.name for i in platelets.support
    }
    tonic = claim(kg, "tonic-water", "relieves", "muscle-cramp")
    assert tonic.standing.name == "notSupported"


def test_statins_most_muscle_symptoms_in_blinded_trials_were_not_caused_by_the_statin(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    aches = claim(kg, "statin", "hasAdverseEffect", "myalgia")
    assert "not caused by it" in aches.note
    cramps = claim(kg, "statin", "hasAdverseEffect", "muscle-cramp")
    assert cramps.standing.name == "unsettled" and not cramps.rests_on_curators
    assert any(i.source.doi == "10.1136/bmj.n135" for i in cramps.disputes)
    for effect in ("myalgia", "muscle-cramp", "muscle-spasm"):
        assert (
            "without talking to the prescriber"
            in claim(kg, "statin", "hasAdverseEffect", effect).note
        )
    advice = claim(kg, "muscle-cramp", "seekCareWhen", "unexplained-muscle-symptoms-on-statin")
    assert "111" in advice.note


def test_baclofen_builds_up_in_kidney_impairment(kg: spasmkg.KnowledgeGraph) -> None:
    found = claim(kg, "baclofen", "hasAdverseEffect", "encephalopathy", "chronic-kidney-disease")
    [cohort] = [i for i in found.support if i.source.doi == "10.1001/jama.2019.17725"]
    assert cohort.design.name == "observationalStudy" and "1.11%" in cohort.finding
    assert "ProductInformation" in kinds(found)
    for context in ("multiple-sclerosis", "spinal-cord-injury"):
        assert "kidneys" in claim(kg, "baclofen", "relieves", "spasticity", context).note


def test_gabapentin_carries_misuse_dependence_and_breathing_warnings(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    misuse = claim(kg, "gabapentin", "hasAdverseEffect", "drug-misuse-and-dependence")
    breathing = claim(kg, "gabapentin", "hasAdverseEffect", "respiratory-depression")
    assert kinds(misuse) == kinds(breathing) == {"RegulatorCommunication"}
    assert "Class C" in misuse.note and "opioids" in breathing.note


def test_a_cannabis_product_may_hold_thc_or_cbd_and_nabiximols_holds_both_per_its_label(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    for ingredient in ("thc", "cannabidiol"):
        product = claim(kg, "medical-cannabis", "hasActiveIngredient", ingredient)
        assert product.modality.name == "possible" and any(
            i.source.pmid == "30948383" for i in product.support
        )
        spray = claim(kg, "nabiximols", "hasActiveIngredient", ingredient)
        assert spray.modality.name == "stated" and kinds(spray) == {"ProductInformation"}
        assert not spray.rests_on_curators


def test_mechanisms_no_source_states_are_gone(kg: spasmkg.KnowledgeGraph) -> None:
    assert claim(kg, "muscle-strain", "riskFactorFor", "muscle-spasm").mechanism == ()
    assert claim(kg, "amyotrophic-lateral-sclerosis", "causes", "muscle-cramp").mechanism == ()
    ms = claim(kg, "multiple-sclerosis", "causes", "muscle-spasm")
    assert [m.name for m in ms.mechanism] == ["upper-motor-neuron-damage"]
    assert any("relax" in i.finding for i in ms.support)  # MS Society NZ: the source that states it


@pytest.mark.parametrize(
    ("word", "entity"),
    [
        ("low potassium", "hypokalemia"),
        ("low magnesium", "hypomagnesemia"),
        ("low calcium", "hypocalcemia"),
        ("bronchodilator", "bronchodilator"),
        ("muscle movement", "motor-control"),
    ],
)
def test_everyday_words_lead_to_the_right_entity(
    kg: spasmkg.KnowledgeGraph, word: str, entity: str
) -> None:
    assert kg.entity(word).name == entity


def test_theophylline_is_a_bronchodilator_but_not_a_beta2_agonist(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    assert claim(kg, "theophylline", "broader", "bronchodilator").support
    assert "bronchodilator" not in kg.entity("beta2-agonist").synonyms


def test_the_articles_deficiency_claims_carry_their_caveat(kg: spasmkg.KnowledgeGraph) -> None:
    for nutrient in ("calcium", "potassium"):
        found = claim(kg, f"{nutrient}-deficiency", "causes", "muscle-spasm")
        assert "blood test" in found.note
        assert "inconclusive" in {i.direction for i in found.evidence}
    magnesium = claim(kg, "magnesium-deficiency", "causes", "muscle-spasm")
    assert "did not prevent ordinary night cramps" in magnesium.note
