"""The site's search (issue 27 §1): the resolver every command uses, behind /search, in HTML
and JSON; an unknown word gets close names, a hostile one is only text."""

from __future__ import annotations

import json

import pytest

import spasmkg
from spasmkg.ask.library import library
from spasmkg.serve.routes import Routes
from spasmkg.serve.site import Site


@pytest.fixture(scope="module")
def routes(kg_all: spasmkg.KnowledgeGraph) -> Routes:
    return Routes(Site.of(kg_all, [], library(kg_all.paths).values()))


@pytest.mark.parametrize(
    ("words", "entity"),
    [
        ("Zanaflex", "skg:tizanidine"),  # a brand name, from its maker's page
        ("water pills", "skg:diuretic"),  # a lay term
        ("SCI", "skg:spinal-cord-injury"),  # an abbreviation
        ("muscle cramps", "skg:muscle-cramp"),  # a plural
        ("G35", "skg:multiple-sclerosis"),  # an ICD-10 code without its prefix
    ],
)
def test_search_finds_an_entity_by_everyday_words(routes: Routes, words: str, entity: str) -> None:
    reply = routes.get("/search", f"q={words}&format=json", ())
    assert reply.status == 200 and reply.content_type == "application/json"
    answer = json.loads(reply.body)
    assert answer["q"] == words and answer["hits"][0]["entity"] == entity


def test_search_answers_in_html_with_links_and_why_each_matched(routes: Routes) -> None:
    reply = routes.get("/search", "q=Prilosec", ("text/html",))
    assert reply.status == 200 and b'<a href="/entity/omeprazole">omeprazole</a>' in reply.body
    assert "matched “Prilosec” (exact name)".encode() in reply.body
    assert b"form-action 'self'" in reply.policy.encode()
    assert routes.get("/search", "", ("text/html",)).status == 200  # the empty form


def test_a_misspelt_word_finds_close_names_and_an_unknown_or_hostile_one_is_text(
    routes: Routes,
) -> None:
    misspelt = json.loads(routes.get("/search", "q=zanaflx&format=json", ()).body)
    assert (misspelt["hits"][0]["entity"], misspelt["hits"][0]["why"]) == (
        "skg:tizanidine",
        "close spelling",
    )
    unknown = routes.get("/search", "q=zzzyxx", ("text/html",))
    assert unknown.status == 404 and b"no entity matches" in unknown.body
    as_json = routes.get("/search", "q=zzzyxx&format=json", ())
    assert as_json.status == 404 and as_json.body.startswith(b"no entity matches 'zzzyxx'")
    hostile = routes.get("/search", "q=%3Cscript%3Ealert(1)%3C/script%3E", ("text/html",))
    assert b"<script>" not in hostile.body and b"&lt;script&gt;" in hostile.body
    assert routes.get("/search", "q=cramp&format=xml", ()).status == 406
    assert routes.get("/search", "format=json", ()).status == 400
