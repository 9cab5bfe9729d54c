"""Read-only checks of SPARQL text: what a query would do before any engine runs it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spasmkg.ask import outlines
from spasmkg.ask.lexer import UPDATE_REFUSED, outline
from spasmkg.ask.library import added_lines
from spasmkg.errors import QueryRefused, QuerySyntaxError

if TYPE_CHECKING:  # pyparsing is imported where a text is parsed: a remembered one is not
    from pyparsing import ParseException


@dataclass(frozen=True)
class QueryShape:
    """A parsed query: its text, form, what it would reach outside the graph, and its algebra.

    Engines receive this instead of the text, so a query is parsed once per run.
    """

    form: str
    services: tuple[str, ...] = field(default=())
    datasets: tuple[str, ...] = field(default=())
    text: str = ""
    algebra: Any = None


def _walk(node: Any) -> Iterator[Any]:
    """Every node of a pyparsing/rdflib parse tree."""
    yield node
    if isinstance(node, Mapping):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for item in node:
            yield from _walk(item)


def syntax_error(error: ParseException, source: str, text: str = "") -> QuerySyntaxError:
    """A one-line message with the line and column of a SPARQL syntax error, counted in the
    text its author wrote (not in the prefixes spasmkg declared before it)."""
    line = error.lineno - added_lines(text)
    return QuerySyntaxError(
        f"{source}: SPARQL syntax error at line {line}, column {error.col}: {error.msg}"
    )


#: Outlines (form, SERVICE IRIs, FROM graphs) of queries already parsed, by text: a server or a
#: notebook asks the same queries again and again, and parsing costs more than answering.
_OUTLINES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}
_OUTLINE_LIMIT = 1024


def update_refused(source: str) -> QueryRefused:
    """The refusal of a query that would write."""
    return QueryRefused(f"{source}: {UPDATE_REFUSED}")


def inspect_query(text: str, source: str = "query", *, remember: bool = False) -> QueryShape:
    """Parse a query and report its form and any SERVICE or FROM clause.

    The outline of a query seen before is reused, without its algebra (see :func:`algebra_of`);
    with ``remember`` (a named query), it is also kept for later processes
    (:mod:`spasmkg.ask.outlines`), so a cold named query does not parse its text.

    :raises QueryRefused: the text is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR ...).
    :raises QuerySyntaxError: the text is not valid SPARQL.
    """
    known = _OUTLINES.get(text) or (outlines.remembered(text) if remember else None)
    if known is not None:
        _OUTLINES[text] = known
        return QueryShape(*known, text=text)
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as query_error:
        try:
            parseUpdate(text)
        except ParseException:
            raise syntax_error(query_error, source, text) from None
        raise update_refused(source) from None
    except RecursionError:
        raise QuerySyntaxError(f"{source}: the query is nested too deeply to parse") from None
    body = parsed[1]  # parsed[0] is the prologue
    services = tuple(
        str(node["term"])
        for node in _walk(body)
        if getattr(node, "name", "") == "ServiceGraphPattern"
    )
    clauses = body.get("datasetClause") if "datasetClause" in body else None
    clauses = clauses or []
    datasets = tuple(
        str(clause["default"] if "default" in clause else clause["named"]) for clause in clauses
    )
    form = getattr(body, "name", "Query").removesuffix("Query").upper()
    try:
        algebra = translateQuery(parsed)
    except ParseException as error:
        raise syntax_error(error, source, text) from None
    except RecursionError:
        raise QuerySyntaxError(f"{source}: the query is nested too deeply to parse") from None
    except Exception as error:  # rdflib reports an undeclared prefix as a bare Exception
        raise QuerySyntaxError(f"{source}: {error}") from None
    if len(_OUTLINES) >= _OUTLINE_LIMIT:
        _OUTLINES.clear()
    _OUTLINES[text] = (form, services, datasets)
    if remember:
        outlines.remember(text, (form, services, datasets))
    return QueryShape(form, services, datasets, text, algebra)


def algebra_of(shape: QueryShape) -> Any:
    """The rdflib algebra of a checked query: the one parsed just now, or a fresh parse.

    Engines may change the algebra they get (to bind parameters), so it is never shared.
    """
    if shape.algebra is not None:
        return shape.algebra
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    return translateQuery(parseQuery(shape.text))


def refused(source: str, what: str, flag: str, hints: bool) -> QueryRefused:
    """The refusal of a query that would reach beyond the graph."""
    return QueryRefused(
        f"{source}: {what}; " + (f"refused unless you pass {flag}" if hints else "refused")
    )


def check_read_only(
    text: str,
    source: str = "query",
    *,
    allow_service: bool = False,
    allow_remote: bool = False,
    hints: bool = True,
    remember: bool = False,
) -> QueryShape:
    """Refuse anything that would write, or reach beyond the graph, unless explicitly allowed.

    The text is normalised first (see :mod:`spasmkg.ask.lexer`); the normalised text is what
    the lexer reads, what rdflib parses, and what every engine runs (``shape.text``), so no
    two readers can disagree about it. rdflib's engine sends SERVICE clauses as HTTP requests
    and pyoxigraph does too, so a text that spells SERVICE anywhere is refused unless allowed.

    :raises QueryRefused: an update, SERVICE or FROM (unless allowed), or a query past the
        bounds on terms and nesting.
    :raises QuerySyntaxError: the text is not valid SPARQL.
    """
    try:
        seen = outline(text)
    except QueryRefused as error:
        raise QueryRefused(f"{source}: {error}") from None
    if seen.updates:
        raise update_refused(source)
    shape = inspect_query(seen.text, source, remember=remember)
    if (shape.services or seen.services) and not allow_service:
        what = (
            f"SERVICE <{shape.services[0]}> would send the query to another server"
            if shape.services
            else f"the query spells SERVICE ({seen.services[0]!r}), which would send it to "
            "another server: a text that holds the word anywhere, even in a string, IRI or "
            "comment, is refused"
        )
        raise refused(source, what, "--allow-service", hints)
    if shape.datasets and not allow_remote:
        raise refused(
            source,
            f"FROM / FROM NAMED <{shape.datasets[0]}> names graphs to load",
            "--allow-remote",
            hints,
        )
    return shape
