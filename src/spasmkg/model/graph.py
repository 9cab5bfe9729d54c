"""The loaded knowledge graph: its named RDF graphs, and the typed records read from them.

Nothing changes a KnowledgeGraph after :func:`spasmkg.load` returns it: the RDF graphs are
read, never written (validation works on copies), and the records are frozen.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from rdflib.term import Node

from spasmkg.model.composition import ChainRules
from spasmkg.model.curie import one_name_each
from spasmkg.model.layers import CORE, LAYERS, Layer
from spasmkg.model.names import NameIndex
from spasmkg.model.namespaces import (
    ASSERTED_GRAPH,
    INFERRED_GRAPH,
    MAPPINGS_GRAPH,
    ONTOLOGY_GRAPH,
    SKGO,
)
from spasmkg.model.paths import DataPaths
from spasmkg.model.records import Claim, Entity, Source, Term
from spasmkg.model.sssom import MappingSet
from spasmkg.model.terms import oxigraph_quads
from spasmkg.model.view import View, build_view


def bind_prefixes(target: Graph, source: Graph) -> None:
    """Copy prefix bindings so serialisations use the curators' CURIEs."""
    for prefix, namespace in source.namespaces():
        target.bind(prefix, namespace, override=True, replace=True)


class Queryable(Protocol):
    """What answering a query needs of a graph; a KnowledgeGraph and its compiled form
    (:class:`spasmkg.model.compiled.QueryGraph`) both have it."""

    @property
    def paths(self) -> DataPaths:
        """The data folder, for its named queries."""
        ...

    @property
    def store(self) -> ox.Store:
        """A pyoxigraph store of the named graphs."""
        ...

    @property
    def labels(self) -> dict[str, str]:
        """The label of every node people may meet in a result, keyed by IRI."""
        ...

    def entity(self, name_or_id: str) -> Entity:
        """The one entity a name or identifier names."""
        ...

    def union(self) -> Graph:
        """Every triple in one rdflib graph, for rdflib's engine."""
        ...


@dataclass(frozen=True, eq=False)
class LayerGraphs:
    """An imported layer as loaded: its registry row, its triples, and what the loader derived
    from them (standings, plain triples)."""

    layer: Layer
    asserted: Graph
    inferred: Graph

    @property
    def version(self) -> str:
        """The release of its source the layer holds, as its file states it."""
        stated = self.asserted.value(self.layer.graph, DCTERMS.hasVersion)
        return str(stated) if stated is not None else ""


