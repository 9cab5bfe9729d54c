"""Synthetic graphs shaped like spasmkg's, for benchmarks at 1e3 to 1e6 triples.

Each unit is one entity (type, label, definition, synonym, source) with two claims (type,
subject, relation, object, source, evidence, modality, note) whose objects are conditions
under a small hierarchy rooted at ``skg:muscle-spasm``, as in the real graph. The output is a
complete data folder (the real ontology, shapes and queries, one generated graph file), so
``spasmkg.load(folder)`` and every named query work on it.

    python benchmarks/synthetic.py 100000 /tmp/synthetic-1e5
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TRIPLES_PER_UNIT = 5 + 2 * 11  # an entity, and two claims of 7 triples with an item of 4
#: Kinds of synthetic entity and the relation each may have to a condition (as shapes.ttl allows).
KINDS = {
    "PhysiologicalState": "causes",
    "Disease": "causes",
    "Medication": "hasAdverseEffect",
    "Activity": "riskFactorFor",
    "Population": "riskFactorFor",
    "Injury": "contributesTo",
}
PREFIXES = """@prefix claim: <https://w3id.org/spasmkg/claim/> .
@prefix ECO: <http://purl.obolibrary.org/obo/ECO_> .
@prefix evidence: <https://w3id.org/spasmkg/evidence/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skg: <https://w3id.org/spasmkg/entity/> .
@prefix skgo: <https://w3id.org/spasmkg/ontology/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix source: <https://w3id.org/spasmkg/source/> .
"""


def evidence_item(name: str) -> str:
    """The one evidence item of a synthetic claim: the synthetic source supports it."""
    return f"""evidence:{name} a skgo:EvidenceItem ; prov:wasDerivedFrom source:synthetic ;
    skgo:direction skgo:supports ; skgo:evidenceType ECO:0000305 ."""


def conditions(count: int) -> list[str]:
    """A hierarchy of conditions under muscle spasm, as Turtle blocks (with their claims)."""
    blocks = [
        """skg:muscle-spasm a skgo:Condition ; rdfs:label "muscle spasm"@en ;
    skos:definition "Synthetic root condition."@en ; prov:wasDerivedFrom source:synthetic .
source:synthetic a skgo:Curation ; rdfs:label "synthetic source"@en ;
    skos:definition "Generated for benchmarks."@en ."""
    ]
    for number in range(count):
        parent = "muscle-spasm" if number < 10 else f"condition-{number // 10 - 1}"
        blocks.append(f"""skg:condition-{number} a skgo:Condition ; rdfs:label "condition {number}"@en ;
    skos:definition "Synthetic condition {number}."@en ; prov:wasDerivedFrom source:synthetic .
claim:condition-{number}--broader--{parent} a skgo:Claim ; rdf:subject skg:condition-{number} ;
    rdf:predicate skos:broader ; rdf:object skg:{parent} ;
    skgo:hasEvidence evidence:condition-{number} ; skgo:modality skgo:stated ;
    rdfs:comment "Synthetic hierarchy."@en .
{evidence_item(f"condition-{number}")}""")
    return blocks


def unit(number: int, rng: random.Random, condition_count: int) -> str:
    """One entity and its two claims."""
    kind = list(KINDS)[number % len(KINDS)]
    lines = [
        f"""skg:entity-{number} a skgo:{kind} ; rdfs:label "entity {number}"@en ;
    skos:definition "Synthetic entity number {number}."@en ; skos:altLabel "e{number}"@en ;
    prov:wasDerivedFrom source:synthetic ."""
    ]
    for side in range(2):
        relation = KINDS[kind]
        target = rng.randrange(condition_count)
        lines.append(f"""claim:entity-{number}-{side} a skgo:Claim ; rdf:subject skg:entity-{number} ;
    rdf:predicate skgo:{relation} ; rdf:object skg:condition-{target} ;
    skgo:hasEvidence evidence:entity-{number}-{side} ; skgo:modality skgo:possible ;
    rdfs:comment "Synthetic claim {number}-{side}."@en .
{evidence_item(f"entity-{number}-{side}")}""")
    return "\n".join(lines)


def generate(triples: int, folder: Path, seed: int = 7) -> Path:
    """Write a data folder with about ``triples`` curated triples (plus materialised ones)."""
    rng = random.Random(seed)
    shutil.rmtree(folder, ignore_errors=True)
    for name in ("ontology", "queries"):
        shutil.copytree(REPO / name, folder / name)
    (folder / "graph").mkdir(parents=True)
    condition_count = max(10, triples // 400)
    units = max(1, (triples - condition_count * 15) // TRIPLES_PER_UNIT)
    with (folder / "graph" / "synthetic.ttl").open("w", encoding="utf-8") as out:
        out.write(PREFIXES)
        for block in conditions(condition_count):
            out.write(block + "\n")
        for number in range(units):
            out.write(unit(number, rng, condition_count) + "\n")
    return folder


if __name__ == "__main__":
    generate(int(float(sys.argv[1])), Path(sys.argv[2]))
    print(f"wrote {sys.argv[2]}")
