"""Named queries' outlines remembered across processes (issue 27 §5): a cold named query does
not parse its text again, and a remembered outline is trusted only as the compiled cache is."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from spasmkg.ask import outlines, safety
from spasmkg.ask.library import library, with_prefixes
from spasmkg.errors import QueryRefused
from spasmkg.model.compiled import CACHE_ENV
from spasmkg.model.curie import known_prefixes
from spasmkg.model.paths import data_paths

FROM_QUERY = "SELECT * FROM <https://example.org/g> WHERE { ?s ?p ?o }"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of the test's own, and no outline known to this process."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(safety, "_OUTLINES", {})
    return tmp_path / "cache"


def test_a_named_query_is_parsed_once_and_read_back_the_next_time(cache: Path) -> None:
    text = with_prefixes(library(data_paths())["diseases-with-spasm"].text, known_prefixes())
    first = safety.check_read_only(text, "diseases-with-spasm", remember=True)
    assert first.algebra is not None, "parsed"
    safety._OUTLINES.clear()  # as a new process
    again = safety.check_read_only(text, "diseases-with-spasm", remember=True)
    assert (again.form, again.services, again.datasets) == ("SELECT", (), ())
    assert again.algebra is None, "read back, not parsed"
    assert safety.algebra_of(again) is not None, "rdflib's engine still gets its algebra"


def test_an_ad_hoc_query_is_not_written_down(cache: Path) -> None:
    safety.check_read_only("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "query")
    assert not (cache / outlines.FILE).exists()


def test_a_remembered_from_clause_is_still_refused(cache: Path) -> None:
    with pytest.raises(QueryRefused, match="FROM"):
        safety.check_read_only(FROM_QUERY, "q", remember=True)
    safety._OUTLINES.clear()
    with pytest.raises(QueryRefused, match="FROM"):
        safety.check_read_only(FROM_QUERY, "q", remember=True)


def test_a_forged_or_foreign_outline_is_never_trusted(cache: Path) -> None:
    """An outline that hides a FROM clause, in a file others may write or of another version,
    is ignored: the text is parsed and refused."""
    safety.check_read_only("SELECT * WHERE { ?s ?p ?o }", "q", remember=True)
    path = cache / outlines.FILE
    forged = json.loads(path.read_text("utf-8"))
    forged["outlines"][outlines.text_key(FROM_QUERY)] = ["SELECT", [], []]
    for damage in ("writable by others", "another version", "not JSON"):
        safety._OUTLINES.clear()
        document = dict(forged)
        if damage == "another version":
            document["versions"] = "spasmkg 0.0.1, rdflib 1.0"
        path.write_text("{" if damage == "not JSON" else json.dumps(document), "utf-8")
        os.chmod(path, 0o666 if damage == "writable by others" else 0o644)
        with pytest.raises(QueryRefused, match="FROM"):
            safety.check_read_only(FROM_QUERY, "q", remember=True)
    os.chmod(path, 0o644)
    path.write_text(json.dumps(forged), "utf-8")
    safety._OUTLINES.clear()
    # the user's own file, well formed: trusted, which is why only spasmkg writes it
    assert safety.check_read_only(FROM_QUERY, "q", remember=True).datasets == ()


def test_a_cache_that_cannot_be_written_still_answers(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.parent.mkdir(exist_ok=True)
    cache.write_text("a file where the folder should be", "utf-8")
    shape = safety.check_read_only("SELECT * WHERE { ?s ?p ?o }", "q", remember=True)
    assert shape.form == "SELECT"


def test_rdflibs_engine_never_loads_graphs_from_the_web(kg: object) -> None:
    """rdflib's SPARQL package is imported only where its engine is made, and turned offline
    there (it loads FROM graphs from the web by default)."""
    from rdflib import Graph
    from rdflib.plugins import sparql

    from spasmkg.ask.rdflib_engine import RdflibEngine

    sparql.SPARQL_LOAD_GRAPHS = True
    RdflibEngine(Graph())
    assert sparql.SPARQL_LOAD_GRAPHS is False
