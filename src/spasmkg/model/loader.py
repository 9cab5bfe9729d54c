"""Strict loading of the ontology and curated graph, and materialisation of claims.

Curators write every edge between entities as a claim (an ``rdf:Statement`` with its
evidence items). The loader adds a plain ``subject predicate object`` triple for each claim
that can have one without saying more than the claim (see :func:`plain_predicate`) to a
separate *inferred* graph, so simple queries stay simple and never overstate, and users can
always tell what was written from what was derived.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import (
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    DefinedNamespace,
)
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from spasmkg.errors import GraphSyntaxError, UndeclaredTerm
from spasmkg.model.graph import KnowledgeGraph, LayerGraphs, bind_prefixes
from spasmkg.model.hedging import plain_predicate
from spasmkg.model.layers import ALL, imported_layers, input_files
from spasmkg.model.namespaces import ASSERTED_GRAPH, ONTOLOGY_GRAPH, SKGO
from spasmkg.model.paths import DataPaths, data_paths
from spasmkg.model.sssom import mapping_graph, read_sssom
from spasmkg.model.standing import EvidenceRules, weighed_items
from spasmkg.model.terms import RdflibTerms, rdflib_graph
from spasmkg.model.wellformed import RELATIVE_BASE, check_wellformed

log = logging.getLogger(__name__)

#: Standard vocabularies whose terms are a closed list: a misspelt ``rdfs:lable`` is an error.
CLOSED_VOCABULARIES: tuple[type[DefinedNamespace], ...] = (RDF, RDFS, OWL, SKOS, PROV, DCTERMS, XSD)
DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)
SKGO_BASE = str(SKGO._NS)
UTF8_BOM = b"\xef\xbb\xbf"


def display_path(path: Path, paths: DataPaths) -> str:
    """Path relative to the data root, as users see it in the repository."""
    try:
        return str(path.relative_to(paths.root))
    except ValueError:
        return str(path)


def syntax_error_line(error: BadSyntax) -> int:
    """The 1-based line of a Turtle syntax error, counted from the parser's character position.

    rdflib's own ``lines`` attribute can be one line late (it counts a newline the parser
    looked past); an error at end of file points at the last line that has content.
    """
    text = error._str.decode("utf-8", "replace") if isinstance(error._str, bytes) else error._str
    if error._i < 0:
        return text.rstrip().count("\n") + 1
    return text.count("\n", 0, error._i) + 1


def rdflib_parse(path: Path, shown_as: str) -> Graph:
    """Parse one Turtle file with rdflib, turning any parser error into a ``file:line`` message."""
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(path, format="turtle", publicID=RELATIVE_BASE)
    except BadSyntax as error:
        line = syntax_error_line(error)
        raise GraphSyntaxError(f"{shown_as}:{line}: bad Turtle syntax: {error._why}") from None
    except UnicodeDecodeError as error:
        raise GraphSyntaxError(
            f"{shown_as}: not UTF-8 text (byte {error.start} cannot be decoded); save it as UTF-8"
        ) from None
    except RecursionError:
        raise GraphSyntaxError(f"{shown_as}: nested too deeply to parse") from None
    except (ValueError, TypeError) as error:
        raise GraphSyntaxError(f"{shown_as}: bad Turtle: {error}") from None
    except OSError as error:
        raise GraphSyntaxError(f"{shown_as}: cannot read: {error.strerror}") from None
    return graph


@dataclass(frozen=True)
class Parsed:
    """Files as parsed: the rdflib graph the records are read from, and pyoxigraph's own
    triples, which fill the store without a second conversion."""

    graph: Graph
    triples: list[Any]
    #: every distinct term, in the order the files first use them
    terms: list[Node]


def parse_turtle(path: Path, shown_as: str) -> Graph:
    """Parse one Turtle file into an rdflib graph (see :func:`read_turtle`)."""
    return read_turtle(path, shown_as).graph


def read_turtle(path: Path, shown_as: str) -> Parsed:
    """Parse one Turtle file, fast: pyoxigraph reads it and hands rdflib the terms.

    When pyoxigraph refuses the file, rdflib reads it again for the error message users know
    (or, where rdflib is lenient, for :func:`check_wellformed` to name the bad term).

    :raises GraphSyntaxError: the file cannot be read or is not Turtle (file and line named).
    """
    log.debug("parsing %s", shown_as)
    try:
        data = path.read_bytes().removeprefix(UTF8_BOM)  # rdflib reads past a BOM too
        parser = ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=RELATIVE_BASE)
        triples = list(parser)
    except (SyntaxError, ValueError, OSError) as error:
        lenient = rdflib_parse(path, shown_as)
        check_wellformed(lenient, path, shown_as)
        line = getattr(error, "lineno", None)
        where = f"{shown_as}:{line}" if line else shown_as
        reason = str(error.msg if isinstance(error, SyntaxError) else error)
        raise GraphSyntaxError(f"{where}: bad Turtle: {reason}") from None
    term = RdflibTerms()
    graph = rdflib_graph(triples, parser.prefixes, term)
    return Parsed(graph, triples, [node for node in term.seen.values() if node is not None])


def declared_terms(ontology: Graph) -> set[URIRef]:
    """The spasmkg terms that the ontology declares as classes, properties or individuals."""
    return {
        subject
        for kind in DECLARATION_TYPES
        for subject in ontology.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and str(subject).startswith(SKGO_BASE)
    }


def undeclared(terms: Iterable[Node], declared: set[URIRef]) -> Iterator[URIRef]:
    """Terms of spasmkg's or a closed standard vocabulary that are not part of it."""
    for term in terms:
        if not isinstance(term, URIRef):
            continue
        iri = str(term)
        if iri.startswith(SKGO_BASE) and iri != SKGO_BASE:
            if term not in declared:
                yield term
            continue
        for vocabulary in CLOSED_VOCABULARIES:
            if (
                iri.startswith(str(vocabulary))
                and iri != str(vocabulary)
                and term not in vocabulary
            ):
                yield term


