"""SHACL shapes and quality-check queries catch planted faults; the shipped graph is clean."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from rdflib import Graph, URIRef

import spasmkg
from spasmkg.ask.engines import OxigraphEngine
from spasmkg.ask.library import quality_checks
from spasmkg.ask.rdflib_engine import RdflibEngine
from spasmkg.ask.safety import inspect_query
from spasmkg.checks.references import passage_violations
from spasmkg.checks.validate import validate
from spasmkg.model.namespaces import SKG, SKGO
from spasmkg.model.paths import data_paths
from tests.helpers import ARTICLE, Line, Listener, plant, reported, run_entry_point

QC_CHECKS = quality_checks(data_paths())


def test_shipped_graph_validates_clean(kg: spasmkg.KnowledgeGraph) -> None:
    report = validate(kg)
    assert report.conforms, report.summary()
    assert report.checks["quality-check queries"] == len(QC_CHECKS) >= 10


@pytest.mark.parametrize("engine", [pytest.param("rdflib", marks=pytest.mark.slow), "oxigraph"])
@pytest.mark.parametrize("check", QC_CHECKS, ids=[check.name for check in QC_CHECKS])
def test_quality_check_finds_nothing_in_the_shipped_graph(
    graph: Graph, check: object, engine: str
) -> None:
    runner = RdflibEngine(graph) if engine == "rdflib" else OxigraphEngine.of_graph(graph)
    assert runner.run(inspect_query(check.text), {}).rows == []  # type: ignore[attr-defined]


MASSAGE = "claim:massage--relieves--muscle-cramp"
MASSAGE_ITEM = "evidence:massage--relieves--muscle-cramp--leg-cramps-2"
FIBROMYALGIA_ITEM = "evidence:fibromyalgia--causes--muscle-spasm--article-causes-diseases"
#: The fibromyalgia item as the data writes it.
FIBROMYALGIA_ITEM_TEXT = (
    f"{FIBROMYALGIA_ITEM} a skgo:EvidenceItem ;\n"
    "    prov:wasDerivedFrom source:article-causes-diseases ;\n"
    "    skgo:direction skgo:supports ;\n"
    "    skgo:evidenceType ECO:0000303 ."
)
CURATORS_ITEM = "evidence:upper-motor-neuron-damage--broader--nerve-damage--curators"
FUROSEMIDE_CAUSES_HYPOKALEMIA = "claim:furosemide--has-adverse-effect--hypokalemia"


def finding_of(item: str) -> str:
    """An evidence item's finding as the shipped diseases.ttl writes it (with its quotes)."""
    text = (data_paths().root / "graph" / "diseases.ttl").read_text(encoding="utf-8")
    return (
        text.split(f"{item} a skgo:EvidenceItem ;", 1)[1]
        .split("skgo:finding ", 1)[1]
        .split(" .\n", 1)[0]
    )


class Fault(NamedTuple):
    """A fault planted in a copy of the data (``old`` becomes ``new`` in ``file``), and what
    validate must report: each line given whole, or as a :class:`Line`."""

    file: str
    old: str
    new: str
    reports: tuple[str | Line, ...]


