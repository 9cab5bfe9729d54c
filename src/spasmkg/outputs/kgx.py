"""The graph as KGX files aligned to the Biolink Model, for Monarch, KG-Hub and Translator builds.

Nodes are entities, named by the outside identifier the big graphs use (the first exact match
among the prefixes Biolink prefers for the node's category, frozen in ``biolink.json``) or by
their own ``skg:`` CURIE, the product's one converter's, as everywhere else. Edges are claims,
one per direction of their evidence: an edge for the supporting items, named by the claim's
CURIE, and, for a claim some source refutes, a second edge (``claim:...#refuted``) with
``negated: true`` that cites only the refuting items. Publications are CURIEs (``PMID:``,
``doi:``, ``PMCID:``) where the source has one. Inconclusive items make no edge (an edge
asserts; they do not). Every edge carries its claim's standing (``spasmkg_standing``:
supported, mixed, unsettled, notSupported), so an edge of a claim the evidence does not back
never reads as holding; hedges travel as ``spasmkg_modality`` (empty for such a claim) and
contexts as Biolink's population or disease context qualifiers (and ``spasmkg_context`` for
other kinds).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import URIRef

from spasmkg.errors import OutputError
from spasmkg.model.curie import prefix_of
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.layers import CORE, LAYERS
from spasmkg.model.namespaces import SKGO
from spasmkg.model.records import Claim, Entity, EvidenceItem
from spasmkg.version import RELEASED, __version__

BIOLINK = "https://w3id.org/biolink/vocab/"
SKGO_BASE = str(SKGO._NS)
#: The fragment of the id of a claim's edge of refuting items (``claim:...#refuted``).
REFUTED = "#refuted"
INFORES = LAYERS[CORE].infores  # spasmkg's own; not yet in the information resource registry
AUTOMATED_EVIDENCE = {"ECO:0000501"}  # electronic annotation (HPO's IEA)
#: KGX TSV joins the values of a multivalued column with this character.
LIST_SEPARATOR = "|"
NODE_COLUMNS = (
    "id",
    "category",
    "name",
    "description",
    "synonym",
    "xref",
    "equivalent_identifiers",
    "provided_by",
)
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "original_predicate",
    "negated",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "aggregator_knowledge_source",
    "publications",
    "has_evidence",
    "population_context_qualifier",
    "disease_context_qualifier",
    "spasmkg_standing",
    "spasmkg_modality",
    "spasmkg_context",
)
#: Columns of spasmkg's own, for what Biolink has no slot for (documented in the README).
EXTENSION_COLUMNS = frozenset({"spasmkg_standing", "spasmkg_modality", "spasmkg_context"})


@cache
def biolink_frozen() -> dict[str, Any]:
    """What spasmkg froze of the Biolink Model (``biolink.json``): its version and the
    preferred identifier prefixes per category."""
    text = resources.files("spasmkg.outputs").joinpath("biolink.json").read_text("utf-8")
    return dict(json.loads(text))


def preferred_prefixes() -> dict[str, list[str]]:
    """Biolink's preferred identifier prefixes per category (``biolink.json``, frozen)."""
    return dict(biolink_frozen()["id_prefixes"])


def biolink_terms(kg: KnowledgeGraph, mapping: URIRef = SKGO.biolinkTerm) -> dict[str, str]:
    """The Biolink term the ontology maps each class or relation to (by ``skgo:biolinkTerm``,
    or another mapping property such as ``skgo:biolinkContextQualifier``), keyed by IRI."""
    return {
        str(term): "biolink:" + str(target).removeprefix(BIOLINK)
        for term, target in kg.ontology.subject_objects(mapping)
        if isinstance(term, URIRef)
    }


def category_of(entity: Entity, terms: dict[str, str]) -> str:
    """The Biolink category of an entity's kind."""
    return terms[SKGO_BASE + entity.kind]


def exact_ids(entity: Entity) -> list[str]:
    """An entity's exact outside identifiers, as CURIEs."""
    return [i.curie for i in entity.identifiers if i.predicate == "skos:exactMatch"]


def preferred_id(entity: Entity, terms: dict[str, str]) -> str:
    """An entity's first exact match in Biolink's order of prefixes for its category, else its
    own CURIE."""
    order = preferred_prefixes()[category_of(entity, terms)]
    ranked = sorted(
        (order.index(prefix_of(c)), c) for c in exact_ids(entity) if prefix_of(c) in order
    )
    return ranked[0][1] if ranked else own_id(entity)


