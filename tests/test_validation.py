"""SHACL shapes and quality-check queries catch planted faults; the shipped graph is clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import spasmkg
from spasmkg.ask.engines import OxigraphEngine, RdflibEngine
from spasmkg.ask.library import quality_checks
from spasmkg.ask.safety import inspect_query
from spasmkg.checks.references import passage_violations
from spasmkg.checks.validate import validate
from spasmkg.model.namespaces import SKG, SKGO
from spasmkg.model.paths import data_paths
from tests.helpers import ARTICLE, Listener, plant, run_entry_point

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
    runner = RdflibEngine(graph) if engine == "rdflib" else OxigraphEngine.of_graph(graph)
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


MASSAGE = "claim:massage--relieves--muscle-cramp"
MASSAGE_ITEM = "evidence:massage--relieves--muscle-cramp--leg-cramps-2"
FIBROMYALGIA_ITEM = "evidence:fibromyalgia--causes--muscle-spasm--article-causes-diseases"


def test_claim_without_evidence(data_copy: Path) -> None:
    found = violations_after(
        data_copy, "graph/treatments.ttl", f"    skgo:hasEvidence {MASSAGE_ITEM} ;\n", ""
    )
    assert (
        f"[shacl] {MASSAGE} skgo:hasEvidence: needs at least one skgo:hasEvidence that is an evidence item"
        in found
    )
    assert (
        f"[qc:claim-without-evidence-violation] {MASSAGE}: has no evidence item (skgo:hasEvidence)"
        in found
    )


def test_evidence_item_without_source(data_copy: Path) -> None:
    found = violations_after(
        data_copy,
        "graph/treatments.ttl",
        f"{MASSAGE_ITEM} a skgo:EvidenceItem ;\n    prov:wasDerivedFrom source:leg-cramps-2 ;\n",
        f"{MASSAGE_ITEM} a skgo:EvidenceItem ;\n",
    )
    assert (
        f"[shacl] {MASSAGE_ITEM} prov:wasDerivedFrom: needs exactly one prov:wasDerivedFrom that is a source"
        in found
    )
    assert (
        f"[qc:claim-without-evidence-violation] {MASSAGE_ITEM}: evidence item names no source (prov:wasDerivedFrom)"
        in found
    )


def test_evidence_that_is_not_an_eco_term(data_copy: Path) -> None:
    found = violations_after(
        data_copy,
        "graph/diseases.ttl",
        f"{FIBROMYALGIA_ITEM} a skgo:EvidenceItem ;\n    prov:wasDerivedFrom source:article-causes-diseases ;\n    skgo:direction skgo:supports ;\n    skgo:evidenceType ECO:0000303 .",
        f"{FIBROMYALGIA_ITEM} a skgo:EvidenceItem ;\n    prov:wasDerivedFrom source:article-causes-diseases ;\n    skgo:direction skgo:supports ;\n    skgo:evidenceType skg:fibromyalgia .",
    )
    assert (
        f"[shacl] {FIBROMYALGIA_ITEM} skgo:evidenceType: needs exactly one skgo:evidenceType that is an ECO term"
        in found
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "skgo:direction skgo:supports ;\n    skgo:evidenceType ECO:0000303 .",
            "skgo:direction skgo:stated ;\n    skgo:evidenceType ECO:0000303 .",
            "skgo:direction: needs exactly one skgo:direction: supports, refutes or inconclusive",
        ),
        (
            "skgo:direction skgo:supports ;\n    skgo:evidenceType ECO:0000303 .",
            "skgo:direction skgo:supports ;\n    skgo:certainty skgo:stated ;\n    skgo:evidenceType ECO:0000303 .",
            "skgo:certainty: skgo:certainty must be one of the closed set of grades (skgo:Certainty)",
        ),
    ],
    ids=["direction-outside-the-closed-set", "certainty-outside-the-closed-set"],
)
def test_evidence_qualifiers_come_from_closed_sets(
    data_copy: Path, old: str, new: str, message: str
) -> None:
    found = violations_after(
        data_copy,
        "graph/diseases.ttl",
        f"{FIBROMYALGIA_ITEM} a skgo:EvidenceItem ;\n    prov:wasDerivedFrom source:article-causes-diseases ;\n    {old}",
        f"{FIBROMYALGIA_ITEM} a skgo:EvidenceItem ;\n    prov:wasDerivedFrom source:article-causes-diseases ;\n    {new}",
    )
    assert f"[shacl] {FIBROMYALGIA_ITEM} {message}" in found


@pytest.mark.parametrize(
    ("old", "new", "shacl", "qc"),
    [
        (
            'skgo:pmid "25842375"',
            'skgo:pmid "PMID 25842375"',
            "a PMID is digits only",
            "PMID PMID 25842375 is not digits",
        ),
        (
            'skgo:doi "10.1002/14651858.CD005044.pub3"',
            'skgo:doi "https://doi.org/10.1002/14651858.CD005044.pub3"',
            "a DOI has the form 10.NNNN/suffix, without https://doi.org/",
            "is not of the form 10.NNNN/suffix",
        ),
    ],
    ids=["pmid", "doi"],
)
def test_malformed_publication_identifiers(
    data_copy: Path, old: str, new: str, shacl: str, qc: str
) -> None:
    found = violations_after(data_copy, "graph/literature.ttl", old, new)
    assert any(v.startswith("[shacl] source:pmid-25842375") and shacl in v for v in found), found
    assert any(
        v.startswith("[qc:malformed-identifier-violation] source:pmid-25842375") and qc in v
        for v in found
    ), found


def test_curators_evidence_without_its_reason(data_copy: Path) -> None:
    item = "evidence:upper-motor-neuron-damage--broader--nerve-damage--curators"
    text = (data_copy / "graph/diseases.ttl").read_text(encoding="utf-8")
    reason = (
        text.split(f"{item} a skgo:EvidenceItem ;", 1)[1]
        .split("skgo:finding ", 1)[1]
        .split(" .\n", 1)[0]
    )
    found = violations_after(
        data_copy, "graph/diseases.ttl", f" ;\n    skgo:finding {reason} .", " ."
    )
    assert (
        f"[qc:curators-without-reason-violation] {item}: rests on the curators but gives no reason"
        " (skgo:finding of 20 characters or more)" in found
    )


def test_plain_triple_that_says_more_than_its_claim(data_copy: Path) -> None:
    """Fibromyalgia's spasms are disputed by a survey: no plain triple may state them."""
    found = violations_after(
        data_copy,
        "graph/diseases.ttl",
        'rdfs:label "fibromyalgia"@en ;',
        'rdfs:label "fibromyalgia"@en ;\n    skgo:mayCause skg:muscle-spasm ;',
    )
    assert any(
        v.startswith(
            "[qc:overstated-triple-violation] skg:fibromyalgia: says <https://w3id.org/spasmkg/ontology/mayCause>"
        )
        for v in found
    ), found


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
    claim = "claim:furosemide--has-adverse-effect--hypokalemia"
    assert any(
        v.startswith(f"[shacl] {claim}: the subject of skgo:hasAdverseEffect must be a Medication")
        for v in found
    ), found
    assert any(
        v.startswith(f"[shacl] {claim}: the object of skgo:hasAdverseEffect must be a Condition")
        for v in found
    ), found


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
        "evidence:fibromyalgia--causes--muscle-spasm--doi-10-1186-1471-2474-8-27 ;\n    skgo:modality skgo:possible",
        "evidence:fibromyalgia--causes--muscle-spasm--doi-10-1186-1471-2474-8-27 ;\n    skgo:modality skgo:stated",
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
    result = run_entry_point("validate", "--layer", "core", "--article", str(edited))
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
