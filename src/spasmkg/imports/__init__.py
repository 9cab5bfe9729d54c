"""Layers imported from outside resources: the HPO disease annotations."""
