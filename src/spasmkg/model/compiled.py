"""The graph compiled for questions, kept on disk: its store as N-Quads, its names and labels,
and the records ``why`` and ``explain`` read.

A cold ``spasmkg query`` parsed every Turtle file and built every record before it answered,
so with the imported layer a question cost three times what it did on the core. A compiled
entry holds what a query needs and nothing else, under a key made of the input files' bytes,
the layer and the code that reads them: any change makes a new entry, so an answer never
comes from stale data. ``why`` and ``explain`` read only the entry's records (a pickle, see
:class:`spasmkg.model.asking.AskGraph`): no Turtle parsed, no store filled. Entries live in
``$SPASMKG_CACHE_DIR`` (default ``$XDG_CACHE_HOME/spasmkg``, else ``~/.cache/spasmkg``); the
last few are kept.

The folder may hold other things (a user once pointed it at a folder of projects): an entry
is a folder that carries the cache's own marker file, and nothing else is ever read, replaced
or deleted. The marker records the SHA-256 of each file of the entry, checked before the entry
is used, and an entry is used only if it and its files belong to the user and no one else may
write them: an edited or planted entry is refused, never trusted. The records are unpickled
only after those checks pass: spasmkg unpickles nothing but the files it wrote itself.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import pickle
import shutil
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox

from spasmkg.model.asking import Askable, AskGraph
from spasmkg.model.layers import input_files
from spasmkg.model.names import NameIndex
from spasmkg.model.paths import DataPaths, data_paths
from spasmkg.model.records import Entity, Identifier, Name
from spasmkg.version import __version__

if TYPE_CHECKING:  # loading the files (and rdflib) is imported only when no entry matches
    from rdflib import Graph

    from spasmkg.model.graph import KnowledgeGraph

log = logging.getLogger(__name__)

CACHE_ENV = "SPASMKG_CACHE_DIR"
#: How many compiled entries to keep (one per data folder, layer and version in use).
KEEP = 4
STORE_FILE = "graph.nq"
NAMES_FILE = "names.json"
RECORDS_FILE = "records.pickle"
FILES = (STORE_FILE, NAMES_FILE, RECORDS_FILE)
#: The file that makes a folder an entry of this cache, with the digests of its other files.
MARKER = "spasmkg-compiled.json"
MARKER_KIND = "spasmkg compiled graph"


T = TypeVar("T")


class ForeignEntry(ValueError):
    """A folder where an entry would be that the cache must not use (and does not delete)."""


@dataclass(frozen=True, eq=False)
class QueryGraph:
    """What answering a query needs: the store, the entities by name, the labels."""

    paths: DataPaths
    layer: str
    store: ox.Store
    #: the entities by name, or (from an entry) what indexes them when a parameter is first
    #: read: most queries name no entity, and indexing every name is a third of a cold query
    index: NameIndex | Callable[[], NameIndex]
    labels: dict[str, str]
    #: True when it was read from a compiled entry rather than loaded from the files
    from_cache: bool = False

    @cached_property
    def names(self) -> NameIndex:
        """Every name of every entity, for look-ups."""
        return self.index if isinstance(self.index, NameIndex) else self.index()

    def entity(self, name_or_id: str) -> Entity:
        """The one entity a name or identifier names (see :meth:`NameIndex.resolve`)."""
        return self.names.resolve(name_or_id)

    def union(self) -> Graph:
        """The graph itself, for rdflib's engine: loaded from the files when asked for."""
        return loaded(self.paths.root, self.layer).union()


def loaded(root: Path | str | None, layer: str | Sequence[str]) -> KnowledgeGraph:
    """The graph loaded strictly from its files (see :func:`spasmkg.load`); the loader, and
    rdflib with it, is imported only when no compiled entry answers."""
    from spasmkg.model.loader import load

    return load(root, layer=layer)


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


def save(kg: KnowledgeGraph, entry: Path) -> None:
    """Write a compiled entry next to the others, whole or not at all, with its marker."""
    entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=entry.parent))
    try:
        kg.store.dump(str(staging / STORE_FILE), format=ox.RdfFormat.N_QUADS)
        names = {"entities": [asdict(e) for e in kg.entities], "labels": kg.labels}
        (staging / NAMES_FILE).write_text(json.dumps(names, ensure_ascii=False), "utf-8")
        records = pickle.dumps(AskGraph.of(kg).state(), protocol=pickle.HIGHEST_PROTOCOL)
        (staging / RECORDS_FILE).write_bytes(records)
        sums = {name: digest((staging / name).read_bytes()) for name in FILES}
        marker = {"kind": MARKER_KIND, "key": entry.name, "files": sums}
        (staging / MARKER).write_text(json.dumps(marker, sort_keys=True), "utf-8")
        for name in (*FILES, MARKER):
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


