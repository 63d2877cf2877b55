"""``sdgraph add``: validate contribution files and store them, with their provenance, in one
all-or-nothing step.

Each file goes into the folder of ``data/contributions/`` that says what it is (see
:func:`folder_for`): the year of the edition it concerns, ``cities/`` for a file that only
defines cities, ``events/`` for one about another event, ``several-editions/`` or ``other/``.

The whole add holds the project lock (:mod:`sdgraph.writes`). The files are validated together
first; the stored copies (with provenance) are written under ``.sdgraph/tmp/``, and the built
store and its dumps are brought up to date on copies (the files' graphs put in, the rules and
summary counts run again, HermiT's check, the dumps written); then one journal commit renames
the copies into place. A refused add changes nothing; an interrupted one changes nothing, or is
finished by the next write when it died after its journal was on disk.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from . import reason, writes
from .build import assemble, load_sources
from .contribute import defined_iris
from .errors import UsageError
from .limits import check_input_size
from .load import LoadedFile, parse_file, read_text
from .namespaces import ID, ONTOLOGY, RDF, RDFS, XSD, slug
from .project import RDF_SUFFIXES, Project, rdf_files
from .publish.dumps import write_dumps
from .sparql_files import SparqlFile, read_folder
from .store import open_store, seal, staging
from .validate import ContributionsInvalid, ValidationReport, validate_files

#: A file name that makes a clean graph IRI and a safe path: letters, digits, '.', '_', '-'.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: Classes of the records that a "cities" file defines.
CITY_CLASSES = {ONTOLOGY + name for name in ("City", "LocalGovernment", "Participant")}
EDITION = ID + "edition/"


@dataclass(frozen=True)
class StoredFile:
    """One file an add stored: where, under which named graph, how many triples."""

    source: Path
    stored_as: Path
    graph: str
    triples: int


@dataclass(frozen=True)
class AddReport:
    """What an add stored, whether the built store has it already, and the validation report.

    ``stored_as``, ``graph`` and ``triples`` describe the first file (the single-file form)."""

    files: list[StoredFile]
    in_store: bool
    validation: ValidationReport
    recovered: list[str] = field(default_factory=list)

    @property
    def stored_as(self) -> Path:
        return self.files[0].stored_as

    @property
    def graph(self) -> str:
        return self.files[0].graph

    @property
    def triples(self) -> int:
        return self.files[0].triples


def provenance(graph: str, contributor: str, when: datetime, define_agent: bool) -> str:
    """The provenance block that add appends to the stored file: one statement a line with
    full IRIs, which Turtle, TriG, N-Triples and N-Quads all read."""
    entity, agent = ox.NamedNode(graph), ox.NamedNode(f"{ID}agent/{slug(contributor)}")
    prov = "http://www.w3.org/ns/prov#"
    triples = [ox.Triple(entity, ox.NamedNode(RDF + "type"), ox.NamedNode(prov + "Entity")),
               ox.Triple(entity, ox.NamedNode(prov + "wasAttributedTo"), agent),
               ox.Triple(entity, ox.NamedNode(prov + "generatedAtTime"),
                         ox.Literal(when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                    datatype=ox.NamedNode(XSD + "dateTime")))]
    if define_agent:
        triples += [ox.Triple(agent, ox.NamedNode(RDF + "type"), ox.NamedNode(prov + "Person")),
                    ox.Triple(agent, ox.NamedNode(RDFS + "label"),
                              ox.Literal(contributor, language="en"))]
    lines = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
    return "\n# Provenance, written by `sdgraph add`.\n" + lines


def folder_for(quads: Iterable[ox.Quad]) -> str:
    """The folder of data/contributions/ for a file with these quads: the year of the one
    edition it refers to (``sdgr:edition``, ``sdgr:reportedIn``), ``several-editions`` for
    more, ``cities`` when it defines only cities and local governments, ``events`` when its
    records are reported in another event, ``other`` otherwise."""
    editions, events, types = set(), set(), set()
    for quad in quads:
        predicate, value = quad.predicate.value, quad.object.value
        if predicate in (ONTOLOGY + "edition", ONTOLOGY + "reportedIn"):
            (editions if value.startswith(EDITION) else events).add(value)
        elif predicate == RDF + "type":
            types.add(value)
    if len(editions) == 1:
        return editions.pop().removeprefix(EDITION)
    if editions:
        return "several-editions"
    if types and types <= CITY_CLASSES:
        return "cities"
    return "events" if events else "other"


def contribution_files(paths: list[Path]) -> list[Path]:
    """The files an add takes: each FILE, and the RDF files under each FOLDER (hidden ones and
    other extensions left out); a folder with none is refused."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = rdf_files(path)
            if not found:
                raise UsageError(f"{path} holds no contribution files",
                                 hint=f"give Turtle files ({', '.join(RDF_SUFFIXES)}) or a "
                                 "folder that holds some")
            files += found
        else:
            files.append(path)
    return files


