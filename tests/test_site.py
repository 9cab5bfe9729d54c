"""``spasmkg serve`` as a site, over real HTTP: the home page and its downloads, a page for
every entity, claim, source and evidence item with content negotiation, and the editor's
examples, which must answer as the library's named queries do."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import spasmkg
from spasmkg.ask.answer import query
from spasmkg.ask.endpoint_engine import json_term
from spasmkg.ask.library import library
from spasmkg.errors import SpasmKGError
from spasmkg.outputs.build import input_checksums
from spasmkg.outputs.report import count
from spasmkg.serve.app import site_server
from spasmkg.serve.front import FrontConfig
from spasmkg.serve.routes import Routes
from spasmkg.serve.server import Server
from spasmkg.serve.site import Site, build_downloads, check_build, static_files
from tests.browsing import Tab, serious_violations
from tests.helpers import assert_declares_what_it_uses
from tests.serving import http

SKG = "https://w3id.org/spasmkg/entity/"
CLAIM = "https://w3id.org/spasmkg/claim/"
VENDOR = Path(spasmkg.__file__).parent / "serve" / "static" / "yasgui"


@pytest.fixture(scope="module")
def served_site(kg_all: spasmkg.KnowledgeGraph) -> Iterator[Server]:
    with site_server(kg_all, port=0, config=FrontConfig(timeout=10.0)) as server:
        yield server


@pytest.fixture(scope="module")
def site(served_site: Server) -> Site:
    assert served_site.routes is not None
    return served_site.routes.site


def fetch(server: Server, path: str, accept: str = "text/html", method: str = "GET"):  # type: ignore[no-untyped-def]
    """Status, body and headers of one request to the site."""
    return http(server.base + path, method=method, headers={"Accept": accept})


def sections(page: str) -> dict[str, str]:
    """The text of each claims section of an entity page, by its heading."""
    found = re.findall(
        r'<section class="claims-group" aria-label="([^"]+)">(.*?)</section>', page, re.S
    )
    return {
        html.unescape(title): html.unescape(re.sub(r"<[^>]+>", " ", body)) for title, body in found
    }


def test_the_home_page_links_everything_and_lists_each_download_with_its_checksum(
    served_site: Server, site: Site
) -> None:
    status, page, headers = fetch(served_site, "/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    for link in ('href="/page"', 'href="/editor"', 'href="/entity/muscle-cramp"'):
        assert link in page
    listed = dict(
        re.findall(r'<a href="/downloads/([^"]+)">.*?<code>([0-9a-f]{64})</code>', page, re.S)
    )
    assert set(listed) == set(site.downloads) and "spasmkg.ttl" in listed and len(listed) >= 16
    for name in ("spasmkg.ttl", "spasmkg_edges.tsv", "report.json"):
        status, _, headers = fetch(served_site, f"/downloads/{name}", accept="*/*")
        assert status == 200 and "attachment" in headers["content-disposition"]
        body = site.downloads[name].body
        assert hashlib.sha256(body).hexdigest() == listed[name]
    said = re.search(r"This server holds (.*?), [\d,]+ evidence items", page)
    assert said and said[1] == count(site.kg).summary(), said
    assert "release 2025-01-16" in page


def test_an_entity_page_tells_the_claims_in_its_context(served_site: Server) -> None:
    """Defect: the multiple sclerosis page left out the nine claims about what relieves
    spasticity and spasms in MS. They are listed, each linked to its claim page."""
    status, page, _ = fetch(served_site, "/entity/multiple-sclerosis")
    assert status == 200
    assert "In the context of multiple sclerosis (9)" in page
    assert 'href="/claim/baclofen--relieves--spasticity--in--multiple-sclerosis"' in page
    _, furosemide, _ = fetch(served_site, "/entity/furosemide")
    assert "In the context of" not in furosemide


def test_a_downloaded_file_is_the_bytes_the_checksum_names(served_site: Server) -> None:
    import urllib.request

    _, page, _ = fetch(served_site, "/")
    digest = re.search(r'/downloads/void.ttl">.*?<code>([0-9a-f]{64})</code>', page, re.S)
    with urllib.request.urlopen(served_site.base + "/downloads/void.ttl", timeout=30) as response:
        assert digest and hashlib.sha256(response.read()).hexdigest() == digest[1]


def test_the_furosemide_page_says_what_it_can_cause_and_cites_the_label(
    served_site: Server,
) -> None:
    status, page, headers = fetch(served_site, "/entity/furosemide")
    assert status == 200 and headers["vary"] == "Accept"
    causes = sections(page)["What it can cause"]
    assert "hypokalemia" in causes and "has adverse effect" in causes and "possible" in causes
    assert 'href="/source/furose-adverse-reactions"' in page
    assert 'href="https://www.mims.com/philippines/drug/info/furose/adverse-reactions"' in page
    assert "CHEBI:47426" in page and "frusemide" in page


def test_the_magnesium_page_keeps_what_does_not_work_apart(served_site: Server) -> None:
    """The Cochrane review CD009402 finds magnesium does not relieve cramps in older adults:
    its item sits under "does not work", never under "treats or relieves"; in pregnancy the
    trials disagree, so that claim sits under "unsettled"."""
    _, page, _ = fetch(served_site, "/entity/magnesium")
    found = sections(page)
    refuted = found["What does not work, or does not hold"]
    assert "muscle cramp" in refuted and "in older adults" in refuted and "refutes" in refuted
    assert "supports" not in refuted and "CD009402" in refuted
    assert "What it treats or relieves" not in found
    unsettled = found["Where the evidence is unsettled"]
    assert "in pregnant people" in unsettled and "in older adults" not in unsettled


def test_a_rare_disease_page_cites_the_pmid_of_its_annotation(served_site: Server) -> None:
    _, page, _ = fetch(served_site, "/entity/mondo-0009293")
    assert "glycogen storage disease V" in page and "from the imported layer hpo" in page
    presents = sections(page)["What it presents with"]
    assert "exercise-associated muscle cramp" in presents or "exercise" in presents
    assert 'href="/source/hpo-pmid-8316268"' in page


def test_a_claim_page_lists_its_evidence_and_a_source_page_the_claims_citing_it(
    served_site: Server,
) -> None:
    status, page, _ = fetch(served_site, "/claim/furosemide--has-adverse-effect--hypokalemia")
    assert status == 200 and "Furose Adverse Reactions" in page and "possible" in page
    assert (
        'href="/evidence/furosemide--has-adverse-effect--hypokalemia--furose-adverse-reactions"'
        in page
    )
    _, source, _ = fetch(served_site, "/source/hpo-pmid-8316268")
    assert "/claim/mondo-0009293--has-phenotype--exercise-associated-muscle-cramp" in source
    status, item, _ = fetch(
        served_site,
        "/evidence/furosemide--has-adverse-effect--hypokalemia--furose-adverse-reactions",
    )
    assert (
        status == 200
        and "supports" in item
        and "/claim/furosemide--has-adverse-effect--hypokalemia" in item
    )


def described(server: Server, path: str, media_type: str, form: str) -> Graph:
    """A resource's RDF description, asked for with an Accept header and parsed."""
    status, body, headers = fetch(server, path, accept=media_type)
    assert status == 200, body
    assert headers["content-type"] == media_type and headers["vary"] == "Accept"
    return Graph().parse(data=body, format=form)