FAULTS = {
    "entity without label": Fault(
        "graph/treatments.ttl",
        'rdfs:label "massage"@en ;',
        "",
        (
            "[shacl] skg:massage rdfs:label: needs exactly one English rdfs:label",
            "[qc:entity-without-label-violation] skg:massage: has no rdfs:label",
        ),
    ),
    "label in another language": Fault(
        "graph/treatments.ttl",
        '"massage"@en',
        '"Massage"@de',
        ("[shacl] skg:massage rdfs:label: needs exactly one English rdfs:label",),
    ),
    "claim without evidence": Fault(
        "graph/treatments.ttl",
        f"    skgo:hasEvidence {MASSAGE_ITEM} ;\n",
        "",
        (
            f"[shacl] {MASSAGE} skgo:hasEvidence: needs at least one skgo:hasEvidence that is an"
            " evidence item",
            f"[qc:claim-without-evidence-violation] {MASSAGE}: has no evidence item"
            " (skgo:hasEvidence)",
        ),
    ),
    "evidence item without source": Fault(
        "graph/treatments.ttl",
        f"{MASSAGE_ITEM} a skgo:EvidenceItem ;\n    prov:wasDerivedFrom source:leg-cramps-2 ;\n",
        f"{MASSAGE_ITEM} a skgo:EvidenceItem ;\n",
        (
            f"[shacl] {MASSAGE_ITEM} prov:wasDerivedFrom: needs exactly one prov:wasDerivedFrom"
            " that is a source",
            f"[qc:claim-without-evidence-violation] {MASSAGE_ITEM}: evidence item names no source"
            " (prov:wasDerivedFrom)",
        ),
    ),
    "evidence that is not an ECO term": Fault(
        "graph/diseases.ttl",
        FIBROMYALGIA_ITEM_TEXT,
        FIBROMYALGIA_ITEM_TEXT.replace("ECO:0000303", "skg:fibromyalgia"),
        (
            f"[shacl] {FIBROMYALGIA_ITEM} skgo:evidenceType: needs exactly one"
            " skgo:evidenceType that is an ECO term",
        ),
    ),
    "direction outside the closed set": Fault(
        "graph/diseases.ttl",
        FIBROMYALGIA_ITEM_TEXT,
        FIBROMYALGIA_ITEM_TEXT.replace(
            "skgo:direction skgo:supports", "skgo:direction skgo:stated"
        ),
        (
            f"[shacl] {FIBROMYALGIA_ITEM} skgo:direction: needs exactly one skgo:direction:"
            " supports, refutes or inconclusive",
        ),
    ),
    "certainty outside the closed set": Fault(
        "graph/diseases.ttl",
        FIBROMYALGIA_ITEM_TEXT,
        FIBROMYALGIA_ITEM_TEXT.replace(
            "skgo:supports ;\n", "skgo:supports ;\n    skgo:certainty skgo:stated ;\n"
        ),
        (
            f"[shacl] {FIBROMYALGIA_ITEM} skgo:certainty: skgo:certainty must be one of the"
            " closed set of grades (skgo:Certainty)",
        ),
    ),
    "malformed PMID": Fault(
        "graph/literature.ttl",
        'skgo:pmid "25842375"',
        'skgo:pmid "PMID 25842375"',
        (
            Line("[shacl] source:pmid-25842375", has="a PMID is digits only"),
            Line(
                "[qc:malformed-identifier-violation] source:pmid-25842375",
                has="PMID PMID 25842375 is not digits",
            ),
        ),
    ),
    "malformed DOI": Fault(
        "graph/literature.ttl",
        'skgo:doi "10.1002/14651858.CD005044.pub3"',
        'skgo:doi "https://doi.org/10.1002/14651858.CD005044.pub3"',
        (
            Line(
                "[shacl] source:pmid-25842375",
                has="a DOI has the form 10.NNNN/suffix, without https://doi.org/",
            ),
            Line(
                "[qc:malformed-identifier-violation] source:pmid-25842375",
                has="is not of the form 10.NNNN/suffix",
            ),
        ),
    ),
    "curators' evidence without its reason": Fault(
        "graph/diseases.ttl",
        f" ;\n    skgo:finding {finding_of(CURATORS_ITEM)} .",
        " .",
        (
            f"[qc:curators-without-reason-violation] {CURATORS_ITEM}: rests on the curators but"
            " gives no reason (skgo:finding of 20 characters or more)",
        ),
    ),
    # fibromyalgia's spasms are disputed by a survey: no plain triple may state them
    "plain triple that says more than its claim": Fault(
        "graph/diseases.ttl",
        'rdfs:label "fibromyalgia"@en ;',
        'rdfs:label "fibromyalgia"@en ;\n    skgo:mayCause skg:muscle-spasm ;',
        (
            Line(
                "[qc:overstated-triple-violation] skg:fibromyalgia: says"
                " <https://w3id.org/spasmkg/ontology/mayCause>"
            ),
        ),
    ),
    "dangling reference": Fault(
        "graph/diseases.ttl",
        "rdf:object skg:muscle-spasm",
        "rdf:object skg:muscle-spasmm",
        (Line("[qc:dangling-reference-violation] skg:muscle-spasmm"),),
    ),
    # a medication causes a condition, not the reverse
    "wrong direction: a condition causes a medication": Fault(
        "graph/medications.ttl",
        "rdf:object skg:hypokalemia ;\n    rdf:predicate skgo:hasAdverseEffect ;\n"
        "    rdf:subject skg:furosemide",
        "rdf:object skg:furosemide ;\n    rdf:predicate skgo:hasAdverseEffect ;\n"
        "    rdf:subject skg:hypokalemia",
        (
            Line(
                f"[shacl] {FUROSEMIDE_CAUSES_HYPOKALEMIA}: the subject of skgo:hasAdverseEffect"
                " must be a Medication"
            ),
            Line(
                f"[shacl] {FUROSEMIDE_CAUSES_HYPOKALEMIA}: the object of skgo:hasAdverseEffect"
                " must be a Condition"
            ),
        ),
    ),
    "bare edge without a claim": Fault(
        "graph/treatments.ttl",
        'rdfs:label "massage"@en ;',
        'rdfs:label "massage"@en ;\n    skgo:relieves skg:spasticity ;',
        (Line("[qc:unbacked-edge-violation] skg:massage: links to"),),
    ),
    "overstated article claim": Fault(
        "graph/diseases.ttl",
        "evidence:fibromyalgia--causes--muscle-spasm--doi-10-1186-1471-2474-8-27 ;\n"
        "    skgo:modality skgo:possible",
        "evidence:fibromyalgia--causes--muscle-spasm--doi-10-1186-1471-2474-8-27 ;\n"
        "    skgo:modality skgo:stated",
        (
            Line(
                has=("[qc:overstated-article-claim-violation]", "not marked skgo:possible"),
            ),
        ),
    ),
    "duplicate label": Fault(
        "graph/treatments.ttl",
        '"massage"@en',
        '"Rest"@en',
        (Line("[qc:duplicate-label-violation]", has="'rest'"),),
    ),
    "hierarchy cycle": Fault(
        "graph/medications.ttl",
        "rdf:object skg:diuretic ;\n    rdf:predicate skos:broader ;\n"
        "    rdf:subject skg:loop-diuretic",
        "rdf:object skg:furosemide ;\n    rdf:predicate skos:broader ;\n"
        "    rdf:subject skg:loop-diuretic",
        (Line("[qc:hierarchy-cycle-violation] skg:furosemide"),),
    ),
    "passage outside its section": Fault(
        "graph/sources.ttl",
        "skgo:charEnd 1316 ;\n    skgo:charStart 1182",
        "skgo:charEnd 1316 ;\n    skgo:charStart 1400",
        (Line("[qc:passage-span-violation] source:article-causes-medications"),),
    ),
}


#: Each case validates the whole graph (SHACL and every check, seconds each), so all are slow;
#: the fast subset keeps the clean validation of the shipped graph.
@pytest.mark.slow
@pytest.mark.parametrize("case", FAULTS)
def test_a_planted_fault_is_reported(data_copy: Path, case: str) -> None:
    fault = FAULTS[case]
    plant(data_copy, fault.file, fault.old, fault.new)
    found = [str(v) for v in validate(spasmkg.load(data_copy)).violations]
    for expected in fault.reports:
        assert reported(expected, found), (expected, found)


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


@pytest.mark.slow
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
