"""The interactive page: a pyvis network rendered through spasmkg's own offline template.

pyvis 0.3.2's templates link Bootstrap from a CDN even "in line", switch to a popup that sets
``innerHTML`` from node titles as soon as one contains "href", and print the heading
unescaped. So spasmkg keeps pyvis for the network model and its bundled vis-network
library, and renders with ``templates/graph.html`` (its script in ``templates/page.js``):
every library inlined, a Content Security Policy that allows no outside request, all data
passed as escaped JSON, and all text put on the page with ``textContent``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from spasmkg.ask.explain import chain_edges, step_of
from spasmkg.ask.rows import write_text
from spasmkg.ask.why import (
    CAUSAL,
    EFFICACY,
    KIND_ORDER,
    PER_INPUT,
    PERSONAL_KINDS,
    RARE_LIMIT,
    tier_ranks,
)
from spasmkg.errors import SpasmKGError
from spasmkg.model.composition import ChainRules
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.names import NameIndex, rank
from spasmkg.model.records import Claim, Entity

TEMPLATE = "graph.html"
#: The page's Content Security Policy: inline code only, no request anywhere (a server that
#: serves the page sends the same policy as a header).
POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
DEFAULT_TITLE = "spasmkg: why muscles spasm"
#: Above this many edges, edge labels are left to tooltips to keep the page readable.
EDGE_LABEL_LIMIT = 400
#: The longest label drawn on the canvas, and the longest text in a panel.
LABEL_LIMIT = 60
TEXT_LIMIT = 5_000
#: The entity the whole graph's page opens on, with its direct neighbours (issue 28 §9: all
#: core nodes at once were a hairball); the whole graph is one click away.
OPENING = "skg:muscle-spasm"
#: The opening view's layout: kinds in blocks left and right of the centre, at most this many
#: rows to a block, each cell this wide and high, blocks this far apart and from the centre.
BLOCK_ROWS = 4
CELL = (180, 56)
BLOCK_GAP = 46
SIDE_OFFSET = 230
#: Direction overrides, isolates and marks, and control characters other than tab and newline.
UNSHOWABLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Selection:
    """What a page draws: some entities, the claims between them, and a heading."""

    entities: tuple[Entity, ...]
    claims: tuple[Claim, ...]
    heading: str = DEFAULT_TITLE
    #: a neighbourhood is drawn whole; the whole graph opens on its core
    focused: bool = False
    #: the ontology's rules for forming chains, which the page's explain applies (none: the
    #: page offers no chains)
    rules: ChainRules = field(default_factory=lambda: ChainRules({}, {}, {}))
    #: the triage tiers with their ranks, for the "Why?" panel
    tiers: dict[str, int] = field(default_factory=dict)
    #: what the page draws when it opens (empty: what it draws first, see :meth:`drawn_first`)
    opening: frozenset[str] = frozenset()

    def drawn_first(self, entity: Entity) -> bool:
        """Whether the whole graph's view draws an entity (others wait for search or expand)."""
        return self.focused or entity.layer == "core"


@cache
def styles() -> dict[str, Any]:
    """Colours and shapes of node kinds and relation groups (``templates/styles.json``)."""
    text = resources.files("spasmkg.outputs").joinpath("templates", "styles.json")
    return dict(json.loads(text.read_text(encoding="utf-8")))


def vis_library() -> tuple[str, str]:
    """The vis-network script and stylesheet that pyvis ships, to inline in the page."""
    base = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    return (
        base.joinpath("vis-network.min.js").read_text(encoding="utf-8"),
        base.joinpath("vis-network.css").read_text(encoding="utf-8"),
    )


def neighbourhood(kg: KnowledgeGraph, centre: Entity, depth: int) -> set[str]:
    """The IRIs of the entities within ``depth`` claims of ``centre``, in either direction."""
    reached = {centre.iri}
    frontier = {centre.iri}
    for _ in range(depth):
        frontier = {
            other.iri
            for iri in frontier
            for claim in kg.view.claims_by_node.get(iri, ())
            for other in (claim.subject, claim.object)
            if other.iri not in reached
        }
        reached |= frontier
    return reached


