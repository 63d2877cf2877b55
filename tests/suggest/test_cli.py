"""`sdgraph suggest` from the command line: text, practice, written suggestions, errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from support import REPO, TEST_DATA, shared_file

from sdgraph.build import build
from sdgraph.cli import main
from sdgraph.project import Project
from sdgraph.vocab import import_vocabulary

SDGR = Namespace("https://w3id.org/sdgraph/ontology#")
KOS = "sdg/raw/UNStats-LOD4Stats/sdg-kos-goals-targets-indicators.ttl"
PRACTICE = "https://w3id.org/sdgraph/id/practice/tiny-bikes"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"


@pytest.fixture
def project_with_practice(fresh_project: Project) -> Project:
    """The shipped project plus the tiny fixture practice, built, with the UN texts imported."""
    target = fresh_project.contributions_dir / "tiny.ttl"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(TEST_DATA / "tiny.ttl", target)
    build(fresh_project, check_consistency=False)
    import_vocabulary(fresh_project, str(shared_file(KOS)))
    return fresh_project


def test_text_ranks_expected_goals(project_with_practice: Project,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--project", str(project_with_practice.root), "suggest", "--text",
                 "Free public wifi and digital skills courses for elderly residents"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    ranked = [line.split()[2] for line in lines if line.strip()[:1].isdigit()]
    assert ranked[0] == "4" and {"9", "10"} <= set(ranked[:4])
    assert any("matched:" in line and "digital skills" in line for line in lines)


def test_practice_suggestions_are_written_as_suggested_contributions(
        project_with_practice: Project, tmp_path: Path) -> None:
    out = tmp_path / "suggested.ttl"
    code = main(["--project", str(project_with_practice.root), "suggest", "--practice", PRACTICE,
                 "--level", "target", "--top", "3", "--write", str(out)])
    assert code == 0
    graph = Graph().parse(out)
    contributions = list(graph.subjects(RDF.type, SDGR.SDGContribution))
    assert len(contributions) == 3
    for node in contributions:
        assert str(node).startswith(PRACTICE + "/suggested/")
        assert graph.value(node, SDGR.basis) == SDGR.SuggestedByMethod
        assert graph.value(node, SDGR.method) is not None
        assert 0 <= float(graph.value(node, SDGR.score)) <= 1
    # The practice is about shared bikes: transport (11.2) is among the targets.
    targets = {str(graph.value(n, SDGR.sdg)).rsplit("/", 1)[1] for n in contributions}
    assert "11.2" in targets


@pytest.mark.parametrize("given", ["practice:tiny-bikes", "tiny-bikes"])
def test_a_practice_is_named_as_query_tables_show_it(
        project_with_practice: Project, tmp_path: Path, given: str) -> None:
    """The short form that `sdgraph query` prints, or the slug alone, names the same practice,
    and the written suggestions carry its full IRI."""
    out = tmp_path / "suggested.ttl"
    code = main(["--project", str(project_with_practice.root), "suggest", "--practice", given,
                 "--top", "1", "--write", str(out)])
    assert code == 0
    graph = Graph().parse(out)
    assert {str(s) for s in graph.subjects(SDGR.sdgContribution, None)} == {PRACTICE}


def test_without_imported_texts_the_hint_names_the_import(
        fresh_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    build(fresh_project, check_consistency=False)
    code = main(["--project", str(fresh_project.root), "suggest", "--text", "bike lanes"])
    assert code == 3
    assert "sdgraph vocab import" in capsys.readouterr().err


def test_write_needs_a_practice(fresh_project: Project, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--project", str(fresh_project.root), "suggest", "--text", "x",
                 "--write", str(tmp_path / "x.ttl")])
    assert code == 2 and "--practice" in capsys.readouterr().err


def test_benchmark_sample_shows_no_regression() -> None:
    """A seeded sample of the SDG Classification Benchmark stays above 80 % accuracy."""
    pytest.importorskip("sdgclassification.benchmark")
    kos = shared_file(KOS)
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "sdg_suggest.py"), "--kos", str(kos),
         "--sample", "200", "--no-speed", "--min-accuracy", "80"],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_written_suggestions_validate_and_stay_apart_from_other_links(
        project_with_practice: Project, tmp_path: Path) -> None:
    """Suggestions pass the SHACL gate, and the provenance query shows them as suggested."""
    from sdgraph.contribute import add_contribution
    from sdgraph.query import load_query, run_query
    from sdgraph.store import open_store
    from sdgraph.validate import validate_files

    out = tmp_path / "tiny-bikes-suggested.ttl"
    assert main(["--project", str(project_with_practice.root), "suggest", "--practice", PRACTICE,
                 "--top", "2", "--write", str(out)]) == 0
    assert validate_files(project_with_practice, [out]).conforms
    add_contribution(project_with_practice, out, "A reviewer")
    build(project_with_practice, check_consistency=False)
    query = load_query(project_with_practice, "sdg-link-provenance")
    store = open_store(project_with_practice.store_path)
    suggested = run_query(query, {"basis": "suggested"}, store=store)
    curated = run_query(query, {"basis": "curated"}, store=store)
    tiny = [r for r in suggested.rows if r["practice"]["value"] == PRACTICE]
    assert len(tiny) == 2
    assert all("/suggested/" in r["contribution"]["value"] for r in tiny)
    assert not any("/suggested/" in r["contribution"]["value"] for r in curated.rows)


FLOOD = "https://w3id.org/sdgraph/id/practice/tiny-flood"
FLOOD_TTL = """@prefix sdgr: <https://w3id.org/sdgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct:  <http://purl.org/dc/terms/> .
<https://w3id.org/sdgraph/id/practice/tiny-flood> a sdgr:Practice ;
    rdfs:label "Tiny flood warnings"@en ;
    dct:description "Flood early-warning sensors in the river send alerts to residents by SMS."@en ;
    sdgr:city <https://w3id.org/sdgraph/id/city/tinytown> ;
    sdgr:reportedIn <https://w3id.org/sdgraph/id/edition/2023> ;
    sdgr:axis <https://w3id.org/sdgraph/id/axes/2023/new-mobility> ;
    sdgr:certainty sdgr:Confirmed ;
    dct:source <https://example.org/tinytown/flood> .
