"""The interactive page at 5,000 nodes, in headless Chromium: time to a settled layout, node
count, search, and the time to redraw after a zoom (what a user feels when interacting).

    python benchmarks/bench_html.py --triples 130000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, save

sys.path.insert(0, str(REPO / "src"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
REDRAW = """() => new Promise((resolve) => {
  const network = window.spasmkg.network;
  const started = performance.now();
  network.once("afterDrawing", () => resolve(performance.now() - started));
  network.moveTo({ scale: network.getScale() * 1.2 });
})"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", default="130000", help="1.3e5 triples give about 5,000 nodes")
    parser.add_argument("--work", type=Path, default=Path("/tmp/spasmkg-bench"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    from synthetic import generate

    import spasmkg
    from spasmkg.outputs.network import to_networkx
    from spasmkg.outputs.page import write_page

    folder = args.work / f"synthetic-{int(float(args.triples))}"
    if not folder.exists():
        generate(int(float(args.triples)), folder)
    kg = spasmkg.load(folder)
    graph = to_networkx(kg)
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "big.html"
        started = time.perf_counter()
        write_page(kg, page_path)
        write_s = time.perf_counter() - started
        page_mb = page_path.stat().st_size / 1e6
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            started = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_selector('body[data-settled="true"]', state="attached", timeout=600_000)
            settled_s = time.perf_counter() - started
            nodes = page.evaluate("window.spasmkg.nodes.length")
            redraws = [page.evaluate(REDRAW) for _ in range(9)]
            started = time.perf_counter()
            page.fill("#search", "entity 4321")
            page.press("#search", "Enter")
            focused = page.evaluate("document.body.dataset.focused")
            search_s = time.perf_counter() - started
            page.screenshot(path=str(REPO / "benchmarks" / "results" / "html-5000.png"))
            browser.close()
    save(
        "html",
        {
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "nodes_in_page": nodes,
            "write_page_s": round(write_s, 3),
            "page_size_mb": round(page_mb, 2),
            "load_to_settled_s": round(settled_s, 2),
            "redraw_after_zoom_median_ms": round(statistics.median(redraws), 1),
            "search_and_focus_s": round(search_s, 3),
            "focused": focused,
            "page_errors": errors,
        },
    )


if __name__ == "__main__":
    main()
