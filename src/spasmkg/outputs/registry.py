"""The registry of everything a build writes: one entry per output, in the order it is written.

``spasmkg build`` loops over it; ``serve``, ``push`` and the command line take file names,
media types and ``--format`` choices from it, and render what they need in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spasmkg.model.formats import RDF_FORMATS
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.outputs import kgx, network, rdf, report
from spasmkg.outputs.page import page_bytes

Writer = Callable[[KnowledgeGraph], bytes]


@dataclass(frozen=True)
class Output:
    """One file of a build: what it is, where it goes, how it is served, and who writes it."""

    name: str
    file_name: str
    media_type: str
    write: Writer
    description: str
    rdf: bool = False


def void(kg: KnowledgeGraph) -> bytes:
    """The VoID description, listing the RDF dumps of the build."""
    return report.void_turtle(kg, [o.file_name for o in OUTPUTS.values() if o.rdf])


def mapping_set(kg: KnowledgeGraph) -> bytes:
    """The SSSOM mapping set as curated (empty when the data folder has none)."""
    return kg.mapping_set.path.read_bytes() if kg.mapping_set else b""


OUTPUTS: dict[str, Output] = {
    output.name: output
    for output in (
        *(
            Output(
                name,
                f"spasmkg.{RDF_FORMATS[name].extension}",
                RDF_FORMATS[name].media_type,
                write,
                description,
                rdf=True,
            )
            for name, write, description in (
                ("turtle", rdf.turtle, "the whole graph"),
                ("ntriples", rdf.ntriples, "the whole graph, sorted"),
                ("nquads", rdf.nquads, "the named graphs, sorted"),
                ("trig", rdf.trig, "the named graphs"),
                ("jsonld", rdf.jsonld, "JSON-LD"),
            )
        ),
        Output(
            "graphml",
            "spasmkg.graphml",
            "application/graphml+xml",
            network.graphml,
            "the network for Gephi, Cytoscape and yEd",
        ),
        Output(
            "nodelink",
            "spasmkg.nodelink.json",
            "application/json",
            network.node_link,
            "the network as node-link JSON",
        ),
        Output("page", "spasmkg.html", "text/html", page_bytes, "the interactive page"),
        Output(
            "sssom",
            "mappings.sssom.tsv",
            "text/tab-separated-values",
            mapping_set,
            "the mappings to outside vocabularies",
        ),
        *(
            Output(file.key, file.name, file.media_type, file.write, file.description)
            for file in kgx.FILES
        ),
        Output("void", "void.ttl", RDF_FORMATS["turtle"].media_type, void, "VoID statistics"),
        Output(
            "report-json",
            "report.json",
            "application/json",
            report.report_json,
            "the build report",
        ),
        Output(
            "report-md", "report.md", "text/markdown", report.report_markdown, "the build report"
        ),
    )
}


def render(kg: KnowledgeGraph, name: str) -> bytes:
    """One output, in memory."""
    return OUTPUTS[name].write(kg)
