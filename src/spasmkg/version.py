"""The version of spasmkg, in one place, and where this copy was installed from, so that a
hint to install an extra names a command that works for it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

__version__ = "0.2.0"
#: The date this version was released, as CITATION.cff and the CHANGELOG give it; the dated
#: metadata the build writes carries it, so a build of one version is the same bytes any day.
RELEASED = "2026-12-07"


def origin() -> dict[str, Any] | None:
    """How pip recorded this installation (PEP 610 ``direct_url.json``), or None for an
    install from a package index or a checkout run with ``PYTHONPATH=src``."""
    from importlib import metadata  # on first use: every command imports this module

    try:
        recorded = metadata.distribution("spasmkg").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    return json.loads(recorded) if recorded else None


def checkout() -> Path | None:
    """The source checkout this module runs from, if it runs from one."""
    top = Path(__file__).resolve().parents[2]
    return top if (top / "pyproject.toml").is_file() else None


def install_hint(extra: str = "") -> str:
    """The command that adds an extra to this installation of spasmkg (or, with none,
    installs it again with its dependencies)."""
    return hint_for(origin(), extra, prefix=sys.prefix, source=checkout())


def hint_for(
    recorded: dict[str, Any] | None, extra: str, *, prefix: str, source: Path | None
) -> str:
    """The install command for an extra, given where spasmkg came from: a folder (editable or
    not), a wheel or archive, a version-control URL, pipx, or a package index."""
    wanted = f"spasmkg[{extra}]" if extra else "spasmkg"
    bracket = f"[{extra}]" if extra else ""
    url = str((recorded or {}).get("url", ""))
    where = unquote(urlparse(url).path) if url.startswith("file://") else ""
    if not where and recorded is None and source is not None:
        where = str(source)
    if "vcs_info" in (recorded or {}):
        vcs = recorded["vcs_info"]["vcs"] if recorded else "git"
        target = f"'{wanted} @ {vcs}+{url}'"
    elif where and Path(where).suffix in {".whl", ".gz", ".zip"}:
        target = f"'{wanted} @ {url}'"
    elif where:
        editable = bool((recorded or {}).get("dir_info", {}).get("editable"))
        target = f"{'-e ' if editable else ''}'{where}{bracket}'"
    else:
        target = f"'{wanted}'"
    if f"{Path('pipx', 'venvs')}" in prefix:
        return f"pipx install --force {target.removeprefix('-e ')}"
    return f"pip install {target}"
