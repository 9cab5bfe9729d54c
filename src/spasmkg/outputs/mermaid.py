"""Mermaid flowcharts to paste into Markdown, issues and papers: explain's chains, or a
neighbourhood of the page.

Every label is written inside quotes with each character Mermaid's syntax could read (quotes,
brackets, pipes, ``#``, ``;``, ``<`` ...) as a numeric entity code (``#34;``), so no label can
end its node, open a link or add a ``click`` directive; Mermaid turns the codes back into
the characters when it draws.
"""

from __future__ import annotations

from collections.abc import Iterable

from spasmkg.ask.explain import Chain, Step
from spasmkg.model.records import Claim, Entity
from spasmkg.outputs.page import Selection, shown

#: Characters a label keeps as they are; every other one becomes an entity code.
PLAIN = frozenset(" ,.()-/+'")
LABEL_LIMIT = 80


def escape(text: str, limit: int = LABEL_LIMIT) -> str:
    """A label as Mermaid may read it between quotes: letters, digits and a few marks as they
    are, anything else as ``#NNN;``; cleaned and bounded as the page's labels are."""
    return "".join(c if c.isalnum() or c in PLAIN else f"#{ord(c)};" for c in shown(text, limit))


def certainty(claim: Claim) -> str:
    """How sure a claim is, in a few words: its standing, its hedge where the evidence backs
    it, and its best grade, if graded."""
    graded = [item.certainty.label for item in claim.support if item.certainty]
    words = [claim.standing.label]
    words += [claim.shown_modality.label] if claim.shown_modality else []
    return ", ".join(words + graded[:1])


def step_link(step: Step, source: str, target: str, weakest: bool) -> str:
    """One step as a labelled arrow; the weakest step of a chain is dotted."""
    label = f"{step.relation.label} ({certainty(step.best)})" + (
        " - weakest step" if weakest else ""
    )
    arrow = "-.->" if weakest else "-->"
    return f'  {source} {arrow}|"{escape(label, 120)}"| {target}'


def node(name: str, entity: Entity) -> str:
    """One node with its label."""
    return f'  {name}["{escape(entity.label)}"]'


def chains_chart(chains: Iterable[Chain], source: str, target: str) -> str:
    """Explain's chains, each in a box of its own, surest first."""
    lines = ["flowchart LR", f"  %% spasmkg explain: {escape(source)} to {escape(target)}"]
    for number, chain in enumerate(chains, start=1):
        hedge = f", {chain.modality.label}" if chain.modality else ""
        title = f"{number}. {chain.standing.label}{hedge}"
        lines.append(f'  subgraph chain{number} ["{escape(title)}"]')
        entities = [chain.steps[0].subject, *(step.object for step in chain.steps)]
        lines += [node(f"c{number}n{index}", entity) for index, entity in enumerate(entities)]
        for index, step in enumerate(chain.steps):
            weakest = index == chain.weakest and len(chain.steps) > 1
            lines.append(step_link(step, f"c{number}n{index}", f"c{number}n{index + 1}", weakest))
        lines.append("  end")
    return "\n".join(lines) + "\n"


def selection_chart(selection: Selection) -> str:
    """A drawn part of the graph: its entities and the claims between them, each arrow with
    its relation and how sure the claim is."""
    names = {entity.iri: f"n{index}" for index, entity in enumerate(selection.entities)}
    lines = ["flowchart LR", f"  %% {escape(selection.heading, 200)}"]
    lines += [node(names[entity.iri], entity) for entity in selection.entities]
    for claim in selection.claims:
        label = f"{claim.predicate.label} ({certainty(claim)})"
        if claim.context is not None:
            label += f" in {claim.context.label}"
        lines.append(
            f'  {names[claim.subject.iri]} -->|"{escape(label, 120)}"| {names[claim.object.iri]}'
        )
    return "\n".join(lines) + "\n"
