"""Bad input gets one line naming file and line, exit code 2, and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import RDF

import spasmkg
from spasmkg.errors import GraphSyntaxError, UndeclaredTerm
from spasmkg.model.namespaces import SKGO
from tests.helpers import run_entry_point


def plant(data: Path, file: str, old: str, new: str) -> int:
    """Replace text in a data file; return the line number of the change."""
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_shipped_graph_loads_and_materialises_each_claim(data_copy: Path) -> None:
    kg = spasmkg.load(data_copy)
    claims = set(kg.asserted.subjects(RDF.type, SKGO.Claim))
    assert len(claims) == 128
    assert len(kg.inferred) == 127  # two cannabis claims share a triple and differ by context


def test_asserted_and_inferred_are_kept_apart(kg: spasmkg.KnowledgeGraph) -> None:
    from rdflib import URIRef

    skg = "https://w3id.org/spasmkg/entity/"
    triple = (URIRef(skg + "dehydration"), SKGO.causes, URIRef(skg + "muscle-spasm"))
    assert triple in kg.inferred and triple not in kg.asserted
    assert kg.is_inferred(triple)
    assert triple not in kg.union(inferred=False)
    assert triple in kg.union()


def test_malformed_turtle_names_file_and_line(data_copy: Path) -> None:
    line = plant(data_copy, "graph/causes.ttl", '"dehydration"@en', '"dehydration@en')
    with pytest.raises(GraphSyntaxError, match=rf"^graph/causes.ttl:{line}: bad Turtle syntax"):
        spasmkg.load(data_copy)


def test_unknown_prefix_names_file_and_line(data_copy: Path) -> None:
    line = plant(
        data_copy,
        "graph/diseases.ttl",
        "skg:fibromyalgia a skgo:Disease",
        "skg:fibromyalgia a skgx:Disease",
    )
    with pytest.raises(GraphSyntaxError, match=rf"graph/diseases.ttl:{line}: .*skgx"):
        spasmkg.load(data_copy)


def test_misspelt_ontology_property_names_file_and_line(data_copy: Path) -> None:
    line = plant(
        data_copy,
        "graph/nutrients.ttl",
        "rdf:predicate skgo:deficiencyOf",
        "rdf:predicate skgo:deficiencyof",
    )
    with pytest.raises(
        UndeclaredTerm,
        match=rf"^graph/nutrients.ttl:{line}: skgo:deficiencyof is not a declared term",
    ):
        spasmkg.load(data_copy)


def test_misspelt_standard_term_is_refused(data_copy: Path) -> None:
    line = plant(data_copy, "graph/treatments.ttl", 'rdfs:label "massage"', 'rdfs:lable "massage"')
    with pytest.raises(UndeclaredTerm, match=rf"graph/treatments.ttl:{line}: rdfs:lable"):
        spasmkg.load(data_copy)


def test_cli_reports_one_line_and_exit_code_1_for_invalid_data(data_copy: Path) -> None:
    line = plant(data_copy, "graph/causes.ttl", '"dehydration"@en', '"dehydration@en')
    result = run_entry_point("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: graph/causes.ttl:{line}: bad Turtle syntax: newline found in string literal"
    ]
    assert "Traceback" not in result.stderr


def test_build_with_a_bad_file_writes_nothing(data_copy: Path, tmp_path: Path) -> None:
    plant(
        data_copy,
        "graph/nutrients.ttl",
        "rdf:predicate skgo:deficiencyOf",
        "rdf:predicate skgo:deficiencyof",
    )
    out = tmp_path / "dist"
    result = run_entry_point("build", "--data", str(data_copy), "--out", str(out))
    assert result.returncode == 1
    assert "skgo:deficiencyof is not a declared term" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [data_copy]


def test_missing_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run_entry_point("validate", "--data", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "not a spasmkg data folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_literal_loads_as_data_not_markup(data_copy: Path) -> None:
    """Labels are data: a script tag in a label is kept verbatim (escaping is the page's job)."""
    hostile = "<img src=x onerror=alert(1)>"
    plant(data_copy, "graph/treatments.ttl", '"massage"@en', f'"{hostile}"@en')
    kg = spasmkg.load(data_copy)
    assert any(str(o) == hostile for o in kg.asserted.objects())
