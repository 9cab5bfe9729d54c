"""Phrases a person would type are read the way they mean them (tests/data/phrases.yaml): the
table goes through the one name resolver that ``spasmkg lookup``, ``why`` and the site use, with
every layer loaded; at least 95% must be read right, and none may land silently on a wrong entity."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import yaml

import spasmkg
from spasmkg.errors import UnknownEntity
from spasmkg.model.names import normal, singular, unordered
from tests.helpers import REPO

TABLE: list[dict[str, object]] = yaml.safe_load(
    (REPO / "tests" / "data" / "phrases.yaml").read_text(encoding="utf-8")
)
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outcome:
    """What the resolver made of one phrase, against what the table expects."""

    phrase: str
    expected: str
    got: str
    #: the other senses the reading listed: other entities' labels and senses outside the graph
    senses: tuple[str, ...]
    #: words of ``others`` the reading did not list
    unlisted: tuple[str, ...]

    @property
    def right(self) -> bool:
        """The expected entity (or none), with every expected other sense listed."""
        return self.got == self.expected and not self.unlisted

    @property
    def silently_wrong(self) -> bool:
        """Landed on an entity the person did not mean without listing the one they did."""
        if self.got in (UNKNOWN, self.expected):
            return False
        return self.expected == UNKNOWN or not any(
            self.expected_label.casefold() in sense.casefold() for sense in self.senses
        )

    @property
    def expected_label(self) -> str:
        """The expected entity's label, as the reading lists other entities."""
        return LABELS.get(self.expected, self.expected)

    def __str__(self) -> str:
        listed = f"; lists {list(self.senses)}" if self.senses else ""
        missing = f"; does not list {list(self.unlisted)}" if self.unlisted else ""
        return f"{self.phrase!r}: expected {self.expected}, got {self.got}{listed}{missing}"


@pytest.fixture(scope="module")
def outcomes(kg_all: spasmkg.KnowledgeGraph) -> list[Outcome]:
    """Every row of the table, read once."""
    LABELS.update({curie: entity.label for curie, entity in kg_all.names.entities.items()})
    return [read(kg_all, row) for row in TABLE]


LABELS: dict[str, str] = {}


def read(kg: spasmkg.KnowledgeGraph, row: dict[str, object]) -> Outcome:
    """Read one phrase with the graph's name index and compare it with the row."""
    phrase, expected = str(row["phrase"]), str(row["expect"])
    wanted = [str(word) for word in row.get("others", [])]  # type: ignore[attr-defined]
    try:
        reading = kg.names.read(phrase)
    except UnknownEntity:
        return Outcome(phrase, expected, UNKNOWN, (), tuple(wanted))
    senses = (*reading.others, *([reading.other_senses] if reading.other_senses else []))
    unlisted = tuple(w for w in wanted if not any(w.casefold() in s.casefold() for s in senses))
    return Outcome(phrase, expected, reading.entity.curie, senses, unlisted)


def test_at_least_95_percent_of_the_phrases_are_read_right(outcomes: list[Outcome]) -> None:
    misses = [o for o in outcomes if not o.right]
    print(f"\n{len(outcomes) - len(misses)}/{len(outcomes)} phrases read right; misses:")
    for outcome in misses:
        print(f"  {outcome}")
    assert (len(outcomes) - len(misses)) / len(outcomes) >= 0.95


def test_no_phrase_lands_silently_on_a_wrong_entity(outcomes: list[Outcome]) -> None:
    assert [str(o) for o in outcomes if o.silently_wrong] == []


def test_the_table_covers_every_way_a_name_is_given(kg_all: spasmkg.KnowledgeGraph) -> None:
    """At least 150 phrases; words that must name nothing; ambiguous words with their other
    senses; and a phrase for every kind of everyday name the graph holds."""
    assert len(TABLE) >= 150
    assert sum(row["expect"] == UNKNOWN for row in TABLE) >= 10
    assert sum("others" in row for row in TABLE) >= 10
    kinds = {how(kg_all, str(row["phrase"])) for row in TABLE if row["expect"] != UNKNOWN}
    assert kinds >= {"label", "identifier", "synonym", "abbreviation", "brandName", "layTerm"}
    assert "laypersonSynonym" in kinds


def how(kg: spasmkg.KnowledgeGraph, phrase: str) -> str:
    """How a phrase was read, or "unknown" when it names nothing."""
    try:
        return kg.names.read(phrase).how
    except UnknownEntity:
        return UNKNOWN


