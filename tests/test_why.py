"""``spasmkg why``: a person's symptom, medicines, conditions and groups in, a careful answer out:
warning signs first, reasons tied to the person before general ones, rare causes apart, what
helps and what does not, mimics, and how every word was read."""

from __future__ import annotations

import json

import pytest

import spasmkg
from spasmkg.ask.leaflet import leaflet_markdown, leaflet_text
from spasmkg.ask.library import library
from spasmkg.ask.why import NOTICE, Asker
from spasmkg.errors import UnknownEntity
from spasmkg.serve.routes import Routes
from spasmkg.serve.site import Site
from tests.helpers import REPO, run_entry_point

KEYS = [
    "symptom",
    "understood",
    "not_understood",
    "red_flags",
    "explanations",
    "rare_causes",
    "may_help",
    "does_not_help",
    "mimics",
]


@pytest.fixture(scope="module")
def asker(kg_all: spasmkg.KnowledgeGraph) -> Asker:
    return Asker(kg_all)


def routes_of(answer: dict[str, object]) -> list[str]:
    return [str(e["chain"]["route"]) for e in answer["explanations"]]  # type: ignore[index, union-attr]


def test_a_diuretic_explains_cramps_through_low_potassium_first(asker: Asker) -> None:
    """Furosemide lowers blood potassium (its label), which causes cramps: the person's own
    medicine comes before every general cause."""
    answer = asker.why("cramps", takes=["furosemide"]).as_dict()
    first = answer["explanations"][0]
    assert first["from"] == "furosemide" and first["standing"] == "supported"
    assert first["chain"]["route"] == (
        "furosemide -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp"
    )
    froms = [e["from"] for e in answer["explanations"]]
    assert froms == sorted(froms, key=lambda f: f is None), "own reasons before general ones"
    assert list(answer) == KEYS


def test_a_medicine_is_a_reason_only_for_someone_who_takes_it(asker: Asker) -> None:
    """Defect: a person on furosemide and atorvastatin was told amiloride, donepezil and twenty
    other medicines they do not take were common reasons; their classes stay (diuretics can
    cause night cramps, a sequence symmetry analysis found)."""
    answer = asker.why("night cramps", takes=["furosemide", "atorvastatin"])
    general = {r.cause.name: r for r in answer.explanations if r.came_from is None}
    assert not {r.cause.kind for r in general.values()} & {"Medication"}
    assert "amiloride" not in general and "donepezil" not in general
    assert general["diuretic"].chain.steps[-1].object.name == "nocturnal-leg-cramp"
    own = {r.came_from for r in answer.explanations if r.came_from is not None}
    assert own == {"furosemide", "atorvastatin"}


def test_a_treatment_that_helps_says_what_harm_it_can_do(asker: Asker) -> None:
    """Quinine relieves cramps (AAN 2010, level B) and can prolong the QT interval (MHRA 2017):
    a leaflet that lists it must say both."""
    answer = asker.why("night cramps")
    quinine = next(m for m in answer.may_help if m.claim.subject.name == "quinine")
    assert "qt-prolongation" in {harm.object.name for harm in quinine.harms}
    assert "it can cause QT prolongation" in leaflet_text(answer)
    assert quinine.as_dict()["harms"][0] == {
        "effect": "QT prolongation",
        "claim": "claim:quinine--has-adverse-effect--qt-prolongation",
        "standing": quinine.harms[0].standing.name,
    }


def test_a_mimic_bound_to_pregnancy_is_told_only_in_pregnancy(asker: Asker) -> None:
    """A clot in the leg can pass for a cramp in anyone (NICE CKS); the pregnancy-bound mimic
    claim (pregnancy raises the risk of a clot) is for pregnant people only."""

    def contexts(answer: object) -> set[str | None]:
        return {
            m.claim.context.name if m.claim.context else None
            for m in answer.mimics  # type: ignore[attr-defined]
            if m.condition.name == "deep-vein-thrombosis"
        }

    assert contexts(asker.why("night cramps")) == {None}
    assert contexts(asker.why("night cramps", groups=["pregnancy"])) == {None, "pregnant-people"}


def test_warning_signs_come_most_urgent_first(asker: Asker, kg_all: spasmkg.KnowledgeGraph) -> None:
    answer = asker.why("cramps")
    ranks = [flag.rank for flag in answer.red_flags]
    assert ranks == sorted(ranks, reverse=True)
    assert answer.red_flags, "cramps have warning signs"
    assert {flag.sign.kind for flag in answer.red_flags} == {"WarningSign"}


def test_a_group_the_person_is_not_in_brings_no_reason(asker: Asker) -> None:
    """Dehydration and electrolyte loss are studied in athletes; for someone who is not one, no
    reason is bound to athletes, and a group is a reason only for its members."""
    plain = asker.why("cramps")
    assert all(r.chain.context is None for r in plain.explanations)
    assert "athletes" not in {r.cause.name for r in plain.explanations}
    older = asker.why("cramps", groups=["older adults"])
    assert any(
        r.cause.name == "older-adults" and r.came_from == "older adults" for r in older.explanations
    )


