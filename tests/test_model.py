"""The typed read model: built once from the RDF, frozen, and the same for every consumer."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import spasmkg
from spasmkg.outputs.network import to_networkx
from spasmkg.outputs.page import select
from spasmkg.outputs.registry import render
from tests.helpers import CORE, REPO, plant


@pytest.mark.slow
def test_the_one_line_in_the_issue_works_from_anywhere(tmp_path: Path) -> None:
    line = (
        "import spasmkg; kg = spasmkg.load(); print(len(kg.claims), kg.entity('furosemide').label)"
    )
    result = subprocess.run(
        [sys.executable, "-c", line],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(len(spasmkg.load().claims)), "furosemide"]


def test_entities_claims_and_sources(kg: spasmkg.KnowledgeGraph) -> None:
    furosemide = kg.entity("frusemide")
    assert (furosemide.curie, furosemide.kind, furosemide.kind_label) == (
        "skg:furosemide",
        "Medication",
        "medication",
    )
    assert "CHEBI:47426" in {i.curie for i in furosemide.identifiers}
    assert len(kg.entities) == CORE.nodes and len(kg.claims) == CORE.claims
    assert kg.view.sources["https://w3id.org/spasmkg/source/curators"].kind == "Curation"


def test_claims_about_an_entity_hold_their_evidence(kg: spasmkg.KnowledgeGraph) -> None:
    claims = kg.claims_about("furosemide")
    hypokalemia = next(c for c in claims if c.object.curie == "skg:hypokalemia")
    assert hypokalemia.subject.curie == "skg:furosemide"
    assert hypokalemia.predicate.label == "has adverse effect"
    assert hypokalemia.modality.name == "possible"
    # cited to furosemide's product information, an author statement of its maker
    assert [item.evidence_type.curie for item in hypokalemia.evidence] == ["ECO:0000302"]
    assert [item.source.kind for item in hypokalemia.evidence] == ["ProductInformation"]
    assert all(
        c.subject.curie == "skg:furosemide" or c.object.curie == "skg:furosemide" for c in claims
    )


def test_the_cannabis_claims_keep_context_and_no_mechanism_their_sources_do_not_give(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    """The article and the reviews report relief in MS and spinal cord injury; none of them says it
    comes through the endocannabinoid system, so the claims name no mechanism (issue 24)."""
    relief = [
        c
        for c in kg.claims_about("medical cannabis")
        if c.predicate.name == "relieves" and c.object.curie == "skg:muscle-spasm"
    ]
    assert {c.context.label for c in relief if c.context} == {
        "multiple sclerosis",
        "spinal cord injury",
    }
    assert [m.label for c in relief for m in c.mechanism] == []


def test_records_are_frozen(kg: spasmkg.KnowledgeGraph) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        kg.entity("furosemide").label = "something else"  # type: ignore[misc]
    with pytest.raises(TypeError):
        kg.view.entities["x"] = kg.entity("furosemide")  # type: ignore[index]


@pytest.mark.slow
def test_validation_leaves_the_graph_untouched() -> None:
    """Defect: pyshacl validated the shared union in place and bound the sh: prefix in it, so
    JSON-LD written after validation differed from JSON-LD written without it."""
    kg = spasmkg.load(layer="core")
    before = render(kg, "jsonld")
    report = spasmkg.validate(kg)
    assert report.conforms
    assert render(kg, "jsonld") == before
    assert "sh" not in {prefix for prefix, _ in kg.union().namespaces()}


KINDS = """
import json, spasmkg
from spasmkg.outputs.network import to_networkx
kg = spasmkg.load({root!r})
print(json.dumps([kg.entity("furosemide").kind, to_networkx(kg).nodes["skg:furosemide"]["kind"],
                  spasmkg.lookup("furosemide", kg=kg)[0].kind]))
"""


@pytest.mark.slow
def test_an_entity_with_two_types_has_one_kind_everywhere(data_copy: Path) -> None:
    """Defect: the network took the first of a sorted list of types and lookup the first of a
    set, so an entity with two types could show two kinds, changing with the hash seed."""
    plant(
        data_copy,
        "graph/medications.ttl",
        "skg:furosemide a skgo:Medication ;",
        "skg:furosemide a skgo:Medication, skgo:Treatment ;",
    )
    seen = set()
    for seed in ("0", "1", "2", "3"):
        result = subprocess.run(
            [sys.executable, "-c", KINDS.format(root=str(data_copy))],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO / "src"), "PYTHONHASHSEED": seed},
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        kinds = json.loads(result.stdout)
        assert len(set(kinds)) == 1, kinds
        seen.add(kinds[0])
    assert seen == {"Medication"}, "the first of the two IRIs in sorted order wins a tie"


def test_the_page_and_the_network_draw_the_same_graph(kg: spasmkg.KnowledgeGraph) -> None:
    graph = to_networkx(kg)
    page = select(kg)
    assert {e.curie for e in page.entities} == set(graph.nodes)
    assert {c.curie for c in page.claims} == {key for *_, key in graph.edges(keys=True)}


def test_the_plain_iris_cold_commands_use_are_the_ontology_own() -> None:
    """Cold commands read spasmkg's IRIs as plain strings, without rdflib's namespaces (which
    refuse a misspelt ontology term); each string is the namespace's own."""
    from spasmkg.model.composition import CLASS_LINK, ONLY_CLASS_WIDE
    from spasmkg.model.iris import SPASMKG_PREFIXES
    from spasmkg.model.namespaces import CLAIM, EVIDENCE, SKG, SKGO, SOURCE

    assert (str(SKGO.classStep), str(SKGO.passesOnlyClassWide)) == (CLASS_LINK, ONLY_CLASS_WIDE)
    own = {"skg": SKG, "claim": CLAIM, "evidence": EVIDENCE, "source": SOURCE}
    assert {name: SPASMKG_PREFIXES[name] for name in own} == {k: str(v) for k, v in own.items()}
    assert SPASMKG_PREFIXES["skgo"] == str(SKGO._NS)