def test_content_negotiation_gives_the_same_description_in_turtle_json_ld_and_n_triples(
    served_site: Server,
) -> None:
    path = "/entity/furosemide"
    turtle = described(served_site, path, "text/turtle", "turtle")
    jsonld = described(served_site, path, "application/ld+json", "json-ld")
    ntriples = described(served_site, path, "application/n-triples", "nt")
    furosemide = URIRef(SKG + "furosemide")
    assert (furosemide, RDFS.label, Literal("furosemide", lang="en")) in turtle or (
        furosemide,
        RDFS.label,
        Literal("furosemide"),
    ) in turtle
    claim = URIRef(CLAIM + "furosemide--has-adverse-effect--hypokalemia")
    assert (claim, RDF.subject, furosemide) in turtle
    assert isomorphic(turtle, jsonld) and isomorphic(turtle, ntriples)
    status, by_name, _ = fetch(served_site, path + "?format=ttl", accept="text/html")
    assert status == 200 and isomorphic(Graph().parse(data=by_name, format="turtle"), turtle)


def test_a_json_ld_description_has_a_context_of_the_prefixes_it_uses(served_site: Server) -> None:
    """Defect: served JSON-LD was pyoxigraph's expanded form, every IRI written out in full."""
    status, body, _ = fetch(served_site, "/entity/furosemide", accept="application/ld+json")
    assert status == 200
    document = json.loads(body)
    context = document["@context"]
    assert context["skg"] == SKG and context["@version"] == 1.1
    assert "skg:furosemide" in {node["@id"] for node in document["@graph"]}
    written = json.dumps(document["@graph"])
    assert all(f'"{prefix}:' in written for prefix in context if not prefix.startswith("@"))


