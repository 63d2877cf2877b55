"""`sdgraph new` and `sdgraph add`: templates that validate once filled in, and adds that are
all or nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest

from sdgraph import contribute
from sdgraph.build import build
from sdgraph.cli import main
from sdgraph.namespaces import GRAPH
from sdgraph.project import Project
from sdgraph.query import list_queries, run_query
from sdgraph.store import open_store
from sdgraph.validate import validate_files

SHAPES = Path(__file__).resolve().parent / "shapes"
VALID = SHAPES / "valid" / "bilbao-2023.ttl"
PROV = "http://www.w3.org/ns/prov#"


def fingerprint(*folders: Path) -> dict[str, str]:
    """Every file below the folders with its SHA-256, to show that nothing changed."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


def fill(text: str, axis: str = "environment") -> str:
    """Fill a template's TODOs as a contributor minimally would."""
    return (text.replace("<urn:todo:source-url>", "<https://example.org/source>")
            .replace("todo-choose-an-axis", axis))


def test_new_templates_validate_once_filled_in(fresh_project: Project, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = str(fresh_project.root)
    files = []
    for kind, options in (("city", ["--label", "Testópolis", "--country", "ES"]),
                          ("participation", ["--city", "testopolis", "--edition", "2021"]),
                          ("practice", ["--city", "testopolis", "--edition", "2012",
                                        "--label", "Open budgets"])):
        assert main(["--project", root, "new", kind, *options]) == 0
        text = capsys.readouterr().out
        raw = tmp_path / f"raw-{kind}.ttl"
        raw.write_text(text, encoding="utf-8")
        files.append((raw, tmp_path / f"{kind}.ttl", text))
    practice_text = files[2][2]
    assert "#   a2012:smart-governance" in practice_text  # the edition's axes are listed
    assert "<https://w3id.org/sdgraph/id/practice/open-budgets>" in practice_text
    assert "sdg:C110201" in practice_text  # how to write SDG links
    assert "<https://w3id.org/sdgraph/id/city/testopolis>" in files[0][2]
    # Unfilled, the templates do not pass; filled in, they do.
    assert not validate_files(fresh_project, [f[0] for f in files]).conforms
    for _, filled, text in files:
        filled.write_text(fill(text, "smart-governance"), encoding="utf-8")
    report = validate_files(fresh_project, [f[1] for f in files])
    assert report.conforms, [r.message for r in report.violations]


def test_new_gives_fresh_iris(fresh_project: Project) -> None:
    text = contribute.new_template(fresh_project, "participation", city="bilbao",
                                   edition="2012")
    # participation:2012-bilbao is free, but the template must not reuse a defined IRI
    taken = contribute.defined_iris(fresh_project)
    iri = text.split("\n<", 1)[1].split(">", 1)[0]
    assert iri not in taken


def test_add_stores_the_file_with_provenance_and_loads_it(
        fresh_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    build(fresh_project, check_consistency=False)
    code = main(["--project", str(fresh_project.root), "add", str(VALID),
                 "--contributor", "Jane Doe"])
    assert code == 0, capsys.readouterr().err
    stored = fresh_project.contributions_dir / VALID.name
    graph = GRAPH + "data/contributions/" + VALID.name
    assert stored.is_file()
    triples = list(ox.parse(path=str(stored), format=ox.RdfFormat.TURTLE))
    entity = ox.NamedNode(graph)
    about = {(t.predicate.value, t.object.value) for t in triples if t.subject == entity}
    assert (PROV[:-1] + "#wasAttributedTo", "https://w3id.org/sdgraph/id/agent/jane-doe") in about
    assert any(p == PROV + "generatedAtTime" for p, _ in about)
    store = open_store(fresh_project.store_path)
    assert len(list(store.quads_for_pattern(None, None, None, entity))) == len(triples)
    # the stored file passes the build's own validation
    assert validate_files(fresh_project, [stored]).conforms
    # HermiT checked the graph, and the dumps hold the new graph
    assert "HermiT: consistent" in capsys.readouterr().out
    trig = (fresh_project.dist_dir / "sdgraph.trig").read_text(encoding="utf-8")
    assert f"<{graph}>" in trig and "testbilbaoaccess" in trig


def every_saved_query(project: Project) -> dict[str, list]:
    """The rows of every saved query (with its default parameters) on the built store."""
    store = open_store(project.store_path)
    try:
        return {query.name: run_query(query, store=store).rows
                for query in list_queries(project)}
    finally:
        del store


def dump_statements(project: Project) -> dict[str, set[str]]:
    """The statements of the N-Triples and TriG dumps that have no blank node (the summary
    counts' labels are new on every run), to compare dumps written by different runs."""
    found = {}
    for name, rdf_format in (("sdgraph.nt", ox.RdfFormat.N_TRIPLES),
                             ("sdgraph.trig", ox.RdfFormat.TRIG)):
        statements = ox.parse(path=str(project.dist_dir / name), format=rdf_format)
        found[name] = {str(s) for s in statements
                       if not isinstance(s.subject, ox.BlankNode)
                       and not isinstance(s.object, ox.BlankNode)}
    return found


def test_after_an_add_every_query_and_dump_is_as_after_a_build(fresh_project: Project) -> None:
    build(fresh_project, check_consistency=False)
    before = every_saved_query(fresh_project)
    dumps_before = dump_statements(fresh_project)
    contribute.add_contribution(fresh_project, VALID, "Jane Doe", check_consistency=False)
    after_add = every_saved_query(fresh_project)
    dumps_after_add = dump_statements(fresh_project)
    # the inferences and the summary counts already include the new city and practice
    assert after_add["edition-completeness"] != before["edition-completeness"]
    assert after_add["sdg-links-by-basis"] != before["sdg-links-by-basis"]
    assert dumps_after_add != dumps_before
    build(fresh_project, check_consistency=False)
    assert every_saved_query(fresh_project) == after_add
    assert dump_statements(fresh_project) == dumps_after_add


@pytest.mark.parametrize("built_first", [True, False], ids=["built", "not-built"])
def test_add_refuses_a_file_that_makes_the_graph_inconsistent(
        fresh_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        built_first: bool) -> None:
    """A project whose ontology says no city is a local-government body: a file that types its
    city as both conforms to the shapes, and HermiT refuses it, whether the project has a built
    store to add it to or not."""
    ontology = fresh_project.root / "ontology" / "sdgraph.ttl"
    with ontology.open("a", encoding="utf-8") as out:
        out.write("\nsdgr:City owl:disjointWith sdgr:LocalGovernment .\n")
    if built_first:
        build(fresh_project, check_consistency=True)
    both = tmp_path / VALID.name
    both.write_text(VALID.read_text(encoding="utf-8").replace(
        "city:testbilbao a sdgr:City ;", "city:testbilbao a sdgr:City , sdgr:LocalGovernment ;"),
        encoding="utf-8")
    assert validate_files(fresh_project, [both]).conforms
    before = fingerprint(fresh_project.data_dir, fresh_project.store_path,
                         fresh_project.dist_dir)
    assert main(["--project", str(fresh_project.root), "add", str(both),
                 "--contributor", "Jane Doe"]) == 1
    assert "HermiT finds the ontology and data inconsistent" in capsys.readouterr().err
    assert fingerprint(fresh_project.data_dir, fresh_project.store_path,
                       fresh_project.dist_dir) == before
    assert fresh_project.store_path.is_dir() == built_first


# The second breaks a node of another file (the SDG contribution it claims), which the build,
# checking every file, would refuse afterwards.
@pytest.mark.parametrize("name", ["end-before-start", "contribution-of-another-practice"])
def test_add_refuses_an_invalid_file_and_changes_nothing(
        fresh_project: Project, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    build(fresh_project, check_consistency=False)
    before = fingerprint(fresh_project.data_dir, fresh_project.store_path,
                         fresh_project.dist_dir)
    bad = SHAPES / "invalid" / f"{name}.ttl"
    assert main(["--project", str(fresh_project.root), "add", str(bad),
                 "--contributor", "Jane Doe"]) == 1
    assert f"{name}.ttl" in capsys.readouterr().err
    assert fingerprint(fresh_project.data_dir, fresh_project.store_path,
                       fresh_project.dist_dir) == before


def test_add_refuses_a_file_that_redefines_an_iri(fresh_project: Project, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(fresh_project.root), "add", str(VALID),
                 "--contributor", "Jane Doe"]) == 0
    before = fingerprint(fresh_project.data_dir)
    copy = tmp_path / "bilbao-again.ttl"
    copy.write_bytes(VALID.read_bytes())
    assert main(["--project", str(fresh_project.root), "add", str(copy),
                 "--contributor", "Jane Doe"]) == 1
    assert "already defined" in capsys.readouterr().err
    assert fingerprint(fresh_project.data_dir) == before


def failing_store_write(store_path: Path, staged: Path, quads: list, graph: str,
                        rules: object, summary_rules: object, dumps: Path,
                        check_consistency: bool) -> None:
    """Copy the store, write half of the quads and the start of a dump, then fail as a crash
    would."""
    contribute.shutil.rmtree(staged)
    contribute.shutil.copytree(store_path, staged)
    store = ox.Store(str(staged))
    store.extend(quads[: len(quads) // 2])
    store.flush()
    (dumps / "sdgraph.nt").write_text("<urn:x:half> <urn:x:of> ", encoding="utf-8")
    raise OSError("disk full")


def failing_swap(pairs: list[tuple[Path, Path]]) -> None:
    raise OSError("interrupted")


@pytest.mark.parametrize("name,replacement", [("write_store_copy", failing_store_write),
                                              ("swap_all", failing_swap)])
def test_an_interrupted_add_changes_nothing(fresh_project: Project, monkeypatch: pytest.MonkeyPatch,
                                            name: str, replacement) -> None:
    build(fresh_project, check_consistency=False)
    before = fingerprint(fresh_project.data_dir, fresh_project.store_path,
                         fresh_project.dist_dir)
    monkeypatch.setattr(contribute, name, replacement)
    with pytest.raises(OSError):
        contribute.add_contribution(fresh_project, VALID, "Jane Doe", check_consistency=False)
    assert fingerprint(fresh_project.data_dir, fresh_project.store_path,
                       fresh_project.dist_dir) == before
    leftovers = [p.name for p in fresh_project.root.rglob(".*") if ".new-" in p.name
                 or p.name.startswith(f".{VALID.name}.")]
    assert leftovers == []


def test_new_escapes_the_label_a_person_types(fresh_project: Project) -> None:
    """A label with quotes and a backslash still gives Turtle that parses, with that label."""
    from rdflib import RDFS, Graph, Literal, URIRef

    text = contribute.new_template(fresh_project, "practice", label='Say "hi" \\ bye',
                                   city="bilbao")
    graph = Graph().parse(data=text, format="turtle")
    practice = URIRef("https://w3id.org/sdgraph/id/practice/say-hi-bye")
    assert graph.value(practice, RDFS.label) == Literal('Say "hi" \\ bye', lang="en")
