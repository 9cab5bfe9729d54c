"""Which plain triple a claim may have, so that no plain triple says more than its claim."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node

from spasmkg.model.namespaces import SKGO


def plain_predicate(
    asserted: Graph, claim: Node, predicate: URIRef, hedged: dict[Node, Node]
) -> Node | None:
    """The predicate of a claim's plain triple, or None when a plain triple would say more.

    A claim bound to a context, or with evidence that refutes it or leaves it open, has no
    plain triple: only the claim node carries it, with its qualifiers. A claim stated as fact
    keeps its relation; a possible or typical one takes the relation's hedged form
    (``skgo:causes`` becomes ``skgo:mayCause``), or has no plain triple if there is none.
    """
    if asserted.value(claim, SKGO.inContext) is not None:
        return None
    directions = {
        asserted.value(item, SKGO.direction) for item in asserted.objects(claim, SKGO.hasEvidence)
    }
    if directions - {SKGO.supports}:
        return None
    if asserted.value(claim, SKGO.modality) == SKGO.stated:
        return predicate
    return hedged.get(predicate)
