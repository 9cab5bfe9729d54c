"""The site's routes: the home page, the editor and its files, the downloads, the offline page,
and a dereferenceable address for every entity, claim, source and evidence item.

Each route gives a :class:`Reply` the front sends as it is, or, for the RDF description of a
resource, a :class:`Describe` the front runs on a query worker within the endpoint's limits.
Every HTML response carries a Content Security Policy that allows no outside request.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from functools import cached_property

from spasmkg.ask.leaflet import leaflet_markdown
from spasmkg.ask.why import Asker
from spasmkg.errors import UnknownEntity
from spasmkg.model.formats import HTML as HTML_FORMAT
from spasmkg.model.formats import RDF_FORMATS, named, spelled
from spasmkg.outputs.page import POLICY as PAGE_POLICY
from spasmkg.serve import html
from spasmkg.serve.protocol import Job, choose
from spasmkg.serve.site import KINDS, Site

#: What a response that is not HTML may load: nothing.
NOTHING = "default-src 'none'; frame-ancestors 'none'"
#: The site's pages: its own style sheet, nothing else.
PAGES = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: The editor: its scripts and styles from this server (CodeMirror and YASGUI set inline
#: styles), queries to this server only.
EDITOR = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
#: The formats a resource is served in, HTML first (for browsers and for ``*/*``); a
#: ``?format=`` names one by its name or its file extension (``turtle`` or ``ttl``).
RESOURCE_FORMATS = {
    f.name: f for f in (HTML_FORMAT, *(RDF_FORMATS[n] for n in ("turtle", "jsonld", "ntriples")))
}
RESOURCE_TYPES = tuple(f.media_type for f in RESOURCE_FORMATS.values())
#: The formats of a /why answer, by ``?format=`` word, HTML first.
WHY_FORMATS = {"html": "text/html", "json": "application/json", "md": "text/markdown"}
#: The formats of a /search answer, by ``?format=`` word, HTML first.
SEARCH_FORMATS = {"html": "text/html", "json": "application/json"}
#: The most candidates a search lists.
SEARCH_LIMIT = 20
#: What a Location header keeps as it is: the characters an IRI's path may hold in ASCII (any
#: other, such as a name in Greek, is sent percent-encoded as UTF-8, as RFC 3987 maps IRIs to URIs).
LOCATION_SAFE = "/:@!$&'()*+,;=-._~%"
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """A whole response: status, media type, body, its policy and any further headers."""

    status: int
    content_type: str
    body: bytes
    policy: str = NOTHING
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Describe:
    """A resource's RDF description, for a query worker to write in the negotiated format."""

    job: Job
    headers: tuple[tuple[str, str], ...] = (("vary", "Accept"),)


def text(status: int, message: str, **extra: str) -> Reply:
    """A plain-text answer, one message per line."""
    return Reply(status, TEXT, (message.rstrip("\n") + "\n").encode(), headers=tuple(extra.items()))