def node_ids(entities: Iterable[Entity], terms: dict[str, str]) -> dict[str, str]:
    """The KGX id of every entity, by IRI; an outside id two entities would share goes to
    neither (each keeps its own CURIE)."""
    chosen = {entity.iri: (entity, preferred_id(entity, terms)) for entity in entities}
    shared = {i for i, n in Counter(i for _, i in chosen.values()).items() if n > 1}
    return {iri: own_id(e) if i in shared else i for iri, (e, i) in chosen.items()}


def own_id(entity: Entity) -> str:
    """An entity's own KGX CURIE, the product's: ``skg:furosemide``."""
    return entity.curie


def node_row(entity: Entity, node_id: str, category: str) -> dict[str, Any]:
    """One KGX node."""
    others = sorted({*exact_ids(entity), own_id(entity)} - {node_id})
    return {
        "id": node_id,
        "category": [category],
        "name": entity.label,
        "description": entity.definition,
        "synonym": sorted(entity.synonyms),
        "xref": others,
        "equivalent_identifiers": others,
        "provided_by": [LAYERS[entity.layer].infores],
    }


def publication(item: EvidenceItem) -> str:
    """How an item's source is cited on an edge: PMID, DOI or PubMed Central id as a CURIE
    (Biolink's prefixes for a journal article), else the page it was read at."""
    source = item.source
    if source.pmid:
        return f"PMID:{source.pmid}"
    if source.doi:
        return f"doi:{source.doi}"
    if source.pmcid:
        return f"PMCID:{source.pmcid}"
    return source.link or source.read_at or source.iri


@dataclass(frozen=True)
class Naming:
    """How the export names things: each entity's KGX id, each relation's Biolink predicate,
    and the Biolink qualifier for contexts of each class (all keyed by IRI)."""

    ids: dict[str, str]
    terms: dict[str, str]
    qualifiers: dict[str, str]


def edge_row(
    claim: Claim, items: tuple[EvidenceItem, ...], negated: bool, naming: Naming
) -> dict[str, Any]:
    """One KGX edge for a claim and the items of one direction."""
    ids = naming.ids
    automated = all(item.evidence_type.curie in AUTOMATED_EVIDENCE for item in items)
    layer = LAYERS[claim.layer]
    row: dict[str, Any] = {
        "id": claim.curie + (REFUTED if negated else ""),
        "subject": ids[claim.subject.iri],
        "predicate": naming.terms[claim.predicate.iri],
        "object": ids[claim.object.iri],
        "original_predicate": claim.predicate.iri,
        "negated": negated,
        "knowledge_level": "knowledge_assertion",
        "agent_type": "automated_agent" if automated else "manual_agent",
        "primary_knowledge_source": layer.infores,
        "aggregator_knowledge_source": [INFORES] if layer.imported else [],
        "publications": sorted({publication(item) for item in items}),
        "has_evidence": sorted({item.evidence_type.curie for item in items}),
        "spasmkg_standing": claim.standing.name,
        "spasmkg_modality": claim.shown_modality.name if claim.shown_modality else "",
        "spasmkg_context": claim.context.label if claim.context else "",
    }
    qualifier = naming.qualifiers.get(SKGO_BASE + claim.context.kind) if claim.context else None
    if claim.context is not None and qualifier is not None:
        row[qualifier.removeprefix("biolink:")] = ids[claim.context.iri]
    return row


def edge_rows(kg: KnowledgeGraph, naming: Naming) -> Iterator[dict[str, Any]]:
    """The edges of every claim: its support, and its refutation as a negated edge."""
    for claim in kg.claims:
        supporting = tuple(i for i in claim.evidence if i.direction == "supports")
        refuting = tuple(i for i in claim.evidence if i.direction == "refutes")
        if supporting:
            yield edge_row(claim, supporting, False, naming)
        if refuting:
            yield edge_row(claim, refuting, True, naming)


