"""What ``why`` and ``explain`` read of a graph, and that part of it on its own.

Asking why a symptom happens reads the typed records (entities, the claims with their evidence
and standing, each node's claims), the ontology's chain rules, the names and the ranks of the
triage tiers; never the RDF. A loaded :class:`spasmkg.model.graph.KnowledgeGraph` gives them,
and so does an :class:`AskGraph`, which holds nothing else and is what a compiled entry keeps
(see :mod:`spasmkg.model.compiled`), so a cold ``spasmkg why`` parses no Turtle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from spasmkg.model.composition import ChainRules
from spasmkg.model.names import NameIndex
from spasmkg.model.records import Claim, Entity

if TYPE_CHECKING:
    from spasmkg.model.graph import KnowledgeGraph


class RecordIndex(Protocol):
    """The records by IRI that asking reads (a :class:`spasmkg.model.view.View` has them)."""

    @property
    def entities(self) -> Mapping[str, Entity]:
        """Every entity and guidance node."""
        ...

    @property
    def claims_by_node(self) -> Mapping[str, tuple[Claim, ...]]:
        """The claims each node takes part in, as subject or object."""
        ...


class Askable(Protocol):
    """What ``why`` and ``explain`` need of a graph: a KnowledgeGraph and an AskGraph alike."""

    @property
    def view(self) -> RecordIndex:
        """The records by IRI."""
        ...

    @property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim, sorted by IRI."""
        ...

    @property
    def chain_rules(self) -> ChainRules:
        """The ontology's rules for putting claims together into chains."""
        ...

    @property
    def names(self) -> NameIndex:
        """Every name of every entity, for reading what people type."""
        ...

    @property
    def urgency_ranks(self) -> Mapping[str, int]:
        """Each triage tier (``emergency`` ... ``selfCare``) with its rank, the most urgent
        highest."""
        ...

    def entity(self, name_or_id: str) -> Entity:
        """The one entity a name or identifier names."""
        ...


@dataclass(frozen=True)
class Records:
    """The records asking reads, by IRI (the part of a View it needs)."""

    entities: Mapping[str, Entity]
    claims: Mapping[str, Claim]
    claims_by_node: Mapping[str, tuple[Claim, ...]]
    claims_by_context: Mapping[str, tuple[Claim, ...]]


@dataclass(frozen=True, eq=False)
class AskGraph:
    """A graph as asking needs it, and no more: records, chain rules, names, tier ranks."""

    layer: str
    view: Records
    chain_rules: ChainRules
    names: NameIndex
    urgency_ranks: Mapping[str, int]
    #: True when it was read from a compiled entry rather than loaded from the files
    from_cache: bool = False

    @property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim, sorted by IRI."""
        return tuple(self.view.claims.values())

    def entity(self, name_or_id: str) -> Entity:
        """The one entity a name or identifier names (see :meth:`NameIndex.resolve`)."""
        return self.names.resolve(name_or_id)

    @classmethod
    def of(cls, kg: KnowledgeGraph) -> AskGraph:
        """What asking needs of a loaded graph (shares its records)."""
        view = kg.view
        records = Records(view.entities, view.claims, view.claims_by_node, view.claims_by_context)
        return cls(kg.layer, records, kg.chain_rules, kg.names, kg.urgency_ranks)

    def state(self) -> dict[str, Any]:
        """Plain containers of the records, for a compiled entry (see :meth:`from_state`)."""
        return {
            "layer": self.layer,
            "entities": dict(self.view.entities),
            "claims": dict(self.view.claims),
            "claims_by_node": dict(self.view.claims_by_node),
            "claims_by_context": dict(self.view.claims_by_context),
            "chain_rules": self.chain_rules,
            "names": self.names,
            "urgency_ranks": dict(self.urgency_ranks),
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> AskGraph:
        """The graph :meth:`state` described, read-only again.

        :raises TypeError: the state is not one :meth:`state` wrote.
        """
        if not isinstance(state.get("names"), NameIndex) or not isinstance(
            state.get("chain_rules"), ChainRules
        ):
            raise TypeError("not the records of a compiled graph")
        records = Records(
            *(
                MappingProxyType(dict(state[key]))
                for key in ("entities", "claims", "claims_by_node", "claims_by_context")
            )
        )
        return cls(
            str(state["layer"]),
            records,
            state["chain_rules"],
            state["names"],
            MappingProxyType(dict(state["urgency_ranks"])),
            from_cache=True,
        )
