"""One definition of each count, and the README's figures checked against it (issue 28 §7).

Defect: the build said 1,056 entities while the site, KGX and NetworkX said 1,079 (they count
the warning signs and advice too), and the README said 22 named queries when there were 23."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rdflib import RDF, Graph
from rdflib.namespace import SH

import spasmkg
from spasmkg.ask.library import library
from spasmkg.model.paths import data_paths
from spasmkg.outputs.kgx import records
from spasmkg.outputs.network import to_networkx
from spasmkg.outputs.report import count

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def figure(pattern: str) -> int:
    """The one number the README states where ``pattern`` (with one group) matches."""
    found = re.findall(pattern, README)
    assert found, f"the README no longer says {pattern!r}"
    assert len(set(found)) == 1, f"the README gives {pattern!r} different numbers: {found}"
    return int(found[0].replace(",", ""))


def test_nodes_are_counted_the_same_by_every_output(kg_all: spasmkg.KnowledgeGraph) -> None:
    """Nodes are the entities and the warning signs and advice, in the build's summary, the
    report, NetworkX and KGX alike."""
    counts = count(kg_all)
    guidance = sum(entity.is_guidance for entity in kg_all.entities)
    assert guidance > 0 and counts.guidance == guidance
    assert counts.nodes == counts.entities + guidance == len(kg_all.entities)
    assert to_networkx(kg_all).number_of_nodes() == counts.nodes
    nodes, _ = records(kg_all)
    assert len(nodes) == counts.nodes
    assert f"{counts.nodes:,} nodes ({counts.entities:,} entities and {guidance:,}" in (
        counts.summary()
    )


def test_the_readme_build_summary_is_the_build_of_every_layer(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    """The tour's `spasmkg build` line states what a build of the default layers says."""
    counts = count(kg_all)
    line = next(line for line in README.splitlines() if line.startswith("built /home/you/dist"))
    assert line.startswith(f"built /home/you/dist (spasmkg {spasmkg.__version__}): ")
    assert counts.summary() in line, (line, counts.summary())


def test_the_readme_kgx_line_is_what_export_writes(kg_all: spasmkg.KnowledgeGraph) -> None:
    nodes, edges = records(kg_all)
    negated = sum(edge["negated"] for edge in edges)
    assert f"wrote kgx: {len(nodes)} nodes, {len(edges)} edges ({negated} negated)" in README
    assert figure(r"of the ([\d,]+) edges") == len(edges)


def test_the_readme_counts_the_named_queries_and_the_curated_content(
    kg: spasmkg.KnowledgeGraph,
) -> None:
    """Named queries, claims, curators-alone claims, publications and mapping rows, as the
    README states them, are what the repository holds."""
    named = library(data_paths())
    assert figure(r"([\d,]+) named queries with a") == len(named)
    assert figure(r"for ([\d,]+) of the [\d,]+ claims") == count(kg).claims_on_curators_alone
    assert figure(r"for [\d,]+ of the ([\d,]+) claims") == len(kg.claims)
    rows = len(kg.mapping_set.mappings) if kg.mapping_set else 0
    assert figure(r"([\d,]+) SSSOM mappings") == rows
    assert figure(r"([\d,]+) mapping rows") == rows
    shapes = Graph().parse(data_paths().shapes_file)
    qc = len(list((data_paths().queries / "qc").glob("*-violation.rq")))
    shape_count = len(set(shapes.subjects(RDF.type, SH.NodeShape)))
    assert (
        f"checks run: {shape_count} SHACL shapes, {qc} quality-check queries, {rows} mapping rows"
        in README
    )
    literature = Graph().parse(data_paths().graph / "literature.ttl")
    assert figure(r"holds the ([\d,]+) publications") == len(set(literature.subjects(RDF.type)))


def test_the_version_is_stated_alike_everywhere(kg: spasmkg.KnowledgeGraph) -> None:
    """The package, CITATION.cff, the ontology, VoID, the report and a CHANGELOG release agree."""
    import datetime

    import yaml
    from rdflib.namespace import DCTERMS, OWL

    from spasmkg.model.namespaces import ONTOLOGY_IRI
    from spasmkg.outputs.report import DATASET, report_json, report_markdown, void_description

    version = spasmkg.__version__
    citation = yaml.safe_load((Path(__file__).parents[1] / "CITATION.cff").read_text("utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["version"] == version
    assert {"message", "title", "authors", "date-released"} <= set(citation)
    released = datetime.date.fromisoformat(str(citation["date-released"]))
    changelog = (Path(__file__).parents[1] / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {version} ({released.isoformat()})\n" in changelog
    assert str(kg.ontology.value(ONTOLOGY_IRI, OWL.versionInfo)) == version
    void = void_description(count(kg), [])
    assert str(void.value(DATASET, DCTERMS.hasVersion)) == version
    assert report_markdown(kg).decode().startswith(f"# spasmkg {version} build report")
    assert f'"version": "{version}"' in report_json(kg).decode()
    from spasmkg.outputs.kgx import ingest_metadata
    from spasmkg.version import RELEASED

    assert released.isoformat() == RELEASED
    kgx = json.loads(ingest_metadata(kg))
    assert kgx["target_data_version"] == kgx["ingest_code_version"] == version
    assert kgx["file_creation_date"] == RELEASED
