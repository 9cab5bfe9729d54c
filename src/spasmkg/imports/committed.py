"""An imported layer's committed file: written whole, or checked against a fresh import."""

from __future__ import annotations

import difflib
from pathlib import Path

from spasmkg.errors import StaleImport
from spasmkg.system import write_atomically


def commit(path: Path, text: str, *, check: bool, layer: str) -> bool:
    """Write a layer's file when its text changed, or with ``check`` only compare; True when
    the committed file differs from ``text``.

    :raises StaleImport: with ``check``, the committed file differs (the first lines of the
        difference are in the message).
    """
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    changed = old != text
    if check and changed:
        diff = difflib.unified_diff(
            old.splitlines(), text.splitlines(), "committed", "fresh import", lineterm="", n=0
        )
        shown = "\n".join(list(diff)[:20])
        raise StaleImport(
            f"{path}: differs from a fresh import; run 'spasmkg import {layer}' and commit it"
            f"\n{shown}"
        )
    if changed and not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
    return changed
