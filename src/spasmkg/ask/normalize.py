"""``spasmkg normalize``: a column of codes or words (ICD-10, MeSH, HP, CHEBI, MONDO identifiers,
labels, lay words) mapped to the graph's entities in one call, each row with how it matched,
and the rows that match nothing kept and counted.

Every value is read by the one name resolver (:meth:`spasmkg.model.names.NameIndex.read`), so
a word means here what it means to lookup, explain and why. How it matched is said in the
SSSOM way: an outside identifier matches through the mapping set's relation
(``skos:exactMatch``, ``skos:closeMatch`` ...) with that row's justification; a label, synonym
or everyday name is ``semapv:LexicalMatching``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from spasmkg.ask.lookup import Named, named_graph
from spasmkg.errors import DataError, UnknownEntity, UsageError
from spasmkg.model.curie import local_of
from spasmkg.model.names import NameIndex, Reading
from spasmkg.model.paths import DataPaths
from spasmkg.model.records import Entity, Identifier
from spasmkg.model.sssom import read_sssom

#: The delimiter a file's extension promises; a .txt file or one without an extension is
#: read by its first line, and a file of any other extension is not a table this reads.
DELIMITERS = {".csv": ",", ".tsv": "\t", ".tab": "\t"}
SNIFFED = frozenset({".txt", ""})
#: The justification of a name's match, and of an identifier an imported layer states.
LEXICAL = "semapv:LexicalMatching"
UNSPECIFIED = "semapv:UnspecifiedMatching"
#: The resolver's kinds of name in plain words.
HOW_WORDS = {
    "brandName": "brand name",
    "layTerm": "lay term",
    "laypersonSynonym": "layperson synonym",
}
NONE = "none"
AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Normalized:
    """One input row: its value, the entity it names, and how it matched."""

    #: the line of the file the row ends on
    line: int
    input: str
    entity: str
    entity_label: str
    #: exact, close, broad, narrow or related mapping; identifier; label, synonym,
    #: abbreviation, brand name, lay term, layperson synonym; ambiguous; none
    match: str
    #: the mapping's relation (``skos:exactMatch`` ...), for an outside identifier
    predicate_id: str
    mapping_justification: str
    #: the name or identifier that matched, as the graph writes it
    matched: str
    #: what else the value could mean, or the close names of a value that matches nothing
    note: str


def delimiter_of(path: Path, first_line: str) -> str:
    """A file's delimiter: by its extension, else a tab if its header has one, else a comma."""
    return DELIMITERS.get(path.suffix.lower()) or ("\t" if "\t" in first_line else ",")