@pytest.mark.parametrize(
    ("path", "uses"),
    [
        ("/entity/furosemide", {"skg", "skgo", "skos", "CHEBI", "MESH", "DRUGBANK", "claim"}),
        ("/entity/mondo-0009293", {"skg", "MONDO", "OMIM"}),
        ("/claim/furosemide--has-adverse-effect--hypokalemia", {"claim", "evidence", "ECO"}),
        ("/source/hpo-pmid-8316268", {"source", "skgo"}),
        (
            "/sparql?query="
            + urllib.parse.quote(
                "CONSTRUCT WHERE { <https://w3id.org/spasmkg/entity/mondo-0009293> ?p ?o }"
            ),
            {"skg", "MONDO", "rdfs"},
        ),
    ],
)
def test_served_turtle_declares_each_namespace_once_and_only_the_prefixes_it_uses(
    served_site: Server, path: str, uses: set[str]
) -> None:
    """The graph binds two names to some namespaces (``hp`` and ``HP``); a description names
    each namespace once, as spasmkg's CURIEs do, and declares nothing it does not use."""
    status, body, headers = fetch(served_site, path, accept="text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle"), body
    used = assert_declares_what_it_uses(body)
    assert uses <= used and not {"hp", "mondo", "chebi", "mesh"} & used


def test_a_claim_is_described_with_its_evidence_items(served_site: Server) -> None:
    graph = described(
        served_site, "/claim/furosemide--has-adverse-effect--hypokalemia", "text/turtle", "turtle"
    )
    items = set(graph.objects(None, URIRef("https://w3id.org/spasmkg/ontology/hasEvidence")))
    assert len(items) == 1
    assert any(s in items for s in graph.subjects())  # the item's own statements come along


@pytest.mark.parametrize(
    ("path", "accept", "status", "says"),
    [
        ("/entity/furosemide", "image/png", 406, "text/turtle"),
        ("/entity/furosemide?format=xml", "text/html", 400, "ttl"),
        ("/entity/furosemid", "text/turtle", 404, "did you mean /entity/furosemide"),
        ("/claim/no-such-claim", "text/turtle", 404, "no claim named"),
        ("/nowhere", "text/html", 404, "/entity/NAME"),
        ("/static/../pyproject.toml", "*/*", 404, "nothing at"),
        ("/downloads/..%2F..%2Fetc%2Fpasswd", "*/*", 404, "nothing at"),
        ("/entity/a/b", "text/html", 404, "nothing at"),
    ],
)
def test_what_cannot_be_served_gets_a_clear_status(
    served_site: Server, path: str, accept: str, status: int, says: str
) -> None:
    got, body, _ = fetch(served_site, path, accept=accept)
    assert got == status and says in body


def test_an_unknown_name_gets_a_page_of_close_names(served_site: Server) -> None:
    status, page, headers = fetch(served_site, "/entity/furosemid")
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert '<a href="/entity/furosemide">furosemide</a>' in page


@pytest.mark.parametrize("name", ["Furosemide", "CHEBI:47426", "frusemide"])
def test_another_name_of_an_entity_redirects_to_its_address(served_site: Server, name: str) -> None:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", served_site.port, timeout=30)
    connection.request("GET", "/entity/" + urllib.parse.quote(name))
    response = connection.getresponse()
    assert response.status == 303 and response.getheader("location") == "/entity/furosemide"
    connection.close()


