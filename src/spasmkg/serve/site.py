"""What ``spasmkg serve`` publishes besides the endpoint: the graph's records by name, the
downloads with their checksums, the editor's examples and the files of the editor.

Built once when the server starts, from the typed records (no RDF is read here), and never
changed while it serves. The front answers every page from this; only the RDF descriptions of
a resource go to the query workers, as a fixed CONSTRUCT query.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from spasmkg.ask.endpoint_engine import values_first
from spasmkg.ask.lexer import outline
from spasmkg.ask.library import NamedQuery, bind_params
from spasmkg.errors import SpasmKGError, UnknownEntity
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.records import Claim, Entity, EvidenceItem, Source

BASE = "https://w3id.org/spasmkg/"
#: The kinds of resource with a page of their own, as the first step of their IRI's path.
KINDS = ("entity", "claim", "source", "evidence")
#: The RDF descriptions of a resource: its own statements and those that point at it; for a
#: claim, its statements and those of its evidence items.
AROUND = (
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ VALUES ?s {{ <{iri}> }} ?s ?p ?o }} UNION "
    "{{ VALUES ?o {{ <{iri}> }} ?s ?p ?o }} }}"
)
WITH_EVIDENCE = (
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ VALUES ?s {{ <{iri}> }} ?s ?p ?o }} UNION "
    "{{ <{iri}> <https://w3id.org/spasmkg/ontology/hasEvidence> ?s . ?s ?p ?o }} }}"
)
Record = Entity | Claim | Source | EvidenceItem
#: The longest name a 404 looks for close names of.
MAX_SUGGESTED = 100
STATIC = ("site.css", "editor.js", "yasgui/yasgui.min.js", "yasgui/yasgui.min.css")


@dataclass(frozen=True)
class Download:
    """One file of the build, as served: its bytes, media type and SHA-256."""

    name: str
    media_type: str
    body: bytes
    description: str = ""

    @property
    def sha256(self) -> str:
        """The hex digest a user compares with ``sha256sum``."""
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True)
class Example:
    """A named query as the editor offers it: runnable text with its parameters bound."""

    name: str
    title: str
    description: str
    text: str


@dataclass
class Site:
    """Every record by kind and name, and what the home page and the editor offer."""

    kg: KnowledgeGraph
    downloads: dict[str, Download] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()
    static: dict[str, bytes] = field(default_factory=dict)
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    evidence_of: dict[str, Claim] = field(default_factory=dict)
    cited_by: dict[str, list[tuple[Claim, EvidenceItem]]] = field(default_factory=dict)

    @classmethod
    def of(
        cls, kg: KnowledgeGraph, downloads: Iterable[Download], queries: Iterable[NamedQuery]
    ) -> Site:
        """Index the records of a loaded graph; check and read the editor's files; offer the
        named queries this server can answer as the editor's examples."""
        runnable = (q for q in queries if not outline(q.text).services)  # the front refuses SERVICE
        site = cls(kg, {d.name: d for d in downloads}, tuple(example(kg, q) for q in runnable))
        site.static = static_files()
        site.records = {kind: {} for kind in KINDS}
        for entity in kg.entities:
            site.records["entity"][local_name(entity.iri)] = entity
        for source in kg.sources:
            site.records["source"][local_name(source.iri)] = source
        for claim in kg.claims:
            site.records["claim"][local_name(claim.iri)] = claim
            for item in claim.evidence:
                site.records["evidence"][local_name(item.iri)] = item
                site.evidence_of[item.iri] = claim
                site.cited_by.setdefault(item.source.iri, []).append((claim, item))
        return site

    def find(self, kind: str, name: str) -> Record | None:
        """The record a kind and name stand for, or None."""
        return self.records.get(kind, {}).get(name)

    def canonical(self, kind: str, name: str) -> str | None:
        """The path of the one entity a label, synonym or outside identifier names, if any."""
        if kind != "entity":
            return None
        if not self.kg.names.candidates(name):
            return None  # asked first, so no close names are looked for here
        try:
            return path_of(self.kg.names.resolve(name).iri)
        except UnknownEntity:
            return None

    def suggestions(self, kind: str, name: str, limit: int = 5) -> list[tuple[str, str]]:
        """Close names of the same kind, with their labels, for a 404 page; an entity's come
        from the name index ``lookup`` uses, so labels and synonyms count too. A name longer
        than :data:`MAX_SUGGESTED` gets none: nobody mistypes that much, and matching it
        against every name would cost more than a 404 is worth."""
        names = self.records.get(kind, {})
        if len(name) > MAX_SUGGESTED:
            return []
        if kind == "entity":
            index = self.kg.names
            found = [
                local_name(index.entities[curie].iri)
                for close in index.suggestions(name)
                for curie in sorted(index.names[close])
            ]
        else:
            found = difflib.get_close_matches(name.casefold(), list(names), n=limit, cutoff=0.6)
        unique = list(dict.fromkeys(found))[:limit]
        return [(f"/{kind}/{key}", label_of(names[key])) for key in unique]

    def description_query(self, kind: str, iri: str) -> str:
        """The CONSTRUCT query that gives a resource's RDF description."""
        return (WITH_EVIDENCE if kind == "claim" else AROUND).format(iri=iri)

    @property
    def counts(self) -> dict[str, int]:
        """How many records of each kind the site serves."""
        return {kind: len(records) for kind, records in self.records.items()}


