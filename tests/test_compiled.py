"""The compiled graph a query starts from: same answers as the files, never stale, never fatal."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

import spasmkg
from spasmkg.ask.answer import query
from spasmkg.ask.results import QueryResult
from spasmkg.model import compiled
from spasmkg.model.asking import AskGraph
from spasmkg.model.compiled import CACHE_ENV, KEEP, query_graph

RARE = ("rare-diseases-with-phenotype", {"phenotype": "muscle-spasm"})


def rows(result: QueryResult) -> list[dict[str, str]]:
    """An answer's rows as sorted plain data, for comparing two answers."""
    return sorted(({k: str(v) for k, v in row.items()} for row in result.dicts()), key=repr)


def entries(folder: Path) -> list[Path]:
    """The folders of a cache folder: its compiled entries (beside them it keeps the named
    queries' outlines in one file, outlines.json)."""
    return [path for path in folder.iterdir() if path.is_dir() and not path.name.startswith(".")]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of the test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


@pytest.mark.slow
def test_a_compiled_graph_answers_as_the_files_do(
    cache: Path, kg_all: spasmkg.KnowledgeGraph
) -> None:
    """Glycogen storage disease V presents with exercise-induced cramps (PMID 8316268), in the
    answer from the files, from a fresh compile and from the compiled entry alike."""
    fresh = query_graph()
    again = query_graph()
    assert (fresh.from_cache, again.from_cache) == (False, True)
    expected = rows(query(*RARE, kg=kg_all))
    assert rows(query(*RARE, kg=fresh)) == rows(query(*RARE, kg=again)) == expected
    assert any(
        row["diseaseLabel"] == "glycogen storage disease V"
        and row["link"] == "https://pubmed.ncbi.nlm.nih.gov/8316268/"
        for row in expected
    )
    assert again.entity("cramp").curie == kg_all.entity("cramp").curie == "skg:muscle-cramp"
    assert again.labels == kg_all.labels


def test_unknown_names_are_refused_with_suggestions_from_the_compiled_graph(cache: Path) -> None:
    query_graph(layer="core")
    with pytest.raises(spasmkg.UnknownEntity, match="did you mean: muscle cramp"):
        query_graph(layer="core").entity("muscle crampx")


@pytest.mark.slow
def test_an_edited_file_is_never_answered_from_the_old_entry(cache: Path, data_copy: Path) -> None:
    """Relabel muscle cramp in a copy of the data: the next query shows the new label."""
    question = ("causes-of-condition", {"condition": "skg:muscle-cramp"})
    query_graph(data_copy, layer="core")
    path = data_copy / "graph" / "conditions.ttl"
    text = path.read_text("utf-8")
    assert '"muscle cramp"@en' in text
    path.write_text(text.replace('"muscle cramp"@en', '"muscle cramp (edited)"@en', 1), "utf-8")
    after = query_graph(data_copy, layer="core")
    assert not after.from_cache
    assert after.entity("muscle cramp (edited)").curie == "skg:muscle-cramp"
    assert query(*question, kg=after).rows
    assert len(entries(cache)) == 2


