"""`sdgraph vocab import` with the real UN SDG KOS dump."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from support import shared_file

from sdgraph.build import build
from sdgraph.cli import main
from sdgraph.errors import InputFileError
from sdgraph.project import Project
from sdgraph.store import open_store
from sdgraph.vocab import import_vocabulary

KOS = "sdg/raw/UNStats-LOD4Stats/sdg-kos-goals-targets-indicators.ttl"
GRAPH = "https://w3id.org/sdgraph/graph/vocab/un-sdg-kos"


def test_import_reports_what_the_2020_dump_lacks(fresh_project: Project) -> None:
    dump = shared_file(KOS)
    report = import_vocabulary(fresh_project, str(dump))
    assert report.graph == GRAPH
    assert report.triples == 7624
    assert report.missing["Goal"] == [] and report.missing["Target"] == []
    # The 2023 framework has indicator IRIs the 2020 dump predates.
    assert len(report.missing["Indicator"]) == 31
    assert "http://metadata.un.org/sdg/C200303" not in report.missing["Indicator"]
    assert not report.stored


def test_import_goes_into_the_store_and_survives_a_rebuild(fresh_project: Project) -> None:
    dump = shared_file(KOS)
    build(fresh_project, check_consistency=False)
    report = import_vocabulary(fresh_project, str(dump))
    assert report.stored
    build(fresh_project, check_consistency=False)
    store = open_store(fresh_project.store_path)
    target = ox.NamedNode("http://metadata.un.org/sdg/11.2")
    labels = {q.object.language for q in store.quads_for_pattern(
        target, ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), None,
        ox.NamedNode(GRAPH))}
    assert labels == {"en", "es", "fr"}


def test_cli_import_prints_the_missing_iris(fresh_project: Project,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    dump = shared_file(KOS)
    assert main(["--project", str(fresh_project.root), "vocab", "import", str(dump)]) == 0
    out = capsys.readouterr().out
    assert "Imported 7624 triples" in out and "Indicator: 31" in out


def test_missing_file_is_refused(fresh_project: Project) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        import_vocabulary(fresh_project, str(fresh_project.root / "nope.ttl"))
