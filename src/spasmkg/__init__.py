"""spasmkg: a curated, provenance-rich knowledge graph of why muscles spasm."""

from spasmkg.errors import (
    DataNotFound,
    GraphSyntaxError,
    QueryError,
    SpasmKGError,
    UndeclaredTerm,
    UnknownEntity,
    ValidationFailed,
)
from spasmkg.loader import KnowledgeGraph, load

__version__ = "0.1.0"

__all__ = [
    "DataNotFound",
    "GraphSyntaxError",
    "KnowledgeGraph",
    "QueryError",
    "SpasmKGError",
    "UndeclaredTerm",
    "UnknownEntity",
    "ValidationFailed",
    "__version__",
    "load",
]
