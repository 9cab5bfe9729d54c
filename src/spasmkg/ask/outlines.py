"""Outlines of named queries remembered across processes.

A cold ``spasmkg query`` spent more time parsing the query with rdflib's SPARQL grammar for the
read-only check than answering it. The outline of each named query checked (its form, and the
SERVICE and FROM clauses rdflib found) is kept in the cache folder under the SHA-256 of the
text, for one spasmkg and one rdflib SPARQL parser; the next process reads it instead of
parsing, and does not import rdflib at all.
The file is trusted only as the compiled entries are: the user's own, written by nobody else.
The lexer's own check (SERVICE spelled anywhere, updates) still runs on every text.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import cache
from pathlib import Path

from spasmkg.model.compiled import ForeignEntry, cache_folder, check_owner
from spasmkg.system import write_atomically
from spasmkg.version import __version__

#: A query's form, the IRIs of its SERVICE clauses and the graphs its FROM clauses name.
Outline = tuple[str, tuple[str, ...], tuple[str, ...]]
FILE = "outlines.json"
#: The most outlines kept; the oldest go first.
LIMIT = 256


@cache
def versions() -> str:
    """What an outline holds for: this spasmkg, and the file of rdflib's SPARQL parser that
    made it (its size and time, which any install of rdflib changes), read without importing
    rdflib: the import would cost a cold query more than the parse the outline saves."""
    spec = importlib.util.find_spec("rdflib")
    if spec is None or spec.origin is None:
        return f"spasmkg {__version__}, no rdflib"
    parser = (Path(spec.origin).parent / "plugins" / "sparql" / "parser.py").stat()
    return f"spasmkg {__version__}, rdflib parser {parser.st_size}-{parser.st_mtime_ns}"


def outlines_path() -> Path:
    """The file of remembered outlines."""
    return cache_folder() / FILE


def text_key(text: str) -> str:
    """The key of a query text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_outlines() -> dict[str, list[object]]:
    """The outlines remembered for these versions, or none when the file is missing, foreign,
    damaged or of other versions."""
    path = outlines_path()
    try:
        check_owner(path)
        found = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, ForeignEntry):
        return {}
    if not isinstance(found, dict) or found.get("versions") != versions():
        return {}
    outlines = found.get("outlines")
    return outlines if isinstance(outlines, dict) else {}


def remembered(text: str) -> Outline | None:
    """The outline remembered for a text, if a well-formed one is."""
    found = read_outlines().get(text_key(text))
    if not (isinstance(found, list) and len(found) == 3 and isinstance(found[0], str)):
        return None
    parts = []
    for part in found[1:]:
        if not (isinstance(part, list) and all(isinstance(item, str) for item in part)):
            return None
        parts.append(tuple(str(item) for item in part))
    return found[0], parts[0], parts[1]


def remember(text: str, outline: Outline) -> None:
    """Keep a text's outline for the next process; a cache that cannot be written is skipped."""
    outlines = read_outlines()
    outlines.pop(text_key(text), None)
    outlines[text_key(text)] = [outline[0], list(outline[1]), list(outline[2])]
    kept = dict(list(outlines.items())[-LIMIT:])
    try:
        outlines_path().parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomically(outlines_path(), json.dumps({"versions": versions(), "outlines": kept}))
    except OSError:
        pass
