"""Reading an OBO ontology file (the HPO's hp.obo): one reader and one term class for the
identifier checks and the HPO import alike."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class OboTerm:
    """One term: its ID, name, whether it is obsolete, and the terms it is a kind of."""

    id: str
    name: str
    obsolete: bool = False
    parents: tuple[str, ...] = ()
    #: alternative IDs that lead to this term
    alternatives: tuple[str, ...] = ()
    #: synonyms the file marks as the words of people without medical training
    lay_synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Obo:
    """An OBO file's release (``data-version``), its terms by their own IDs, and the term that
    lists each alternative ID (an obsolete term's own ID may be another term's alternative)."""

    version: str
    terms: dict[str, OboTerm]
    alternatives: dict[str, OboTerm]


@cache
def read_obo(path: Path) -> Obo:
    """The terms of an OBO file, read once per path: each ``[Term]`` stanza's ``id``,
    ``name``, ``is_a`` (``HP:0000001 ! All`` keeps the ID), ``alt_id``, ``is_obsolete`` and the
    synonyms marked ``layperson``."""
    version = ""
    own: dict[str, OboTerm] = {}
    alternative: dict[str, OboTerm] = {}
    stanza: dict[str, list[str]] | None = None

    def flush() -> None:
        if stanza and stanza.get("id"):
            term = OboTerm(
                id=stanza["id"][0],
                name=stanza.get("name", [""])[0],
                obsolete=stanza.get("is_obsolete", ["false"])[0] == "true",
                parents=tuple(entry.split(" ! ")[0].strip() for entry in stanza.get("is_a", [])),
                alternatives=tuple(stanza.get("alt_id", [])),
                lay_synonyms=tuple(
                    entry.split('"')[1]
                    for entry in stanza.get("synonym", [])
                    if entry.startswith('"') and " layperson " in entry.rsplit('"', 1)[1] + " "
                ),
            )
            own[term.id] = term
            for key in term.alternatives:
                alternative[key] = term

    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if line.startswith("["):
                flush()
                stanza = {} if line == "[Term]" else None
            elif stanza is not None and ": " in line:
                key, _, value = line.partition(": ")
                stanza.setdefault(key, []).append(value.strip())
            elif stanza is None and line.startswith("data-version: ") and not version:
                version = line.removeprefix("data-version: ").strip()
    flush()
    return Obo(version, own, alternative)
