"""The interactive page, tested in real headless Chromium driven by Playwright."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import spasmkg
from spasmkg.ask.explain import explain
from spasmkg.model.names import CLOSE
from spasmkg.outputs.page import render_selection, select, write_page
from tests.browsing import Tab, serious_violations
from tests.helpers import CORE, run_entry_point

HOSTILE = "<img src=x onerror=alert(1)>"


class Visit(Tab):
    """The page opened from its file (at a view of the URL fragment), once its layout settled."""

    def __init__(self, browser: Any, path: Path, fragment: str = "") -> None:
        super().__init__(browser, path.as_uri() + fragment, "file://")
        self.page.wait_for_selector('body[data-settled="true"]', state="attached", timeout=60_000)


def open_page(browser: Any, kg: spasmkg.KnowledgeGraph, folder: Path, fragment: str = "") -> Visit:
    """The page of a graph, written into a folder and opened in a fresh tab (at a view)."""
    path = folder / "spasmkg.html"
    write_page(kg, path)
    return Visit(browser, path, fragment)


@pytest.fixture(scope="module")
def shipped(
    browser: Any, kg: spasmkg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Visit:
    return open_page(browser, kg, tmp_path_factory.mktemp("html"))


def test_page_loads_without_errors_or_outside_requests(shipped: Visit) -> None:
    assert shipped.errors == []
    assert shipped.outside_requests == []
    assert shipped.dialogs == []


def test_node_and_edge_counts_match_the_graph(
    browser: Any, kg: spasmkg.KnowledgeGraph, tmp_path: Path
) -> None:
    """The page holds every node and edge; it draws the opening view, and the whole graph's
    view draws them all."""
    visit = open_page(browser, kg, tmp_path)
    assert visit.evaluate("window.spasmkg.nodes.length") == len(kg.entities) == CORE.nodes
    assert visit.evaluate("window.spasmkg.edges.length") == len(kg.claims) == CORE.claims
    opening = opening_view(kg)
    between = [c for c in kg.claims if {c.subject.curie, c.object.curie} <= opening]
    assert visit.page.inner_text("#counts") == (
        f"{len(opening)} nodes, {len(between)} edges drawn · muscle spasm and its direct neighbours"
    )
    visit.page.click("#whole")
    assert visit.page.inner_text("#counts") == f"{CORE.nodes} nodes, {CORE.claims} edges drawn"


def opening_view(kg: spasmkg.KnowledgeGraph) -> set[str]:
    """Muscle spasm and the core entities that share a claim with it, read from the claims."""
    centre = kg.entity("muscle spasm").curie
    return {centre} | {
        other.curie
        for claim in kg.claims
        if centre in (claim.subject.curie, claim.object.curie)
        for other in (claim.subject, claim.object)
        if other.layer == "core"
    }


@pytest.fixture(scope="module")
def opened(
    browser: Any, kg: spasmkg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Visit:
    """The core's page just opened, left as it opened (tests here only read it)."""
    return open_page(browser, kg, tmp_path_factory.mktemp("html"))


def test_opened_fresh_the_page_draws_muscle_spasm_and_its_neighbours(
    opened: Visit, kg: spasmkg.KnowledgeGraph
) -> None:
    """Issue 28 §9: the page opened on all the core's nodes at once, a hairball; it opens on
    muscle spasm and its direct neighbours, each kind in a block of its own."""
    expected = opening_view(kg)
    assert len(expected) == 41
    assert drawn(opened) == expected
    assert opened.evaluate("document.body.dataset.view") == "start"
    positions = opened.evaluate("window.spasmkg.network.getPositions()")
    assert positions["skg:muscle-spasm"] == {"x": 0, "y": 0}
    kinds = {curie: kg.entity(curie).kind for curie in expected - {"skg:muscle-spasm"}}
    # kinds laid out apart: the nodes of one kind share a block (its columns) on one side
    for kind in set(kinds.values()):
        xs = {positions[c]["x"] for c, k in kinds.items() if k == kind}
        assert len({x > 0 for x in xs}) == 1 and max(xs) - min(xs) <= 180, kind
    # no two nodes drawn closer than a row apart
    points = list(positions.values())
    assert (
        min(
            abs(a["x"] - b["x"]) + abs(a["y"] - b["y"])
            for i, a in enumerate(points)
            for b in points[:i]
        )
        >= 56
    )
    assert opened.errors == [] and opened.outside_requests == [] and opened.dialogs == []
    assert serious_violations(opened) == []


def test_warning_signs_are_small_markers_with_their_text_in_the_panel(
    opened: Visit, kg: spasmkg.KnowledgeGraph
) -> None:
    """Warning signs were red ellipses holding a sentence each, overlapping; they are small
    triangles without a label on the canvas, their text in the tooltip and the panel."""
    signs = [e for e in kg.entities if e.kind == "WarningSign" and e.curie in opening_view(kg)]
    assert len(signs) == 4
    for sign in signs:
        shape = opened.evaluate(
            f"""(() => {{ const node = window.spasmkg.network.body.nodes[{sign.curie!r}];
                 return [node.options.shape, node.options.size, node.options.font.size,
                         node.shape.width || 2 * node.options.size]; }})()"""
        )
        assert shape[:3] == ["triangle", 7, 0]
        assert shape[3] <= 20, "a marker, not a box around a sentence"
        opened.evaluate(
            "window.spasmkg.network.body.emitter.emit('click', {nodes: ["
            + repr(sign.curie)
            + "], edges: [], pointer: {DOM: {x: 0, y: 0}, canvas: {x: 0, y: 0}}})"
        )
        info = opened.page.inner_text("#info")
        assert sign.label in info and "warning sign" in info


