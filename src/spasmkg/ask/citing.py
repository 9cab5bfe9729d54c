"""Evidence as terminal text: which way each item points, how sure its source is, and where
to read it, so that every answer can be checked."""

from __future__ import annotations

from spasmkg.model.records import QUALIFIERS, Claim, EvidenceItem

#: The sign put before an item: backs the claim, refutes it, or leaves it open.
DIRECTION_SIGN = {"supports": "+", "refutes": "-", "inconclusive": "?"}
#: The qualifiers shown under an item's citation (its finding comes first, on a line of its own).
UNDER_CITATION = tuple(key for key in QUALIFIERS if key != "finding")


def one_line(value: str | tuple[str, ...]) -> str:
    """A qualifier's value on one line."""
    return "; ".join(value) if isinstance(value, tuple) else value


def item_lines(item: EvidenceItem, indent: str) -> list[str]:
    """One evidence item: direction, kind of study, grade and citation with its link, then
    what was found."""
    grade = item.certainty.label if item.certainty else "not graded"
    link = f" <{item.source.link}>" if item.source.link else ""
    head = (
        f"{indent}{DIRECTION_SIGN.get(item.direction, '?')} {item.direction}, "
        f"{item.design.label}, {grade}: {item.source.citation}{link}"
    )
    lines = [head]
    details = [item.finding] if item.finding else []
    details += [
        f"{QUALIFIERS[key]}: {one_line(getattr(item, key))}"
        for key in UNDER_CITATION
        if getattr(item, key)
    ]
    lines += [f"{indent}    {detail}" for detail in details]
    return lines


def standing_text(claim: Claim) -> str:
    """How a claim stands, in brackets: its standing, and its hedge where the evidence backs it
    (a claim the evidence does not back never reads as possible or stated)."""
    hedge = f", {claim.shown_modality.name}" if claim.shown_modality else ""
    return f"[{claim.standing.label}{hedge}]"


def claim_lines(claim: Claim, indent: str = "  ") -> list[str]:
    """A claim on one line with its standing, hedge and context, its note, then every
    evidence item."""
    context = f" (in {claim.context.label})" if claim.context else ""
    mechanism = (
        f", through {', '.join(m.label for m in claim.mechanism)}" if claim.mechanism else ""
    )
    lines = [
        f"{indent}{claim.subject.label} {claim.predicate.label} {claim.object.label}{context}"
        f"{mechanism}   {standing_text(claim)}"
    ]
    if claim.note:
        lines.append(f"{indent}  {claim.note}")
    for item in claim.evidence:
        lines += item_lines(item, indent + "  ")
    return lines
