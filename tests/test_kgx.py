"""The KGX export, checked offline against the Biolink Model the biolink-model package ships."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib.namespace import RDF, SKOS

import spasmkg
from spasmkg.model.curie import expand, prefix_of
from spasmkg.model.namespaces import SKGO
from spasmkg.outputs import kgx
from tests.helpers import CORE, REPO, run_entry_point


@pytest.fixture(scope="module")
def toolkit() -> Any:
    """bmt over the packaged Biolink schema, with an empty predicate map: no network at all."""
    import biolink_model
    from bmt import Toolkit

    schema = Path(next(iter(biolink_model.__path__))) / "schema" / "biolink_model.yaml"
    return Toolkit(schema=str(schema), predicate_map={"predicate mappings": []})


@pytest.fixture(scope="module")
def exported(
    kg_all: spasmkg.KnowledgeGraph,
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The KGX nodes by id, and the edges, of the whole graph."""
    nodes, edges = kgx.records(kg_all)
    return {node["id"]: node for node in nodes}, edges


def edges_between(
    edges: list[dict[str, Any]], subject: str, predicate: str, obj: str
) -> list[dict[str, Any]]:
    """The edges with a subject, predicate and object."""
    return [
        e for e in edges if (e["subject"], e["predicate"], e["object"]) == (subject, predicate, obj)
    ]


def id_of(nodes: dict[str, dict[str, Any]], name: str) -> str:
    """The KGX id of the one node with a name."""
    (found,) = [node_id for node_id, node in nodes.items() if node["name"] == name]
    return found