def select(
    kg: KnowledgeGraph, focus: str | None = None, depth: int = 1, title: str | None = None
) -> Selection:
    """What a page draws: the whole graph, or the neighbourhood of the entity ``focus`` names.

    :raises UnknownEntity: ``focus`` names no entity.
    """
    if focus is None:
        return Selection(
            kg.entities,
            kg.claims,
            title or DEFAULT_TITLE,
            rules=kg.chain_rules,
            tiers=tier_ranks(kg),
            opening=opening_view(kg.entities, kg.claims),
        )
    centre = kg.entity(focus)
    reached = neighbourhood(kg, centre, depth)
    return Selection(
        tuple(e for e in kg.entities if e.iri in reached),
        tuple(c for c in kg.claims if c.subject.iri in reached and c.object.iri in reached),
        title or f"spasmkg: around {centre.label}",
        focused=True,
        rules=kg.chain_rules,
        tiers=tier_ranks(kg),
    )


def opening_view(entities: tuple[Entity, ...], claims: tuple[Claim, ...]) -> frozenset[str]:
    """The CURIEs the whole graph's page opens on: :data:`OPENING` and the core entities that
    share a claim with it (nothing when the graph has no such entity)."""
    core = {entity.curie for entity in entities if entity.layer == "core"}
    if OPENING not in core:
        return frozenset()
    return frozenset(
        {OPENING}
        | {
            other.curie
            for claim in claims
            if OPENING in (claim.subject.curie, claim.object.curie)
            for other in (claim.subject, claim.object)
            if other.curie in core
        }
    )


