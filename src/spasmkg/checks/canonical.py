"""Canonical form of the curated Turtle files, so diffs stay small and reviewable.

A file is canonical when it equals its leading comment block followed by rdflib's Turtle
serialisation of its own triples (subjects, predicates and objects sorted). ``spasmkg fmt``
rewrites files into that form and ``spasmkg fmt --check`` reports the ones that are not.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode

from spasmkg.errors import GraphSyntaxError
from spasmkg.model.loader import display_path, parse_turtle
from spasmkg.model.paths import DataPaths


def header_comments(text: str) -> str:
    """The comment lines at the top of a file, which the canonical form keeps."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines) + "\n\n" if lines else ""


def canonical_text(path: Path, shown_as: str) -> str:
    """What the file should contain in canonical form."""
    graph = parse_turtle(path, shown_as)
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        raise GraphSyntaxError(
            f"{shown_as}: uses blank nodes, which have no stable order; give the node an IRI"
        )
    body = graph.serialize(format="turtle")
    return header_comments(path.read_text(encoding="utf-8")) + body


def curated_files(paths: DataPaths) -> list[Path]:
    """The Turtle files kept in canonical form (shapes.ttl is hand-formatted SHACL)."""
    return [paths.ontology_file, *paths.graph_files()]


def format_files(paths: DataPaths, *, check: bool) -> list[str]:
    """Bring curated files into canonical form, or with ``check`` only list those that differ."""
    changed = []
    for path in curated_files(paths):
        shown_as = display_path(path, paths)
        wanted = canonical_text(path, shown_as)
        if path.read_text(encoding="utf-8") != wanted:
            changed.append(shown_as)
            if not check:
                path.write_text(wanted, encoding="utf-8")
    return changed
