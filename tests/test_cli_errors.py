"""Every command with bad input says one line, names the next step, and exits with the
documented code (the cases are data: tests/data/cli_errors.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.helpers import REPO, run_entry_point

CASES = yaml.safe_load((REPO / "tests" / "data" / "cli_errors.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[" ".join(c["args"])[:60] for c in CASES])
def test_bad_input_is_one_line_and_its_exit_code(case: dict[str, object], tmp_path: Path) -> None:
    args = [str(a).replace("{tmp}", str(tmp_path)) for a in case["args"]]  # type: ignore[attr-defined]
    result = run_entry_point(*args)
    codes = case["exit"] if isinstance(case["exit"], list) else [case["exit"]]
    assert result.returncode in codes, result.stderr
    lines = [line for line in result.stderr.splitlines() if line and not line.startswith("[")]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(str(case["says"]), lines[0]), lines[0]
