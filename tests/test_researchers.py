"""The commands researchers expect (issue 28 §6): associations, normalize, search, ancestors and
descendants, as library calls and as commands, their rows in TSV, JSON and JSON Lines, and
``--output FILE`` on every command that writes rows. Bad input to them is in
tests/data/cli_errors.yaml."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import spasmkg
from spasmkg.ask.associations import Association
from spasmkg.ask.normalize import Normalized
from spasmkg.errors import DataError, UnknownEntity, UsageError
from tests.helpers import REPO

# associations


def by(rows: list[Association], object_label: str) -> Association:
    """The one row about an object."""
    [row] = [row for row in rows if row.object_label == object_label]
    return row


def test_furosemide_has_adverse_effect_hypokalemia_with_its_standing_and_source(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    rows = spasmkg.associations("furosemide", "has adverse effect", kg=kg)
    assert {row.object_label for row in rows} == {"hypokalemia", "hypomagnesemia"}
    low_potassium = by(rows, "hypokalemia")
    assert (low_potassium.predicate, low_potassium.standing, low_potassium.modality) == (
        "skgo:hasAdverseEffect",
        "supported",
        "possible",
    )
    # a drug label records no PMID or DOI: the row names the source record and its title
    assert low_potassium.references == ("source:furose-adverse-reactions",)
    assert low_potassium.citations == ("Furose Adverse Reactions",)
    assert low_potassium.directions == ("supports",)


def test_a_claim_the_evidence_leaves_open_shows_no_hedge_and_every_item_with_its_identifier(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    [row] = spasmkg.associations("furosemide", "skgo:hasAdverseEffect", "hypomagnesemia", kg=kg)
    assert (row.standing, row.modality) == ("unsettled", "")
    assert row.directions == ("supports", "supports", "supports", "inconclusive")
    assert "PMID:8373706" in row.references and "doi:10.1002/prp2.829" in row.references
    assert len(row.references) == len(row.citations) == len(row.certainties) == 4
    # the item the DOI names is the Liamis et al. review, in step with its citation
    where = row.references.index("doi:10.1002/prp2.829")
    assert row.citations[where].startswith("Liamis G")


def test_a_relation_by_label_curie_or_name_gives_the_same_rows(kg: spasmkg.KnowledgeGraph) -> None:
    named = [
        spasmkg.associations(obj="hypokalemia", predicate=predicate, kg=kg)
        for predicate in ("has adverse effect", "skgo:hasAdverseEffect", "hasAdverseEffect")
    ]
    assert named[0] == named[1] == named[2]
    assert "furosemide" in {row.subject_label for row in named[0]}


def test_rows_come_surest_first_and_page_by_limit_and_offset(kg: spasmkg.KnowledgeGraph) -> None:
    every = spasmkg.associations(predicate="relieves", kg=kg)
    assert len(every) > 10
    ranks = {"supported": 4, "mixed": 3, "unsettled": 2, "notSupported": 1}
    standings = [ranks[row.standing] for row in every]
    assert standings == sorted(standings, reverse=True)
    page = spasmkg.associations(predicate="relieves", limit=4, offset=3, kg=kg)
    assert page == every[3:7]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"predicate": "has bad effect"}, UsageError),
        ({"subject": "zzzyxx"}, UnknownEntity),
        ({"limit": 0}, UsageError),
        ({"offset": -1}, UsageError),
    ],
)
def test_associations_refuse_bad_input(
    kg: spasmkg.KnowledgeGraph, arguments: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        spasmkg.associations(kg=kg, **arguments)  # type: ignore[arg-type]


@pytest.mark.slow  # loads the whole graph again (seconds)
def test_the_three_formats_hold_the_same_rows(run: object) -> None:
    args = ["associations", "-s", "furosemide", "--layer", "core"]
    tsv = run(*args)  # type: ignore[operator]
    assert tsv.exit_code == 0, tsv.output
    table = list(csv.DictReader(tsv.stdout.splitlines(), delimiter="\t"))
    as_json = json.loads(run(*args, "-f", "json").stdout)  # type: ignore[operator]
    lines = [json.loads(line) for line in run(*args, "-f", "jsonl").stdout.splitlines()]  # type: ignore[operator]
    assert as_json == lines and len(table) == len(lines) == 3
    for row, record in zip(table, as_json, strict=True):
        assert row["claim"] == record["claim"]
        assert row["references"] == "|".join(record["references"])
    assert list(table[0]) == list(Association.__dataclass_fields__)


# normalize

CODES = REPO / "tests" / "data" / "codes.csv"


def test_a_column_of_mixed_codes_and_words_is_mapped_with_its_match_type(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    rows = {row.input: row for row in spasmkg.normalize(CODES, "code", kg=kg_all)}
    expected = {
        "G35": ("skg:multiple-sclerosis", "exact mapping", "ICD10WHO:G35"),
        "MESH:D013035": ("skg:muscle-spasm", "exact mapping", "MESH:D013035"),
        "HP:0003394": ("skg:muscle-spasm", "exact mapping", "HP:0003394"),
        "CHEBI:47426": ("skg:furosemide", "exact mapping", "CHEBI:47426"),
        "MONDO:0005301": ("skg:multiple-sclerosis", "exact mapping", "MONDO:0005301"),
        "frusemide": ("skg:furosemide", "synonym", "frusemide"),
        "tiredness": ("skg:fatigue", "layperson synonym", "Tiredness"),
        "charley horse": ("skg:muscle-cramp", "synonym", "charley horse"),
        "ICD10CM:R25.2": ("", "none", ""),
        "R25.2": ("", "ambiguous", ""),
        "zzzyxx": ("", "none", ""),
        "": ("", "none", ""),
    }
    assert {value: (r.entity, r.match, r.matched) for value, r in rows.items()} == expected
    mapped, lexical = rows["G35"], rows["frusemide"]
    assert (mapped.predicate_id, mapped.mapping_justification) == (
        "skos:exactMatch",
        "semapv:ManualMappingCuration",
    )
    assert (lexical.predicate_id, lexical.mapping_justification) == ("", "semapv:LexicalMatching")
    # HP:0003394 maps exactly to muscle spasm and broadly to two more, which the note names
    assert rows["HP:0003394"].note == "could also mean: muscle cramp; nocturnal leg cramp"
    # an ICD-10-CM code is not taken for the WHO code it resembles, only suggested
    assert "icd10who:r25.2" in rows["ICD10CM:R25.2"].note
    assert "muscle spasm (skos:closeMatch)" in rows["R25.2"].note
    assert rows["G35"].line == 2 and rows[""].line == 13


def test_a_tsv_file_is_read_by_its_extension_or_its_header_line(
    tmp_path: Path, kg: spasmkg.KnowledgeGraph
) -> None:
    for name in ("codes.tsv", "codes.txt"):
        table = tmp_path / name
        table.write_text("name\tcode\nms\tG35\ncramp\tcharley horse\n", encoding="utf-8")
        rows = spasmkg.normalize(table, "code", kg=kg)
        assert [row.entity for row in rows] == ["skg:multiple-sclerosis", "skg:muscle-cramp"]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("sheet.xlsx", b"PK\x03\x04", "not a CSV or TSV file \\(a .xlsx file\\)"),
        ("codes.csv", b"code\nG35\n\xff\xfe\n", "byte 9 is not UTF-8"),
        ("codes.txt", b"code\tname\nG35\tms\nG35\n", "codes.txt:3: 1 field where the header has 2"),
        ("codes.csv", b'code\n"G35\n', "not CSV or TSV"),
        ("codes.csv", b"", "empty"),
    ],
)
def test_a_file_that_is_not_a_csv_or_tsv_table_is_refused(
    tmp_path: Path, kg: spasmkg.KnowledgeGraph, name: str, content: bytes, says: str
) -> None:
    table = tmp_path / name
    table.write_bytes(content)
    with pytest.raises(DataError, match=says):
        spasmkg.normalize(table, "code", kg=kg)


def test_a_missing_column_lists_the_columns_there_are(kg: spasmkg.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="no column 'codes'; its columns: id, code, note"):
        spasmkg.normalize(CODES, "codes", kg=kg)


def test_normalize_counts_the_matches_and_lists_every_unmatched_row(run: object) -> None:
    result = run("normalize", str(CODES), "--column", "code", "-f", "jsonl")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["input"] for row in rows][:2] == ["G35", "MESH:D013035"]
    assert list(rows[0]) == list(Normalized.__dataclass_fields__)
    summary = result.stderr.splitlines()
    assert summary[0].startswith("normalized 12 rows: 5 exact mapping, 3 none, 2 synonym")
    assert summary[1:] == [
        "  unmatched: line 7 'ICD10CM:R25.2' (none)",
        "  unmatched: line 8 'R25.2' (ambiguous)",
        "  unmatched: line 12 'zzzyxx' (none)",
        "  unmatched: line 13 '' (none)",
    ]


# search


@pytest.mark.parametrize(
    ("term", "entity", "how", "why"),
    [
        ("frusemide", "skg:furosemide", "synonym", "exact name"),
        ("Cramps", "skg:muscle-cramp", "layTerm", "same words"),
        ("cramp muscle", "skg:muscle-cramp", "label", "same words in another order"),
        ("G35", "skg:multiple-sclerosis", "identifier", "code without its prefix"),
        ("HP:0003394", "skg:muscle-spasm", "identifier", "exact name"),
        (
            "leg cramps at night",
            "skg:nocturnal-leg-cramp",
            "layTerm",
            "same words in another order",
        ),
        (
            "painful leg cramps at night",
            "skg:nocturnal-leg-cramp",
            "layTerm",
            "holds some of the words",
        ),
        ("magnesum", "skg:magnesium", "label", "close spelling"),
    ],
)
def test_search_ranks_the_best_candidate_first_and_says_why(
    kg_all: spasmkg.KnowledgeGraph, term: str, entity: str, how: str, why: str
) -> None:
    first = spasmkg.search(term, kg=kg_all)[0]
    assert (first.rank, first.entity, first.how, first.why) == (1, entity, how, why)


def test_search_lists_each_entity_once_within_the_limit(kg_all: spasmkg.KnowledgeGraph) -> None:
    found = spasmkg.search("cramp", limit=6, kg=kg_all)
    assert len(found) == 6 == len({c.entity for c in found})
    assert [c.rank for c in found] == [1, 2, 3, 4, 5, 6]
    assert found[0].entity == "skg:muscle-cramp" and found[0].why == "exact name"
    assert {c.why for c in found[1:]} == {"holds every word"}
    # an identifier mapped to three entities puts the exact mapping first
    coded = [c.entity for c in spasmkg.search("HP:0003394", kg=kg_all)]
    assert coded == ["skg:muscle-spasm", "skg:muscle-cramp", "skg:nocturnal-leg-cramp"]


def test_search_refuses_bad_input(kg: spasmkg.KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity, match="no entity matches 'zzzyxx'"):
        spasmkg.search("zzzyxx", kg=kg)
    with pytest.raises(UsageError):
        spasmkg.search(" ", kg=kg)
    with pytest.raises(UsageError):
        spasmkg.search("cramp", limit=0, kg=kg)


# ancestors and descendants


def test_furosemide_is_a_loop_diuretic_and_so_a_diuretic(kg: spasmkg.KnowledgeGraph) -> None:
    found = [
        (kin.depth, kin.entity, kin.via, kin.claim, kin.standing)
        for kin in spasmkg.ancestors("furosemide", kg=kg)
    ]
    assert found == [
        (
            1,
            "skg:loop-diuretic",
            "skg:furosemide",
            "claim:furosemide--broader--loop-diuretic",
            "supported",
        ),
        (
            2,
            "skg:diuretic",
            "skg:loop-diuretic",
            "claim:loop-diuretic--broader--diuretic",
            "supported",
        ),
    ]


def test_the_kinds_of_muscle_spasm_step_by_step(
    kg: spasmkg.KnowledgeGraph, kg_all: spasmkg.KnowledgeGraph
) -> None:
    near = {kin.entity for kin in spasmkg.descendants("muscle spasm", max_depth=1, kg=kg)}
    assert {"skg:muscle-cramp", "skg:tetany", "skg:muscle-twitch"} <= near
    every = {kin.entity: kin for kin in spasmkg.descendants("muscle spasm", kg=kg)}
    night = every["skg:nocturnal-leg-cramp"]
    assert (night.depth, night.via) == (2, "skg:muscle-cramp")
    assert not any(name.startswith("skg:hp-") for name in every)
    # the HPO layer adds its phenotypes below the core's
    layered = {kin.entity for kin in spasmkg.descendants("muscle spasm", kg=kg_all)}
    assert "skg:hp-0008991" in layered - set(every)
    assert spasmkg.descendants("furosemide", kg=kg) == []


def test_a_walk_refuses_bad_input(kg: spasmkg.KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity):
        spasmkg.ancestors("zzzyxx", kg=kg)
    with pytest.raises(UsageError):
        spasmkg.descendants("muscle spasm", max_depth=0, kg=kg)


# --output on every command that writes rows


@pytest.mark.slow  # loads the whole graph again (seconds)
@pytest.mark.parametrize(
    "args",
    [
        ["associations", "--subject", "furosemide", "--layer", "core"],
        ["normalize", str(CODES), "--column", "code", "--layer", "core"],
        ["search", "cramp", "--layer", "core"],
        ["ancestors", "furosemide", "--layer", "core"],
        ["descendants", "muscle spasm", "--layer", "core"],
        ["query", "graph-statistics", "--layer", "core", "-f", "tsv"],
        ["lookup", "furosemide", "--layer", "core", "--format", "json"],
    ],
    ids=lambda args: args[0],
)
def test_output_writes_the_rows_to_a_file_and_nothing_to_stdout(
    run: object, tmp_path: Path, args: list[str]
) -> None:
    target = tmp_path / "rows.out"
    written = run(*args, "--output", str(target))  # type: ignore[operator]
    shown = run(*args)  # type: ignore[operator]
    assert written.exit_code == shown.exit_code == 0, written.output
    assert written.stdout == ""
    assert f"wrote {target}" in written.stderr
    assert target.read_text(encoding="utf-8") == shown.stdout != ""


# the README's examples


@pytest.mark.slow  # fresh processes, one per command
def test_the_readme_examples_for_researchers_run_as_printed(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For researchers", 1)[1].split("\n## ", 1)[0]
    [script] = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [
            "bash",
            "-euo",
            "pipefail",
            "-c",
            f'spasmkg() {{ "{sys.executable}" -m spasmkg "$@"; }}\n{script}',
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    for fact in (
        "skg:hypokalemia",
        "skg:multiple-sclerosis",
        "skg:loop-diuretic",
        "skg:nocturnal-leg-cramp",
    ):
        assert fact in result.stdout, fact
