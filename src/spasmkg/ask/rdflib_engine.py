"""rdflib's SPARQL engine: pure Python over an in-memory graph, with parameters joined into
the query's algebra before its WHERE pattern is evaluated."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Variable

from spasmkg.ask.library import Bindings
from spasmkg.ask.results import QueryResult
from spasmkg.ask.safety import QueryShape, algebra_of
from spasmkg.errors import QueryRefused, QuerySyntaxError
from spasmkg.model.terms import to_rdflib


def rdflib_offline() -> None:
    """Keep rdflib's SPARQL engine from loading FROM / FROM NAMED graphs from the web, which it
    does by default and spasmkg never wants; set where rdflib's engine is made, as only this
    engine needs rdflib's SPARQL package."""
    from rdflib.plugins import sparql

    sparql.SPARQL_LOAD_GRAPHS = False


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


def with_values(query: Any, bindings: Bindings) -> Any:
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
    row = {Variable(name): to_rdflib(term) for name, term in bindings.items()}
    joined = Join(CompValue("ToMultiSet", p=CompValue("values", res=[row])), node)
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

    def run(self, query: QueryShape, bindings: Bindings) -> QueryResult:
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
        return QueryResult(form, variables, rows)
