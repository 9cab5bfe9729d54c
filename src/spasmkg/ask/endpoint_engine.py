"""A remote SPARQL 1.1 endpoint as an engine: parameters sent in a ``VALUES`` block written first
in the WHERE pattern from the terms' own N-Triples form (never by pasting user text), asked
over the union of the build's named graphs as the local engines answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.term import Node

from spasmkg.ask.lexer import pattern_start
from spasmkg.ask.library import Bindings
from spasmkg.ask.results import QueryResult
from spasmkg.ask.safety import QueryShape
from spasmkg.errors import EndpointError
from spasmkg.model.terms import plain_or_typed

if TYPE_CHECKING:  # the client (and httpx) is imported when an endpoint is asked
    from spasmkg.remote.client import Answer


def values_block(bindings: Bindings) -> str:
    """A VALUES clause that binds parameters, written from the terms' own N-Triples form."""
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())  # pyoxigraph's: N-Triples
    return f"\nVALUES ({names}) {{ ({terms}) }}\n"


def values_first(text: str, bindings: Bindings) -> str:
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

    def run(self, query: QueryShape, bindings: Bindings) -> QueryResult:
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
