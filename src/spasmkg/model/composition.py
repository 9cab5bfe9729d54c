"""Which claims may be put together into a chain, as the ontology declares it.

Each relation a chain may follow has a role (``skgo:chainRole``): causal, efficacy, mechanism
or class link. A role names the roles that may follow it (``skgo:mayBeFollowedBy``; class
links are passed over when the roles around them are compared), and whether a claim of that
role made about a class or an ingredient may reach a member or a product
(``skgo:passesAlongClassLink``): marked as inherited, or only when the claim is shown for the
class as a whole. Explain and the page read these rules; neither hard-codes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spasmkg.model.iris import BASE

if TYPE_CHECKING:  # the rules are read from the ontology once, then kept in compiled records
    from rdflib import Graph

CLASS_LINK = BASE + "ontology/classStep"
ONLY_CLASS_WIDE = BASE + "ontology/passesOnlyClassWide"


@dataclass(frozen=True)
class ChainRules:
    """The ontology's composition rules: roles of relations, what may follow what, and what a
    class link may pass on (all keyed by IRI)."""

    role: Mapping[str, str]
    follows: Mapping[str, frozenset[str]]
    passes: Mapping[str, str]

    @classmethod
    def of(cls, ontology: Graph) -> ChainRules:
        """The rules as the ontology declares them."""
        from spasmkg.model.namespaces import SKGO

        follows: dict[str, set[str]] = {}
        for before, after in ontology.subject_objects(SKGO.mayBeFollowedBy):
            follows.setdefault(str(before), set()).add(str(after))
        return cls(
            role={str(r): str(role) for r, role in ontology.subject_objects(SKGO.chainRole)},
            follows={role: frozenset(after) for role, after in follows.items()},
            passes={
                str(role): str(rule)
                for role, rule in ontology.subject_objects(SKGO.passesAlongClassLink)
            },
        )

    def is_class_link(self, relation: str) -> bool:
        """True for a relation that links a member to its class or a product to its ingredient."""
        return self.role.get(relation) == CLASS_LINK

    def may_follow(self, before: str | None, relation: str) -> bool:
        """True when a step of ``relation`` may come after the last role that was not a class
        link (``None`` at the start of a chain)."""
        role = self.role.get(relation)
        if role is None:
            return False
        if role == CLASS_LINK or before is None:
            return True
        return role in self.follows.get(before, frozenset())

    def needs_class_wide(self, relation: str) -> bool:
        """True when a claim of this relation reaches a member only if shown class-wide."""
        return self.passes.get(self.role.get(relation, ""), "") == ONLY_CLASS_WIDE

    def as_dict(self) -> dict[str, object]:
        """Plain data for the page, which applies the same rules in the browser."""
        return {
            "role": dict(sorted(self.role.items())),
            "follows": {role: sorted(after) for role, after in sorted(self.follows.items())},
            "passes": dict(sorted(self.passes.items())),
            "class_link": CLASS_LINK,
            "only_class_wide": ONLY_CLASS_WIDE,
        }
