"""The HTML pages of ``spasmkg serve``: home, the editor, and a page for each entity, claim,
source and evidence item, rendered from the typed records with autoescaping Jinja templates.

An entity's claims are grouped by meaning with the page's own sections (``panel_sections`` in
the page's ``styles.json``), so a claim sits under the same heading in the offline page and
here; each direction of evidence is listed in its own section.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from spasmkg.ask.citing import one_line
from spasmkg.ask.leaflet import sections as leaflet_sections
from spasmkg.ask.why import NOTICE, WhyAnswer
from spasmkg.model.records import QUALIFIERS, Claim, Entity, EvidenceItem, Source
from spasmkg.outputs.page import styles
from spasmkg.outputs.report import count
from spasmkg.serve.site import Record, Site, label_of, path_of
from spasmkg.version import __version__

#: The longest input the why form takes, in characters, and the most lines in one field.
WHY_LIMIT = 100
WHY_LINES = 8


@dataclass(frozen=True)
class Row:
    """One claim under a section heading: the entity at its other end and its evidence items."""

    claim: Claim
    other: Entity
    items: tuple[EvidenceItem, ...]


@cache
def environment() -> Environment:
    """The templates, escaping every value unless a template says otherwise."""
    env = Environment(
        loader=PackageLoader("spasmkg.serve", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(path_of=path_of, label_of=label_of, version=__version__)
    env.filters["qualifiers"] = qualifiers
    return env


def render(template: str, **values: object) -> bytes:
    """One page as UTF-8."""
    return environment().get_template(template).render(**values).encode("utf-8")


def qualifiers(item: EvidenceItem) -> list[tuple[str, str]]:
    """The qualifiers an evidence item gives, named for people, in reading order."""
    return [
        (label, one_line(getattr(item, key)))
        for key, label in QUALIFIERS.items()
        if getattr(item, key)
    ]


def sections(entity: Entity, claims: Iterable[Claim]) -> list[tuple[str, list[Row]]]:
    """An entity's claims under the page's headings, as the interactive page files them: a
    claim goes where its standing puts it (what holds under its relation, with any evidence
    against beside the support; the rest under "does not work" or "unsettled"), with all its
    evidence items."""
    table, direction_of = styles()["panel_sections"], styles()["section_of_standing"]
    grouped: dict[str, list[Row]] = {}
    for claim in claims:
        side = "subject" if claim.subject.iri == entity.iri else "object"
        other = claim.object if side == "subject" else claim.subject
        direction = direction_of[claim.standing.name]
        section = next(
            (
                s
                for s in table
                if s["direction"] == direction
                and s["side"] in ("either", side)
                and (not s["relations"] or claim.predicate.curie in s["relations"])
            ),
            None,
        )
        if section is not None:
            grouped.setdefault(section["title"], []).append(Row(claim, other, claim.evidence))
    return [(s["title"], grouped[s["title"]]) for s in table if s["title"] in grouped]


def home(site: Site, endpoint: str) -> bytes:
    """What the graph is, where to go next, and the files with their checksums."""
    return render(
        "home.html",
        counts=site.counts,
        summary=count(site.kg).summary(),
        layers=site.kg.layers,
        releases={loaded.layer.name: loaded.version for loaded in site.kg.imports},
        downloads=list(site.downloads.values()),
        examples=site.examples,
        endpoint=endpoint,
        title="spasmkg",
    )


def editor(site: Site) -> bytes:
    """The SPARQL editor, with the named queries as examples (passed as inert JSON)."""
    examples = [example.__dict__ for example in site.examples]
    data = json.dumps(examples).replace("<", "\\u003c").replace(">", "\\u003e")
    return render("editor.html", examples=site.examples, data=data, title="Query editor")


def resource(site: Site, kind: str, record: Record) -> bytes:
    """The page of one entity, claim, source or evidence item."""
    if isinstance(record, Entity):
        claims = site.kg.claims_about(record)
        return render(
            "entity.html",
            entity=record,
            sections=sections(record, claims),
            claims=claims,
            in_context=site.kg.claims_in_context(record),
            title=record.label,
        )
    if isinstance(record, Claim):
        return render("claim.html", claim=record, title=label_of(record))
    if isinstance(record, Source):
        cited = site.cited_by.get(record.iri, [])
        return render("source.html", source=record, cited=cited, title=record.label)
    if isinstance(record, EvidenceItem):
        claim = site.evidence_of[record.iri]
        return render("evidence.html", item=record, claim=claim, title=label_of(record))
    raise TypeError(f"no page for {kind} records")


def missing(kind: str, name: str, suggestions: list[tuple[str, str]]) -> bytes:
    """The 404 page: what was asked for, and close names."""
    return render("missing.html", kind=kind, name=name, suggestions=suggestions, title="Not found")


def search_page(term: str, hits: list[dict[str, str]], problem: str, link: str) -> bytes:
    """The search form, filled in with the term, and the entities it may mean, best first."""
    return render(
        "search.html",
        term=term,
        hits=hits,
        problem=problem,
        link=link,
        limit=WHY_LIMIT,
        title=f"Search: {term}" if term else "Search",
    )


def why_page(
    asked: Mapping[str, object], answer: WhyAnswer | None, problem: str, link: str
) -> bytes:
    """The why form, filled in with what was asked, and the answer as a leaflet's sections."""
    return render(
        "why.html",
        asked=asked,
        answer=leaflet_sections(answer) if answer else None,
        problem=problem,
        link=link,
        limit=WHY_LIMIT,
        notice=NOTICE,
        title="Why might this be happening?",
    )
