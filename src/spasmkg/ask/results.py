"""Query results in one shape for every engine, and the writers for each output format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from spasmkg.errors import UsageError
from spasmkg.model import term_parts
from spasmkg.model.curie import curie
from spasmkg.version import install_hint

if TYPE_CHECKING:  # rdflib is imported only where a result is read as rdflib's terms
    from rdflib import Graph
    from rdflib.term import Node


@dataclass
class QueryResult:
    """The answer of a SELECT (rows), an ASK (boolean) or a CONSTRUCT/DESCRIBE (graph)."""

    form: str
    variables: list[str] = field(default_factory=list)
    #: the rows as the engine gave them: rdflib's terms, or the Oxigraph engine's own, made
    #: rdflib's only when :attr:`rows` is read (writing them out never imports rdflib)
    terms: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    #: the label of every node the graph knows, by IRI, for showing rows to people
    labels: dict[str, str] = field(default_factory=dict, repr=False)
    #: one line each about an answer that may mislead (a remote store that answered nothing
    #: where the local graph has an answer, or whose default graph is empty)
    warnings: list[str] = field(default_factory=list, repr=False, compare=False)

    def size(self) -> int:
        """How much the answer holds: its rows, its triples, or 1 for true and 0 for false."""
        if self.graph is not None:
            return len(self.graph)
        if self.boolean is not None:
            return int(self.boolean)
        return len(self.terms)

    @cached_property
    def rows(self) -> list[tuple[Node | None, ...]]:
        """The rows as rdflib terms, None where a variable is unbound."""
        from spasmkg.model.terms import as_rdflib

        return [tuple(as_rdflib(term) for term in row) for row in self.terms]

    def dicts(self) -> list[dict[str, Node]]:
        """Rows as dictionaries, leaving out unbound variables."""
        return [
            {
                name: value
                for name, value in zip(self.variables, row, strict=True)
                if value is not None
            }
            for row in self.rows
        ]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame, IRIs shortened to CURIEs (needs pandas, of the
        ``notebooks`` extra).

        :raises UsageError: pandas is not installed; the message says how to add it.
        """
        try:
            import pandas as pd
        except ImportError:
            hint = install_hint("notebooks")
            raise UsageError(
                f"to_dataframe() needs pandas, of the notebooks extra: {hint}"
            ) from None

        return pd.DataFrame([[curie(v) for v in row] for row in self.rows], columns=self.variables)

    def sorted_rows(self) -> list[tuple[str, ...]]:
        """Rows as sorted N3 strings, to compare answers across engines."""
        return sorted(tuple("" if v is None else v.n3() for v in row) for row in self.rows)


def term_json(term: object) -> dict[str, str]:
    """One RDF term (rdflib's or pyoxigraph's) in the SPARQL 1.1 JSON results format."""
    value = {"type": term_parts.kind(term), "value": term_parts.text(term)}
    language, datatype = term_parts.language(term), term_parts.datatype(term)
    if language:
        value["xml:lang"] = language
    elif datatype:
        value["datatype"] = datatype
    return value


def to_json(result: QueryResult, labels: Mapping[str, str]) -> str:
    """SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/)."""
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=1) + "\n"
    bindings = [
        {
            name: term_json(term)
            for name, term in zip(result.variables, row, strict=True)
            if term is not None
        }
        for row in result.terms
    ]
    document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def labelled(term: object, labels: Mapping[str, str]) -> str:
    """A term with its label beside it when the graph has one (nothing for an unbound one)."""
    if term is None:
        return ""
    text = curie(term)
    label = labels.get(term_parts.text(term)) if term_parts.kind(term) == "uri" else None
    return f"{text} ({label})" if label and label != text else text


def delimited(result: QueryResult, delimiter: str) -> str:
    """CSV or TSV: a header of variable names, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.terms:
        writer.writerow(["" if value is None else term_parts.text(value) for value in row])
    return buffer.getvalue()


def to_csv(result: QueryResult, labels: Mapping[str, str]) -> str:
    """Comma-separated values with full IRIs, for spreadsheets."""
    return delimited(result, ",")


def to_tsv(result: QueryResult, labels: Mapping[str, str]) -> str:
    """Tab-separated values with full IRIs."""
    return delimited(result, "\t")


def to_markdown(result: QueryResult, labels: Mapping[str, str]) -> str:
    """A Markdown table with CURIEs and labels, for documents."""
    cells = [[labelled(v, labels).replace("|", "\\|") for v in row] for row in result.terms]
    lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines) + "\n"


def to_table(result: QueryResult, labels: Mapping[str, str]) -> str:
    """An aligned text table with CURIEs and labels, for the terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table(*result.variables, show_lines=False, header_style="bold")
    for row in result.terms:
        table.add_row(*(labelled(value, labels) for value in row))
    console = Console(width=200, record=True, file=io.StringIO(), highlight=False, markup=False)
    console.print(table)
    footer = f"{len(result.terms)} row{'s' if len(result.terms) != 1 else ''}\n"
    return console.export_text() + footer


Writer = Callable[[QueryResult, Mapping[str, str]], str]

#: Output formats of ``spasmkg query --format``.
WRITERS: dict[str, Writer] = {
    "table": to_table,
    "csv": to_csv,
    "tsv": to_tsv,
    "json": to_json,
    "md": to_markdown,
}


def render(result: QueryResult, output_format: str, labels: Mapping[str, str]) -> str:
    """Text of a result in a format; ASK and graph results have one natural form each."""
    if result.graph is not None:
        return result.graph.serialize(format="turtle")
    if result.boolean is not None and output_format != "json":
        return "yes\n" if result.boolean else "no\n"
    return WRITERS[output_format](result, labels)
