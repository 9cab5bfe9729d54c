"""The query library: named ``.rq`` files with a metadata header, checked and bound safely.

A query file starts with comment lines that describe it::

    # title: What relieves a condition in a given context
    # description: Treatments that relieve CONDITION, with the context they apply in.
    # param: condition (entity) = muscle-spasm -- the condition to relieve

Parameters become SPARQL variables of the same name (``?condition``) and are bound through
the engine's binding mechanism with a typed RDF term, never pasted into the query text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyparsing import ParseException
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node

from spasmkg.errors import ParameterError, QueryError, QueryRefused, QuerySyntaxError
from spasmkg.paths import DataPaths

if TYPE_CHECKING:
    from spasmkg.results import QueryResult

HEADER_LINE = re.compile(r"^#\s*(?P<key>title|description|param)\s*:\s*(?P<value>.*?)\s*$")
PARAM_SPEC = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<kind>[a-z]+)\)"
    r"(?:\s*=\s*(?P<example>[^\s]+))?(?:\s*--\s*(?P<help>.*))?$"
)
PARAM_KINDS = ("entity", "iri", "string", "integer", "boolean")


@dataclass(frozen=True)
class Param:
    """One parameter of a named query."""

    name: str
    kind: str
    example: str | None = None
    help: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query from the library, with the metadata from its header."""

    name: str
    text: str
    title: str
    description: str = ""
    params: tuple[Param, ...] = ()
    path: Path | None = None

    @property
    def example_params(self) -> dict[str, str]:
        """The example value of each parameter, enough to run the query as documented."""
        return {p.name: p.example for p in self.params if p.example is not None}


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


def parse_header(text: str, name: str) -> tuple[str, str, tuple[Param, ...]]:
    """Title, description and parameters from the leading comment lines of a query."""
    title, description, params = "", [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = HEADER_LINE.match(line)
        if match is None:
            continue
        key, value = match["key"], match["value"]
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        else:
            params.append(parse_param(value, name))
    if not title:
        raise QueryError(f"{name}: the query header has no '# title:' line")
    return title, " ".join(description), tuple(params)


def parse_param(spec: str, name: str) -> Param:
    """One ``# param: name (kind) = example -- help`` line."""
    match = PARAM_SPEC.match(spec)
    if match is None or match["kind"] not in PARAM_KINDS:
        raise QueryError(
            f"{name}: bad '# param:' line {spec!r}; expected 'name (kind) = example -- help' "
            f"with kind one of {', '.join(PARAM_KINDS)}"
        )
    return Param(match["name"], match["kind"], match["example"], match["help"] or "")


def read_query(path: Path, name: str | None = None) -> NamedQuery:
    """Read one ``.rq`` file and its header."""
    shown = name or path.stem
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise QueryError(f"{path}: cannot read: {error.strerror}") from None
    title, description, params = parse_header(text, str(path))
    return NamedQuery(shown, text, title, description, params, path)


def library(paths: DataPaths) -> dict[str, NamedQuery]:
    """The named queries, by name (file name without ``.rq``), sorted."""
    return {path.stem: read_query(path) for path in sorted(paths.queries.glob("*.rq"))}


def quality_checks(paths: DataPaths) -> list[NamedQuery]:
    """The QC queries (``queries/qc/*-violation.rq``); each must return no rows."""
    return [read_query(path) for path in sorted((paths.queries / "qc").glob("*-violation.rq"))]


def _walk(node: Any) -> Iterator[Any]:
    """Every node of a pyparsing/rdflib parse tree."""
    yield node
    if isinstance(node, Mapping):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for item in node:
            yield from _walk(item)


def syntax_error(error: ParseException, source: str) -> QuerySyntaxError:
    """A one-line message with the line and column of a SPARQL syntax error."""
    return QuerySyntaxError(
        f"{source}: SPARQL syntax error at line {error.lineno}, column {error.col}: {error.msg}"
    )


#: Outlines (form, SERVICE IRIs, FROM graphs) of queries already parsed, by text: a server or a
#: notebook asks the same queries again and again, and parsing costs more than answering.
_OUTLINES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}
_OUTLINE_LIMIT = 1024


def inspect_query(text: str, source: str = "query") -> QueryShape:
    """Parse a query and report its form and any SERVICE or FROM clause.

    The outline of a query seen before is reused, without its algebra (see :func:`algebra_of`).

    :raises QueryRefused: the text is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR ...).
    :raises QuerySyntaxError: the text is not valid SPARQL.
    """
    known = _OUTLINES.get(text)
    if known is not None:
        return QueryShape(*known, text=text)
    try:
        parsed = parseQuery(text)
    except ParseException as query_error:
        try:
            parseUpdate(text)
        except ParseException:
            raise syntax_error(query_error, source) from None
        raise QueryRefused(
            f"{source}: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is refused: "
            "spasmkg queries are read-only"
        ) from None
    except RecursionError:
        raise QuerySyntaxError(f"{source}: the query is nested too deeply to parse") from None
    body = parsed[1]
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
        raise syntax_error(error, source) from None
    except Exception as error:  # rdflib reports an undeclared prefix as a bare Exception
        raise QuerySyntaxError(f"{source}: {error}") from None
    if len(_OUTLINES) >= _OUTLINE_LIMIT:
        _OUTLINES.clear()
    _OUTLINES[text] = (form, services, datasets)
    return QueryShape(form, services, datasets, text, algebra)


