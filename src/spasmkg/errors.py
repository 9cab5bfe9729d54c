"""The exceptions spasmkg raises for problems a user can fix; the CLI prints them as one line."""

from __future__ import annotations


class SpasmKGError(Exception):
    """Base class: a problem with the user's input or data, reported without a traceback."""

    exit_code = 2


class DataNotFound(SpasmKGError):
    """The ontology/, graph/ and queries/ folders could not be found."""


class GraphSyntaxError(SpasmKGError):
    """A Turtle file does not parse; the message names file and line."""


class UndeclaredTerm(SpasmKGError):
    """A file uses a term that the ontology or its standard vocabulary does not declare."""


class ValidationFailed(SpasmKGError):
    """SHACL shapes, quality-check queries or identifier checks found violations."""

    exit_code = 1


class UnknownEntity(SpasmKGError):
    """A name, CURIE or IRI matches no entity of the graph."""

    exit_code = 1


class QueryError(SpasmKGError):
    """A SPARQL query is malformed, refused, or has bad parameters."""


class QuerySyntaxError(QueryError):
    """The SPARQL text does not parse; the message gives line and column."""


class QueryRefused(QueryError):
    """The query would write, load or fetch remote data, which is off unless asked for."""


class ParameterError(QueryError):
    """A query parameter is missing, unknown, or of the wrong type."""


class EndpointError(SpasmKGError):
    """A remote SPARQL endpoint or graph store failed or answered unexpectedly."""


class UnknownPrefix(SpasmKGError):
    """A CURIE's prefix is neither spasmkg's nor one of the vocabularies it knows."""

    exit_code = 1
