"""Build the typed records from the loaded RDF, once: the only reader of raw claim patterns.

Every rule about how RDF becomes a record lives here: a node's label, its kind (one function,
deterministic when a node has two types), a claim's evidence, a source's citation fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from spasmkg.model.curie import curie, local_of, prefix_map, split_curie
from spasmkg.model.hedging import plain_predicate
from spasmkg.model.layers import CORE, LAYERS, Layer
from spasmkg.model.namespaces import SKGO
from spasmkg.model.records import (
    DIRECTIONS as DIRECTION_ORDER,
)
from spasmkg.model.records import (
    Claim,
    Entity,
    EvidenceItem,
    Identifier,
    Name,
    Source,
    Term,
)
from spasmkg.model.sssom import MappingSet
from spasmkg.model.standing import EvidenceRules, Weighed

#: Mapping relations in the order lookups list them: closest first.
MATCH_ORDER = {
    "skos:exactMatch": 0,
    "skos:closeMatch": 1,
    "skos:narrowMatch": 2,
    "skos:broadMatch": 3,
    "skos:relatedMatch": 4,
}


@dataclass(frozen=True)
class View:
    """Entities, claims and sources by IRI, and each node's claims."""

    entities: Mapping[str, Entity]
    claims: Mapping[str, Claim]
    sources: Mapping[str, Source]
    claims_by_node: Mapping[str, tuple[Claim, ...]]
    #: the claims that hold only in a node's context ("relieves spasms, in multiple sclerosis")
    claims_by_context: Mapping[str, tuple[Claim, ...]]
    #: the relations a claim may state, by IRI
    relations: Mapping[str, Term]


def text(graph: Graph, node: Node, predicate: URIRef) -> str:
    """The one literal value of a property, or the empty string."""
    value = graph.value(node, predicate)
    return str(value) if value is not None else ""


class Properties:
    """A node's properties read in one look-up: a record asks for a dozen of them, and one
    look-up per field was most of the time the records took to build."""

    def __init__(self, graph: Graph, node: Node) -> None:
        self.values: dict[Node, list[Node]] = {}
        for predicate, value in graph.predicate_objects(node):
            self.values.setdefault(predicate, []).append(value)

    def value(self, predicate: URIRef) -> Node | None:
        """One value of a property (the shapes allow one), or None."""
        found = self.values.get(predicate)
        return found[0] if found else None

    def text(self, predicate: URIRef) -> str:
        """The one literal value of a property, or the empty string."""
        found = self.values.get(predicate)
        return str(found[0]) if found else ""

    def every(self, predicate: URIRef) -> list[Node]:
        """Every value of a property."""
        return self.values.get(predicate, [])


class ClassTree:
    """The ontology's class hierarchy, for a node's kind and the labels of terms."""

    def __init__(self, ontology: Graph) -> None:
        self.ontology = ontology
        self.depth: dict[Node, int] = {}
        self.rules = EvidenceRules.of(ontology)

    def depth_of(self, cls: Node) -> int:
        """How many subclass steps lead from a class to a root class."""
        if cls not in self.depth:
            self.depth[cls] = 0  # guards a cycle
            parents = list(self.ontology.objects(cls, RDFS.subClassOf))
            self.depth[cls] = 1 + max((self.depth_of(p) for p in parents), default=-1)
        return self.depth[cls]

    def descendants(self, root: URIRef) -> set[Node]:
        """A class and every class below it."""
        return {
            c for c in self.ontology.transitive_subjects(RDFS.subClassOf, root) if c is not None
        }

    def kind(self, types: Iterable[Node], allowed: set[Node]) -> Node | None:
        """The most specific of a node's classes; ties go to the first IRI in sorted order."""
        candidates = sorted((t for t in types if t in allowed), key=str)
        return max(candidates, key=self.depth_of, default=None)

    def label(self, term: Node) -> str:
        """The ontology's label of a term, or its CURIE."""
        return text(self.ontology, term, RDFS.label) or curie(term)

    def term(self, node: Node) -> Term:
        """An ontology term as a record, with its rank where it has one."""
        rank = self.ontology.value(node, SKGO.rank)
        return Term(
            str(node), curie(node), self.label(node), int(str(rank)) if rank is not None else 0
        )


def read_relations(tree: ClassTree) -> dict[str, Term]:
    """The relations a claim may state: every property the ontology maps to a Biolink
    predicate (``skgo:biolinkTerm``; its classes are mapped to Biolink categories)."""
    return {
        str(node): tree.term(node)
        for node in sorted(tree.ontology.subjects(SKGO.biolinkTerm, None), key=str)
        if (node, RDF.type, OWL.Class) not in tree.ontology
    }


