"""Clinical vignettes for ``spasmkg why`` (issue 27 §4): 45 people's situations, built like the
published symptom-checker audits (a third needing emergency care, a third a doctor's visit, a
third self-care), each with the answer a careful clinician expects and a source the graph cites
for every expected element (tests/data/vignettes.yaml). The expectations were written from the
sources before the tool was run; where the tool disagrees, the expectation stands and the miss
is listed here.

Figures (printed by ``test_the_figures``, held in ``RECALL``, ``TIER_AGREEMENT`` and ``TOP3``),
measured on the shipped graph with its layers:

- red-flag recall: 44 of 44 expected warning signs are among the answer's ``red_flags`` (35 of
  44 before the answer took the signs of its chains and mimics, 41 before tetanus and muscle pain
  got their own signs, see below);
- tier agreement: 15 of 45 (the most urgent tier of the answer's red flags, or self-care when
  there are none, equals the tier the person needs);
- an expected reason is among the first three explanations in 27 of the 29 vignettes that
  expect one (every expected reason is somewhere among the explanations).

The two misses these vignettes found were gaps of the graph's content, which attached the
signs to muscle cramp and muscle spasm only; each sign now also goes with the condition a
person names, from the sources it already cited: E02 "lockjaw" (tetanus: jaw stiffness after a
wound, the NHS tetanus page) and E05 "muscle aches" on atorvastatin (muscle pain: unexplained
muscle symptoms on a statin, the NHS advice and the LIPITOR safety summary; dark urine with
muscle symptoms, CDC/NIOSH).

Fixed by these vignettes (src/spasmkg/ask/why.py): the answer now also lists the warning signs
of what a reason from the person's own inputs passes through (E11 "spasms" with Reglan: the acute
dystonic reaction's two signs, emergency when the throat is involved) and of the symptom's mimics
(E06, E13: the clot sign with breathlessness or chest pain, an emergency; D07: a lump behind the
knee; D10: the urge to move the legs at night), which the answer named only as mimics before.

Tier agreement is low by design of the answer: ``why`` lists every warning sign to watch for
with a symptom, not those the person has, so an answer for cramps, twitching or low back pain
always holds an emergency sign (dark urine; jaw stiffness after a wound, reached from a twitch
through muscle spasm; saddle numbness), and the self-care and doctor's-visit stories read as
emergencies (15 of 45 agree: the 15 emergency stories, none of the others).

Top three, missed: D05 (twitching with weakness: motor neurone disease is a general cause and
comes after the everyday ones) and S13 (night cramps after a long hike: muscle fatigue comes
after the blood salts).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import spasmkg
from spasmkg.ask.why import Asker, Reason, WhyAnswer, tier_name

VIGNETTES = Path(__file__).parent / "data" / "vignettes.yaml"
#: The measured figures (floors: a change that lowers one fails; raise them when it rises).
RECALL = (44, 44)
TIER_AGREEMENT = (15, 45)
TOP3 = (27, 29)
#: Expected warning signs the answer leaves out, by vignette (see the module's docstring).
KNOWN_MISSES: dict[str, list[str]] = {}
TIERS = {"self-care": 1, "soon": 2, "same-day": 3, "emergency": 4}
ELEMENTS = ("red_flags", "reasons", "mimics", "may_help", "does_not_help")


def load_vignettes() -> list[dict[str, Any]]:
    """The vignettes as written in the data file."""
    return list(yaml.safe_load(VIGNETTES.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Scored:
    """One vignette's answer as measured against what the clinician expects."""

    vignette: dict[str, Any]
    answer: WhyAnswer

    @property
    def flags_found(self) -> set[str]:
        """Names of the answer's warning signs."""
        return {flag.sign.name for flag in self.answer.red_flags}

    @property
    def flags_missed(self) -> list[str]:
        """Expected warning signs the answer leaves out."""
        return [
            f["sign"]
            for f in self.vignette.get("red_flags", [])
            if f["sign"] not in self.flags_found
        ]

    @property
    def tier(self) -> str:
        """The most urgent tier of the answer's warning signs, or self-care when none."""
        return max(
            (f.tier for f in self.answer.red_flags), key=TIERS.__getitem__, default="self-care"
        )

    @property
    def reason_in_top3(self) -> bool:
        """An expected reason is among the first three explanations."""
        return any(
            matches(reason, expected)
            for reason in self.answer.explanations[:3]
            for expected in self.vignette.get("reasons", [])
        )


def matches(reason: Reason, expected: dict[str, str]) -> bool:
    """An explanation starts at the expected cause (and passes through ``via`` when given)."""
    passes = {step.object.name for step in reason.chain.steps}
    return reason.cause.name == expected["cause"] and expected.get("via", reason.cause.name) in (
        passes | {reason.cause.name}
    )


@pytest.fixture(scope="module")
def scored(kg_all: spasmkg.KnowledgeGraph) -> dict[str, Scored]:
    """Every vignette asked once of the shipped graph with its layers."""
    asker = Asker(kg_all)
    return {
        v["id"]: Scored(
            v,
            asker.why(
                v["inputs"]["symptom"],
                **{k: v["inputs"].get(k, []) for k in ("takes", "has", "groups")},
            ),
        )
        for v in load_vignettes()
    }