def test_the_whole_graph_is_one_click_away(
    browser: Any, kg: spasmkg.KnowledgeGraph, tmp_path: Path
) -> None:
    visit = open_page(browser, kg, tmp_path)
    button = visit.page.locator("#whole")
    assert button.inner_text() == f"Show the whole graph ({CORE.nodes} nodes)"
    button.click()
    assert drawn(visit) == {e.curie for e in kg.entities}
    visit.page.wait_for_selector('body[data-settled="true"]', state="attached", timeout=60_000)
    assert "all=1" in visit.evaluate("location.hash")
    assert button.inner_text() == "Back to muscle spasm"
    # a link to the whole graph's view opens on it
    again = Visit(browser, tmp_path / "spasmkg.html", visit.evaluate("location.hash"))
    again.page.wait_for_selector('body[data-settled="true"]', state="attached", timeout=60_000)
    assert len(drawn(again)) == CORE.nodes
    button.click()
    assert drawn(visit) == opening_view(kg)
    visit.page.go_back()
    assert len(drawn(visit)) == CORE.nodes
    assert visit.errors == [] and again.errors == [] and visit.outside_requests == []
    assert serious_violations(visit) == []


def test_choosing_a_chain_opens_it_in_the_panel(opened: Visit, kg: spasmkg.KnowledgeGraph) -> None:
    """Choosing a chain showed the evidence of its weakest step alone; the panel shows the
    chain: its route, then each step with its relation, standing and evidence."""
    chain = explain(kg, "furosemide", "muscle cramp").chains[0]
    opened.evaluate("window.spasmkg.explain('furosemide', 'muscle cramp', '')")
    opened.page.locator("#chains button.chain-route").first.click()
    assert opened.page.inner_text("#info .title") == chain.route
    steps = opened.page.locator("#info ol.chain-panel > li.chain-step")
    assert steps.count() == len(chain.steps) == 2
    for index, step in enumerate(chain.steps):
        text = steps.nth(index).inner_text()
        assert f"{step.subject.label} → {step.object.label}" in text
        assert step.relation.label in text and "supports" in text
    assert "weakest step" in steps.nth(0).inner_text()
    steps.nth(1).locator("button.goto").click()  # a step opens its claim alone
    assert opened.page.inner_text("#info .title") == "hypokalemia → muscle cramp"
    assert opened.errors == []


def test_the_side_column_is_not_clipped(opened: Visit) -> None:
    """The certainty drop-down was wider than the column and cut off; the explain list's
    numbers sat at the last line of each wrapped route. Both fit the column now."""
    opened.evaluate("window.spasmkg.explain('hydrochlorothiazide', 'muscle cramp', '')")
    aside = opened.page.locator("aside")
    assert aside.evaluate("(a) => a.scrollWidth <= a.clientWidth")
    select = opened.page.locator("#min-certainty")
    select.scroll_into_view_if_needed()
    box, column = select.bounding_box(), aside.bounding_box()
    assert box is not None and column is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1400
    assert box["y"] >= 0 and box["y"] + box["height"] <= 900
    assert column["x"] <= box["x"] and box["x"] + box["width"] <= column["x"] + column["width"]
    # a route takes the column's width, and each of its steps two lines at most
    route = opened.page.locator("#chains li.chain").first
    item, button = route.bounding_box(), route.locator("button.chain-route").bounding_box()
    assert item is not None and button is not None
    assert button["width"] >= item["width"] - 1
    lines = opened.evaluate(
        """Array.from(document.querySelectorAll('#chains .chain-steps button')).map((b) =>
             b.getBoundingClientRect().height / parseFloat(getComputedStyle(b).lineHeight))"""
    )
    assert lines and max(lines) <= 2.2, lines
    assert opened.errors == [] and serious_violations(opened) == []


EVERYDAY = [
    ("Prilosec", "omeprazole"),
    ("water pills", "diuretic"),
    ("Parkinsons", "Parkinson disease"),
    ("muscle cramps", "muscle cramp"),
    ("Zanaflex", "tizanidine"),
]


@pytest.mark.parametrize(("words", "label"), EVERYDAY)
def test_the_search_box_reads_everyday_words(
    opened: Visit, kg: spasmkg.KnowledgeGraph, words: str, label: str
) -> None:
    """Issue 27 §1: the page's search reads words as the resolver does (brand names, lay
    terms, plurals, possessives) and finds the entity ``spasmkg search`` puts first."""
    entity = kg.entity(label)
    assert entity.label == label
    assert kg.names.search(words, 1)[0].entity == entity
    opened.page.fill("#search", words)
    opened.page.press("#search", "Enter")
    assert opened.evaluate("document.body.dataset.focused") == entity.curie
    assert opened.page.inner_text("#info .title") == label
    assert opened.page.inner_text("#search-status") == ""


