"""Serving the graph read-only: ``spasmkg serve``, a Linked Data site around a SPARQL endpoint.

- ``server``: the process: its socket, the uvicorn server and its connection guards, signals.
- ``app``: a served site assembled from a loaded graph.
- ``front``: the ASGI front: routes each request, sends each answer with its headers.
- ``request``: what a request asks (headers, SPARQL protocol parameters) and the read-only check.
- ``admission``: slots for running queries, the waiting queue, the cap per client.
- ``cache``: answers of repeated queries, within a budget that counts keys and bodies.
- ``pool``: the query workers as the front sees them: started, watched, stopped, replaced.
- ``worker``: a query worker's process: the graph in memory, answers within the cap, cancels.
- ``isolation``: the walls around a worker: a network namespace, a seccomp filter, the probe.
- ``protocol``: the messages between front and worker over their pipes, and answer media types.
- ``site``: what the site publishes: records by name, downloads with checksums, examples.
- ``routes``: the site's paths, content negotiation and each response's security policy.
- ``html``: the site's HTML pages, from the typed records.
"""