def test_a_hostile_name_is_shown_as_text(served_site: Server) -> None:
    name = "<img src=x onerror=alert(2)>\"'&amp;"
    status, page, _ = fetch(served_site, "/entity/" + urllib.parse.quote(name))
    assert status == 404 and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;&#34;&#39;&amp;amp;" in page
    status, _, headers = fetch(served_site, "/entity/<script>x</script>")
    assert status == 404 and headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_the_site_is_read_only(served_site: Server, method: str) -> None:
    status, _, _ = http(served_site.base + "/entity/furosemide", data=b"x", method=method)
    assert status == 405


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/editor",
        "/page",
        "/entity/furosemide",
        "/claim/furosemide--has-adverse-effect--hypokalemia",
        "/entity/nothing-here",
        "/static/editor.js",
        "/downloads/spasmkg.ttl",
        "/entity/furosemide?format=ttl",
    ],
)
def test_every_response_has_a_policy_that_allows_no_outside_request(
    served_site: Server, path: str
) -> None:
    _, _, headers = fetch(served_site, path)
    policy = headers["content-security-policy"]
    assert policy.startswith("default-src 'none'") and "frame-ancestors 'none'" in policy
    assert "http" not in policy and "*" not in policy
    assert headers["x-content-type-options"] == "nosniff"


def test_the_page_is_served_with_its_own_policy(served_site: Server, site: Site) -> None:
    _, page, headers = fetch(served_site, "/page")
    assert page.encode() == site.downloads["spasmkg.html"].body
    assert "script-src 'unsafe-inline'" in headers["content-security-policy"]


def test_update_and_service_stay_refused_beside_the_site(served_site: Server) -> None:
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert http(served_site.url, data=form, method="POST", headers=headers)[0] == 403
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert http(served_site.url + "?" + urllib.parse.urlencode({"query": text}))[0] == 403


def editor_examples(server: Server) -> list[dict[str, str]]:
    """The examples the editor's page carries."""
    _, page, _ = fetch(server, "/editor")
    data = re.search(
        r'<script type="application/json" id="examples-data">(.*?)</script>', page, re.S
    )
    assert data is not None
    return list(json.loads(data[1]))


def test_every_editor_example_answers_as_its_named_query(
    served_site: Server, kg_all: spasmkg.KnowledgeGraph
) -> None:
    """The editor binds a query's example values in a VALUES block: over HTTP it must give the
    rows ``spasmkg query NAME`` gives with the same values."""
    named = library(kg_all.paths)
    examples = editor_examples(served_site)
    assert {e["name"] for e in examples} == {n for n, q in named.items() if "SERVICE" not in q.text}
    for example in examples:
        status, body, _ = http(
            served_site.url,
            data=example["text"].encode(),
            method="POST",
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json",
            },
        )
        assert status == 200, (example["name"], body)
        answer = json.loads(body)
        names = answer["head"]["vars"]
        remote = sorted(
            tuple(json_term(row[n]).n3() if n in row else "" for n in names)
            for row in answer["results"]["bindings"]
        )
        query_ = named[example["name"]]
        local = query(example["name"], query_.example_params, kg=kg_all)
        assert remote == local.sorted_rows(), example["name"]


def test_the_vendored_editor_matches_its_checksums_and_carries_its_licence() -> None:
    sums = dict(
        reversed(line.split("  ")) for line in (VENDOR / "SHA256SUMS").read_text().splitlines()
    )
    assert set(sums) == {"yasgui.min.js", "yasgui.min.css"}
    for name, digest in sums.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest
    assert "MIT License" in (VENDOR / "LICENSE").read_text()
    assert "@zazuko/yasgui@4.6.2" in (VENDOR / "README.md").read_text()
    assert static_files()["yasgui/yasgui.min.js"] == (VENDOR / "yasgui.min.js").read_bytes()


