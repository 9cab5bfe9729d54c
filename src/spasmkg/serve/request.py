"""What a request asks, read and checked before any worker sees it: its headers, its SPARQL
protocol parameters, and the read-only check of its query.

The check reads the query with :func:`spasmkg.ask.lexer.outline`, which normalises codepoint
escapes once and refuses any text that spells SERVICE anywhere; the normalised text is the
text the worker runs, so no reader can see another query than the one that is checked.
Parsing a body is linear, and the front runs a long one off its event loop.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from spasmkg.ask.lexer import SERVICE_REFUSED, UPDATE_REFUSED, outline
from spasmkg.errors import QueryRefused
from spasmkg.serve.protocol import Job

Scope = MutableMapping[str, Any]

SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
READ_ONLY = UPDATE_REFUSED
#: An IRI a client may name as a graph of the dataset (the store fetches nothing).
GRAPH_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")
#: The longest Accept header read: a real client's is a few hundred bytes.
MAX_ACCEPT = 1024


class Refused(Exception):
    """A request the front answers itself, with a status and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Request:
    """The SPARQL protocol parameters of one request."""

    query: str
    accept: tuple[str, ...]
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def header(scope: Mapping[str, Any], name: bytes) -> str:
    """One request header (the last one given), or empty."""
    found = [value for key, value in scope["headers"] if key == name]
    return found[-1].decode("latin-1") if found else ""


def accepted(value: str) -> tuple[str, ...]:
    """The media types of an Accept header, most wanted first.

    :raises Refused: the header is longer than :data:`MAX_ACCEPT` (431).
    """
    if len(value) > MAX_ACCEPT:
        raise Refused(431, f"the Accept header is longer than {MAX_ACCEPT} bytes")
    ranked = []
    for position, part in enumerate(value.split(",")):
        media_type, *parameters = (item.strip() for item in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, number = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if media_type and quality > 0:
            ranked.append((-quality, position, media_type.lower()))
    return tuple(media_type for _, _, media_type in sorted(ranked))


def graph_names(values: list[str], parameter: str) -> tuple[str, ...]:
    """Graph IRIs named by a protocol parameter, checked."""
    for value in values:
        if not GRAPH_IRI.fullmatch(value):
            raise Refused(400, f"{parameter} {value[:200]!r} is not an IRI")
    return tuple(values)


def parameters(
    method: str, query_string: str, content_type: str, accept: str, body: bytes
) -> Request:
    """The query and dataset of a request in any protocol form.

    :raises Refused: an update, an unsupported body, or a bad graph IRI.
    """
    fields = urllib.parse.parse_qs(query_string)
    if method == "POST":
        kind = content_type.split(";")[0].strip().lower()
        if kind == SPARQL_UPDATE:
            raise Refused(403, READ_ONLY)
        if kind == SPARQL_QUERY:
            fields["query"] = [body.decode("utf-8", "replace")]
        elif kind == FORM:
            for name, values in urllib.parse.parse_qs(body.decode("utf-8", "replace")).items():
                fields.setdefault(name, []).extend(values)
        else:
            raise Refused(415, f"unsupported content type {kind!r}; send {SPARQL_QUERY} or a form")
    if "update" in fields:
        raise Refused(403, READ_ONLY)
    queries = fields.get("query") or []
    if len(queries) != 1 or not queries[0].strip():
        raise Refused(400, "give exactly one query (use ?query= or POST a query)")
    return Request(
        query=queries[0],
        accept=accepted(accept),
        default_graphs=graph_names(fields.get("default-graph-uri", []), "default-graph-uri"),
        named_graphs=graph_names(fields.get("named-graph-uri", []), "named-graph-uri"),
    )


def checked(request: Request) -> Job:
    """The job for a worker: the normalised text, if it is read-only and within bounds.

    :raises Refused: an update, a text that spells SERVICE, or a query past the bounds.
    """
    try:
        seen = outline(request.query)
    except QueryRefused as error:
        raise Refused(400, str(error)) from None
    if seen.updates:
        raise Refused(403, READ_ONLY)
    if seen.services:
        raise Refused(403, SERVICE_REFUSED)
    return Job(
        seen.text, request.accept, request.default_graphs, request.named_graphs, seen.datasets
    )


def job_of(scope: Mapping[str, Any], body: bytes) -> Job:
    """Read and check a SPARQL request in one step, for a thread beside the event loop.

    :raises Refused: see :func:`parameters` and :func:`checked`.
    """
    request = parameters(
        scope["method"],
        scope["query_string"].decode("latin-1"),
        header(scope, b"content-type"),
        header(scope, b"accept"),
        body,
    )
    return checked(request)