def verified(entry: Path, names: Sequence[str]) -> dict[str, bytes]:
    """Some files of a compiled entry, once its marker, owner and their digests are checked.

    :raises ForeignEntry: the folder is not an entry of this cache, or not the user's alone.
    :raises ValueError: a file is damaged or was edited (the caller compiles a fresh entry).
    """
    marker = marker_of(entry)
    if marker is None:
        raise ForeignEntry(f"{entry} is not an entry of this cache (no {MARKER})")
    for path in (entry, entry / MARKER, *(entry / name for name in names)):
        check_owner(path)
    contents: dict[str, bytes] = {}
    for name in names:
        contents[name] = (entry / name).read_bytes()
        if digest(contents[name]) != marker["files"].get(name):
            raise ValueError(f"{name} does not match its digest: it was changed")
    os.utime(entry)  # most recently used
    return contents


def read(entry: Path, paths: DataPaths, layer: str) -> QueryGraph:
    """A compiled entry's store, names and labels, as they were saved, once checked (see
    :func:`verified`).

    :raises ForeignEntry: the folder is not an entry of this cache, or not the user's alone.
    :raises ValueError: the entry is damaged or was edited (the caller compiles a fresh one).
    """
    contents = verified(entry, (STORE_FILE, NAMES_FILE))
    names = json.loads(contents[NAMES_FILE].decode("utf-8"))
    store = ox.Store()
    try:
        store.bulk_load(contents[STORE_FILE], format=ox.RdfFormat.N_QUADS)
    except SyntaxError as error:
        raise ValueError(f"damaged store: {error}") from None
    records = names["entities"]
    if not isinstance(records, list):
        raise ValueError(f"{NAMES_FILE} holds no entities")
    return QueryGraph(
        paths,
        layer,
        store,
        lambda: NameIndex.of(entity_from(record) for record in records),
        dict(names["labels"]),
        from_cache=True,
    )


def read_records(entry: Path) -> AskGraph:
    """A compiled entry's records for asking, once checked (see :func:`verified`): the only
    file read, and unpickled only when it is the file this cache wrote.

    :raises ForeignEntry: the folder is not an entry of this cache, or not the user's alone.
    :raises ValueError: the entry is damaged or was edited (the caller compiles a fresh one).
    """
    data = verified(entry, (RECORDS_FILE,))[RECORDS_FILE]
    collecting = gc.isenabled()
    gc.disable()  # a collection every few thousand new records would triple the time
    try:
        state = pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as error:
        raise ValueError(f"damaged records: {error}") from None
    finally:
        if collecting:
            gc.enable()
    if not isinstance(state, dict):
        raise ValueError("damaged records: not a compiled graph's")
    return AskGraph.from_state(state)


def compiled(
    root: Path | str | None,
    layer: str | Sequence[str],
    reader: Callable[[Path, DataPaths, str], T],
    made: Callable[[KnowledgeGraph], T],
) -> T:
    """A graph from its compiled entry by ``reader`` when one matches the files, else loaded
    strictly (see :func:`spasmkg.load`), compiled for the next time and given by ``made``.

    A damaged or unwritable cache is not an error: the graph is loaded from the files instead.
    """
    paths = data_paths(root)
    layer = layer if isinstance(layer, str) else ",".join(layer)
    entry = cache_folder() / entry_key(paths, layer)
    keep = True
    if entry.exists() or entry.is_symlink():
        try:
            found = reader(entry, paths, layer)
            log.debug("answering from the compiled graph %s", entry)
            return found
        except ForeignEntry as error:
            log.warning("not using %s: %s; the graph is loaded from its files", entry, error)
            keep = False
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("compiled graph %s is damaged (%s); compiling it again", entry, error)
            shutil.rmtree(entry, ignore_errors=True)
    kg = loaded(root, layer)
    if keep:
        try:
            save(kg, entry)
        except OSError as error:
            log.warning("cannot keep the compiled graph in %s: %s", entry.parent, error.strerror)
    return made(kg)


def query_graph(
    root: Path | str | None = None, *, layer: str | Sequence[str] = "all", cache: bool = True
) -> QueryGraph:
    """The graph ready for questions: from its compiled entry when one matches the files,
    else loaded strictly (see :func:`spasmkg.load`) and compiled for the next time.

    A damaged or unwritable cache is not an error: the graph is loaded from the files instead.
    """
    if not cache:
        return compile_graph(loaded(root, layer))
    return compiled(root, layer, read, compile_graph)


def ask_graph(
    root: Path | str | None = None, *, layer: str | Sequence[str] = "all", cache: bool = True
) -> Askable:
    """The graph ready for ``why`` and ``explain``: the records of its compiled entry when one
    matches the files (no Turtle parsed), else loaded strictly and compiled for the next time.

    A damaged or unwritable cache is not an error: the graph is loaded from the files instead.
    """
    if not cache:
        return loaded(root, layer)
    found: Askable = compiled(root, layer, lambda entry, _p, _l: read_records(entry), AskGraph.of)
    return found
