"""Put the clinical answer set (tests/data/answer_set.yaml) to the spasmkg on the path and say
how many questions it answers well, and what it gets wrong in the others.

    python scripts/answer_set.py                                  # this checkout
    PYTHONPATH=/path/to/older/checkout/src python scripts/answer_set.py   # an older version

An older explain (a list of chains, no contexts, no standing) is read as if all its chains
were offered as holding; questions it cannot answer count as not answered well.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

from rdflib import URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.answers import judge_explain, judge_rows, questions

import spasmkg
from spasmkg.ask.answer import query
from spasmkg.ask.explain import explain
from spasmkg.model.curie import compress


def explain_answer(kg: Any, ask: dict[str, Any]) -> dict[str, Any]:
    """Explain's answer as JSON data, from this version or an older one."""
    contexts = ask.get("contexts", [])
    extra = [contexts] if len(inspect.signature(explain).parameters) > 4 else []
    result = explain(kg, *ask["explain"], ask.get("max_length", 4), *extra)
    if hasattr(result, "as_dict"):
        return dict(result.as_dict())
    return {"chains": [chain.as_dict() for chain in result]}


def faults_of(kg: Any, question: dict[str, Any]) -> list[str]:
    """What the tool gets wrong on one question."""
    ask, expect = question["ask"], question["expect"]
    if "explain" in ask:
        return judge_explain(expect, explain_answer(kg, ask), ask.get("contexts", []))
    rows = [
        {k: (compress(str(v)) or str(v)) if isinstance(v, URIRef) else str(v) for k, v in r.items()}
        for r in query(ask["query"], ask.get("params", {}), kg=kg, engine="oxigraph").dicts()
    ]
    return judge_rows(expect, rows)


def main() -> None:
    """Print one line per question and the count answered well."""
    kg = spasmkg.load(layer="core")
    asked = questions()
    good = 0
    for question in asked:
        try:
            faults = faults_of(kg, question)
        except Exception as error:  # an older version may not know a name or a parameter
            faults = [f"error: {error}"]
        good += not faults
        print(question["id"], "well" if not faults else "not well: " + "; ".join(faults)[:240])
    print(f"answered well: {good} of {len(asked)} ({spasmkg.__file__})")


if __name__ == "__main__":
    main()
