"""A SPARQL lexer for the read-only checks: the same text is checked and then executed.

Parsers disagree on codepoint escapes: the SPARQL grammar (section 19.2) decodes ``\\uXXXX`` and
``\\UXXXXXXXX`` across the whole text before parsing, rdflib does so too, and Oxigraph decodes
them only inside strings and IRIs. A check by one parser of a text executed by the other can
be fooled (``"A\\u0022 . SERVICE <...>``). So every query is first *normalised* by the grammar's
own rule — escapes decoded once, an escape that spells another escape refused — and only the
normalised text is checked and run, by every engine. The lexer then reads that text as
Oxigraph does (strings, IRIs and comments first) and reports what it would do, conservatively:
any bare word or prefix that contains ``service`` counts as a SERVICE clause.

It is linear in the size of the text, so the server can check a query on its event loop
without a parser that a long query could stall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spasmkg.errors import QueryRefused

ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
TOKEN = re.compile(
    r"""
    (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<comment>\#[^\n\r]*)
    |(?P<var>[?$][\w\u00b7\u00c0-\U000effff]+)
    |(?P<bnode>_:[\w.\-\u00b7\u00c0-\U000effff]*)
    |(?P<pname>(?:[A-Za-z\u00c0-\U000effff][\w.\-\u00b7\u00c0-\U000effff]*)?:
              (?:[\w\-:\u00b7\u00c0-\U000effff]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%]
                 |\.(?=[\w\-:%\\\u00b7\u00c0-\U000effff]))*)
    |(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    |(?P<word>[A-Za-z\u00c0-\U000effff][\w\u00b7\u00c0-\U000effff]*)
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
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


def plain(text: str) -> bool:
    """True when a text cannot hold a SERVICE, an update or FROM, nor exceed the bounds, so it
    needs no tokens read: no word that could be one anywhere in it (strings included), fewer
    characters than the term limit, and fewer opening brackets than the depth limit."""
    folded = text.casefold()
    return (
        len(text) <= MAX_TOKENS
        and "service" not in folded
        and not KEYWORDS.search(folded)
        and text.count("{") + text.count("(") + text.count("[") <= MAX_DEPTH
    )


def outline(text: str) -> Outline:
    """Normalise a query and read what it would do; linear in its length.

    >>> outline('SELECT * { SERVICE <http://x/> { ?s ?p ?o } }').services
    ('SERVICE',)
    >>> outline('SELECT * { ?s ?p "SERVICE" }').services
    ()

    :raises QueryRefused: escapes that are refused (see :func:`normalise`), more than
        ``MAX_TOKENS`` terms, or groups nested deeper than ``MAX_DEPTH``.
    """
    normal = normalise(text)
    if plain(normal):
        return Outline(normal, (), (), False, 0, 0)
    services: list[str] = []
    updates: list[str] = []
    datasets = False
    tokens = depth = deepest = 0
    for match in TOKEN.finditer(normal):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        tokens += 1
        if tokens > MAX_TOKENS:
            raise QueryRefused(f"the query has more than {MAX_TOKENS} terms; split it up")
        value = match.group()
        if kind == "word":
            folded = value.casefold()
            if "service" in folded:
                services.append(value)
            elif folded in UPDATE_WORDS:
                updates.append(value)
            elif folded == "from":
                datasets = True
        elif kind == "pname" and "service" in value.partition(":")[0].casefold():
            services.append(value)
        elif kind == "other" and value in "{([":
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                raise QueryRefused(f"the query nests groups deeper than {MAX_DEPTH} levels")
        elif kind == "other" and value in "})]":
            depth = max(0, depth - 1)
    return Outline(normal, tuple(services), tuple(updates), datasets, tokens, deepest)