def test_the_frozen_biolink_prefixes_are_the_packaged_models() -> None:
    spec = importlib.util.spec_from_file_location(
        "freeze_biolink", REPO / "scripts" / "freeze_biolink.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    frozen = json.loads((REPO / "src" / "spasmkg" / "outputs" / "biolink.json").read_text("utf-8"))
    assert frozen == script.frozen()
    assert frozen["version"] == "4.4.6"


@pytest.mark.slow
def test_every_node_kind_and_relation_has_a_biolink_term(
    kg_all: spasmkg.KnowledgeGraph, toolkit: Any
) -> None:
    terms = kgx.biolink_terms(kg_all)
    kinds = {kgx.SKGO_BASE + entity.kind for entity in kg_all.entities}
    relations = {claim.predicate.iri for claim in kg_all.claims}
    assert kinds <= set(terms) and relations <= set(terms)
    assert all(toolkit.is_category(terms[kind]) for kind in kinds), {terms[k] for k in kinds}
    assert all(toolkit.is_predicate(terms[r]) for r in relations), {terms[r] for r in relations}
    assert not toolkit.is_predicate("biolink:not_a_predicate")  # the check can fail
    qualifiers = kgx.biolink_terms(kg_all, SKGO.biolinkContextQualifier)
    assert set(qualifiers.values()) == {
        "biolink:population_context_qualifier",
        "biolink:disease_context_qualifier",
    }
    for qualifier in qualifiers.values():
        assert toolkit.get_element(qualifier) is not None
        assert qualifier.removeprefix("biolink:") in kgx.EDGE_COLUMNS


@pytest.mark.slow
def test_every_column_is_a_biolink_slot_or_a_documented_extension(toolkit: Any) -> None:
    for column in (*kgx.NODE_COLUMNS, *kgx.EDGE_COLUMNS):
        assert toolkit.get_element(column) is not None or column in kgx.EXTENSION_COLUMNS, column
    assert toolkit.get_element("spasmkg_modality") is None


@pytest.mark.slow
def test_every_edge_is_well_formed(
    exported: tuple[dict[str, dict[str, Any]], list[dict[str, Any]]], toolkit: Any
) -> None:
    """Endpoints are nodes, values come from Biolink's enumerations, and every edge cites a
    source and an ECO type."""
    nodes, edges = exported
    levels = set(toolkit.view.get_enum("KnowledgeLevelEnum").permissible_values)
    agents = set(toolkit.view.get_enum("AgentTypeEnum").permissible_values)
    for edge in edges:
        assert edge["subject"] in nodes and edge["object"] in nodes, edge["id"]
        assert edge["knowledge_level"] in levels and edge["agent_type"] in agents
        assert edge["publications"] and all(e.startswith("ECO:") for e in edge["has_evidence"])
    assert len({edge["id"] for edge in edges}) == len(edges)


def test_nodes_carry_the_identifiers_the_big_graphs_use(
    exported: tuple[dict[str, dict[str, Any]], list[dict[str, Any]]],
) -> None:
    nodes, _ = exported
    mcardle = nodes["MONDO:0009293"]
    assert mcardle["name"] == "glycogen storage disease V"
    assert mcardle["category"] == ["biolink:Disease"]
    assert {"OMIM:232600", "skg:mondo-0009293"} <= set(mcardle["equivalent_identifiers"])
    assert nodes["CHEBI:47426"]["name"] == "furosemide"
    assert nodes["HP:0003394"]["name"] == "muscle spasm"
    assert nodes["NCBIGene:5837"]["name"] == "PYGM"  # Biolink prefers NCBI Gene to HGNC
    assert "HGNC:9726" in nodes["NCBIGene:5837"]["xref"]
    assert nodes["skg:electrolyte-imbalance"]["category"] == ["biolink:PhenotypicFeature"]


def test_a_rare_disease_presents_with_cramps_citing_its_annotation(
    exported: tuple[dict[str, dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """Glycogen storage disease V has exercise-associated cramps, from the HPO annotations,
    citing PMID 8316268 on published clinical evidence (PCS)."""
    _, edges = exported
    (edge,) = edges_between(edges, "MONDO:0009293", "biolink:has_phenotype", "HP:0003710")
    assert "PMID:8316268" in edge["publications"] and "ECO:0006017" in edge["has_evidence"]
    assert edge["primary_knowledge_source"] == "infores:hpo-annotations"
    assert edge["aggregator_knowledge_source"] == ["infores:spasmkg"]
    assert edge["original_predicate"] == "https://w3id.org/spasmkg/ontology/hasPhenotype"
    assert edge["negated"] is False


def test_furosemide_may_lower_potassium_and_the_hedge_travels(
    exported: tuple[dict[str, dict[str, Any]], list[dict[str, Any]]],
) -> None:
    _, edges = exported
    (edge,) = edges_between(edges, "CHEBI:47426", "biolink:has_side_effect", "HP:0002900")
    assert edge["spasmkg_modality"] == "possible"
    assert edge["primary_knowledge_source"] == "infores:spasmkg"
    assert edge["publications"] == [
        "https://www.mims.com/philippines/drug/info/furose/adverse-reactions"
    ]


def test_publications_are_curies_where_the_source_has_them(
    kg_all: spasmkg.KnowledgeGraph, exported: tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]
) -> None:
    """A source with a PMID is cited as ``PMID:``, else with a DOI as ``doi:``, else with a
    PubMed Central id as ``PMCID:`` (Biolink's prefixes for a journal article); only a source
    with none of them is cited by the page it was read at."""
    _, edges = exported
    cited = {publication for edge in edges for publication in edge["publications"]}
    identified = [s for s in kg_all.sources if s.pmid or s.doi or s.pmcid]
    assert not cited & {s.link for s in identified} - {""}
    assert not cited & {s.read_at for s in identified} - {""}
    assert {"PMID:8316268", "doi:10.1002/14651858.CD009402.pub3", "PMCID:PMC1736982"} <= cited
    (edge,) = [
        e
        for e in edges
        if e["id"] == "claim:athletes--risk-factor-for--exercise-associated-muscle-cramp"
    ]
    assert edge["publications"] == ["PMCID:PMC5687236", "PMID:34185846"]
    prefixes = {p.partition(":")[0] for p in cited if not p.startswith(("http://", "https://"))}
    assert prefixes == {"PMID", "doi", "PMCID"}


def test_the_files_read_back_name_the_iris_of_the_rdf(
    kg_all: spasmkg.KnowledgeGraph, tmp_path: Path
) -> None:
    """Read back from TSV and JSON Lines, every id expands with the product's one CURIE
    converter to an IRI of the RDF: a node's own ``skg:`` CURIE to its entity, its id to that
    entity or one of its exact matches; an edge's id to its claim (``#refuted`` for the edge of
    its refuting items), whose subject, relation and object are the edge's."""
    kgx.write_kgx(kg_all, tmp_path)

    def holds(s: str, p: str, o: str) -> bool:
        found = kg_all.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o))
        return next(iter(found), None) is not None

    def read(name: str) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
        with (tmp_path / f"spasmkg_{name}.tsv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        lines = (tmp_path / f"spasmkg_{name}.jsonl").read_text("utf-8").splitlines()
        return rows, [json.loads(line) for line in lines]

    node_rows, nodes = read("nodes")
    assert [row["id"] for row in node_rows] == [node["id"] for node in nodes]
    entity_of = {}
    for row, node in zip(node_rows, nodes, strict=True):
        xrefs = node.get("xref", [])
        assert row["xref"] == "|".join(xrefs)
        (own,) = [x for x in (node["id"], *xrefs) if prefix_of(x) == "skg"]
        entity = str(expand(own))
        assert holds(entity, str(RDF.type), kgx.SKGO_BASE + kg_all.entity(own).kind)
        named = str(expand(node["id"]))
        assert named == entity or holds(entity, str(SKOS.exactMatch), named), node["id"]
        entity_of[node["id"]] = entity
    edge_rows, edges = read("edges")
    assert [row["id"] for row in edge_rows] == [edge["id"] for edge in edges]
    for edge in edges:
        claim, refuted, rest = str(expand(edge["id"])).partition("#")
        assert (refuted, rest) == (("#", "refuted") if edge.get("negated") else ("", ""))
        assert holds(claim, str(RDF.type), str(SKGO.Claim)), edge["id"]
        assert holds(claim, str(RDF.subject), entity_of[edge["subject"]])
        assert holds(claim, str(RDF.predicate), edge["original_predicate"])
        assert holds(claim, str(RDF.object), entity_of[edge["object"]])
    assert len(edges) == CORE.all_edges
    assert sum(bool(edge.get("negated")) for edge in edges) == CORE.all_negated


def test_refuting_evidence_becomes_a_negated_edge_never_support(
    kg_all: spasmkg.KnowledgeGraph, exported: tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]
) -> None:
    """Magnesium does not relieve cramps in older adults (Cochrane CD009402): a negated edge with
    that review, qualified by the population, and no supporting edge cites it."""
    nodes, edges = exported
    cramp = id_of(nodes, "muscle cramp")
    assert cramp == "UMLS:C0026821"  # its only exact matches are MeSH and UMLS; HP's is broader
    found = edges_between(edges, "CHEBI:18420", "biolink:ameliorates_condition", cramp)
    negated = [e for e in found if e["negated"]]
    assert [e["publications"] for e in negated] == [["doi:10.1002/14651858.CD009402.pub3"]]
    assert nodes[negated[0]["population_context_qualifier"]]["name"] == "older adults"
    refuting = {
        kgx.publication(i) for c in kg_all.claims for i in c.evidence if i.direction == "refutes"
    }
    supporting = {kgx.publication(i) for c in kg_all.claims for i in c.support}
    for edge in edges:
        if not edge["negated"]:
            assert not (set(edge["publications"]) & (refuting - supporting)), edge["id"]
    claims_refuted = sum(any(i.direction == "refutes" for i in c.evidence) for c in kg_all.claims)
    assert sum(e["negated"] for e in edges) == claims_refuted == CORE.all_negated


def test_a_disease_context_is_a_biolink_qualifier(
    exported: tuple[dict[str, dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """Medical cannabis relieves spasticity in multiple sclerosis: the context is a qualifier,
    not lost."""
    nodes, edges = exported
    found = edges_between(edges, "MESH:D064086", "biolink:ameliorates_condition", "HP:0001257")
    assert found and all(
        nodes[e["disease_context_qualifier"]]["name"] == "multiple sclerosis" for e in found
    )


def test_the_command_writes_tsv_and_json_lines_that_agree(tmp_path: Path) -> None:
    out = tmp_path / "kgx"
    result = run_entry_point("export", "kgx", "--out", str(out), "--layer", "core")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}: {CORE.nodes} nodes, ")
    with (out / "spasmkg_edges.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    lines = (out / "spasmkg_edges.jsonl").read_text("utf-8").splitlines()
    assert len(rows) == len(lines) > 250
    first = json.loads(lines[0])
    assert (
        rows[0]["id"] == first["id"] and rows[0]["publications"].split("|") == first["publications"]
    )
    assert set(rows[0]) == set(kgx.EDGE_COLUMNS)


def test_the_command_says_when_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    result = run_entry_point("export", "kgx", "--out", str(blocker / "kgx"), "--layer", "core")
    assert result.returncode == 6 and "cannot write" in result.stderr


def kgx_python() -> Path:
    """The Python of the kgx environment (tests/kgx/requirements.txt; .ci/run makes it)."""
    return Path(os.environ.get("SPASMKG_KGX_PYTHON", REPO / ".kgx-venv" / "bin" / "python"))


@pytest.fixture(scope="module")
def read_back(
    tmp_path_factory: pytest.TempPathFactory, kg_all: spasmkg.KnowledgeGraph
) -> dict[str, Any]:
    """What kgx 2.7.0 makes of the export: its validator's errors and the graph it reads."""
    if not kgx_python().exists():
        reason = f"no kgx environment at {kgx_python()} (see tests/kgx/requirements.txt)"
        if os.environ.get("SPASMKG_REQUIRE_KGX"):
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("kgx")
    kgx.write_kgx(kg_all, folder)
    unreachable = "http://127.0.0.1:9"  # any web request kgx or bmt tried would fail
    result = subprocess.run(
        [str(kgx_python()), str(REPO / "tests" / "kgx" / "check.py"), str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO / "tests" / "kgx",
        env={
            "PATH": os.environ["PATH"],
            "HTTP_PROXY": unreachable,
            "HTTPS_PROXY": unreachable,
            "http_proxy": unreachable,
            "https_proxy": unreachable,
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads(result.stdout))


@pytest.mark.slow
def test_kgx_validates_the_export_with_no_error(read_back: dict[str, Any]) -> None:
    assert read_back["biolink"] == "4.4.6"
    assert read_back["errors"] == {}


@pytest.mark.slow
def test_kgx_reads_the_export_back_into_networkx(
    read_back: dict[str, Any], exported: tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]
) -> None:
    """Every node comes back, and one edge per subject, predicate and object (kgx's key: the
    edges that share a triple with another, a claim in two contexts or its refutation, fold)."""
    nodes, edges = exported
    assert read_back["nodes"] == len(nodes) == CORE.all_nodes
    triples = {(e["subject"], e["predicate"], e["object"]) for e in edges}
    assert read_back["edges"] == len(triples) == len(edges) - CORE.all_folded
    edge = read_back["edge"]["claim:mondo-0009293--has-phenotype--exercise-associated-muscle-cramp"]
    assert (edge["subject"], edge["predicate"], edge["object"]) == (
        "MONDO:0009293",
        "biolink:has_phenotype",
        "HP:0003710",
    )
    assert "PMID:8316268" in edge["publications"] and edge["spasmkg_modality"] == "stated"
    refuted = read_back["edge"][
        "claim:hydrochlorothiazide--has-adverse-effect--hypomagnesemia#refuted"
    ]
    assert refuted["negated"] in (True, "True") and refuted["publications"] == ["PMID:8373706"]


#: The slots Biolink's KGX ingest metadata schema requires of an IngestMetadataFile
#: (biolink/ingest-metadata, src/ingest_metadata/schema/ingest_metadata.yaml at 701ce03e, 2025-09-22).
REQUIRED_INGEST_SLOTS = {
    "file_name",
    "file_creation_date",
    "ingest_code_url",
    "ingest_code_version",
    "source_infores_id",
    "source_data_version",
    "source_access_date",
    "target_name",
    "target_creation_date",
    "target_data_url",
    "target_data_version",
    "target_format",
    "target_model",
    "target_data_model_version",
}


def test_the_ingest_metadata_states_the_version_the_layers_and_the_counts(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    metadata = json.loads(kgx.ingest_metadata(kg_all))
    assert set(metadata) >= REQUIRED_INGEST_SLOTS
    assert metadata["target_data_version"] == spasmkg.__version__
    assert metadata["source_data_version"] == (
        f"{spasmkg.__version__} (layers: core, hpo 2025-01-16, hpo-lay 2025-01-16)"
    )
    assert metadata["target_data_model_version"] == "4.4.6"
    nodes, edges = kgx.records(kg_all)
    assert (metadata["total_node_count"], metadata["total_edge_count"]) == (len(nodes), len(edges))
    assert "biolink:has_side_effect" in metadata["edge_predicates"]
    assert "biolink:Drug" in metadata["node_categories"]
    assert "graph/imports/hpo.ttl" in metadata["source_file_names"]