def table_text(path: Path) -> str:
    """A table file's text.

    :raises DataError: the file's extension is not a table's (.csv, .tsv, .tab, .txt or
        none), or it cannot be read, or it is not UTF-8 text.
    """
    suffix = path.suffix.lower()
    if suffix not in DELIMITERS and suffix not in SNIFFED:
        raise DataError(
            f"{path.name}: not a CSV or TSV file (a {suffix} file); save the table as .csv or .tsv"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(f"{path}: cannot read: {error.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(
            f"{path.name}: not a CSV or TSV file (byte {error.start} is not UTF-8 text); "
            "save it as CSV or TSV in UTF-8"
        ) from None
    if "\0" in text:
        raise DataError(f"{path.name}: not a CSV or TSV file (it holds NUL bytes)")
    return text


def read_column(path: Path, column: str) -> list[tuple[int, str]]:
    """The values of one column of a CSV or TSV file, each with the line its row ends on.

    :raises DataError: the file is not a CSV or TSV table (not text, or a row with more or
        fewer fields than the header).
    :raises UsageError: the file has no column of that name; the message lists its columns.
    """
    text = table_text(path)
    delimiter = delimiter_of(path, text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        if not header:
            raise DataError(f"{path.name}: empty; give a CSV or TSV file with a header line")
        if column not in header:
            raise UsageError(
                f"{path.name} has no column {column!r}; its columns: {', '.join(header)}"
            )
        index = header.index(column)
        values = []
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                fields = f"{len(row)} field{'s' * (len(row) != 1)}"
                raise DataError(
                    f"{path.name}:{reader.line_num}: {fields} where the header has "
                    f"{len(header)}; is it a CSV or TSV table?"
                )
            values.append((reader.line_num, row[index].strip()))
    except csv.Error as error:
        raise DataError(f"{path.name}:{reader.line_num}: not CSV or TSV: {error}") from None
    return values


def justifications(paths: DataPaths) -> dict[tuple[str, str], str]:
    """The justification of each row of the mapping set, by subject and object CURIE."""
    if not paths.mappings_file.exists():
        return {}
    rows = read_sssom(paths.mappings_file).mappings
    return {(row.subject_id, row.object_id): row.mapping_justification for row in rows}


def found(
    line: int, value: str, reading: Reading, why: Mapping[tuple[str, str], str]
) -> Normalized:
    """A row the resolver read: an outside identifier through its mapping, a name lexically."""
    entity = reading.entity
    others = "; ".join(part for part in ("; ".join(reading.others), reading.other_senses) if part)
    note = f"could also mean: {others}" if others else ""
    mapping = mapping_of(entity, reading.matched)
    if mapping is not None:
        match = f"{local_of(mapping.predicate).removesuffix('Match')} mapping"
        justification = why.get((entity.curie, mapping.curie), UNSPECIFIED)
        predicate = mapping.predicate
    elif reading.how == "identifier":
        match, justification, predicate = "identifier", "", ""
    else:
        match, justification, predicate = HOW_WORDS.get(reading.how, reading.how), LEXICAL, ""
    return Normalized(
        line,
        value,
        entity.curie,
        entity.label,
        match,
        predicate,
        justification,
        reading.matched,
        note,
    )


def normalized(
    line: int, value: str, index: NameIndex, why: Mapping[tuple[str, str], str]
) -> Normalized:
    """One value read by the resolver; ``none`` with close names, or ``ambiguous`` with the
    entities it names, when it names no one entity."""
    if not value:
        return Normalized(line, value, "", "", NONE, "", "", "", "empty cell")
    candidates = index.matches(value)
    if not candidates:
        close = index.suggestions(value)
        note = f"close names: {', '.join(close)}" if close else ""
        return Normalized(line, value, "", "", NONE, "", "", "", note)
    try:
        return found(line, value, index.read(value), why)
    except UnknownEntity:
        names = sorted({candidate(index.entities[s.curie], s.text) for s in candidates})
        return Normalized(line, value, "", "", AMBIGUOUS, "", "", "", f"names: {', '.join(names)}")


def mapping_of(entity: Entity, matched: str) -> Identifier | None:
    """The outside identifier of an entity that a matched text spells (CURIE or IRI), if any."""
    return next((i for i in entity.identifiers if matched in (i.curie, i.iri)), None)


def candidate(entity: Entity, matched: str) -> str:
    """One entity an ambiguous value names, with the mapping relation it names it by."""
    mapping = mapping_of(entity, matched)
    return f"{entity.label} ({mapping.predicate})" if mapping else entity.label


def normalize_values(
    values: Iterable[tuple[int, str]], *, kg: Named | None = None, root: Path | str | None = None,
    layer: str | Sequence[str] = "all",
) -> list[Normalized]:  # fmt: skip
    """Values with their line numbers, each mapped to the entity it names.

    >>> [row.match for row in normalize_values([(2, "G35"), (3, "tiredness"), (4, "zzz")])]
    ['exact mapping', 'layperson synonym', 'none']
    """
    graph = named_graph(kg, root, layer)
    why = justifications(graph.paths)
    return [normalized(line, value, graph.names, why) for line, value in values]


def normalize(
    path: Path | str, column: str, *, kg: Named | None = None, root: Path | str | None = None,
    layer: str | Sequence[str] = "all",
) -> list[Normalized]:  # fmt: skip
    """Every value of ``column`` in the CSV or TSV file ``path``, mapped to the entity it names
    (the graph ``kg``, or the data folder ``root``'s with ``layer``).

    :raises DataError: the file is not a CSV or TSV table.
    :raises UsageError: the file has no such column.
    """
    return normalize_values(read_column(Path(path), column), kg=kg, root=root, layer=layer)


def summary(rows: Sequence[Normalized]) -> str:
    """How many rows matched by each kind of match, and which matched nothing."""
    counts = Counter(row.match for row in rows)
    parts = ", ".join(f"{n} {match}" for match, n in counts.most_common())
    missed = [row for row in rows if not row.entity]
    lines = [f"normalized {len(rows)} rows: {parts or 'none'}"]
    lines += [f"  unmatched: line {row.line} {row.input!r} ({row.match})" for row in missed]
    return "\n".join(lines)
