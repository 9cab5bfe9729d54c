"""An imported layer's committed file: written whole, or checked against a fresh import; and
the description of the layer's named graph that every imported file carries."""

from __future__ import annotations

import difflib
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from spasmkg.errors import StaleImport
from spasmkg.model.layers import Layer
from spasmkg.system import write_atomically


def commit(path: Path, text: str, *, check: bool, layer: str) -> bool:
    """Write a layer's file when its text changed, or with ``check`` only compare; True when
    the committed file differs from ``text``.

    :raises StaleImport: with ``check``, the committed file differs (the first lines of the
        difference are in the message).
    """
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    changed = old != text
    if check and changed:
        diff = difflib.unified_diff(
            old.splitlines(), text.splitlines(), "committed", "fresh import", lineterm="", n=0
        )
        shown = "\n".join(list(diff)[:20])
        raise StaleImport(
            f"{path}: differs from a fresh import; run 'spasmkg import {layer}' and commit it"
            f"\n{shown}"
        )
    if changed and not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
    return changed


def describe_layer(
    graph: Graph, layer: Layer, *, version: str, edition: str, source: URIRef
) -> None:
    """State the layer's title, licence, release and origin on its named graph, so the site,
    the report and a merge can show which release of the source it holds (``edition`` names
    it for people: ``HPO release 2025-01-16``)."""
    for triple in (
        (layer.graph, RDF.type, PROV.Entity),
        (layer.graph, DCTERMS.title, Literal(layer.title, lang="en")),
        (layer.graph, DCTERMS.license, URIRef(layer.licence)),
        (layer.graph, DCTERMS.hasVersion, Literal(version)),
        (layer.graph, PROV.wasDerivedFrom, source),
    ):
        graph.add(triple)
    if layer.attribution:
        citation = f"{layer.attribution} ({edition})"
        graph.add((layer.graph, DCTERMS.bibliographicCitation, Literal(citation, lang="en")))
