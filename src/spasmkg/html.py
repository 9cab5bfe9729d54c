"""The interactive page: a pyvis network rendered through spasmkg's own offline template.

pyvis 0.3.2's templates link Bootstrap from a CDN even "in line", switch to a popup that sets
``innerHTML`` from node titles as soon as one contains "href", and print the heading
unescaped. So spasmkg keeps pyvis for the network model and its bundled vis-network
library, and renders with ``templates/graph.html``: every library inlined, a Content Security
Policy that allows no outside request, all data passed as escaped JSON, and all text put on
the page with ``textContent``.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from spasmkg.errors import SpasmKGError, UnknownEntity
from spasmkg.mappings import expand, prefix_map
from spasmkg.network import LIST_SEPARATOR

TEMPLATE = "graph.html"
#: Above this many edges, edge labels are left to tooltips to keep the page readable.
EDGE_LABEL_LIMIT = 400


@cache
def styles() -> dict[str, Any]:
    """Colours and shapes of node kinds and relation groups (``templates/styles.json``)."""
    text = (
        resources.files("spasmkg").joinpath("templates", "styles.json").read_text(encoding="utf-8")
    )
    return dict(json.loads(text))


def vis_library() -> tuple[str, str]:
    """The vis-network script and stylesheet that pyvis ships, to inline in the page."""
    base = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    return (
        base.joinpath("vis-network.min.js").read_text(encoding="utf-8"),
        base.joinpath("vis-network.css").read_text(encoding="utf-8"),
    )


def split(value: str) -> list[str]:
    """An attribute list written with the network module's separator."""
    return [item for item in value.split(LIST_SEPARATOR) if item]


def identifier_links(external_ids: str) -> list[dict[str, str]]:
    """External identifiers with their canonical IRIs, for the details panel."""
    links = []
    for curie in split(external_ids):
        iri = expand(curie)
        prefix = prefix_map().get(curie.partition(":")[0])
        links.append(
            {
                "curie": curie,
                "iri": str(iri) if iri else "",
                "vocabulary": prefix.name if prefix else "",
            }
        )
    return links


def neighbourhood(graph: nx.MultiDiGraph, focus: str, depth: int) -> nx.MultiDiGraph:
    """The nodes within ``depth`` steps of ``focus`` (in either direction) and their edges."""
    if focus not in graph:
        raise UnknownEntity(f"{focus} is not a node of the graph")
    reach = nx.single_source_shortest_path_length(
        graph.to_undirected(as_view=True), focus, cutoff=depth
    )
    return nx.MultiDiGraph(graph.subgraph(reach))


def build_network(graph: nx.MultiDiGraph, heading: str) -> Network:
    """A pyvis network styled by node kind and relation group."""
    style = styles()
    net = Network(
        height="100%", width="100%", directed=True, heading=heading, cdn_resources="in_line"
    )
    for node, data in sorted(graph.nodes(data=True)):
        kind = style["kinds"].get(data.get("kind", ""), style["default_kind"])
        net.add_node(
            node,
            label=data.get("label") or node,
            shape=kind["shape"],
            color=kind["color"],
            kind=data.get("kind", ""),
            info={
                "curie": data.get("curie", node),
                "iri": data.get("iri", ""),
                "kind_label": kind["label"],
                "definition": data.get("definition", ""),
                "alt_labels": data.get("alt_labels", ""),
                "identifiers": identifier_links(data.get("external_ids", "")),
            },
        )
    show_labels = graph.number_of_edges() <= EDGE_LABEL_LIMIT
    for source, target, key, data in sorted(graph.edges(keys=True, data=True)):
        group = style["relations"][
            style["relation_groups"].get(data.get("predicate", ""), "hierarchy")
        ]
        net.add_edge(
            source,
            target,
            id=key,
            label=data.get("predicate_label", "") if show_labels else None,
            color=group["color"],
            dashes=group["dashes"],
            arrows="to",
            info={
                "relation": data.get("predicate_label", ""),
                "claims": [
                    {
                        "claim": key,
                        "modality": data.get("modality", ""),
                        "evidence": data.get("evidence_labels", ""),
                        "sources": data.get("source_labels", ""),
                        "context": data.get("context_label", ""),
                        "mechanism": data.get("mechanism_labels", ""),
                        "note": data.get("note", ""),
                    }
                ],
            },
        )
    net.options = page_options(graph.number_of_nodes())
    return net


def page_options(node_count: int) -> dict[str, Any]:
    """vis-network options: a seeded layout that settles, then physics off (no jitter)."""
    large = node_count > 500
    return {
        "layout": {"randomSeed": 7, "improvedLayout": not large},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 110,
                "avoidOverlap": 0.3,
            },
            "stabilization": {
                "enabled": True,
                "iterations": 150 if large else 400,
                "updateInterval": 50,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "hideEdgesOnDrag": large,
        },
        "nodes": {"size": 14, "font": {"size": 14, "face": "system-ui"}, "borderWidth": 1},
        "edges": {
            "font": {"size": 10, "align": "middle", "color": "#555"},
            "smooth": False if large else {"type": "continuous"},
            "width": 1.2,
        },
    }


def legend(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    """The node kinds present (with counts) and the relation groups, for the legend."""
    style = styles()
    counts = Counter(data.get("kind", "") for _, data in graph.nodes(data=True))
    kinds = [
        {"name": name, "count": counts[name], **style["kinds"].get(name, style["default_kind"])}
        for name in sorted(
            counts, key=lambda k: style["kinds"].get(k, style["default_kind"])["label"]
        )
    ]
    used = {
        style["relation_groups"].get(d.get("predicate", ""), "hierarchy")
        for *_, d in graph.edges(data=True)
    }
    relations = [
        dict(group, name=name) for name, group in style["relations"].items() if name in used
    ]
    return {"kinds": kinds, "relations": relations}


def render_page(graph: nx.MultiDiGraph, heading: str = "spasmkg: why muscles spasm") -> str:
    """A single self-contained HTML page for a NetworkX graph from :func:`to_networkx`."""
    net = build_network(graph, heading)
    template_dir = str(resources.files("spasmkg").joinpath("templates"))
    environment = Environment(
        loader=FileSystemLoader(template_dir), autoescape=select_autoescape(["html"])
    )
    script, stylesheet = vis_library()
    if "</script" in script.lower() or "</style" in stylesheet.lower():
        raise SpasmKGError("the vis-network library cannot be inlined safely")
    # trusted library code, inlined as is: HTML-escaping it would break it
    environment.globals.update(
        vis_js=Markup(script), vis_css=Markup(stylesheet), legend=legend(graph)
    )
    net.templateEnv = environment
    net.path = TEMPLATE
    return str(net.generate_html())


def iframe(graph: nx.MultiDiGraph, heading: str = "spasmkg", height: int = 620) -> str:
    """The page inside an ``<iframe srcdoc>``, for showing in a notebook with IPython's HTML."""
    import html as html_escape

    page = html_escape.escape(render_page(graph, heading), quote=True)
    return f'<iframe srcdoc="{page}" style="width:100%;height:{height}px;border:1px solid #ddd"></iframe>'


def write_page(
    graph: nx.MultiDiGraph, path: Path, heading: str = "spasmkg: why muscles spasm"
) -> None:
    """Write the page to a file."""
    path.write_text(render_page(graph, heading), encoding="utf-8")
