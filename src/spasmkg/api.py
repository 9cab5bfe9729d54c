"""High-level calls for notebooks and the command line: query and look up in one line."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

from rdflib import URIRef

from spasmkg.engines import make_engine
from spasmkg.errors import QueryError
from spasmkg.loader import KnowledgeGraph, load
from spasmkg.lookup import EntityIndex, EntityRecord
from spasmkg.paths import data_paths
from spasmkg.queries import adhoc_query, find_query, run_query
from spasmkg.results import QueryResult


def lazy_resolver(kg: KnowledgeGraph) -> Callable[[str], URIRef]:
    """Resolve entity names, building the name index only if a parameter needs it, and once."""

    @cache
    def index() -> EntityIndex:
        return EntityIndex(kg)

    return lambda term: index().resolve(term)


def query(
    name: str | None = None,
    params: Mapping[str, str] | None = None,
    *,
    sparql: str | None = None,
    kg: KnowledgeGraph | None = None,
    engine: str = "rdflib",
    endpoint: str | None = None,
    allow_service: bool = False,
    allow_remote: bool = False,
    root: Path | str | None = None,
) -> QueryResult:
    """Answer a named query (or ``.rq`` file), or SPARQL text given as ``sparql``.

    :param params: parameter values as the user would type them (``{"condition": "cramp"}``).
    :param engine: ``rdflib``, ``oxigraph`` or ``auto``; ignored with ``endpoint``.
    :raises QueryRefused: the query would write, or reach outside the graph, unasked.
    """
    if (name is None) == (sparql is None):
        raise QueryError("give either a query name (or file) or SPARQL text, not both")
    graph_data = kg or load(root)
    named = adhoc_query(sparql) if sparql is not None else find_query(str(name), data_paths(root))
    runner = make_engine(engine, None if endpoint else graph_data.union(), endpoint)
    return run_query(
        named,
        runner,
        params or {},
        lazy_resolver(graph_data),
        allow_service=allow_service,
        allow_remote=allow_remote,
    )


def lookup(
    term: str, *, kg: KnowledgeGraph | None = None, root: Path | str | None = None
) -> list[EntityRecord]:
    """Every entity a label, synonym, IRI or external identifier names."""
    return EntityIndex(kg or load(root)).lookup(term)
