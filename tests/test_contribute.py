"""`sdgraph new` and `sdgraph add`: templates that validate once filled in, and adds that are
all or nothing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from sdgraph import add, contribute
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
    stored = fresh_project.contributions_dir / "2023" / VALID.name  # the edition it concerns
    graph = GRAPH + "data/contributions/2023/" + VALID.name
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


def failing_store_write(store_path: Path, staged: Path, files: list, rules: object,
                        summary_rules: object, dumps: Path, check_consistency: bool) -> None:
    """Copy the store, write half of the quads and the start of a dump, then fail as a crash
    would."""
    shutil.rmtree(staged)
    shutil.copytree(store_path, staged)
    store = ox.Store(str(staged))
    store.extend(files[0].quads[: len(files[0].quads) // 2])
    store.flush()
    (dumps / "sdgraph.nt").write_text("<urn:x:half> <urn:x:of> ", encoding="utf-8")
    raise OSError("disk full")


def failing_rename(self: Path, target: Path) -> Path:
    """A rename that fails once, for the new dumps' folder (the second step of the add's
    commit), after the store's folder has taken its place."""
    if Path(target).name == "dist" and ".new-" in self.name:
        raise OSError("interrupted")
    return original_rename(self, target)


original_rename = Path.rename


@pytest.mark.parametrize("name,replacement", [("write_store_copy", failing_store_write),
                                              ("rename", failing_rename)])
def test_an_interrupted_add_changes_nothing(fresh_project: Project, monkeypatch: pytest.MonkeyPatch,
                                            name: str, replacement) -> None:
    build(fresh_project, check_consistency=False)
    before = fingerprint(fresh_project.data_dir, fresh_project.store_path,
                         fresh_project.dist_dir)
    if name == "rename":
        monkeypatch.setattr(Path, "rename", replacement)
    else:
        monkeypatch.setattr(add, name, replacement)
    with pytest.raises(OSError):
        contribute.add_contribution(fresh_project, VALID, "Jane Doe", check_consistency=False)
    assert fingerprint(fresh_project.data_dir, fresh_project.store_path,
                       fresh_project.dist_dir) == before
    leftovers = [p.name for p in fresh_project.root.rglob(".*") if ".new-" in p.name
                 or p.name.startswith(f".{VALID.name}.") or p.name.endswith(".old")]
    assert leftovers == []
    assert not (fresh_project.root / ".sdgraph" / "journal.json").exists()


def test_new_escapes_the_label_a_person_types(fresh_project: Project) -> None:
    """A label with quotes and a backslash still gives Turtle that parses, with that label."""
    from rdflib import RDFS, Graph, Literal, URIRef

    text = contribute.new_template(fresh_project, "practice", label='Say "hi" \\ bye',
                                   city="bilbao")
    graph = Graph().parse(data=text, format="turtle")
    practice = URIRef("https://w3id.org/sdgraph/id/practice/say-hi-bye")
    assert graph.value(practice, RDFS.label) == Literal('Say "hi" \\ bye', lang="en")


# --- new: what a first-time user meets ------------------------------------------------------
def new(project: Project, *options: str) -> list[str]:
    """The argument list of ``sdgraph new`` on ``project``."""
    return ["--project", str(project.root), "new", *options]


