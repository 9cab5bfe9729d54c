"""Asking the graph.

- ``library``: the named queries and their typed parameters.
- ``lexer``: reads SPARQL text as the engines do, for the read-only checks.
- ``safety``: what a query would do before any engine runs it; refuses updates, SERVICE, FROM.
- ``engines``: rdflib, pyoxigraph and a remote endpoint behind one interface.
- ``results``: a query's answer and its formats (table, CSV, TSV, JSON, Markdown).
- ``answer``: one call that finds a query, checks it, binds its parameters and runs it.
- ``citing``: claims and evidence as terminal text, every item with its citation.
- ``explain``: chains between two entities, formed by the ontology's rules, in three groups.
- ``lookup``: an entity by any of its names, with its identifiers and claims.
- ``why``: why a symptom might be happening to a person: signs, reasons, help, mimics.
- ``leaflet``: a ``why`` answer as a careful leaflet in text or Markdown.
"""
