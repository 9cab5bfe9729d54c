"""What a build writes: the registry of outputs (``registry``) and its writers — RDF
serialisations (``rdf``), the NetworkX export (``network``), the interactive page (``page``),
VoID and the report (``report``) — and the atomic, reproducible build itself (``build``).
"""
