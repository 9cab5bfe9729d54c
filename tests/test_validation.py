"""SHACL shapes and quality-check queries catch planted faults; the shipped graph is clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import spasmkg
from spasmkg.ask.engines import OxigraphEngine, RdflibEngine
from spasmkg.ask.library import quality_checks
from spasmkg.ask.safety import inspect_query
from spasmkg.checks.validate import passage_violations, validate
from spasmkg.model.namespaces import SKG, SKGO
from spasmkg.model.paths import data_paths
from tests.helpers import ARTICLE, Listener, run_entry_point
from tests.test_load_errors import plant

QC_CHECKS = quality_checks(data_paths())


def test_shipped_graph_validates_clean(kg: spasmkg.KnowledgeGraph) -> None:
    report = validate(kg)
    assert report.conforms, report.summary()
    assert report.checks["quality-check queries"] == len(QC_CHECKS) >= 10


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("check", QC_CHECKS, ids=[check.name for check in QC_CHECKS])
def test_quality_check_finds_nothing_in_the_shipped_graph(
    graph: Graph, check: object, engine: str
) -> None:
    runner = (RdflibEngine if engine == "rdflib" else OxigraphEngine)(graph)
    assert runner.run(inspect_query(check.text), {}).rows == []  # type: ignore[attr-defined]


def violations_after(data: Path, file: str, old: str, new: str) -> list[str]:
    """Plant a fault and return the violations validate reports, as strings."""
    plant(data, file, old, new)
    return [str(v) for v in validate(spasmkg.load(data)).violations]


def test_entity_without_label(data_copy: Path) -> None:
    found = violations_after(data_copy, "graph/treatments.ttl", 'rdfs:label "massage"@en ;', "")
    assert "[shacl] skg:massage rdfs:label: needs exactly one English rdfs:label" in found
    assert "[qc:entity-without-label-violation] skg:massage: has no rdfs:label" in found


def test_label_in_another_language(data_copy: Path) -> None:
    found = violations_after(data_copy, "graph/treatments.ttl", '"massage"@en', '"Massage"@de')
    assert "[shacl] skg:massage rdfs:label: needs exactly one English rdfs:label" in found


def test_claim_without_source(data_copy: Path) -> None:
    found = violations_after(
        data_copy,
        "graph/treatments.ttl",
        "    prov:wasDerivedFrom source:curators ;\n    skgo:evidence ECO:0000305 ;\n    skgo:modality skgo:possible .\n\nclaim:muscle-stretching",
        "    skgo:evidence ECO:0000305 ;\n    skgo:modality skgo:possible .\n\nclaim:muscle-stretching",
    )
    claim = "claim:massage--relieves--muscle-cramp"
    assert (
        f"[shacl] {claim} prov:wasDerivedFrom: needs at least one prov:wasDerivedFrom that is a source"
        in found
    )
    assert (
        f"[qc:claim-without-source-violation] {claim}: cites no source (prov:wasDerivedFrom)"
        in found
    )


def test_evidence_that_is_not_an_eco_term(data_copy: Path) -> None:
    found = violations_after(
        data_copy,
        "graph/diseases.ttl",
        "skgo:evidence ECO:0000303",
        "skgo:evidence skg:fibromyalgia",
    )
    assert any("needs at least one skgo:evidence that is an ECO term" in v for v in found)


def test_dangling_reference(data_copy: Path) -> None:
    found = violations_after(
        data_copy,
        "graph/diseases.ttl",
        "rdf:object skg:muscle-spasm",
        "rdf:object skg:muscle-spasmm",
    )
    assert any(v.startswith("[qc:dangling-reference-violation] skg:muscle-spasmm") for v in found)


def test_wrong_direction_condition_causes_medication(data_copy: Path) -> None:
    """A medication causes a condition, not the reverse."""
    found = violations_after(
        data_copy,
        "graph/medications.ttl",
        "rdf:object skg:hypokalemia ;\n    rdf:predicate skgo:hasAdverseEffect ;\n    rdf:subject skg:furosemide",
        "rdf:object skg:furosemide ;\n    rdf:predicate skgo:hasAdverseEffect ;\n    rdf:subject skg:hypokalemia",
    )
    assert (
        "[shacl] skg:hypokalemia: the subject of skgo:hasAdverseEffect must be a Medication or MedicationClass"
        in found
    )
    assert (
        "[shacl] skg:furosemide: the object of skgo:hasAdverseEffect must be a Condition or PhysiologicalState"
        in found
    )


def test_bare_edge_without_a_claim(data_copy: Path) -> None:
    found = violations_after(
        data_copy,
        "graph/treatments.ttl",
        'rdfs:label "massage"@en ;',
        'rdfs:label "massage"@en ;\n    skgo:relieves skg:spasticity ;',
    )
    assert any(v.startswith("[qc:unbacked-edge-violation] skg:massage: links to") for v in found)


def test_overstated_article_claim(data_copy: Path) -> None:
    found = violations_after(
        data_copy,
        "graph/diseases.ttl",
        "prov:wasDerivedFrom source:article-causes-diseases ;\n    skgo:evidence ECO:0000303 ;\n    skgo:modality skgo:possible",
        "prov:wasDerivedFrom source:article-causes-diseases ;\n    skgo:evidence ECO:0000303 ;\n    skgo:modality skgo:stated",
    )
    assert any(
        "[qc:overstated-article-claim-violation]" in v and "not marked skgo:possible" in v
        for v in found
    )


def test_duplicate_label(data_copy: Path) -> None:
    found = violations_after(data_copy, "graph/treatments.ttl", '"massage"@en', '"Rest"@en')
    assert any(v.startswith("[qc:duplicate-label-violation]") and "'rest'" in v for v in found)


def test_hierarchy_cycle(data_copy: Path) -> None:
    found = violations_after(
        data_copy,
        "graph/medications.ttl",
        "rdf:object skg:diuretic ;\n    rdf:predicate skos:broader ;\n    rdf:subject skg:loop-diuretic",
        "rdf:object skg:furosemide ;\n    rdf:predicate skos:broader ;\n    rdf:subject skg:loop-diuretic",
    )
    assert any(v.startswith("[qc:hierarchy-cycle-violation] skg:furosemide") for v in found)


def test_passage_outside_its_section(data_copy: Path) -> None:
    found = violations_after(
        data_copy,
        "graph/sources.ttl",
        "skgo:charEnd 1316 ;\n    skgo:charStart 1182",
        "skgo:charEnd 1316 ;\n    skgo:charStart 1400",
    )
    assert any(
        v.startswith("[qc:passage-span-violation] source:article-causes-medications") for v in found
    )


def test_undeclared_term_query_catches_what_the_loader_would_refuse(graph: Graph) -> None:
    """The loader refuses undeclared terms at parse time; the QC query guards graphs built in code."""
    check = next(c for c in QC_CHECKS if c.name == "undeclared-term-violation")
    planted = Graph() + graph
    planted.add((SKG.rest, URIRef(str(SKGO._NS) + "cures"), SKG["muscle-fatigue"]))
    rows = list(planted.query(check.text))
    assert [str(row[0]) for row in rows] == [str(SKGO._NS) + "cures"]  # type: ignore[index]


def test_validate_command_exits_1_and_lists_violations(data_copy: Path) -> None:
    plant(data_copy, "graph/treatments.ttl", 'rdfs:label "massage"@en ;', "")
    result = run_entry_point("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert "[shacl] skg:massage rdfs:label: needs exactly one English rdfs:label" in result.stdout
    assert "result: 2 violation(s)" in result.stdout


def test_passages_detect_an_edited_article(tmp_path: Path, graph: Graph) -> None:
    """If the article's text changes, every cited span no longer matches its checksum."""
    edited = tmp_path / "article.txt"
    edited.write_text("x" * 2003, encoding="utf-8")
    found = list(passage_violations(graph, edited))
    assert found[0].message == "file checksum differs from source:article"
    assert len(found) == 1 + 14 + 4  # the file, 14 passages, 4 sections