def test_serve_refuses_a_build_of_other_data(tmp_path: Path, kg: spasmkg.KnowledgeGraph) -> None:
    inputs = input_checksums(kg)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"inputs": inputs}))
    check_build(tmp_path, kg, "manifest.json")  # the same data: served
    first = sorted(inputs)[0]
    manifest.write_text(json.dumps({"inputs": {**inputs, first: "0" * 64}}))
    with pytest.raises(SpasmKGError, match=f"built from other data or another layer .*{first}"):
        check_build(tmp_path, kg, "manifest.json")
    manifest.write_text(json.dumps({"inputs": {**inputs, "graph/imports/hpo.ttl": "0" * 64}}))
    with pytest.raises(SpasmKGError, match="1 input file"):
        check_build(tmp_path, kg, "manifest.json")
    with pytest.raises(SpasmKGError, match=r"holds no manifest\.json"):
        check_build(tmp_path / "empty", kg, "manifest.json")


# ------------------------------------------------------------- in real headless Chromium


@pytest.fixture
def visit(browser: Any, served_site: Server) -> Iterator[Callable[..., Tab]]:
    opened: list[Tab] = []

    def open_path(path: str, **options: bool) -> Tab:
        base = served_site.base
        opened.append(Tab(browser, base + path, base + "/", **options))
        return opened[-1]

    yield open_path
    for page in opened:
        page.close()


def run_in_editor(visit: Tab, example: str) -> None:
    """Choose a named query in the editor's list, run it, and wait for its results."""
    visit.page.wait_for_selector(".yasqe .CodeMirror", timeout=30_000)
    visit.page.click(f"button.example[data-example='{example}']")
    visit.page.click(".yasqe_queryButton")
    visit.page.wait_for_selector(".yasr_response_chip", timeout=30_000)


def test_the_editor_runs_a_named_query_and_shows_its_rows_with_no_outside_request(
    visit: Callable[..., Tab], kg_all: spasmkg.KnowledgeGraph
) -> None:
    editor = visit("/editor")
    run_in_editor(editor, "medications-causing-spasm")
    expected = query("medications-causing-spasm", kg=kg_all)
    chip = editor.page.inner_text(".yasr_response_chip")
    assert chip.startswith(f"{len(expected.rows)} results")
    table = editor.page.inner_text(".yasr table")
    rows = expected.dicts()
    assert any(
        (str(r["medicationLabel"]), str(r["effectLabel"])) == ("furosemide", "hypokalemia")
        for r in rows
    )
    first = rows[0]  # the table shows the first page of the rows, in the query's order
    assert str(first["medicationLabel"]) in table and str(first["effectLabel"]) in table
    assert editor.page.evaluate("window.location.hash") == "#medications-causing-spasm"
    assert editor.page.inner_text("#example-description").startswith("Every medicine or class")
    assert editor.page.get_by_label("Simple view").is_checked(), "plain values by default"
    assert "^^" not in table and "<http" not in table
    assert editor.errors == [] and editor.dialogs == []
    assert editor.outside_requests == []
    assert editor.home + "sparql" in editor.requests


def test_the_editor_draws_a_count_as_a_chart(
    visit: Callable[..., Tab], kg_all: spasmkg.KnowledgeGraph
) -> None:
    editor = visit("/editor")
    run_in_editor(editor, "graph-statistics")
    editor.page.click(".yasr .select_chart")
    editor.page.wait_for_selector("svg.spasmkg-chart", timeout=10_000)
    bars = editor.page.locator("svg.spasmkg-chart rect.bar").count()
    assert bars == min(40, len(query("graph-statistics", kg=kg_all).rows)) and bars > 0
    assert editor.errors == [] and editor.outside_requests == []


def test_the_editor_opens_on_the_query_its_address_names(visit: Callable[..., Tab]) -> None:
    editor = visit("/editor#rare-diseases-with-phenotype")
    editor.page.wait_for_selector(".yasqe .CodeMirror", timeout=30_000)
    text = editor.page.evaluate("window.spasmkgEditor.getTab().getQuery()")
    assert text.startswith("# title: Rare diseases") and "VALUES" in text
    assert editor.page.inner_text("#example-title").startswith("Rare diseases")
    description = editor.page.locator("#example-description").bounding_box()
    run_button = editor.page.locator(".yasqe_queryButton").bounding_box()
    assert description and run_button and description["y"] < run_button["y"], (
        "the chosen query's description is read before the editor, not under its run button"
    )


