"""`sdgraph release`: every artefact parses, the VoID counts are the real ones, every resource has
its folder, the .htaccess negotiates as intended, notes compare with the previous release."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
from htaccess_rules import serve
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID
from support import TEST_DATA, add_fixture_contributions, copy_project

from sdgraph.build import build
from sdgraph.cli import main
from sdgraph.errors import EnvironmentNotReady, UsageError
from sdgraph.project import Project
from sdgraph.publish.release import ReleaseReport, release

ID = "https://w3id.org/sdgraph/id/"
SDG = "http://metadata.un.org/sdg/"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SDGR = Namespace("https://w3id.org/sdgraph/ontology#")
DATASET = "https://w3id.org/sdgraph/dataset/"
IRI_ROOT = "https://w3id.org/sdgraph/"
PRACTICE = ID + "practice/bilbaoaccess"


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, ReleaseReport]:
    project = copy_project(tmp_path_factory.mktemp("release"))
    add_fixture_contributions(project, ("tiny.ttl",))
    build(project, check_consistency=False)
    return project, release(project, "1.0.0", issued="2026-11-27")


def merged(project: Project) -> set[tuple]:
    store = ox.Store.read_only(str(project.store_path))
    return {(q.subject, q.predicate, q.object) for q in store}


def test_every_turtle_and_json_ld_file_parses(released) -> None:
    _, report = released
    files = [p for p in report.folder.rglob("*") if p.suffix in (".ttl", ".jsonld", ".nt")]
    assert len(files) > 3 * 400
    for path in files:
        kind = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}[path.suffix]
        graph = (Dataset() if path.parent.name == "dumps" else Graph()).parse(path, format=kind)
        assert len(graph) > 0, path


def test_dumps_hold_the_built_graph(released) -> None:
    project, report = released
    expected = merged(project)
    dumps = report.folder / "dumps"
    trig = Dataset().parse(dumps / "sdgraph.trig", format="trig")
    jsonld = Dataset().parse(dumps / "sdgraph.jsonld", format="json-ld")
    assert len(trig) == len(jsonld) == len(ox.Store.read_only(str(project.store_path)))
    assert len(Graph().parse(dumps / "sdgraph.ttl", format="turtle")) == len(expected)
    nt = set(ox.parse((dumps / "sdgraph.nt").read_bytes(), ox.RdfFormat.N_TRIPLES))
    assert {(t.subject, t.predicate, t.object) for t in nt} == expected
    context = json.loads((dumps / "sdgraph.jsonld").read_text())["@context"]
    assert context["sdgr"] == str(SDGR)
    graph = Graph().parse(dumps / "sdgraph.ttl", format="turtle")
    assert (URIRef(PRACTICE), SDGR.city, URIRef(ID + "city/bilbao")) in graph


def test_void_counts_are_the_real_counts(released) -> None:
    project, report = released
    triples = merged(project)
    void = Graph().parse(report.folder / "void.ttl", format="turtle")
    this = URIRef(DATASET + "1.0.0")
    assert void.value(this, VOID.triples).toPython() == len(triples)
    classes = Counter(o.value for _, p, o in triples if p.value == str(RDF.type))
    partitions = {str(void.value(part, VOID["class"])): void.value(part, VOID.entities).toPython()
                  for part in void.objects(this, VOID.classPartition)}
    assert partitions == dict(classes)
    properties = Counter(p.value for _, p, _ in triples)
    partitions = {str(void.value(part, VOID.property)): void.value(part, VOID.triples).toPython()
                  for part in void.objects(this, VOID.propertyPartition)}
    assert partitions == dict(properties)
    links = Counter(p.value for s, p, o in triples
                    if isinstance(o, ox.NamedNode) and o.value.startswith(SDG)
                    and s.value.startswith(ID))
    linksets = {str(void.value(ls, VOID.linkPredicate)): void.value(ls, VOID.triples).toPython()
                for ls in void.objects(this, VOID.subset)}
    assert linksets == dict(links) and linksets[str(SDGR.sdg)] > 0
    entities = {s.value for s, _, _ in triples if isinstance(s, ox.NamedNode)
                and s.value.startswith(ID)}
    assert void.value(this, VOID.entities).toPython() == len(entities)


def test_void_and_dcat_describe_version_licence_and_distributions(released) -> None:
    _, report = released
    void = Graph().parse(report.folder / "void.jsonld", format="json-ld")
    this = URIRef(DATASET + "1.0.0")
    assert (URIRef(DATASET.rstrip("/")), DCAT.hasVersion, this) in void
    assert void.value(this, DCAT.version) == Literal("1.0.0")
    assert str(void.value(this, DCTERMS.issued)) == "2026-11-27"
    assert str(void.value(this, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert str(void.value(this, DCTERMS.conformsTo)) == "https://w3id.org/sdgraph/ontology/0.1.0"
    distributions = list(void.objects(this, DCAT.distribution))
    assert len(distributions) == 4
    for distribution in distributions:
        url = str(void.value(distribution, DCAT.downloadURL))
        name = url.rsplit("/", 1)[-1]
        path = report.folder / "dumps" / name
        assert void.value(distribution, DCAT.byteSize).toPython() == path.stat().st_size
        dump = next(d for d in report.dumps if d.name == name)
        assert void.value(distribution, VOID.triples).toPython() == dump.statements


def test_every_resource_has_its_folder(released) -> None:
    project, report = released
    store = ox.Store.read_only(str(project.store_path))
    subjects = {q.subject.value for q in store if isinstance(q.subject, ox.NamedNode)
                and q.subject.value.startswith(ID)}
    assert report.resources == len(subjects) and not report.skipped
    for iri in subjects:
        folder = report.folder / iri.removeprefix("https://w3id.org/sdgraph/")
        for name in ("index.html", "index.es.html", "index.ttl", "index.jsonld", "index.nt",
                     "index.rdf"):
            assert (folder / name).is_file(), f"{folder}/{name}"
    page = (report.folder / "id/practice/bilbaoaccess/index.html").read_text()
    assert 'href="../../city/bilbao/index.html"' in page
    assert "http://metadata.un.org/sdg/11" in page
    described = Graph().parse(report.folder / "id/practice/bilbaoaccess/index.ttl")
    assert {str(s) for s in described.subjects()} == {PRACTICE}


def test_ontology_under_its_version_path(released) -> None:
    _, report = released
    folder = report.folder / "ontology" / "0.1.0"
    graphs = [Graph().parse(folder / name, format=kind) for name, kind in (
        ("sdgraph.ttl", "turtle"), ("sdgraph.rdf", "xml"), ("sdgraph.jsonld", "json-ld"))]
    assert len(graphs[0]) > 300 and len({len(g) for g in graphs}) == 1
    html = (folder / "index.html").read_text()
    assert "sdgraph ontology" in html and "Practice" in html


@pytest.mark.parametrize("path,accept,query,status,served", [
    ("/id/practice/bilbaoaccess", "text/html", "", 200, "index.html"),
    ("/id/practice/bilbaoaccess", "text/turtle", "", 200, "index.ttl"),
    ("/id/practice/bilbaoaccess", "application/ld+json", "", 200, "index.jsonld"),
    ("/id/practice/bilbaoaccess", "application/n-triples", "", 200, "index.nt"),
    ("/id/practice/bilbaoaccess", "application/rdf+xml", "", 200, "index.rdf"),
    ("/id/practice/bilbaoaccess", "application/xml", "", 406, None),
    ("/id/practice/bilbaoaccess", "text/html", "format=rdf", 200, "index.rdf"),
    ("/id/practice/bilbaoaccess", "*/*", "", 200, "index.html"),
    ("/id/practice/bilbaoaccess", "", "", 200, "index.html"),
    ("/id/practice/bilbaoaccess/", "text/turtle", "", 200, "index.ttl"),
    ("/id/practice/bilbaoaccess", "text/html,application/xhtml+xml,*/*;q=0.8", "", 200,
     "index.html"),
    ("/id/practice/bilbaoaccess", "text/turtle, */*;q=0.1", "", 200, "index.ttl"),
    ("/id/practice/bilbaoaccess", "image/png", "", 406, None),
    ("/id/practice/bilbaoaccess", "text/html", "format=ttl", 200, "index.ttl"),
    ("/id/practice/bilbaoaccess", "text/turtle", "format=jsonld", 200, "index.jsonld"),
    ("/id/practice/tiny-bikes/sdg/11.2", "text/turtle", "", 200, "index.ttl"),
    ("/id/practice/no-such-thing", "text/turtle", "", 404, None),
    ("/id/practice/bilbaoaccess/index.ttl", "text/html", "", 200, "index.ttl"),
])
def test_htaccess_negotiates(released, path: str, accept: str, query: str, status: int,
                             served: str | None) -> None:
    _, report = released
    answer = serve(report.folder, path, accept, query)
    assert answer.status == status
    if served:
        assert answer.path == path.strip("/").removesuffix("/" + served) + "/" + served
        media = {"html": "text/html", "ttl": "text/turtle", "jsonld": "application/ld+json",
                 "nt": "application/n-triples",
                 "rdf": "application/rdf+xml"}[served.rsplit(".", 1)[1]]
        assert answer.media_type == media


@pytest.mark.parametrize("path,accept,served", [
    ("/ontology", "text/html", "ontology/0.1.0/index.html"),
    ("/ontology", "text/turtle", "ontology/0.1.0/sdgraph.ttl"),
    ("/ontology/0.1.0", "application/rdf+xml", "ontology/0.1.0/sdgraph.rdf"),
    ("/ontology", "application/ld+json", "ontology/0.1.0/sdgraph.jsonld"),
    ("/ontology/index.html", "text/turtle", "ontology/index.html"),
])
def test_htaccess_serves_the_ontology(released, path: str, accept: str, served: str) -> None:
    _, report = released
    assert serve(report.folder, path, accept).path == served


def test_release_notes_against_the_previous_release(released, tmp_path: Path) -> None:
    project, first = released
    notes = (first.folder / "RELEASE-NOTES.md").read_text()
    assert "First release" in notes
    shutil.copy(TEST_DATA / "script-label.ttl", project.contributions_dir / "fixtures")
    (project.contributions_dir / "fixtures" / "tiny.ttl").unlink()
    build(project, check_consistency=False)
    second = release(project, "1.1.0", issued="2026-12-01")
    assert second.previous == "1.0.0"
    changes = second.changes
    assert changes is not None
    practice = str(SDGR.Practice)
    assert changes.resources_added[practice] == [ID + "practice/script-practice"]
    assert ID + "practice/tiny-bikes" in changes.resources_removed[practice]
    assert changes.resources_added[str(SDGR.City)] == [ID + "city/scriptville"]
    before, after = merged_release(first.folder), merged_release(second.folder)
    assert changes.total_added == len(after - before)
    assert changes.total_removed == len(before - after)
    text = (second.folder / "RELEASE-NOTES.md").read_text()
    assert "Compared with release 1.0.0" in text and "script-practice" in text
    void = Graph().parse(second.folder / "void.ttl")
    assert (URIRef(DATASET + "1.1.0"), DCAT.previousVersion, URIRef(DATASET + "1.0.0")) in void


def merged_release(folder: Path) -> set:
    """The release's triples, blank nodes made one (as the notes count them)."""
    from sdgraph.publish.notes import stable

    quads = ox.parse((folder / "dumps" / "sdgraph.nt").read_bytes(), ox.RdfFormat.N_TRIPLES)
    return stable({ox.Triple(q.subject, q.predicate, q.object) for q in quads})