def local_name(iri: str) -> str:
    """The last step of one of spasmkg's IRIs (``furosemide``)."""
    return iri.rsplit("/", 1)[1]


def path_of(iri: str) -> str:
    """Where the server answers for one of spasmkg's IRIs (``/entity/furosemide``)."""
    return "/" + iri.removeprefix(BASE)


def label_of(record: Record) -> str:
    """What a record is called on a page."""
    if isinstance(record, (Entity, Source)):
        return record.label
    if isinstance(record, Claim):
        return f"{record.subject.label} {record.predicate.label} {record.object.label}"
    if isinstance(record, EvidenceItem):
        return f"evidence from {record.source.label}"
    return ""


def example(kg: KnowledgeGraph, query: NamedQuery) -> Example:
    """A named query with its documented example values bound in a VALUES block written first
    in its WHERE clause, where the library's engines bind them."""
    bindings = bind_params(query, query.example_params, lambda name: kg.entity(name).iri)
    text = values_first(query.text, bindings)
    return Example(query.name, query.title, query.description, text)


def static_files() -> dict[str, bytes]:
    """The editor's files and the site's style sheet, the vendored ones checked.

    :raises SpasmKGError: a vendored file does not match its recorded SHA-256.
    """
    folder = resources.files("spasmkg.serve").joinpath("static")
    found = {name: folder.joinpath(name).read_bytes() for name in STATIC}
    sums = folder.joinpath("yasgui", "SHA256SUMS").read_text(encoding="utf-8")
    for line in sums.splitlines():
        digest, _, name = line.partition("  ")
        if hashlib.sha256(found[f"yasgui/{name}"]).hexdigest() != digest:
            raise SpasmKGError(f"the vendored editor file {name} does not match its checksum")
    return found


def build_downloads(
    kg: KnowledgeGraph, dist: Path | None, step: Callable[[str], None] = lambda _: None
) -> list[Download]:
    """The files of the build: read from an earlier build's folder (checked against the data
    the pages describe, and each file against the build's manifest), or rendered now in memory.

    :raises SpasmKGError: ``dist`` is not a build of this data, or a file of it was changed,
        is missing, or is a link to a file outside it.
    """
    from spasmkg.outputs.registry import OUTPUTS
    from spasmkg.outputs.swap import MANIFEST

    sums: dict[str, str] = {}
    if dist is not None:
        sums = check_build(dist, kg, MANIFEST)
    found = []
    for output in OUTPUTS.values():
        if dist is None:
            step(f"render {output.file_name}")
            body = output.write(kg)
        else:
            body = built_file(dist, output.file_name, sums)
        found.append(Download(output.file_name, output.media_type, body, output.description))
    if dist is not None:
        manifest = inside(dist, MANIFEST).read_bytes()
        found.append(Download(MANIFEST, "application/json", manifest, "checksums of the build"))
    return found


def inside(folder: Path, name: str) -> Path:
    """A file of a build folder, refused if it is a link that leads out of the folder.

    :raises SpasmKGError: it leads elsewhere.
    """
    path = folder / name
    real, home = path.resolve(), folder.resolve()
    if real != home and home not in real.parents:
        raise SpasmKGError(
            f"{path} is a link to {real}, outside {folder}; serve publishes only the build's own files"
        )
    return path


def built_file(folder: Path, name: str, sums: dict[str, str]) -> bytes:
    """A file of a build, as its manifest says the build wrote it.

    :raises SpasmKGError: it is missing, leads out of the folder, or differs from the manifest.
    """
    path = inside(folder, name)
    if not path.is_file():
        raise SpasmKGError(f"{folder} has no {name}; run 'spasmkg build --out {folder}' again")
    body = path.read_bytes()
    if hashlib.sha256(body).hexdigest() != sums.get(name):
        raise SpasmKGError(
            f"{path} differs from its checksum in the build's manifest (it was changed after the "
            f"build); run 'spasmkg build --out {folder}' again"
        )
    return body


def check_build(folder: Path, kg: KnowledgeGraph, manifest_name: str) -> dict[str, str]:
    """Refuse a build folder made from other data than the graph the pages describe; return
    the checksums of its files.

    :raises SpasmKGError: no manifest, or an input file whose checksum differs.
    """
    from spasmkg.outputs.build import input_checksums

    manifest = inside(folder, manifest_name)
    if not manifest.is_file():
        raise SpasmKGError(f"{folder} holds no {manifest_name}; run 'spasmkg build' into it")
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    built = recorded.get("inputs", {})
    ours = input_checksums(kg)
    changed = sorted(
        name for name in ours.keys() | built.keys() if ours.get(name) != built.get(name)
    )
    if changed:
        raise SpasmKGError(
            f"{folder} was built from other data or another layer ({len(changed)} input file(s) "
            f"differ, first {changed[0]}); run 'spasmkg build --out {folder}' again, or serve "
            "without --from"
        )
    files = recorded.get("files", {})
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
