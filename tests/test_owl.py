"""The built graph is OWL 2 DL and consistent: HermiT (as owlready2 ships it) reasons over it.

HermiT needs Java; without Java or owlready2 the test is skipped with the reason, except where
``SPASMKG_REQUIRE_JAVA`` is set (``.ci/run`` sets it and installs both).
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest

from spasmkg.outputs.build import build


def reasoner_missing() -> str | None:
    """Why HermiT cannot run here, or None."""
    if shutil.which("java") is None:
        return "no Java (apt-get install default-jre-headless; .ci/run does)"
    try:
        import owlready2  # noqa: F401
    except ImportError:
        return "owlready2 is not installed (pip install -e '.[test]')"
    return None


@pytest.mark.slow
def test_hermit_finds_the_built_graph_consistent(tmp_path: Path) -> None:
    """Every layer merged, as a build writes it, is consistent for HermiT; an xsd:date value on
    a datatype property (outside OWL 2's datatype map) would make HermiT refuse the graph."""
    reason = reasoner_missing()
    if reason:
        if os.environ.get("SPASMKG_REQUIRE_JAVA"):
            pytest.fail(reason)
        pytest.skip(reason)
    from owlready2 import OwlReadyInconsistentOntologyError, World, sync_reasoner

    out = tmp_path / "dist"
    build(out, layer="all")
    world = World()
    ontology = world.get_ontology((out / "spasmkg.nt").as_uri()).load()
    with warnings.catch_warnings(), ontology:
        warnings.simplefilter("ignore")
        try:
            sync_reasoner(world, infer_property_values=False, debug=0)
        except OwlReadyInconsistentOntologyError as error:
            pytest.fail(f"HermiT finds the built graph inconsistent: {error}")