@dataclass(frozen=True, eq=False)
class KnowledgeGraph:
    """The graph as loaded from one data folder: named RDF graphs and the records they hold."""

    paths: DataPaths
    ontology: Graph
    asserted: Graph
    inferred: Graph
    mappings: Graph
    mapping_set: MappingSet | None = None
    files: tuple[Path, ...] = ()
    #: the imported layers loaded beside the core, in registry order (none with ``layer="core"``)
    imports: tuple[LayerGraphs, ...] = ()
    #: pyoxigraph's triples of the graphs read from files, by graph IRI, to fill the store with
    parsed: Mapping[str, Sequence[Any]] = field(default_factory=dict, repr=False)
    _unions: dict[bool, Graph] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Path:
        """The data folder the graph was loaded from."""
        return self.paths.root

    @cached_property
    def view(self) -> View:
        """The typed records, built on first use and then shared."""
        return build_view(
            self.ontology,
            self.asserted,
            self.mapping_set,
            [(loaded.layer, loaded.asserted) for loaded in self.imports],
        )

    @cached_property
    def chain_rules(self) -> ChainRules:
        """The ontology's rules for putting claims together into chains."""
        return ChainRules.of(self.ontology)

    @cached_property
    def urgency_ranks(self) -> Mapping[str, int]:
        """Each triage tier of the ontology (``emergency`` ... ``selfCare``) with its rank, the
        most urgent highest."""
        return {
            str(node).rsplit("/", 1)[1]: int(str(self.ontology.value(node, SKGO.rank) or 0))
            for node in sorted(self.ontology.subjects(RDF.type, SKGO.Urgency), key=str)
        }

    @property
    def entities(self) -> tuple[Entity, ...]:
        """Every entity and guidance node, sorted by IRI."""
        return tuple(self.view.entities.values())

    @property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim, sorted by IRI."""
        return tuple(self.view.claims.values())

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source, sorted by IRI."""
        return tuple(self.view.sources.values())

    @property
    def relations(self) -> tuple[Term, ...]:
        """The relations a claim may state (``has adverse effect``, ``is a kind of`` ...)."""
        return tuple(self.view.relations.values())

    @cached_property
    def names(self) -> NameIndex:
        """Every name of every entity, for look-ups."""
        return NameIndex.of(self.entities)

    def entity(self, name_or_id: str) -> Entity:
        """The one entity a label, synonym, name, CURIE, IRI or outside identifier names.

        :raises UnknownEntity: nothing, or more than one entity, matches.
        """
        return self.names.resolve(name_or_id)

    def find(self, term: str) -> list[Entity]:
        """Every entity a term names, closest first.

        :raises UnknownEntity: nothing matches; the message suggests close names.
        """
        return self.names.find(term)

    def claims_about(self, entity: Entity | str) -> tuple[Claim, ...]:
        """The claims an entity takes part in, as subject or object."""
        found = entity if isinstance(entity, Entity) else self.entity(entity)
        return self.view.claims_by_node.get(found.iri, ())

    def claims_in_context(self, entity: Entity | str) -> tuple[Claim, ...]:
        """The claims that hold in an entity's context (what relieves spasms in multiple
        sclerosis is part of the story of multiple sclerosis, though it is neither end)."""
        found = entity if isinstance(entity, Entity) else self.entity(entity)
        return self.view.claims_by_context.get(found.iri, ())

    def union(self, *, inferred: bool = True) -> Graph:
        """All triples in one graph for querying; ``inferred=False`` leaves out derived triples.

        Built once per choice and shared, so callers must not change it.
        """
        if inferred not in self._unions:
            merged = Graph(bind_namespaces="none")
            parts = [self.ontology, self.asserted, self.mappings]
            parts += [self.inferred] if inferred else []
            for loaded in self.imports:
                parts += [loaded.asserted, loaded.inferred] if inferred else [loaded.asserted]
            for part in parts:
                merged += part
                bind_prefixes(merged, part)
            self._unions[inferred] = merged
        return self._unions[inferred]

    @cached_property
    def store(self) -> ox.Store:
        """A pyoxigraph store of the named graphs, for the query engine, checks and writers.

        Built once and shared, so callers must not change it; its default graph is empty
        (query it with ``use_default_graph_as_union``).
        """
        store = ox.Store()
        for name, graph in self.named_graphs():
            target = ox.NamedNode(str(name))
            triples = self.parsed.get(str(name))
            if triples is None:
                store.extend(oxigraph_quads(graph, target))
            else:
                store.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
        return store

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """The prefixes the files bind (a later graph's binding of a prefix wins), one name
        per namespace, the one spasmkg's CURIEs use where it has one, sorted: what every
        document spasmkg writes declares, as it needs them."""
        found: dict[str, str] = {}
        for _, graph in self.named_graphs():
            found.update((prefix, str(ns)) for prefix, ns in graph.namespaces() if prefix)
        return one_name_each(found)

    def named_graphs(self) -> Iterator[tuple[URIRef, Graph]]:
        """Each named graph with its IRI, in a fixed order."""
        yield ONTOLOGY_GRAPH, self.ontology
        yield ASSERTED_GRAPH, self.asserted
        yield INFERRED_GRAPH, self.inferred
        yield MAPPINGS_GRAPH, self.mappings
        for loaded in self.imports:
            yield loaded.layer.graph, loaded.asserted
            yield loaded.layer.inferred_graph, loaded.inferred

    @property
    def layers(self) -> tuple[Layer, ...]:
        """The layers loaded: the core, then the imported ones."""
        return (LAYERS[CORE], *(loaded.layer for loaded in self.imports))

    @property
    def layer(self) -> str:
        """The layers loaded, as a ``--layer`` choice names them (``core``, ``core,hpo``)."""
        return ",".join(row.name for row in self.layers)

    @cached_property
    def labels(self) -> dict[str, str]:
        """The label of every node people may meet in a result, keyed by IRI."""
        found = {str(node): str(label) for node, label in self.ontology.subject_objects(RDFS.label)}
        found.update((s.iri, s.label) for s in self.sources)
        found.update((e.iri, e.label) for e in self.entities)
        for entity in self.entities:
            for identifier in entity.identifiers:
                if identifier.label:
                    found.setdefault(identifier.iri, identifier.label)
        return found

    def is_inferred(self, triple: tuple[Node, Node, Node]) -> bool:
        """True when a triple was derived from a claim rather than written by a curator."""
        if triple in self.inferred:
            return triple not in self.asserted
        return any(
            triple in loaded.inferred and triple not in loaded.asserted for loaded in self.imports
        )
