"""The query library: named ``.rq`` files with a metadata header, and their typed parameters.

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from spasmkg.errors import ParameterError, QueryError, UnknownQuery
from spasmkg.model.paths import DataPaths
from spasmkg.model.term_parts import XSD

#: A query's parameters as the engines take them: pyoxigraph terms by parameter name.
Bindings = Mapping[str, Any]

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


def parse_header(
    text: str, name: str, *, untitled: str | None = None
) -> tuple[str, str, tuple[Param, ...]]:
    """Title, description and parameters from the leading comment lines of a query.

    :param untitled: the title of a query without a ``# title:`` line (one typed by a user);
        without it, a missing title is an error (the library's queries all have one).
    """
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
    if not title and untitled is None:
        raise QueryError(f"{name}: the query header has no '# title:' line")
    return title or str(untitled), " ".join(description), tuple(params)


def parse_param(spec: str, name: str) -> Param:
    """One ``# param: name (kind) = example -- help`` line."""
    match = PARAM_SPEC.match(spec)
    if match is None or match["kind"] not in PARAM_KINDS:
        raise QueryError(
            f"{name}: bad '# param:' line {spec!r}; expected 'name (kind) = example -- help' "
            f"with kind one of {', '.join(PARAM_KINDS)}"
        )
    return Param(match["name"], match["kind"], match["example"], match["help"] or "")


def read_query(path: Path, *, untitled: str | None = None) -> NamedQuery:
    """Read one ``.rq`` file and its header (see :func:`parse_header` for ``untitled``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise QueryError(f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    except OSError as error:
        raise QueryError(f"{path}: cannot read: {error.strerror}") from None
    title, description, params = parse_header(text, str(path), untitled=untitled)
    return NamedQuery(path.stem, text, title, description, params, path)


def library(paths: DataPaths) -> dict[str, NamedQuery]:
    """The named queries, by name (file name without ``.rq``), sorted."""
    return {path.stem: read_query(path) for path in sorted(paths.queries.glob("*.rq"))}


def quality_checks(paths: DataPaths) -> list[NamedQuery]:
    """The QC queries (``queries/qc/*-violation.rq``); each must return no rows."""
    return [read_query(path) for path in sorted((paths.queries / "qc").glob("*-violation.rq"))]


def convert_param(param: Param, raw: str, resolve_entity: Callable[[str], str]) -> Any:
    """Turn a command-line value into the typed RDF term (pyoxigraph's) its parameter expects;
    ``resolve_entity`` gives the IRI of the entity a name names."""
    if param.kind == "entity":
        return ox.NamedNode(resolve_entity(raw))
    if param.kind == "iri":
        if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*", raw):
            raise ParameterError(f"parameter {param.name}: {raw!r} is not an IRI")
        return ox.NamedNode(raw)
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise ParameterError(f"parameter {param.name}: {raw!r} is not an integer")
        return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
    if param.kind == "boolean":
        if raw.lower() not in ("true", "false"):
            raise ParameterError(f"parameter {param.name}: {raw!r} is not true or false")
        return ox.Literal(raw.lower(), datatype=ox.NamedNode(XSD + "boolean"))
    return ox.Literal(raw)


def bind_params(
    query: NamedQuery, values: Mapping[str, str], resolve_entity: Callable[[str], str]
) -> Bindings:
    """Typed bindings for a query's parameters; unknown or missing parameters are errors."""
    known = {param.name: param for param in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        hint = ", ".join(known) or "none"
        raise ParameterError(f"{query.name}: unknown parameter {unknown[0]!r} (parameters: {hint})")
    bindings: dict[str, Any] = {}
    for name, param in known.items():
        if name not in values:
            example = f" (for example --param {name}={param.example})" if param.example else ""
            raise ParameterError(f"{query.name}: missing parameter {name!r}{example}")
        bindings[name] = convert_param(param, values[name], resolve_entity)
    return bindings


def find_query(spec: str, paths: DataPaths) -> NamedQuery:
    """A named query of the library, or a ``.rq`` file given by path."""
    named = library(paths)
    if spec in named:
        return named[spec]
    path = Path(spec)
    if path.suffix == ".rq" or path.exists():
        if not path.is_file():
            raise UnknownQuery(f"{spec}: no such query file")
        return read_query(path, untitled=path.stem)
    close = difflib.get_close_matches(spec, list(named), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; 'spasmkg queries' lists them"
    raise UnknownQuery(f"no query named {spec!r}{hint}")


DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:")
#: The end of the line of declarations :func:`with_prefixes` puts before a query.
PREFIXES_ADDED = "# prefixes added by spasmkg"


def with_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """A query with the graph's prefixes declared where it does not declare them itself, so
    that SPARQL written as people write it (``skg:furosemide``, ``HP:0003394``) runs. The
    declarations take one line of their own, which errors do not count (see
    :func:`added_lines`)."""
    declared = {name or "" for name in DECLARED.findall(text)}
    missing = [
        f"PREFIX {name}: <{iri}>" for name, iri in sorted(prefixes.items()) if name not in declared
    ]
    return f"{' '.join(missing)} {PREFIXES_ADDED}\n{text}" if missing else text


def added_lines(text: str) -> int:
    """How many lines :func:`with_prefixes` put before the query its author wrote."""
    first, _, _ = text.partition("\n")
    return 1 if first.endswith(PREFIXES_ADDED) else 0


def adhoc_query(text: str) -> NamedQuery:
    """A query typed on the command line (``-e``); its parameters are whatever it declares."""
    title, description, params = parse_header(text, "-e", untitled="ad-hoc query")
    return NamedQuery("-e", text, title, description, params)