def identifiers(mapping_set: MappingSet | None) -> dict[str, tuple[Identifier, ...]]:
    """Each entity's outside identifiers, closest match first, by the entity's CURIE."""
    found: dict[str, list[Identifier]] = {}
    rows = mapping_set.mappings if mapping_set else []
    for row in sorted(rows, key=lambda m: (MATCH_ORDER.get(m.predicate_id, 9), m.object_id)):
        prefix = prefix_map().get(row.object_prefix)
        if prefix is None:
            continue
        found.setdefault(row.subject_id, []).append(
            Identifier(
                predicate=row.predicate_id,
                curie=row.object_id,
                iri=str(prefix.iri(row.object_local_id)),
                label=row.object_label,
                vocabulary=prefix.name,
                link=prefix.link(row.object_local_id),
            )
        )
    return {name: tuple(items) for name, items in found.items()}


def stated_identifiers(graph: Graph) -> dict[str, tuple[Identifier, ...]]:
    """Outside identifiers written as ``skos:exactMatch`` triples, as imported layers give them."""
    found: dict[str, list[Identifier]] = {}
    for node, target in sorted(graph.subject_objects(SKOS.exactMatch)):
        name = curie(target)
        prefix_name, local = split_curie(name)
        prefix = prefix_map().get(prefix_name)
        if prefix is None or name == str(target):
            continue
        found.setdefault(str(node), []).append(
            Identifier("skos:exactMatch", name, str(target), "", prefix.name, prefix.link(local))
        )
    return {node: tuple(items) for node, items in found.items()}


def read_names(graphs: Iterable[Graph]) -> dict[str, tuple[Name, ...]]:
    """Every everyday name (``skgo:Name``) in the graphs, by the IRI of the entity it names,
    sorted by text (a layer may name the core's entities)."""
    found: dict[str, list[Name]] = {}
    for graph in graphs:
        for node in graph.subjects(RDF.type, SKGO.Name):
            about = Properties(graph, node)
            entity, text = about.value(SKGO.nameOf), about.text(SKGO.text)
            if entity is None or not text:
                continue  # SHACL reports it
            found.setdefault(str(entity), []).append(
                Name(
                    text=text,
                    kind=local_of(curie(about.value(SKGO.nameKind))),
                    sources=tuple(sorted(curie(s) for s in about.every(PROV.wasDerivedFrom))),
                    preferred=about.text(SKGO.preferredSense) == "true",
                    other_senses=about.text(SKGO.otherSenses),
                )
            )
    return {
        iri: tuple(sorted(names, key=lambda n: (n.text, n.kind))) for iri, names in found.items()
    }


def read_entities(
    asserted: Graph,
    tree: ClassTree,
    mapping_set: MappingSet | None,
    layer: str = "core",
    names: Mapping[str, tuple[Name, ...]] | None = None,
) -> dict[str, Entity]:
    """Every entity and guidance node of one layer, by IRI, sorted, with its everyday names."""
    entity_classes = tree.descendants(SKGO.Entity) - {SKGO.Entity}
    guidance_classes = tree.descendants(SKGO.Guidance) - {SKGO.Guidance}
    allowed = entity_classes | guidance_classes
    links = identifiers(mapping_set)
    stated = stated_identifiers(asserted)
    entities = {}
    for node in sorted({n for c in allowed for n in asserted.subjects(RDF.type, c)}, key=str):
        if not isinstance(node, URIRef):
            continue
        about = Properties(asserted, node)
        kind = tree.kind(about.every(RDF.type), allowed)
        name = curie(node)
        entities[str(node)] = Entity(
            iri=str(node),
            curie=name,
            label=about.text(RDFS.label) or name,
            kind=local_of(curie(kind)),
            kind_label=tree.label(kind) if kind is not None else "",
            definition=about.text(SKOS.definition),
            synonyms=tuple(sorted(str(a) for a in about.every(SKOS.altLabel))),
            identifiers=links.get(name, ()) or stated.get(str(node), ()),
            is_guidance=kind in guidance_classes,
            urgency=local_of(curie(urgency))
            if (urgency := about.value(SKGO.urgency)) is not None
            else "",
            layer=layer,
            names=(names or {}).get(str(node), ()),
        )
    return entities


