"""The version of spasmkg, in one place."""

__version__ = "0.1.0"