def line_of(path: Path, term: URIRef, graph: Graph) -> int:
    """First line of a file that mentions a term, as a CURIE or a full IRI (1 if not found)."""
    spellings = [re.escape(f"<{term}>")]
    for prefix, namespace in graph.namespaces():
        if str(term).startswith(str(namespace)) and prefix:
            local = str(term)[len(str(namespace)) :]
            spellings.append(rf"(?<![\w:-]){re.escape(prefix)}:{re.escape(local)}(?![\w-])")
    pattern = re.compile("|".join(spellings))
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if pattern.search(text):
            return number
    return 1


def check_terms(parsed: Parsed, path: Path, shown_as: str, declared: set[URIRef]) -> None:
    """Refuse a file that uses an ontology or standard term that does not exist."""
    graph = parsed.graph
    for term in sorted(undeclared(parsed.terms, declared)):
        curie = graph.namespace_manager.normalizeUri(term)
        raise UndeclaredTerm(
            f"{shown_as}:{line_of(path, term, graph)}: {curie} is not a declared term "
            "(check the spelling against ontology/spasmkg.ttl or the standard vocabulary)"
        )


def materialise(asserted: Graph, ontology: Graph) -> Graph:
    """What the loader derives, kept apart from what curators wrote: the study design of each
    evidence item that takes its evidence type's default, each claim's standing on its
    evidence, and the plain triple of every claim that can have one."""
    hedged = dict(ontology.subject_objects(SKGO.hedgedForm))
    rules = EvidenceRules.of(ontology)
    inferred = Graph(bind_namespaces="none")
    for item, eco in asserted.subject_objects(SKGO.evidenceType):
        if asserted.value(item, SKGO.studyDesign) is None and str(eco) in rules.default_design:
            inferred.add((item, SKGO.studyDesign, URIRef(rules.default_design[str(eco)])))
    for claim in asserted.subjects(RDF.type, SKGO.Claim):
        items = weighed_items(asserted, claim, rules)
        if items:  # a claim without evidence is refused by SHACL
            inferred.add((claim, SKGO.standing, URIRef(rules.standing(items))))
        subject = asserted.value(claim, RDF.subject)
        predicate = asserted.value(claim, RDF.predicate)
        obj = asserted.value(claim, RDF.object)
        if subject is None or not isinstance(predicate, URIRef) or obj is None:
            continue
        plain = plain_predicate(asserted, claim, predicate, hedged)
        if plain is not None:
            inferred.add((subject, plain, obj))
    bind_prefixes(inferred, asserted)
    return inferred


