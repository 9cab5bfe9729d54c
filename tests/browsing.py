"""What the browser tests share: a tab that records what a page logged, requested or tried to
alert, and axe-core's serious findings on it."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.helpers import REPO

AXE = REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb"


class Tab:
    """A page opened in a fresh browser context; requests outside ``home`` count as outside
    requests (``bypass_csp`` only for injecting axe-core into a page whose policy forbids it)."""

    def __init__(self, browser: Any, url: str, home: str, *, bypass_csp: bool = False) -> None:
        self.home = home
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(
            viewport={"width": 1400, "height": 900}, bypass_csp=bypass_csp
        )
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)

    def evaluate(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    @property
    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.home)]

    def close(self) -> None:
        self.context.close()


def serious_violations(tab: Tab) -> list[tuple[str, str, list[str]]]:
    """What axe-core (vendored, pinned) finds serious or critical on the page as it is now."""
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256
    if not tab.evaluate("typeof window.axe === 'object'"):
        tab.page.add_script_tag(path=str(AXE))
    found = tab.evaluate(
        """axe.run(document, { resultTypes: ["violations"] }).then((result) => result.violations
             .filter((v) => v.impact === "serious" || v.impact === "critical")
             .map((v) => [v.id, v.impact, v.nodes.map((n) => n.target.join(" "))]))"""
    )
    return [tuple(v) for v in found]
