"""The command line as users meet it: help, version, and ``python -m spasmkg``."""

from __future__ import annotations

from pathlib import Path

from spasmkg import __version__
from tests.helpers import run_entry_point


def test_help_lists_the_commands(run: object) -> None:
    result = run("--help")  # type: ignore[operator]
    assert result.exit_code == 0
    for command in ("build", "validate", "fmt"):
        assert command in result.output


def test_build_help_explains_the_output_folder(run: object) -> None:
    result = run("build", "--help")  # type: ignore[operator]
    assert "replaced atomically" in result.output
    assert "[default: dist]" in result.output


def test_version(run: object) -> None:
    assert run("--version").output.strip() == f"spasmkg, version {__version__}"  # type: ignore[operator]


def test_python_dash_m_from_another_directory(tmp_path: Path) -> None:
    """Run from a checkout with PYTHONPATH=src, the checkout's data folders are used."""
    result = run_entry_point("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("result: valid")


def test_unknown_command_is_a_usage_error(run: object) -> None:
    result = run("bulid")  # type: ignore[operator]
    assert result.exit_code == 2
    assert "No such command 'bulid'" in result.output
