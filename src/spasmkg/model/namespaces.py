"""Namespaces of spasmkg and the closed vocabulary of its ontology terms."""

from __future__ import annotations

from typing import ClassVar

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

from spasmkg.model.iris import BASE

SKG = Namespace(BASE + "entity/")
CLAIM = Namespace(BASE + "claim/")
SOURCE = Namespace(BASE + "source/")
GRAPH = Namespace(BASE + "graph/")
ECO = Namespace("http://purl.obolibrary.org/obo/ECO_")
VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")

EVIDENCE = Namespace(BASE + "evidence/")
ONTOLOGY_IRI = URIRef(BASE + "ontology")

#: Named graphs of a build: what curators wrote, what the loader derived, and the ontology.
ASSERTED_GRAPH = GRAPH.asserted
INFERRED_GRAPH = GRAPH.inferred
ONTOLOGY_GRAPH = GRAPH.ontology
MAPPINGS_GRAPH = GRAPH.mappings
#: each imported layer's named graphs are GRAPH[name] and GRAPH[name-inferred]
#: (see spasmkg.model.layers)


class SKGO(DefinedNamespace):
    """spasmkg ontology terms; a misspelt term fails at import, and a test keeps this in step
    with ontology/spasmkg.ttl."""

    _fail = True
    _NS = Namespace(BASE + "ontology/")
    #: individuals whose names are not Python identifiers (certainty grades)
    _extras: ClassVar[list[str]] = [
        "aan-level-a",
        "aan-level-b",
        "aan-level-c",
        "aan-level-u",
        "grade-high",
        "grade-low",
        "grade-moderate",
        "grade-very-low",
        "nasem-conclusive",
        "nasem-insufficient",
        "nasem-limited",
        "nasem-moderate",
        "nasem-substantial",
        "recommendation-conditional",
        "recommendation-strong",
        "sort-a",
        "sort-b",
        "sort-c",
    ]

    # classes
    Activity: URIRef
    Article: URIRef
    ArticleSection: URIRef
    BiologicalProcess: URIRef
    Certainty: URIRef
    Claim: URIRef
    ClinicalCourse: URIRef
    ClinicalFinding: URIRef
    Compound: URIRef
    CompoundClass: URIRef
    Condition: URIRef
    Curation: URIRef
    DatabaseRecord: URIRef
    Direction: URIRef
    Disease: URIRef
    Entity: URIRef
    Enzyme: URIRef
    EvidenceItem: URIRef
    Guidance: URIRef
    Guideline: URIRef
    Injury: URIRef
    Medication: URIRef
    MedicationClass: URIRef
    Modality: URIRef
    Nutrient: URIRef
    Organism: URIRef
    Passage: URIRef
    Pathway: URIRef
    PatientInformation: URIRef
    PhysiologicalState: URIRef
    Gene: URIRef
    PhenotypicFeature: URIRef
    Population: URIRef
    ProductInformation: URIRef
    Publication: URIRef
    Receptor: URIRef
    ReferenceWork: URIRef
    RegulatorCommunication: URIRef
    Source: URIRef
    Treatment: URIRef
    TreatmentApproach: URIRef
    Urgency: URIRef
    WarningSign: URIRef
    Standing: URIRef
    StudyDesign: URIRef
    ChainRole: URIRef
    Inheritance: URIRef
    Name: URIRef
    NameKind: URIRef

    # relations, claim and evidence qualifiers
    causes: URIRef
    certainty: URIRef
    contributesTo: URIRef
    deficiencyOf: URIRef
    degrades: URIRef
    direction: URIRef
    evidenceType: URIRef
    foundIn: URIRef
    hasActiveIngredient: URIRef
    hasAdverseEffect: URIRef
    hasCourse: URIRef
    hasEvidence: URIRef
    hasMechanism: URIRef
    hedgedForm: URIRef
    inContext: URIRef
    interactsWith: URIRef
    managedBy: URIRef
    mistakenFor: URIRef
    howToTell: URIRef
    mayBeRiskFactorFor: URIRef
    mayCause: URIRef
    mayContributeTo: URIRef
    mayHaveAdverseEffect: URIRef
    mayHaveCourse: URIRef
    mayInteractWith: URIRef
    mayRegulate: URIRef
    mayRelieve: URIRef
    mayTarget: URIRef
    mayTreat: URIRef
    modality: URIRef
    partOfPathway: URIRef
    regulates: URIRef
    relieves: URIRef
    requiredFor: URIRef
    riskFactorFor: URIRef
    seekCareWhen: URIRef
    targets: URIRef
    treats: URIRef
    urgency: URIRef
    biolinkContextQualifier: URIRef
    biolinkTerm: URIRef
    curatedOn: URIRef
    frequency: URIRef
    geneAssociatedWith: URIRef
    hasPhenotype: URIRef
    modifier: URIRef
    onset: URIRef
    sex: URIRef
    standing: URIRef
    studyDesign: URIRef
    defaultDesign: URIRef
    ifStrongestInclude: URIRef
    ifStrongestExclude: URIRef
    chainRole: URIRef
    mayBeFollowedBy: URIRef
    passesAlongClassLink: URIRef
    classWide: URIRef
    nameOf: URIRef
    text: URIRef
    nameKind: URIRef
    preferredSense: URIRef
    otherSenses: URIRef

    # literal-valued properties
    charEnd: URIRef
    charStart: URIRef
    confirmed: URIRef
    doi: URIRef
    doseOrRoute: URIRef
    fileName: URIRef
    finding: URIRef
    jurisdiction: URIRef
    measured: URIRef
    part: URIRef
    pmcid: URIRef
    pmid: URIRef
    population: URIRef
    publishedIn: URIRef
    rank: URIRef
    readAt: URIRef
    sha256: URIRef

    # individuals: modalities, directions, urgencies, standings, study designs, chain roles
    supported: URIRef
    mixed: URIRef
    unsettled: URIRef
    notSupported: URIRef
    systematicReview: URIRef
    randomisedTrial: URIRef
    observationalStudy: URIRef
    caseSeries: URIRef
    expertStatement: URIRef
    untracedStatement: URIRef
    causalStep: URIRef
    mechanismStep: URIRef
    efficacyStep: URIRef
    classStep: URIRef
    passesMarked: URIRef
    passesOnlyClassWide: URIRef
    layTerm: URIRef
    brandName: URIRef
    abbreviation: URIRef
    laypersonSynonym: URIRef
    inconclusive: URIRef
    possible: URIRef
    refutes: URIRef
    stated: URIRef
    supports: URIRef
    typical: URIRef
    emergency: URIRef
    sameDay: URIRef
    soon: URIRef
    selfCare: URIRef