@lru_cache(maxsize=2)
def records(kg: KnowledgeGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The KGX nodes and edges of a loaded graph, sorted by id."""
    terms = biolink_terms(kg)
    ids = node_ids(kg.entities, terms)
    nodes = [node_row(e, ids[e.iri], category_of(e, terms)) for e in kg.entities]
    naming = Naming(ids, terms, biolink_terms(kg, SKGO.biolinkContextQualifier))
    edges = list(edge_rows(kg, naming))
    return sorted(nodes, key=lambda n: n["id"]), sorted(edges, key=lambda e: e["id"])


def cell(value: Any) -> str:
    """One value as a KGX TSV cell: lists joined with ``|``, ``True`` for a true flag, else empty."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, bool):
        return "True" if value else ""
    return str(value)


def tsv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    """Rows as KGX TSV: one column each, lists joined with ``|``, empty cells for absent values."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(cell(row.get(column, "")) for column in columns)
    return out.getvalue().encode("utf-8")


def jsonl(rows: list[dict[str, Any]]) -> bytes:
    """Rows as KGX JSON Lines, leaving out empty values."""
    lines = (
        json.dumps(
            {k: v for k, v in row.items() if v not in ("", [], False)},
            ensure_ascii=False,
            sort_keys=True,
        )
        for row in rows
    )
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass(frozen=True)
class KgxFile:
    """One KGX file: its name, media type, and how it is written from the records."""

    name: str
    media_type: str
    description: str
    write: Callable[[KnowledgeGraph], bytes]

    @property
    def key(self) -> str:
        """The output's name in the registry: ``kgx-nodes-tsv``."""
        return "kgx-" + self.name.removeprefix("spasmkg_").replace(".", "-")


def ingest_metadata(kg: KnowledgeGraph) -> bytes:
    """The graph described as Biolink's KGX ingest metadata (``IngestMetadataFile``): which
    version of spasmkg made it, from which layers and their releases, in which Biolink version,
    and what it holds, so a merged graph can say which release of spasmkg it took in."""
    nodes, edges = records(kg)
    linked = {edge["subject"] for edge in edges} | {edge["object"] for edge in edges}
    releases = {loaded.layer.name: loaded.version for loaded in kg.imports}
    layers = ", ".join(
        f"{layer.name} {releases[layer.name]}" if releases.get(layer.name) else layer.name
        for layer in kg.layers
    )
    metadata = {
        "file_name": f"spasmkg {__version__} KGX ingest metadata",
        "file_created_by": [f"spasmkg {__version__}"],
        "file_creation_date": RELEASED,
        "ingest_code_url": "https://w3id.org/spasmkg/",
        "ingest_code_version": __version__,
        "source_infores_id": "infores:spasmkg",
        "source_data_version": f"{__version__} (layers: {layers})",
        "source_access_date": RELEASED,
        "source_file_names": sorted(
            str(path.relative_to(kg.paths.root))
            for layer in kg.layers
            for path in layer.paths(kg.paths.root)
        ),
        "target_name": f"spasmkg {__version__}",
        "target_creation_date": RELEASED,
        "target_data_url": "https://w3id.org/spasmkg/dataset",
        "target_data_version": __version__,
        "target_format": "KGX-tsv and KGX-jsonlines",
        "target_model": "https://w3id.org/biolink/biolink-model",
        "target_model_url": "https://biolink.github.io/biolink-model/",
        "target_data_model_version": biolink_frozen()["version"],
        "total_edge_count": len(edges),
        "total_node_count": len(nodes),
        "orphan_node_count": sum(node["id"] not in linked for node in nodes),
        "node_categories": sorted({c for node in nodes for c in node["category"]}),
        "edge_predicates": sorted({edge["predicate"] for edge in edges}),
    }
    return (json.dumps(metadata, indent=1, ensure_ascii=False) + "\n").encode()


#: The KGX files, as the build, the registry and ``spasmkg export kgx`` write them.
FILES = (
    KgxFile(
        "spasmkg_nodes.tsv",
        "text/tab-separated-values",
        "KGX nodes (Biolink), TSV",
        lambda kg: tsv(records(kg)[0], NODE_COLUMNS),
    ),
    KgxFile(
        "spasmkg_edges.tsv",
        "text/tab-separated-values",
        "KGX edges (Biolink), TSV",
        lambda kg: tsv(records(kg)[1], EDGE_COLUMNS),
    ),
    KgxFile(
        "spasmkg_nodes.jsonl",
        "application/jsonl",
        "KGX nodes (Biolink), JSON Lines",
        lambda kg: jsonl(records(kg)[0]),
    ),
    KgxFile(
        "spasmkg_edges.jsonl",
        "application/jsonl",
        "KGX edges (Biolink), JSON Lines",
        lambda kg: jsonl(records(kg)[1]),
    ),
    KgxFile(
        "spasmkg_ingest_metadata.json",
        "application/json",
        "KGX ingest metadata (Biolink IngestMetadataFile): version, layers, counts",
        ingest_metadata,
    ),
)


def write_kgx(kg: KnowledgeGraph, folder: Path) -> tuple[int, int, int]:
    """Write the KGX files (nodes and edges as TSV and JSON Lines, the ingest metadata) into a
    folder (made if missing) and return how many nodes, edges and negated edges they hold.

    :raises OutputError: the folder or a file cannot be written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for file in FILES:
            (folder / file.name).write_bytes(file.write(kg))
    except OSError as error:
        raise OutputError(f"{folder}: cannot write: {error.strerror}") from None
    nodes, edges = records(kg)
    return len(nodes), len(edges), sum(edge["negated"] for edge in edges)
