"""The architecture is enforced, not only described: import contracts, the module map, doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import spasmkg
from tests.helpers import REPO

PACKAGE = REPO / "src" / "spasmkg"
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(spasmkg.__path__, "spasmkg.")
    if not info.name.endswith("__main__")
)


def lint_imports(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter's command on the contracts in ``cwd/pyproject.toml``."""
    command = Path(sys.executable).parent / "lint-imports"
    assert command.exists(), "import-linter is a test dependency: pip install -e '.[test]'"
    return subprocess.run(
        [str(command), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(pythonpath), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def test_import_contracts_are_kept() -> None:
    result = lint_imports(REPO, REPO / "src")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "4 kept, 0 broken" in result.stdout


def test_a_forbidden_import_breaks_a_contract(tmp_path: Path) -> None:
    """The model reaching up to the command line is exactly what the layers contract refuses."""
    shutil.copytree(PACKAGE, tmp_path / "src" / "spasmkg")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    paths = tmp_path / "src" / "spasmkg" / "model" / "paths.py"
    paths.write_text(paths.read_text() + "\nimport spasmkg.cli  # noqa\n")
    result = lint_imports(tmp_path, tmp_path / "src")
    assert result.returncode == 1
    assert "spasmkg.model.paths -> spasmkg.cli" in result.stdout
    assert (
        "the errors at \nthe bottom BROKEN" in result.stdout or "the bottom BROKEN" in result.stdout
    )


def test_the_module_map_matches_the_tree() -> None:
    """docs/architecture.md names every module of the package, and only modules that exist."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(spasmkg(?:\.[a-z_]+)+)`", text))
    modules = set(MODULES)
    assert modules - named == set(), "modules missing from docs/architecture.md"
    assert named - modules - {"spasmkg"} == set(), (
        "docs/architecture.md names modules that do not exist"
    )


def test_every_package_says_what_it_holds() -> None:
    for name in MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "__path__"):
            assert (module.__doc__ or "").strip(), f"{name}/__init__.py needs a docstring"


def loads_the_graph(name: str) -> bool:
    """Whether a module's examples load the shipped graph (seconds each)."""
    path = PACKAGE / (name.removeprefix("spasmkg.").replace(".", "/") + ".py")
    if not path.is_file() or ">>> " not in (text := path.read_text("utf-8")):
        return False
    # normalize's examples read a table against the whole loaded graph
    return "spasmkg.load(" in text or name == "spasmkg.ask.normalize"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.slow if loads_the_graph(name) else ())
        for name in MODULES
    ],
)
def test_doctests(name: str) -> None:
    """The examples in the docstrings run and print what they show."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_there_are_doctests_to_run() -> None:
    finder = doctest.DocTestFinder()
    examples = sum(
        len(test.examples)
        for name in MODULES
        for test in finder.find(importlib.import_module(name))
    )
    assert examples >= 8


@pytest.mark.parametrize(
    "package", sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
)
def test_each_package_docstring_names_its_modules(package: str) -> None:
    """A reader sees a package's parts from its docstring: every module is named in it."""
    module = importlib.import_module(f"spasmkg.{package}")
    names = sorted(
        path.stem for path in (PACKAGE / package).glob("*.py") if path.stem != "__init__"
    )
    unnamed = [name for name in names if f"``{name}``" not in (module.__doc__ or "")]
    assert unnamed == [], f"spasmkg.{package}'s docstring does not name {unnamed}"
