"""spasmkg: a curated, provenance-rich knowledge graph of why muscles spasm.

The library API is loaded on first use, so that ``import spasmkg`` (and every command) stays
quick:

>>> import spasmkg
>>> kg = spasmkg.load()
>>> kg.entity("furosemide").label
'furosemide'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from spasmkg.errors import (
    DataNotFound,
    EndpointError,
    GraphSyntaxError,
    QueryError,
    QueryRefused,
    SpasmKGError,
    UndeclaredTerm,
    UnknownEntity,
    ValidationFailed,
)
from spasmkg.version import __version__

if TYPE_CHECKING:
    from spasmkg.ask.answer import query
    from spasmkg.ask.associations import associations
    from spasmkg.ask.explain import explain
    from spasmkg.ask.hierarchy import ancestors, descendants
    from spasmkg.ask.lookup import lookup, search
    from spasmkg.ask.normalize import normalize
    from spasmkg.ask.why import why
    from spasmkg.checks.validate import validate
    from spasmkg.model.graph import KnowledgeGraph
    from spasmkg.model.loader import load
    from spasmkg.model.records import Claim, Entity, EvidenceItem, Source
    from spasmkg.outputs.build import build
    from spasmkg.outputs.network import to_networkx
    from spasmkg.outputs.page import write_page

#: Where each name of the library API lives.
LAZY = {
    "query": "spasmkg.ask.answer",
    "associations": "spasmkg.ask.associations",
    "explain": "spasmkg.ask.explain",
    "ancestors": "spasmkg.ask.hierarchy",
    "descendants": "spasmkg.ask.hierarchy",
    "lookup": "spasmkg.ask.lookup",
    "search": "spasmkg.ask.lookup",
    "normalize": "spasmkg.ask.normalize",
    "why": "spasmkg.ask.why",
    "validate": "spasmkg.checks.validate",
    "KnowledgeGraph": "spasmkg.model.graph",
    "load": "spasmkg.model.loader",
    "Claim": "spasmkg.model.records",
    "Entity": "spasmkg.model.records",
    "EvidenceItem": "spasmkg.model.records",
    "Source": "spasmkg.model.records",
    "build": "spasmkg.outputs.build",
    "to_networkx": "spasmkg.outputs.network",
    "write_page": "spasmkg.outputs.page",
}

__all__ = [
    "Claim",
    "DataNotFound",
    "EndpointError",
    "Entity",
    "EvidenceItem",
    "GraphSyntaxError",
    "KnowledgeGraph",
    "QueryError",
    "QueryRefused",
    "Source",
    "SpasmKGError",
    "UndeclaredTerm",
    "UnknownEntity",
    "ValidationFailed",
    "__version__",
    "ancestors",
    "associations",
    "build",
    "descendants",
    "explain",
    "load",
    "lookup",
    "normalize",
    "query",
    "search",
    "to_networkx",
    "validate",
    "why",
    "write_page",
]


def __getattr__(name: str) -> Any:
    """Import a name of the library API the first time it is used."""
    if name not in LAZY:
        raise AttributeError(f"module 'spasmkg' has no attribute {name!r}")
    value = getattr(importlib.import_module(LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