def algebra_of(shape: QueryShape) -> Any:
    """The rdflib algebra of a checked query: the one parsed just now, or a fresh parse.

    Engines may change the algebra they get (to bind parameters), so it is never shared.
    """
    if shape.algebra is not None:
        return shape.algebra
    return translateQuery(parseQuery(shape.text))


def check_read_only(
    text: str,
    source: str = "query",
    *,
    allow_service: bool = False,
    allow_remote: bool = False,
    hints: bool = True,
) -> QueryShape:
    """Refuse anything that would write, or reach beyond the graph, unless explicitly allowed.

    rdflib's engine sends SERVICE clauses as HTTP requests and may fetch FROM / FROM NAMED
    graphs; pyoxigraph executes SERVICE too. So the parsed query is checked before any engine
    sees it.
    """
    shape = inspect_query(text, source)
    if shape.services and not allow_service:
        raise QueryRefused(
            f"{source}: SERVICE <{shape.services[0]}> would send the query to another server; "
            + ("refused unless you pass --allow-service" if hints else "refused")
        )
    if shape.datasets and not allow_remote:
        raise QueryRefused(
            f"{source}: FROM / FROM NAMED <{shape.datasets[0]}> would load an outside graph; "
            + ("refused unless you pass --allow-remote" if hints else "refused")
        )
    return shape


def convert_param(param: Param, raw: str, resolve_entity: Any) -> Node:
    """Turn a command-line value into the typed RDF term its parameter expects."""
    if param.kind == "entity":
        return resolve_entity(raw)  # type: ignore[no-any-return]
    if param.kind == "iri":
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", raw):
            raise ParameterError(f"parameter {param.name}: {raw!r} is not an IRI")
        return URIRef(raw)
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise ParameterError(f"parameter {param.name}: {raw!r} is not an integer")
        return Literal(int(raw), datatype=XSD.integer)
    if param.kind == "boolean":
        if raw.lower() not in ("true", "false"):
            raise ParameterError(f"parameter {param.name}: {raw!r} is not true or false")
        return Literal(raw.lower() == "true", datatype=XSD.boolean)
    return Literal(raw)


def bind_params(
    query: NamedQuery, values: Mapping[str, str], resolve_entity: Any
) -> dict[Variable, Node]:
    """Typed bindings for a query's parameters; unknown or missing parameters are errors."""
    known = {param.name: param for param in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        hint = ", ".join(known) or "none"
        raise ParameterError(f"{query.name}: unknown parameter {unknown[0]!r} (parameters: {hint})")
    bindings: dict[Variable, Node] = {}
    for name, param in known.items():
        if name not in values:
            example = f" (for example --param {name}={param.example})" if param.example else ""
            raise ParameterError(f"{query.name}: missing parameter {name!r}{example}")
        bindings[Variable(name)] = convert_param(param, values[name], resolve_entity)
    return bindings


def find_query(spec: str, paths: DataPaths) -> NamedQuery:
    """A named query of the library, or a ``.rq`` file given by path."""
    named = library(paths)
    if spec in named:
        return named[spec]
    path = Path(spec)
    if path.suffix == ".rq" or path.exists():
        if not path.is_file():
            raise QueryError(f"{spec}: no such query file")
        text = path.read_text(encoding="utf-8")
        try:
            title, description, params = parse_header(text, str(path))
        except QueryError:
            title, description, params = path.stem, "", ()
        return NamedQuery(path.stem, text, title, description, params, path)
    close = difflib.get_close_matches(spec, list(named), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; 'spasmkg queries' lists them"
    raise QueryError(f"no query named {spec!r}{hint}")


def adhoc_query(text: str) -> NamedQuery:
    """A query typed on the command line (``-e``); its parameters are whatever it declares."""
    try:
        title, description, params = parse_header(text, "-e")
    except QueryError:
        title, description, params = "ad-hoc query", "", ()
    return NamedQuery("-e", text, title, description, params)


def run_query(
    query: NamedQuery,
    engine: Any,
    values: Mapping[str, str],
    resolve_entity: Any,
    *,
    allow_service: bool = False,
    allow_remote: bool = False,
) -> QueryResult:
    """Check a query is read-only, bind its parameters, and answer it with an engine."""
    shape = check_read_only(
        query.text, query.name, allow_service=allow_service, allow_remote=allow_remote
    )
    bindings = bind_params(query, values, resolve_entity)
    result: QueryResult = engine.run(shape, bindings)
    return result
