"""Writes to a project: the loader reads no temporary file, crash leftovers are removed and
reported, a second writer waits or is refused, an add of several files is all or nothing,
HermiT's Java dies with its parent and fails in words, and inputs too large for the memory at
hand are refused up front. (The kill -9 and concurrency campaigns are in tests/hostile/.)"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from support import REPO

from sdgraph import limits, reason
from sdgraph.add import add_contributions, folder_for
from sdgraph.build import build
from sdgraph.cli import main
from sdgraph.namespaces import GRAPH
from sdgraph.project import Project
from sdgraph.store import open_store

VALID = REPO / "tests" / "shapes" / "valid"
SDGRAPH = [sys.executable, "-m", "sdgraph"]


def city_file(folder: Path, number: int, name: str | None = None) -> Path:
    """A contribution that defines one new city (stored under cities/)."""
    path = folder / (name or f"testville-{number}.ttl")
    path.write_text(textwrap.dedent(f"""\
        @prefix sdgr: <https://w3id.org/sdgraph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix city: <https://w3id.org/sdgraph/id/city/> .

        city:testville{number} a sdgr:City ;
            rdfs:label "Testville {number}"@en ;
            sdgr:countryCode "ES" .
        """), encoding="utf-8")
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A folder for files to add, beside the project copy (which is ``tmp_path`` itself)."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def graph_sizes(project: Project) -> dict[str, int]:
    store = open_store(project.store_path)
    try:
        return {g.value: len(list(store.quads_for_pattern(None, None, None, g)))
                for g in store.named_graphs()}
    finally:
        del store


def practices(project: Project) -> int:
    return build(project, check_consistency=False).counts["practices"]


# --- the loader and crash leftovers ------------------------------------------------------------

def test_the_build_reads_no_hidden_or_temporary_file(fresh_project: Project) -> None:
    """A crashed add of an earlier version left ``.NAME.XXXXXXXX.ttl`` in data/contributions/,
    and the next build loaded it (one practice too many); editors' backup copies likewise."""
    expected = practices(fresh_project)
    hidden = fresh_project.contributions_dir / ".bilbao-2023.ttl.k2j4h5g6.ttl"
    hidden.write_bytes((VALID / "bilbao-2023.ttl").read_bytes())
    in_hidden_folder = fresh_project.contributions_dir / ".trash" / "bilbao-2023.ttl"
    in_hidden_folder.parent.mkdir()
    in_hidden_folder.write_bytes((VALID / "bilbao-2023.ttl").read_bytes())
    backup = fresh_project.contributions_dir / "bilbao-2023.ttl~"
    backup.write_bytes((VALID / "bilbao-2023.ttl").read_bytes())
    assert hidden not in fresh_project.source_files()
    assert in_hidden_folder not in fresh_project.source_files()
    assert practices(fresh_project) == expected