def test_the_search_box_agrees_with_the_resolver_on_every_name(
    opened: Visit, kg: spasmkg.KnowledgeGraph
) -> None:
    """Every label, synonym and everyday name of the graph, and each in another form (capitals,
    a plural, the words in another order), is found as ``spasmkg search`` finds it first."""
    names = sorted(
        {e.label for e in kg.entities}
        | {s for e in kg.entities for s in e.synonyms}
        | {n.text for e in kg.entities for n in e.names}
    )
    variants = [
        *names,
        *(name.upper() for name in names),
        *(name + "s" for name in names if name[-1:].isalpha() and not name.endswith("s")),
        *(" ".join(reversed(name.split())) for name in names if " " in name),
    ]
    # the page does not spell-correct (difflib's close spelling, the resolver's last tier):
    # its last resort is a label that starts with or holds the words, so those are left out
    hits = {term: kg.names.search(term, 1)[0] for term in variants}
    expected = {term: hit.entity.curie for term, hit in hits.items() if hit.why != CLOSE}
    found = opened.page.evaluate(
        "(terms) => terms.map((term) => (window.spasmkg.find(term) || {}).id || null)",
        list(expected),
    )
    differ = {t: (f, expected[t]) for t, f in zip(expected, found, strict=True) if f != expected[t]}
    assert len(names) > 600 and len(expected) > 1_800
    assert differ == {}


