"""``spasmkg import NAME``: regenerate an imported layer by the builder its registry row names."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

from spasmkg.errors import UsageError
from spasmkg.imports.layer_file import ImportReport
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.layers import LAYERS
from spasmkg.model.loader import load

Builder = Callable[..., ImportReport]


def importable() -> list[str]:
    """The layers that can be regenerated (those with a builder), in registry order."""
    return [name for name, layer in LAYERS.items() if layer.builder]


def builder_of(name: str) -> Builder:
    """The function that regenerates a layer.

    :raises UsageError: no layer of that name can be imported.
    """
    layer = LAYERS.get(name)
    if layer is None or not layer.builder:
        raise UsageError(f"no layer {name!r} to import; choose one of {', '.join(importable())}")
    module, _, function = layer.builder.partition(":")
    return cast(Builder, getattr(importlib.import_module(module), function))


def import_layer(name: str, root: Path | str | None = None, *, check: bool = False) -> ImportReport:
    """Regenerate a layer's committed file from outside resources, or with ``check`` only
    compare it with a fresh import (the core is loaded to link the layer to).

    :raises StaleImport: with ``check``, the committed file differs from a fresh import.
    """
    core: KnowledgeGraph = load(root, layer="core")
    return builder_of(name)(core, check=check)