def named(kg: spasmkg.KnowledgeGraph, name: str) -> str:
    """The IRI of an entity named by its ``skg:`` local name (the test fails on a typo)."""
    iri = f"https://w3id.org/spasmkg/entity/{name}"
    assert iri in kg.view.entities, f"no entity skg:{name}"
    return iri


def cited_about(
    kg: spasmkg.KnowledgeGraph, names: list[str], *, as_object: bool = False
) -> set[str]:
    """The sources the graph cites for claims whose subject (or, for a warning sign, object) is
    one of these entities."""
    found = set()
    for name in names:
        iri = named(kg, name)
        for claim in kg.view.claims_by_node.get(iri, ()):
            if (claim.object.iri if as_object else claim.subject.iri) == iri:
                found.update(source.curie for source in claim.sources)
    return found


def cited_elements(vignette: dict[str, Any]) -> Iterator[tuple[str, list[str], bool, str]]:
    """Each expected element: (what it is, the entities its source speaks about, whether the
    entity is the claim's object, the source)."""
    for flag in vignette.get("red_flags", []):
        yield "red flag", [flag["sign"]], True, flag["source"]
    for reason in vignette.get("reasons", []):
        yield (
            "reason",
            [reason["cause"], *filter(None, [reason.get("via")])],
            False,
            reason["source"],
        )
    for mimic in vignette.get("mimics", []):
        yield "mimic", [mimic["condition"]], False, mimic["source"]
    for key in ("may_help", "does_not_help"):
        for measure in vignette.get(key, []):
            yield key, [measure["treatment"]], False, measure["source"]
    for key, items in vignette.get("must_not", {}).items():
        for item in items:
            yield f"must_not {key}", [item["entity"]], False, item["source"]


def test_the_vignettes_are_balanced_like_the_published_audits() -> None:
    """At least 40, with unique ids, and a third each needing emergency care, a doctor's visit
    (same day or soon) and self-care."""
    vignettes = load_vignettes()
    assert len(vignettes) >= 40
    assert len({v["id"] for v in vignettes}) == len(vignettes)
    care = [
        {"emergency": "emergency", "self-care": "self-care"}.get(v["tier"], "doctor")
        for v in vignettes
    ]
    assert {c: care.count(c) for c in set(care)} == {"emergency": 15, "doctor": 15, "self-care": 15}


def test_each_expected_tier_is_its_most_urgent_red_flag() -> None:
    for v in load_vignettes():
        tiers = [flag["tier"] for flag in v.get("red_flags", [])]
        assert v["tier"] == max(tiers, key=TIERS.__getitem__, default="self-care"), v["id"]


