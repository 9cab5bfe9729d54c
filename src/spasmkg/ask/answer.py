"""Answer a query in one call: find it, check it is read-only, bind its parameters, run it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from spasmkg.ask.engines import Engine, make_engine
from spasmkg.ask.library import NamedQuery, adhoc_query, bind_params, find_query, with_prefixes
from spasmkg.ask.results import QueryResult
from spasmkg.ask.safety import check_read_only
from spasmkg.errors import EndpointError, QueryTimeout, SpasmKGError, UsageError
from spasmkg.model.compiled import loaded, query_graph
from spasmkg.model.curie import known_prefixes

if TYPE_CHECKING:  # the loader (and rdflib) is imported when rdflib's engine is chosen
    from spasmkg.ask.endpoint_engine import EndpointEngine
    from spasmkg.model.graph import Queryable

T = TypeVar("T")


def entity_resolver(kg: Queryable) -> Callable[[str], str]:
    """Turn a name a user typed into the IRI of the one entity it names."""
    return lambda term: kg.entity(term).iri


def within(seconds: float | None, work: Callable[[], T], what: str) -> T:
    """Do some work, giving up after ``seconds``.

    The work runs in a daemon thread that both engines let run beside the caller (pyoxigraph
    releases the GIL while it evaluates). A command gives up and exits, which ends the thread;
    in a notebook the abandoned query finishes in the background.

    :raises QueryTimeout: the work did not finish in time.
    """
    if seconds is None:
        return work()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True, name="spasmkg-query")
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise QueryTimeout(f"{what}: no answer within {seconds:g} s (--timeout allows longer)")
    if "error" in outcome:
        raise outcome["error"]
    return cast(T, outcome["value"])


def run_query(
    named: NamedQuery,
    engine: Engine,
    values: Mapping[str, str],
    resolve_entity: Callable[[str], str],
    *,
    allow_service: bool = False,
    allow_remote: bool = False,
    timeout: float | None = None,
    cache: bool = True,
) -> QueryResult:
    """Check a query is read-only, bind its parameters, and answer it with an engine; with
    ``cache``, a named query's outline is kept for the next run (:mod:`spasmkg.ask.outlines`)."""
    shape = check_read_only(
        with_prefixes(named.text, known_prefixes()),
        named.name,
        allow_service=allow_service,
        allow_remote=allow_remote,
        remember=cache and named.path is not None,
    )
    bindings = bind_params(named, values, resolve_entity)
    return within(timeout, lambda: engine.run(shape, bindings), named.name)


def query(
    name: str | None = None,
    params: Mapping[str, str] | None = None,
    *,
    sparql: str | None = None,
    kg: Queryable | None = None,
    engine: str = "auto",
    endpoint: str | None = None,
    allow_service: bool = False,
    allow_remote: bool = False,
    root: Path | str | None = None,
    layer: str | Sequence[str] = "all",
    cache: bool = True,
    timeout: float | None = None,
) -> QueryResult:
    """Answer a named query (or ``.rq`` file), or SPARQL text given as ``sparql``.

    :param params: parameter values as the user would type them (``{"condition": "cramp"}``).
    :param kg: the graph to ask; by default the data folder ``root``'s, with ``layer`` (see
        :func:`spasmkg.load`), compiled for questions (``cache``) or, for rdflib's engine,
        loaded.
    :param engine: ``rdflib``, ``oxigraph`` or ``auto``; ignored with ``endpoint``.
    :param timeout: seconds the answer may take (a remote endpoint's whole answer included).
    :raises QueryRefused: the query would write, or reach outside the graph, unasked.
    :raises QueryTimeout: no answer within ``timeout``.
    """
    if (name is None) == (sparql is None):
        raise UsageError("give either a query name (or file) or SPARQL text, not both")
    # rdflib's engine needs the graph itself; every other engine answers from the store
    graph_data = kg or (
        loaded(root, layer)
        if engine == "rdflib" and not endpoint
        else query_graph(root, layer=layer, cache=cache)
    )
    named = adhoc_query(sparql) if sparql is not None else find_query(str(name), graph_data.paths)
    runner = make_engine(engine, graph_data, endpoint, timeout=timeout)
    result = run_query(
        named,
        runner,
        params or {},
        entity_resolver(graph_data),
        allow_service=allow_service,
        allow_remote=allow_remote,
        timeout=None if endpoint else timeout,
        cache=cache,
    )
    result.labels = graph_data.labels
    if endpoint and not result.size():
        result.warnings.extend(
            empty_remote_answer(
                cast("EndpointEngine", runner),
                result.form,
                lambda: local_size(named, engine, graph_data, params, timeout),
            )
        )
    return result


def local_size(
    named: NamedQuery,
    engine: str,
    kg: Queryable,
    params: Mapping[str, str] | None,
    timeout: float | None,
) -> int | None:
    """How much the local engine answers to a query (None if it cannot answer it)."""
    try:
        local = run_query(
            named, make_engine(engine, kg), params or {}, entity_resolver(kg), timeout=timeout
        )
    except SpasmKGError:
        return None
    return local.size()


def empty_remote_answer(
    remote: EndpointEngine, form: str, local: Callable[[], int | None]
) -> list[str]:
    """A one-line warning for an empty answer from a remote store, with its likely cause:
    the store's default graph (as asked) is empty, or it holds another graph than the local
    one; nothing when the local engine answers nothing too and the store holds triples.

    An answer lost for want of a warning looks like a true "none": after a push into one
    named graph, every named query answered 0 rows from Oxigraph with exit 0.
    """
    try:
        empty = remote.default_graph_empty()
    except EndpointError:
        empty = False
    size = local()
    if not size:
        found = ""
    elif form == "ASK":
        found = "true"
    else:
        found = f"{size} {'rows' if form == 'SELECT' else 'triples'}"
    if empty:
        where = f"the local graph answers {found}" if found else "no query can answer there"
        return [
            f"{remote.url} answered nothing and the graphs it was asked over are empty, while "
            f"{where}: push the build there with 'spasmkg push --endpoint BASE-URL', or check "
            "the URL"
        ]
    if found:
        return [
            f"{remote.url} answered nothing where the local graph answers {found}: the store "
            "likely holds another version of the graph (push this one with 'spasmkg push') or "
            "evaluates the query otherwise"
        ]
    return []