def test_leftovers_of_a_crash_are_removed_and_reported_by_the_next_write(
        fresh_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    build(fresh_project, check_consistency=False)
    root = fresh_project.root
    made = [root / ".sdgraph" / ".store.new-x1y2z3", root / ".dist.new-a1b2c3",
            root / ".sdgraph" / "tmp" / "add-q1w2e3", root / ".sdgraph" / ".store.old"]
    for folder in made:
        folder.mkdir(parents=True)
        (folder / "part").write_bytes(b"x" * 2048)
    old_temporary = fresh_project.contributions_dir / ".malmo-2012.ttl.ab12cd34.ttl"
    old_temporary.write_text("half a file", encoding="utf-8")
    assert main(["--project", str(root), "build", "--no-consistency-check"]) == 0
    err = capsys.readouterr().err
    assert "removed what an interrupted write left behind" in err
    for path in [*made, old_temporary]:
        assert not path.exists(), path
        assert str(path.relative_to(root)) in err
    assert "(2.0 KB)" in err


def test_a_crash_during_the_commit_is_finished_by_the_next_write(
        fresh_project: Project, tmp_path: Path) -> None:
    """The process dies (os._exit) right after the new store took the old one's place and
    before the dumps and the file did: the store and dist/ disagree, and data/ lacks the file,
    until the next write finishes the journal."""
    build(fresh_project, check_consistency=False)
    crash = textwrap.dedent(f"""\
        import os, sys
        from pathlib import Path
        rename = Path.rename
        def dying(self, target):
            if Path(target).name == "dist" and ".new-" in self.name:
                os._exit(9)
            return rename(self, target)
        Path.rename = dying
        from sdgraph.cli import main
        sys.exit(main(["--project", {str(fresh_project.root)!r}, "add",
                       {str(VALID / "bilbao-2023.ttl")!r}, "--contributor", "Jane Doe",
                       "--no-consistency-check"]))
        """)
    assert subprocess.run([sys.executable, "-c", crash], timeout=300).returncode == 9
    assert (fresh_project.root / ".sdgraph" / "journal.json").is_file()
    stored = fresh_project.contributions_dir / "2023" / "bilbao-2023.ttl"
    assert not stored.exists()  # in between: the store has the file, data/ does not
    result = subprocess.run([*SDGRAPH, "--project", str(fresh_project.root), "build",
                             "--no-consistency-check"], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "finished the `sdgraph add` that was interrupted" in result.stderr
    assert stored.is_file()
    graph = GRAPH + "data/contributions/2023/bilbao-2023.ttl"
    assert graph in graph_sizes(fresh_project)
    assert f"<{graph}>".encode() in (fresh_project.dist_dir / "sdgraph.trig").read_bytes()
    assert not (fresh_project.root / ".sdgraph" / "journal.json").exists()
    assert not list(fresh_project.root.glob(".dist*"))


@pytest.mark.parametrize("journal,problem", [
    ("{half", "Expecting property name"),
    ('{"command": "add", "steps": [{"op": "place", "from": "../outside.ttl", '
     '"to": "data/x.ttl"}]}', "a path outside the project"),
    ('{"command": "add", "steps": [{"op": "delete", "to": "data"}]}', "unknown step"),
], ids=["half-written", "outside", "unknown-step"])
def test_an_unreadable_journal_is_an_error_in_words(
        fresh_project: Project, capsys: pytest.CaptureFixture[str], journal: str,
        problem: str) -> None:
    outside = fresh_project.root.parent / "outside.ttl"
    outside.write_text("kept", encoding="utf-8")
    (fresh_project.root / ".sdgraph").mkdir()
    (fresh_project.root / ".sdgraph" / "journal.json").write_text(journal, encoding="utf-8")
    assert main(["--project", str(fresh_project.root), "build", "--no-consistency-check"]) == 2
    err = capsys.readouterr().err
    assert "the write journal" in err and "cannot be read" in err and problem in err
    assert "remove the file, then run `sdgraph build`" in err
    assert outside.read_text(encoding="utf-8") == "kept"
    assert not (fresh_project.root / "data" / "x.ttl").exists()


# --- the lock ----------------------------------------------------------------------------------

def hold_lock(project: Project) -> int:
    """Take the project lock as another writer would; returns the descriptor to close."""
    (project.root / ".sdgraph").mkdir(exist_ok=True)
    handle = os.open(project.root / ".sdgraph" / "lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(handle, fcntl.LOCK_EX)
    os.ftruncate(handle, 0)
    os.write(handle, json.dumps({"command": "build", "pid": 4242, "since": "10:00:00"}).encode())
    return handle


@pytest.mark.parametrize("command", [
    ["add", str(VALID / "bilbao-2023.ttl"), "--contributor", "Jane Doe"],
    ["build"],
    ["vocab", "import", str(REPO / "data" / "sdg" / "framework-2023.ttl")],
    ["release", "--version", "1.0.0"],
], ids=["add", "build", "vocab-import", "release"])
def test_a_second_writer_is_refused_when_it_may_not_wait(
        fresh_project: Project, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    handle = hold_lock(fresh_project)
    try:
        before = sorted(p for p in fresh_project.root.rglob("*") if ".sdgraph" not in p.parts)
        code = main(["--project", str(fresh_project.root), *command, "--wait", "0"])
        assert code == 4
        err = capsys.readouterr().err
        assert "the project is busy: `sdgraph build` (process 4242, since 10:00:00)" in err
        assert "nothing was changed" in err and "--wait SECONDS" in err
        after = sorted(p for p in fresh_project.root.rglob("*") if ".sdgraph" not in p.parts)
        assert after == before
    finally:
        os.close(handle)


def test_a_second_writer_waits_saying_so_then_goes_on(fresh_project: Project) -> None:
    handle = hold_lock(fresh_project)
    writer = subprocess.Popen([*SDGRAPH, "--project", str(fresh_project.root), "build",
                               "--no-consistency-check", "--wait", "120"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(3)
        assert writer.poll() is None  # still waiting
    finally:
        os.close(handle)
    out, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    assert "waiting for `sdgraph build` (process 4242" in err and "--wait SECONDS" in err
    assert "Built .sdgraph/store" in out


@pytest.mark.parametrize("value", ["-1", "soon", "inf"])
def test_wait_takes_only_a_number_of_seconds(fresh_project: Project, value: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--project", str(fresh_project.root), "build", "--wait", value])
    assert stop.value.code == 2
    assert "expected a number of seconds of 0 or more" in capsys.readouterr().err


# --- add of several files -----------------------------------------------------------------------

def test_add_takes_several_files_and_a_folder_each_stored_where_it_belongs(
        fresh_project: Project, inbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(fresh_project, check_consistency=False)
    folder = inbox / "batch"
    folder.mkdir()
    city_file(folder, 1)
    (folder / ".hidden-copy.ttl").write_bytes((folder / "testville-1.ttl").read_bytes())
    (folder / "notes.txt").write_text("not RDF", encoding="utf-8")
    code = main(["--project", str(fresh_project.root), "add", str(folder),
                 str(VALID / "bilbao-2023.ttl"), str(VALID / "malmo-2012.ttl"),
                 "--contributor", "Jane Doe", "--no-consistency-check"])
    assert code == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    expected = ["cities/testville-1.ttl", "2023/bilbao-2023.ttl", "several-editions/malmo-2012.ttl"]
    sizes = graph_sizes(fresh_project)
    trig = (fresh_project.dist_dir / "sdgraph.trig").read_text(encoding="utf-8")
    for relative in expected:
        assert (fresh_project.contributions_dir / relative).is_file()
        assert f"Added data/contributions/{relative}" in out
        assert sizes[GRAPH + "data/contributions/" + relative] > 0
        assert f"<{GRAPH}data/contributions/{relative}>" in trig
    assert not (fresh_project.contributions_dir / "cities" / ".hidden-copy.ttl").exists()
    # the contributor is defined once, in the first file
    agents = [relative for relative in expected if "prov#Person" in
              (fresh_project.contributions_dir / relative).read_text(encoding="utf-8")]
    assert len(agents) == 1


def test_add_of_several_files_stores_none_when_one_is_refused(
        fresh_project: Project, inbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(fresh_project, check_consistency=False)
    good = city_file(inbox, 2)
    before = {p: p.read_bytes() for p in fresh_project.root.rglob("*")
              if p.is_file() and ".sdgraph" not in p.parts}
    bad = REPO / "tests" / "shapes" / "invalid" / "end-before-start.ttl"
    code = main(["--project", str(fresh_project.root), "add", str(good),
                 str(bad), "--contributor", "Jane Doe", "--no-consistency-check"])
    assert code == 1
    assert "end-before-start.ttl" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in fresh_project.root.rglob("*")
             if p.is_file() and ".sdgraph" not in p.parts}
    assert after == before
    assert GRAPH + "data/contributions/cities/testville-2.ttl" not in graph_sizes(fresh_project)


@pytest.mark.parametrize("case", ["same-name", "unsafe-name", "empty-folder", "taken"])
def test_add_refuses_what_it_cannot_store_before_reading_it(
        fresh_project: Project, inbox: Path, case: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    if case == "same-name":
        (inbox / "a").mkdir()
        (inbox / "b").mkdir()
        files = [city_file(inbox / "a", 3, "x.ttl"), city_file(inbox / "b", 4, "x.ttl")]
        expected = "have the same name"
    elif case == "unsafe-name":
        files = [city_file(inbox, 5, "my <city>.ttl")]
        expected = "cannot name a graph"
    elif case == "empty-folder":
        (inbox / "empty").mkdir()
        files = [inbox / "empty"]
        expected = "holds no contribution files"
    else:
        files = [city_file(inbox, 6)]
        add_contributions(fresh_project, files, "Jane Doe", check_consistency=False)
        other = inbox / "again"
        other.mkdir()
        files = [city_file(other, 7, "testville-6.ttl")]
        expected = "data/contributions/cities/testville-6.ttl exists already"
    code = main(["--project", str(fresh_project.root), "add", *map(str, files),
                 "--contributor", "Jane Doe", "--no-consistency-check"])
    assert code == 2
    assert expected in capsys.readouterr().err


def test_the_folder_of_a_file_says_what_it_is() -> None:
    def quads(text: str) -> list[ox.Quad]:
        prefixes = ("@prefix sdgr: <https://w3id.org/sdgraph/ontology#> . "
                    "@prefix e: <https://w3id.org/sdgraph/id/edition/> . "
                    "@prefix ev: <https://w3id.org/sdgraph/id/event/> . ")
        return list(ox.parse(prefixes + text, format=ox.RdfFormat.TURTLE))

    assert folder_for(quads("<urn:p> a sdgr:Practice ; sdgr:reportedIn e:2021 .")) == "2021"
    assert folder_for(quads("<urn:p> sdgr:edition e:2012 . <urn:q> sdgr:edition e:2017 .")) \
        == "several-editions"
    assert folder_for(quads("<urn:c> a sdgr:City . <urn:o> a sdgr:LocalGovernment .")) \
        == "cities"
    assert folder_for(quads("<urn:p> a sdgr:Practice ; sdgr:reportedIn ev:2020-x .")) \
        == "events"
    assert folder_for(quads("<urn:p> a sdgr:Practice .")) == "other"


def test_provenance_is_read_in_every_format_add_stores(fresh_project: Project,
                                                       inbox: Path) -> None:
    """The provenance block is appended to N-Triples files too, where Turtle's ';' would be
    a syntax error."""
    source = city_file(inbox, 8)
    triples = ox.parse(path=str(source), format=ox.RdfFormat.TURTLE)
    as_nt = inbox / "testville-8.nt"
    as_nt.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    report = add_contributions(fresh_project, [as_nt], "Jane \"JD\" Doe",
                               check_consistency=False)
    stored = report.stored_as
    assert stored == fresh_project.contributions_dir / "cities" / "testville-8.nt"
    parsed = list(ox.parse(path=str(stored), format=ox.RdfFormat.N_TRIPLES))
    assert any(t.object == ox.Literal('Jane "JD" Doe', language="en") for t in parsed)


# --- HermiT -----------------------------------------------------------------------------------

def test_hermits_java_dies_with_its_parent(tmp_path: Path) -> None:
    """A child started as HermiT's Java is (preexec_fn=die_with_parent) is killed when its
    parent is killed with SIGKILL; without it, it lives on."""
    marker = tmp_path / "child.pid"
    script = textwrap.dedent(f"""\
        import subprocess, sys, time
        from sdgraph.reason import die_with_parent
        use = sys.argv[1] == "yes"
        child = subprocess.Popen(["sleep", "60"], preexec_fn=die_with_parent if use else None)
        open({str(marker)!r}, "w").write(str(child.pid))
        time.sleep(60)
        """)
    for use, survives in (("yes", False), ("no", True)):
        marker.unlink(missing_ok=True)
        parent = subprocess.Popen([sys.executable, "-c", script, use])
        try:
            deadline = time.monotonic() + 30
            while not marker.exists() or not marker.read_text():
                assert time.monotonic() < deadline
                time.sleep(0.05)
            child = int(marker.read_text())
            parent.kill()
            parent.wait()
            time.sleep(0.5)
            assert alive(child) == survives
        finally:
            if alive(child):
                os.kill(child, signal.SIGKILL)


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_hermit_runs_with_a_heap_from_the_memory_and_dies_with_its_parent(
        monkeypatch: pytest.MonkeyPatch, repo_project: Project) -> None:
    import owlready2.reasoning as owl_reasoning

    seen = {}
    real = owl_reasoning.subprocess.check_output

    def watching(command, **options):
        seen.update(command=command, options=options)
        return real(command, **options)

    monkeypatch.setattr(owl_reasoning.subprocess, "check_output", watching)
    monkeypatch.setattr(limits, "available_memory", lambda: 3 * 1024 ** 3)
    tiny = b"<urn:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:B> .\n"
    reason.check_consistency(tiny)
    assert "-Xmx1536M" in seen["command"]
    assert seen["options"]["preexec_fn"] is reason.die_with_parent
    assert owl_reasoning._subprocess_kargs.get("preexec_fn") is None  # put back afterwards


def test_hermit_out_of_memory_is_an_error_in_words(
        fresh_project: Project, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(limits, "hermit_heap_mb", lambda memory=None: 4)
    assert main(["--project", str(fresh_project.root), "build"]) == 3
    err = capsys.readouterr().err
    assert "HermiT ran out of memory checking consistency (its Java heap was 4 MB" in err
    assert "--no-consistency-check" in err
    assert "Traceback" not in err
    assert not fresh_project.store_path.exists()


# --- sizes ------------------------------------------------------------------------------------

def test_validate_and_add_refuse_an_input_the_memory_cannot_hold(
        fresh_project: Project, monkeypatch: pytest.MonkeyPatch, inbox: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    big = city_file(inbox, 9)
    with big.open("a", encoding="utf-8") as out:
        out.write("# padding\n" * 20000)  # about 200 KB
    # 310 MB available: 10 MB beyond the base need, so validate takes 10 MB / 18 ~ 570 KB,
    # add with HermiT 10 MB / 60 ~ 170 KB, add without it 10 MB / 36 ~ 284 KB
    monkeypatch.setattr(limits, "available_memory", lambda: 310 * 1024 ** 2)
    root = str(fresh_project.root)
    assert main(["--project", root, "validate", str(big)]) == 0
    capsys.readouterr()
    assert main(["--project", root, "add", str(big), "--contributor", "J"]) == 3
    err = capsys.readouterr().err
    assert f"{big}: 195.6 KB in all, and `sdgraph add` takes up to 170.7 KB" in err
    assert "with the HermiT consistency check" in err
    assert "pass --no-consistency-check to take up to 284.4 KB" in err
    assert "--max-size SIZE" in err
    assert not (fresh_project.contributions_dir / "cities").exists()
    assert main(["--project", root, "validate", str(big), "--max-size", "100K"]) == 3
    assert "`sdgraph validate` takes up to 100.0 KB" in capsys.readouterr().err
    assert main(["--project", root, "add", str(big), "--contributor", "J",
                 "--no-consistency-check"]) == 0


def test_a_size_is_a_number_with_a_unit(fresh_project: Project,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert limits.parse_size("1.5G") == 1610612736
    assert limits.parse_size("500m") == 500 * 1024 ** 2
    with pytest.raises(SystemExit):
        main(["--project", str(fresh_project.root), "validate", "x.ttl", "--max-size", "lots"])
    assert "--max-size 'lots' is not a size" in capsys.readouterr().err


def test_any_other_java_failure_is_an_error_in_words(
        fresh_project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    java = tmp_path / "java"
    java.write_text("#!/bin/sh\necho 'Exception in thread \"main\" "
                    "java.lang.IllegalStateException: broken'\nexit 1\n", encoding="utf-8")
    java.chmod(0o755)
    monkeypatch.setenv("JAVA", str(java))
    assert main(["--project", str(fresh_project.root), "build"]) == 3
    err = capsys.readouterr().err
    assert "HermiT failed to check consistency: Exception in thread \"main\" " \
           "java.lang.IllegalStateException: broken" in err
    assert "pass --no-consistency-check" in err and "Traceback" not in err


def test_the_size_limit_is_stated_up_front_and_in_spanish(
        fresh_project: Project, monkeypatch: pytest.MonkeyPatch, inbox: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(limits, "available_memory", lambda: 1324 * 1024 ** 2)
    with pytest.raises(SystemExit):
        main(["add", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    # (1324 - 300) MB over 60 and over 36 bytes a byte
    assert "what the memory available now (1.3 GB) can hold: up to 17.1 MB; with " \
           "--no-consistency-check 28.4 MB" in help_text
    big = city_file(inbox, 10)
    assert main(["--project", str(fresh_project.root), "validate", "--lang", "es", str(big),
                 "--max-size", "10"]) == 3
    err = capsys.readouterr().err
    assert "256 B en total, y `sdgraph validate` admite hasta 10 B" in err
    assert "pista: divida la contribución" in err
