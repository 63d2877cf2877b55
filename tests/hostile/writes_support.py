"""What the write-safety campaigns share: a built copy of the project to clone, the state of a
project (data/, the store, dist/) in a form two runs can compare, and the processes of a
session."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox

from sdgraph.project import Project
from sdgraph.store import open_store

SDGRAPH = [sys.executable, "-m", "sdgraph"]
#: The time `add` writes into the provenance, which differs from one run to the next.
STAMP = re.compile(rb'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"')


def city_file(folder: Path, number: int) -> Path:
    """A contribution that defines one new city."""
    path = folder / f"testville-{number}.ttl"
    path.write_text(textwrap.dedent(f"""\
        @prefix sdgr: <https://w3id.org/sdgraph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix city: <https://w3id.org/sdgraph/id/city/> .

        city:testville{number} a sdgr:City ;
            rdfs:label "Testville {number}"@en ;
            sdgr:countryCode "ES" .
        """), encoding="utf-8")
    return path


def clone(base: Project, target: Path) -> Project:
    shutil.copytree(base.root, target, symlinks=True)
    return Project(target)


def data_state(project: Project) -> dict[str, str]:
    """Every file under data/ (hidden ones too) with a hash of its content, the provenance
    time left out."""
    return {str(p.relative_to(project.root)): hashlib.sha256(STAMP.sub(b"T", p.read_bytes()))
            .hexdigest() for p in sorted(project.data_dir.rglob("*")) if p.is_file()}


def store_state(project: Project) -> dict[str, int]:
    """The number of quads in each named graph of the store."""
    if not project.store_path.is_dir():
        return {}
    store = open_store(project.store_path)
    try:
        return {g.value: len(list(store.quads_for_pattern(None, None, None, g)))
                for g in store.named_graphs()}
    finally:
        del store


def dist_state(project: Project) -> dict[str, int]:
    """The number of statements of each dump in dist/ (the TriG dump per named graph)."""
    found: dict[str, int] = {}
    for path in sorted(project.dist_dir.glob("*")):
        if path.suffix == ".trig":
            for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
                key = f"{path.name} {quad.graph_name}"
                found[key] = found.get(key, 0) + 1
        else:
            # JSON-LD: its node objects (the blank nodes' labels change from run to run)
            found[path.name] = path.read_bytes().count(b'"@id"') if path.suffix == ".jsonld" \
                else sum(1 for line in path.open("rb") if line.strip())
    return found


def state(project: Project) -> tuple[dict, dict, dict]:
    return data_state(project), store_state(project), dist_state(project)


def session_processes(session: int) -> list[tuple[int, str]]:
    """The processes (pid, command name) in ``session`` (the sid of /proc/PID/stat)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:]
        fields = rest.split()
        if int(fields[3]) == session and fields[0] != "Z":
            found.append((int(entry.name), name))
    return found


def wait_for_no_processes(session: int, seconds: float = 10) -> list[tuple[int, str]]:
    """The processes of ``session`` still running after up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while (left := session_processes(session)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def kill_session(session: int) -> None:
    """Stop what is left of a session the test started (never anything else)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(session, signal.SIGKILL)


def staging_leftovers(project: Project) -> list[str]:
    """Hidden files under data/, and the staging or old folders of a write."""
    found = [p for p in project.data_dir.rglob(".*")]
    found += [p for p in project.root.glob(".dist*")]
    found += [p for p in (project.root / ".sdgraph").glob(".*")]
    found += [p for p in (project.root / ".sdgraph" / "tmp").glob("*")]
    return sorted(str(p.relative_to(project.root)) for p in found)
