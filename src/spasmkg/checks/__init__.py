"""The checks.

- ``validate``: SHACL shapes and the quality-check queries, and validation as a whole.
- ``identifiers``: outside identifiers against their vocabularies (HPO, WHO ICD-10, patterns).
- ``references``: mapping rows against the vocabularies, cited passages against the article.
- ``report``: what validation finds, one violation per problem.
- ``canonical``: the canonical form of curated Turtle (``spasmkg fmt``).
"""
