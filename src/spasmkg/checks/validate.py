"""One validation report from SHACL shapes, quality-check queries and identifier checks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from spasmkg.ask.engines import OxigraphEngine
from spasmkg.ask.library import quality_checks
from spasmkg.ask.safety import check_read_only
from spasmkg.checks.identifiers import mapping_violations
from spasmkg.errors import DataError, QueryError
from spasmkg.model.curie import curie
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.loader import display_path, rdflib_parse
from spasmkg.model.namespaces import SH, SKGO, SOURCE
from spasmkg.model.paths import DataPaths


@dataclass(frozen=True, order=True)
class Violation:
    """One problem: which check found it, on what, and what is wrong."""

    check: str
    focus: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.focus}: {self.message}"


@dataclass
class ValidationReport:
    """All violations found, and how many checks of each kind ran."""

    violations: list[Violation] = field(default_factory=list)
    checks: dict[str, int] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        """True when nothing is wrong."""
        return not self.violations

    def summary(self) -> str:
        """Readable text: the checks that ran, then one line per violation."""
        ran = ", ".join(f"{count} {kind}" for kind, count in self.checks.items())
        lines = [f"checks run: {ran}"]
        lines.extend(str(violation) for violation in sorted(self.violations))
        verdict = "valid" if self.conforms else f"{len(self.violations)} violation(s)"
        lines.append(f"result: {verdict}")
        return "\n".join(lines)


def shacl_violations(data: Graph, shapes: Graph) -> Iterator[Violation]:
    """SHACL results as violations (Core, and the SPARQL targets of the advanced features that
    pick the claims of one relation); the ontology in ``data`` supplies the class hierarchy."""
    import pyshacl  # imported here: it is slow to import and only validation needs it

    # on a copy: pyshacl binds the sh: prefix in the graph it is given (even with
    # inplace=False), which would change every output written from the shared graph later
    copy = Graph(bind_namespaces="none")
    copy += data
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


def passage_violations(data: Graph, article: Path) -> Iterator[Violation]:
    """Check that every cited span of the article still has the checksum recorded for it."""
    try:
        raw = article.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(
            f"{article}: not UTF-8 text (byte {error.start}); give the article's text file"
        ) from None
    except OSError as error:
        raise DataError(f"{article}: cannot read: {error.strerror}") from None
    recorded = data.value(SOURCE.article, SKGO.sha256)
    if recorded is not None and str(recorded) != hashlib.sha256(raw).hexdigest():
        yield Violation("article", str(article), "file checksum differs from source:article")
    for kind in (SKGO.Passage, SKGO.ArticleSection):
        for passage in data.subjects(RDF.type, kind):
            start = data.value(passage, SKGO.charStart)
            end = data.value(passage, SKGO.charEnd)
            expected = data.value(passage, SKGO.sha256)
            if start is None or end is None or expected is None:
                continue
            span = text[int(str(start)) : int(str(end))].encode("utf-8")
            if hashlib.sha256(span).hexdigest() != str(expected):
                yield Violation(
                    "article", curie(passage), f"characters {start}-{end} no longer match"
                )


def entity_labels(kg: KnowledgeGraph) -> dict[str, str]:
    """The label each biomedical entity is written with (empty if none), keyed by its CURIE,
    for checking mapping subjects."""
    return {
        entity.curie: str(kg.asserted.value(URIRef(entity.iri), RDFS.label) or "")
        for entity in kg.entities
        if not entity.is_guidance
    }


def validate(kg: KnowledgeGraph, *, article: Path | None = None) -> ValidationReport:
    """Run every check over a loaded graph and collect what fails.

    :param article: the source article's text file; when given, each passage's character
        span is checked against its recorded SHA-256.
    """
    paths = kg.paths
    shapes = rdflib_parse(paths.shapes_file, display_path(paths.shapes_file, paths))
    report = ValidationReport()
    # SHACL checks what curators write; the generated layers get the quality checks below
    report.violations.extend(shacl_violations(kg.union(imported=False), shapes))
    report.checks["SHACL shapes"] = len(set(shapes.subjects(RDF.type, SH.NodeShape)))
    report.violations.extend(qc_violations(kg.store, paths))
    report.checks["quality-check queries"] = len(quality_checks(paths))
    if kg.mapping_set is not None:
        problems = mapping_violations(kg.mapping_set, entity_labels(kg))
        report.violations.extend(Violation("mappings", where, what) for where, what in problems)
        report.checks["mapping rows"] = len(kg.mapping_set.mappings)
    if article is not None:
        report.violations.extend(passage_violations(kg.asserted, article))
        report.checks["article passages"] = len(set(kg.asserted.subjects(RDF.type, SKGO.Passage)))
    return report