"""


def test_unlinked_practices_get_suggestions_that_review_turns_into_curated_links(
        fresh_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """suggest --unlinked --write, add, the provenance query shows them as suggested; review
    accepts one, add, and it is curated, attributed to the reviewer, derived from the
    suggestion."""
    from sdgraph.contribute import add_contribution
    from sdgraph.query import load_query, run_query
    from sdgraph.store import open_store
    from sdgraph.suggest.graph import unlinked_practices
    from sdgraph.validate import validate_files

    project = fresh_project
    project.contributions_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(TEST_DATA / "tiny.ttl", project.contributions_dir / "tiny.ttl")
    (project.contributions_dir / "tiny-flood.ttl").write_text(FLOOD_TTL, encoding="utf-8")
    build(project, check_consistency=False)
    import_vocabulary(project, str(shared_file(KOS)))
    root = str(project.root)
    unlinked = unlinked_practices(open_store(project.store_path))
    assert FLOOD in unlinked and PRACTICE not in unlinked  # tiny-bikes has links of its own
    out = tmp_path / "suggested.ttl"
    assert main(["--project", root, "suggest", "--unlinked", "--top", "2",
                 "--write", str(out)]) == 0
    graph = Graph().parse(out)
    assert {str(p) for p in graph.subjects(SDGR.sdgContribution, None)} == set(unlinked)
    nodes = list(graph.objects(URIRef(FLOOD), SDGR.sdgContribution))
    codes = {str(graph.value(n, SDGR.sdg)).rsplit("/", 1)[1] for n in nodes}
    assert len(codes) == 4 and codes & {"11.5", "13.1"}  # two goals, each with its best target
    assert validate_files(project, [out]).conforms
    add_contribution(project, out, "Suggester run", check_consistency=False)
    query = load_query(project, "sdg-link-provenance")
    store = open_store(project.store_path)
    rows = run_query(query, {"basis": "suggested"}, store=store).rows
    assert {r["code"]["value"] for r in rows if r["practice"]["value"] == FLOOD} == codes
    del store
    # Nothing is left unlinked: a second run suggests nothing.
    capsys.readouterr()
    assert main(["--project", root, "suggest", "--unlinked"]) == 0
    assert "nothing to suggest" in capsys.readouterr().out
    # A later file does not describe the method again (add would refuse an IRI defined twice).
    more = tmp_path / "more.ttl"
    assert main(["--project", root, "suggest", "--practice", PRACTICE, "--top", "1",
                 "--write", str(more)]) == 0
    assert not list(Graph().parse(more).subjects(RDF.type, SDGR.Method))
    add_contribution(project, more, "Suggester run", check_consistency=False)

    chosen = sorted(codes & {"11.5", "13.1"})[0]
    # add files a contribution under the folder of what it concerns (an edition's year...)
    (stored,) = project.contributions_dir.rglob(out.name)
    reviewed = tmp_path / "reviewed.ttl"
    assert main(["--project", root, "review", str(stored), "--reviewer", "Ana Pérez",
                 "--accept", f"tiny-flood/{chosen}", "--write", str(reviewed)]) == 0
    assert validate_files(project, [reviewed]).conforms
    add_contribution(project, reviewed, "Ana Pérez", check_consistency=False)
    store = open_store(project.store_path)
    rows = run_query(query, {"basis": "curated"}, store=store).rows
    mine = [r for r in rows if r["practice"]["value"] == FLOOD]
    assert [(r["code"]["value"], r["by"]["value"]) for r in mine] == [(chosen, "Ana Pérez")]
    node = f"<{FLOOD}/sdg/{chosen}>"
    derived = list(store.query(
        f"SELECT ?s WHERE {{ GRAPH ?g {{ {node} <{PROV_DERIVED}> ?s }} }}"))
    assert [row["s"].value for row in derived] == [f"{FLOOD}/suggested/{chosen}"]


def test_review_lists_then_needs_a_reviewer(tmp_path: Path, fresh_project: Project,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from sdgraph.suggest import Suggestion, suggestions_to_turtle

    path = tmp_path / "s.ttl"
    path.write_text(suggestions_to_turtle(PRACTICE, [Suggestion(
        "http://metadata.un.org/sdg/11.2", "11.2", "target", "transport", 0.7, {})]),
        encoding="utf-8")
    root = str(fresh_project.root)
    assert main(["--project", root, "review", str(path)]) == 0
    assert "tiny-bikes/11.2" in capsys.readouterr().out
    assert main(["--project", root, "review", str(path), "--accept", "all"]) == 2
    assert "--reviewer" in capsys.readouterr().err
    assert main(["--project", root, "review", str(tmp_path / "none.ttl")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize("options", [["--min-score", "1.5"], ["--top", "0"]])
def test_unlinked_options_are_checked(fresh_project: Project, options: list[str],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--project", str(fresh_project.root), "suggest", "--unlinked", *options])
    assert code == 2
    assert options[0] in capsys.readouterr().err


def test_domain_general_lets_city_words_count(project_with_practice: Project,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    text = "The municipal council of the city runs a health service for residents."
    root = str(project_with_practice.root)
    assert main(["--project", root, "suggest", "--text", text, "--top", "17"]) == 0
    city = capsys.readouterr().out
    assert main(["--project", root, "suggest", "--text", text, "--top", "17",
                 "--domain", "general"]) == 0
    general = capsys.readouterr().out
    def matched(out: str) -> set[str]:
        words = set()
        for line in out.splitlines():
            if "matched: " in line:
                words |= set(line.split("matched: ")[1].split(";")[0].split(", "))
        return words

    assert not {"city", "municipal"} & matched(city)
    assert {"city", "municipal"} <= matched(general)
