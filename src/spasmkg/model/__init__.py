"""The model: where the data lives, its namespaces and CURIEs, the strict loader, and the typed,
immutable records (entities, claims, evidence, sources) that every other part reads.

Modules: ``paths`` (data folders), ``namespaces`` (IRIs and the closed ontology vocabulary),
``curie`` (the one CURIE converter), ``sssom`` (the mapping set), ``loader`` (strict parsing),
``records`` (the record types), ``standing`` (a claim's standing on its evidence),
``composition`` (the rules for chains), ``view`` (RDF to records), ``names`` (look-up by any name),
``graph`` (the KnowledgeGraph).
"""