def test_each_expected_element_cites_a_source_the_graph_gives_for_it(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    """No invented citation: every source is one the graph cites for a claim about that very
    entity, and every warning sign's tier is the one the graph gives it."""
    for v in load_vignettes():
        for what, names, as_object, source in cited_elements(v):
            assert source in cited_about(kg_all, names, as_object=as_object), (
                v["id"],
                what,
                names,
                source,
            )
        for flag in v.get("red_flags", []):
            sign = kg_all.view.entities[named(kg_all, flag["sign"])]
            assert sign.kind == "WarningSign"
            assert tier_name(sign.urgency) == flag["tier"], (v["id"], flag["sign"])


def test_the_figures(scored: dict[str, Scored]) -> None:
    """Red-flag recall, tier agreement and expected reasons in the top three, printed and held
    at their measured values; every miss of a red flag is a documented one."""
    expected = sum(len(s.vignette.get("red_flags", [])) for s in scored.values())
    missed = {key: s.flags_missed for key, s in scored.items() if s.flags_missed}
    agree = sum(s.tier == s.vignette["tier"] for s in scored.values())
    reasoned = [s for s in scored.values() if s.vignette.get("reasons")]
    top3 = sum(s.reason_in_top3 for s in reasoned)
    found = expected - sum(map(len, missed.values()))
    print(
        f"\n{len(scored)} vignettes: red-flag recall {found}/{expected} "
        f"({100 * found / expected:.0f} %), tier agreement {agree}/{len(scored)}, "
        f"expected reason in top 3: {top3}/{len(reasoned)}"
    )
    assert missed == KNOWN_MISSES
    assert (found, expected) == RECALL
    assert (agree, len(scored)) >= TIER_AGREEMENT and len(scored) == TIER_AGREEMENT[1]
    assert top3 >= TOP3[0] and len(reasoned) == TOP3[1]


def test_every_expected_reason_mimic_and_measure_is_in_the_answer(
    scored: dict[str, Scored],
) -> None:
    """Beyond the top three: each expected reason is somewhere among the explanations, each
    expected mimic is named, and each expected measure is in its list."""
    for key, s in scored.items():
        v, answer = s.vignette, s.answer
        for expected in v.get("reasons", []):
            assert any(matches(r, expected) for r in answer.explanations), (key, expected)
        assert {m["condition"] for m in v.get("mimics", [])} <= {
            m.condition.name for m in answer.mimics
        }, key
        helps = {m.claim.subject.name for m in answer.may_help}
        fails = {m.claim.subject.name for m in answer.does_not_help}
        assert {m["treatment"] for m in v.get("may_help", [])} <= helps, key
        assert {m["treatment"] for m in v.get("does_not_help", [])} <= fails, key


def test_what_must_not_be_said_is_not(scored: dict[str, Scored]) -> None:
    """A cause the evidence does not support is no explanation; a measure shown not to help is
    not offered as one that may."""
    for key, s in scored.items():
        must_not = s.vignette.get("must_not", {})
        causes = {r.cause.name for r in s.answer.explanations}
        helps = {m.claim.subject.name for m in s.answer.may_help}
        assert not {e["entity"] for e in must_not.get("explanations", [])} & causes, key
        assert not {e["entity"] for e in must_not.get("may_help", [])} & helps, key


def test_jaw_stiffness_after_a_wound_is_an_emergency(scored: dict[str, Scored]) -> None:
    """Spasms after a dirty wound: the tetanus warning sign is among the most urgent, as an
    emergency, and
    the wound is the first reason (through tetanus)."""
    answer = scored["E01"].answer
    assert answer.red_flags[0].tier == "emergency"
    emergencies = {f.sign.name for f in answer.red_flags if f.tier == "emergency"}
    assert "jaw-stiffness-after-a-wound" in emergencies
    first = answer.explanations[0]
    assert first.came_from == "contaminated wound"
    assert [step.object.name for step in first.chain.steps] == ["tetanus", "muscle-spasm"]


def test_a_swollen_painful_calf_is_a_same_day_clot_mimic(scored: dict[str, Scored]) -> None:
    """A one-sided swollen painful calf is a same-day warning sign of cramps, and a deep vein
    thrombosis is named as what the cramp may really be, with an emergency tier."""
    answer = scored["D01"].answer
    [calf] = [f for f in answer.red_flags if f.sign.name == "one-sided-painful-swollen-calf"]
    assert calf.tier == "same-day"
    [clot] = [
        m
        for m in answer.mimics
        if m.condition.name == "deep-vein-thrombosis" and m.claim.context is None
    ]
    assert clot.tier == "emergency"


def test_night_cramps_on_a_diuretic_and_a_statin_are_explained_by_both_first(
    scored: dict[str, Scored],
) -> None:
    """Furosemide (through low blood potassium) and atorvastatin come before every other
    reason; the statin's same-day warning sign is there."""
    answer = scored["D02"].answer
    froms = [r.came_from for r in answer.explanations]
    medicines = [f for f in froms if f in {"furosemide", "atorvastatin"}]
    assert set(medicines) == {"furosemide", "atorvastatin"}
    assert froms[: len(medicines)] == medicines, "the medicines' reasons come first"
    assert answer.explanations[0].chain.route == (
        "furosemide -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp"
    )
    assert "unexplained-muscle-symptoms-on-statin" in scored["D02"].flags_found


def test_the_self_care_stories_get_reasons_from_their_own_inputs_first(
    scored: dict[str, Scored],
) -> None:
    """Coffee, lack of sleep, typing, a night's drinking: the person's own input is the first
    explanation."""
    for key, cause in [
        ("S03", "caffeine"),
        ("S06", "repetitive-movement"),
        ("S09", "alcohol-consumption"),
        ("S11", "sleep-deprivation"),
    ]:
        assert scored[key].answer.explanations[0].cause.name == cause, key


def test_a_medicine_reaction_and_a_clot_bring_their_own_warning_signs(
    scored: dict[str, Scored],
) -> None:
    """Spasms on Reglan: the acute dystonic reaction the reason passes through brings its signs,
    the throat one an emergency, about the medicine; cramps in a swollen calf: the clot the
    cramp may really be brings its emergency sign (breathlessness or chest pain)."""
    reglan = {f.sign.name: (f.tier, f.about) for f in scored["E11"].answer.red_flags}
    assert reglan["medicine-induced-spasms-with-breathing-or-swallowing-trouble"] == (
        "emergency",
        "Reglan",
    )
    assert reglan["uncontrollable-face-neck-or-eye-spasms-after-a-medicine"][0] == "same-day"
    clot = {f.sign.name: (f.tier, f.about) for f in scored["E06"].answer.red_flags}
    assert clot["leg-symptoms-with-breathlessness-or-chest-pain"] == ("emergency", "leg cramps")
    plain = {f.sign.name for f in scored["S14"].answer.red_flags}
    assert "leg-symptoms-with-breathlessness-or-chest-pain" in plain, "a mimic of every cramp"
    twitch = {f.sign.name for f in scored["S10"].answer.red_flags}
    assert "leg-symptoms-with-breathlessness-or-chest-pain" not in twitch, "no clot for a twitch"