def test_an_entity_page_lists_its_claims_and_links_onwards(visit: Callable[..., Tab]) -> None:
    page = visit("/entity/furosemide")
    headings = page.page.locator("section.claims-group h3").all_inner_texts()
    assert "What it can cause (1)" in headings, "low potassium, from its product information"
    assert "Where the evidence is unsettled (1)" in headings, "low magnesium: one expert review"
    page.page.click("a.relation[href='/claim/furosemide--has-adverse-effect--hypokalemia']")
    page.page.wait_for_url("**/claim/furosemide--has-adverse-effect--hypokalemia")
    assert "Furose Adverse Reactions" in page.page.inner_text("main")
    assert page.errors == [] and page.outside_requests == [] and page.dialogs == []


def test_an_entity_page_opens_the_interactive_page_on_that_entity(
    visit: Callable[..., Tab],
) -> None:
    page = visit("/entity/magnesium")
    page.page.click("a.in-page")
    page.page.wait_for_selector('body[data-settled="true"]', state="attached", timeout=60_000)
    assert page.page.evaluate("document.body.dataset.focused") == "skg:magnesium"
    assert page.errors == [] and page.outside_requests == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/editor",
        "/entity/magnesium",
        "/claim/furosemide--has-adverse-effect--hypokalemia",
        "/source/hpo-pmid-8316268",
        "/entity/furosemid",
        "/why?symptom=cramps&takes=furosemide&context=older+adults",
    ],
)
def test_axe_finds_nothing_serious_on_the_site(visit: Callable[..., Tab], path: str) -> None:
    page = visit(path, bypass_csp=True)
    if path == "/editor":  # with a result table drawn
        run_in_editor(page, "medications-causing-spasm")
    assert serious_violations(page) == []
    if path.startswith("/why"):  # the why page runs nothing and asks nothing of anyone else
        assert page.errors == [] and page.outside_requests == []


HTACCESS = Path(__file__).parent.parent / "docs" / "w3id" / ".htaccess"
RULE = re.compile(r"^RewriteRule\s+(\S+)\s+(\S+)\s+\[([^\]]+)\]$")
PUBLISHED = "https://spasmkg.example.org"


def redirected(path: str) -> tuple[str, str]:
    """Where the w3id rules send a path under https://w3id.org/spasmkg/, and with which flags."""
    for line in HTACCESS.read_text().splitlines():
        rule = RULE.match(line.strip())
        if rule and re.match(rule[1], path):
            target = re.sub(r"\$(\d)", r"\\\1", rule[2])
            return re.sub(rule[1], target, path), rule[3]
    raise AssertionError(f"no rule for {path}")


@pytest.mark.parametrize(
    "iri",
    [
        "https://w3id.org/spasmkg/entity/furosemide",
        "https://w3id.org/spasmkg/claim/furosemide--has-adverse-effect--hypokalemia",
        "https://w3id.org/spasmkg/source/hpo-pmid-8316268",
        "https://w3id.org/spasmkg/evidence/furosemide--has-adverse-effect--hypokalemia--furose-adverse-reactions",
        "https://w3id.org/spasmkg/ontology/hasEvidence",
        "https://w3id.org/spasmkg/graph/hpo",
        "https://w3id.org/spasmkg/",
    ],
)
def test_the_w3id_rules_send_each_iri_to_a_path_the_server_answers(
    served_site: Server, iri: str
) -> None:
    target, flags = redirected(iri.removeprefix("https://w3id.org/spasmkg/"))
    assert "R=303" in flags and target.startswith(PUBLISHED + "/")
    status, _, _ = fetch(
        served_site, target.removeprefix(PUBLISHED), accept="text/turtle, text/html;q=0.5"
    )
    assert status == 200


