"""Serving the graph: the read-only front that checks every query (``front``) and the processes
behind ``spasmkg serve`` (``server``).
"""
