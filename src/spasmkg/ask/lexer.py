"""A SPARQL lexer for the read-only checks: the same text is checked and then executed.

Parsers disagree on codepoint escapes: the SPARQL grammar (section 19.2) decodes ``\\uXXXX`` and
``\\UXXXXXXXX`` across the whole text before parsing, rdflib does so too, and Oxigraph decodes
them only inside strings and IRIs. A check by one parser of a text executed by the other can
be fooled (``"A\\u0022 . SERVICE <...>``). So every query is first *normalised* by the grammar's
own rule — escapes decoded once, an escape that spells another escape refused — and only the
normalised text is checked and run, by every engine.

**SERVICE: refused in any spelling, anywhere.** A lexer that reads tokens can still read a text
otherwise than the engine does: ``ex:.SERVICE <...>`` was one prefixed name to this lexer and a
name, a dot and a SERVICE clause to Oxigraph; a long string with an invalid escape is re-read
by Oxigraph as short strings, which let a SERVICE out of what this lexer took for a string.
pyoxigraph offers no parser to ask instead (only ``Store.query``, which runs what it parses),
so the check does not depend on tokens at all: a normalised text in which the letters of
``service`` appear anywhere, in any case — in a keyword, a name, a string, an IRI or a
comment, also behind percent escapes or backslashes — is refused. Oxigraph reads SERVICE only
as those seven ASCII letters in a row, and the text it runs is the text checked, so no reading
of it can hold a SERVICE clause that this check missed. The price is a rare false refusal (a
label or a comment that says "service"); such a value can be matched as
``CONCAT("serv", "ice")``. A fuzzer in the tests compares this decision with what Oxigraph
does on generated queries.

The tokens are still read, for the bounds (terms, nesting), updates and FROM, in time linear in
the text: every token is either consumed whole or ends the reading, and a string that is not
closed, or holds an escape SPARQL does not have, is refused (the engine would refuse it too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spasmkg.errors import QueryRefused

ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")


def name_class(extra: str = "", *, start: bool = False) -> str:
    """A class of SPARQL name characters (a letter, or with ``start`` false a word character
    or the middle dot; any character from U+00C0 to U+EFFFF) plus ``extra``.

    It is written as the complement of the characters that are not: a class that spells the
    range U+00C0 to U+EFFFF takes about 8 ms to compile, and the lexer's ten of them were a
    tenth of a cold query.
    """
    word = re.compile(r"[A-Za-z]" if start else r"[\w\u00b7]")
    outside = (c for c in range(0xC0) if not (word.fullmatch(chr(c)) or chr(c) in extra))
    return "[^" + "".join(f"\\x{c:02x}" for c in outside) + "\\U000f0000-\\U0010ffff]"


NAME_START = name_class(start=True)
NAME_CHARS = name_class()
#: A string's escapes, as the grammar has them (ECHAR; codepoint escapes are decoded already).
ECHARS = frozenset("tbnrf\"'\\")
#: What ends the scan of a string's content: an escape, or its closing (or, short, a newline).
LONG_STOPS = {q: re.compile(rf"\\(.)|{q * 3}", re.DOTALL) for q in "'\""}
SHORT_STOPS = {q: re.compile(rf"\\(.)|{q}|[\n\r]", re.DOTALL) for q in "'\""}
TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    |(?P<var>[?$]{NAME_CHARS}+)
    |(?P<bnode>_:{name_class(".-")}*)
    |(?P<name>{NAME_START}{name_class(".-")}*)
    |(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
#: The local part of a prefixed name after its colon (PN_LOCAL): never starts with a dot.
LOCAL = re.compile(
    rf"""(?:(?:{name_class(":")}|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?\#@%])
         (?:{name_class("-:")}|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?\#@%]
            |\.(?={name_class("-:%" + chr(92))}))*)?""",
    re.VERBOSE,
)
#: The pieces of a run of name characters not followed by a colon: words, numbers, the rest.
PIECE = re.compile(rf"{NAME_START}{NAME_CHARS}*|[0-9]+|.", re.DOTALL)
#: Bare words that only SPARQL Update uses.
UPDATE_WORDS = frozenset(
    {"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with"}
)
#: Any of the words the lexer looks for, wherever it stands: a text without one is plain.
KEYWORDS = re.compile(r"\b(?:" + "|".join(sorted(UPDATE_WORDS | {"from"})) + r")\b")
SURROGATE = re.compile("[\ud800-\udfff]")
#: Bounds on the work a query may ask of a parser: terms, and depth of nested groups.
MAX_TOKENS = 20_000
MAX_DEPTH = 48
#: Why a text that spells SERVICE is refused, and what to do about it.
#: What a query that would write is told, wherever it is refused (the command line, the server).
UPDATE_REFUSED = "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is refused: spasmkg is read-only"
SERVICE_REFUSED = (
    "the query spells SERVICE, which would send it to another server: any text holding the "
    "word, in any case or escape, even in a string, IRI or comment, is refused (to match such "
    'a value, write it as CONCAT("serv", "ice"))'
)


@dataclass(frozen=True)
class Outline:
    """What a query would do, read from its normalised text before any engine sees it."""

    text: str
    services: tuple[str, ...]
    updates: tuple[str, ...]
    datasets: bool
    tokens: int
    depth: int


def decode(match: re.Match[str]) -> str:
    """One codepoint escape as its character."""
    code = int(match.group(1) or match.group(2), 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise QueryRefused(f"\\u{code:04X} is not a character (a surrogate or out of range)")
    return chr(code)


def normalise(text: str) -> str:
    """The text with codepoint escapes decoded once, as the SPARQL grammar says.

    >>> normalise('SELECT * { ?s ?p "caf\\\\u00E9" }')
    'SELECT * { ?s ?p "café" }'

    :raises QueryRefused: an escape that is no character, one that spells another escape, or
        a lone surrogate in the text.
    """
    if SURROGATE.search(text):
        raise QueryRefused("the query contains a lone surrogate, which is not a character")
    if "\\u" not in text and "\\U" not in text:
        return text
    decoded = ESCAPE.sub(decode, text)
    if ESCAPE.search(decoded):
        raise QueryRefused("a codepoint escape that spells another escape is refused")
    return decoded


def spelled_services(text: str) -> tuple[str, ...]:
    """Every place a normalised text spells ``service``, in any case, also with backslashes
    taken out and percent escapes decoded (as a prefixed name may carry them).

    >>> spelled_services('SELECT * { ?s ?p ex:.SeRvIcE }')
    ('SeRvIcE',)
    >>> spelled_services('SELECT * { ?s ?p ex:%53ERV\\\\ICE }')
    ('SERVICE',)
    """
    found = tuple(m.group() for m in re.finditer("service", text, re.IGNORECASE))
    if found or ("%" not in text and "\\" not in text):
        return found
    bare = PERCENT.sub(lambda m: chr(int(m.group(1), 16)), text.replace("\\", ""))
    return tuple(m.group() for m in re.finditer("service", bare, re.IGNORECASE))


def plain(text: str) -> bool:
    """True when a text cannot hold an update or FROM, nor exceed the bounds, so it needs no
    tokens read: no word that could be one anywhere in it (strings included), fewer
    characters than the term limit, and fewer opening brackets than the depth limit."""
    return (
        len(text) <= MAX_TOKENS
        and not KEYWORDS.search(text.casefold())
        and text.count("{") + text.count("(") + text.count("[") <= MAX_DEPTH
    )


def scan(stops: re.Pattern[str], text: str, start: int, closing: str) -> int | None:
    """Where a string's content that starts at ``start`` is closed, past its closing; None if
    an escape SPARQL lacks, a newline (short strings) or the end of the text comes first."""
    for stop in stops.finditer(text, start):
        escaped = stop.group(1)
        if escaped is None:
            return stop.end() if stop.group() == closing else None
        if escaped not in ECHARS:
            return None
    return None


def string_end(text: str, start: int) -> int | None:
    """Where the string that opens at ``start`` ends, read as Oxigraph reads it: a long string
    if one closes before an invalid escape, else a short one (so ``''' ' ...`` with a bad
    escape later is ``''`` and ``' ...``). Each character is looked at once or twice, never
    more: linear, with no backtracking."""
    quote = text[start]
    if text.startswith(quote * 3, start):
        end = scan(LONG_STOPS[quote], text, start + 3, quote * 3)
        if end is not None:
            return end
    return scan(SHORT_STOPS[quote], text, start + 1, quote)


def words(text: str, start: int, end: int) -> list[str]:
    """The tokens of a run of name characters that no colon follows (``a.b`` is ``a . b``)."""
    return [piece.group() for piece in PIECE.finditer(text, start, end)]


def lexemes(normal: str) -> Iterator[tuple[str, str, int]]:
    """The tokens of a normalised text, each with its kind and where it ends, spaces and
    comments left out; linear in the length of the text.

    :raises QueryRefused: a string that is not closed or holds an escape SPARQL lacks.
    """
    position = 0
    while position < len(normal):
        if normal[position] in "'\"":
            end = string_end(normal, position)
            if end is None:
                line = normal.count("\n", 0, position) + 1
                raise QueryRefused(
                    f"a string at line {line} is not closed, or holds an escape SPARQL does not "
                    "have (only \\t \\b \\n \\r \\f \\\" \\' \\\\ and codepoint escapes)"
                )
            yield "string", normal[position:end], end
            position = end
            continue
        match = TOKEN.match(normal, position)
        if match is None:  # never: "other" matches any character
            break
        kind, position = match.lastgroup or "other", match.end()
        if kind in ("space", "comment"):
            continue
        found = [match.group()]
        if kind == "name" and normal.startswith(":", position):
            local = LOCAL.match(normal, position + 1)
            position = local.end() if local else position + 1
            kind = "pname"
        elif kind == "name":
            found = words(normal, match.start(), position)
        elif kind == "other" and found[0] == ":":
            local = LOCAL.match(normal, position)
            position = local.end() if local else position
            kind = "pname"
        for value in found:
            yield kind, value, position


def outline(text: str) -> Outline:
    """Normalise a query and read what it would do; linear in its length.

    >>> outline('SELECT * { SERVICE <http://x/> { ?s ?p ?o } }').services
    ('SERVICE',)
    >>> outline('SELECT * { ?s ?p "a service" }').services
    ('service',)
    >>> outline('SELECT * { ?s ?p "A" }').services
    ()

    :raises QueryRefused: escapes that are refused (see :func:`normalise`), a string that is
        not closed or holds an escape SPARQL lacks, more than ``MAX_TOKENS`` terms, or groups
        nested deeper than ``MAX_DEPTH``.
    """
    normal = normalise(text)
    services = spelled_services(normal)
    if services or plain(normal):
        return Outline(normal, services, (), False, 0, 0)
    updates: list[str] = []
    datasets = False
    tokens = depth = deepest = 0
    for kind, value, _ in lexemes(normal):
        tokens += 1
        if tokens > MAX_TOKENS:
            raise QueryRefused(f"the query has more than {MAX_TOKENS} terms; split it up")
        folded = value.casefold()
        if kind == "name" and folded in UPDATE_WORDS:
            updates.append(value)
        elif kind == "name" and folded == "from":
            datasets = True
        elif value in ("{", "(", "["):
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                raise QueryRefused(f"the query nests groups deeper than {MAX_DEPTH} levels")
        elif value in ("}", ")", "]"):
            depth = max(0, depth - 1)
    return Outline(normal, (), tuple(updates), datasets, tokens, deepest)


def pattern_start(text: str) -> int | None:
    """Where the query's WHERE pattern opens, just past its brace (None if it has none): the
    place for a VALUES block that binds parameters before anything else is evaluated. That is
    the first brace outside brackets after a WHERE outside brackets or, in a query that leaves
    the word out, the first brace outside brackets before any trailing VALUES (a CONSTRUCT's
    template needs the word).

    >>> text = 'CONSTRUCT { ?s ?p ?o } WHERE { { SELECT * WHERE { ?s ?p ?o } } }'
    >>> text[pattern_start(text) :]
    ' { SELECT * WHERE { ?s ?p ?o } } }'
    >>> pattern_start('DESCRIBE ?s VALUES ?s { <urn:a> }') is None
    True

    :raises QueryRefused: a string that is not closed or holds an escape SPARQL lacks.
    """
    depth, first, after_where = 0, None, False
    for kind, value, end in lexemes(text):
        if value == "{" and depth == 0 and (after_where or first is None):
            if after_where:
                return end
            first = end
        if value in ("{", "(", "["):
            depth += 1
        elif value in ("}", ")", "]"):
            depth = max(0, depth - 1)
        elif depth == 0 and kind == "name" and value.casefold() == "where":
            after_where = True
        elif depth == 0 and kind == "name" and value.casefold() == "values" and first is None:
            return None
    return first
