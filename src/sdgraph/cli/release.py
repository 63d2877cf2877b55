"""``sdgraph release``: a versioned static release of the built graph (dumps, VoID/DCAT,
ontology documentation, a folder per resource, .htaccess, release notes)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..project import Project
from ..publish.release import ReleaseReport, release
from .options import add_wait


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "release", help="write a versioned static release of the built graph",
        description="Write release X.Y.Z of the built store: dumps (TriG, Turtle, N-Triples, "
        "JSON-LD), a VoID and DCAT description, the ontology as HTML and RDF, one folder per "
        "resource with HTML, Turtle, JSON-LD, N-Triples and RDF/XML, an .htaccess that "
        "negotiates them and resolves the dataset IRIs and download URLs, and release notes "
        "against the previous release. Written aside and renamed into place.")
    command.add_argument("--version", dest="release_version", required=True, metavar="X.Y.Z",
                         help="the release's version")
    command.add_argument("--out", type=Path, default=None, metavar="DIR",
                         help="the release folder (default: releases/X.Y.Z in the project)")
    command.add_argument("--previous", type=Path, default=None, metavar="DIR",
                         help="the release to compare with; its version is read from its own "
                         "void.ttl (default: the newest older release beside --out)")
    command.add_argument("--issued", default=None, metavar="YYYY-MM-DD",
                         help="the issue date, a real date YYYY-MM-DD (default: today)")
    add_wait(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    report = release(project, args.release_version, args.out, args.previous, args.issued,
                     wait=args.wait)
    print(render(report))
    return 0


def render(report: ReleaseReport) -> str:
    lines = [f"Released sdgraph {report.version} ({report.issued}) in {report.folder}",
             f"  triples: {report.triples}; resources: {report.resources} folders"]
    for dump in report.dumps:
        kind = "quads" if dump.keeps_graphs else "triples"
        lines.append(f"  dumps/{dump.name}: {dump.statements} {kind}")
    changes = report.changes
    if changes is not None:
        added = sum(len(v) for v in changes.resources_added.values())
        removed = sum(len(v) for v in changes.resources_removed.values())
        since = f"since {changes.previous}" if changes.previous else "(first release)"
        lines.append(f"  changes {since}: +{added} / -{removed} resources, "
                     f"+{changes.total_added} / -{changes.total_removed} triples "
                     "(RELEASE-NOTES.md)")
    if report.skipped:
        lines.append(f"  skipped {len(report.skipped)} resources whose IRI is no safe path: "
                     + ", ".join(report.skipped[:5]))
    return "\n".join(lines)
