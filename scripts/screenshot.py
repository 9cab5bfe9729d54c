"""Regenerate the README's pictures: the page (built, opened in headless Chromium at a view of
the URL fragment, if given, its layout settled), or a path of the served site (``spasmkg serve``
started on a free port; on the editor, the named query its fragment names is run first).

    python scripts/screenshot.py docs/graph.png [--focus magnesium]
    python scripts/screenshot.py docs/explain.png --view "from=furosemide&to=muscle cramp&chain=1"
    python scripts/screenshot.py docs/editor.png --served "/editor#medications-causing-spasm"
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
    parser.add_argument(
        "--served", default=None, metavar="PATH", help="a path of the served site instead"
    )
    args = parser.parse_args()
    if args.served:
        served_shot(args.served, args.out)
        return
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


def served_shot(path: str, out: Path) -> None:
    """A screenshot of one path of the site, as ``spasmkg serve`` serves it."""
    from spasmkg.serve.app import site_server

    with site_server(spasmkg.load(), port=0) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 950})
        page.goto(server.base + path)
        if path.startswith("/editor"):
            page.wait_for_selector(".yasqe .CodeMirror", timeout=60_000)
            page.click(".yasqe_queryButton")
            page.wait_for_selector(".yasr_response_chip", timeout=60_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(out))
        browser.close()


if __name__ == "__main__":
    main()
