"""Freeze the prefix map spasmkg uses for external identifiers, from bioregistry.

Run after changing the prefixes below or upgrading bioregistry:

    python scripts/freeze_prefixes.py > src/spasmkg/model/prefixes.json

At run time spasmkg reads the frozen file and never imports bioregistry or touches the
network. For each prefix it records the canonical IRI prefix (bioregistry's RDF form where
one exists, as MeSH, OBO, UniProt, SNOMED CT and Wikidata publish; identifiers.org
otherwise), a link prefix for people (the provider bioregistry lists first), the local
identifier pattern, and the Wikidata property that holds the identifier.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata

import bioregistry

#: The CURIE prefix spasmkg writes -> the bioregistry prefix it stands for.
PREFIXES = {
    "ATC": "atc",
    "CHEBI": "chebi",
    "DOID": "doid",
    "DRUGBANK": "drugbank",
    "ECO": "eco",
    "EFO": "efo",
    "GO": "go",
    "HGNC": "hgnc",
    "HP": "hp",
    "ICD10WHO": "icd10",
    "MESH": "mesh",
    "MONDO": "mondo",
    "NCBIGene": "ncbigene",
    "NCBITaxon": "ncbitaxon",
    "NCIT": "ncit",
    "OMIM": "omim",
    "ORPHA": "orphanet",
    "SNOMEDCT": "snomedct",
    "UMLS": "umls",
    "UniProtKB": "uniprot",
    "wikidata": "wikidata",
}


def canonical_uri_prefix(resource: bioregistry.Resource) -> str:
    """The IRI prefix other linked-data sources use for this vocabulary."""
    rdf = resource.get_rdf_uri_prefix()
    if rdf and resource.prefix != "ncbigene":  # its RDF form is UniProt's, not NCBI's own
        return rdf
    miriam = resource.get_miriam_prefix()
    if miriam:
        return f"https://identifiers.org/{miriam}:"
    return str(resource.get_uri_prefix())


def entry(curie_prefix: str, prefix: str) -> dict[str, str | None]:
    """One frozen record."""
    resource = bioregistry.get_resource(prefix)
    assert resource is not None, prefix
    return {
        "bioregistry": prefix,
        "name": resource.get_name(),
        "pattern": resource.get_pattern(),
        "uri_prefix": canonical_uri_prefix(resource),
        "link_prefix": resource.get_uri_prefix(),
        "wikidata_property": (resource.get_mappings() or {}).get("wikidata.property"),
    }


def main() -> None:
    """Print the frozen prefix map as JSON."""
    frozen = {
        "source": f"bioregistry {metadata.version('bioregistry')}",
        "prefixes": {curie: entry(curie, prefix) for curie, prefix in sorted(PREFIXES.items())},
    }
    json.dump(frozen, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