def check_sources(project: Project, files: list[Path], contributor: str) -> None:
    """Refuse, before reading any, what an add cannot take: no contributor, a file of the
    project itself, a name that cannot be a graph IRI, the same name twice."""
    if not contributor.strip():
        raise UsageError("the contributor's name is empty", hint="pass --contributor NAME")
    seen: dict[str, Path] = {}
    for path in files:
        if path.resolve().is_relative_to(project.contributions_dir.resolve()):
            raise UsageError(f"{path} is in data/contributions/ already: it is part of the "
                             "project", hint="check it with `sdgraph validate`, then run "
                             "`sdgraph build`; `sdgraph add` is for a file from elsewhere")
        if not SAFE_NAME.fullmatch(path.name):
            raise UsageError(f"{path}: the file name {path.name!r} cannot name a graph",
                             hint="rename the file with letters, digits, '.', '_' and '-' only, "
                             "such as bilbao-2023.ttl")
        if path.name in seen and seen[path.name].resolve() != path.resolve():
            raise UsageError(f"{seen[path.name]} and {path} have the same name",
                             hint="rename one of them: each file is stored under its own name")
        seen[path.name] = path


def add_contributions(project: Project, paths: list[Path], contributor: str,
                      now: datetime | None = None, check_consistency: bool = True,
                      wait: float = writes.DEFAULT_WAIT, max_size: int | None = None,
                      notify: writes.Notify = writes.to_stderr) -> AddReport:
    """Validate the files (a folder stands for its RDF files) and store them, each in its
    folder of data/contributions/ with its provenance, all or none.

    With a built store, the store and the dumps are brought up to date as well. HermiT checks
    that the graph with the files is consistent (unless ``check_consistency`` is false); an
    inconsistent graph raises :class:`~sdgraph.errors.InconsistentGraph` and nothing changes.
    Inputs larger than the memory at hand can take are refused first
    (:class:`~sdgraph.limits.InputTooLarge`; ``max_size`` in bytes overrides the limit).
    Another write holding the project lock is waited for up to ``wait`` seconds
    (:class:`~sdgraph.writes.ProjectBusy`).
    """
    files = contribution_files(paths)
    check_sources(project, files, contributor)
    check_input_size(files, "add", check_consistency, max_size)
    with writes.project_lock(project, "add", wait, notify=notify) as recovered:
        unique = list({path.resolve(): path for path in files}.values())
        report = validate_files(project, unique)
        if not report.conforms:
            raise ContributionsInvalid(report)
        targets = targets_of(project, unique)
        with writes.scratch(project, "add") as scratch:
            staged = stage_files(project, unique, targets, contributor,
                                 now or datetime.now(UTC), scratch)
            stored, in_store = store_and_commit(project, staged, check_consistency)
    return AddReport(stored, in_store, report, recovered)


def add_contribution(project: Project, path: Path, contributor: str,
                     now: datetime | None = None, check_consistency: bool = True,
                     wait: float = writes.DEFAULT_WAIT) -> AddReport:
    """The single-file form of :func:`add_contributions`."""
    return add_contributions(project, [path], contributor, now, check_consistency, wait)


