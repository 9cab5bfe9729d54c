"""Validate spasmkg's KGX files with kgx itself and read them back into NetworkX, offline.

Runs in the kgx environment (see requirements.txt), not spasmkg's:

    .kgx-venv/bin/python tests/kgx/check.py FOLDER

Prints one JSON document: the validator's errors by level, type and message (every entity
named, not only the last), the Biolink version it checked against, the counts kgx read, and
the attributes of every edge kgx read, keyed by edge id (kgx keys the edges of its graph by
subject, predicate and object, so edges that share those come back as one).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import offline  # noqa: F401  (before kgx)
from kgx.error_detection import MessageLevel
from kgx.transformer import Transformer
from kgx.validator import Validator


class CollectingValidator(Validator):  # type: ignore[misc]
    """kgx 2.7.0 keeps only the last entity of each message (twice); this keeps all, once."""

    def log_error(
        self, entity: Any, error_type: Any, message: str, message_level: Any = MessageLevel.ERROR
    ) -> None:
        found = self.errors.setdefault(message_level.name, {}).setdefault(error_type.name, {})
        entities = found.setdefault(message, [])
        if str(entity).strip() not in entities:
            entities.append(str(entity).strip())


def main(folder: Path) -> None:
    """Validate, then read back, the TSV files of one export."""
    files = [str(folder / "spasmkg_nodes.tsv"), str(folder / "spasmkg_edges.tsv")]
    validator = CollectingValidator()
    # spasmkg's own prefix for nodes without an outside identifier, as the README declares it;
    # kgx knows only the prefixes of Biolink's JSON-LD context
    validator.prefixes.add("skg")
    Transformer(stream=True).transform(
        input_args={"filename": files, "format": "tsv"},
        output_args={"format": "null"},
        inspector=validator,
    )
    reader = Transformer()
    reader.transform(input_args={"filename": files, "format": "tsv"})
    graph = reader.store.graph.graph  # a networkx MultiDiGraph
    edges = {data["id"]: data for _, _, data in graph.edges(data=True)}
    json.dump(
        {
            "biolink": Validator.get_toolkit().get_model_version(),
            "errors": validator.get_errors(),
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "edge": edges,
        },
        sys.stdout,
        default=str,
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
