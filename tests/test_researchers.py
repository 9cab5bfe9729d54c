"""The commands researchers expect (issue 28 §6): associations, normalize, search, ancestors and
descendants, as library calls and as commands, their rows in TSV, JSON and JSON Lines, and
``--output FILE`` on every command that writes rows. Bad input to them is in
tests/data/cli_errors.yaml."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import spasmkg
from spasmkg.ask.associations import Association
from spasmkg.errors import UnknownEntity, UsageError

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


# search


@pytest.mark.parametrize(
    ("term", "entity", "how", "why"),
    [
        ("frusemide", "skg:furosemide", "synonym", "exact name"),
        ("Cramps", "skg:muscle-cramp", "synonym", "same words"),
        ("cramp muscle", "skg:muscle-cramp", "label", "same words in another order"),
        ("G35", "skg:multiple-sclerosis", "identifier", "code without its prefix"),
        ("HP:0003394", "skg:muscle-spasm", "identifier", "exact name"),
        ("leg cramps at night", "skg:nocturnal-leg-cramp", "label", "holds some of the words"),
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


# --output on every command that writes rows


@pytest.mark.parametrize(
    "args",
    [
        ["associations", "--subject", "furosemide", "--layer", "core"],
        ["search", "cramp", "--layer", "core"],
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
