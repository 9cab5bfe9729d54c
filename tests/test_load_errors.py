"""Bad input gets one line naming file and line, exit code 2, and no traceback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

import spasmkg
from spasmkg.errors import GraphSyntaxError, MappingError, UndeclaredTerm
from spasmkg.model.namespaces import SKGO
from spasmkg.model.paths import data_paths
from tests.helpers import CORE, append_line, plant, run_entry_point


def test_shipped_graph_loads_and_materialises_each_claim(data_copy: Path) -> None:
    kg = spasmkg.load(data_copy)
    claims = set(kg.asserted.subjects(RDF.type, SKGO.Claim))
    assert len(claims) == CORE.claims
    # beside each claim's standing and each evidence item's design, the plain triples: the other
    # claims are bound to a context, disputed by some evidence or hedged in a relation with no
    # "may" form, so they live only as claims
    derived = {SKGO.standing, SKGO.studyDesign}
    assert len({t for t in kg.inferred if t[1] not in derived}) == CORE.plain
    assert len(set(kg.inferred.subjects(SKGO.standing))) == len(claims)


def test_no_plain_triple_says_more_than_its_claim(kg: spasmkg.KnowledgeGraph) -> None:
    """Over every claim: a plain triple in the relation itself only for a claim stated as fact,
    in no context and undisputed; the hedged form ("may") for such a claim that is possible or
    typical; nothing for the rest. And every plain triple stands for such a claim."""
    hedged = dict(kg.ontology.subject_objects(SKGO.hedgedForm))
    backed = set()
    for claim in kg.claims:
        s, p, o = (URIRef(iri) for iri in claim.triple)
        firm = claim.context is None and not claim.disputes
        if firm and claim.modality.name == "stated":
            expected = (s, p, o)
        elif firm and p in hedged:
            expected = (s, hedged[p], o)
        else:
            expected = None
        if expected is not None:
            assert expected in kg.inferred, claim.curie
            backed.add(expected)
        else:
            assert claim.plain is None, claim.curie
    derived = {SKGO.standing, SKGO.studyDesign}  # each claim's standing, each item's design
    assert {t for t in kg.inferred if t[1] not in derived} == backed


def test_hedged_and_context_bound_claims_have_no_unqualified_triple(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    skg = "https://w3id.org/spasmkg/entity/"
    cannabis, spasm = URIRef(skg + "medical-cannabis"), URIRef(skg + "muscle-spasm")
    # true only in MS and spinal cord injury, and only "possibly"
    assert (cannabis, SKGO.relieves, spasm) not in kg.inferred
    assert (cannabis, SKGO.mayRelieve, spasm) not in kg.inferred
    # the article says dehydration *can* cause spasms
    dehydration = URIRef(skg + "dehydration")
    assert (dehydration, SKGO.causes, spasm) not in kg.inferred
    assert (dehydration, SKGO.mayCause, spasm) in kg.inferred


def test_asserted_and_inferred_are_kept_apart(kg: spasmkg.KnowledgeGraph) -> None:
    from rdflib import URIRef

    skg = "https://w3id.org/spasmkg/entity/"
    triple = (URIRef(skg + "dehydration"), SKGO.mayCause, URIRef(skg + "muscle-spasm"))
    assert triple in kg.inferred and triple not in kg.asserted
    assert kg.is_inferred(triple)
    assert triple not in kg.union(inferred=False)
    assert triple in kg.union()


MAPPINGS = "graph/mappings.sssom.tsv"
#: The first mapping row of furosemide, as the shipped mapping set writes it.
FUROSEMIDE_ROW = next(
    line
    for line in (data_paths().root / MAPPINGS).read_text(encoding="utf-8").splitlines()
    if line.startswith("skg:furosemide")
)


class Refused(NamedTuple):
    """A fault planted in a copy of the data (``old`` becomes ``new`` in ``file``; with ``old``
    None, ``new`` is added as a last line), the error loading it raises, and the error's
    message (a regular expression; ``{line}`` stands for the planted line's number)."""

    file: str
    old: str | None
    new: str
    error: type[Exception]
    message: str


REFUSED = {
    "malformed Turtle": Refused(
        "graph/causes.ttl",
        '"dehydration"@en',
        '"dehydration@en',
        GraphSyntaxError,
        r"^graph/causes.ttl:{line}: bad Turtle syntax",
    ),
    "unknown prefix": Refused(
        "graph/diseases.ttl",
        "skg:fibromyalgia a skgo:Disease",
        "skg:fibromyalgia a skgx:Disease",
        GraphSyntaxError,
        r"graph/diseases.ttl:{line}: .*skgx",
    ),
    "misspelt ontology property": Refused(
        "graph/nutrients.ttl",
        "rdf:predicate skgo:deficiencyOf",
        "rdf:predicate skgo:deficiencyof",
        UndeclaredTerm,
        r"^graph/nutrients.ttl:{line}: skgo:deficiencyof is not a declared term",
    ),
    "misspelt standard term": Refused(
        "graph/treatments.ttl",
        'rdfs:label "massage"',
        'rdfs:lable "massage"',
        UndeclaredTerm,
        r"graph/treatments.ttl:{line}: rdfs:lable",
    ),
    "lone surrogate in a string": Refused(
        "graph/causes.ttl",
        '"dehydration"@en',
        '"dehydr\\uD800ation"@en',
        GraphSyntaxError,
        "lone surrogate",
    ),
    # defect: a file could bind skg: to a foreign namespace and the published Turtle followed
    "a file rebinds a spasmkg prefix": Refused(
        "graph/causes.ttl",
        None,
        "@prefix skg: <http://evil.example/> .",
        GraphSyntaxError,
        r"causes.ttl:\d+: the prefix skg: must stand for",
    ),
    "a tab in the last field of a mapping": Refused(
        MAPPINGS,
        FUROSEMIDE_ROW,
        FUROSEMIDE_ROW + "\tan extra field",
        MappingError,
        r"mappings.sssom.tsv:{line}: 9 fields where the header has 8",
    ),
    "a commented-out mapping row": Refused(
        MAPPINGS,
        FUROSEMIDE_ROW,
        "#" + FUROSEMIDE_ROW,
        MappingError,
        r":{line}: a '#' line inside the table",
    ),
    "an overlong mapping field": Refused(
        MAPPINGS,
        FUROSEMIDE_ROW,
        FUROSEMIDE_ROW + "x" * 140_000,
        MappingError,
        r":{line}: field larger than field limit",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_planted_fault_is_refused_with_file_and_line(data_copy: Path, case: str) -> None:
    fault = REFUSED[case]
    if fault.old is None:
        line = append_line(data_copy, fault.file, fault.new)
    else:
        line = plant(data_copy, fault.file, fault.old, fault.new)
    with pytest.raises(fault.error, match=fault.message.replace("{line}", str(line))):
        spasmkg.load(data_copy)


def test_cli_reports_one_line_and_exit_code_1_for_invalid_data(data_copy: Path) -> None:
    line = plant(data_copy, "graph/causes.ttl", '"dehydration"@en', '"dehydration@en')
    result = run_entry_point("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: graph/causes.ttl:{line}: bad Turtle syntax: newline found in string literal"
    ]
    assert "Traceback" not in result.stderr


def test_build_with_a_bad_file_writes_nothing(data_copy: Path, tmp_path: Path) -> None:
    plant(
        data_copy,
        "graph/nutrients.ttl",
        "rdf:predicate skgo:deficiencyOf",
        "rdf:predicate skgo:deficiencyof",
    )
    out = tmp_path / "dist"
    result = run_entry_point("build", "--data", str(data_copy), "--out", str(out))
    assert result.returncode == 1
    assert "skgo:deficiencyof is not a declared term" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [data_copy]


def test_missing_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run_entry_point("validate", "--data", str(tmp_path / "nowhere"))
    assert result.returncode == 2, "a --data that is not a data folder is wrong use"
    assert "not a spasmkg data folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_literal_loads_as_data_not_markup(data_copy: Path) -> None:
    """Labels are data: a script tag in a label is kept verbatim (escaping is the page's job)."""
    hostile = "<img src=x onerror=alert(1)>"
    plant(data_copy, "graph/treatments.ttl", '"massage"@en', f'"{hostile}"@en')
    kg = spasmkg.load(data_copy)
    assert any(str(o) == hostile for o in kg.asserted.objects())


# ---------------------------------------- terms rdflib keeps but nothing downstream can use

BAD_TERMS = {
    "space in an IRI": ("<http://example.org/a b>", "has a character IRIs may not hold"),
    "braces in an IRI": ("<http://example.org/a{b}>", "has a character IRIs may not hold"),
    "escaped quote in an IRI": (
        "<http://example.org/a\\u0022b>",
        "has a character IRIs may not hold",
    ),
    "escaped > in an IRI": ("<http://example.org/a\\u003Eb>", "has a character IRIs may not hold"),
    "escaped newline in an IRI": (
        "<http://example.org/a\\u000Ab>",
        "has a character IRIs may not hold",
    ),
    "lone surrogate in an IRI": (
        "<http://example.org/a\\uD800b>",
        "has a character IRIs may not hold",
    ),
    "relative IRI": ("<just-a-name>", "the relative IRI <just-a-name>"),
    "file IRI": ("<file:///home/me/data.ttl>", "would publish a local path"),
}


@pytest.mark.parametrize("case", sorted(BAD_TERMS))
def test_a_bad_iri_is_one_line_with_file_and_line(data_copy: Path, case: str) -> None:
    """Defect: these crashed validate and build with a traceback (exit 1, no file:line)."""
    term, message = BAD_TERMS[case]
    line = append_line(data_copy, "graph/causes.ttl", f'{term} <http://example.org/p> "o" .')
    for command in (["validate"], ["build", "--out", str(data_copy / "out")]):
        result = run_entry_point(*command, "--data", str(data_copy))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        [error] = result.stderr.strip().splitlines()[-1:]
        assert error.startswith(f"error: graph/causes.ttl:{line}: ") and message in error, error


def test_deeply_nested_blank_nodes_are_one_line(data_copy: Path) -> None:
    nested = "[ <http://example.org/p> " * 120 + '"o"' + " ]" * 120
    append_line(
        data_copy, "graph/causes.ttl", f"<http://example.org/s> <http://example.org/p> {nested} ."
    )
    result = run_entry_point("validate", "--data", str(data_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "blank node" in result.stderr or "nested too deeply" in result.stderr


# ---------------------------------------------------------------- the mapping set's format


def mapping_lines(data: Path) -> list[str]:
    return (data / MAPPINGS).read_text(encoding="utf-8").splitlines()


@pytest.mark.slow
def test_a_byte_order_mark_is_accepted(data_copy: Path) -> None:
    path = data_copy / MAPPINGS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(spasmkg.load(data_copy).mapping_set.mappings) == len(
        spasmkg.load().mapping_set.mappings
    )  # type: ignore[union-attr]


def test_a_mapping_file_that_is_not_utf8(data_copy: Path) -> None:
    path = data_copy / MAPPINGS
    path.write_bytes(path.read_bytes().replace(b"Furosemide", b"Fur\xf6semide", 1))
    result = run_entry_point("validate", "--data", str(data_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"mappings.sssom.tsv:\d+: not UTF-8 text", result.stderr)


def test_a_bad_identifier_in_the_mappings_is_reported_not_crashed_on(data_copy: Path) -> None:
    lines = mapping_lines(data_copy)
    number = next(n for n, line in enumerate(lines, 1) if "MESH:D005665" in line)
    lines[number - 1] = lines[number - 1].replace("MESH:D005665", "MESH:D0056 65")
    (data_copy / MAPPINGS).write_text("\n".join(lines) + "\n")
    result = run_entry_point("validate", "--data", str(data_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        f"mappings.sssom.tsv:{number} skg:furosemide skos:exactMatch MESH:D0056 65" in result.stdout
    )
