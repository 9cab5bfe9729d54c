"""The checks: SHACL shapes and quality-check queries (``validate``), outside identifiers against
their vocabularies (``identifiers``), and the canonical form of curated Turtle (``canonical``).
"""
