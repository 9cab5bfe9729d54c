"""One validation report from SHACL shapes, quality-check queries and the reference checks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from spasmkg.ask.engines import OxigraphEngine
from spasmkg.ask.library import quality_checks
from spasmkg.ask.safety import check_read_only
from spasmkg.checks.references import reference_checks
from spasmkg.checks.report import ValidationReport, Violation
from spasmkg.errors import QueryError
from spasmkg.model.curie import curie
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.loader import display_path, rdflib_parse
from spasmkg.model.namespaces import SH
from spasmkg.model.paths import DataPaths


def shacl_violations(data: Iterable[Graph], shapes: Graph) -> Iterator[Violation]:
    """SHACL results as violations (Core, and the SPARQL targets of the advanced features that
    pick the claims of one relation); the ontology in ``data`` supplies the class hierarchy."""
    import pyshacl  # imported here: it is slow to import and only validation needs it

    # the graphs merged into a new one: pyshacl binds the sh: prefix in the graph it is given
    # (even with inplace=False), which would change every output written from a shared graph
    copy = Graph(bind_namespaces="none")
    for part in data:
        copy += part
    _, results_graph, _ = pyshacl.validate(
        copy, shacl_graph=shapes, inference="none", inplace=True, advanced=True
    )
    results = cast(Graph, results_graph)
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        where = curie(focus) if focus is not None else "?"
        if isinstance(path, URIRef):
            where += f" {curie(path)}"
        yield Violation("shacl", where, str(message))


def qc_violations(store: Any, paths: DataPaths) -> Iterator[Violation]:
    """Rows returned by the quality-check queries, each of which must return none.

    They run on pyoxigraph, which answers them in milliseconds where rdflib takes a second;
    the test suite also runs each of them on rdflib.
    """
    engine = OxigraphEngine(store)
    for check in quality_checks(paths):
        try:  # a data folder's own checks are read-only too: no SERVICE, FROM or update
            shape = check_read_only(check.text, f"queries/qc/{check.name}.rq", hints=False)
        except QueryError as error:
            yield Violation(f"qc:{check.name}", "-", f"the check itself is refused: {error}")
            continue
        for row in engine.run(shape, {}).dicts():
            focus = row.get("focus")
            message = row.get("message", check.title)
            yield Violation(f"qc:{check.name}", curie(focus) if focus else "-", str(message))


def validate(kg: KnowledgeGraph, *, article: Path | None = None) -> ValidationReport:
    """Run every check over a loaded graph and collect what fails.

    :param article: the source article's text file; when given, each passage's character
        span is checked against its recorded SHA-256.
    """
    return graph_checks(kg) + reference_checks(kg, article=article)


def graph_checks(kg: KnowledgeGraph) -> ValidationReport:
    """The checks of the graph on its own: SHACL shapes and the quality-check queries."""
    paths = kg.paths
    shapes = rdflib_parse(paths.shapes_file, display_path(paths.shapes_file, paths))
    report = ValidationReport()
    # SHACL checks what curators write; the generated layers get the quality checks below
    generated = {
        str(g) for row in kg.layers if row.imported for g in (row.graph, row.inferred_graph)
    }
    curated = (graph for name, graph in kg.named_graphs() if str(name) not in generated)
    report.violations.extend(shacl_violations(curated, shapes))
    report.checks["SHACL shapes"] = len(set(shapes.subjects(RDF.type, SH.NodeShape)))
    report.violations.extend(qc_violations(kg.store, paths))
    report.checks["quality-check queries"] = len(quality_checks(paths))
    return report