def test_a_release_is_never_overwritten_and_a_failure_leaves_nothing(released) -> None:
    project, first = released
    with pytest.raises(UsageError, match="exists already"):
        release(project, "1.0.0")
    with pytest.raises(UsageError, match="not a version"):
        release(project, "1.0")
    leftovers = [p for p in first.folder.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_failed_release_leaves_no_staging_folder(tmp_path: Path, monkeypatch) -> None:
    project = copy_project(tmp_path / "p")
    with pytest.raises(EnvironmentNotReady):
        release(project, "1.0.0")
    build(project, check_consistency=False)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("sdgraph.publish.release.write_home", broken)
    with pytest.raises(RuntimeError):
        release(project, "1.0.0", out=tmp_path / "out" / "1.0.0")
    assert list((tmp_path / "out").iterdir()) == []


def test_cli_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p")
    build(project, check_consistency=False)
    out = tmp_path / "site" / "2.0.0"
    code = main(["--project", str(project.root), "release", "--version", "2.0.0",
                 "--out", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "Released sdgraph 2.0.0" in text and "first release" in text
    assert (out / ".htaccess").is_file() and (out / "index.html").is_file()
    assert main(["--project", str(project.root), "release", "--version", "x"]) == 2


def test_every_relative_link_of_every_page_resolves(released) -> None:
    """Each href and src of each HTML file that is no absolute URL names a file of the
    release (the part after # aside), from the file system as from a host."""
    _, report = released
    root = report.folder
    pages = list(root.rglob("*.html"))
    assert len(pages) > 2 * 400
    checked, broken = 0, []
    for page in pages:
        for url in re.findall(r'\b(?:href|src)="([^"]*)"', page.read_text(encoding="utf-8")):
            parts = urlsplit(html.unescape(url))
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, or a place on the same page
            target = (page.parent / unquote(parts.path)).resolve()
            checked += 1
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(root) or not target.is_file():
                broken.append(f"{page.relative_to(root)}: {url}")
    assert checked > 10_000 and broken == [], broken[:10]
    page = (root / "id/practice/bilbaoaccess/index.html").read_text()
    assert 'href="../../../ontology/index.html#Practice"' in page
    assert serve(root, "/ontology/index.html", "text/html").status == 200


def test_home_page_links_to_the_release_files(released) -> None:
    _, report = released
    for name in ("index.html", "index.es.html"):
        page = (report.folder / name).read_text()
        for href in ("dumps/sdgraph.trig", "dumps/sdgraph.nt", "void.ttl", "void.jsonld",
                     "ontology/index.html", "RELEASE-NOTES.md"):
            assert f'href="{href}"' in page and (report.folder / href).is_file(), href
        assert "1.0.0" in page and "edition-2023" in page


@pytest.mark.parametrize("path,accept,status,served", [
    ("/dataset", "text/turtle", 200, "void.ttl"),
    ("/dataset", "", 200, "void.ttl"),
    ("/dataset/1.0.0", "application/ld+json", 200, "void.jsonld"),
    ("/dataset/1.0.0", "text/html,*/*;q=0.8", 200, "index.html"),
    ("/dataset/1.0.0/distribution/sdgraph.trig", "text/turtle", 200, "void.ttl"),
    ("/dataset/1.0.0/class/1", "*/*", 200, "void.ttl"),
    ("/dataset/un-sdg-kos", "text/turtle", 200, "void.ttl"),
    ("/dataset", "application/rdf+xml", 406, None),
    ("/dataset/0.9.0", "text/turtle", 404, "releases/0.9.0/void.ttl"),
])
def test_dataset_iris_resolve_to_the_description(released, path: str, accept: str,
                                                 status: int, served: str | None) -> None:
    _, report = released
    answer = serve(report.folder, path, accept)
    assert (answer.status, answer.path) == (status, served)
    if status == 200 and served.startswith("void"):
        void = Graph().parse(report.folder / served)
        assert (URIRef(IRI_ROOT + path.lstrip("/")), None, None) in void


def test_download_urls_resolve_in_the_release(released) -> None:
    """The dumps' download URLs, with the release folder served where w3id.org redirects."""
    _, report = released
    void = Graph().parse(report.folder / "void.ttl")
    urls = [str(u) for u in void.objects(None, DCAT.downloadURL)]
    assert len(urls) == 4
    for url in urls:
        assert url.startswith(IRI_ROOT + "releases/1.0.0/dumps/")
        answer = serve(report.folder, url.removeprefix(IRI_ROOT))
        assert answer.status == 200 and answer.path == "dumps/" + url.rsplit("/", 1)[1]
    assert serve(report.folder, "/releases/1.0.0/void.ttl").path == "void.ttl"
    assert "Options -MultiViews -Indexes" in (report.folder / ".htaccess").read_text()


def test_previous_version_is_read_from_the_release_itself(released, tmp_path: Path) -> None:
    project, first = released
    renamed = tmp_path / "rel"
    shutil.copytree(first.folder, renamed)
    later = release(project, "9.9.11", out=tmp_path / "rel3", previous=renamed,
                    issued="2026-12-02")
    assert later.previous == "1.0.0"
    text = (later.folder / "RELEASE-NOTES.md").read_text()
    assert "Compared with release 1.0.0" in text and "Compared with release rel" not in text
    void = Graph().parse(later.folder / "void.ttl")
    assert (URIRef(DATASET + "9.9.11"), DCAT.previousVersion, URIRef(DATASET + "1.0.0")) in void
    # Found beside the new release too, whatever its folder is called.
    beside = release(project, "9.9.12", out=tmp_path / "rel4", issued="2026-12-03")
    assert beside.previous == "9.9.11"


def test_previous_must_be_a_release(released, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    project, first = released
    with pytest.raises(UsageError, match="is not an sdgraph release"):
        release(project, "9.9.13", out=tmp_path / "a", previous=project.root)
    code = main(["--project", str(project.root), "release", "--version", "9.9.13",
                 "--out", str(tmp_path / "b"), "--previous", str(project.root)])
    assert code == 2 and "is not an sdgraph release" in capsys.readouterr().err
    with pytest.raises(UsageError, match="not older than"):
        release(project, "0.9.0", out=tmp_path / "c", previous=first.folder)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


@pytest.mark.parametrize("issued", ["2026-13-45", "2026-02-30", "20260101", "2026-1-5", "today"])
def test_an_impossible_issue_date_is_refused(released, tmp_path: Path, issued: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    project, _ = released
    code = main(["--project", str(project.root), "release", "--version", "9.9.14",
                 "--out", str(tmp_path / "x"), "--issued", issued])
    assert code == 2 and "YYYY-MM-DD" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_first_release_notes_count_as_the_void(released) -> None:
    _, report = released
    void = Graph().parse(report.folder / "void.ttl")
    triples = void.value(URIRef(DATASET + "1.0.0"), VOID.triples).toPython()
    notes = (report.folder / "RELEASE-NOTES.md").read_text()
    assert f"First release: {triples} triples." in notes
    assert report.changes is not None and report.changes.total_added == triples
    rows = [line.split("|")[1:-1] for line in notes.splitlines() if line.startswith("| ")][2:]
    assert sum(int(row[3]) for row in rows) == triples


def test_blank_nodes_are_filed_under_their_own_class() -> None:
    """An RDF list hanging from a typed blank node: the list cells are no member of that
    class, and two lists that say the same under two resources count apart."""
    from sdgraph.publish.notes import UNTYPED_BLANK, compare

    ex = "http://example.org/"
    triples = set()
    for owner in ("a", "b"):
        top, cell = ox.BlankNode(), ox.BlankNode()
        triples |= {ox.Triple(ox.NamedNode(ID + owner), ox.NamedNode(ex + "count"), top),
                    ox.Triple(top, ox.NamedNode(str(RDF.type)), ox.NamedNode(ex + "Count")),
                    ox.Triple(top, ox.NamedNode(ex + "items"), cell),
                    ox.Triple(cell, ox.NamedNode(str(RDF.first)), ox.Literal("x")),
                    ox.Triple(cell, ox.NamedNode(str(RDF.rest)), ox.NamedNode(str(RDF.nil)))}
    changes = compare(triples, None, None)
    assert changes.total == changes.total_added == len(triples) == 10
    assert changes.triples_added[ex + "Count"] == 4
    assert changes.triples_added[UNTYPED_BLANK] == 4
    fresh: dict = {}
    relabelled = {ox.Triple(*(fresh.setdefault(term, ox.BlankNode())
                              if isinstance(term, ox.BlankNode) else term for term in t))
                  for t in triples}
    assert relabelled != triples
    again = compare(relabelled, triples, "1.0.0")
    assert again.total_added == again.total_removed == 0
