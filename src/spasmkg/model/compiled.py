"""The graph compiled for questions, kept on disk: its store as N-Quads, its names and labels.

A cold ``spasmkg query`` parsed every Turtle file and built every record before it answered,
so with the imported layer a question cost three times what it did on the core. A compiled
entry holds what a query needs and nothing else, under a key made of the input files' bytes,
the layer and the code that reads them: any change makes a new entry, so an answer never
comes from stale data. Entries live in ``$SPASMKG_CACHE_DIR`` (default
``$XDG_CACHE_HOME/spasmkg``, else ``~/.cache/spasmkg``); the last few are kept.

The folder may hold other things (a user once pointed it at a folder of projects): an entry
is a folder that carries the cache's own marker file, and nothing else is ever read, replaced
or deleted. The marker records the SHA-256 of each file of the entry, checked before the entry
is used, and an entry is used only if it and its files belong to the user and no one else may
write them: an edited or planted entry is refused, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.loader import input_files, load
from spasmkg.model.names import NameIndex
from spasmkg.model.paths import DataPaths, data_paths
from spasmkg.model.records import Entity, Identifier, Name
from spasmkg.version import __version__

log = logging.getLogger(__name__)

CACHE_ENV = "SPASMKG_CACHE_DIR"
#: How many compiled entries to keep (one per data folder, layer and version in use).
KEEP = 4
STORE_FILE = "graph.nq"
NAMES_FILE = "names.json"
#: The file that makes a folder an entry of this cache, with the digests of its other files.
MARKER = "spasmkg-compiled.json"
MARKER_KIND = "spasmkg compiled graph"


class ForeignEntry(ValueError):
    """A folder where an entry would be that the cache must not use (and does not delete)."""


@dataclass(frozen=True, eq=False)
class QueryGraph:
    """What answering a query needs: the store, the entities by name, the labels."""

    paths: DataPaths
    layer: str
    store: ox.Store
    names: NameIndex
    labels: dict[str, str]
    #: True when it was read from a compiled entry rather than loaded from the files
    from_cache: bool = False

    def entity(self, name_or_id: str) -> Entity:
        """The one entity a name or identifier names (see :meth:`NameIndex.resolve`)."""
        return self.names.resolve(name_or_id)

    def union(self) -> Graph:
        """The graph itself, for rdflib's engine: loaded from the files when asked for."""
        return load(self.paths.root, layer=self.layer).union()


def cache_folder() -> Path:
    """Where compiled entries live."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "spasmkg"


def entry_key(paths: DataPaths, layer: str) -> str:
    """A digest of everything a compiled entry depends on: version, layer, the model's code and
    each input file's name and bytes."""
    digest = hashlib.sha256(f"{__version__}\0{layer}\0".encode())
    code = [*sorted(Path(__file__).parent.glob("*.py")), Path(__file__).parent / "prefixes.json"]
    for path in [*code, *input_files(paths, layer)]:
        digest.update(f"{path.name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def entity_from(record: dict[str, Any]) -> Entity:
    """An entity from its JSON form in a compiled entry."""
    fields = dict(record)
    identifiers = tuple(Identifier(**item) for item in fields.pop("identifiers"))
    synonyms = tuple(fields.pop("synonyms"))
    names = tuple(
        Name(**dict(item, sources=tuple(item["sources"]))) for item in fields.pop("names", [])
    )
    return Entity(**fields, synonyms=synonyms, identifiers=identifiers, names=names)


def compile_graph(kg: KnowledgeGraph) -> QueryGraph:
    """The query-time parts of a loaded graph."""
    return QueryGraph(kg.paths, kg.layer, kg.store, kg.names, kg.labels)


def digest(data: bytes) -> str:
    """The hex SHA-256 of an entry's file."""
    return hashlib.sha256(data).hexdigest()


def save(graph: QueryGraph, entities: list[Entity], entry: Path) -> None:
    """Write a compiled entry next to the others, whole or not at all, with its marker."""
    entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=entry.parent))
    try:
        graph.store.dump(str(staging / STORE_FILE), format=ox.RdfFormat.N_QUADS)
        names = {"entities": [asdict(e) for e in entities], "labels": graph.labels}
        (staging / NAMES_FILE).write_text(json.dumps(names, ensure_ascii=False), "utf-8")
        sums = {name: digest((staging / name).read_bytes()) for name in (STORE_FILE, NAMES_FILE)}
        marker = {"kind": MARKER_KIND, "key": entry.name, "files": sums}
        (staging / MARKER).write_text(json.dumps(marker, sort_keys=True), "utf-8")
        for name in (STORE_FILE, NAMES_FILE, MARKER):
            (staging / name).chmod(0o600)
        staging.rename(entry)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not entry.is_dir():
            raise
    prune(entry.parent)


