"""The command line as users meet it: help, version, and ``python -m spasmkg``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest

from spasmkg import __version__
from tests.helpers import run_entry_point


def test_help_lists_the_commands(run: object) -> None:
    result = run("--help")  # type: ignore[operator]
    assert result.exit_code == 0
    for command in ("build", "validate", "fmt"):
        assert command in result.output


def test_build_help_explains_the_output_folder(run: object) -> None:
    result = run("build", "--help")  # type: ignore[operator]
    assert "replaced atomically" in result.output
    assert "[default: dist]" in result.output


def test_version(run: object) -> None:
    assert run("--version").output.strip() == f"spasmkg, version {__version__}"  # type: ignore[operator]


def test_python_dash_m_from_another_directory(tmp_path: Path) -> None:
    """Run from a checkout with PYTHONPATH=src, the checkout's data folders are used."""
    result = run_entry_point("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("result: valid")


def test_unknown_command_is_a_usage_error(run: object) -> None:
    result = run("bulid")  # type: ignore[operator]
    assert result.exit_code == 2
    assert "No such command 'bulid'" in result.output


def test_help_documents_every_exit_code(run: object) -> None:
    from spasmkg.errors import EXIT_CODES

    output = run("--help").output  # type: ignore[operator]
    for code, meaning in EXIT_CODES.items():
        assert f"{code}  {meaning}" in " ".join(output.split("\n"))


def one_line_error(*args: str, code: int, cwd: Path | None = None) -> str:
    """Run a command that must fail with one line and the given exit code; return the line."""
    result = run_entry_point(*args, cwd=cwd)
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return lines[0]


class BadInput(NamedTuple):
    """A file a command is given (``name`` in the test's folder, holding ``content``), the
    command (``{file}`` stands for the file's path, ``{tmp}`` for the folder), the exit code
    and what the one line says."""

    name: str
    content: str | bytes | None
    args: tuple[str, ...]
    code: int
    says: str


BAD_INPUT = {
    "a query file that is not UTF-8": BadInput(
        "latin1.rq", b'SELECT * WHERE { ?s ?p "caf\xe9" }', ("query", "{file}"), 4, "not UTF-8 text"
    ),
    "an article that is a binary file": BadInput(
        "article.txt",
        bytes(range(256)) * 4,
        ("validate", "--layer", "core", "--article", "{file}"),
        1,
        "not UTF-8 text",
    ),
    "a page into a missing folder": BadInput(
        "page.html", None, ("html", "--out", "{tmp}/missing/page.html"), 6, "does not exist"
    ),
    "an IRI parameter with a trailing newline": BadInput(
        "q.rq",
        "# param: x (iri)\nSELECT ?s WHERE { ?s ?p ?x } LIMIT 1\n",
        ("query", "{file}", "-p", "x=http://example.org/a\n"),
        2,
        "is not an IRI",
    ),
    "a parameter the query does not select, on Oxigraph": BadInput(
        "q.rq",
        "# param: x (string)\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n",
        ("query", "{file}", "-p", "x=1", "--engine", "oxigraph"),
        2,
        "a parameter must be a variable the query selects",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_one_line_with_its_exit_code(tmp_path: Path, case: str) -> None:
    bad = BAD_INPUT[case]
    path = tmp_path / bad.name
    if isinstance(bad.content, bytes):
        path.write_bytes(bad.content)
    elif bad.content is not None:
        path.write_text(bad.content)
    args = [a.replace("{file}", str(path)).replace("{tmp}", str(tmp_path)) for a in bad.args]
    assert bad.says in one_line_error(*args, code=bad.code)


def test_from_named_on_each_engine() -> None:
    text = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"
    named = text.replace("WHERE", "FROM NAMED <https://w3id.org/spasmkg/graph/asserted> WHERE")
    line = one_line_error("query", "-e", named, "--allow-remote", "--engine", "rdflib", code=4)
    assert "rdflib engine cannot restrict a query to named graphs" in line
    result = run_entry_point(
        "query", "-e", named, "--allow-remote", "--engine", "oxigraph", "-f", "tsv"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["https://w3id.org/spasmkg/graph/asserted"]


def test_a_construct_answered_with_html() -> None:
    from tests.helpers import Listener

    server = Listener(b"<html>not rdf</html>", "text/html")
    try:
        line = one_line_error(
            "query", "-e", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", server.url, code=5
        )
    finally:
        server.close()
    assert "the answer is not N-Triples (got text/html)" in line


def test_a_query_that_runs_too_long_is_stopped_on_both_engines() -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for engine in ("rdflib", "oxigraph"):
        line = one_line_error("query", "-e", slow, "--engine", engine, "--timeout", "1", code=4)
        assert "no answer within 1 s" in line


def test_fmt_refuses_to_delete_a_comment(data_copy: Path) -> None:
    """Defect: fmt deleted every comment below the header."""
    path = data_copy / "graph" / "causes.ttl"
    text = path.read_text()
    marked = text.replace(
        "skg:athletes a skgo:Population ;",
        "# why athletes: see the overuse passage\nskg:athletes a skgo:Population ;",
    )
    path.write_text(marked)
    line = marked[: marked.index("# why athletes")].count("\n") + 1
    error = one_line_error("fmt", "--data", str(data_copy), code=1)
    assert f"graph/causes.ttl:{line}: a comment below the header would be lost" in error
    assert path.read_text() == marked, "nothing was rewritten"


def test_fmt_keeps_the_header_of_a_file_with_a_byte_order_mark(data_copy: Path) -> None:
    """Defect: after a byte-order mark, fmt did not see the header and dropped it."""
    path = data_copy / "graph" / "causes.ttl"
    text = path.read_text()
    path.write_text("\ufeff" + text)
    result = run_entry_point("fmt", "--data", str(data_copy))
    assert result.returncode == 0, result.stderr
    assert path.read_text() == text, "the header kept, the mark dropped"
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_a_dripping_or_silent_endpoint_cannot_hold_a_command() -> None:
    """Defect: remote calls timed out per socket read, so a server dripping a byte every few
    seconds held ``query --endpoint`` for ever, and a silent one held ``push`` for 4 minutes."""
    import time

    from tests.helpers import Stalling

    for drip in (True, False):
        server = Stalling(drip=drip)
        try:
            started = time.monotonic()
            line = one_line_error(
                "query", "-e", "ASK {}", "--endpoint", server.url, "--timeout", "2", code=5
            )
            assert "no complete answer" in line and "within 2 s" in line
            base = server.url.removesuffix("/sparql")
            result = run_entry_point("push", "--endpoint", base, "--timeout", "2")
            assert result.returncode == 5 and "Traceback" not in result.stderr
            assert (
                result.stderr.splitlines()[0] == "locking <https://w3id.org/spasmkg/graph/asserted>"
            )
            assert "no complete answer" in result.stderr.splitlines()[-1]
        finally:
            server.close()
        assert time.monotonic() - started < 20


def readme_sparql_blocks() -> list[str]:
    """Every ```sparql block of the README, as printed."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sparql\n(.*?)```", readme, flags=re.S)


@pytest.mark.slow  # loads the whole graph (seconds)
def test_every_sparql_block_of_the_readme_runs_as_printed(run: object) -> None:
    """The README's snippets use the graph's prefixes without declaring them; they run as
    printed, and the one that asks Wikidata is refused for its SERVICE, not for a prefix."""
    blocks = readme_sparql_blocks()
    assert len(blocks) >= 3
    answered = 0
    for block in blocks:
        result = run("query", "-e", block)  # type: ignore[operator]
        if "SERVICE" in block:
            assert result.exit_code != 0
            assert "refused unless you pass --allow-service" in result.output, result.output
            continue
        assert result.exit_code == 0, (block, result.output)
        assert "skg:muscle-cramp" in result.output or "skg:" in result.output
        answered += 1
    assert answered >= 2


def test_the_graph_prefixes_do_not_move_the_line_of_an_error() -> None:
    """An undeclared ``skg:`` is declared for the author; a syntax error on the author's second
    line is still reported on line 2."""
    line = one_line_error(
        "query", "-e", "SELECT ?l WHERE { skg:furosemide rdfs:label ?l\n FILTER( }", code=4
    )
    assert "line 2, column 2" in line


def test_a_query_keeps_its_own_declaration_of_a_prefix() -> None:
    """A query that declares ``skg:`` its own way is not given the graph's: here nothing in the
    graph lives in its namespace, so no row comes back."""
    from spasmkg import query

    own = "PREFIX skg: <http://example.org/elsewhere/> SELECT ?l WHERE { skg:furosemide rdfs:label ?l }"
    assert query(sparql=own).rows == []
    graph_own = "SELECT ?l WHERE { skg:furosemide rdfs:label ?l }"
    assert [str(row[0]) for row in query(sparql=graph_own).rows] == ["furosemide"]
