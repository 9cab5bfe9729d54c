"""Asking the graph: the query library (``library``), read-only checks (``safety``), the engines
(``engines``), result formats (``results``), one-call answers (``answer``), causal chains
(``explain``) and entity look-ups (``lookup``).
"""