def opening_layout(selection: Selection) -> dict[str, tuple[int, int]]:
    """Where the opening view draws its nodes: the centre at the origin, each kind of its
    neighbours in a block of its own (a grid of at most :data:`BLOCK_ROWS` rows), the blocks
    stacked left and right of the centre, the taller side first filled least."""
    style = styles()
    by_kind: dict[str, list[Entity]] = {}
    for entity in selection.entities:
        if entity.curie in selection.opening and entity.curie != OPENING:
            by_kind.setdefault(entity.kind, []).append(entity)

    def kind_label(kind: str) -> str:
        return str(style["kinds"].get(kind, style["default_kind"])["label"])

    blocks = sorted(by_kind.items(), key=lambda item: (-len(item[1]), kind_label(item[0])))
    sides: list[list[list[Entity]]] = [[], []]
    heights = [0, 0]
    for _, members in blocks:
        rows = min(len(members), BLOCK_ROWS)
        side = 0 if heights[0] <= heights[1] else 1
        sides[side].append(sorted(members, key=lambda e: e.label.casefold()))
        heights[side] += rows * CELL[1] + BLOCK_GAP
    positions = {OPENING: (0, 0)}
    for side, stacked in enumerate(sides):
        direction = -1 if side == 0 else 1
        top = -(heights[side] - BLOCK_GAP) // 2
        for members in stacked:
            rows = min(len(members), BLOCK_ROWS)
            for index, entity in enumerate(members):
                column, row = divmod(index, BLOCK_ROWS)
                x = direction * (SIDE_OFFSET + column * CELL[0])
                positions[entity.curie] = (x, top + row * CELL[1] + CELL[1] // 2)
            top += rows * CELL[1] + BLOCK_GAP
    return positions


def search_names(selection: Selection) -> dict[str, Any]:
    """What the page's search reads names by, in the resolver's own normal forms
    (:func:`spasmkg.model.names.normal` and :func:`~spasmkg.model.names.unordered`) of every
    label, synonym and everyday name (lay terms, brand names, abbreviations): each form with
    the indices of the nodes it names, best first by the resolver's :func:`rank`. The normal
    forms come fewest words first, then best name first, as ``spasmkg search`` ranks names
    that hold every word; the page only has to put what is typed in the same form."""
    index = NameIndex.of(selection.entities)
    position = {entity.curie: number for number, entity in enumerate(selection.entities)}

    def ranked(spellings: list[Any]) -> list[int]:
        return list(dict.fromkeys(position[s.curie] for s in sorted(spellings, key=rank)))

    forms = sorted(
        index.by_normal.items(),
        key=lambda item: (len(item[0].split()), min(map(rank, item[1])), item[0]),
    )
    return {
        "normal": [[form, ranked(spellings)] for form, spellings in forms if form],
        "unordered": {form: ranked(spellings) for form, spellings in index.by_words.items()},
    }


def shown(text: str, limit: int = TEXT_LIMIT) -> str:
    """Text as the page may show it: no direction overrides or control characters, and bounded.

    A 50 KB label would shrink the drawing to a dot, a 10 MB definition freeze the tab, and a
    right-to-left override show ``gnp.exe`` as ``exe.png``.
    """
    clean = UNSHOWABLE.sub("", text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def shown_data(value: Any) -> Any:
    """Every string of a nested structure made safe to show (see :func:`shown`)."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {key: shown_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [shown_data(item) for item in value]
    return value


def node_info(entity: Entity) -> Any:
    """What the details panel shows for a node."""
    return shown_data(
        {
            "curie": entity.curie,
            "iri": entity.iri,
            "kind_label": entity.kind_label,
            "layer": entity.layer,
            "urgency": entity.urgency,
            "definition": entity.definition,
            "synonyms": list(entity.synonyms),
            "identifiers": [
                {"curie": i.curie, "iri": i.iri, "vocabulary": i.vocabulary}
                for i in entity.identifiers
            ],
        }
    )


def build_network(selection: Selection) -> Any:
    """A pyvis network styled by node kind and relation group."""
    from pyvis.network import Network  # imported here: pyvis pulls in IPython, slow to import

    style = styles()
    net = Network(
        height="100%",
        width="100%",
        directed=True,
        heading=shown(selection.heading, 200),
        cdn_resources="in_line",
    )
    placed = opening_layout(selection) if selection.opening else {}
    for entity in selection.entities:
        kind = style["kinds"].get(entity.kind, style["default_kind"])
        # a marker (a warning sign) is small and unlabelled on the canvas: its text is long,
        # and shows in the tooltip and the panel
        marker = {"size": kind["size"], "font": {"size": 0}} if kind.get("marker") else {}
        where = (
            dict(zip(("x", "y"), placed[entity.curie], strict=True))
            if entity.curie in placed
            else {}
        )
        net.add_node(
            entity.curie,
            label=shown(entity.label, LABEL_LIMIT),
            shape=kind["shape"],
            color=kind["color"],
            kind=entity.kind,
            drawn=selection.drawn_first(entity),
            **({"start": True} if entity.curie in selection.opening else {}),
            **marker,
            **where,
            info=node_info(entity),
        )
    show_labels = len(selection.claims) <= EDGE_LABEL_LIMIT
    for claim in selection.claims:
        group = style["relations"][style["relation_groups"].get(claim.predicate.curie, "hierarchy")]
        net.add_edge(
            claim.subject.curie,
            claim.object.curie,
            id=claim.curie,
            label=shown(claim.predicate.label, LABEL_LIMIT) if show_labels else None,
            color=group["color"],
            dashes=group["dashes"],
            arrows="to",
            info=shown_data({"relation": claim.predicate.label, "claims": [claim.as_dict()]}),
        )
    # the whole graph's view draws the core: imported nodes wait to be found or expanded
    net.options = page_options(sum(map(selection.drawn_first, selection.entities)))
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


def legend(selection: Selection) -> dict[str, list[dict[str, Any]]]:
    """The node kinds present (with counts) and the relation groups, for the legend."""
    style = styles()
    counts = Counter(entity.kind for entity in selection.entities)
    kinds = [
        {"name": name, "count": counts[name], **style["kinds"].get(name, style["default_kind"])}
        for name in sorted(
            counts, key=lambda k: style["kinds"].get(k, style["default_kind"])["label"]
        )
    ]
    used = {
        style["relation_groups"].get(claim.predicate.curie, "hierarchy")
        for claim in selection.claims
    }
    relations = [
        dict(group, name=name) for name, group in style["relations"].items() if name in used
    ]
    return {"kinds": kinds, "relations": relations}


def chain_steps(selection: Selection, rules: ChainRules) -> dict[str, list[dict[str, Any]]]:
    """The steps a chain may take from each node, for the page's explain: the library's own
    (:func:`spasmkg.ask.explain.chain_edges`), with what the page needs to form, group and
    rank chains as ``spasmkg explain`` does."""
    steps: dict[str, list[dict[str, Any]]] = {}
    for targets in chain_edges(selection.claims, rules).values():
        for (relation, obj, context), claims in targets.items():
            step = step_of(claims)
            best = step.best
            steps.setdefault(step.subject.curie, []).append(
                {
                    "relation": relation,
                    "object_iri": obj,
                    "context": context,
                    "context_curie": step.context.curie if step.context else "",
                    "context_label": shown(step.context.label) if step.context else "",
                    "label": step.relation.label,
                    "from_label": shown(step.subject.label),
                    "to": step.object.curie,
                    "to_label": shown(step.object.label),
                    "strength": list(step.strength),
                    "weight": list(max(item.weight for item in best.evidence)),
                    "standing": best.standing.label,
                    "standing_rank": best.standing.rank,
                    "holds": best.holds,
                    "class_wide": any(claim.class_wide for claim in claims),
                    "claim": best.curie,
                    "modality": best.shown_modality.name if best.shown_modality else "",
                    "modality_rank": best.shown_modality.rank if best.shown_modality else 0,
                }
            )
    return steps


def why_rules(selection: Selection) -> dict[str, Any]:
    """What the page's "Why?" panel applies, from the library's own ``why`` (its kinds of
    reason, the order of general causes, its limits) and the ontology's tier ranks."""
    return {
        "kind_order": list(KIND_ORDER),
        "personal_kinds": sorted(PERSONAL_KINDS),
        "per_input": PER_INPUT,
        "rare_limit": RARE_LIMIT,
        "causal": sorted(f"skgo:{name}" for name in CAUSAL),
        "efficacy": sorted(f"skgo:{name}" for name in EFFICACY),
        "tiers": dict(selection.tiers),
    }


def opening_summary(selection: Selection) -> dict[str, Any] | None:
    """What the page says of its opening view: the entity it centres on and how many nodes
    the whole graph's view draws (None: the page opens on the whole graph)."""
    if not selection.opening:
        return None
    centre = next(e for e in selection.entities if e.curie == OPENING)
    return {
        "centre": OPENING,
        "label": shown(centre.label),
        "whole": sum(map(selection.drawn_first, selection.entities)),
    }


def render_selection(selection: Selection) -> str:
    """A single self-contained HTML page drawing a selection of the graph."""
    net = build_network(selection)
    template_dir = str(resources.files("spasmkg.outputs").joinpath("templates"))
    environment = Environment(
        loader=FileSystemLoader(template_dir), autoescape=select_autoescape(["html"])
    )
    script, stylesheet = vis_library()
    if "</script" in script.lower() or "</style" in stylesheet.lower():
        raise SpasmKGError("the vis-network library cannot be inlined safely")
    # trusted library code, inlined as is: HTML-escaping it would break it
    environment.globals.update(
        vis_js=Markup(script),
        vis_css=Markup(stylesheet),
        legend=legend(selection),
        sections=styles()["panel_sections"],
        section_of_standing=styles()["section_of_standing"],
        steps=chain_steps(selection, selection.rules),
        rules=selection.rules.as_dict(),
        why=why_rules(selection),
        names=search_names(selection),
        opening=opening_summary(selection),
        policy=Markup(POLICY),
    )
    net.templateEnv = environment
    net.path = TEMPLATE
    return str(net.generate_html())


def iframe(page: str, height: int = 620) -> str:
    """A page inside an ``<iframe srcdoc>``, for showing in a notebook with IPython's HTML."""
    import html as html_escape

    escaped = html_escape.escape(page, quote=True)
    return f'<iframe srcdoc="{escaped}" style="width:100%;height:{height}px;border:1px solid #ddd"></iframe>'


def write_page(
    kg: KnowledgeGraph,
    path: Path,
    *,
    focus: str | None = None,
    depth: int = 1,
    title: str | None = None,
) -> Selection:
    """Write the page (whole graph, or around ``focus``) to a file and return what it draws.

    :raises UnknownEntity: ``focus`` names no entity; nothing is written.
    """
    selection = select(kg, focus, depth, title)
    write_text(path, render_selection(selection))
    return selection


def page_bytes(kg: KnowledgeGraph) -> bytes:
    """The page of the whole graph, as a build writes it."""
    return render_selection(select(kg)).encode("utf-8")
