"""``spasmkg lookup`` finds entities by any name or identifier and shows resolvable links."""

from __future__ import annotations

import json

import pytest

import spasmkg
from spasmkg.errors import UnknownEntity
from spasmkg.model.paths import data_paths
from spasmkg.model.sssom import read_sssom
from tests.helpers import run_entry_point

ROWS = read_sssom(data_paths().mappings_file).mappings
#: One exactly-mapped identifier of every vocabulary the mapping set uses (or any row if none).
ONE_PER_VOCABULARY = sorted(
    {
        m.object_prefix: m
        for m in sorted(ROWS, key=lambda m: m.predicate_id != "skos:exactMatch", reverse=True)
    }.values(),
    key=lambda m: m.object_prefix,
)


@pytest.fixture(scope="module")
def index(kg: spasmkg.KnowledgeGraph) -> spasmkg.KnowledgeGraph:
    """Look-ups go through the loaded graph's one name index."""
    return kg


@pytest.mark.parametrize(
    "row", ONE_PER_VOCABULARY, ids=[m.object_prefix for m in ONE_PER_VOCABULARY]
)
def test_lookup_by_an_identifier_of_each_vocabulary(
    index: spasmkg.KnowledgeGraph, row: object
) -> None:
    records = index.find(row.object_id)  # type: ignore[attr-defined]
    assert row.subject_id in [r.curie for r in records]  # type: ignore[attr-defined]


def test_every_vocabulary_is_covered() -> None:
    assert {m.object_prefix for m in ONE_PER_VOCABULARY} >= {
        "MESH",
        "HP",
        "MONDO",
        "DOID",
        "CHEBI",
        "DRUGBANK",
        "HGNC",
        "NCBIGene",
        "UniProtKB",
        "ICD10WHO",
        "GO",
    }


@pytest.mark.parametrize(
    ("term", "entity"),
    [
        ("charley horse", "skg:muscle-cramp"),
        ("MS", "skg:multiple-sclerosis"),
        ("skg:furosemide", "skg:furosemide"),
        ("https://w3id.org/spasmkg/entity/furosemide", "skg:furosemide"),
        ("http://purl.obolibrary.org/obo/HP_0002900", "skg:hypokalemia"),
        ("hp:0002900", "skg:hypokalemia"),
        ("G35", "skg:multiple-sclerosis"),
        ("P21554", "skg:cb1-receptor"),
    ],
)
def test_lookup_by_label_synonym_name_iri_or_bare_code(
    index: spasmkg.KnowledgeGraph, term: str, entity: str
) -> None:
    assert index.find(term)[0].curie == entity


def test_an_identifier_mapped_to_two_entities_lists_the_exact_one_first(
    index: spasmkg.KnowledgeGraph,
) -> None:
    records = index.find("HP:0003394")
    # exact match first, then the entities HP's term is broader than
    assert records[0].curie == "skg:muscle-spasm"
    assert {r.curie for r in records} == {
        "skg:muscle-spasm",
        "skg:muscle-cramp",
        "skg:nocturnal-leg-cramp",
    }
    assert index.entity("HP:0003394").iri.endswith("/muscle-spasm")


def test_record_carries_identifiers_with_resolvable_links(index: spasmkg.KnowledgeGraph) -> None:
    [record] = index.find("furosemide")
    mesh = next(i for i in record.identifiers if i.curie == "MESH:D005665")
    assert mesh.iri == "http://id.nlm.nih.gov/mesh/D005665"
    assert mesh.link == "https://meshb.nlm.nih.gov/record/ui?ui=D005665"
    assert record.identifiers[0].predicate == "skos:exactMatch"


def test_unknown_term_suggests_close_names(index: spasmkg.KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity, match="did you mean: magnesium"):
        index.find("magnesum")


def test_lookup_command_text_and_json() -> None:
    text = run_entry_point("lookup", "HP:0001257")
    assert text.returncode == 0
    assert text.stdout.startswith("skg:spasticity  spasticity  (Condition)")
    assert "MESH:D009128" in text.stdout and "http://id.nlm.nih.gov/mesh/D009128" in text.stdout
    data = json.loads(run_entry_point("lookup", "CHEBI:47426", "--format", "json").stdout)
    assert data[0]["curie"] == "skg:furosemide"
    assert {"curie": "DRUGBANK:DB00695", "predicate": "skos:exactMatch"}.items() <= data[0][
        "identifiers"
    ][2].items() or any(i["curie"] == "DRUGBANK:DB00695" for i in data[0]["identifiers"])


def test_lookup_command_unknown_exits_3_with_suggestions() -> None:
    result = run_entry_point("lookup", "fibromyalgiaa")
    assert result.returncode == 3
    assert result.stderr.startswith(
        "error: no entity matches 'fibromyalgiaa'; did you mean: fibromyalgia, "
    )
    assert len(result.stderr.strip().splitlines()) == 1


def test_lookup_tells_the_claims_in_an_entitys_context() -> None:
    """Defect: lookup of multiple sclerosis left out what relieves spasticity in MS, because
    MS is the claims' context, not one of their ends. Baclofen and tizanidine relieve it there
    (supported); nabiximols' evidence is mixed."""
    text = run_entry_point("lookup", "multiple sclerosis")
    assert "claims in the context of multiple sclerosis (9):" in text.stdout
    assert "baclofen relieves spasticity (in multiple sclerosis)" in text.stdout
    data = json.loads(run_entry_point("lookup", "G35", "--format", "json").stdout)
    in_context = {c["claim"]: c["standing"] for c in data[0]["claims_in_context"]}
    assert (
        in_context["claim:tizanidine--relieves--spasticity--in--multiple-sclerosis"] == "supported"
    )
    assert in_context["claim:nabiximols--relieves--spasticity--in--multiple-sclerosis"] == "mixed"
    assert all(c["context"] == "skg:multiple-sclerosis" for c in data[0]["claims_in_context"])
    plain = json.loads(run_entry_point("lookup", "furosemide", "--format", "json").stdout)
    assert plain[0]["claims_in_context"] == []
