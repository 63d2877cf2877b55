"""`sdgraph build`: the store, the dumps, the summary, and builds that fail without damage."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from sdgraph.build import BuildReport, build
from sdgraph.cli import main
from sdgraph.errors import InputFileError
from sdgraph.namespaces import GRAPH
from sdgraph.project import Project
from sdgraph.store import named_graphs, open_store, swap_all


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with its SHA-256, to show that nothing changed."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_one_named_graph_per_file(built: tuple[Project, BuildReport]) -> None:
    project, report = built
    store = open_store(project.store_path)
    graphs = named_graphs(store)
    for relative in report.files:
        assert GRAPH + relative in graphs
    assert GRAPH + "inferred" in graphs
    assert len(store) == report.quads


def test_summary_counts(built: tuple[Project, BuildReport]) -> None:
    _, report = built
    assert report.counts["editions"] == 5
    assert report.consistent is True
    assert report.triples <= report.quads


@pytest.mark.parametrize("name,parse", [
    ("sdgraph.trig", lambda p: len(Dataset().parse(p, format="trig"))),
    ("sdgraph.jsonld", lambda p: len(Dataset().parse(p, format="json-ld"))),
    ("sdgraph.ttl", lambda p: len(Graph().parse(p, format="turtle"))),
    ("sdgraph.nt", lambda p: len(Graph().parse(p, format="nt"))),
])
def test_each_dump_parses_back_to_the_same_count(built: tuple[Project, BuildReport], name: str,
                                                  parse) -> None:
    project, report = built
    dump = next(d for d in report.dumps if d.name == name)
    expected = report.quads if dump.keeps_graphs else report.triples
    assert dump.statements == expected
    assert parse(project.dist_dir / name) == expected


def test_malformed_file_is_named_with_its_line_and_nothing_changes(fresh_project: Project) -> None:
    build(fresh_project, check_consistency=False)
    before = fingerprint(fresh_project.store_path) | fingerprint(fresh_project.dist_dir)
    broken = fresh_project.data_dir / "contributions" / "broken.ttl"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text('@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n'
                      '<https://w3id.org/sdgraph/id/city/x> rdfs:label "X"@en\n'
                      '<https://w3id.org/sdgraph/id/city/y> rdfs:label "Y"@en .\n',
                      encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        build(fresh_project, check_consistency=False)
    assert caught.value.path == broken
    assert caught.value.line == 4
    after = fingerprint(fresh_project.store_path) | fingerprint(fresh_project.dist_dir)
    assert after == before
    assert sorted(p.name for p in fresh_project.root.iterdir() if p.name.startswith(".dist")) == []


def test_cli_reports_the_file_and_line_and_exits_2(fresh_project: Project,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    broken = fresh_project.data_dir / "bad.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    code = main(["--project", str(fresh_project.root), "build", "--no-consistency-check"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{broken}:1:" in err and "syntax error" in err
    assert not fresh_project.store_path.exists()


@pytest.mark.parametrize("content,problem", [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
    ("<a> <b> \"caf\u00e9\" .".encode("latin-1"), "not UTF-8"),
])
def test_unreadable_files_are_named_as_such(fresh_project: Project, content: bytes,
                                            problem: str) -> None:
    path = fresh_project.data_dir / "odd.ttl"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=problem) as caught:
        build(fresh_project, check_consistency=False)
    assert caught.value.path == path


def test_cli_build_prints_the_summary(fresh_project: Project,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(fresh_project.root), "build", "--no-consistency-check"]) == 0
    out = capsys.readouterr().out
    assert "editions: 5" in out and "sdgraph.trig" in out
    store = ox.Store.read_only(str(fresh_project.store_path))
    assert len(store) > 0


def test_a_memory_copy_of_the_store_holds_the_same_quads(
        built: tuple[Project, BuildReport]) -> None:
    project, _ = built
    disk = open_store(project.store_path)
    memory = open_store(project.store_path, in_memory=True)
    assert set(memory) == set(disk) and len(memory) == len(disk) > 0
    # a copy, not a view: writing to it leaves the built store as it was
    memory.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                       ox.Literal("o")))
    assert len(memory) == len(disk) + 1


def test_swap_all_puts_every_folder_back_when_one_rename_fails(tmp_path: Path) -> None:
    """Two folders replaced together: the second new one is missing, so the first target,
    already replaced, gets its old content back, and its new folder returns to where it was."""
    first, second = tmp_path / "store", tmp_path / "dist"
    for folder, text in ((first, "old store"), (second, "old dist")):
        folder.mkdir()
        (folder / "content").write_text(text, encoding="utf-8")
    new_first = tmp_path / ".store.new"
    new_first.mkdir()
    (new_first / "content").write_text("new store", encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        swap_all([(new_first, first), (tmp_path / ".dist.new-missing", second)])
    assert (first / "content").read_text(encoding="utf-8") == "old store"
    assert (second / "content").read_text(encoding="utf-8") == "old dist"
    assert (new_first / "content").read_text(encoding="utf-8") == "new store"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.new", "dist", "store"]
