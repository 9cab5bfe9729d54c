"""One interface over three SPARQL engines: rdflib (default), pyoxigraph, a remote endpoint.

Every engine receives a query that :func:`spasmkg.queries.check_read_only` has already
accepted, and parameters as typed RDF terms: rdflib binds them joined first into the query's
algebra, pyoxigraph with ``substitutions``, and a remote endpoint gets them in a ``VALUES``
block written first in the WHERE pattern from the terms' own N-Triples form, never by pasting
user text. A remote endpoint is asked for the union of the build's named graphs, as the local
engines answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.exceptions import ParserError
from rdflib.term import Node

from spasmkg.ask.lexer import pattern_start
from spasmkg.ask.results import QueryResult
from spasmkg.ask.safety import QueryShape, algebra_of
from spasmkg.errors import (
    EndpointError,
    ParameterError,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    UsageError,
)
from spasmkg.model.graph import Queryable
from spasmkg.model.terms import plain_or_typed, to_oxigraph, to_rdflib

if TYPE_CHECKING:  # the client (and httpx) is imported by the one engine that uses it
    from spasmkg.remote.client import Answer

#: Above this many triples ``--engine auto`` picks pyoxigraph (see benchmarks/README.md).
AUTO_THRESHOLD = 5_000


def rdflib_offline() -> None:
    """Keep rdflib's SPARQL engine from loading FROM / FROM NAMED graphs from the web, which it
    does by default and spasmkg never wants; set where rdflib's engine is made, as importing its
    SPARQL package costs a cold command that answers with pyoxigraph a fifth of its time."""
    from rdflib.plugins import sparql

    sparql.SPARQL_LOAD_GRAPHS = False


class Engine(Protocol):
    """Anything that answers a checked SPARQL query with typed parameter bindings."""

    name: str

    def run(self, query: QueryShape, bindings: Mapping[Variable, Node]) -> QueryResult:
        """Answer a checked query."""
        ...


#: Algebra nodes above or around a WHERE pattern's first part, followed down to reach it:
#: projection and solution modifiers, filters and binds (through ``p``), and the left side of
#: joins (through ``p1``).
THROUGH_P = frozenset(
    {
        "SelectQuery",
        "AskQuery",
        "ConstructQuery",
        "DescribeQuery",
        "Project",
        "Distinct",
        "Reduced",
        "Slice",
        "OrderBy",
        "AggregateJoin",
        "Group",
        "Filter",
        "Extend",
    }
)
THROUGH_P1 = frozenset({"Join", "LeftJoin", "Minus"})


def with_values(query: Any, bindings: Mapping[Variable, Node]) -> Any:
    """The query algebra with the parameters joined in at the start of its WHERE pattern.

    That is where a VALUES block written first in the WHERE clause would sit. rdflib's own
    ``initBindings`` joins them after the pattern is evaluated, which turns
    ``?form skos:broader* ?condition`` into a walk over every pair of nodes (minutes at 10^4
    triples) and leaves them invisible to FILTERs; joined first, evaluation stays bound, as
    with pyoxigraph's substitutions.
    """
    from rdflib.plugins.sparql.algebra import Join, _addVars, _traverseAgg, analyse
    from rdflib.plugins.sparql.parserutils import CompValue

    if not bindings:
        return query
    parent, key, node = query, "algebra", query.algebra
    while True:
        name = getattr(node, "name", "")
        if name in THROUGH_P and "p" in node:
            parent, key, node = node, "p", node["p"]
        elif name in THROUGH_P1:
            parent, key, node = node, "p1", node["p1"]
        else:
            break
    joined = Join(CompValue("ToMultiSet", p=CompValue("values", res=[dict(bindings)])), node)
    if key == "algebra":
        query.algebra = joined
    else:
        parent[key] = joined
    # recompute rdflib's join strategy and variable scopes, as its translator does
    _traverseAgg(query.algebra, visitor=analyse)
    _traverseAgg(query.algebra, _addVars)
    return query


class RdflibEngine:
    """rdflib's pure-Python engine over an in-memory graph: no extra moving parts."""

    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        rdflib_offline()
        self.graph = graph

    def run(self, query: QueryShape, bindings: Mapping[Variable, Node]) -> QueryResult:
        """Answer a query with rdflib, from its already translated algebra.

        :raises QueryRefused: the query names graphs (FROM), which rdflib would silently ignore.
        """
        if query.datasets:
            raise QueryRefused(
                f"the rdflib engine cannot restrict a query to named graphs (FROM <{query.datasets[0]}>); "
                "use --engine oxigraph, which knows the build's named graphs"
            )
        form = query.form
        try:
            answer = self.graph.query(with_values(algebra_of(query), bindings))
        except RecursionError:
            raise QuerySyntaxError("the query is nested too deeply to evaluate") from None
        if form == "ASK":
            return QueryResult(form, boolean=bool(answer.askAnswer))
        if form in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph(bind_namespaces="none")
            for triple in answer:
                graph.add(triple)  # type: ignore[arg-type]
            return QueryResult(form, graph=graph)
        variables = [str(v) for v in answer.vars or []]
        rows = [tuple(row) for row in answer]  # type: ignore[arg-type]
        return QueryResult(form, variables, rows)  # type: ignore[arg-type]


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
        import pyoxigraph as ox

        store = ox.Store()
        store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return cls(store, union=False)

    def run(self, query: QueryShape, bindings: Mapping[Variable, Node]) -> QueryResult:
        """Answer a query with pyoxigraph."""
        import pyoxigraph as ox

        form = query.form
        substitutions = {
            ox.Variable(str(name)): to_oxigraph(value) for name, value in bindings.items()
        }
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
            graph = Graph(bind_namespaces="none")
            for triple in answer:
                terms = (
                    to_rdflib(triple.subject),
                    to_rdflib(triple.predicate),
                    to_rdflib(triple.object),
                )
                graph.add(cast(tuple[Node, Node, Node], terms))
            return QueryResult(form, graph=graph)
        variables = [v.value for v in answer.variables]
        seen: dict[Any, Node | None] = {}

        def convert(term: Any) -> Node | None:
            if term not in seen:
                seen[term] = to_rdflib(term)
            return seen[term]

        try:  # pyoxigraph calls a SERVICE (when allowed) as it yields the rows
            rows = [tuple(convert(solution[name]) for name in variables) for solution in answer]
        except OSError as error:
            raise EndpointError(f"a SERVICE call of the query failed: {error}") from None
        return QueryResult(form, variables, rows)


