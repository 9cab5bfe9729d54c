"""Regenerate the README's pictures of the page: build it, open it in headless Chromium (at a
view of the URL fragment, if given), let the layout settle, and save a screenshot.

    python scripts/screenshot.py docs/graph.png [--focus magnesium]
    python scripts/screenshot.py docs/explain.png --view "from=furosemide&to=muscle cramp&chain=1"
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

import spasmkg
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
    parser.add_argument(
        "--view", default="", help="a view as the page's URL fragment holds it (without the #)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "spasmkg.html"
        write_page(spasmkg.load(), page_path)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            fragment = "#" + quote(args.view, safe="=&:") if args.view else ""
            page.goto(page_path.as_uri() + fragment)
            page.wait_for_selector('body[data-settled="true"]', state="attached", timeout=60_000)
            if not args.view:
                page.evaluate("window.spasmkg.network.fit()")
            if args.focus:
                page.fill("#search", args.focus)
                page.press("#search", "Enter")
            page.wait_for_timeout(800)
            page.screenshot(path=str(args.out))
            browser.close()


if __name__ == "__main__":
    main()
