"""Freeze what the KGX export needs of the Biolink Model, from the biolink-model package.

Run after changing a ``skgo:biolinkTerm`` in the ontology or upgrading biolink-model:

    python scripts/freeze_biolink.py > src/spasmkg/outputs/biolink.json

At run time spasmkg reads the frozen file and never imports biolink-model (which brings the
LinkML runtime). For each Biolink category the ontology maps a class to, it records the
identifier prefixes Biolink prefers for it, in Biolink's order: the export names a node by its
first exact match among them. ``tests/test_kgx.py`` checks the file against the package.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

import biolink_model
import yaml
from rdflib import Graph, URIRef

BIOLINK = "https://w3id.org/biolink/vocab/"
ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "spasmkg.ttl"
BIOLINK_TERM = URIRef("https://w3id.org/spasmkg/ontology/biolinkTerm")


def schema() -> dict:
    """The Biolink Model schema the installed package ships."""
    folder = Path(next(iter(biolink_model.__path__)))
    return yaml.safe_load((folder / "schema" / "biolink_model.yaml").read_text("utf-8"))


def class_name(curie: str) -> str:
    """``biolink:PhenotypicFeature`` as the schema spells it: ``phenotypic feature``."""
    local = curie.removeprefix("biolink:")
    return "".join(f" {c.lower()}" if c.isupper() else c for c in local).strip()


def frozen() -> dict:
    """The version and the preferred identifier prefixes of every category the ontology uses."""
    ontology = Graph().parse(ONTOLOGY)
    categories = sorted(
        {
            f"biolink:{str(term).removeprefix(BIOLINK)}"
            for term in ontology.objects(None, BIOLINK_TERM)
            if str(term)[len(BIOLINK)].isupper()
        }
    )
    classes = schema()["classes"]
    return {
        "source": f"biolink-model {metadata.version('biolink-model')} (schema/biolink_model.yaml)",
        "version": metadata.version("biolink-model"),
        "id_prefixes": {c: preferred_prefixes(classes, class_name(c)) for c in categories},
    }


def preferred_prefixes(classes: dict, name: str) -> list[str]:
    """A class's own preferred prefixes, then its ancestors' (Biolink lists none for some
    classes, such as clinical course, and few for others, such as clinical finding)."""
    found: list[str] = []
    while name:
        found += [p for p in classes[name].get("id_prefixes", []) if p not in found]
        name = classes[name].get("is_a", "")
    return found


if __name__ == "__main__":
    json.dump(frozen(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
