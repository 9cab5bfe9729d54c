"""Namespaces of spasmkg and the closed vocabulary of its ontology terms."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

BASE = "https://w3id.org/spasmkg/"

SKG = Namespace(BASE + "entity/")
CLAIM = Namespace(BASE + "claim/")
SOURCE = Namespace(BASE + "source/")
GRAPH = Namespace(BASE + "graph/")
ECO = Namespace("http://purl.obolibrary.org/obo/ECO_")
VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")

ONTOLOGY_IRI = URIRef(BASE + "ontology")

#: Prefixes for spasmkg's own namespaces and the W3C vocabularies it uses, for short display.
SPASMKG_PREFIXES = {
    "skg": str(SKG),
    "skgo": BASE + "ontology/",
    "claim": str(CLAIM),
    "source": str(SOURCE),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
}

#: Named graphs of a build: what curators wrote, what the loader derived, and the ontology.
ASSERTED_GRAPH = GRAPH.asserted
INFERRED_GRAPH = GRAPH.inferred
ONTOLOGY_GRAPH = GRAPH.ontology
MAPPINGS_GRAPH = GRAPH.mappings


class SKGO(DefinedNamespace):
    """spasmkg ontology terms; a misspelt term fails at import, and a test keeps this in step
    with ontology/spasmkg.ttl."""

    _fail = True
    _NS = Namespace(BASE + "ontology/")

    # classes
    Entity: URIRef
    Condition: URIRef
    PhysiologicalState: URIRef
    Disease: URIRef
    Injury: URIRef
    Activity: URIRef
    Population: URIRef
    Nutrient: URIRef
    MedicationClass: URIRef
    Medication: URIRef
    CompoundClass: URIRef
    Compound: URIRef
    Organism: URIRef
    Receptor: URIRef
    Enzyme: URIRef
    Pathway: URIRef
    BiologicalProcess: URIRef
    Treatment: URIRef
    Guidance: URIRef
    WarningSign: URIRef
    ClinicalCourse: URIRef
    TreatmentApproach: URIRef
    Claim: URIRef
    Modality: URIRef
    Source: URIRef
    Article: URIRef
    ArticleSection: URIRef
    Passage: URIRef
    Curation: URIRef
    VocabularyRecord: URIRef

    # modalities
    stated: URIRef
    typical: URIRef
    possible: URIRef

    # relations between entities
    causes: URIRef
    contributesTo: URIRef
    deficiencyOf: URIRef
    requiredFor: URIRef
    hasAdverseEffect: URIRef
    treats: URIRef
    relieves: URIRef
    targets: URIRef
    partOfPathway: URIRef
    regulates: URIRef
    riskFactorFor: URIRef
    interactsWith: URIRef
    hasActiveIngredient: URIRef
    foundIn: URIRef
    degrades: URIRef
    managedBy: URIRef
    seekCareWhen: URIRef
    hasCourse: URIRef

    # claim qualifiers
    evidence: URIRef
    hasMechanism: URIRef
    inContext: URIRef
    modality: URIRef

    # source locators
    charStart: URIRef
    charEnd: URIRef
    sha256: URIRef
    fileName: URIRef
