"""The commands researchers expect (issue 28 §6): associations, normalize, search, ancestors and
descendants, as library calls and as commands, their rows in TSV, JSON and JSON Lines, and
``--output FILE`` on every command that writes rows. Bad input to them is in
tests/data/cli_errors.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

# --output on every command that writes rows


@pytest.mark.parametrize(
    "args",
    [
        ["query", "graph-statistics", "--layer", "core", "-f", "tsv"],
        ["lookup", "furosemide", "--layer", "core", "--format", "json"],
    ],
    ids=lambda args: args[0],
)
def test_output_writes_the_rows_to_a_file_and_nothing_to_stdout(
    run: object, tmp_path: Path, args: list[str]
) -> None:
    target = tmp_path / "rows.out"
    written = run(*args, "--output", str(target))  # type: ignore[operator]
    shown = run(*args)  # type: ignore[operator]
    assert written.exit_code == shown.exit_code == 0, written.output
    assert written.stdout == ""
    assert f"wrote {target}" in written.stderr
    assert target.read_text(encoding="utf-8") == shown.stdout != ""
