"""The wheel carries the data: install it (not editable) and build from another directory."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import rdflib

import spasmkg
from spasmkg.outputs.report import count
from tests.helpers import REPO

#: Each test builds a wheel and a virtual environment and installs into it.
pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command without the checkout on PYTHONPATH, failing loudly."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the spasmkg wheel installed in it.

    Its dependencies come from the test environment through a .pth file (no network), which
    does not bring in an editable spasmkg: .pth files of added folders are not processed.
    """
    work = tmp_path_factory.mktemp("install")
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        work / "wheels",
        REPO,
    )
    [wheel] = (work / "wheels").glob("spasmkg-*.whl")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel)
    site = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        ).stdout.strip()
    )
    dependencies = {Path(rdflib.__file__).parents[1], Path(sysconfig.get_paths()["platlib"])}
    (site / "zz_test_dependencies.pth").write_text("\n".join(map(str, sorted(dependencies))) + "\n")
    return venv


def test_wheel_ships_the_data_folders(installed: Path) -> None:
    python = installed / "bin" / "python"
    where = run(
        python, "-c", "import spasmkg.model.paths as p; print(p.data_paths().root)"
    ).stdout.strip()
    root = Path(where)
    assert root.name == "data" and root.parent.name == "spasmkg"
    assert str(REPO) not in where
    for name in (
        "ontology/spasmkg.ttl",
        "ontology/shapes.ttl",
        "graph/causes.ttl",
        "graph/imports/hpo.ttl",
        "graph/imports/hpo-movement.ttl",
        "graph/imports/mondo-diseases.sssom.tsv",
        "graph/imports/hgnc-genes.tsv",
        "queries/qc",
    ):
        assert (root / name).exists(), name


def test_installed_command_builds_from_any_directory(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(
        installed / "bin" / "spasmkg",
        "build",
        "--layer",
        "core",
        "--out",
        "somewhere",
        cwd=elsewhere,
    )
    counts = count(spasmkg.load(layer="core"))  # the full build is tested in test_hpo_import
    assert counts.summary() in result.stdout
    assert (elsewhere / "somewhere" / "spasmkg.ttl").exists()
    reference = tmp_path / "reference"
    run(
        sys.executable,
        "-m",
        "spasmkg",
        "-q",
        "build",
        "--layer",
        "core",
        "--out",
        reference,
        cwd=REPO,
    )
    built = (elsewhere / "somewhere" / "spasmkg.nt").read_bytes()
    assert built == (reference / "spasmkg.nt").read_bytes()


def test_wheel_ships_the_site_and_its_editor_with_their_checksums(installed: Path) -> None:
    """The served editor comes from the package, never from a CDN: the wheel carries YASGUI,
    its licence and checksums, and the site's templates, and they pass the start-up check."""
    python = installed / "bin" / "python"
    found = run(
        python,
        "-c",
        "from spasmkg.serve.site import static_files; import spasmkg.serve.html as h; "
        "print(sorted(static_files())); print(h.environment().list_templates())",
    ).stdout
    assert "'yasgui/yasgui.min.js'" in found and "'editor.js'" in found
    assert "'entity.html'" in found and "'editor.html'" in found
    where = Path(run(python, "-c", "import spasmkg; print(spasmkg.__file__)").stdout.strip()).parent
    assert str(REPO) not in str(where)
    for name in ("LICENSE", "README.md", "SHA256SUMS"):
        assert (where / "serve" / "static" / "yasgui" / name).is_file(), name
