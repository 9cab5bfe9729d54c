"""One interface over three SPARQL engines: rdflib, pyoxigraph, a remote endpoint.

Every engine receives a query that :func:`spasmkg.ask.safety.check_read_only` has already
accepted, and parameters as typed RDF terms (pyoxigraph's, by parameter name): pyoxigraph binds
them with ``substitutions``, rdflib joins them first into the query's algebra
(:mod:`spasmkg.ask.rdflib_engine`), and a remote endpoint gets them in a ``VALUES`` block
(:mod:`spasmkg.ask.endpoint_engine`). Each engine's module imports what it needs when it is
chosen: a cold query on pyoxigraph imports no rdflib at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox

from spasmkg.ask.library import Bindings
from spasmkg.ask.results import QueryResult
from spasmkg.ask.safety import QueryShape
from spasmkg.errors import (
    EndpointError,
    ParameterError,
    QueryError,
    QuerySyntaxError,
    UsageError,
)

if TYPE_CHECKING:
    from rdflib import Graph

    from spasmkg.model.graph import Queryable

#: Above this many triples ``--engine auto`` picks pyoxigraph (see benchmarks/README.md).
AUTO_THRESHOLD = 5_000


class Engine(Protocol):
    """Anything that answers a checked SPARQL query with typed parameter bindings."""

    name: str

    def run(self, query: QueryShape, bindings: Bindings) -> QueryResult:
        """Answer a checked query."""
        ...


class OxigraphEngine:
    """pyoxigraph's Rust engine over an in-memory store: fast on large graphs."""

    name = "oxigraph"

    def __init__(self, store: Any, *, union: bool = True) -> None:
        """Query a pyoxigraph store; with ``union`` its default graph is the union of its named
        graphs (as a build's is), unless a query names graphs of its own."""
        self.store = store
        self.union = union

    @classmethod
    def of_graph(cls, graph: Graph) -> OxigraphEngine:
        """An engine over one rdflib graph, loaded into a store of its own."""
        store = ox.Store()
        store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return cls(store, union=False)

    def run(self, query: QueryShape, bindings: Bindings) -> QueryResult:
        """Answer a query with pyoxigraph; its rows stay pyoxigraph's terms (see
        :attr:`QueryResult.terms`)."""
        form = query.form
        substitutions = {ox.Variable(name): value for name, value in bindings.items()}
        try:
            answer = self.store.query(
                query.text,
                substitutions=substitutions,
                # the union is only the default when the query names no graphs of its own
                use_default_graph_as_union=self.union and not query.datasets,
            )
        except SyntaxError as error:
            raise QuerySyntaxError(f"query failed in pyoxigraph: {error}") from None
        except (ValueError, TypeError) as error:
            raise ParameterError(f"pyoxigraph refused the parameters: {error}") from None
        except RuntimeError as error:
            if "projection" in str(error):
                raise ParameterError(
                    f"{error}; on --engine oxigraph a parameter must be a variable the query "
                    "selects (the rdflib engine binds any variable)"
                ) from None
            raise QueryError(f"the query failed in pyoxigraph: {error}") from None
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult(form, boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):
            from spasmkg.model.terms import rdflib_graph

            return QueryResult(form, graph=rdflib_graph(answer, {}))
        variables = [v.value for v in answer.variables]
        try:  # pyoxigraph calls a SERVICE (when allowed) as it yields the rows
            rows = [tuple(solution[name] for name in variables) for solution in answer]
        except OSError as error:
            raise EndpointError(f"a SERVICE call of the query failed: {error}") from None
        return QueryResult(form, variables, rows)


#: The embedded engines by name, as ``--engine`` offers them (with ``auto``).
ENGINES = ("rdflib", "oxigraph", "auto")


def local_engine(name: str, triples: int) -> str:
    """The embedded engine a name stands for: ``auto`` picks pyoxigraph above the threshold."""
    if name == "auto":
        return "oxigraph" if triples > AUTO_THRESHOLD else "rdflib"
    return name


def make_engine(
    name: str,
    kg: Queryable | None = None,
    endpoint: str | None = None,
    *,
    timeout: float | None = None,
) -> Engine:
    """The engine a user asked for; ``auto`` picks pyoxigraph for large graphs. An endpoint
    is asked for the union of ``kg``'s named graphs, where a graph is given."""
    if endpoint:
        from spasmkg.ask.endpoint_engine import EndpointEngine

        graphs = sorted(graph.value for graph in kg.store.named_graphs()) if kg else []
        return EndpointEngine(endpoint, timeout=timeout or 60.0, graphs=graphs)
    if kg is None:
        raise UsageError("a local engine needs a loaded graph")
    name = local_engine(name, len(kg.store))
    if name == "oxigraph":
        return OxigraphEngine(kg.store)
    if name == "rdflib":
        from spasmkg.ask.rdflib_engine import RdflibEngine

        return RdflibEngine(kg.union())
    raise UsageError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