def values_block(bindings: Mapping[Variable, Node]) -> str:
    """A VALUES clause that binds parameters, written from the terms' own N-Triples form."""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    return f"\nVALUES ({names}) {{ ({terms}) }}\n"


def values_first(text: str, bindings: Mapping[Variable, Node]) -> str:
    """A query's text with its parameters bound in a VALUES block written first in its WHERE
    pattern, where the local engines bind them; after the query if it has no pattern.

    A block after the query is joined once the pattern is evaluated, so a FILTER or a property
    path inside it sees the parameter unbound: an Oxigraph server then drops rows of
    relief-in-context, and Virtuoso 7.2 returns every claim for claim-evidence.
    """
    if not bindings:
        return text
    block = values_block(bindings).strip()
    start = pattern_start(text)
    if start is None:
        return text.rstrip() + "\n" + block + "\n"
    return f"{text[:start]}\n  {block}{text[start:]}"


def json_term(value: dict[str, str]) -> Node:
    """One term of a SPARQL JSON result as an rdflib term."""
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    return plain_or_typed(value["value"], value.get("datatype"))


class EndpointEngine:
    """A remote SPARQL 1.1 endpoint, reached with the SPARQL protocol (POST, JSON results)."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float = 60.0, graphs: Sequence[str] = ()) -> None:
        """An endpoint; ``graphs`` are the build's named graphs, whose union a query that names
        no graphs of its own is asked over there, as the local engine answers it (a store's
        own default graph is often empty, or holds something else)."""
        from spasmkg.remote.client import SparqlClient, check_url

        self.url = check_url(url)
        self.client = SparqlClient(timeout=timeout, retries=1)
        self.graphs = tuple(graphs)

    def answer(self, query: QueryShape, text: str, accept: str) -> Answer:
        """The store's answer to a query, over the build's graphs unless it names its own."""
        graphs = () if query.datasets else self.graphs
        return self.client.query(self.url, text, accept, "query", graphs)

    def default_graph_empty(self) -> bool:
        """Whether the graphs queries are asked over here hold no triple at all."""
        from spasmkg.remote.client import JSON_RESULTS

        what = "asking whether the store holds the graph"
        document = self.client.query(
            self.url, "ASK { ?s ?p ?o }", JSON_RESULTS, what, self.graphs
        ).json(what)
        return isinstance(document, dict) and document.get("boolean") is False

    def run(self, query: QueryShape, bindings: Mapping[Variable, Node]) -> QueryResult:
        """Answer a query at the endpoint."""
        from spasmkg.remote.client import JSON_RESULTS

        form = query.form
        text = values_first(query.text, bindings)
        if form in ("CONSTRUCT", "DESCRIBE"):
            answer = self.answer(query, text, "application/n-triples")
            graph = Graph(bind_namespaces="none")
            try:
                graph.parse(data=answer.body.decode("utf-8"), format="nt")
            except (ParserError, UnicodeDecodeError):
                raise EndpointError(
                    f"{self.url}: the answer is not N-Triples (got {answer.content_type or 'no media type'})"
                ) from None
            return QueryResult(form, graph=graph)
        document = self.answer(query, text, JSON_RESULTS).json("query")
        if isinstance(document, dict) and "boolean" in document:
            return QueryResult(form, boolean=bool(document["boolean"]))
        try:
            variables = list(document["head"]["vars"])
            rows = [
                tuple(json_term(b[name]) if name in b else None for name in variables)
                for b in document["results"]["bindings"]
            ]
        except (KeyError, TypeError):
            raise EndpointError(
                f"{self.url}: the answer is not SPARQL JSON results; is it a SPARQL endpoint?"
            ) from None
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
        graphs = sorted(graph.value for graph in kg.store.named_graphs()) if kg else []
        return EndpointEngine(endpoint, timeout=timeout or 60.0, graphs=graphs)
    if kg is None:
        raise UsageError("a local engine needs a loaded graph")
    name = local_engine(name, len(kg.store))
    if name == "oxigraph":
        return OxigraphEngine(kg.store)
    if name == "rdflib":
        return RdflibEngine(kg.union())
    raise UsageError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
