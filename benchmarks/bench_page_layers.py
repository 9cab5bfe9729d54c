"""The page with and without the imported HPO layers, in headless Chromium: opening, expanding.

    python benchmarks/bench_page_layers.py --runs 5

Side by side in one run, interleaved: the page of the core (``spasmkg html --layer core``), the
page with the default layers (``--layer all``, as ``spasmkg build`` writes it) and the page
with the grown HPO layer (``--layer all,hpo-movement``), each opened in a fresh tab: time from
navigation to a settled layout (and, on the page's own clock, to its first draw and its
settled layout), the JavaScript heap once settled, a redraw after a zoom step and the median
redraw while panning; then, on each layered page, a rare disease found by search and opened
with its neighbours (time until it is drawn), and the heap after. Medians, and the load
average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import REPO, save

sys.path.insert(0, str(REPO / "src"))
from bench_html import ARGS, REDRAW

DISEASE = "glycogen storage disease V"
GROWN = "all,hpo-movement"
MARK = "performance.getEntriesByName('{}')[0].startTime / 1000"
PAN = """() => new Promise((resolve) => {
  const network = window.spasmkg.network;
  const started = performance.now();
  const at = network.getViewPosition();
  network.once("afterDrawing", () => resolve(performance.now() - started));
  network.moveTo({ position: { x: at.x + 40, y: at.y } });
})"""
DRAWN_AFTER = """(text) => new Promise((resolve) => {
  const network = window.spasmkg.network;
  const started = performance.now();
  network.once("afterDrawing", () => resolve([performance.now() - started, window.spasmkg.drawn().length]));
  window.spasmkg.focusOn(text);
})"""


def heap_mib(page: Any) -> float:
    """The tab's used JavaScript heap, from Chromium's own performance metrics."""
    session = page.context.new_cdp_session(page)
    session.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
    return float(metrics["JSHeapUsedSize"]) / 2**20


def open_page(browser: Any, path: Path) -> tuple[Any, float]:
    """A fresh tab on a page, and the seconds until its layout settled."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector('body[data-settled="true"]', state="attached", timeout=600_000)
    return page, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    import spasmkg
    from spasmkg.outputs.page import write_page

    folder = Path(tempfile.mkdtemp())
    pages = {}
    for layer in ("core", "all", GROWN):
        pages[layer] = folder / f"{layer.replace(',', '+')}.html"
        write_page(spasmkg.load(layer=layer), pages[layer])
    load_before = os.getloadavg()
    results: dict[str, dict[str, list[float]]] = {layer: {} for layer in pages}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for _ in range(args.runs):
            for layer, path in pages.items():
                page, settled = open_page(browser, path)
                found = results[layer]
                found.setdefault("open_to_settled_s", []).append(settled)
                found.setdefault("first_draw_s (page clock)", []).append(
                    page.evaluate(MARK.format("spasmkg-first-draw"))
                )
                found.setdefault("settled_s (page clock)", []).append(
                    page.evaluate(MARK.format("spasmkg-settled"))
                )
                found.setdefault("redraw_while_panning_ms", []).append(
                    statistics.median(page.evaluate(PAN) for _ in range(9))
                )
                found.setdefault("heap_settled_mib", []).append(heap_mib(page))
                found.setdefault("drawn_at_opening", []).append(
                    page.evaluate("window.spasmkg.drawn().length")
                )
                found.setdefault("redraw_after_zoom_ms", []).append(page.evaluate(REDRAW))
                if layer != "core":
                    expand_ms, drawn = page.evaluate(DRAWN_AFTER, DISEASE)
                    found.setdefault("search_and_expand_ms", []).append(expand_ms)
                    found.setdefault("drawn_after_expand", []).append(drawn)
                    found.setdefault("heap_after_expand_mib", []).append(heap_mib(page))
                page.close()
        browser.close()
    medians = {
        layer: {name: round(statistics.median(values), 2) for name, values in found.items()}
        for layer, found in results.items()
    }
    save(
        "page_layers",
        {
            "runs": args.runs,
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in os.getloadavg()],
            "page_mb": {
                layer: round(path.stat().st_size / 1e6, 2) for layer, path in pages.items()
            },
            "medians": medians,
            "ratios": {
                "open all / open core": round(
                    medians["all"]["open_to_settled_s"] / medians["core"]["open_to_settled_s"], 2
                ),
                "heap all / heap core": round(
                    medians["all"]["heap_settled_mib"] / medians["core"]["heap_settled_mib"], 2
                ),
                f"open {GROWN} / open all": round(
                    medians[GROWN]["open_to_settled_s"] / medians["all"]["open_to_settled_s"], 2
                ),
                f"heap {GROWN} / heap all": round(
                    medians[GROWN]["heap_settled_mib"] / medians["all"]["heap_settled_mib"], 2
                ),
            },
        },
    )


if __name__ == "__main__":
    main()
