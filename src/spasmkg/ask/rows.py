"""Rows as researchers take them away: one writer of TSV, JSON and JSON Lines for every command
that gives rows (associations, normalize, search, ancestors, descendants), and the file they
are written to.

A row is a frozen dataclass of strings, numbers and tuples of strings; its fields, in order,
are the columns. In TSV a tuple is one cell, its values joined by ``|`` (as KGX joins them);
in JSON it is a list.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from spasmkg.errors import OutputError, UsageError

#: The formats of every row-giving command's ``--format``.
FORMATS = ("tsv", "json", "jsonl")
#: What joins the values of a many-valued cell in TSV.
JOIN = "|"
BREAKS = re.compile(r"[\t\r\n]+")


def columns(row_type: type[Any]) -> list[str]:
    """The column names of a row type: its fields, in order."""
    return [field.name for field in fields(row_type)]


def record(row: Any) -> dict[str, Any]:
    """A row as plain data for JSON: tuples become lists."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name in columns(type(row))
        for value in [getattr(row, name)]
    }


def cell(value: Any) -> str:
    """One TSV cell: a tuple joined by ``|``; tabs and line breaks inside a value made spaces,
    so that one line stays one row."""
    text = JOIN.join(value) if isinstance(value, tuple) else str(value)
    return BREAKS.sub(" ", text)


def render_rows(row_type: type[Any], rows: Sequence[Any], output_format: str) -> str:
    """Rows as TSV (a header, then one line a row), a JSON array, or JSON Lines.

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Row:
    ...     code: str
    ...     entities: tuple[str, ...]
    >>> rows = [Row("R25.2", ("skg:muscle-spasm", "skg:muscle-cramp"))]
    >>> render_rows(Row, rows, "tsv").splitlines()[1].split()
    ['R25.2', 'skg:muscle-spasm|skg:muscle-cramp']
    >>> print(render_rows(Row, rows, "jsonl"), end="")
    {"code": "R25.2", "entities": ["skg:muscle-spasm", "skg:muscle-cramp"]}

    :raises UsageError: the format is not one of :data:`FORMATS`.
    """
    if output_format == "json":
        return json.dumps([record(row) for row in rows], indent=1, ensure_ascii=False) + "\n"
    if output_format == "jsonl":
        return "".join(json.dumps(record(row), ensure_ascii=False) + "\n" for row in rows)
    if output_format != "tsv":
        raise UsageError(f"unknown format {output_format!r}; use one of {', '.join(FORMATS)}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(columns(row_type))
    writer.writerows([cell(getattr(row, name)) for name in columns(row_type)] for row in rows)
    return buffer.getvalue()


def write_text(path: Path, text: str) -> None:
    """Write a text file, saying plainly why it cannot be written.

    :raises OutputError: the folder does not exist or the file cannot be written.
    """
    if not path.parent.is_dir():
        raise OutputError(f"{path}: the folder {path.parent} does not exist")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror}") from None
