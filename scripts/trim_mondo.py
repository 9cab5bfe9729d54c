"""Keep the rows of MONDO's own exact-match mappings that the HPO import needs.

MONDO publishes, with each release, SSSOM files mapping its diseases to OMIM and Orphanet.
The HPO layers name a disease by its MONDO ID where MONDO maps its OMIM or Orphanet record
exactly; this script writes just those rows (live MONDO terms only) for the diseases of every
HPO layer (``hpo-movement`` holds all of ``hpo``'s), so the import needs no network and the
committed file stays small:

    python scripts/trim_mondo.py MONDO_REPO_CHECKOUT COMMIT > graph/imports/mondo-diseases.sssom.tsv

MONDO_REPO_CHECKOUT holds ``src/ontology/mappings/mondo_exactmatch_{omim,orphanet}.sssom.tsv``
(from github.com/monarch-initiative/mondo); COMMIT is the commit it was read at.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from spasmkg.imports.hpo import HPO_LAYERS, Scope
from spasmkg.imports.hpo_files import HpoRelease
from spasmkg.model.sssom import REQUIRED_COLUMNS

FILES = ("mondo_exactmatch_omim.sssom.tsv", "mondo_exactmatch_orphanet.sssom.tsv")
#: MONDO writes Orphanet:368 where the HPO annotations write ORPHA:368.
PREFIXES = {"Orphanet": "ORPHA"}
#: The columns MONDO's files and ours share: SSSOM's required ones.
COLUMNS = REQUIRED_COLUMNS


def rows_and_versions(folder: Path) -> tuple[list[dict[str, str]], list[str]]:
    """Every exact-match row of the two files, and each file's mapping_set_version."""
    rows, versions = [], []
    for name in FILES:
        lines = (folder / "src/ontology/mappings" / name).read_text(encoding="utf-8").splitlines()
        versions += [line[2:] for line in lines if line.startswith("# mapping_set_version:")]
        table = [line for line in lines if not line.startswith("#")]
        rows += list(csv.DictReader(table, delimiter="\t"))
    return rows, versions


def main(folder: Path, commit: str) -> None:
    """Print the trimmed mapping set."""
    release = HpoRelease.shipped()
    wanted = set().union(*(Scope.of(release, s.bringing).diseases for s in HPO_LAYERS.values()))
    rows, versions = rows_and_versions(folder)
    print("# Rows of MONDO's own exact-match mapping sets for the diseases of the HPO layers;")
    print("# written by scripts/trim_mondo.py, live MONDO terms only, Orphanet: written ORPHA:.")
    print(f"# read from github.com/monarch-initiative/mondo at commit {commit}")
    print("# license: https://creativecommons.org/publicdomain/zero/1.0/")
    for version in versions:
        print(f"# {version}")
    print("\t".join(COLUMNS))
    kept = []
    for row in rows:
        prefix, _, local = row["object_id"].partition(":")
        object_id = f"{PREFIXES.get(prefix, prefix)}:{local}"
        if object_id not in wanted or row["subject_label"].startswith("obsolete"):
            continue
        if row["predicate_id"] != "skos:exactMatch":
            continue
        kept.append({**row, "object_id": object_id})
    for row in sorted(kept, key=lambda r: (r["object_id"], r["subject_id"])):
        print("\t".join(row[column] for column in COLUMNS))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
