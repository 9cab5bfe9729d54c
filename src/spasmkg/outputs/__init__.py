"""What a build writes.

- ``registry``: every output, in the order a build writes it; file names and media types.
- ``rdf``: Turtle, N-Triples, N-Quads, TriG and JSON-LD.
- ``documents``: Turtle and TriG declaring only the prefixes they use (the build's and the
  site's).
- ``network``: the NetworkX graph, GraphML and node-link JSON.
- ``kgx``: KGX nodes and edges aligned to Biolink.
- ``page``: the interactive page (its script and styles in ``templates/``).
- ``mermaid``: Mermaid flowcharts of chains and neighbourhoods.
- ``report``: the build report and the VoID description.
- ``swap``: putting a finished build in place, atomically.
- ``build``: the build itself: load, validate, write, swap.
"""
