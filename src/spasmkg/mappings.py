"""SSSOM mappings to outside vocabularies (filled in by the vocabulary-links work)."""

from __future__ import annotations

from rdflib import Graph

from spasmkg.paths import DataPaths


def load_mappings(paths: DataPaths) -> Graph:
    """The mapping triples; empty until graph/mappings.sssom.tsv exists."""
    return Graph(bind_namespaces="none")


def mapping_violations(paths: DataPaths) -> list[tuple[str, str]]:
    """Problems in the SSSOM file as (row, message); none until the file exists."""
    return []
