"""The exceptions spasmkg raises for problems a user can fix; the CLI prints them as one line.

Each kind of problem has its own exit code, listed in ``spasmkg --help``:

==== ===========================================================================
0    success
1    the data is invalid: a file does not parse, a check fails, a term is unknown
2    the command was used wrongly: an option, a parameter, an unknown query name
3    nothing matches: no entity goes by that name
4    the query was refused, is malformed, or ran out of time
5    a remote server failed, refused, or did not answer in time
6    an output could not be written
==== ===========================================================================
"""

from __future__ import annotations

#: Exit codes by meaning, for ``--help`` and the tests.
EXIT_CODES = {
    0: "success",
    1: "invalid data (a file does not parse, a check fails, a term is unknown)",
    2: "wrong use (an option, a parameter, an unknown query name)",
    3: "nothing matches (no entity goes by that name)",
    4: "query refused, malformed, or out of time",
    5: "a remote server failed, refused or did not answer in time",
    6: "an output could not be written",
}


class SpasmKGError(Exception):
    """Base class: a problem with the user's input or data, reported without a traceback."""

    exit_code = 1


class DataError(SpasmKGError):
    """The data folder, a data file or an input file is invalid."""

    exit_code = 1


class DataNotFound(DataError):
    """The ontology/, graph/ and queries/ folders could not be found (a wrong ``--data`` is
    wrong use of the command, exit 2)."""

    exit_code = 2


class GraphSyntaxError(DataError):
    """A Turtle file does not parse, or uses IRIs it may not; the message names file and line."""


class MappingError(DataError):
    """The SSSOM mapping set does not parse; the message names file and line."""


class UndeclaredTerm(DataError):
    """A file uses a term that the ontology or its standard vocabulary does not declare."""


class UnknownPrefix(DataError):
    """A CURIE's prefix is neither spasmkg's nor one of the vocabularies it knows."""


class ValidationFailed(DataError):
    """SHACL shapes, quality-check queries or identifier checks found violations."""


class UsageError(SpasmKGError):
    """A command or function was called wrongly."""

    exit_code = 2


class UnknownEntity(SpasmKGError):
    """A name, CURIE or IRI matches no entity of the graph."""

    exit_code = 3


class QueryError(SpasmKGError):
    """A SPARQL query is malformed, refused, or has bad parameters."""

    exit_code = 4


class QuerySyntaxError(QueryError):
    """The SPARQL text does not parse; the message gives line and column."""


class QueryRefused(QueryError):
    """The query would write, load or fetch remote data, which is off unless asked for."""


class QueryTimeout(QueryError):
    """The query ran longer than its time-out."""


class ParameterError(QueryError):
    """A query parameter is missing, unknown, or of the wrong type."""

    exit_code = 2


class UnknownQuery(QueryError):
    """No named query or query file goes by that name."""

    exit_code = 2


class EndpointError(SpasmKGError):
    """A remote SPARQL endpoint or graph store failed or answered unexpectedly."""

    exit_code = 5


class OutputError(SpasmKGError):
    """An output file or folder cannot be written where asked."""

    exit_code = 6


class ImportSourceError(DataError):
    """An input file of an import is missing or not in the form its reader knows."""


class StaleImport(DataError):
    """A committed imported layer differs from a fresh import of the same inputs."""
