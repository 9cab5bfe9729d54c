"""The model: where the data lives, its layers, namespaces and CURIEs, the strict loader, and
the typed, immutable records (entities, claims, evidence, sources) that every other part reads.

- ``paths``: the data folders, in a wheel or a checkout.
- ``formats``: the RDF and SPARQL-result formats: name, media type, extension.
- ``layers``: the registry of layers: the curated core and each imported layer.
- ``iris``: spasmkg's base IRI and display prefixes, as plain strings (no rdflib).
- ``namespaces``: spasmkg's IRIs and the closed vocabulary of its ontology.
- ``curie``: the one CURIE converter over the frozen bioregistry prefixes (``prefixes.json``).
- ``sssom``: the SSSOM mapping set and its SKOS triples.
- ``wellformed``: refuses bad IRIs, blank nodes, lone surrogates and rebound prefixes.
- ``terms``: terms between rdflib and pyoxigraph.
- ``term_parts``: a term's kind, text, language and datatype, from either library.
- ``loader``: strict parsing (errors as file:line), declared terms, what each claim implies.
- ``hedging``: which plain triple a claim may have.
- ``standing``: a claim's standing on its evidence, by the ontology's rule.
- ``composition``: the ontology's rules for putting claims together into chains.
- ``records``: the frozen record types.
- ``view``: builds the records from the RDF, once.
- ``names``: look-up of an entity by any of its names.
- ``graph``: the KnowledgeGraph, its named graphs and records.
- ``asking``: what ``why`` and ``explain`` read of a graph, and that part on its own.
- ``compiled``: the graph compiled for questions, kept on disk.
"""