@pytest.fixture(scope="module")
def layered(
    browser: Any, kg_all: spasmkg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Visit:
    """The page of the core with the imported HPO layer, as a build writes it."""
    return open_page(browser, kg_all, tmp_path_factory.mktemp("html"))


def drawn(visit: Visit) -> set[str]:
    """The ids of the nodes the page draws now."""
    return set(visit.evaluate("window.spasmkg.drawn()"))


def on_screen(visit: Visit, node: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates, once the view has stopped moving (the
    focus animation may still run under load)."""
    script = f"""(() => {{
      const network = window.spasmkg.network;
      const dom = network.canvasToDOM(network.getPositions(['{node}'])['{node}']);
      const box = document.querySelector('#network canvas').getBoundingClientRect();
      return [box.left + dom.x, box.top + dom.y];
    }})()"""
    point = visit.evaluate(script)
    for _ in range(50):
        visit.page.wait_for_timeout(100)
        again = visit.evaluate(script)
        if abs(again[0] - point[0]) < 0.5 and abs(again[1] - point[1]) < 0.5:
            break
        point = again
    return point[0], point[1]


def test_the_layered_page_opens_on_muscle_spasm_and_the_whole_view_on_the_core(
    browser: Any, kg_all: spasmkg.KnowledgeGraph, tmp_path: Path
) -> None:
    visit = open_page(browser, kg_all, tmp_path)
    core = {e.curie for e in kg_all.entities if e.layer == "core"}
    everything = len(kg_all.entities)
    assert len(core) == CORE.nodes and visit.evaluate("window.spasmkg.nodes.length") == everything
    assert drawn(visit) == opening_view(kg_all) and len(opening_view(kg_all)) == 42
    visit.page.click("#whole")
    assert drawn(visit) == core
    assert visit.errors == [] and visit.outside_requests == []
    assert f"{everything - CORE.nodes} more in the imported layer" in visit.page.inner_text(
        "#counts"
    )


def test_a_rare_disease_is_found_by_search_and_expands_and_collapses(
    layered: Visit, kg_all: spasmkg.KnowledgeGraph
) -> None:
    """McArdle disease (glycogen storage disease V) is not drawn until searched for; found, it
    opens with its phenotypes; double-clicking it collapses them and expands them again."""
    disease = kg_all.entity("glycogen storage disease V")
    assert disease.layer == "hpo" and disease.curie not in drawn(layered)
    neighbours = {
        other.curie
        for claim in kg_all.claims_about(disease)
        for other in (claim.subject, claim.object)
        if other != disease
    }
    imported_neighbours = {c for c in neighbours if kg_all.entity(c).layer == "hpo"}
    assert "skg:exercise-associated-muscle-cramp" in neighbours
    assert imported_neighbours == {
        "skg:hp-0003738",
        "skg:ncbigene-5837",
    }  # exercise-induced myalgia, PYGM
    layered.page.fill("#search", "glycogen storage disease V")
    layered.page.press("#search", "Enter")
    assert layered.evaluate("document.body.dataset.focused") == disease.curie
    opened = drawn(layered)
    assert neighbours <= opened
    layered.page.mouse.dblclick(*on_screen(layered, disease.curie))
    collapsed = drawn(layered)
    assert disease.curie in collapsed and not (imported_neighbours & collapsed)
    layered.page.wait_for_timeout(600)  # two double-clicks, not one quadruple click
    layered.page.mouse.dblclick(*on_screen(layered, disease.curie))
    assert neighbours <= drawn(layered)
    assert layered.errors == []


def test_canvas_draws(shipped: Visit) -> None:
    box = shipped.page.query_selector("#network canvas")
    assert box is not None
    size = box.bounding_box()
    assert size is not None and size["width"] > 500 and size["height"] > 500
    image = shipped.page.screenshot()
    assert len(image) > 50_000, "a drawn graph compresses far worse than an empty canvas"


def test_layout_settles_and_physics_stops(fresh_page: Visit) -> None:
    """In the whole graph's view (the opening view has its places and no physics)."""
    script = "JSON.stringify(window.spasmkg.network.getPositions(['skg:magnesium']))"
    before = fresh_page.evaluate(script)
    assert "skg:magnesium" in before
    fresh_page.page.wait_for_timeout(700)
    assert fresh_page.evaluate(script) == before


def test_search_for_magnesium_focuses_that_node(shipped: Visit, tmp_path: Path) -> None:
    shipped.page.fill("#search", "magnesium")
    shipped.page.press("#search", "Enter")
    assert shipped.evaluate("window.spasmkg.network.getSelectedNodes()") == ["skg:magnesium"]
    assert shipped.evaluate("document.body.dataset.focused") == "skg:magnesium"
    info = shipped.page.inner_text("#info")
    assert "magnesium" in info and "CHEBI:18420" in info
    link = shipped.page.get_attribute("#info a[href*='CHEBI_18420']", "href")
    assert link == "http://purl.obolibrary.org/obo/CHEBI_18420"
    shipped.page.screenshot(path=str(tmp_path / "search-magnesium.png"))
    assert (tmp_path / "search-magnesium.png").stat().st_size > 10_000


def panel_sections(visit: Visit) -> dict[str, str]:
    """The entity panel's sections, by heading (without its count), as the text they show."""
    found = visit.evaluate(
        """Array.from(document.querySelectorAll('#info section.claims-group')).map(
             (s) => [s.querySelector('h2').textContent, s.innerText])"""
    )
    return {heading.rsplit(" (", 1)[0]: text for heading, text in found}


def test_the_magnesium_panel_shows_what_does_not_work(shipped: Visit) -> None:
    """Magnesium does not relieve cramps in older adults (Cochrane CD009402); in pregnancy, for
    cramps in general and for eyelid twitching the evidence is unsettled: the panel keeps them
    apart, each with its citation, and lists nothing it treats or relieves."""
    shipped.evaluate("window.spasmkg.focusOn('magnesium')")
    sections = panel_sections(shipped)
    refuted = sections["What does not work, or does not hold"]
    assert "muscle cramp" in refuted and "in older adults" in refuted and "refutes" in refuted
    assert "supports" not in refuted
    link = shipped.page.get_attribute(
        "#info section[aria-label^='What does not work'] a[href*='CD009402']", "href"
    )
    assert link == "https://doi.org/10.1002/14651858.CD009402.pub3"
    unsettled = sections["Where the evidence is unsettled"]
    assert "in pregnant people" in unsettled and "eyelid myokymia" in unsettled
    assert "What it treats or relieves" not in sections


def test_the_furosemide_panel_lists_what_it_can_cause_with_sources(shipped: Visit) -> None:
    shipped.evaluate("window.spasmkg.focusOn('furosemide')")
    causes = panel_sections(shipped)["What it can cause"]
    assert "hypokalemia" in causes and "has adverse effect · supported, possible" in causes
    assert shipped.page.query_selector(
        "#info section[aria-label='What it can cause'] a[href*='mims.com']"
    )


def test_the_panel_is_usable_from_the_keyboard(shipped: Visit) -> None:
    """Each listed entity is a button: Tab reaches it, Enter opens that entity's panel."""
    shipped.evaluate("window.spasmkg.focusOn('furosemide')")
    button = shipped.page.locator(
        "#info section[aria-label='What it can cause'] button.goto", has_text="hypokalemia"
    )
    button.focus()
    shipped.page.keyboard.press("Enter")
    assert shipped.evaluate("document.body.dataset.focused") == "skg:hypokalemia"
    assert "What can cause it" in panel_sections(shipped)


def test_a_search_moves_the_view_once(shipped: Visit) -> None:
    """Defect: Enter searched, and leaving the box fired "change" and searched again, which
    restarted the focus animation under the pointer (double-clicks then missed the node)."""
    shipped.evaluate(
        """(() => { const network = window.spasmkg.network, focus = network.focus.bind(network);
             window.focusCalls = 0;
             network.focus = (...args) => { window.focusCalls += 1; return focus(...args); }; })()"""
    )
    shipped.page.fill("#search", "baclofen")
    shipped.page.press("#search", "Enter")
    shipped.page.click("#counts")  # the box loses focus
    assert shipped.evaluate("window.focusCalls") == 1
    assert shipped.evaluate("document.body.dataset.focused") == "skg:baclofen"


def groups_of(answer: Any) -> dict[str, list[str]]:
    """The routes of an explain answer, by group, as the page reports them."""
    return {
        key: [chain.route for chain in getattr(answer, key)]
        for key in ("chains", "against", "other_contexts")
    }


@pytest.mark.parametrize(
    ("source", "target", "context"),
    [
        ("furosemide", "muscle cramp", ""),
        ("hydrochlorothiazide", "muscle cramp", ""),
        ("magnesium", "muscle cramp", ""),
        ("nabiximols", "spasticity", ""),
        ("nabiximols", "spasticity", "multiple sclerosis"),
        ("dehydration", "muscle spasm", "athletes"),
    ],
)
def test_explain_in_the_page_gives_the_answer_of_spasmkg_explain(
    shipped: Visit, kg: spasmkg.KnowledgeGraph, source: str, target: str, context: str
) -> None:
    """The page forms, groups and ranks chains by the ontology's rules as the library does:
    the same routes in the same three groups, in the same order."""
    expected = groups_of(explain(kg, source, target, 4, [context] if context else []))
    answer = shipped.evaluate(f"window.spasmkg.explain({source!r}, {target!r}, {context!r})")
    assert answer == expected


def test_the_explain_list_shows_the_groups_and_opens_a_chain_in_the_panel(
    shipped: Visit,
) -> None:
    """furosemide to muscle cramp: the low-potassium chain first, its weakest step marked;
    choosing it opens the weakest step's evidence; the low-magnesium route sits under what the
    evidence leaves open."""
    shipped.page.fill("#explain-from", "furosemide")
    shipped.page.fill("#explain-to", "muscle cramp")
    shipped.page.click("#explain button[type=submit]")
    groups = shipped.evaluate(
        "Array.from(document.querySelectorAll('#chains > li.chain-group')).map((g) => g.dataset.group)"
    )
    assert groups == ["chains", "against", "other_contexts"]
    first = shipped.page.locator("#chains li.chain").first
    assert first.inner_text().startswith(
        "furosemide -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp"
    )
    assert "weakest step" in first.inner_text()
    first.locator("button.chain-route").click()
    assert "mims.com" in (shipped.page.get_attribute("#info a[href*='mims.com']", "href") or "")
    selected = shipped.evaluate("window.spasmkg.network.getSelectedNodes()")
    assert {"skg:furosemide", "skg:hypokalemia", "skg:muscle-cramp"} <= set(selected)
    against = shipped.page.locator("#chains li[data-group='against']").inner_text()
    assert "hypomagnesemia" in against and "unsettled" in against


def test_explain_in_the_page_crosses_into_the_imported_layer(
    layered: Visit, kg_all: spasmkg.KnowledgeGraph
) -> None:
    """Gitelman syndrome to muscle cramp: the chains run through the HPO layer, as the
    library's do, and showing one draws its imported nodes."""
    expected = groups_of(explain(kg_all, "Gitelman syndrome", "muscle cramp"))
    assert expected["chains"]
    assert (
        layered.evaluate("window.spasmkg.explain('Gitelman syndrome', 'muscle cramp', '')")
        == expected
    )
    layered.page.locator("#chains button.chain-route").first.click()
    assert kg_all.entity("Gitelman syndrome").curie in drawn(layered)


def test_a_link_reopens_the_view(browser: Any, kg: spasmkg.KnowledgeGraph, tmp_path: Path) -> None:
    """The focus, the hidden kinds, the explained pair and the chosen chain live in the URL
    fragment: the URL of one view, opened afresh, shows the same view."""
    first = open_page(browser, kg, tmp_path)
    first.evaluate("window.spasmkg.focusOn('magnesium')")
    first.page.check("input[data-kind='Population']")  # already shown: no change
    first.page.uncheck("input[data-kind='Population']")
    first.evaluate("window.spasmkg.explain('hydrochlorothiazide', 'muscle cramp', '')")
    first.page.locator("#chains button.chain-route").nth(1).click()
    fragment = first.evaluate("location.hash")
    assert (
        "focus=skg%3Amagnesium" in fragment
        and "chain=2" in fragment
        and "hide=Population" in fragment
    )
    again = Visit(browser, tmp_path / "spasmkg.html", fragment)
    assert again.errors == []
    assert again.evaluate("document.body.dataset.focused") == "skg:magnesium"
    assert again.page.is_checked("input[data-kind='Population']") is False
    routes = again.evaluate(
        "Array.from(document.querySelectorAll('#chains button.chain-route')).map((b) => b.textContent)"
    )
    second = explain(kg, "hydrochlorothiazide", "muscle cramp").chains[1]
    assert routes[1].startswith(second.route + "   [")
    on_the_way = {step.object.curie for step in second.steps}
    assert on_the_way <= set(again.evaluate("window.spasmkg.network.getSelectedNodes()"))


def test_back_and_forward_step_through_views(
    browser: Any, kg: spasmkg.KnowledgeGraph, tmp_path: Path
) -> None:
    visit = open_page(browser, kg, tmp_path)
    visit.evaluate("window.spasmkg.focusOn('magnesium')")
    visit.evaluate("window.spasmkg.focusOn('furosemide')")
    visit.page.go_back()
    assert visit.evaluate("document.body.dataset.focused") == "skg:magnesium"
    visit.page.go_forward()
    assert visit.evaluate("document.body.dataset.focused") == "skg:furosemide"
    assert visit.errors == []


def test_a_link_can_open_a_rare_disease(
    browser: Any, kg_all: spasmkg.KnowledgeGraph, tmp_path: Path
) -> None:
    visit = open_page(browser, kg_all, tmp_path, "#open=skg%3Amondo-0009293")
    assert {"skg:mondo-0009293", "skg:ncbigene-5837", "skg:hp-0003738"} <= drawn(visit)
    assert visit.errors == []


@pytest.fixture
def fresh_page(browser: Any, kg: spasmkg.KnowledgeGraph, tmp_path: Path) -> Visit:
    """The core's page in a tab of its own, showing the whole graph (one click from the
    opening view), for tests that change what it draws."""
    visit = open_page(browser, kg, tmp_path)
    visit.page.click("#whole")
    visit.page.wait_for_selector('body[data-settled="true"]', state="attached", timeout=60_000)
    return visit


def drawn_edges(visit: Visit) -> set[str]:
    """The ids of the claims the page draws now."""
    return set(visit.evaluate("window.spasmkg.drawnEdges()"))


def test_the_direction_filter_shows_what_is_refuted(
    fresh_page: Visit, kg: spasmkg.KnowledgeGraph
) -> None:
    for direction in ("supports", "inconclusive"):
        fresh_page.page.uncheck(f"input[data-filter='dirs'][value='{direction}']")
    refuted = {c.curie for c in kg.claims if any(i.direction == "refutes" for i in c.evidence)}
    assert drawn_edges(fresh_page) == refuted
    assert "claim:magnesium--relieves--muscle-cramp--in--older-adults" in refuted
    assert "dirs=" in fresh_page.evaluate("location.hash")
    fresh_page.page.check("input[data-filter='dirs'][value='supports']")
    assert "claim:furosemide--has-adverse-effect--hypokalemia" in drawn_edges(fresh_page)


def test_hiding_what_rests_on_the_curators_alone(
    fresh_page: Visit, kg: spasmkg.KnowledgeGraph
) -> None:
    before = drawn_edges(fresh_page)
    fresh_page.page.check("#hide-curated")
    curated = {c.curie for c in kg.claims if c.rests_on_curators}
    assert len(curated) == CORE.curators_alone and drawn_edges(fresh_page) == before - curated


def test_the_least_certainty_filter(fresh_page: Visit, kg: spasmkg.KnowledgeGraph) -> None:
    """Choosing the highest rank leaves the claims some source grades that high."""
    options = fresh_page.evaluate(
        "Array.from(document.querySelectorAll('#min-certainty option')).map((o) => o.value)"
    )
    top = int(options[-1])
    fresh_page.page.select_option("#min-certainty", str(top))
    graded = {c.curie for c in kg.claims if any(i.certainty_rank >= top for i in c.evidence)}
    assert graded and drawn_edges(fresh_page) == graded


def test_the_layer_filter_keeps_the_imported_layer_out(
    browser: Any, kg_all: spasmkg.KnowledgeGraph, tmp_path: Path
) -> None:
    visit = open_page(browser, kg_all, tmp_path)
    visit.page.uncheck("input[data-filter='layers'][value='hpo']")
    visit.evaluate("window.spasmkg.focusOn('glycogen storage disease V')")
    assert "skg:mondo-0009293" not in drawn(visit)
    assert (
        visit.page.inner_text("#search-status")
        == "glycogen storage disease V is hidden by a filter"
    )
    assert not {c.curie for c in kg_all.claims if c.layer == "hpo"} & drawn_edges(visit)
    assert visit.errors == []


def test_axe_finds_nothing_serious(fresh_page: Visit) -> None:
    """Opened, with a node's panel, and with chains listed: no serious or critical violation."""
    assert serious_violations(fresh_page) == []
    fresh_page.evaluate("window.spasmkg.focusOn('magnesium')")
    assert serious_violations(fresh_page) == []
    fresh_page.evaluate("window.spasmkg.explain('furosemide', 'muscle cramp', '')")
    assert serious_violations(fresh_page) == []
    fresh_page.evaluate("window.spasmkg.why('muscle cramp', 'furosemide', '', 'older adults')")
    assert serious_violations(fresh_page) == []
    assert fresh_page.outside_requests == []


def test_unknown_search_says_so(shipped: Visit) -> None:
    shipped.page.fill("#search", "zzzz")
    shipped.page.press("#search", "Enter")
    assert shipped.page.inner_text("#search-status") == "no node matches"


def test_kind_filter_hides_and_shows_nodes(fresh_page: Visit, kg: spasmkg.KnowledgeGraph) -> None:
    visible = "window.spasmkg.network.body.data.nodes.length"
    total = fresh_page.evaluate(visible)
    medications = sum(e.kind == "Medication" for e in kg.entities)
    fresh_page.page.uncheck('input[data-kind="Medication"]')
    assert total == len(kg.entities) and fresh_page.evaluate(visible) == total - medications
    fresh_page.page.check('input[data-kind="Medication"]')
    assert fresh_page.evaluate(visible) == total


def test_legend_lists_every_kind_with_its_count(shipped: Visit, kg: spasmkg.KnowledgeGraph) -> None:
    legend = shipped.page.inner_text("#kinds").splitlines()
    kinds = Counter(entity.kind_label for entity in kg.entities)
    assert legend == sorted(f"{label} ({n})" for label, n in kinds.items())
    assert "medication (71)" in legend and "warning sign (36)" in legend


def test_clicking_an_edge_shows_source_and_evidence(shipped: Visit) -> None:
    shipped.evaluate(
        "window.spasmkg.network.selectEdges(['claim:medical-cannabis--relieves--muscle-spasm--in--multiple-sclerosis'])"
    )
    shipped.page.evaluate(
        "(() => { const n = window.spasmkg.network; const id = 'claim:medical-cannabis--relieves--muscle-spasm--in--multiple-sclerosis';"
        " n.body.emitter.emit('click', {nodes: [], edges: [id], pointer: {DOM: {x: 0, y: 0}, canvas: {x: 0, y: 0}}}); })()"
    )
    info = shipped.page.inner_text("#info")
    assert "medical cannabis → muscle spasm" in info
    assert (
        "supports · not graded · author statement without traceable support used in manual assertion"
        in info
    )
    assert "multiple sclerosis" in info and "article passage: studies of medical cannabis" in info
    assert "none: the claim is bound to a context or its evidence disagrees" in info
    # each item's citation is a link a reader can follow
    links = shipped.page.eval_on_selector_all(
        "#info .evidence a", "(anchors) => anchors.map((a) => a.href)"
    )
    assert any(link.startswith("https://doi.org/") or "pubmed" in link for link in links), links
    directions = shipped.page.eval_on_selector_all(
        "#info .evidence", "(rows) => rows.map((row) => row.dataset.direction)"
    )
    assert set(directions) == {"supports"}


HOSTILE_TURTLE = f"""
@prefix skg: <https://w3id.org/spasmkg/entity/> .
@prefix skgo: <https://w3id.org/spasmkg/ontology/> .
@prefix claim: <https://w3id.org/spasmkg/claim/> .
@prefix source: <https://w3id.org/spasmkg/source/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ECO: <http://purl.obolibrary.org/obo/ECO_> .
@prefix evidence: <https://w3id.org/spasmkg/evidence/> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<javascript:alert(4)> a skgo:Condition ;
    rdfs:label "{HOSTILE}"@en ;
    skos:definition "<a href=\\"javascript:alert(2)\\">href</a>"@en ;
    skos:altLabel "</script><script>alert(3)</script>"@en ;
    prov:wasDerivedFrom source:hostile .

skg:b a skgo:Condition ;
    rdfs:label "b"@en ;
    skos:definition "a second node"@en ;
    prov:wasDerivedFrom source:hostile .

source:hostile a skgo:Curation ;
    rdfs:label "{HOSTILE}"@en ;
    skos:definition "<svg onload=alert(7)>"@en .

claim:hostile a skgo:Claim ;
    rdf:subject <javascript:alert(4)> ;
    rdf:predicate skgo:causes ;
    rdf:object skg:b ;
    rdfs:comment "<svg onload=alert(5)>"@en ;
    skgo:hasEvidence evidence:hostile ;
    skgo:modality skgo:possible .

evidence:hostile a skgo:EvidenceItem ;
    prov:wasDerivedFrom source:hostile-paper ;
    skgo:direction skgo:refutes ;
    skgo:evidenceType ECO:0000305 ;
    skgo:finding "<img src=x onerror=alert(8)>"@en ;
    skgo:population "<script>alert(9)</script>"@en .

source:hostile-paper a skgo:Publication ;
    rdfs:label "<img src=x onerror=alert(10)>"@en ;
    dcterms:title "<img src=x onerror=alert(10)>"@en ;
    rdfs:seeAlso "javascript:alert(11)" ;
    skos:definition "a paper whose every field is an attack"@en .
"""


def hostile_graph(data_copy: Path) -> spasmkg.KnowledgeGraph:
    """A data folder holding only two nodes and a claim whose every string is an attack."""
    for path in (data_copy / "graph").glob("*.ttl"):
        path.unlink()
    (data_copy / "graph" / "mappings.sssom.tsv").unlink()
    (data_copy / "graph" / "hostile.ttl").write_text(HOSTILE_TURTLE, encoding="utf-8")
    return spasmkg.load(data_copy)


def test_hostile_strings_run_nothing(browser: Any, tmp_path: Path, data_copy: Path) -> None:
    path = tmp_path / "hostile.html"
    write_page(hostile_graph(data_copy), path, title="<script>alert(6)</script>")
    visit = Visit(browser, path)
    visit.page.fill("#search", "img")
    visit.page.press("#search", "Enter")
    visit.page.mouse.move(700, 450)
    visit.page.wait_for_timeout(300)
    assert visit.dialogs == []
    assert visit.errors == []
    assert visit.page.title() == "<script>alert(6)</script>"
    assert visit.page.inner_text("h1") == "<script>alert(6)</script>"
    assert HOSTILE in visit.page.inner_text("#info")
    assert visit.page.query_selector("#info img") is None
    assert visit.page.query_selector("#info a[href^='javascript']") is None
    # the claim's panel: finding, population and citation shown as text, the link refused
    visit.page.evaluate(
        "(() => { const n = window.spasmkg.network;"
        " n.body.emitter.emit('click', {nodes: [], edges: ['claim:hostile'], pointer: {DOM: {x: 0, y: 0}, canvas: {x: 0, y: 0}}}); })()"
    )
    info = visit.page.inner_text("#info")
    assert "<img src=x onerror=alert(8)>" in info and "<script>alert(9)</script>" in info
    assert "refutes · not graded" in info
    assert visit.page.query_selector("#info img") is None
    assert visit.page.query_selector("#info a") is None
    assert visit.dialogs == [] and visit.errors == []
    assert visit.outside_requests == []


def test_pyvis_traps_are_avoided(data_copy: Path) -> None:
    """No CDN link, no innerHTML popup, and the heading escaped (pyvis 0.3.2's own template fails all three)."""
    page = render_selection(select(hostile_graph(data_copy), title="<b>x</b>"))
    assert "cdn.jsdelivr.net" not in page and "cdnjs.cloudflare.com" not in page
    assert "bootstrap" not in page.lower()
    script = page[page.rindex("<script>") :]
    assert "innerHTML" not in script
    assert "<h1>&lt;b&gt;x&lt;/b&gt;</h1>" in page
    assert HOSTILE not in page, "strings reach the page only as escaped JSON"
    assert "Content-Security-Policy" in page


def test_focus_page_holds_the_neighbourhood(kg: spasmkg.KnowledgeGraph) -> None:
    around = select(kg, "skg:magnesium", 1)
    assert {entity.curie for entity in around.entities} == {
        "skg:magnesium",
        "skg:magnesium-deficiency",
        "skg:electrolyte",
        "skg:muscle-contraction",
        "skg:muscle-cramp",  # magnesium relieves cramps in some groups, not in others
        "skg:eyelid-myokymia",  # a guideline's advice for eyelid twitching
    }


def test_html_command_with_focus(tmp_path: Path) -> None:
    out = tmp_path / "around.html"
    result = run_entry_point(
        "html", "--focus", "medical cannabis", "--depth", "1", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}: ")
    assert "spasmkg: around medical cannabis" in out.read_text()


def page_nodes(page: str) -> dict[str, dict[str, Any]]:
    """The nodes a rendered page carries, by id, read from its data block."""
    block = page.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    return {node["id"]: node for node in json.loads(block)["nodes"]}


def test_a_focus_page_draws_its_whole_neighbourhood(kg_all: spasmkg.KnowledgeGraph) -> None:
    """Around a rare disease every node is drawn at once; the whole page holds the imported
    nodes back until they are found or expanded."""
    around = page_nodes(render_selection(select(kg_all, "glycogen storage disease V")))
    assert {
        "skg:mondo-0009293",
        "skg:ncbigene-5837",
        "skg:exercise-associated-muscle-cramp",
    } <= set(around)
    assert all(node["drawn"] for node in around.values())
    assert not any(node.get("start") for node in around.values()), "no opening view"
    whole = page_nodes(render_selection(select(kg_all)))
    assert not whole["skg:mondo-0009293"]["drawn"] and whole["skg:muscle-cramp"]["drawn"]
    assert sum(node["drawn"] for node in whole.values()) == CORE.nodes
    # drawn at opening: muscle spasm and its core neighbours
    assert {i for i, node in whole.items() if node.get("start")} == opening_view(kg_all)


def test_html_command_unknown_focus_exits_3(tmp_path: Path) -> None:
    result = run_entry_point(
        "html", "--focus", "nothing-like-it", "--out", str(tmp_path / "x.html")
    )
    assert result.returncode == 3
    assert not (tmp_path / "x.html").exists()


def test_huge_and_deceptive_text_is_bounded_and_cleaned(
    browser: Any, tmp_path: Path, data_copy: Path
) -> None:
    """Defect: a 50 KB label shrank the graph to a dot, a 10 MB definition froze the tab, and
    a right-to-left override showed gnp.exe as exe.png."""
    hostile_graph(data_copy)
    hostile = data_copy / "graph" / "hostile.ttl"
    text = hostile.read_text(encoding="utf-8")
    text = text.replace('rdfs:label "b"@en', 'rdfs:label "' + "b" * 50_000 + '"@en')
    text = text.replace(
        'skos:definition "a second node"@en', 'skos:definition "' + "d" * 10_000_000 + '"@en'
    )
    text = text.replace("<svg onload=alert(5)>", "open me: invoice\u202egnp.exe")
    hostile.write_text(text, encoding="utf-8")
    kg = spasmkg.load(data_copy)
    path = tmp_path / "big.html"
    write_page(kg, path)
    assert path.stat().st_size < 2_000_000, "the 10 MB definition is cut"
    visit = Visit(browser, path)
    labels = visit.evaluate("window.spasmkg.nodes.get().map((n) => n.label.length)")
    assert max(labels) <= 60
    visit.evaluate(
        "window.spasmkg.network.body.emitter.emit('click', {nodes: [], edges: ['claim:hostile'], "
        "pointer: {DOM: {x: 0, y: 0}, canvas: {x: 0, y: 0}}})"
    )
    info = visit.page.inner_text("#info")
    assert "open me: invoicegnp.exe" in info and "\u202e" not in info
    assert visit.errors == []


def library_why(
    kg: spasmkg.KnowledgeGraph, symptom: str, takes: list[str], has: list[str], groups: list[str]
) -> dict[str, Any]:
    """The library's why answer in the shape the page reports it."""
    from spasmkg.ask.why import Asker

    answer = Asker(kg).why(symptom, takes, has, groups)
    return {
        "red_flags": [flag.sign.curie for flag in answer.red_flags],
        "explanations": [
            [reason.cause.curie if reason.came_from else None, reason.chain.route]
            for reason in answer.explanations
        ],
        "rare_causes": [cause.disease.curie for cause in answer.rare_causes],
        "may_help": [measure.claim.curie for measure in answer.may_help],
        "does_not_help": [measure.claim.curie for measure in answer.does_not_help],
        "mimics": [mimic.condition.curie for mimic in answer.mimics],
    }


@pytest.mark.parametrize(
    ("symptom", "takes", "has", "groups"),
    [
        ("muscle cramp", ["furosemide", "atorvastatin"], [], ["older adults"]),
        ("muscle cramp", ["hydrochlorothiazide"], ["liver cirrhosis"], []),
        ("nocturnal leg cramp", [], [], ["pregnant people"]),
        ("muscle twitch", [], [], []),
        ("spasticity", ["baclofen"], ["multiple sclerosis"], []),
    ],
)
def test_the_pages_why_gives_the_answer_of_spasmkg_why(
    shipped: Visit,
    kg: spasmkg.KnowledgeGraph,
    symptom: str,
    takes: list[str],
    has: list[str],
    groups: list[str],
) -> None:
    """The page's "Why?" panel applies the library's rules to the page's claims: the same
    warning signs, reasons, help and mimics, in the same order."""
    expected = library_why(kg, symptom, takes, has, groups)
    answer = shipped.evaluate(
        f"window.spasmkg.why({symptom!r}, {', '.join(takes)!r}, {', '.join(has)!r}, {', '.join(groups)!r})"
    )
    assert answer == expected


def test_the_why_panel_lists_signs_first_and_highlights_a_reason(shipped: Visit) -> None:
    shipped.page.fill("#why-symptom", "muscle cramp")
    shipped.page.fill("#why-takes", "furosemide")
    shipped.page.click("#why button[type=submit]")
    groups = shipped.evaluate(
        "Array.from(document.querySelectorAll('#why-answer > li.why-group')).map((g) => g.dataset.group)"
    )
    assert groups[0] == "red_flags" and "explanations" in groups
    shipped.page.locator("#why-answer li[data-group='explanations'] button").first.click()
    selected = shipped.evaluate("window.spasmkg.network.getSelectedNodes()")
    assert {"skg:furosemide", "skg:hypokalemia", "skg:muscle-cramp"} <= set(selected)
