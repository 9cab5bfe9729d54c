"""The front's lexer: linear on hostile texts, and never lets a SERVICE through that Oxigraph
would run (issue 23).

The fuzzer generates queries from the pieces that fooled it before — strings and their
escapes, prefixed names, comments, IRIs, codepoint escapes — around SERVICE in many spellings,
and compares the front's decision with what Oxigraph does: any text the front passes is run by
pyoxigraph exactly as a worker would run it, against a store whose triples match the
generated patterns, and a loopback listener must never be called.
"""

from __future__ import annotations

import contextlib
import re
import sys
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from spasmkg.ask.lexer import name_class, normalise, outline
from spasmkg.errors import QueryRefused
from spasmkg.serve.request import Refused, Request, checked
from tests.helpers import Listener

# ------------------------------------------------------------ the grammar's characters

EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))


@pytest.mark.parametrize(
    ("extra", "start", "spelled"),
    [
        ("", True, r"[A-Za-z\u00c0-\U000effff]"),
        ("", False, r"[\w\u00b7\u00c0-\U000effff]"),
        (".-", False, r"[\w\u00b7\u00c0-\U000effff.\-]"),
        ("-:%\\", False, r"[\w\u00b7\u00c0-\U000effff\-:%\\]"),
    ],
)
def test_a_name_class_holds_the_same_characters_as_the_range_it_stands_for(
    extra: str, start: bool, spelled: str
) -> None:
    """The lexer writes its name classes as complements, which compile fast; over every code
    point they hold exactly what the wide ranges of the grammar hold."""
    written = re.sub(name_class(extra, start=start), "", EVERY_CHARACTER)
    assert written == re.sub(spelled, "", EVERY_CHARACTER)
    assert "é" not in written and "\U000effff" not in written and "\U000f0000" in written


# ------------------------------------------------------------------- linear in the text


def hostile(kind: str, size: int) -> str:
    """A text of about ``size`` bytes that made the old lexer quadratic, after a FROM so that
    its tokens must be read."""
    head = "SELECT * FROM <urn:x> WHERE { ?s ?p "
    if kind == "escaped quotes":
        return head + ('\\"' * (size // 2))[:size]
    if kind == "a-dot":
        return head + ("a." * (size // 2))[:size]
    if kind == "open IRIs":
        return head + ("<a" * (size // 2))[:size]
    return head + "'''" + "x\\'" * (size // 3)


def lexing_time(text: str) -> float:
    """The fastest of a few readings of a text, in seconds (refused or not)."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        with contextlib.suppress(QueryRefused):
            outline(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("kind", ["escaped quotes", "a-dot", "open IRIs", "open long string"])
def test_the_lexer_is_linear_on_hostile_text(kind: str) -> None:
    """Defect: a 98 KB body of escaped quotes, or of ``a.`` repeated, took 12-14 s. Linear
    time grows ten-fold from 20 to 200 KB, quadratic time a hundred-fold; the bound between
    them leaves room for a busy machine (the fastest of five readings of each)."""
    small, large = (lexing_time(hostile(kind, kb * 1000)) for kb in (20, 200))
    assert large < 1.0, f"{large:.2f} s for 200 KB"
    assert large / small < 35, (small, large)


def test_a_hostile_body_does_not_hold_up_other_clients() -> None:
    """The body is read in a thread beside the event loop: while four 98 KB bodies of escaped
    quotes are checked, small queries are answered at once."""
    import concurrent.futures

    from spasmkg.serve.server import Server
    from tests.serving import get_url, http

    nquads = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    kind = {"Content-Type": "application/sparql-query"}
    body = ("SELECT * WHERE { ?s ?p " + '\\"' * 49_000 + " }").encode()
    with (
        Server(nquads, port=0, workers=1) as server,
        concurrent.futures.ThreadPoolExecutor(8) as pool,
    ):
        large = [pool.submit(http, server.url, body, "POST", kind) for _ in range(4)]
        time.sleep(0.05)
        started = time.monotonic()
        assert get_url(server.url, "ASK { ?s ?p ?o }")[0] == 200
        waited = time.monotonic() - started
        assert {f.result()[0] for f in large} == {400}
    assert waited < 1.0, f"a small query waited {waited:.1f} s behind hostile bodies"


# ------------------------------------------------------------------ the differential fuzzer

#: SERVICE as a text may spell it: cases, codepoint escapes, glued to what precedes it.
SPELLINGS = [
    "SERVICE",
    "service",
    "SeRvIcE",
    "SERVICE SILENT",
    "\\u0053ERVICE",
    "\\u0073ervice",
    "SERV\\u0049CE",
    "\\U00000053\\U00000045RVICE",
]
#: The IRI of the listener, plain and escaped (``{url}`` is filled in at run time).
TARGETS = ["<{url}>", "\\u003C{url}\\u003E", "<{url}\\u003E"]
#: Statements a query may hold around it, each well formed.
STATEMENTS = [
    "?s ?p ?o .",
    '?s ?p "a" .',
    "?s ?p 'a' .",
    "?s ?p ''' ''' .",
    '?s ?p """a""" .',
    "# a comment\n",
    "?s ?p ex:a .",
    "?s ?p ex: .",
    "FILTER(?o != ex:a)",
    "VALUES ?x { ex: }",
    "OPTIONAL { ?s ?p ?o }",
    "?s ?p <http://example.org/> .",
    "?s ?p '\\'' .",
]
#: What may stand right before the call, to hide it: names, strings, escapes, comments.
OPENERS = [
    "",
    "ex:.",
    "?s ?p ex:.",
    "?s ?p ex:a.",
    "VALUES ?x { ''' ' } ",
    "VALUES ?x { '' } ",
    "?s ?p '''a''' .",
    '?s ?p "\\u0022" .',
    "# x\\u000A",
    "?s ?p ex:\\.",
    "?s ?p ex:%53.",
    "?s ?p '''",
    '?s ?p """',
    "?s ?p '",
    '?s ?p "',
    "# ",
    "<",
    "?s ?p ex:a",
]
#: What may follow it, to close what the opener left open.
CLOSERS = ["", " # \\q '''\n", " '''", ' """', " '", ' "', " . ?s ?p ex:a", ">", "\n"]
#: Loose pieces: strings and escapes, prefixed names, comments, IRIs, punctuation.
NOISE = [
    '"a"',
    "'a'",
    "'''",
    '"""',
    "'",
    '"',
    "''",
    "' '",
    '\\"',
    "\\'",
    "\\q",
    "\\u0022",
    "\\u0027",
    "\\u0027\\u0027\\u0027",
    "ex:",
    "ex:.",
    "ex:a.",
    "ex:\\.",
    "ex:%53",
    ":a",
    "_:b",
    "#",
    "\n",
    "\\u000A",
    "<",
    ">",
    ".",
    ";",
    ",",
    "{",
    "}",
    "VALUES ?x {",
    "?o",
    "a",
]
GLUE = ["", " ", "\n", "."]


@st.composite
def disguised(draw: st.DrawFn) -> str:
    """A query with a SERVICE call among generated statements and pieces."""
    piece = st.tuples(st.sampled_from(STATEMENTS) | st.sampled_from(NOISE), st.sampled_from(GLUE))
    before = "".join(p + g for p, g in draw(st.lists(piece, max_size=3)))
    after = "".join(p + g for p, g in draw(st.lists(piece, max_size=3)))
    call = f"{draw(st.sampled_from(SPELLINGS))} {draw(st.sampled_from(TARGETS))} {{ ?a ?b ?c }}"
    opener, closer = draw(st.sampled_from(OPENERS)), draw(st.sampled_from(CLOSERS))
    text = before + opener + call + closer + " " + after
    return "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p ?o . " + text + " }"


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def oxigraph_calls(store: ox.Store, text: str, listener: Listener) -> int:
    """How many requests Oxigraph sends when it runs a text (0 when it refuses to parse it)."""
    before = len(listener.requests)
    try:
        result = store.query(text, use_default_graph_as_union=True)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    return len(listener.requests) - before


def matching_store() -> ox.Store:
    """Triples that match the generated patterns, so a SERVICE joined to them is evaluated."""
    store = ox.Store()
    names = [ox.NamedNode("http://example.org/"), ox.NamedNode("http://example.org/a")]
    values = [*names, ox.Literal(""), ox.Literal("a"), ox.Literal(" ")]
    for subject in names:
        for predicate in names:
            for value in values:
                store.add(ox.Quad(subject, predicate, value))
    return store


@pytest.mark.slow
def test_the_front_refuses_every_service_oxigraph_would_run(listener: Listener) -> None:
    """Whatever the front passes, Oxigraph runs without calling out; and many generated texts
    do make Oxigraph call out when their normalised text is run unchecked, so the fuzzer has
    teeth (against the lexer before issue 23 it finds both of the issue's payloads)."""
    store = matching_store()
    seen = {"examples": 0, "live": 0}

    @settings(
        max_examples=1000,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(disguised())
    @example(  # the two payloads of issue 23
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p ex:.SERVICE <{url}> { ?a ?b ?c } }"
    )
    @example("SELECT * WHERE { VALUES ?x { ''' ' } SERVICE <{url}> { ?a ?b ?c } # \\q '''\n }")
    def check(template: str) -> None:
        text = template.replace("{url}", listener.url)
        seen["examples"] += 1
        with contextlib.suppress(QueryRefused):  # what a worker would run, were it passed
            seen["live"] += oxigraph_calls(store, normalise(text), listener) > 0
        try:
            job = checked(Request(text, (), (), ()))
        except Refused:
            return
        assert oxigraph_calls(store, job.text, listener) == 0, f"the front passed {text!r}"

    check()
    assert seen["live"] >= 50, f"only {seen['live']} of {seen['examples']} texts ran a SERVICE"
