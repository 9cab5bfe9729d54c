"""The clinical answer set, asked through explain and the named queries (tests/answers.py)."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import URIRef

import spasmkg
from spasmkg.ask.answer import query
from spasmkg.ask.explain import explain
from spasmkg.model.curie import compress
from tests.answers import judge_explain, judge_rows, questions

QUESTIONS = questions()


def rows_of(kg: spasmkg.KnowledgeGraph, name: str, params: dict[str, str]) -> list[dict[str, str]]:
    """A named query's rows with IRIs as CURIEs and every value as text."""
    return [
        {
            k: (compress(str(v)) or str(v)) if isinstance(v, URIRef) else str(v)
            for k, v in row.items()
        }
        for row in query(name, params, kg=kg, engine="oxigraph").dicts()
    ]


def test_the_answer_set_has_thirty_questions_each_with_sources() -> None:
    assert len(QUESTIONS) >= 30
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    for question in QUESTIONS:
        assert question["answer"] and question["sources"], question["id"]


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_the_tool_answers_as_a_clinician_would(
    kg: spasmkg.KnowledgeGraph, question: dict[str, Any]
) -> None:
    ask, expect = question["ask"], question["expect"]
    if "explain" in ask:
        contexts = ask.get("contexts", [])
        answer = explain(kg, *ask["explain"], ask.get("max_length", 4), contexts)
        faults = judge_explain(expect, answer.as_dict(), contexts)
    else:
        faults = judge_rows(expect, rows_of(kg, ask["query"], ask.get("params", {})))
    assert faults == [], question["question"]