def test_a_reason_the_evidence_speaks_against_is_not_an_explanation(asker: Asker) -> None:
    """In cirrhosis, patients with and without cramps had the same serum electrolytes."""
    answer = asker.why("cramps", groups=["cirrhosis"])
    assert all(r.chain.holds for r in answer.explanations)
    assert not [
        r
        for r in answer.explanations
        if r.cause.name == "electrolyte-imbalance" and r.chain.context
    ]


def test_rare_diseases_stand_apart_unless_named(asker: Asker) -> None:
    plain = asker.why("cramps")
    assert all(r.cause.layer == "core" for r in plain.explanations)
    assert plain.rare_causes and all(c.disease.layer != "core" for c in plain.rare_causes)
    named = asker.why("cramps", has=["Gitelman syndrome"])
    assert [r.came_from for r in named.explanations if r.cause.label == "Gitelman syndrome"]
    assert "Gitelman syndrome" not in {c.disease.label for c in named.rare_causes}


def test_what_does_not_help_keeps_its_refuting_evidence(asker: Asker) -> None:
    """Magnesium does not prevent ordinary cramps in older adults (Cochrane, high certainty)."""
    answer = asker.why("cramps", groups=["older adults"]).as_dict()
    [magnesium] = [
        m
        for m in answer["does_not_help"]
        if m["label"] == "magnesium" and m["context"] == "skg:older-adults"
    ]
    assert magnesium["standing"] == "notSupported"
    assert any(i["direction"] == "refutes" for i in magnesium["evidence"])
    assert not [m for m in answer["may_help"] if m["label"] == "magnesium"]


def test_words_that_name_nothing_are_said_so(asker: Asker) -> None:
    answer = asker.why("cramps", takes=["furosemide", "zzzyxx"]).as_dict()
    assert [m["input"] for m in answer["not_understood"]] == ["zzzyxx"]
    assert [u["entity"] for u in answer["understood"]] == ["skg:furosemide"]
    with pytest.raises(UnknownEntity, match="no entity matches"):
        asker.why("zzzyxx")


def test_the_same_inputs_give_the_same_answer(asker: Asker) -> None:
    ask = {"takes": ["furosemide", "atorvastatin"], "groups": ["older adults"]}
    assert asker.why("cramps", **ask).as_dict() == asker.why("cramps", **ask).as_dict()


def test_the_leaflet_reads_red_flags_first_and_ends_with_its_notice(asker: Asker) -> None:
    answer = asker.why("cramps", takes=["furosemide"])
    text = leaflet_text(answer)
    assert text.index("Get help if:") < text.index("Possible reasons from what you take")
    assert text.rstrip().endswith(NOTICE)
    assert "source:" in text.split("Get help if:")[1].split("\n")[1]
    markdown = leaflet_markdown(answer)
    assert markdown.startswith("# Why might I have muscle cramp?") and "## Get help if" in markdown


def test_the_why_command_writes_json_with_the_answer_keys() -> None:
    result = run_entry_point(
        "why", "cramps", "--takes", "furosemide", "--context", "older adults", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    assert list(json.loads(result.stdout)) == KEYS
    missing = run_entry_point("why", "zzzyxx")
    assert missing.returncode == 3 and missing.stderr.startswith("error: no entity matches")


def test_the_site_answers_why_in_html_json_and_markdown(kg: spasmkg.KnowledgeGraph) -> None:
    routes = Routes(Site.of(kg, [], library(kg.paths).values()))
    page = routes.get("/why", "symptom=cramps&takes=furosemide", ("text/html",))
    assert page.status == 200 and b'name="symptom" value="cramps"' in page.body
    assert b"furosemide -[has adverse effect]-&gt; hypokalemia" in page.body
    data = routes.get("/why", "symptom=cramps&takes=furosemide&format=json", ())
    assert list(json.loads(data.body)) == KEYS
    markdown = routes.get("/why", "symptom=cramps", ("text/markdown",))
    assert markdown.content_type == "text/markdown" and markdown.body.startswith(b"# Why")
    unknown = routes.get("/why", "symptom=zzzyxx", ("text/html",))
    assert unknown.status == 404 and b"no entity matches" in unknown.body
    hostile = routes.get("/why", "symptom=" + "x" * 5000 + "<script>", ("text/html",))
    assert b"<script>" not in hostile.body


def test_the_readme_shows_what_why_answers(asker: Asker) -> None:
    """The README's example (a water pill, atorvastatin, older adults, night cramps) is the
    tool's real output, each section cut to its first lines."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split('$ spasmkg why "night cramps"', 1)[1].split("```", 1)[0]
    shown = block.splitlines()[1:]
    answer = asker.why(
        "night cramps", takes=["water pills", "atorvastatin"], groups=["older adults"]
    )
    real = leaflet_text(answer).splitlines()
    assert shown[0] == real[0] and shown[-1] == real[-1] == NOTICE
    for line in shown:
        if line.startswith("  … ("):
            continue
        if line.endswith(" …"):
            assert any(r.startswith(line[:-2]) for r in real), line
        else:
            assert line in real, line
