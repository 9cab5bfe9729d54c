"""The SSSOM mapping set: well formed, verified identifiers, honest predicates, planted faults caught."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import pytest
from rdflib import URIRef
from rdflib.namespace import SKOS

import spasmkg
from spasmkg.checks.identifiers import hpo, mapping_violations
from spasmkg.checks.references import entity_labels
from spasmkg.model.curie import compress, expand, prefix_map
from spasmkg.model.namespaces import SKG
from spasmkg.model.paths import data_paths
from spasmkg.model.sssom import MAPPING_PREDICATES, read_sssom
from tests.helpers import CORE, REPO, Line, plant, reported, run_entry_point

MAPPINGS = read_sssom(data_paths().mappings_file)


def vocabularies_by_entity() -> dict[str, dict[str, set[str]]]:
    """For each entity: prefix -> predicates it is mapped with."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for m in MAPPINGS.mappings:
        found[m.subject_id][m.object_prefix].add(m.predicate_id)
    return found


def test_mapping_set_metadata() -> None:
    meta = MAPPINGS.metadata
    assert meta["mapping_set_id"] == "https://w3id.org/spasmkg/mappings.sssom.tsv"
    assert meta["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "not the US ICD-10-CM" in meta["mapping_set_description"]
    for prefix in {m.object_prefix for m in MAPPINGS.mappings}:
        assert meta["curie_map"][prefix] == prefix_map()[prefix].uri_prefix


def test_shipped_mappings_have_no_violations(kg: spasmkg.KnowledgeGraph) -> None:
    assert mapping_violations(MAPPINGS, entity_labels(kg)) == []


def test_every_row_is_manual_curation_with_a_note() -> None:
    for m in MAPPINGS.mappings:
        assert m.mapping_justification == "semapv:ManualMappingCuration"
        assert m.predicate_id.removeprefix("skos:") in MAPPING_PREDICATES
        assert m.comment.startswith(("Checked in", "Cross-reference of")), m


def test_every_entity_has_at_least_two_identifiers(kg: spasmkg.KnowledgeGraph) -> None:
    counts: dict[str, int] = defaultdict(int)
    for m in MAPPINGS.mappings:
        counts[m.subject_id] += 1
    entities = entity_labels(kg)
    assert len(entities) == CORE.entities
    assert {e for e in entities if counts[e] < 2} == set(ONE_IDENTIFIER)


#: Entities with one checked identifier only, and why no second one went in.
ONE_IDENTIFIER = {
    "skg:alcohol-consumption": "MeSH 'Alcohol Drinking' is the only term checked against a file",
    "skg:tonic-water": "a soft drink: MeSH 'Carbonated Beverages' (broader) is the only term checked",
    "skg:physical-exertion": "MeSH 'Physical Exertion' is the only term checked against a file",
    "skg:superficial-heat": "MeSH 'Hyperthermia, Induced' (broader, entry term Thermotherapy) is the only "
    "term checked; HPO, MONDO and ChEBI have none for a heat pad",
}


OBO_FOR_KIND = {
    "Disease": {"MONDO", "DOID"},
    "Condition": {"HP"},
    "PhysiologicalState": {"HP", "MONDO"},
    "Nutrient": {"CHEBI"},
    "Compound": {"CHEBI"},
    "CompoundClass": {"CHEBI"},
    "Medication": {"CHEBI"},
    "MedicationClass": {"CHEBI"},
    "ClinicalFinding": {"HP", "MONDO"},
    "Receptor": {"HGNC"},
    "Enzyme": {"HGNC"},
    "Pathway": {"GO"},
    "BiologicalProcess": {"GO"},
    "Organism": {"NCBITaxon"},
}
#: Mixtures have no ChEBI entry; DrugBank records them instead. Naftidrofuryl's ChEBI entry is
#: named by DrugBank, but no ChEBI file at hand gives its label to check, so it is left out.
#: Conjugated estrogens are a mixture of oestrogens; DrugBank's ChEBI cross-reference names one
#: component only (estrone sodium sulfate), so no ChEBI identifier is given. Human albumin for
#: infusion is a blood protein: DrugBank has it, ChEBI does not.
MIXTURES = {
    "skg:medical-cannabis",
    "skg:nabiximols",
    "skg:naftidrofuryl",
    "skg:conjugated-estrogens",
    "skg:human-albumin",
}


def test_diseases_phenotypes_chemicals_and_genes_have_their_obo_or_hgnc_identifier(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    mapped = vocabularies_by_entity()
    for entity in kg.entities:
        wanted = OBO_FOR_KIND.get(entity.kind)
        if wanted is None:
            continue
        if entity.curie in MIXTURES:
            assert "DRUGBANK" in mapped[entity.curie], entity.curie
            continue
        assert wanted & set(mapped[entity.curie]), f"{entity.curie} lacks {wanted}"


@pytest.mark.parametrize(
    ("entity", "vocabulary_id", "predicate"),
    [
        ("skg:magnesium", "CHEBI:18420", "skos:exactMatch"),  # magnesium(2+), the ion
        ("skg:magnesium", "MESH:D008274", "skos:closeMatch"),  # MeSH heading is the element
        ("skg:hypokalemia", "HP:0002900", "skos:exactMatch"),
        ("skg:potassium-deficiency", "MONDO:0006919", "skos:exactMatch"),
        ("skg:muscle-cramp", "HP:0003394", "skos:broadMatch"),  # HPO's term is muscle spasm
        ("skg:dehydration", "ICD10WHO:E86", "skos:broadMatch"),  # WHO has only volume depletion
        ("skg:thc", "MESH:D013759", "skos:exactMatch"),  # Dronabinol is the same stereoisomer
        ("skg:loop-diuretic", "MESH:D004232", "skos:broadMatch"),  # Diuretics is broader
        ("skg:cb1-receptor", "HGNC:2159", "skos:closeMatch"),  # a gene for a protein
        ("skg:cb1-receptor", "UniProtKB:P21554", "skos:exactMatch"),
    ],
)
def test_domain_traps(entity: str, vocabulary_id: str, predicate: str) -> None:
    [row] = [
        m for m in MAPPINGS.mappings if m.subject_id == entity and m.object_id == vocabulary_id
    ]
    assert row.predicate_id == predicate


def test_a_deficiency_is_not_mapped_to_a_low_blood_level() -> None:
    low_blood = {"HP:0002917", "HP:0002900", "HP:0002901"}
    deficiencies = {
        "skg:magnesium-deficiency",
        "skg:potassium-deficiency",
        "skg:calcium-deficiency",
    }
    assert not [
        m for m in MAPPINGS.mappings if m.subject_id in deficiencies and m.object_id in low_blood
    ]


def test_no_icd10_cm_only_codes() -> None:
    """WHO ICD-10 has E86 and E83.5; E86.0 and E83.51 exist only in the US ICD-10-CM."""
    codes = {m.object_local_id for m in MAPPINGS.mappings if m.object_prefix == "ICD10WHO"}
    assert "E86" in codes and not codes & {"E86.0", "E83.51", "E83.42"}


def test_hpo_check_uses_the_packaged_release() -> None:
    release = hpo()
    assert release.version.startswith("hp/releases/")
    assert release.terms["HP:0003394"].name == "Muscle spasm"
    # an obsolete term's own ID that is another term's alternative points to that term
    assert release.terms["HP:0000057"].obsolete
    assert release.alternatives["HP:0000057"].id == "HP:0008665"


def test_mapping_triples_use_canonical_iris(kg: spasmkg.KnowledgeGraph) -> None:
    spasm = SKG["muscle-spasm"]
    assert (spasm, SKOS.exactMatch, URIRef("http://id.nlm.nih.gov/mesh/D013035")) in kg.mappings
    assert (
        spasm,
        SKOS.exactMatch,
        URIRef("http://purl.obolibrary.org/obo/HP_0003394"),
    ) in kg.mappings
    assert (
        SKG["cb1-receptor"],
        SKOS.exactMatch,
        URIRef("http://purl.uniprot.org/uniprot/P21554"),
    ) in kg.mappings
    assert len(kg.mappings) == len(MAPPINGS.mappings)


def test_curie_round_trip() -> None:
    for m in MAPPINGS.mappings:
        assert compress(str(expand(m.object_id))) == m.object_id


@pytest.mark.slow
def test_frozen_prefix_map_agrees_with_bioregistry() -> None:
    tqdm = pytest.importorskip("tqdm")
    # bioregistry reads its mappings through tqdm on import; tqdm's monitor thread would stay
    # for the rest of the session, and a build in this process would then not fork
    tqdm.tqdm.monitor_interval = 0
    bioregistry = pytest.importorskip(
        "bioregistry", reason="bioregistry is in the test extras (Python 3.11+)"
    )
    from importlib import metadata

    frozen_from = json.loads((REPO / "src" / "spasmkg" / "model" / "prefixes.json").read_text())[
        "source"
    ]
    installed = f"bioregistry {metadata.version('bioregistry')}"
    if installed != frozen_from:
        pytest.skip(
            f"the map was frozen from {frozen_from}; {installed} is installed (rerun scripts/freeze_prefixes.py to update)"
        )
    for prefix in prefix_map().values():
        resource = bioregistry.get_resource(prefix.bioregistry)
        assert resource.get_pattern() == prefix.pattern, prefix.prefix
        assert prefix.link_prefix == resource.get_uri_prefix(), prefix.prefix


def test_build_copies_the_sssom_file_and_reports_coverage(tmp_path: Path) -> None:
    result = run_entry_point("-q", "build", "--layer", "core", "--out", str(tmp_path / "dist"))
    assert result.returncode == 0, result.stderr
    copied = tmp_path / "dist" / "mappings.sssom.tsv"
    assert copied.read_bytes() == data_paths().mappings_file.read_bytes()
    report = (tmp_path / "dist" / "report.md").read_text()
    assert "## Entities by number of linked vocabularies" in report
    assert "| 0 | 0 |" in report


# ---------------------------------------------------------------- planted faults


def validate_lines(data: Path) -> list[str]:
    """Lines of 'spasmkg validate' for a data folder."""
    result = run_entry_point("validate", "--data", str(data))
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout.splitlines()


class Caught(NamedTuple):
    """A fault planted in a copy of the mapping set (``old`` becomes ``new``) and a line
    validate must print for it: whole, or as a :class:`Line`; ``{line}`` stands for the
    planted row's number."""

    old: str
    new: str
    report: str | Line


CAUGHT = {
    "an identifier that breaks its pattern": Caught(
        "skos:exactMatch\tHP:0003394\tMuscle spasm",
        "skos:exactMatch\tHP:3394\tMuscle spasm",
        "[mappings] mappings.sssom.tsv:{line} skg:muscle-spasm skos:exactMatch HP:3394: '3394'"
        " does not match the Human Phenotype Ontology pattern ^\\d{7}$",
    ),
    "an HPO identifier with another term's label": Caught(
        "HP:0001257\tSpasticity",
        "HP:0001257\tRigidity",
        Line(
            "[mappings] mappings.sssom.tsv:{line} skg:spasticity skos:exactMatch HP:0001257:"
            " label 'Rigidity' differs from HPO's 'Spasticity'"
        ),
    ),
    "an unknown prefix": Caught(
        "MESH:D005356\tFibromyalgia",
        "MEHS:D005356\tFibromyalgia",
        Line(
            "[mappings] mappings.sssom.tsv:{line} skg:fibromyalgia skos:exactMatch MEHS:D005356:"
            " unknown prefix 'MEHS'"
        ),
    ),
    "an ICD-10-CM code": Caught(
        "ICD10WHO:E86\tVolume depletion",
        "ICD10WHO:E86.0\tDehydration",
        Line(has="E86.0 is not a WHO ICD-10 (2019) code"),
    ),
    "an obsolete or missing HPO identifier": Caught(
        "HP:0001257\tSpasticity",
        "HP:9999999\tSpasticity",
        Line(has="HP:9999999 is not in HPO"),
    ),
    "a mapping of an unknown entity": Caught(
        "skg:fibromyalgia\tfibromyalgia\tskos:exactMatch\tMESH:D005356",
        "skg:fibromyalga\tfibromyalgia\tskos:exactMatch\tMESH:D005356",
        Line(has="subject skg:fibromyalga is not an entity of the graph"),
    ),
    "a predicate that is not a mapping relation": Caught(
        "skos:exactMatch\tMESH:D005356",
        "owl:sameAs\tMESH:D005356",
        Line(has="predicate owl:sameAs is not a SKOS mapping relation"),
    ),
}


def at_line(expected: str | Line, line: int) -> str | Line:
    """The expected report with the planted row's number filled in."""
    if isinstance(expected, str):
        return expected.replace("{line}", str(line))
    return Line(expected.start.replace("{line}", str(line)), has=expected.has)


@pytest.mark.parametrize("case", CAUGHT)
def test_a_planted_mapping_fault_is_caught_with_its_row(data_copy: Path, case: str) -> None:
    fault = CAUGHT[case]
    line = plant(data_copy, "graph/mappings.sssom.tsv", fault.old, fault.new)
    found = validate_lines(data_copy)
    assert reported(at_line(fault.report, line), found), found


def test_the_one_curie_splitter_reads_curies_as_the_curies_library_does(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    from curies import ReferenceTuple

    from spasmkg.model.curie import split_curie

    curies_seen = {e.curie for e in kg_all.entities} | {
        i.curie for e in kg_all.entities for i in e.identifiers
    }
    curies_seen |= {c.curie for c in kg_all.claims} | {m.object_id for m in MAPPINGS.mappings}
    assert len(curies_seen) > 1000
    for text in curies_seen:
        assert split_curie(text) == tuple(ReferenceTuple.from_curie(text)), text
    assert split_curie("no colon here") == ("", "no colon here")
