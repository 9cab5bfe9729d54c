"""Mermaid output, drawn by Mermaid itself (vendored, pinned) in headless Chromium, offline."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

import spasmkg
from spasmkg.ask.explain import explain
from spasmkg.outputs.mermaid import chains_chart, escape, selection_chart
from spasmkg.outputs.page import Selection, select
from tests.helpers import REPO, run_entry_point

MERMAID = REPO / "tests" / "vendor" / "mermaid" / "mermaid.min.js"
MERMAID_SHA256 = "07e37dfa97b337ccc85365d57eddf99b9706f09db3b59b260d0333b23b343c4b"
ATTACKS = (
    'x"] --> evil["y',
    "a|b --> c",
    "click n0 call alert(1)",
    "<img src=x onerror=alert(1)>",
    "%% comment\nflowchart TD",
    "#quot; ]] ;; {{}}",
)
RENDER = """async (charts) => {
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  const results = [];
  for (const [index, chart] of charts.entries()) {
    try {
      const { svg } = await mermaid.render("chart" + index, chart);
      const box = document.createElement("div");
      box.innerHTML = svg;
      document.body.appendChild(box);
      results.push({ ok: true, text: box.textContent, images: box.querySelectorAll("img, script").length });
    } catch (error) {
      results.push({ ok: false, error: String(error) });
    }
  }
  return results;
}"""


def draw(browser: Any, tmp_path: Path, charts: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Render charts with the vendored Mermaid; the results and anything the page logged,
    requested outside its folder or tried to alert."""
    assert hashlib.sha256(MERMAID.read_bytes()).hexdigest() == MERMAID_SHA256
    page_path = tmp_path / "mermaid.html"
    page_path.write_text(
        f'<!DOCTYPE html><meta charset="utf-8"><script src="{MERMAID.as_uri()}"></script>', "utf-8"
    )
    page = browser.new_page()
    troubles: list[str] = []
    page.on("pageerror", lambda e: troubles.append(str(e)))
    page.on("console", lambda m: troubles.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (troubles.append("dialog " + d.message), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith("file://") else troubles.append(r.url))
    page.goto(page_path.as_uri())
    results = page.evaluate(RENDER, charts)
    page.close()
    return results, troubles


def test_explain_and_a_neighbourhood_render_without_a_parse_error(
    browser: Any, tmp_path: Path, kg: spasmkg.KnowledgeGraph
) -> None:
    """furosemide to muscle cramp through low potassium, and the claims around magnesium
    (refuted ones included), drawn with every label readable."""
    chains = explain(kg, "furosemide", "muscle cramp", max_length=2).chains
    charts = [
        chains_chart(chains, "furosemide", "muscle cramp"),
        selection_chart(select(kg, "magnesium", 1)),
    ]
    results, troubles = draw(browser, tmp_path, charts)
    assert troubles == []
    assert all(result["ok"] for result in results), results
    assert (
        "hypokalemia" in results[0]["text"]
        and "has adverse effect (supported, possible)" in results[0]["text"]
    )
    assert "weakest step" in results[0]["text"]
    assert "relieves (not supported" in results[1]["text"], "magnesium for older adults' cramps"


def test_hostile_labels_stay_text(browser: Any, tmp_path: Path, kg: spasmkg.KnowledgeGraph) -> None:
    """Labels that try to close a node, open a link, add a click handler, start a comment or
    inject markup are drawn as the text they are, and nothing runs."""
    cramp, claim = kg.entity("muscle cramp"), kg.claims_about("muscle cramp")[0]
    entities = tuple(
        dataclasses.replace(cramp, iri=f"urn:x:{i}", label=text) for i, text in enumerate(ATTACKS)
    )
    claims = tuple(
        dataclasses.replace(claim, subject=a, object=b, context=None)
        for a, b in itertools.pairwise(entities)
    )
    chart = selection_chart(Selection(entities, claims, heading="<script>alert(6)</script>"))
    assert '"]' not in chart.replace('"]\n', "\n").replace('"] ', " ")  # only our own node ends
    results, troubles = draw(browser, tmp_path, [chart])
    assert troubles == []
    (result,) = results
    assert result["ok"], result
    assert result["images"] == 0
    for attack in ATTACKS:
        assert (
            attack.replace("\n", "") in result["text"].replace("\n", "")
            or attack.split("\n")[0] in result["text"]
        )


def test_escape_leaves_nothing_mermaid_could_read() -> None:
    assert escape('a"b|c]d;e#f<g') == "a#34;b#124;c#93;d#59;e#35;f#60;g"
    assert escape("muscle cramp (nocturnal), 2/3") == "muscle cramp (nocturnal), 2/3"
    assert escape("x" * 500).endswith("#8230;") and len(escape("x" * 500)) < 90


def test_the_commands_print_mermaid(tmp_path: Path) -> None:
    result = run_entry_point(
        "explain",
        "furosemide",
        "muscle cramp",
        "--max-length",
        "2",
        "--format",
        "mermaid",
        "--layer",
        "core",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("flowchart LR\n") and '["hypokalemia"]' in result.stdout
    out = tmp_path / "around.mmd"
    result = run_entry_point(
        "html", "--focus", "magnesium", "--format", "mermaid", "--out", str(out), "--layer", "core"
    )
    assert result.returncode == 0, result.stderr
    assert out.read_text("utf-8").startswith("flowchart LR\n")
    assert json.dumps(result.stdout)  # prints where it wrote, nothing else
    assert result.stdout == f"wrote {out}\n"
