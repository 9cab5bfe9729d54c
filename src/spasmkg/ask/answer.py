"""Answer a query in one call: find it, check it is read-only, bind its parameters, run it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from rdflib import URIRef

from spasmkg.ask.engines import Engine, make_engine
from spasmkg.ask.library import NamedQuery, adhoc_query, bind_params, find_query
from spasmkg.ask.results import QueryResult
from spasmkg.ask.safety import check_read_only
from spasmkg.errors import UsageError
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.loader import load


def entity_resolver(kg: KnowledgeGraph) -> Callable[[str], URIRef]:
    """Turn a name a user typed into the IRI of the one entity it names."""
    return lambda term: URIRef(kg.entity(term).iri)


def run_query(
    named: NamedQuery,
    engine: Engine,
    values: Mapping[str, str],
    resolve_entity: Callable[[str], URIRef],
    *,
    allow_service: bool = False,
    allow_remote: bool = False,
) -> QueryResult:
    """Check a query is read-only, bind its parameters, and answer it with an engine."""
    shape = check_read_only(
        named.text, named.name, allow_service=allow_service, allow_remote=allow_remote
    )
    bindings = bind_params(named, values, resolve_entity)
    return engine.run(shape, bindings)


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
        raise UsageError("give either a query name (or file) or SPARQL text, not both")
    graph_data = kg or load(root)
    named = adhoc_query(sparql) if sparql is not None else find_query(str(name), graph_data.paths)
    runner = make_engine(engine, None if endpoint else graph_data, endpoint)
    return run_query(
        named,
        runner,
        params or {},
        entity_resolver(graph_data),
        allow_service=allow_service,
        allow_remote=allow_remote,
    )