def test_every_expected_entity_exists(kg_all: spasmkg.KnowledgeGraph) -> None:
    """A row cannot expect an entity the graph does not have (a typo would only count as a miss)."""
    expected = {str(row["expect"]) for row in TABLE} - {UNKNOWN}
    assert expected - set(kg_all.names.entities) == set()


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("cramps", "cramp"),
        ("cramping", "cramp"),
        ("twitches", "twitch"),
        ("twitchy", "twitch"),
        ("crampy", "cramp"),
        ("injuries", "injury"),
        ("itchy", "itch"),
        ("atrophies", "atrophy"),
        ("atrophy", "atrophy"),
        ("body", "body"),
        ("dry", "dry"),
        ("sclerosis", "sclerosis"),
        ("stress", "stress"),
    ],
)
def test_a_word_is_read_in_its_base_form(word: str, base: str) -> None:
    """Plurals, "-ing" forms and "-chy"/"-mpy" adjectives of a noun share a base form; a word
    whose "y" is part of it (atrophy, body, dry) or that only looks plural (sclerosis, stress)
    is kept."""
    assert singular(word) == base


def test_small_joining_words_do_not_change_which_words_a_name_has() -> None:
    """ "cramps at night" has the words of "night cramps"; the order-free form leaves out the
    joining words, while the ordered form keeps every word."""
    assert unordered("leg cramps at night") == unordered("night leg cramps")
    assert unordered("deficiency of magnesium") == unordered("magnesium deficiency")
    assert normal("cramps at night") != normal("night cramps")


def test_an_everyday_name_replaces_a_plain_synonym_of_the_same_words(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    """ "MS" is both a synonym of multiple sclerosis and its abbreviation with a source: the
    reading says it is an abbreviation and names the page that uses it."""
    reading = kg_all.names.read("MS")
    assert (reading.how, reading.matched) == ("abbreviation", "MS")
    assert "source:what-is-ms-information-on-diagnosis-symptoms" in reading.sources
    assert "mitral stenosis" in reading.other_senses


def test_a_preferred_sense_wins_over_a_closer_match_of_another_entity(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    """ "low magnesium" could mean the body's magnesium deficiency, but the words mean the blood
    level (the FDA's 2011 notice on PPIs and low magnesium); the deficiency is named beside it."""
    reading = kg_all.names.read("low magnesium")
    assert reading.entity.curie == "skg:hypomagnesemia"
    assert reading.other_senses.startswith("magnesium deficiency: ")


def test_a_word_named_by_two_entities_without_a_preference_is_refused(
    kg_all: spasmkg.KnowledgeGraph,
) -> None:
    """ICD-10 R25.2 (cramp and spasm) is close to two entities and exact to none: the reading
    does not pick one silently."""
    with pytest.raises(UnknownEntity, match="names several entities"):
        kg_all.names.read("R25.2")


def test_the_facts_a_reader_can_check(kg_all: spasmkg.KnowledgeGraph) -> None:
    """Brand names, lay terms and abbreviations from the pages graph/names.ttl cites."""
    expected = {
        "Prilosec": "skg:omeprazole",
        "Zanaflex": "skg:tizanidine",
        "twitchy eyelid": "skg:eyelid-myokymia",
        "SCI": "skg:spinal-cord-injury",
        "muscle cramps": "skg:muscle-cramp",
        "water pills": "skg:diuretic",
        "lockjaw": "skg:tetanus",
        "low potassium": "skg:hypokalemia",
    }
    assert {phrase: kg_all.names.read(phrase).entity.curie for phrase in expected} == expected
    low_potassium = kg_all.names.read("low potassium")
    assert low_potassium.other_senses.startswith("potassium deficiency: ")
    assert "source:boots-webmd-low-potassium" in low_potassium.sources


def test_an_ambiguous_word_says_which_sense_it_took(kg_all: spasmkg.KnowledgeGraph) -> None:
    """ "cramps" is read as a muscle cramp, and the reading names period pain as another sense."""
    reading = kg_all.names.read("cramps")
    assert reading.entity.curie == "skg:muscle-cramp"
    assert "period pain" in reading.as_dict()["other_senses"][-1]


@pytest.mark.parametrize(
    "word",
    [
        "zanaflx",
        "<script>alert(1)</script>",
        "'; DROP TABLE entities; --",
        "\u202e\u0000\u200b",
        "x" * 5000,
    ],
)
def test_a_word_that_names_nothing_is_refused_with_close_names(
    kg_all: spasmkg.KnowledgeGraph, word: str
) -> None:
    """Unknown or hostile words name nothing: an UnknownEntity whose message quotes the word
    (repr, so markup and control characters stay inert) and offers close names when there are
    any; a misspelt brand name gets the brand."""
    with pytest.raises(UnknownEntity) as raised:
        kg_all.names.read(word)
    assert repr(word)[:40] in str(raised.value)
    if word == "zanaflx":
        assert "zanaflex" in str(raised.value)
