"""The NetworkX export: shape checked against the article, and lossless GraphML and node-link JSON."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import spasmkg
from spasmkg.outputs.network import (
    read_graphml,
    read_node_link,
    to_networkx,
    write_graphml,
    write_node_link,
)


@pytest.fixture(scope="module")
def graph(kg: spasmkg.KnowledgeGraph) -> nx.MultiDiGraph:
    """The core layer's network (the imported layer has its own tests)."""
    return to_networkx(kg)


def test_one_node_per_entity_or_guidance_one_edge_per_claim(graph: nx.MultiDiGraph) -> None:
    assert graph.number_of_nodes() == 231 + 44  # entities and guidance (warning signs, advice)
    assert graph.number_of_edges() == 535
    assert not [n for n in graph if not n.startswith("skg:")], (
        "sources, claims and literals are not nodes"
    )


def test_node_attributes(graph: nx.MultiDiGraph) -> None:
    furosemide = graph.nodes["skg:furosemide"]
    assert furosemide["kind"] == "Medication"
    assert furosemide["iri"] == "https://w3id.org/spasmkg/entity/furosemide"
    assert "CHEBI:47426" in furosemide["external_ids"].split(" | ")
    assert furosemide["definition"].startswith("A loop diuretic")


def test_magnesium_reaches_spasm(graph: nx.MultiDiGraph) -> None:
    """Magnesium -> deficiency (reverse 'deficiency of') -> spasm; the directed path runs from the deficiency."""
    assert nx.has_path(graph, "skg:magnesium-deficiency", "skg:muscle-spasm")
    paths = nx.all_shortest_paths(
        graph.to_undirected(as_view=True), "skg:magnesium", "skg:muscle-spasm"
    )
    assert ["skg:magnesium", "skg:magnesium-deficiency", "skg:muscle-spasm"] in list(paths)


def test_cannabis_relief_edges_carry_their_contexts(graph: nx.MultiDiGraph) -> None:
    edges = graph.get_edge_data("skg:medical-cannabis", "skg:muscle-spasm")
    assert {data["context_label"] for data in edges.values()} == {
        "multiple sclerosis",
        "spinal cord injury",
    }
    for data in edges.values():
        assert data["predicate"] == "skgo:relieves"
        assert "source:article-cannabis-studies" in data["sources"].split(" | ")
        assert "ECO:0000303" in data["evidence"].split(" | ")
        # bound to a condition, so the simple view has no triple for it
        assert data["simple_view"] == ""
    by_context = {data["context_label"]: data for data in edges.values()}
    assert by_context["spinal cord injury"]["inconclusive"] == "1"


def test_edges_carry_the_hedge_and_the_evidence_summary(graph: nx.MultiDiGraph) -> None:
    [magnesium] = [
        data
        for data in graph.get_edge_data("skg:magnesium", "skg:muscle-cramp").values()
        if data["context_label"] == "older adults"
    ]
    assert (magnesium["supporting"], magnesium["refuting"]) == ("0", "2")
    assert set(magnesium["certainties"].split(" | ")) == {
        "GRADE: high certainty",
        "GRADE: moderate certainty",
    }
    [dehydration] = graph.get_edge_data("skg:dehydration", "skg:muscle-spasm").values()
    assert dehydration["simple_view"] == "skgo:mayCause"


def test_every_cause_in_the_article_has_a_path_to_spasm(graph: nx.MultiDiGraph) -> None:
    for cause in (
        "dehydration",
        "magnesium-deficiency",
        "potassium-deficiency",
        "calcium-deficiency",
        "muscle-overuse",
        "nerve-damage",
        "multiple-sclerosis",
        "parkinson-disease",
        "fibromyalgia",
        "diuretic",
        "statin",
        "asthma-medication",
    ):
        assert nx.has_path(graph, f"skg:{cause}", "skg:muscle-spasm"), cause


def test_graphml_round_trip(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_graphml(graph, tmp_path / "g.graphml")
    back = read_graphml(tmp_path / "g.graphml")
    assert nx.utils.graphs_equal(graph, back)
    assert sorted(graph.edges(keys=True)) == sorted(back.edges(keys=True))


def test_node_link_round_trip(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_node_link(graph, tmp_path / "g.json")
    back = read_node_link(tmp_path / "g.json")
    assert nx.utils.graphs_equal(graph, back)
    assert sorted(graph.edges(keys=True)) == sorted(back.edges(keys=True))


def test_build_writes_both_network_files(tmp_path: Path) -> None:
    from spasmkg.outputs.build import build

    build(tmp_path / "dist", layer="core")
    assert nx.utils.graphs_equal(
        read_graphml(tmp_path / "dist" / "spasmkg.graphml"),
        read_node_link(tmp_path / "dist" / "spasmkg.nodelink.json"),
    )
    assert (tmp_path / "dist" / "spasmkg.html").stat().st_size > 100_000
