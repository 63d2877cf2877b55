"""Import an outside vocabulary (the UN SDG KOS dump) into a named graph of its own.

The imported copy is kept under ``.sdgraph/imports/NAME.nt`` so that every later build loads it
again, and it is written into the built store at once when there is one. The import reports the
skeleton IRIs (``data/sdg``) that the vocabulary lacks, since the UN dump may predate the
skeleton's revision of the framework.
"""

from __future__ import annotations

import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError

import pyoxigraph as ox

from . import writes
from .errors import EnvironmentNotReady, InputFileError
from .load import FORMATS, read_text, syntax_error
from .namespaces import SDGO, VOCAB_GRAPH
from .project import Project

DEFAULT_NAME = "un-sdg-kos"
SDG_KINDS = {"Goal": SDGO + "Goal", "Target": SDGO + "Target", "Indicator": SDGO + "Indicator"}
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class ImportReport:
    """What an import brought in and what of the skeleton it lacks."""

    graph: str
    triples: int
    saved_to: Path
    stored: bool
    missing: dict[str, list[str]]  # kind -> skeleton IRIs without that type in the vocabulary

    @property
    def missing_count(self) -> int:
        return sum(len(v) for v in self.missing.values())


def fetch(source: str, workdir: Path) -> Path:
    """A local path for ``source``: the file itself, or a download of the URL into ``workdir``."""
    if source.startswith(("http://", "https://")):
        suffix = Path(source.split("?")[0]).suffix or ".ttl"
        target = workdir / f"download{suffix}"
        try:
            with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310 - user's URL
                target.write_bytes(response.read())
        except (URLError, OSError) as error:
            raise EnvironmentNotReady(
                f"cannot download {source}: {error}",
                hint="check the URL, or download the file and pass its path") from error
        return target
    path = Path(source)
    if not path.is_file():
        raise InputFileError(path, "no such file",
                             hint="pass the path of the UN SDG KOS Turtle dump")
    return path


def parse_vocabulary(path: Path) -> list[ox.Triple]:
    """The triples of a vocabulary file, with errors naming the file and line."""
    rdf_format = FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)
    text = read_text(path)
    try:
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(text, format=rdf_format)]
    except SyntaxError as error:
        raise syntax_error(path, error) from error


def skeleton_members(project: Project) -> dict[str, set[str]]:
    """The goal, target and indicator IRIs that the project's SDG skeleton states, by kind."""
    members: dict[str, set[str]] = {kind: set() for kind in SDG_KINDS}
    by_class = {iri: kind for kind, iri in SDG_KINDS.items()}
    for path in sorted((project.data_dir / "sdg").glob("*.ttl")):
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if quad.predicate == TYPE and quad.object.value in by_class:
                members[by_class[quad.object.value]].add(quad.subject.value)
    return members


def missing_from(triples: list[ox.Triple], skeleton: dict[str, set[str]]) -> dict[str, list[str]]:
    """Skeleton IRIs that the vocabulary does not type as the same kind."""
    typed: dict[str, set[str]] = {kind: set() for kind in SDG_KINDS}
    by_class = {iri: kind for kind, iri in SDG_KINDS.items()}
    for triple in triples:
        if triple.predicate == TYPE and triple.object.value in by_class:
            typed[by_class[triple.object.value]].add(triple.subject.value)
    return {kind: sorted(skeleton[kind] - typed[kind]) for kind in SDG_KINDS}


def import_vocabulary(project: Project, source: str, name: str = DEFAULT_NAME,
                      wait: float = writes.DEFAULT_WAIT,
                      notify: writes.Notify = writes.to_stderr) -> ImportReport:
    """Import ``source`` (a path or URL) as the named graph ``graph/vocab/NAME``.

    The copy under ``.sdgraph/imports/`` and the graph in the built store change together, in
    one journal commit under the project lock (see :mod:`sdgraph.writes`).
    """
    with tempfile.TemporaryDirectory(prefix="sdgraph-vocab-") as workdir:
        triples = parse_vocabulary(fetch(source, Path(workdir)))
    graph = VOCAB_GRAPH + name
    saved_to = project.imports_dir / f"{name}.nt"
    with writes.project_lock(project, "vocab import", wait, notify=notify), \
            writes.scratch(project, "vocab") as scratch:
        staged = scratch / saved_to.name
        with staged.open("wb") as out:
            ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
        stored = project.store_path.is_dir()
        writes.commit(project, "vocab import",
                      [writes.place(staged, saved_to),
                       writes.load(saved_to, graph, project.store_path)])
    return ImportReport(graph, len(triples), saved_to, stored,
                        missing_from(triples, skeleton_members(project)))