def targets_of(project: Project, files: list[Path]) -> list[Path]:
    """Where each file is stored; a place that is taken is refused."""
    targets = []
    for path in files:
        folder = folder_for(parse_file(path, "urn:sdgraph:add").quads)
        target = project.contributions_dir / folder / path.name
        if target.exists():
            raise UsageError(f"{target.relative_to(project.root)} exists already",
                             hint="rename the file, or edit the stored one and run "
                             "sdgraph validate")
        targets.append(target)
    return targets


def stage_files(project: Project, files: list[Path], targets: list[Path], contributor: str,
                when: datetime, scratch: Path) -> list[tuple[StoredFile, LoadedFile, Path]]:
    """Write each file's stored text (its own and the provenance) into ``scratch``, and parse
    it into its final graph: (what will be stored, its quads, the staged copy)."""
    agent = f"{ID}agent/{slug(contributor)}"
    define_agent = agent not in defined_iris(project)
    staged = []
    for number, (path, target) in enumerate(zip(files, targets, strict=True)):
        graph = project.graph_name(target)
        text = read_text(path).rstrip("\n") + "\n" + provenance(
            graph, contributor, when, define_agent and number == 0)
        copy = scratch / str(number) / path.name
        copy.parent.mkdir()
        copy.write_text(text, encoding="utf-8")
        copy.chmod(0o644)
        loaded = parse_file(copy, graph)
        staged.append((StoredFile(path, target, graph, len(loaded)), loaded, copy))
    return staged


def store_and_commit(project: Project, staged: list[tuple[StoredFile, LoadedFile, Path]],
                     check_consistency: bool) -> tuple[list[StoredFile], bool]:
    """Bring a copy of the store and the dumps up to date (or, with no store, check the graph
    in memory), then make everything visible in one journal commit."""
    places = [writes.place(copy, stored.stored_as) for stored, _, copy in staged]
    loaded = [item for _, item, _ in staged]
    if not project.store_path.is_dir():
        if check_consistency:
            check_project_with(project, loaded)
        writes.commit(project, "add", places)
        return [stored for stored, _, _ in staged], False
    with staging(project.store_path) as new_store, staging(project.dist_dir) as new_dist:
        write_store_copy(project.store_path, new_store, loaded, read_folder(project.rules_dir),
                         read_folder(project.summary_rules_dir), new_dist, check_consistency)
        writes.commit(project, "add", [writes.swap(new_store, project.store_path),
                                       writes.swap(new_dist, project.dist_dir), *places])
    return [stored for stored, _, _ in staged], True


def write_store_copy(store_path: Path, staged: Path, files: list[LoadedFile],
                     rules: Iterable[SparqlFile] = (),
                     summary_rules: Iterable[SparqlFile] = (), dumps: Path | None = None,
                     check_consistency: bool = False) -> None:
    """Put the files' graphs into a copy of the store held in memory, run the rules and the
    summary counts again on it, check its consistency with HermiT (when asked), write its dumps
    into ``dumps`` (when given), and write it as a new store into the empty folder ``staged``.

    The rules only ever add triples (none looks for an absence), so the inferences already in
    the store stay true and the fixpoint only adds the new files'; the summary counts are
    computed anew. They run in memory, as the build's do: on the on-disk store every lookup of
    the fixpoint went to RocksDB, and an add of 2,000 cities took four minutes.
    """
    store = open_store(store_path, in_memory=True)
    for item in files:
        store.remove_graph(ox.NamedNode(item.graph))
        store.extend(item.quads)
    reason.materialise(store, rules)
    reason.summarise(store, summary_rules)
    if check_consistency:
        reason.check_consistency(reason.union_ntriples(store))
    if dumps is not None:
        write_dumps(store, dumps)
    on_disk = ox.Store(str(staged))
    try:
        on_disk.bulk_extend(store)
        seal(on_disk)
    finally:
        del on_disk
        gc.collect()  # the store closes its files when collected; rename only after that


def check_project_with(project: Project, loaded: list[LoadedFile]) -> None:
    """Check with HermiT that the project's files and the ``loaded`` contributions, with their
    inferences, are consistent, when there is no built store to add them to: the graph is
    assembled in memory, as the build assembles it."""
    store, _ = assemble(project, [*load_sources(project), *loaded])
    reason.check_consistency(reason.union_ntriples(store))