@pytest.mark.slow
def test_a_damaged_entry_is_compiled_again(
    cache: Path, data_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    query_graph(data_copy, layer="core")
    (entry,) = entries(cache)
    (entry / compiled.STORE_FILE).write_text("<not> <n-quads", "utf-8")
    with caplog.at_level(logging.WARNING):
        repaired = query_graph(data_copy, layer="core")
    assert not repaired.from_cache
    assert "damaged" in caplog.text
    assert query_graph(data_copy, layer="core").from_cache
    assert repaired.entity("cramp").curie == "skg:muscle-cramp"


def test_an_unwritable_cache_still_answers(
    tmp_path: Path,
    data_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    with caplog.at_level(logging.WARNING):
        graph = query_graph(data_copy, layer="core")
    assert "cannot keep the compiled graph" in caplog.text
    assert graph.entity("cramp").curie == "skg:muscle-cramp"


@pytest.mark.slow
def test_only_the_most_recent_entries_are_kept(cache: Path, data_copy: Path) -> None:
    path = data_copy / "graph" / "advice.ttl"
    for number in range(KEEP + 2):
        path.write_text(path.read_text("utf-8") + f"\n# edit {number}\n", "utf-8")
        query_graph(data_copy, layer="core")
    assert len(entries(cache)) == KEEP


@pytest.mark.slow
def test_no_cache_on_the_command_line_writes_nothing(cache: Path, run: object) -> None:
    result = run("query", "risk-groups", "--layer", "core", "--no-cache", "-f", "csv")  # type: ignore[operator]
    assert result.exit_code == 0 and "pregnant-people" in result.output
    assert not cache.exists()
    run("query", "risk-groups", "--layer", "core", "-f", "csv")  # type: ignore[operator]
    assert len(entries(cache)) == 1


@pytest.mark.slow
def test_nothing_but_its_own_entries_is_ever_deleted(cache: Path, data_copy: Path) -> None:
    """Defect: with the cache pointed at a folder of eight projects, one query deleted five of
    them (it kept the four newest folders and looked for no marker)."""
    cache.mkdir()
    projects = []
    for number in range(8):
        project = cache / f"project-{number}"
        (project / "src").mkdir(parents=True)
        (project / "src" / "main.py").write_text("print('mine')\n", "utf-8")
        os.utime(project, (number, number))  # older than any entry
        projects.append(project)
    path = data_copy / "graph" / "advice.ttl"
    for number in range(KEEP + 2):
        path.write_text(path.read_text("utf-8") + f"\n# edit {number}\n", "utf-8")
        query_graph(data_copy, layer="core")
    assert all((project / "src" / "main.py").is_file() for project in projects)
    ours = [entry for entry in entries(cache) if (entry / compiled.MARKER).is_file()]
    assert len(ours) == KEEP and len(entries(cache)) == KEEP + 8


@pytest.mark.slow
def test_a_folder_without_the_marker_is_neither_used_nor_deleted(
    cache: Path, data_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    query_graph(data_copy, layer="core")
    (entry,) = entries(cache)
    (entry / compiled.MARKER).unlink()
    (entry / "notes.txt").write_text("someone's notes\n", "utf-8")
    with caplog.at_level(logging.WARNING):
        graph = query_graph(data_copy, layer="core")
    assert not graph.from_cache and "not an entry of this cache" in caplog.text
    assert (entry / "notes.txt").is_file()


@pytest.mark.slow
def test_an_edited_entry_is_refused_by_its_digest(cache: Path, data_copy: Path) -> None:
    """Defect: an edited entry silently changed the answers."""
    query_graph(data_copy, layer="core")
    (entry,) = entries(cache)
    store = entry / compiled.STORE_FILE
    planted = '<https://w3id.org/spasmkg/entity/muscle-cramp> <http://www.w3.org/2000/01/rdf-schema#label> "planted"@en <https://w3id.org/spasmkg/graph/asserted> .\n'
    store.write_text(store.read_text("utf-8") + planted, "utf-8")
    graph = query_graph(data_copy, layer="core")
    assert not graph.from_cache
    labels = query(
        sparql="SELECT ?l WHERE { <https://w3id.org/spasmkg/entity/muscle-cramp> <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
        kg=graph,
    )
    assert "planted" not in {str(row["l"]) for row in labels.dicts()}
    assert query_graph(data_copy, layer="core").from_cache, "compiled again, whole"


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["writable by others", "another owner"])
def test_an_entry_others_could_have_written_is_refused(
    cache: Path, data_copy: Path, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    """Defect: an entry planted by another user was used by root."""
    query_graph(data_copy, layer="core")
    (entry,) = entries(cache)
    if fault == "writable by others":
        (entry / compiled.STORE_FILE).chmod(0o666)
    elif os.getuid() == 0:
        os.chown(entry / compiled.NAMES_FILE, 65534, 65534)
    else:
        pytest.skip("only root can give a file to another user")
    with caplog.at_level(logging.WARNING):
        graph = query_graph(data_copy, layer="core")
    assert not graph.from_cache
    assert "written by other users" in caplog.text or "belongs to another user" in caplog.text
    assert (entry / compiled.STORE_FILE).is_file(), "refused, not deleted"
    assert graph.entity("cramp").curie == "skg:muscle-cramp"


def why_answers(graph: object) -> list[dict[str, object]]:
    """The answers of a few people's questions, as plain data, for comparing two graphs."""
    from spasmkg.ask.why import why

    questions = [
        ("cramps", {"takes": ["furosemide"]}),
        ("night cramps", {"groups": ["pregnancy"]}),
        ("spasms", {"has": ["contaminated wound"], "takes": ["metoclopramide"]}),
    ]
    return [why(symptom, kg=graph, **inputs).as_dict() for symptom, inputs in questions]  # type: ignore[arg-type]


@pytest.mark.slow
def test_why_answers_from_the_compiled_records_without_parsing_turtle(
    cache: Path, data_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The second question of a person reads the compiled records only: no Turtle file is
    parsed (the loader logs each file it parses), and the answers are those of the files."""
    with caplog.at_level(logging.DEBUG, logger="spasmkg"):
        first = compiled.ask_graph(data_copy, layer="core")
    assert "parsing graph/conditions.ttl" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="spasmkg"):
        again = compiled.ask_graph(data_copy, layer="core")
    assert "parsing" not in caplog.text and "answering from the compiled graph" in caplog.text
    assert isinstance(again, AskGraph) and again.from_cache
    assert (
        why_answers(again)
        == why_answers(first)
        == why_answers(spasmkg.load(data_copy, layer="core"))
    )
    chains = spasmkg.explain(None, "furosemide", "muscle cramp", root=data_copy, layer="core")
    assert (
        chains.chains[0].route
        == "furosemide -[has adverse effect]-> hypokalemia -[causes]-> muscle cramp"
    )


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["edited", "damaged", "foreign"])
def test_compiled_records_are_unpickled_only_when_they_are_the_cache_own(
    cache: Path, data_copy: Path, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    """A records file changed after it was written (even by a valid pickle), cut short, or
    given to someone else is never unpickled: the graph comes from the files."""
    import pickle

    compiled.ask_graph(data_copy, layer="core")
    (entry,) = entries(cache)
    records = entry / compiled.RECORDS_FILE
    if fault == "edited":
        records.write_bytes(pickle.dumps({"planted": True}))
    elif fault == "damaged":
        records.write_bytes(records.read_bytes()[:1000])
    else:
        records.chmod(0o666)
    with caplog.at_level(logging.WARNING):
        graph = compiled.ask_graph(data_copy, layer="core")
    assert isinstance(graph, AskGraph) and not graph.from_cache
    expected = "written by other users" if fault == "foreign" else "does not match its digest"
    assert expected in caplog.text
    assert graph.entity("cramp").curie == "skg:muscle-cramp"


@pytest.mark.slow
def test_a_cold_why_command_parses_no_turtle_the_second_time(
    tmp_path: Path, data_copy: Path
) -> None:
    """Two fresh processes ask the same question: the second answers from the compiled entry
    (its log says so and names no Turtle file parsed), word for word as the first."""
    from tests.helpers import run_entry_point

    question = ("-vv", "why", "cramps", "--takes", "furosemide", "--layer", "core")
    env = {CACHE_ENV: str(tmp_path / "cache")}
    first = run_entry_point(*question, "--data", str(data_copy), env=env)
    second = run_entry_point(*question, "--data", str(data_copy), env=env)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert "parsing graph/" in first.stderr
    assert "parsing" not in second.stderr and "answering from the compiled graph" in second.stderr
    assert second.stdout == first.stdout and "hypokalemia" in second.stdout


#: Runs the command line in this process, then says on stderr which of rdflib's modules it
#: imported.
WHICH_IMPORTS = """
import runpy, sys
sys.argv = ["spasmkg", *sys.argv[1:]]
try:
    runpy.run_module("spasmkg", run_name="__main__")
except SystemExit:
    pass
print("imported:", sorted(name for name in sys.modules if name.split(".")[0] == "rdflib"), file=sys.stderr)
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        ("query", "diseases-with-spasm", "-f", "csv"),
        ("query", "causes-of-condition", "--param", "condition=night cramps"),
        ("query", "causes-of-condition", "-p", "condition=cramps", "-f", "json"),
        ("why", "cramps", "--takes", "furosemide"),
        ("explain", "furosemide", "cramp"),
    ],
)
def test_a_cold_question_from_the_compiled_entry_imports_no_rdflib(
    tmp_path: Path, question: tuple[str, ...]
) -> None:
    """Importing rdflib took longer than loading the graph and answering (benchmarks/
    README.md). The second process answers from the compiled entry, as the first did, and
    imports none of rdflib: its rows stay pyoxigraph's terms and its outline is remembered."""
    import subprocess
    import sys

    from tests.helpers import REPO

    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), CACHE_ENV: str(tmp_path / "cache")}
    command = [sys.executable, "-c", WHICH_IMPORTS, "-vv", *question, "--layer", "core"]
    first, second = (
        subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
        for _ in range(2)
    )
    assert "answering from the compiled graph" in second.stderr, second.stderr
    # the same rows; a query without a full ORDER BY may list them in another order
    assert sorted(second.stdout.splitlines()) == sorted(first.stdout.splitlines())
    assert "muscle" in second.stdout, first.stderr
    assert "imported: ['rdflib'" in first.stderr  # the first loads the files with rdflib
    assert "imported: []" in second.stderr
