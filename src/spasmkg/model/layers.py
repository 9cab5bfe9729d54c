"""The registry of layers: the input side's twin of the outputs registry.

A layer is a body of triples with one origin: the curated core, or a layer imported from an
outside resource and kept as a generated file under ``graph/imports/``. Its row names its
named graphs, the files it is read from, the information resource KGX credits its edges to,
its licence and attribution, and the function that regenerates it (``spasmkg import NAME``).
Loading, the records, explain, the page, the site, KGX and the build report read the rows;
adding a source is a module that writes its file and a row here (see :func:`register`).

An opt-in layer is left out of ``all`` and loaded only when named: ``hpo-movement``, the HPO
layer grown to spasticity and dystonia, would make every cold command slower. A layer that
holds another whole *replaces* it when both are chosen (``all,hpo-movement`` loads the core and
``hpo-movement``), so no triple is loaded twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from spasmkg.errors import UsageError
from spasmkg.model.paths import DataPaths

if TYPE_CHECKING:  # the graphs' IRIs are rdflib's, imported where they are asked for
    from rdflib import URIRef

#: spasmkg's own licence, for the core and everything derived from it.
SPASMKG_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
CORE = "core"
#: The layer choice that means every registered layer but the opt-in ones.
ALL = "all"
#: The HPO's terms of use (its own licence page, as hp.obo's header names it) and the
#: attribution they ask for, shared by the HPO layers.
HPO_LICENCE = "https://hpo.jax.org/app/license"
HPO_ATTRIBUTION = (
    "This product uses the Human Phenotype Ontology; find out more at "
    "http://www.human-phenotype-ontology.org. Cite: Gargano MA et al. The Human "
    "Phenotype Ontology in 2024: phenotypes around the world. Nucleic Acids Res "
    "2024;52(D1):D1333-D1346. doi:10.1093/nar/gkad1005"
)


@dataclass(frozen=True)
class Layer:
    """One layer: where its triples come from, where they go, and whose terms they keep."""

    name: str
    title: str
    #: the files it is read from, as patterns under the data root (``graph/imports/hpo.ttl``)
    files: tuple[str, ...]
    #: the information resource its claims are credited to (KGX ``primary_knowledge_source``)
    infores: str
    licence: str
    attribution: str = ""
    #: ``module:function`` that regenerates its file from outside resources, called with the
    #: loaded core and ``check=``; empty for the curated core
    builder: str = ""
    #: left out of ``all``: loaded only when named
    opt_in: bool = False
    #: the layer this one holds whole, and so takes the place of when both are chosen
    replaces: str = ""

    @property
    def graph(self) -> URIRef:
        """The named graph of its triples (the core keeps ``graph/asserted``)."""
        from spasmkg.model.namespaces import ASSERTED_GRAPH, GRAPH

        return ASSERTED_GRAPH if self.name == CORE else GRAPH[self.name]

    @property
    def inferred_graph(self) -> URIRef:
        """The named graph of the triples the loader derives from it."""
        from spasmkg.model.namespaces import GRAPH, INFERRED_GRAPH

        return INFERRED_GRAPH if self.name == CORE else GRAPH[f"{self.name}-inferred"]

    @property
    def imported(self) -> bool:
        """True for a layer generated from an outside resource."""
        return self.name != CORE

    def paths(self, root: Path) -> list[Path]:
        """Its files under a data root, sorted so every load reads them in one order."""
        return sorted({path for pattern in self.files for path in root.glob(pattern)})


LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in (
        Layer(
            CORE,
            "the curated core",
            ("graph/*.ttl",),
            "infores:spasmkg",
            SPASMKG_LICENCE,
            "spasmkg curators; cite the sources each evidence item names",
        ),
        Layer(
            "hpo",
            "HPO disease annotations: spasm phenotypes",
            ("graph/imports/hpo.ttl",),
            "infores:hpo-annotations",
            HPO_LICENCE,
            HPO_ATTRIBUTION,
            "spasmkg.imports.layer_file:import_hpo",
        ),
        Layer(
            "hpo-movement",
            "HPO disease annotations: spasm, spasticity and dystonia phenotypes",
            ("graph/imports/hpo-movement.ttl",),
            "infores:hpo-annotations",
            HPO_LICENCE,
            HPO_ATTRIBUTION,
            "spasmkg.imports.layer_file:import_hpo_movement",
            opt_in=True,
            replaces="hpo",
        ),
        Layer(
            "hpo-lay",
            "HPO layperson names for the core's phenotypes",
            ("graph/imports/hpo-lay.ttl",),
            "infores:hpo",
            HPO_LICENCE,
            HPO_ATTRIBUTION,
            "spasmkg.imports.hpo_lay:import_hpo_lay",
        ),
    )
}


def register(layer: Layer) -> None:
    """Add a layer to the registry (a plug-in, or a test's fixture layer).

    :raises UsageError: the name is taken.
    """
    if layer.name in LAYERS or layer.name == ALL:
        raise UsageError(f"a layer named {layer.name!r} is already registered")
    LAYERS[layer.name] = layer


def unregister(name: str) -> None:
    """Take a layer out of the registry (the core stays)."""
    if name != CORE:
        LAYERS.pop(name, None)


def named_in(spec: str | Iterable[str]) -> list[str]:
    """The names a choice spells out (``all`` among them if given), in its order."""
    given = [spec] if isinstance(spec, str) else list(spec)
    return [name.strip() for item in given for name in item.split(",") if name.strip()]


def names_of(spec: str | Iterable[str]) -> list[str]:
    """The layer names a choice stands for: ``all`` (every layer but the opt-in ones), one
    name, a comma-separated list, or a list of names, which may join ``all`` to opt-in layers
    (``all,hpo-movement``); the core is always among them and comes first, and a layer that
    another chosen one replaces is left out.

    :raises UsageError: a name is not registered.
    """
    names = named_in(spec)
    unknown = [name for name in names if name not in LAYERS and name != ALL]
    if unknown:
        raise UsageError(
            f"unknown layer {unknown[0]!r}; choose {ALL}, or one or more of {', '.join(LAYERS)}"
        )
    if ALL in names:
        names = [*(name for name, row in LAYERS.items() if not row.opt_in), *names]
    picked = dict.fromkeys(name for name in names if name not in (ALL, CORE))
    replaced = {LAYERS[name].replaces for name in picked}
    return [CORE, *(name for name in picked if name not in replaced)]


def chosen(spec: str | Sequence[str]) -> tuple[Layer, ...]:
    """The registered layers a choice stands for, the core first."""
    return tuple(LAYERS[name] for name in names_of(spec))


def layer_of_graph(graph: str) -> str:
    """The name of the layer whose named graph (asserted or inferred) this is ("" if none)."""
    for layer in LAYERS.values():
        if graph in (str(layer.graph), str(layer.inferred_graph)):
            return layer.name
    return ""


def imported_layers(paths: DataPaths, layer: str | Sequence[str]) -> list[Layer]:
    """The imported layers a load of ``layer`` takes: with ``all``, every registered layer but
    the opt-in ones that has files in the data folder; named, each of them, which must have
    files.

    :raises UsageError: a layer is unknown, or named but has no file in the data folder.
    """
    found, named = [], set(named_in(layer))
    for row in chosen(layer):
        if not row.imported:
            continue
        if row.paths(paths.root):
            found.append(row)
        elif row.name in named:
            raise UsageError(
                f"layer {row.name!r} has no file in {paths.root} ({', '.join(row.files)});"
                f" run 'spasmkg import {row.name}'"
            )
    return found


def input_files(paths: DataPaths, layer: str | Sequence[str]) -> list[Path]:
    """Every file a load of ``layer`` reads, in the order it reads them."""
    mappings = [paths.mappings_file] if paths.mappings_file.exists() else []
    imports = [path for row in imported_layers(paths, layer) for path in row.paths(paths.root)]
    return [paths.ontology_file, *paths.graph_files(), *mappings, *imports]
