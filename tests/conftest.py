"""Shared fixtures: the shipped graph, a writable copy of the data, and CLI runners."""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph

import spasmkg
from spasmkg.cli import cli
from spasmkg.model.compiled import CACHE_ENV
from spasmkg.model.paths import DATA_FOLDERS, data_paths
from tests.helpers import REPO

#: What a call costs, by the name called. A test that makes such a call, itself, through a
#: helper of the tests or through a fixture (the fixtures a fixture uses included), gets the
#: marker, so a new test file is marked without a line of its own. Anything else slow is marked
#: ``slow`` where it is written (a test, a case of a table, or a module's ``pytestmark``).
MARKING_CALLS = {
    # headless Chromium through Playwright (the ``browser`` fixture)
    "sync_playwright": "browser",
    # spasmkg serve's server in this process, the ``spasmkg serve`` command, the stores of
    # tests/stores.py
    "Server": "servers",
    "site_server": "servers",
    "serve_command": "servers",
    "oxigraph_store": "servers",
    "virtuoso_store": "servers",
    # a fresh Python that loads the graph, and a build that writes every output: seconds each
    "run_entry_point": "slow",
    "build": "slow",
}


def names_called(function: Callable[..., object], seen: set[object]) -> set[str]:
    """The names a function's code refers to, with those of the tests' own helpers it calls."""
    function = inspect.unwrap(function)
    if function in seen or not isinstance(function, types.FunctionType):
        return set()
    seen.add(function)
    names: set[str] = set()
    codes = [function.__code__]
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    for name in list(names):
        helper = function.__globals__.get(name)
        if getattr(helper, "__module__", "").startswith("tests."):
            names |= names_called(helper, seen)
    return names


def functions_run(item: pytest.Item) -> list[Callable[..., object]]:
    """A test's function and those of every fixture it uses, directly or through others."""
    found = [item.obj] if isinstance(item, pytest.Function) else []
    info = getattr(item, "_fixtureinfo", None)
    if info is not None:
        found += [
            definition.func
            for name in info.names_closure
            for definition in info.name2fixturedefs.get(name, ())
        ]
    return found


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the calls it makes (``MARKING_CALLS``)."""
    for item in items:
        seen: set[object] = set()
        names = {n for f in functions_run(item) for n in names_called(f, seen)}
        for marker in sorted({MARKING_CALLS[n] for n in names & MARKING_CALLS.keys()}):
            item.add_marker(marker)


def untracked_files() -> set[str]:
    """Files in the checkout that git neither tracks nor ignores."""
    found = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
    )
    return {line[3:] for line in found.stdout.splitlines() if line.startswith("??")}


@pytest.fixture(scope="session", autouse=True)
def compiled_graphs_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Compiled graphs go to a folder of the test session, never the user's cache; command
    lines the tests start inherit it."""
    folder = tmp_path_factory.mktemp("compiled")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(folder))
        yield folder


@pytest.fixture(scope="session", autouse=True)
def checkout_stays_clean() -> Iterator[None]:
    """No test writes into the checkout (screenshots, builds and pages go to tmp_path)."""
    before = untracked_files()
    yield
    written = untracked_files() - before
    assert not written, f"tests wrote into the checkout: {sorted(written)}"


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium through Playwright; skipped without one, unless CI requires it."""
    reason = browser_missing()
    if reason:
        if os.environ.get("SPASMKG_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def kg() -> spasmkg.KnowledgeGraph:
    """The shipped curated graph (the core layer), loaded once."""
    return spasmkg.load(layer="core")


@pytest.fixture(scope="session")
def kg_all() -> spasmkg.KnowledgeGraph:
    """The shipped graph with its imported layers, loaded once."""
    return spasmkg.load(layer="all")


@pytest.fixture(scope="session")
def graph(kg: spasmkg.KnowledgeGraph) -> Graph:
    """Ontology, curated and materialised triples in one graph."""
    return kg.union()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the curated data folders, for planting faults; the generated
    layers of graph/imports/ are left out (loading them would only slow every such test), so
    a test that needs them copies them itself."""
    source = data_paths().root
    target = tmp_path / "data"
    for name in DATA_FOLDERS:
        shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("imports"))
    return target


@pytest.fixture
def run() -> object:
    """Run the CLI in-process and return click's result (output and exit code)."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke
