"""A query worker of ``spasmkg serve``: a process that holds the graph and answers queries.

Each worker keeps the graph in an in-memory pyoxigraph store and talks to the front over two
pipes: no port, so there is no endpoint anyone could reach without the front's checks, and no
temporary store on disk. Before it loads the graph it puts up its walls
(:mod:`spasmkg.serve.isolation`); behind none, it says so and stops without running a query.

An answer is written into memory no larger than the front's cap: a query whose answer would
be larger gets a one-line error naming the cap and how to page. While it writes, the worker
listens for the front's :data:`~spasmkg.serve.protocol.CANCEL` (its client left), stops, and
stays alive for the next job.
"""

from __future__ import annotations

import io
import re
import signal
from multiprocessing.connection import Connection
from typing import Any

from spasmkg.serve.isolation import isolate
from spasmkg.serve.protocol import (
    CANCEL,
    CANCELLED,
    EXPOSED,
    GRAPH_TYPES,
    READY,
    RESULT_TYPES,
    Answer,
    Job,
    choose,
)
from spasmkg.system import die_with_parent

#: Where Oxigraph says a syntax error is: "error at LINE:COLUMN: what it expected".
POSITION = re.compile(r"error at (?P<line>\d+):(?P<column>\d+): (?P<rest>.*)", re.DOTALL)
#: The most an answer may hold unless the front says otherwise.
MAX_ANSWER = 32 * 1024 * 1024
#: The status of an answer larger than the cap: the request is sound, but asks too much at once.
TOO_LARGE = 422


class AnswerTooLarge(Exception):
    """The answer grew past the cap."""


class Cancelled(Exception):
    """The front asked the worker to stop this job."""


class Output(io.BytesIO):
    """Where an answer is written: in memory, up to the cap, watching for a cancel."""

    def __init__(self, cap: int, jobs: Connection | None) -> None:
        super().__init__()
        self.cap = cap
        self.jobs = jobs

    def write(self, data: Any) -> int:
        """Keep a piece of the answer.

        :raises AnswerTooLarge: the answer is past the cap.
        :raises Cancelled: the front sent a cancel.
        """
        if self.jobs is not None and self.jobs.poll():
            raise Cancelled
        if self.tell() + len(data) > self.cap:
            raise AnswerTooLarge
        return super().write(data)


def too_large(cap: int) -> Answer:
    """The error of an answer past the cap: what the cap is, and how to page."""
    return Answer.text(
        TOO_LARGE,
        f"the answer is larger than {cap:,} bytes, the most this server sends in one answer "
        "(serve --max-answer); ask for it a page at a time: ORDER BY a variable with "
        "LIMIT 10000, then add OFFSET 10000, OFFSET 20000 and so on",
    )


def syntax_error(error: SyntaxError) -> Answer:
    """Oxigraph's syntax error as a one-line 400 with its line and column."""
    where = POSITION.match(str(error))
    message = (
        f"SPARQL syntax error at line {where['line']}, column {where['column']}: {where['rest']}"
        if where
        else f"SPARQL syntax error: {error}"
    )
    return Answer.text(400, message)


def graph_answer(triples: Any, form: Any, prefixes: dict[str, str], output: Output) -> bytes:
    """A graph answer: Turtle that declares only the prefixes it uses, JSON-LD with a context of
    them, any other format as pyoxigraph writes it."""
    import pyoxigraph as ox

    from spasmkg.outputs.documents import jsonld_document, terse

    if form == ox.RdfFormat.TURTLE:
        return terse(triples, form, prefixes, output)
    if form == ox.RdfFormat.JSON_LD:
        output.write(jsonld_document(triples, prefixes))
        return output.getvalue()
    ox.serialize(triples, output, format=form)
    return output.getvalue()


def answer(
    store: Any,
    job: Job,
    prefixes: dict[str, str] | None = None,
    cap: int = MAX_ANSWER,
    jobs: Connection | None = None,
) -> Answer:
    """Run a query on the store and write its result in the format the client asked for
    (Turtle with the graph's prefixes), within ``cap`` bytes; stop if ``jobs`` brings a
    cancel."""
    import pyoxigraph as ox

    try:
        result = store.query(
            job.text,
            use_default_graph_as_union=job.union,
            default_graph=[ox.NamedNode(g) for g in job.default_graphs] or None,
            named_graphs=[ox.NamedNode(g) for g in job.named_graphs] or None,
        )
    except SyntaxError as error:
        return syntax_error(error)
    except (OSError, ValueError, RuntimeError) as error:
        return Answer.text(500, f"the query failed: {error}")
    offered = GRAPH_TYPES if isinstance(result, ox.QueryTriples) else RESULT_TYPES
    media_type = choose(job.accept, offered)
    if media_type is None:
        accepted = ", ".join(job.accept)[:300]
        return Answer.text(
            406, f"cannot answer in {accepted}; this query gives {', '.join(offered)}"
        )
    output = Output(cap, jobs)
    try:  # results are computed while they are written, so evaluation errors surface here
        if isinstance(result, ox.QueryTriples):
            form = ox.RdfFormat.from_media_type(media_type)
            body = graph_answer(result, form, prefixes or {}, output)
        else:
            result.serialize(output, format=ox.QueryResultsFormat.from_media_type(media_type))
            body = output.getvalue()
    except AnswerTooLarge:
        return too_large(cap)
    except Cancelled:
        return Answer.text(CANCELLED, "cancelled: the client left")
    except (OSError, ValueError, RuntimeError, SyntaxError) as error:
        return Answer.text(500, f"the query failed: {error}")
    return Answer(200, media_type, body)


def worker_main(
    jobs: Connection,
    answers: Connection,
    nquads: bytes,
    prefixes: dict[str, str],
    cap: int = MAX_ANSWER,
) -> None:
    """A worker's life: put up its walls, load the graph, then answer jobs until told."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the front decides when workers stop
    walls = isolate()
    if not walls.closed:
        answers.send_bytes(EXPOSED + walls.encode())
        return
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    answers.send_bytes(READY + walls.encode())
    while True:
        try:
            message = jobs.recv_bytes()
        except (EOFError, OSError):
            return
        if message == CANCEL:
            continue  # a cancel that crossed its job's answer on the way
        try:
            reply = answer(store, Job.decode(message), prefixes, cap, jobs)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # a panic in the engine (pyo3 raises BaseException)
            reply = Answer.text(500, f"the query failed: {type(error).__name__}: {error}")
        answers.send_bytes(reply.encode())
