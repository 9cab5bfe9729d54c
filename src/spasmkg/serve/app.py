"""A served site assembled from a loaded graph: its records, downloads and named queries, the
routes over them, and a server whose workers hold the graph's N-Quads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from spasmkg.ask.library import library
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.serve.routes import Routes
from spasmkg.serve.server import Server
from spasmkg.serve.site import Site, build_downloads


def site_server(
    kg: KnowledgeGraph,
    dist: Path | None = None,
    step: Callable[[str], None] = lambda _: None,
    **options: Any,
) -> Server:
    """A server of the whole site for a graph (not started); ``options`` go to :class:`Server`.

    :raises SpasmKGError: ``dist`` is not a build of this graph's data.
    """
    site = Site.of(kg, build_downloads(kg, dist, step), library(kg.paths).values())
    nquads = site.downloads["spasmkg.nq"].body
    return Server(nquads, routes=Routes(site), prefixes=kg.prefixes, **options)