@pytest.mark.skipif(
    not ARTICLE.exists(),
    reason="the source article sits outside the repository (../shared/sources)",
)
def test_every_cited_passage_matches_the_article(graph: Graph) -> None:
    assert list(passage_violations(graph, ARTICLE)) == []
    text = ARTICLE.read_text(encoding="utf-8")
    spans = {
        str(row[0]).rsplit("/", 1)[1]: text[int(row[1]) : int(row[2])]  # type: ignore[index]
        for row in graph.query(
            "SELECT ?p ?s ?e WHERE { ?p <https://w3id.org/spasmkg/ontology/charStart> ?s ; "
            "<https://w3id.org/spasmkg/ontology/charEnd> ?e }"
        )
    }
    assert spans["article-causes-nutrients"].startswith("Nutritional deficiencies")
    assert "magnesium, potassium, and calcium" in spans["article-causes-nutrients"]
    assert "multiple sclerosis and spinal cord" in spans["article-cannabis-studies"]
    assert spans["article-treatment-course"].startswith("In most cases")


def test_validate_command_checks_the_article_when_given(tmp_path: Path) -> None:
    edited = tmp_path / "article.txt"
    edited.write_text("x" * 2003, encoding="utf-8")
    result = run_entry_point("validate", "--article", str(edited))
    assert result.returncode == 1
    assert f"[article] {edited}: file checksum differs from source:article" in result.stdout
    assert (
        "[article] source:article-causes-dehydration: characters 382-528 no longer match"
        in result.stdout
    )
    if ARTICLE.exists():
        assert run_entry_point("validate", "--article", str(ARTICLE)).returncode == 0


def test_a_quality_check_that_would_call_out_is_refused(data_copy: Path) -> None:
    """Defect: QC queries ran without the read-only check, so a data folder could make
    validate and build send HTTP requests."""
    listener = Listener()
    try:
        (data_copy / "queries" / "qc" / "zz-violation.rq").write_text(
            "# title: a check that calls out\n"
            f"SELECT ?focus WHERE {{ SERVICE <{listener.url}> {{ ?focus ?p ?o }} }}\n"
        )
        found = [str(v) for v in validate(spasmkg.load(data_copy)).violations]
        assert listener.requests == []
    finally:
        listener.close()
    assert any(v.startswith("[qc:zz-violation] -: the check itself is refused") for v in found), (
        found
    )
