"""Checks of the graph against what it refers to: the outside vocabularies its mappings name,
and the article its passages quote.

They need neither SHACL nor a query engine, so a build runs them while a forked copy of the
process runs the graph checks (:mod:`spasmkg.checks.validate`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from spasmkg.checks.identifiers import mapping_violations
from spasmkg.checks.report import ValidationReport, Violation
from spasmkg.errors import DataError
from spasmkg.model.curie import curie
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.namespaces import SKGO, SOURCE


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


def reference_checks(kg: KnowledgeGraph, *, article: Path | None = None) -> ValidationReport:
    """The checks of the graph against what it refers to: the mapping rows against the outside
    vocabularies, and (given the article) each passage against the article's text."""
    report = ValidationReport()
    if kg.mapping_set is not None:
        problems = mapping_violations(kg.mapping_set, entity_labels(kg))
        report.violations.extend(Violation("mappings", where, what) for where, what in problems)
        report.checks["mapping rows"] = len(kg.mapping_set.mappings)
    if article is not None:
        report.violations.extend(passage_violations(kg.asserted, article))
        report.checks["article passages"] = len(set(kg.asserted.subjects(RDF.type, SKGO.Passage)))
    return report