def resolvable(pmid: str, doi: str) -> str:
    """A page a reader can open for a publication: its DOI, else its PubMed record."""
    if doi:
        return f"https://doi.org/{doi}"
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else ""


def read_sources(asserted: Graph, tree: ClassTree) -> dict[str, Source]:
    """Every source, by IRI, with its citation fields."""
    classes = tree.descendants(SKGO.Source) - {SKGO.Source}
    sources = {}
    for node in sorted({n for c in classes for n in asserted.subjects(RDF.type, c)}, key=str):
        about = Properties(asserted, node)
        kind = tree.kind(about.every(RDF.type), classes)
        part_of = about.value(DCTERMS.isPartOf)
        pmid, doi = about.text(SKGO.pmid), about.text(SKGO.doi)
        sources[str(node)] = Source(
            iri=str(node),
            curie=curie(node),
            kind=local_of(curie(kind)),
            kind_label=tree.label(kind) if kind is not None else "",
            label=about.text(RDFS.label),
            definition=about.text(SKOS.definition),
            title=about.text(DCTERMS.title),
            authors=about.text(DCTERMS.creator),
            year=about.text(DCTERMS.issued),
            journal=about.text(SKGO.publishedIn),
            pmid=pmid,
            pmcid=about.text(SKGO.pmcid),
            doi=doi,
            link=about.text(RDFS.seeAlso) or resolvable(pmid, doi),
            read_at=about.text(SKGO.readAt),
            confirmed=about.text(SKGO.confirmed),
            part_of=str(part_of) if part_of is not None else "",
            within=whole_work(asserted, node),
        )
    return sources


def whole_work(asserted: Graph, part: Node) -> str:
    """The work a part belongs to, by its title and what it is (``"Muscle Spasms", a short
    patient-information text ...``); empty for a work that is no part of another."""
    work, seen = part, {part}
    while (parent := asserted.value(work, DCTERMS.isPartOf)) is not None and parent not in seen:
        work = parent
        seen.add(work)
    if work == part:
        return ""
    title = text(asserted, work, DCTERMS.title) or text(asserted, work, RDFS.label)
    described = text(asserted, work, DCTERMS.description)
    return f'"{title}", {described}' if described else f'"{title}"'


def evidence_item(
    asserted: Graph, item: Node, sources: Mapping[str, Source], tree: ClassTree
) -> EvidenceItem | None:
    """One evidence item, or None if it lacks its source, type or a direction of the closed
    set (SHACL and QC report it)."""
    about = Properties(asserted, item)
    source = sources.get(str(about.value(PROV.wasDerivedFrom)))
    eco = about.value(SKGO.evidenceType)
    direction = local_of(curie(about.value(SKGO.direction)))
    if source is None or eco is None or direction not in DIRECTION_ORDER:
        return None
    design = tree.rules.design(about.value(SKGO.studyDesign), eco)
    if design is None:
        return None
    certainty = about.value(SKGO.certainty)
    return EvidenceItem(
        iri=str(item),
        source=source,
        evidence_type=tree.term(eco),
        design=tree.term(URIRef(design)),
        direction=direction,
        certainty=tree.term(certainty) if certainty is not None else None,
        finding=about.text(SKGO.finding),
        part=about.text(SKGO.part),
        population=about.text(SKGO.population),
        dose_route=about.text(SKGO.doseOrRoute),
        jurisdiction=about.text(SKGO.jurisdiction),
        measured=about.text(SKGO.measured),
        frequency=about.text(SKGO.frequency),
        onset=about.text(SKGO.onset),
        sex=about.text(SKGO.sex),
        modifiers=tuple(sorted(str(m) for m in about.every(SKGO.modifier))),
        curated_on=about.text(SKGO.curatedOn),
    )


def evidence_items(
    asserted: Graph, claim: Node, sources: Mapping[str, Source], tree: ClassTree
) -> tuple[EvidenceItem, ...]:
    """The evidence of a claim: support first, then refutation, then the open; surest first."""
    found = (
        evidence_item(asserted, item, sources, tree)
        for item in asserted.objects(claim, SKGO.hasEvidence)
    )
    return tuple(sorted((item for item in found if item is not None), key=evidence_order))


def evidence_order(item: EvidenceItem) -> tuple[int, int, int, str]:
    """Where an item goes in its claim's list: by direction, then strongest first."""
    design, certainty = item.weight
    return (DIRECTION_ORDER.index(item.direction), -design, -certainty, item.iri)


