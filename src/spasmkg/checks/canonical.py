"""Canonical form of the curated Turtle files, so diffs stay small and reviewable.

A file is canonical when it equals its leading comment block followed by rdflib's Turtle
serialisation of its own triples (subjects, predicates and objects sorted). ``spasmkg fmt``
rewrites files into that form and ``spasmkg fmt --check`` reports the ones that are not.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode

from spasmkg.ask.lexer import TOKEN
from spasmkg.errors import GraphSyntaxError
from spasmkg.model.loader import display_path, parse_turtle
from spasmkg.model.paths import DataPaths
from spasmkg.system import write_atomically

BOM = "\ufeff"


def header_comments(text: str) -> str:
    """The comment lines at the top of a file (after any byte-order mark), which are kept."""
    lines = []
    for line in text.removeprefix(BOM).splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines) + "\n\n" if lines else ""


def stray_comment(text: str) -> int | None:
    """The line of the first comment below the header, which the canonical form would lose.

    Comments are found as a Turtle (or SPARQL) lexer finds them: not inside strings or IRIs.
    """
    body = text.removeprefix(BOM)
    header = len(header_comments(body).rstrip("\n"))
    for match in TOKEN.finditer(body, header):
        if match.lastgroup == "comment":
            return body.count("\n", 0, match.start()) + 1
    return None


def canonical_text(path: Path, shown_as: str) -> str:
    """What the file should contain in canonical form.

    :raises GraphSyntaxError: the file uses blank nodes (no stable order), or has comments
        below its header, which rewriting would delete.
    """
    text = path.read_text(encoding="utf-8")
    line = stray_comment(text)
    if line is not None:
        raise GraphSyntaxError(
            f"{shown_as}:{line}: a comment below the header would be lost; move it into the "
            "header at the top, or into an rdfs:comment"
        )
    graph = parse_turtle(path, shown_as)
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        raise GraphSyntaxError(
            f"{shown_as}: uses blank nodes, which have no stable order; give the node an IRI"
        )
    return header_comments(text) + graph.serialize(format="turtle")


def curated_files(paths: DataPaths) -> list[Path]:
    """The Turtle files kept in canonical form (shapes.ttl is hand-formatted SHACL)."""
    return [paths.ontology_file, *paths.graph_files()]


def format_files(paths: DataPaths, *, check: bool) -> list[str]:
    """Bring curated files into canonical form, or with ``check`` only list those that differ.

    Every file is checked before any is written, so a refused file leaves all of them as they were.
    """
    wanted = {
        path: canonical_text(path, display_path(path, paths)) for path in curated_files(paths)
    }
    changed = []
    for path, text in wanted.items():
        if path.read_text(encoding="utf-8") != text:
            changed.append(display_path(path, paths))
            if not check:
                write_atomically(path, text)
    return changed
