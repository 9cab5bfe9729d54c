"""Regenerate the README's picture of the graph: build the page, open it in headless Chromium,
let the layout settle, and save a screenshot.

    python scripts/screenshot.py docs/graph.png [--focus magnesium]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

import spasmkg
from spasmkg.outputs.network import to_networkx
from spasmkg.outputs.page import write_page

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def main() -> None:
    """Write the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--focus", default=None, help="search for this node before the shot")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "spasmkg.html"
        write_page(to_networkx(spasmkg.load()), page_path)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            page.goto(page_path.as_uri())
            page.wait_for_selector('body[data-settled="true"]', state="attached", timeout=60_000)
            page.evaluate("window.spasmkg.network.fit()")
            if args.focus:
                page.fill("#search", args.focus)
                page.press("#search", "Enter")
            page.wait_for_timeout(800)
            page.screenshot(path=str(args.out))
            browser.close()


if __name__ == "__main__":
    main()
