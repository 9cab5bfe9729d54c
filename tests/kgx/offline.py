"""Let kgx 2.7.0 and bmt run with no network, on the schema the biolink-model package ships.

Import before anything of kgx: kgx builds a bmt Toolkit when it is imported, and bmt's
Toolkit downloads the Biolink schema and predicate map from GitHub by default; kgx's readers
and validator also fetch JSON-LD contexts. kgx has no option for a local schema (its
``--biolink-release`` only names a GitHub tag), so the Toolkit is pointed at the packaged
schema here, and kgx's contexts at the copies biolink-model and prefixcommons ship. bmt's
constructor only sets ``view`` and ``pmap`` (1.4 and 1.5 alike); a remote schema is refused.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import bmt.toolkit
from linkml_runtime.utils.schemaview import SchemaView

SCHEMA = str(files("biolink_model") / "schema" / "biolink_model.yaml")
PREFIX_MAP = files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json"
CONTEXTS = files("prefixcommons") / "registry"
#: validation never reads the predicate map; the biolink-model package ships none
NO_PREDICATE_MAP: dict[str, Any] = {"predicate mappings": []}


def local_toolkit(self: Any, schema: Any = SCHEMA, predicate_map: Any = None, **_: Any) -> None:
    """bmt's Toolkit on a local schema only."""
    if isinstance(schema, str) and schema.startswith(("http://", "https://")):
        raise RuntimeError(f"refusing to fetch the Biolink schema from {schema}")
    self.view = SchemaView(schema)
    self.pmap = predicate_map if isinstance(predicate_map, dict) else NO_PREDICATE_MAP


bmt.toolkit.Toolkit.__init__ = local_toolkit  # type: ignore[method-assign]

import kgx.config  # noqa: E402  (builds no Toolkit)

kgx.config.jsonld_context_map["biolink"] = json.loads(PREFIX_MAP.read_text("utf-8"))
for name in ("monarch_context", "obo_context"):
    context = json.loads((CONTEXTS / f"{name}.jsonld").read_text("utf-8"))
    kgx.config.jsonld_context_map[name] = context["@context"]