def test_a_description_counts_against_the_same_limits_as_queries(site: Site) -> None:
    """A resource's RDF runs on a query worker, within the endpoint's limits: while a client's
    one allowed query runs, its request for a description gets 429 like a second query would;
    an HTML page needs no worker and is served."""
    import threading

    config = FrontConfig(timeout=3.0, max_concurrency=1, max_per_client=1)
    nquads = site.downloads["spasmkg.nq"].body
    with Server(nquads, port=0, config=config, workers=1, routes=Routes(site)) as server:
        assert fetch(server, "/entity/furosemide", accept="text/turtle")[0] == 200
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        url = server.url + "?" + urllib.parse.urlencode({"query": slow})
        busy = threading.Thread(target=http, args=(url,))
        busy.start()
        time.sleep(0.5)
        status, body, _ = fetch(server, "/entity/furosemide", accept="text/turtle")
        assert status == 429 and "more than 1 queries at once" in body
        assert fetch(server, "/entity/furosemide")[0] == 200
        busy.join()


@pytest.fixture(scope="module")
def core_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return spasmkg.build(tmp_path_factory.mktemp("from") / "dist", layer="core").out


def test_serve_from_refuses_links_that_leave_the_build(
    tmp_path: Path, core_build: Path, kg: spasmkg.KnowledgeGraph
) -> None:
    """Defect: a link in the build folder published a file from elsewhere on the disk."""
    dist = tmp_path / "dist"
    shutil.copytree(core_build, dist)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web\n")
    (dist / "report.md").unlink()
    (dist / "report.md").symlink_to(secret)
    with pytest.raises(SpasmKGError, match=r"report\.md is a link to .*secret\.txt, outside"):
        build_downloads(kg, dist)
    (dist / "report.md").unlink()
    (dist / "report.md").symlink_to(
        dist / ".." / "dist" / "void.ttl"
    )  # stays inside: checked by its sum
    with pytest.raises(SpasmKGError, match=r"report\.md differs from its checksum"):
        build_downloads(kg, dist)


@pytest.mark.parametrize("name", ["spasmkg.nq", "spasmkg.html"])
def test_serve_from_refuses_a_file_changed_after_the_build(
    tmp_path: Path, core_build: Path, kg: spasmkg.KnowledgeGraph, name: str
) -> None:
    """Defect: a tampered N-Quads file fed the endpoint, and a tampered page ran its script."""
    dist = tmp_path / "dist"
    shutil.copytree(core_build, dist)
    assert {d.name for d in build_downloads(kg, dist)} >= {name}  # untouched: served
    with (dist / name).open("ab") as file:
        file.write(
            b"\n<script>alert(1)</script>\n"
            if name.endswith("html")
            else b"<urn:x> <urn:y> <urn:z> .\n"
        )
    with pytest.raises(
        SpasmKGError, match=rf"{re.escape(name)} differs from its checksum in the build's manifest"
    ):
        build_downloads(kg, dist)


def test_the_home_search_and_the_why_form_submit_and_answer(visit: Callable[..., Tab]) -> None:
    """Defect: the site's pages forbade every form (form-action 'none'), so the why form could
    not be sent from a browser; and the site had no search."""
    home = visit("/")
    home.page.fill("#home-search", "Zanaflex")
    home.page.click("form.search button[type=submit]")
    home.page.wait_for_url("**/search?q=Zanaflex")
    first = home.page.locator("ol.search-hits li a").first
    assert first.inner_text() == "tizanidine"
    first.click()
    home.page.wait_for_url("**/entity/tizanidine")
    asking = visit("/why")
    asking.page.fill("#why-symptom", "night cramps")
    asking.page.fill("#why-takes", "water pills")
    asking.page.click("form.why button[type=submit]")
    asking.page.wait_for_url("**/why?symptom=night+cramps&takes=water+pills**")
    assert "Why might this be happening?" in asking.page.inner_text("main")
    assert asking.page.locator("section.why-section").count() > 0
    for tab in (home, asking):
        assert tab.errors == [] and tab.outside_requests == [] and tab.dialogs == []
    # axe-core is injected, which the pages' policy forbids: checked in tabs that bypass it
    for path in ("/search?q=Zanaflex", "/why?symptom=night+cramps&takes=water+pills"):
        assert serious_violations(visit(path, bypass_csp=True)) == []
