"""The whole pipeline for a project: validate -> load -> reason -> store -> dumps, swapped in
only on success, under the project lock (:mod:`sdgraph.writes`).

``sdgraph build`` is a thin layer over :func:`build`.
"""

from __future__ import annotations

import dataclasses
import gc
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import reason, writes
from .load import LoadedFile, parse_file
from .project import Project
from .publish.dumps import Dump, write_dumps
from .sparql_files import read_folder, read_sparql_file
from .store import seal, staging
from .validate import validate_contributions

SUMMARY_QUERY = "graph-summary"


@dataclass
class BuildReport:
    """What a build produced: per-file triple counts, inferences, dumps and headline counts."""

    store_path: Path
    dist_dir: Path
    files: dict[str, int] = field(default_factory=dict)
    inferred: int = 0
    summarised: int = 0
    quads: int = 0
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    dumps: list[Dump] = field(default_factory=list)
    consistent: bool | None = None


def load_sources(project: Project, extra: list[Path] | None = None) -> list[LoadedFile]:
    """Parse every source file of the project (and ``extra`` files) into its named graph."""
    paths = project.source_files() + list(extra or [])
    return [parse_file(path, project.graph_name(path)) for path in paths]


def assemble(project: Project, loaded: list[LoadedFile]) -> tuple[ox.Store, reason.ReasoningReport]:
    """An in-memory store with every loaded graph plus the inferred and the summaries graphs."""
    store = ox.Store()
    for item in loaded:
        store.extend(item.quads)
    report = reason.materialise(store, read_folder(project.rules_dir))
    summaries = reason.summarise(store, read_folder(project.summary_rules_dir))
    return store, dataclasses.replace(report, summarised_by_rule=summaries)


def summary_counts(project: Project, store: ox.Store) -> dict[str, int]:
    """The headline counts, from the saved summary query."""
    query = read_sparql_file(project.queries_dir / f"{SUMMARY_QUERY}.rq")
    solutions = store.query(query.text, use_default_graph_as_union=True)
    names = [variable.value for variable in solutions.variables]
    row = next(iter(solutions))
    return {name: int(row[name].value) for name in names}


def build(project: Project, check_consistency: bool = True,
          wait: float = writes.DEFAULT_WAIT, notify: writes.Notify = writes.to_stderr
          ) -> BuildReport:
    """Build the store and the dumps of ``project``; on any error nothing on disk changes.

    Every file under ``data/contributions/`` is validated first against ``shapes/``: one that
    does not conform stops the build (:class:`~sdgraph.validate.ContributionsInvalid`). The
    build holds the project lock, waiting up to ``wait`` seconds for another write
    (:class:`~sdgraph.writes.ProjectBusy`); the new store and dumps replace the old ones in one
    journal commit, so that a crash leaves the old pair or the new pair, never one of each.
    """
    with writes.project_lock(project, "build", wait, notify=notify):
        return build_locked(project, check_consistency)


def build_locked(project: Project, check_consistency: bool) -> BuildReport:
    validate_contributions(project)
    loaded = load_sources(project)
    memory, reasoning = assemble(project, loaded)
    if check_consistency:
        reason.check_consistency(reason.union_ntriples(memory))
    report = BuildReport(project.store_path, project.dist_dir,
                         files={str(i.path.relative_to(project.root)): len(i) for i in loaded},
                         inferred=reasoning.added,
                         summarised=sum(reasoning.summarised_by_rule.values()),
                         consistent=True if check_consistency else None)
    report.quads = len(memory)
    report.triples = len({(q.subject, q.predicate, q.object) for q in memory})
    report.counts = summary_counts(project, memory)
    with staging(project.store_path) as new_store, staging(project.dist_dir) as new_dist:
        report.dumps = write_dumps(memory, new_dist)
        on_disk = ox.Store(str(new_store))
        on_disk.bulk_extend(memory)
        seal(on_disk)
        del on_disk
        gc.collect()  # the store closes its files when it is collected; rename only after that
        writes.commit(project, "build", [writes.swap(new_store, project.store_path),
                                         writes.swap(new_dist, project.dist_dir)])
    return report