def test_new_refuses_to_overwrite_a_file_unless_forced(
        fresh_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shipped = fresh_project.contributions_dir / "cities.ttl"
    before = fingerprint(fresh_project.contributions_dir)
    code = main(new(fresh_project, "practice", "--city", "bilbao", "--label", "X", "-o",
                    str(shipped)))
    captured = capsys.readouterr()
    assert code == 2
    assert f"{shipped} exists already" in captured.err
    assert "choose another name, or pass --force" in captured.err
    assert fingerprint(fresh_project.contributions_dir) == before  # nothing written or left
    # --force overwrites, through a file beside the target that is renamed into place
    mine = tmp_path / "out" / "mine.ttl"
    mine.parent.mkdir()
    mine.write_text("old text\n", encoding="utf-8")
    code = main(new(fresh_project, "practice", "--city", "bilbao", "--label", "X", "-o",
                    str(mine), "--force"))
    assert code == 0, capsys.readouterr().err
    assert "<https://w3id.org/sdgraph/id/practice/x>" in mine.read_text(encoding="utf-8")
    assert [p.name for p in mine.parent.iterdir()] == ["mine.ttl"]
    # a new file is written with the usual mode, not mkstemp's owner-only one
    assert mine.stat().st_mode & 0o044


def test_new_names_an_output_path_it_cannot_write(
        fresh_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for target, problem in ((tmp_path / "nonexistent" / "dir" / "x.ttl",
                             "the folder {parent} does not exist"),
                            (fresh_project.data_dir, "{target} is a folder, not a file")):
        code = main(new(fresh_project, "practice", "--city", "bilbao", "--label", "X", "-o",
                        str(target)))
        err = capsys.readouterr().err
        assert code == 2
        assert "Traceback" not in err
        first, hint = err.splitlines()
        assert first.startswith("sdgraph: error: ")
        assert problem.format(parent=target.parent, target=target) in first
        assert hint.startswith("  hint: ")
    assert not (tmp_path / "nonexistent").exists()


@pytest.mark.parametrize(("written", "meant"), [("Spain", "ES"), ("es", "ES"), ("España", "ES"),
                                                ("UK", "GB"), ("Narnia", None)])
def test_new_city_refuses_a_country_that_is_not_a_code(
        fresh_project: Project, written: str, meant: str | None,
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(new(fresh_project, "city", "--label", "Foo", "--country", written))
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert f"--country {written!r} is not an ISO 3166-1 alpha-2 country code" in captured.err
    if meant:
        assert f"did you mean {meant} " in captured.err
    else:
        assert "did you mean" not in captured.err


def test_new_city_checks_the_country_against_the_projects_list(
        fresh_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """The codes come from data/places/countries.ttl, as the shapes' do: a code the file
    lacks is refused, and a name it gives is understood."""
    countries = fresh_project.data_dir / "places" / "countries.ttl"
    text = countries.read_text(encoding="utf-8")
    countries.write_text(text.replace('sdgr:countryCode "FI"', 'sdgr:countryCode "QF"')
                         .replace('"Finland"@en', '"Fennoscandia"@en'), encoding="utf-8")
    assert main(new(fresh_project, "city", "--label", "Foo", "--country", "FI")) == 2
    assert main(new(fresh_project, "city", "--label", "Foo", "--country", "Fennoscandia")) == 2
    assert "did you mean QF (Fennoscandia)?" in capsys.readouterr().err
    assert main(new(fresh_project, "city", "--label", "Foo", "--country", "QF")) == 0
    assert 'sdgr:countryCode "QF"' in capsys.readouterr().out


def test_new_notes_a_city_the_project_does_not_know(
        fresh_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(new(fresh_project, "practice", "--city", "bilbo", "--label", "X")) == 0
    captured = capsys.readouterr()
    assert "city:bilbo is not a city of the project (did you mean city:bilbao, Bilbao?)" \
        in captured.err
    assert "sdgr:city city:bilbo ;" in captured.out  # a new city may be described beside it
    assert "not a city" not in captured.out
    # a city's name or its IRI name the city; a known one gets no note
    for written in ("Bilbao", "city:bilbao", "https://w3id.org/sdgraph/id/city/bilbao"):
        assert main(new(fresh_project, "practice", "--city", written, "--label", "X")) == 0
        captured = capsys.readouterr()
        assert captured.err == ""
        assert "sdgr:city city:bilbao ;" in captured.out


def test_new_notes_a_record_the_project_has_already(
        fresh_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The template keeps a fresh IRI, and a note on stderr names the file that defines the
    record of the same name, wherever it is."""
    cases = [(["city", "--label", "Malmö", "--country", "SE"], "city/malmo-2",
              "city:malmo is already defined in data/contributions/cities.ttl: if you mean that "
              "city, use it (sdgr:city city:malmo) rather than describing it again; this "
              "template uses city:malmo-2."),
             (["participation", "--city", "malmo", "--edition", "2012"],
              "participation/2012-malmo-2",
              "city:malmo's participation in the 2012 edition is already recorded "
              "(participation:2012-malmo in data/contributions/2012/participations.ttl)"),
             (["practice", "--city", "bilbao", "--label", "BilbaoAccess"],
              "practice/bilbaoaccess-2",
              "practice:bilbaoaccess is already defined in data/contributions/2023/practices.ttl")]
    for options, iri, note in cases:
        assert main(new(fresh_project, *options)) == 0
        captured = capsys.readouterr()
        assert f"<https://w3id.org/sdgraph/id/{iri}>" in captured.out
        assert note in captured.err
        assert "already" not in captured.out  # the template holds no note
    # the note follows the file that defines the record, and a participation is found by its
    # city and edition whatever its IRI
    (fresh_project.contributions_dir / "mine").mkdir()
    (fresh_project.contributions_dir / "mine" / "oulu.ttl").write_text(
        "@prefix sdgr: <https://w3id.org/sdgraph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/sdgraph/id/city/oulu> a sdgr:City ; rdfs:label \"Oulu\"@en ;\n"
        "    sdgr:countryCode \"FI\" .\n"
        "<https://w3id.org/sdgraph/id/participation/oulu-in-2017> a sdgr:Participation ;\n"
        "    sdgr:participant <https://w3id.org/sdgraph/id/city/oulu> ;\n"
        "    sdgr:edition <https://w3id.org/sdgraph/id/edition/2017> .\n", encoding="utf-8")
    assert main(new(fresh_project, "city", "--label", "Oulu", "--country", "FI")) == 0
    assert "city:oulu is already defined in data/contributions/mine/oulu.ttl" \
        in capsys.readouterr().err
    assert main(new(fresh_project, "participation", "--city", "oulu", "--edition", "2017")) == 0
    captured = capsys.readouterr()
    assert "participation/2017-oulu>" in captured.out  # that IRI is free
    assert "(participation:oulu-in-2017 in data/contributions/mine/oulu.ttl)" in captured.err
    # a record the project lacks gets its plain IRI and no note
    assert main(new(fresh_project, "participation", "--city", "oulu", "--edition", "2019")) == 0
    captured = capsys.readouterr()
    assert "participation/2019-oulu>" in captured.out and captured.err == ""


def test_new_templates_keep_only_required_placeholders(
        fresh_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every placeholder line says whether it is required; once the required ones are filled
    in and the optional ones deleted (a city with no source page), the files conform."""
    files = []
    for kind, options in (("city", ["--label", "Testópolis", "--country", "ES"]),
                          ("participation", ["--city", "testopolis", "--edition", "2021"]),
                          ("practice", ["--city", "testopolis", "--edition", "2012",
                                        "--label", "Open budgets"])):
        assert main(new(fresh_project, kind, *options)) == 0
        lines = capsys.readouterr().out.splitlines()
        for line in lines:
            if "todo" in line.lower() and not line.lstrip().startswith("#"):
                assert "# required:" in line or "# optional: delete this line if" in line, line
        kept = [line for line in lines if "# optional: delete this line if" not in line]
        files.append(tmp_path / f"{kind}.ttl")
        files[-1].write_text(fill("\n".join(kept) + "\n", "smart-governance"), encoding="utf-8")
    city = files[0].read_text(encoding="utf-8")
    assert "dct:source" not in city.split("<https://w3id.org/sdgraph/id/city/testopolis>")[1]
    report = validate_files(fresh_project, files)
    assert report.conforms, [r.message for r in report.violations]


def doc_new_commands(path: Path) -> list[list[str]]:
    """The ``sdgraph new`` commands of a Markdown file's shell examples, split into words."""
    import shlex

    commands, in_shell = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_shell = line.strip() == "```sh"
        elif in_shell and line.startswith("sdgraph new "):
            commands.append(shlex.split(line)[1:])
    return commands


def test_the_docs_new_examples_describe_new_records(
        fresh_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The examples in docs/ make records the project lacks: no note of a record that exists,
    and none of a city that neither the project nor the example describes."""
    from support import REPO

    commands = [c for doc in sorted((REPO / "docs").glob("*.md")) for c in doc_new_commands(doc)]
    assert commands
    described = set()
    for words in commands:
        if ">" in words or ">>" in words:  # the shell's redirection: the template is on stdout
            words = words[:words.index(">" if ">" in words else ">>")]
        if "-o" in words:
            at = words.index("-o") + 1
            words[at] = str(tmp_path / words[at])
        assert main(new(fresh_project, *words[1:])) == 0
        err = capsys.readouterr().err
        assert "already" not in err, (words, err)
        if words[1] == "city":
            described.add(contribute.slug(words[words.index("--label") + 1]))
        elif "not a city of the project" in err:
            assert contribute.slug(words[words.index("--city") + 1]) in described, err


def test_adding_a_file_that_is_already_in_the_project_says_so(
        fresh_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    stored = next(fresh_project.contributions_dir.rglob("*.ttl"))
    before = fingerprint(fresh_project.data_dir)
    code = main(["--project", str(fresh_project.root), "add", str(stored),
                 "--contributor", "Jane Doe"])
    assert code == 2
    error = capsys.readouterr().err
    assert "is in data/contributions/ already: it is part of the project" in error
    assert "`sdgraph add` is for a file from elsewhere" in error
    assert fingerprint(fresh_project.data_dir) == before