def standing_of(items: tuple[EvidenceItem, ...], tree: ClassTree) -> Term:
    """A claim's standing by the ontology's rule (see :mod:`spasmkg.model.standing`)."""
    weighed = (
        Weighed(
            str(SKGO[item.direction]),
            item.design.iri,
            item.certainty.iri if item.certainty else None,
        )
        for item in items
    )
    return tree.term(URIRef(tree.rules.standing(weighed)))


def read_claims(
    asserted: Graph,
    entities: Mapping[str, Entity],
    sources: Mapping[str, Source],
    tree: ClassTree,
    layer: Layer,
) -> dict[str, Claim]:
    """Every claim of one layer between two known nodes, by IRI, sorted."""
    claims = {}
    hedged = dict(tree.ontology.subject_objects(SKGO.hedgedForm))
    for node in sorted(asserted.subjects(RDF.type, SKGO.Claim), key=str):
        about = Properties(asserted, node)
        subject = entities.get(str(about.value(RDF.subject)))
        obj = entities.get(str(about.value(RDF.object)))
        predicate = about.value(RDF.predicate)
        modality = about.value(SKGO.modality)
        if subject is None or obj is None or predicate is None or modality is None:
            continue  # SHACL reports the malformed claim; the view leaves it out
        context = about.value(SKGO.inContext)
        evidence = evidence_items(asserted, node, sources, tree)
        if not evidence:
            continue  # SHACL reports a claim without evidence
        claims[str(node)] = Claim(
            iri=str(node),
            curie=curie(node),
            subject=subject,
            predicate=tree.term(predicate),
            object=obj,
            modality=tree.term(modality),
            standing=standing_of(evidence, tree),
            note=about.text(RDFS.comment),
            graph=str(layer.graph),
            layer=layer.name,
            context=entities.get(str(context)) if context is not None else None,
            mechanism=tuple(
                entities[str(m)]
                for m in sorted(about.every(SKGO.hasMechanism), key=str)
                if str(m) in entities
            ),
            evidence=evidence,
            plain=plain_term(asserted, node, predicate, hedged, tree),
            class_wide=about.text(SKGO.classWide) == "true",
        )
    return claims


def plain_term(
    asserted: Graph, claim: Node, predicate: Node, hedged: dict[Node, Node], tree: ClassTree
) -> Term | None:
    """The relation of the claim's plain triple as a term, or None when it has none."""
    if not isinstance(predicate, URIRef):
        return None
    plain = plain_predicate(asserted, claim, predicate, hedged)
    return tree.term(plain) if plain is not None else None


def by_node(claims: Iterable[Claim]) -> dict[str, tuple[Claim, ...]]:
    """The claims each node takes part in, as subject or object."""
    found: dict[str, list[Claim]] = {}
    for claim in claims:
        found.setdefault(claim.subject.iri, []).append(claim)
        if claim.object.iri != claim.subject.iri:
            found.setdefault(claim.object.iri, []).append(claim)
    return {node: tuple(items) for node, items in found.items()}


def by_context(claims: Iterable[Claim]) -> dict[str, tuple[Claim, ...]]:
    """The claims bound to each context, so an entity's whole story includes them."""
    found: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.context is not None:
            found.setdefault(claim.context.iri, []).append(claim)
    return {node: tuple(items) for node, items in found.items()}


def build_view(
    ontology: Graph,
    asserted: Graph,
    mapping_set: MappingSet | None,
    imports: Sequence[tuple[Layer, Graph]] = (),
) -> View:
    """The records of a loaded graph: the curated core and, when loaded, the imported layers."""
    tree = ClassTree(ontology)
    core = LAYERS[CORE]
    names = read_names([asserted, *(graph for _, graph in imports)])
    entities = read_entities(asserted, tree, mapping_set, CORE, names)
    sources = read_sources(asserted, tree)
    claims = read_claims(asserted, entities, sources, tree, core)
    for layer, graph in imports:  # an import says nothing about the core's nodes, only links
        entities = dict(
            sorted({**read_entities(graph, tree, None, layer.name), **entities}.items())
        )
        sources = dict(sorted({**read_sources(graph, tree), **sources}.items()))
        claims.update(read_claims(graph, entities, sources, tree, layer))
    claims = dict(sorted(claims.items()))
    return View(
        entities=MappingProxyType(entities),
        claims=MappingProxyType(claims),
        sources=MappingProxyType(sources),
        claims_by_node=MappingProxyType(by_node(claims.values())),
        claims_by_context=MappingProxyType(by_context(claims.values())),
        relations=MappingProxyType(read_relations(tree)),
    )
