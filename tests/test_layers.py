"""The registry of layers: adding a layer is a file and a registry row, and every part of
spasmkg then carries it (load, records, query, explain, KGX, the report, a build)."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import spasmkg
from spasmkg.ask.answer import query
from spasmkg.ask.explain import explain
from spasmkg.errors import UsageError
from spasmkg.model.layers import Layer, imported_layers, names_of, register, unregister
from spasmkg.model.paths import data_paths
from spasmkg.outputs.build import build
from spasmkg.outputs.kgx import records
from spasmkg.outputs.report import count
from tests.helpers import REPO

TINY = Layer(
    "tiny",
    "a tiny test layer",
    ("graph/imports/tiny.ttl",),
    "infores:tiny-test",
    "https://example.org/tiny-licence",
    "Tiny test attribution.",
)


@pytest.fixture
def tiny(data_copy: Path) -> Iterator[Path]:
    """A data folder with the tiny layer's file, and the layer in the registry."""
    (data_copy / "graph" / "imports").mkdir(exist_ok=True)
    shutil.copy(REPO / "tests" / "data" / "layers" / "tiny.ttl", data_copy / "graph" / "imports")
    register(TINY)
    yield data_copy
    unregister(TINY.name)


@pytest.mark.slow  # loads the whole graph (seconds)
def test_a_registered_layer_is_loaded_into_its_own_named_graph(tiny: Path) -> None:
    kg = spasmkg.load(tiny, layer="core,tiny")
    assert [row.name for row in kg.layers] == ["core", "tiny"]
    graphs = {str(name): len(graph) for name, graph in kg.named_graphs()}
    assert graphs["https://w3id.org/spasmkg/graph/tiny"] > 0
    assert "https://w3id.org/spasmkg/graph/tiny-inferred" in graphs
    [claim] = [c for c in kg.claims if c.layer == "tiny"]
    assert claim.subject.layer == "tiny" and claim.object.layer == "core"
    assert claim.standing.name == "supported"
    assert {row.name for row in spasmkg.load(tiny, layer="all").layers} == {"core", "tiny"}


def test_the_layer_answers_queries_and_explain(tiny: Path) -> None:
    kg = spasmkg.load(tiny, layer="all")
    rows = query(
        "claim-evidence",
        {"subject": "tiny test disease", "object": "muscle cramp"},
        kg=kg,
        engine="oxigraph",
    ).dicts()
    assert {str(row["source"]) for row in rows} == {
        "https://w3id.org/spasmkg/source/tiny-test-record"
    }
    [chain] = explain(kg, "tiny test disease", "muscle cramp", max_length=1).chains
    assert chain.steps[0].layer == "tiny"


def test_kgx_credits_the_layer_and_the_report_lists_its_licence(tiny: Path) -> None:
    kg = spasmkg.load(tiny, layer="all")
    nodes, edges = records(kg)
    [edge] = [e for e in edges if "tiny-test-disease" in e["id"]]
    assert edge["primary_knowledge_source"] == "infores:tiny-test"
    assert edge["aggregator_knowledge_source"] == ["infores:spasmkg"]
    [node] = [n for n in nodes if n["name"] == "tiny test disease"]
    assert node["provided_by"] == ["infores:tiny-test"]
    counts = count(kg)
    assert counts.licences["https://w3id.org/spasmkg/graph/tiny"] == TINY.licence
    assert counts.claims_by_layer["tiny"] == 1


@pytest.mark.slow
def test_a_build_writes_the_layer(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(out, tiny, layer="core,tiny")
    quads = (out / "spasmkg.nq").read_text(encoding="utf-8")
    assert "<https://w3id.org/spasmkg/graph/tiny> ." in quads
    assert "https://example.org/tiny-licence" in (out / "report.md").read_text(encoding="utf-8")


def test_layer_choices_come_from_the_registry(tiny: Path) -> None:
    assert names_of("all") == ["core", "hpo", "hpo-lay", "tiny"]
    assert names_of("tiny") == ["core", "tiny"]
    assert names_of(["tiny", "core"]) == ["core", "tiny"]
    with pytest.raises(UsageError, match="unknown layer 'nope'; choose all, or one or more of"):
        names_of("core,nope")
    with pytest.raises(UsageError, match="already registered"):
        register(TINY)


def test_a_named_layer_without_its_file_is_a_clear_error(data_copy: Path) -> None:
    with pytest.raises(UsageError, match=r"layer 'hpo' has no file .*spasmkg import hpo"):
        spasmkg.load(data_copy, layer="hpo")
    assert [row.name for row in spasmkg.load(data_copy, layer="all").layers] == ["core"]


def test_the_grown_hpo_layer_is_opt_in_and_takes_the_place_of_the_spasm_layer() -> None:
    """hpo-movement holds all of hpo (tests/test_hpo_import.py checks it), so a choice that
    names it loads it instead of hpo, never beside it; ``all`` leaves it out."""
    assert names_of("all") == ["core", "hpo", "hpo-lay"]
    assert names_of("all,hpo-movement") == ["core", "hpo-lay", "hpo-movement"]
    assert names_of("core,hpo,hpo-movement") == ["core", "hpo-movement"]
    assert names_of("hpo-movement") == ["core", "hpo-movement"]
    assert [row.name for row in imported_layers(data_paths(), "all")] == ["hpo", "hpo-lay"]
    assert [row.name for row in imported_layers(data_paths(), "all,hpo-movement")] == [
        "hpo-lay",
        "hpo-movement",
    ]


@pytest.mark.slow  # loads the whole graph (seconds)
def test_an_opt_in_layer_is_loaded_only_when_named(tiny: Path) -> None:
    unregister(TINY.name)
    register(dataclasses.replace(TINY, opt_in=True))
    assert [row.name for row in spasmkg.load(tiny, layer="all").layers] == ["core"]
    kg = spasmkg.load(tiny, layer="all,tiny")
    assert [row.name for row in kg.layers] == ["core", "tiny"]
    assert [c.subject.label for c in kg.claims if c.layer == "tiny"] == ["tiny test disease"]


def test_a_named_opt_in_layer_without_its_file_is_a_clear_error(data_copy: Path) -> None:
    with pytest.raises(UsageError, match=r"'hpo-movement' has no file .*import hpo-movement"):
        spasmkg.load(data_copy, layer="all,hpo-movement")
    assert [row.name for row in spasmkg.load(data_copy, layer="all").layers] == ["core"]
