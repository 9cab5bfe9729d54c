"""Talking to other SPARQL servers.

- ``client``: the one SPARQL-over-HTTP client.
- ``lock``: one push at a time per target graph, with the lock kept in the store.
- ``push``: loading the graph into a graph store, through a staging graph.
"""
