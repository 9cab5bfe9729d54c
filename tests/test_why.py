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
from tests.helpers import run_entry_point

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
