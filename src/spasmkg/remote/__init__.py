"""Talking to other SPARQL servers: the one SPARQL-over-HTTP client (``client``) and loading the
graph into a graph store (``push``).
"""
