"""Judging answers against the clinical answer set (tests/data/answer_set.yaml).

The judge reads explain's JSON (``chains``, ``against``, ``other_contexts``) and a named
query's rows, so the same questions can be put to any version of the tool that prints them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ANSWER_SET = Path(__file__).parent / "data" / "answer_set.yaml"


def questions() -> list[dict[str, Any]]:
    """The answer set's questions, in order."""
    return list(yaml.safe_load(ANSWER_SET.read_text(encoding="utf-8")))


def local(curie: str | None) -> str | None:
    """``skg:furosemide`` as ``furosemide``."""
    return curie.partition(":")[2] if curie else None


def route(chain: dict[str, Any]) -> list[str]:
    """The entities a chain passes, by name."""
    steps = chain["steps"]
    return [str(local(steps[0]["subject"]))] + [str(local(s["object"])) for s in steps]


def context_of(chain: dict[str, Any]) -> str | None:
    """The context a chain is bound to (from its steps' claims when the chain does not say)."""
    if chain.get("context"):
        return local(chain["context"])
    found = {c["context"] for s in chain["steps"] for c in s["claims"] if c.get("context")}
    return local(sorted(found)[0]) if found else None


def cites(chain: dict[str, Any], source: str, step: int | None = None) -> bool:
    """Whether a chain (or one of its steps) cites a source among its evidence items."""
    steps = chain["steps"] if step is None else [chain["steps"][step]]
    return any(i["source"] == source for s in steps for c in s["claims"] for i in c["evidence"])


def find(chains: list[dict[str, Any]], wanted: list[str]) -> dict[str, Any] | None:
    """The first chain with a route."""
    return next((c for c in chains if route(c) == wanted), None)


def judge_explain(expect: dict[str, Any], answer: dict[str, Any], asked: list[str]) -> list[str]:
    """What an explain answer gets wrong, as short sentences (empty: answered well)."""
    faults: list[str] = []
    chains = answer.get("chains", [])
    if not asked:
        faults += [f"{route(c)} holds only in {context_of(c)}" for c in chains if context_of(c)]
    if "first" in expect and (not chains or route(chains[0]) != expect["first"]):
        faults.append(f"first chain is not {expect['first']}")
    first = chains[0] if chains else {}
    if "standing_of_first" in expect and first.get("standing") != expect["standing_of_first"]:
        faults.append(f"first chain's standing is not {expect['standing_of_first']}")
    if "design_of_first" in expect:
        designs = {
            i.get("design")
            for s in first.get("steps", [])
            for c in s["claims"]
            for i in c["evidence"]
            if i["direction"] == "supports"
        }
        if expect["design_of_first"] not in designs:
            faults.append(f"first chain's evidence is not shown as {expect['design_of_first']}")
    if expect.get("holds") == [] and chains:
        faults.append(f"{route(chains[0])} is offered though the evidence does not back it")
    for wanted in expect.get("holds") or []:
        if find(chains, wanted) is None:
            faults.append(f"{wanted} does not hold")
    for unwanted in expect.get("not_holds", []):
        if find(chains, unwanted) is not None:
            faults.append(f"{unwanted} is offered")
    if "max_chains" in expect and len(chains) > expect["max_chains"]:
        faults.append(f"{len(chains)} chains where at most {expect['max_chains']} say something")
    for spec in expect.get("cites", []):
        chain = find(chains, spec["route"])
        if chain is None or not cites(chain, spec["source"], spec.get("step")):
            faults.append(f"{spec['route']} does not cite {spec['source']}")
    for group in ("against", "other_contexts"):
        for spec in expect.get(group, []):
            matching = [
                c
                for c in answer.get(group, [])
                if route(c) == spec["route"]
                and ("standing" not in spec or c.get("standing") == spec["standing"])
                and ("context" not in spec or context_of(c) == spec["context"])
                and ("cites" not in spec or cites(c, spec["cites"]))
            ]
            if not matching:
                faults.append(f"{group} lacks {spec}")
    return faults


def matches(row: dict[str, str], wanted: dict[str, Any]) -> bool:
    """A row has every wanted column value."""
    return all(row.get(key, "") == str(value) for key, value in wanted.items())


def judge_rows(expect: dict[str, Any], rows: list[dict[str, str]]) -> list[str]:
    """What a named query's rows get wrong (empty: answered well)."""
    faults = [
        f"no row {w}"
        for w in expect.get("rows_include", [])
        if not any(matches(r, w) for r in rows)
    ]
    faults += [
        f"a row {w}" for w in expect.get("rows_exclude", []) if any(matches(r, w) for r in rows)
    ]
    positions = [
        next((i for i, r in enumerate(rows) if matches(r, w)), -1) for w in expect.get("order", [])
    ]
    if positions and (-1 in positions or positions != sorted(positions)):
        faults.append(f"rows not in the order {expect['order']}")
    return faults