def marker_of(folder: Path) -> dict[str, Any] | None:
    """The cache's marker in a folder, or None if the folder is not one of its entries."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return None
        found = json.loads((folder / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or found.get("kind") != MARKER_KIND:
        return None
    if found.get("key") != folder.name or not isinstance(found.get("files"), dict):
        return None
    return found


def prune(folder: Path) -> None:
    """Keep the most recently used entries only; touch nothing that is not an entry."""
    entries = sorted(
        (path for path in folder.iterdir() if marker_of(path) is not None),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for stale in entries[KEEP:]:
        shutil.rmtree(stale, ignore_errors=True)


def check_owner(path: Path) -> None:
    """Refuse a path of an entry that is a link, not the user's, or writable by others.

    :raises ForeignEntry: it is.
    """
    found = path.lstat()
    if stat.S_ISLNK(found.st_mode):
        raise ForeignEntry(f"{path} is a symbolic link")
    if hasattr(os, "getuid") and found.st_uid != os.getuid():
        raise ForeignEntry(f"{path} belongs to another user (uid {found.st_uid})")
    if found.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ForeignEntry(f"{path} may be written by other users")


def read(entry: Path, paths: DataPaths, layer: str) -> QueryGraph:
    """A compiled entry, as it was saved, once its marker, owner and digests are checked.

    :raises ForeignEntry: the folder is not an entry of this cache, or not the user's alone.
    :raises ValueError: the entry is damaged or was edited (the caller compiles a fresh one).
    """
    marker = marker_of(entry)
    if marker is None:
        raise ForeignEntry(f"{entry} is not an entry of this cache (no {MARKER})")
    for path in (entry, *(entry / name for name in (MARKER, STORE_FILE, NAMES_FILE))):
        check_owner(path)
    contents: dict[str, bytes] = {}
    for name in (STORE_FILE, NAMES_FILE):
        contents[name] = (entry / name).read_bytes()
        if digest(contents[name]) != marker["files"].get(name):
            raise ValueError(f"{name} does not match its digest: it was changed")
    names = json.loads(contents[NAMES_FILE].decode("utf-8"))
    store = ox.Store()
    try:
        store.bulk_load(contents[STORE_FILE], format=ox.RdfFormat.N_QUADS)
    except SyntaxError as error:
        raise ValueError(f"damaged store: {error}") from None
    entities = [entity_from(record) for record in names["entities"]]
    os.utime(entry)  # most recently used
    return QueryGraph(
        paths, layer, store, NameIndex.of(entities), dict(names["labels"]), from_cache=True
    )


def query_graph(
    root: Path | str | None = None, *, layer: str | Sequence[str] = "all", cache: bool = True
) -> QueryGraph:
    """The graph ready for questions: from its compiled entry when one matches the files,
    else loaded strictly (see :func:`spasmkg.load`) and compiled for the next time.

    A damaged or unwritable cache is not an error: the graph is loaded from the files instead.
    """
    paths = data_paths(root)
    layer = layer if isinstance(layer, str) else ",".join(layer)
    if not cache:
        return compile_graph(load(root, layer=layer))
    entry = cache_folder() / entry_key(paths, layer)
    keep = True
    if entry.exists() or entry.is_symlink():
        try:
            return read(entry, paths, layer)
        except ForeignEntry as error:
            log.warning("not using %s: %s; the graph is loaded from its files", entry, error)
            keep = False
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("compiled graph %s is damaged (%s); compiling it again", entry, error)
            shutil.rmtree(entry, ignore_errors=True)
    kg = load(root, layer=layer)
    graph = compile_graph(kg)
    if keep:
        try:
            save(graph, list(kg.entities), entry)
        except OSError as error:
            log.warning("cannot keep the compiled graph in %s: %s", entry.parent, error.strerror)
    return graph
