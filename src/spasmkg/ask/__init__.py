"""Asking the graph.

- ``library``: the named queries and their typed parameters.
- ``lexer``: reads SPARQL text as the engines do, for the read-only checks.
- ``safety``: what a query would do before any engine runs it; refuses updates, SERVICE, FROM.
- ``outlines``: named queries' outlines kept across processes, so a cold query skips the parse.
- ``engines``: one interface over the engines; pyoxigraph's, and the choice among them.
- ``rdflib_engine``: rdflib's engine (imported only when it is chosen).
- ``endpoint_engine``: a remote SPARQL endpoint as an engine.
- ``results``: a query's answer and its formats (table, CSV, TSV, JSON, Markdown).
- ``answer``: one call that finds a query, checks it, binds its parameters and runs it.
- ``citing``: claims and evidence as terminal text, every item with its citation.
- ``explain``: chains between two entities, formed by the ontology's rules, in three groups.
- ``lookup``: an entity by any of its names, with its identifiers and claims; search's
  ranked candidates, each with why it matched.
- ``associations``: the claims as flat rows, with standing, hedge, context and evidence.
- ``normalize``: a CSV or TSV column of codes or words mapped to entities, with the match.
- ``hierarchy``: ancestors and descendants along the "is a kind of" claims.
- ``rows``: the one writer of rows (TSV, JSON, JSON Lines) and of an output file.
- ``why``: why a symptom might be happening to a person: signs, reasons, help, mimics.
- ``leaflet``: a ``why`` answer as a careful leaflet in text or Markdown.
"""
