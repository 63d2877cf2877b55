"""``sdgraph build``: load, reason, store and dump the project's graph, then summarise it."""

from __future__ import annotations

import argparse

from ..build import BuildReport, build
from ..project import Project
from .options import add_wait


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "build", help="build the embedded store and the dumps from the project's files",
        description="Load the ontology, the SDG skeleton, the study data and every contribution "
        "into the embedded store (one named graph per file), materialise the inferences, check "
        "consistency with HermiT, write the dumps, and print a summary. A failed build leaves "
        "the previous store and dumps as they were.")
    command.add_argument("--no-consistency-check", action="store_true",
                         help="skip the HermiT consistency check (faster)")
    add_wait(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    report = build(project, check_consistency=not args.no_consistency_check, wait=args.wait)
    print(render(report, project))
    return 0


def render(report: BuildReport, project: Project) -> str:
    lines = [f"Built {report.store_path.relative_to(project.root)} "
             f"from {len(report.files)} files."]
    lines.append(f"  triples: {report.triples} ({report.quads} in named graphs, "
                 f"{report.inferred} inferred, {report.summarised} summary counts)")
    labels = {"editions": "editions", "participants": "cities and local governments",
              "practices": "practices", "sdgLinks": "SDG links"}
    for key, label in labels.items():
        lines.append(f"  {label}: {report.counts.get(key, 0)}")
    if report.consistent:
        lines.append("  HermiT: consistent")
    lines.append(f"Dumps in {report.dist_dir.relative_to(project.root)}/:")
    for dump in report.dumps:
        kind = "quads" if dump.keeps_graphs else "triples"
        lines.append(f"  {dump.name}: {dump.statements} {kind}")
    return "\n".join(lines)
