"""The NetworkX export: shape checked against the article, typed attributes, and lossless
GraphML and node-link JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import spasmkg
from spasmkg.outputs.network import (
    LIST_DESCRIPTION,
    read_graphml,
    read_node_link,
    to_networkx,
    write_graphml,
    write_node_link,
)
from tests.helpers import CORE


@pytest.fixture(scope="module")
def graph(kg: spasmkg.KnowledgeGraph) -> nx.MultiDiGraph:
    """The core layer's network (the imported layer has its own tests)."""
    return to_networkx(kg)


def test_one_node_per_entity_or_guidance_one_edge_per_claim(graph: nx.MultiDiGraph) -> None:
    assert graph.number_of_nodes() == CORE.nodes  # entities and guidance (warning signs, advice)
    assert graph.number_of_edges() == CORE.claims
    assert not [n for n in graph if not n.startswith("skg:")], (
        "sources, claims and literals are not nodes"
    )


def test_node_attributes(graph: nx.MultiDiGraph) -> None:
    furosemide = graph.nodes["skg:furosemide"]
    assert furosemide["kind"] == "Medication"
    assert furosemide["iri"] == "https://w3id.org/spasmkg/entity/furosemide"
    assert "CHEBI:47426" in furosemide["external_ids"]
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
        assert "source:article-cannabis-studies" in data["sources"]
        assert "ECO:0000303" in data["evidence"]
        # bound to a condition, so the simple view has no triple for it
        assert data["simple_view"] == ""
    by_context = {data["context_label"]: data for data in edges.values()}
    assert by_context["spinal cord injury"]["inconclusive"] == 1


def test_edges_carry_the_hedge_and_the_evidence_summary(graph: nx.MultiDiGraph) -> None:
    [magnesium] = [
        data
        for data in graph.get_edge_data("skg:magnesium", "skg:muscle-cramp").values()
        if data["context_label"] == "older adults"
    ]
    assert (magnesium["supporting"], magnesium["refuting"]) == (0, 2)
    assert magnesium["certainties"] == [
        "GRADE: high certainty",
        "GRADE: moderate certainty",
    ]
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


#: The attributes that hold several values, as lists in NetworkX and JSON arrays in GraphML.
LIST_ATTRIBUTES = {
    ("node", "alt_labels"),
    ("node", "external_ids"),
    *(
        ("edge", name)
        for name in (
            "sources",
            "source_labels",
            "evidence",
            "evidence_labels",
            "certainties",
            "populations",
            "mechanism",
            "mechanism_labels",
        )
    ),
}


def attributes(graph: nx.MultiDiGraph) -> list[tuple[str, str, Any]]:
    """Every attribute of every node and edge: node or edge, its name and its value."""
    nodes = [("node", k, v) for _, data in graph.nodes(data=True) for k, v in data.items()]
    edges = [("edge", k, v) for *_, data in graph.edges(data=True) for k, v in data.items()]
    return nodes + edges


def test_numbers_are_numbers_and_lists_are_lists(graph: nx.MultiDiGraph) -> None:
    """Counts are integers and multivalued attributes sorted lists without repeats, never
    strings joined with a separator."""
    found = attributes(graph)
    assert {type(v) for *_, v in found} == {str, int, list}
    assert {k for _, k, v in found if isinstance(v, int)} == {
        "supporting",
        "refuting",
        "inconclusive",
    }
    assert {(where, k) for where, k, v in found if isinstance(v, list)} == LIST_ATTRIBUTES
    lists = [v for *_, v in found if isinstance(v, list)]
    assert all(v == sorted(set(v)) and all(isinstance(x, str) for x in v) for v in lists)
    cannabis = graph.nodes["skg:medical-cannabis"]
    assert "MESH:D064086" in cannabis["external_ids"]


def test_every_node_and_edge_carries_its_layer_and_every_edge_its_standing_and_modality(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    """Core and imported (HPO) records say where they come from; a claim the evidence does
    not back keeps its standing and shows no hedge."""
    everything = to_networkx(kg_all)
    assert {data["layer"] for _, data in everything.nodes(data=True)} == {"core", "hpo"}
    assert everything.nodes["skg:furosemide"]["layer"] == "core"
    assert everything.nodes["skg:mondo-0009293"]["layer"] == "hpo"
    edges = [data for *_, data in everything.edges(data=True)]
    assert all({"layer", "standing", "modality"} <= set(data) for data in edges)
    assert {data["layer"] for data in edges} == {"core", "hpo"}
    [rare] = everything.get_edge_data(
        "skg:mondo-0009293", "skg:exercise-associated-muscle-cramp"
    ).values()
    assert (rare["layer"], rare["standing"], rare["modality"]) == ("hpo", "supported", "stated")
    [refuted] = [
        data
        for data in everything.get_edge_data("skg:magnesium", "skg:muscle-cramp").values()
        if data["context_label"] == "older adults"
    ]
    assert (refuted["layer"], refuted["standing"], refuted["modality"]) == (
        "core",
        "not supported",
        "",
    )


def graphml_lists(path: Path) -> set[tuple[str, str]]:
    """The keys a GraphML file describes as JSON lists (node or edge, and the key's name)."""
    namespace = {"g": "http://graphml.graphdrawing.org/xmlns"}
    return {
        (key.attrib["for"], key.attrib["attr.name"])
        for key in ET.parse(path).getroot().findall("g:key", namespace)
        if key.findtext("g:desc", namespaces=namespace) == LIST_DESCRIPTION
    }


def test_graphml_round_trip(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    """Read back with plain networkx, the keys the file itself describes as JSON lists decoded,
    the graph is the same; numbers come back as numbers, by the keys' GraphML types."""
    write_graphml(graph, tmp_path / "g.graphml")
    assert graphml_lists(tmp_path / "g.graphml") == LIST_ATTRIBUTES
    plain = nx.MultiDiGraph(nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True))
    for key in ("node_default", "edge_default"):
        plain.graph.pop(key, None)
    for where, name in LIST_ATTRIBUTES:
        items = plain.nodes(data=True) if where == "node" else plain.edges(data=True)
        for *_, data in items:
            data[name] = json.loads(data[name])
    assert nx.utils.graphs_equal(graph, plain)
    assert sorted(graph.edges(keys=True)) == sorted(plain.edges(keys=True))
    back = read_graphml(tmp_path / "g.graphml")
    assert nx.utils.graphs_equal(graph, back)
    assert {type(v) for *_, v in attributes(back)} == {str, int, list}


def test_graphml_says_how_it_holds_lists(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_graphml(graph, tmp_path / "g.graphml")
    text = (tmp_path / "g.graphml").read_text("utf-8")
    assert f"<desc>{LIST_DESCRIPTION}</desc>" in text
    assert 'attr.name="supporting" attr.type="long"' in text
    root = ET.parse(tmp_path / "g.graphml").getroot()
    assert "JSON" in (root.findtext("{http://graphml.graphdrawing.org/xmlns}desc") or "")


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
