"""Curated files stay in canonical form and the Python vocabulary stays in step with the ontology."""

from __future__ import annotations

from pathlib import Path

import pytest

import spasmkg
from spasmkg.checks.canonical import canonical_text, curated_files, format_files
from spasmkg.errors import GraphSyntaxError
from spasmkg.model.loader import declared_terms, display_path
from spasmkg.model.namespaces import SKGO
from spasmkg.model.paths import data_paths
from tests.helpers import plant

PATHS = data_paths()
FILES = curated_files(PATHS)


@pytest.mark.parametrize("path", FILES, ids=[display_path(p, PATHS) for p in FILES])
def test_curated_file_is_canonical(path: Path) -> None:
    """Run 'spasmkg fmt' if this fails: it rewrites the file in sorted, canonical form."""
    assert path.read_text(encoding="utf-8") == canonical_text(path, path.name)


def test_python_vocabulary_matches_the_ontology(kg: spasmkg.KnowledgeGraph) -> None:
    names = [name for name in SKGO.__annotations__ if not name.startswith("_")]
    in_python = {SKGO[name] for name in [*names, *SKGO._extras]}
    assert in_python == declared_terms(kg.ontology)


def test_misspelt_term_in_python_fails_at_once() -> None:
    with pytest.raises(AttributeError):
        SKGO.cause  # noqa: B018


@pytest.mark.slow  # loads the whole graph again (seconds)
def test_fmt_rewrites_a_shuffled_file_and_check_reports_it(data_copy: Path) -> None:
    plant(
        data_copy,
        "graph/treatments.ttl",
        'rdfs:label "massage"@en ;',
        'rdfs:label    "massage"@en;',
    )
    paths = data_paths(data_copy)
    assert format_files(paths, check=True) == ["graph/treatments.ttl"]
    assert format_files(paths, check=False) == ["graph/treatments.ttl"]
    assert format_files(paths, check=True) == []
    head = (data_copy / "graph/treatments.ttl").read_text().splitlines()[0]
    assert head.startswith("# graph/treatments.ttl:"), "the header comment is kept"


@pytest.mark.slow  # loads the whole graph again (seconds)
def test_blank_nodes_are_refused_in_curated_files(data_copy: Path) -> None:
    plant(
        data_copy,
        "graph/treatments.ttl",
        'rdfs:label "massage"@en ;',
        'rdfs:label "massage"@en ; rdfs:seeAlso [ rdfs:label "x"@en ] ;',
    )
    with pytest.raises(GraphSyntaxError, match="blank nodes"):
        format_files(data_paths(data_copy), check=True)
