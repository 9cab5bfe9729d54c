"""The commands researchers expect (issue 28 §6): associations, normalize, search, ancestors and
descendants, as library calls and as commands, their rows in TSV, JSON and JSON Lines, and
``--output FILE`` on every command that writes rows. Bad input to them is in
tests/data/cli_errors.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

import spasmkg
from spasmkg.errors import UnknownEntity, UsageError

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
