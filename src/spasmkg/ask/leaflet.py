"""A ``why`` answer as a careful leaflet, in plain text or Markdown: the warning signs first,
every line with its source, nothing said more strongly than its claim, and a closing line that
it is information, not a diagnosis."""

from __future__ import annotations

from collections.abc import Iterable

from spasmkg.ask.why import NOTICE, Measure, Reason, RedFlag, WhyAnswer
from spasmkg.model.records import Claim, EvidenceItem

#: How a leaflet says a claim's standing.
STANDING_WORDS = {
    "supported": "the evidence supports it",
    "mixed": "the evidence is mixed",
    "unsettled": "not shown: the evidence is unsettled",
    "notSupported": "the evidence speaks against it",
}


def cited(items: Iterable[EvidenceItem], limit: int = 2) -> str:
    """The first sources of some evidence items, as a short citation."""
    names = list(dict.fromkeys(item.source.citation for item in items))
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return "; ".join(names[:limit]) + more


def claim_source(claim: Claim) -> str:
    """A claim's strongest sources, in the direction of its standing."""
    wanted = "supports" if claim.holds else None
    items = [i for i in claim.evidence if wanted is None or i.direction == wanted]
    return cited(items or claim.evidence)


def flag_line(flag: RedFlag) -> str:
    """One warning sign: its tier, what to look for, what to do, where it comes from."""
    return (
        f"[{flag.tier}] {flag.sign.label}: {flag.sign.definition} "
        f"(source: {cited(i for c in flag.claims for i in c.evidence)})"
    )


def reason_line(reason: Reason) -> str:
    """One reason: its route, how it stands, its context and its weakest step's sources."""
    chain = reason.chain
    hedge = f", {chain.modality.label}" if chain.modality else ""
    where = f"; only in {chain.context.label}" if chain.context else ""
    inherited = "; through a class it belongs to" if chain.inherited else ""
    weakest = chain.steps[chain.weakest].best
    return (
        f"{chain.route} ({STANDING_WORDS[chain.standing.name]}{hedge}{where}{inherited}; "
        f"source: {claim_source(weakest)})"
    )


def measure_line(measure: Measure) -> str:
    """One treatment or measure with how its evidence stands and its sources."""
    claim = measure.claim
    where = f" (in {claim.context.label})" if claim.context else ""
    harms = (
        f"; it can cause {', '.join(harm.object.label for harm in measure.harms)} (ask a doctor"
        " or pharmacist)"
        if measure.harms
        else ""
    )
    return (
        f"{claim.subject.label} for {claim.object.label}{where}: "
        f"{STANDING_WORDS[claim.standing.name]}{harms} (source: {claim_source(claim)})"
    )


def sections(answer: WhyAnswer) -> list[tuple[str, list[str]]]:
    """The leaflet's sections as headings and lines, in reading order."""
    own = [r for r in answer.explanations if r.came_from is not None]
    general = [r for r in answer.explanations if r.came_from is None]
    understood = [
        f"'{r.term}' read as {r.entity.label} ({r.how}"
        + (f"; could also mean {', '.join(r.others)}" if r.others else "")
        + (f"; {r.other_senses}" if r.other_senses else "")
        + ")"
        for r in [answer.symptom, *answer.understood]
    ]
    understood += [f"'{m['input']}' not understood: {m['reason']}" for m in answer.not_understood]
    return [
        ("Get help if", [flag_line(f) for f in answer.red_flags]),
        (
            "Possible reasons from what you take or have",
            [f"{r.came_from}: {reason_line(r)}" for r in own],
        ),
        ("Other common reasons", [reason_line(r) for r in general]),
        (
            "Rare conditions that can cause it (only a doctor can tell)",
            [
                f"{c.disease.label} (accounts for: {', '.join(c.accounts_for) or 'the symptom'})"
                for c in answer.rare_causes
            ],
        ),
        ("May help", [measure_line(m) for m in answer.may_help]),
        ("Does not help, or is not shown to", [measure_line(m) for m in answer.does_not_help]),
        (
            "It may not be what it seems",
            [
                f"{m.condition.label} can be mistaken for {m.claim.object.label}: {m.claim.note}"
                + (f" [{m.tier}]" if m.tier else "")
                for m in answer.mimics
            ],
        ),
        ("How your words were read", understood),
    ]


def leaflet_text(answer: WhyAnswer) -> str:
    """The answer as plain text."""
    lines = [f"Why might I have {answer.symptom.entity.label}?"]
    for heading, entries in sections(answer):
        if entries:
            lines += ["", f"{heading}:", *(f"  - {entry}" for entry in entries)]
    lines += ["", NOTICE]
    return "\n".join(lines) + "\n"


def leaflet_markdown(answer: WhyAnswer) -> str:
    """The answer as Markdown."""
    lines = [f"# Why might I have {answer.symptom.entity.label}?"]
    for heading, entries in sections(answer):
        if entries:
            lines += ["", f"## {heading}", "", *(f"- {entry}" for entry in entries)]
    lines += ["", f"*{NOTICE}*"]
    return "\n".join(lines) + "\n"