class Routes:
    """Answers for every path the site serves, from a :class:`Site` built at start."""

    def __init__(self, site: Site, endpoint_path: str = "/sparql") -> None:
        self.site = site
        self.endpoint_path = endpoint_path

    @cached_property
    def home(self) -> bytes:
        """The home page, rendered once."""
        return html.home(self.site, self.endpoint_path)

    @cached_property
    def editor(self) -> bytes:
        """The editor's page, rendered once."""
        return html.editor(self.site)

    def get(self, path: str, query_string: str, accept: tuple[str, ...]) -> Reply | Describe:
        """The answer to a GET (or HEAD) of a path."""
        if path == "/":
            return Reply(200, HTML, self.home, PAGES)
        if path == "/editor":
            return Reply(200, HTML, self.editor, EDITOR)
        if path == "/why":
            return self.why(query_string, accept)
        if path == "/search":
            return self.search(query_string, accept)
        if path == "/page":
            page = self.site.downloads.get("spasmkg.html")
            if page is not None:
                return Reply(200, HTML, page.body, f"{PAGE_POLICY}; frame-ancestors 'none'")
        first, _, rest = path.lstrip("/").partition("/")
        if first == "static" and rest in self.site.static:
            kind = STATIC_TYPES[rest[rest.rfind(".") :]]
            cache = (("cache-control", "public, max-age=86400"),)
            return Reply(200, kind, self.site.static[rest], headers=cache)
        if first == "downloads" and rest in self.site.downloads:
            file = self.site.downloads[rest]
            disposition = (("content-disposition", f'attachment; filename="{file.name}"'),)
            return Reply(200, file.media_type, file.body, headers=disposition)
        if first in KINDS and rest and "/" not in rest:
            return self.resource(first, rest, query_string, accept)
        return text(
            404,
            f"nothing at {path[:200]}; try / (home), /editor, /sparql, /downloads/FILE or "
            "/entity/NAME, /claim/NAME, /source/NAME, /evidence/NAME",
        )

    @cached_property
    def asker(self) -> Asker:
        """The ``why`` answerer over the site's graph, made on first use."""
        return Asker(self.site.kg)

    def why(self, query_string: str, accept: tuple[str, ...]) -> Reply:
        """The why form, and its answer in HTML, JSON or Markdown (``?format=`` or Accept);
        the GET address of a question can be shared."""
        fields = urllib.parse.parse_qs(query_string)
        wanted = fields.get("format", [])
        media_type = (
            WHY_FORMATS.get(wanted[0]) if wanted else choose(accept, tuple(WHY_FORMATS.values()))
        )
        if media_type is None:
            return text(406, f"/why answers in {', '.join(WHY_FORMATS.values())}", vary="Accept")
        asked = {
            "symptom": fields.get("symptom", [""])[0].strip()[: html.WHY_LIMIT],
            **{
                key: [
                    line.strip()[: html.WHY_LIMIT]
                    for value in fields.get(key, [])
                    for line in value.splitlines()
                    if line.strip()
                ][: html.WHY_LINES]
                for key in ("takes", "has", "context")
            },
        }
        answer, problem = None, ""
        if asked["symptom"]:
            try:
                answer = self.asker.why(
                    str(asked["symptom"]), asked["takes"], asked["has"], asked["context"]
                )
            except UnknownEntity as error:
                problem = str(error)
        if media_type != "text/html":
            if answer is None:
                status = 404 if problem else 400
                return text(status, problem or "give ?symptom=, in everyday words")
            body = (
                json.dumps(answer.as_dict(), indent=1, ensure_ascii=False).encode()
                if media_type == "application/json"
                else leaflet_markdown(answer).encode()
            )
            return Reply(200, media_type, body, headers=(("vary", "Accept"),))
        link = "/why?" + urllib.parse.urlencode(
            [("symptom", asked["symptom"])]
            + [(key, v) for key in ("takes", "has", "context") for v in asked[key]]
        )
        page = html.why_page(asked, answer, problem, link)
        return Reply(200 if not problem else 404, HTML, page, PAGES, (("vary", "Accept"),))

    def search(self, query_string: str, accept: tuple[str, ...]) -> Reply:
        """The entities a word may mean, by the resolver every command uses, in HTML or JSON
        (``?format=`` or Accept); the GET address of a search can be shared."""
        fields = urllib.parse.parse_qs(query_string)
        wanted = fields.get("format", [])
        formats = tuple(SEARCH_FORMATS.values())
        media_type = SEARCH_FORMATS.get(wanted[0]) if wanted else choose(accept, formats)
        if media_type is None:
            return text(406, f"/search answers in {', '.join(formats)}", vary="Accept")
        term = fields.get("q", [""])[0].strip()[: html.WHY_LIMIT]
        index = self.site.kg.names
        hits = index.search(term, SEARCH_LIMIT) if term else []
        found = [
            {
                "iri": hit.entity.iri,
                "entity": hit.entity.curie,
                "label": hit.entity.label,
                "kind": hit.entity.kind_label,
                "layer": hit.entity.layer,
                "matched": hit.spelling.text,
                "why": hit.why,
            }
            for hit in hits
        ]
        problem = "" if found or not term else str(index.unknown(term))
        if media_type != "text/html":
            if not term:
                return text(400, "give ?q=, a name in everyday words, a brand or a code")
            if problem:
                return text(404, problem)
            body = json.dumps({"q": term, "hits": found}, indent=1, ensure_ascii=False).encode()
            return Reply(200, media_type, body, headers=(("vary", "Accept"),))
        link = "/search?" + urllib.parse.urlencode([("q", term)])
        page = html.search_page(term, found, problem, link)
        return Reply(404 if problem else 200, HTML, page, PAGES, (("vary", "Accept"),))

    def resource(
        self, kind: str, name: str, query_string: str, accept: tuple[str, ...]
    ) -> Reply | Describe:
        """An entity, claim, source or evidence item, in the format the client asks for."""
        wanted = urllib.parse.parse_qs(query_string).get("format", [])
        if wanted:
            chosen = named(wanted[0], RESOURCE_FORMATS)
            if chosen is None:
                known = spelled(RESOURCE_FORMATS)
                return text(400, f"unknown format {wanted[0][:40]!r}; use {known}")
            media_type: str | None = chosen.media_type
        else:
            media_type = choose(accept, RESOURCE_TYPES)
        if media_type is None:
            return text(
                406,
                f"cannot answer in {', '.join(accept)[:300]}; a {kind} is served as "
                f"{', '.join(RESOURCE_TYPES)}",
                vary="Accept",
            )
        record = self.site.find(kind, name)
        if record is None:
            return self.missing(kind, name, media_type)
        if media_type == "text/html":
            body = html.resource(self.site, kind, record)
            return Reply(200, HTML, body, PAGES, (("vary", "Accept"),))
        return Describe(Job(self.site.description_query(kind, record.iri), (media_type,)))

    def missing(self, kind: str, name: str, media_type: str) -> Reply:
        """A name the site does not know: the entity it is another name for, or a 404 with
        close names."""
        canonical = self.site.canonical(kind, name)
        if canonical is not None:
            location = urllib.parse.quote(canonical, safe=LOCATION_SAFE)
            return text(303, f"see {location}", location=location, vary="Accept")
        close = self.site.suggestions(kind, name)
        if media_type == "text/html":
            return Reply(404, HTML, html.missing(kind, name, close), PAGES)
        hint = "; did you mean " + ", ".join(p for p, _ in close) + "?" if close else ""
        return text(404, f"no {kind} named {name[:100]!r}{hint}")