def load_ontology(paths: DataPaths) -> Parsed:
    """Parse the ontology; it must itself use only the terms it declares."""
    shown_as = display_path(paths.ontology_file, paths)
    ontology = read_turtle(paths.ontology_file, shown_as)
    check_wellformed(ontology.graph, paths.ontology_file, shown_as, ontology.terms)
    check_terms(ontology, paths.ontology_file, shown_as, declared_terms(ontology.graph))
    return ontology


def parse_files(files: list[Path], paths: DataPaths, declared: set[URIRef]) -> Parsed:
    """Parse Turtle files strictly into one graph, keeping their prefixes."""
    parts = []
    for path in files:
        shown_as = display_path(path, paths)
        part = read_turtle(path, shown_as)
        check_wellformed(part.graph, path, shown_as, part.terms)
        check_terms(part, path, shown_as, declared)
        parts.append(part)
    if len(parts) == 1:
        return parts[0]  # one file (an import): no copy
    merged = Graph(bind_namespaces="none")
    for part in parts:
        merged += part.graph
        bind_prefixes(merged, part.graph)
    triples = [triple for part in parts for triple in part.triples]
    return Parsed(merged, triples, list(dict.fromkeys(t for part in parts for t in part.terms)))


def load(root: Path | str | None = None, *, layer: str | Sequence[str] = ALL) -> KnowledgeGraph:
    """Parse ontology and graph strictly and materialise what each claim implies.

    :param root: a data folder holding ontology/, graph/ and queries/; by default the
        packaged data (or the source checkout's).
    :param layer: ``all`` (the default: the curated core and every imported layer found but
        the opt-in ones), ``core``, or one or more layer names (a list, or names joined by
        commas, ``all,hpo-movement``); see :data:`spasmkg.model.layers.LAYERS`. The core is
        always loaded.
    :raises GraphSyntaxError: a file does not parse (the message names file and line).
    :raises UndeclaredTerm: a file uses a term the ontology does not declare.
    :raises UsageError: a layer is unknown, or named and missing.
    """
    paths = data_paths(root)
    imports = imported_layers(paths, layer)
    ontology = load_ontology(paths)
    declared = declared_terms(ontology.graph)
    asserted = parse_files(paths.graph_files(), paths, declared)
    layers = []
    parsed = {str(ONTOLOGY_GRAPH): ontology.triples, str(ASSERTED_GRAPH): asserted.triples}
    for row in imports:
        part = parse_files(row.paths(paths.root), paths, declared)
        layers.append(LayerGraphs(row, part.graph, materialise(part.graph, ontology.graph)))
        parsed[str(row.graph)] = part.triples
    mapping_set = read_sssom(paths.mappings_file) if paths.mappings_file.exists() else None
    return KnowledgeGraph(
        paths=paths,
        ontology=ontology.graph,
        asserted=asserted.graph,
        inferred=materialise(asserted.graph, ontology.graph),
        mappings=mapping_graph(mapping_set) if mapping_set else Graph(bind_namespaces="none"),
        mapping_set=mapping_set,
        files=tuple(input_files(paths, layer)),
        imports=tuple(layers),
        parsed=parsed,
    )
