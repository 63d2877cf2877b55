"""``sdgraph release``: a versioned, self-describing static release of the built graph.

A release folder holds:

* ``dumps/``: the graph as TriG (named graphs), Turtle, N-Triples and JSON-LD;
* ``void.ttl`` and ``void.jsonld``: VoID and DCAT 3 descriptions of the dataset, this version
  and each dump (triple counts, class and property partitions, linksets to the UN SDG KOS,
  licence, issue date, checksums);
* ``ontology/VERSION/``: the ontology as pyLODE HTML and in Turtle, N-Triples, RDF/XML and
  JSON-LD, under its version IRI's path, and the same files in ``ontology/`` (the current
  version, where the pages link to);
* ``id/...``: one folder per resource with ``index.html`` (and ``index.es.html``),
  ``index.ttl``, ``index.jsonld``, ``index.nt`` and ``index.rdf``;
* ``index.html``: the home page with the editions and their SDG coverage, and links to the
  dumps, the VoID description and the ontology;
* ``.htaccess``: content negotiation for Apache (see :mod:`sdgraph.publish.htaccess`);
* ``RELEASE-NOTES.md``: what changed since the previous release, by class.

Everything is written into a staging folder beside the target and renamed into place at the
end: a failed release leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pyoxigraph as ox

from .. import writes
from ..errors import InputFileError, UsageError
from ..namespaces import DCAT, ID, ONTOLOGY_IRI, PREFIXES
from ..project import Project
from ..store import open_store, staging, swap_in
from . import jsonld
from .describe import GraphView, serialize_triples
from .dumps import Dump, write_dumps
from .htaccess import htaccess
from .html import Pages, StaticLinker, messages
from .notes import Changes, compare, markdown
from .ontology_docs import ontology_html
from .safety import meta_policy, pylode_stylesheet, stylesheet
from .void import DATASET, SPDX, describe, statistics

VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
#: Characters a resource path may hold to become a folder (the IRI slugs and SDG codes).
SAFE_PATH = re.compile(r"[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*")
RESOURCE_FILES = {"ttl": "index.ttl", "jsonld": "index.jsonld", "nt": "index.nt",
                  "rdf": "index.rdf"}
ISSUED = re.compile(r"\d{4}-\d{2}-\d{2}")
VOID_PREFIXES = {**PREFIXES, "spdx": SPDX, "foaf": "http://xmlns.com/foaf/0.1/"}
ROOT = ID.removesuffix("id/")


@dataclass
class ReleaseReport:
    """What a release wrote."""

    version: str
    folder: Path
    issued: str
    previous: str | None
    triples: int = 0
    resources: int = 0
    dumps: list[Dump] = field(default_factory=list)
    changes: Changes | None = None
    skipped: list[str] = field(default_factory=list)


def parse_version(text: str) -> tuple[int, int, int]:
    match = VERSION.fullmatch(text)
    if not match:
        raise UsageError(f"'{text}' is not a version X.Y.Z", hint="for example --version 1.0.0")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def parse_issued(text: str) -> str:
    """The issue date ``text`` if it is a real calendar date written YYYY-MM-DD."""
    try:
        if ISSUED.fullmatch(text):
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise UsageError(f"'{text}' is not a date YYYY-MM-DD",
                     hint="for example --issued 2026-11-27 (a real day of a real month)")


def release_version(folder: Path) -> str:
    """The version of the release in ``folder``, as its own VoID/DCAT description states it
    (the ``dcat:version`` of the dataset version that ``dcat:isVersionOf`` the dataset)."""
    path = folder / "void.ttl"
    if not folder.is_dir() or not path.is_file() or not (folder / "dumps" / "sdgraph.nt").is_file():
        raise UsageError(f"{folder} is not an sdgraph release (it has no void.ttl and "
                         "dumps/sdgraph.nt)", hint="give --previous the folder of an earlier "
                         "release, as `sdgraph release` wrote it")
    try:
        with path.open("rb") as data:
            triples = list(ox.parse(data, ox.RdfFormat.TURTLE))
    except SyntaxError as error:
        raise InputFileError(path, f"cannot be read as Turtle ({error})") from error
    versions_of = {t.subject for t in triples if t.predicate.value == DCAT + "isVersionOf"
                   and t.object.value == DATASET}
    found = sorted({t.object.value for t in triples if t.predicate.value == DCAT + "version"
                    and t.subject in versions_of and VERSION.fullmatch(t.object.value)})
    if len(found) != 1:
        raise InputFileError(path, f"does not state one version X.Y.Z of {DATASET} "
                             f"(found {', '.join(found) or 'none'})",
                             hint="give --previous the folder of an earlier release")
    return found[0]


def find_previous(parent: Path, version: str) -> Path | None:
    """The newest release below ``version`` among the folders of ``parent`` (each folder's
    version read from its own description; folders that are no release are passed over)."""
    current = parse_version(version)
    candidates = []
    if parent.is_dir():
        for folder in parent.iterdir():
            if not folder.is_dir() or folder.name.startswith("."):
                continue
            try:
                found = parse_version(release_version(folder))
            except (UsageError, InputFileError):
                continue
            if found < current:
                candidates.append((found, folder))
    return max(candidates)[1] if candidates else None


def read_release_triples(folder: Path) -> set[ox.Triple]:
    """The merged graph of an earlier release, from its N-Triples dump."""
    path = folder / "dumps" / "sdgraph.nt"
    if not path.is_file():
        raise UsageError(f"{folder} is not an sdgraph release (it has no dumps/sdgraph.nt)",
                         hint="give --previous the folder of an earlier release")
    try:
        with path.open("rb") as data:
            return {ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(data, ox.RdfFormat.N_TRIPLES)}
    except SyntaxError as error:
        raise InputFileError(path, f"cannot be read as N-Triples ({error})") from error


def release(project: Project, version: str, out: Path | None = None,
            previous: Path | None = None, issued: str | None = None,
            wait: float = writes.DEFAULT_WAIT,
            notify: writes.Notify = writes.to_stderr) -> ReleaseReport:
    """Write release ``version`` of the built graph of ``project`` (see the module docstring).

    It holds the project lock (waiting up to ``wait`` seconds), so that no build or add swaps
    the store while the release reads it."""
    parse_version(version)
    with writes.project_lock(project, "release", wait, notify=notify):
        return release_locked(project, version, out, previous, issued)


def release_locked(project: Project, version: str, out: Path | None,
                   previous: Path | None, issued: str | None) -> ReleaseReport:
    target = (out or project.root / "releases" / version).resolve()
    if target.exists():
        raise UsageError(f"{target} exists already; a release is never overwritten",
                         hint="choose a new --version or another --out")
    issued = parse_issued(issued) if issued is not None else dt.date.today().isoformat()
    previous = previous.resolve() if previous else find_previous(target.parent, version)
    previous_version = release_version(previous) if previous else None
    if previous_version is not None and parse_version(previous_version) >= parse_version(version):
        raise UsageError(f"the previous release {previous} is version {previous_version}, "
                         f"not older than {version}",
                         hint="give --previous an earlier release, or a higher --version")
    store = open_store(project.store_path)
    view = GraphView(store)
    quads = list(store)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    before = read_release_triples(previous) if previous else None
    report = ReleaseReport(version, target, issued, previous_version, triples=len(triples))
    with staging(target) as stage:
        report.dumps = write_dumps(store, stage / "dumps")
        ontology_version = write_ontology(view, stage)
        write_void(stage, version, issued, triples, report.dumps, ontology_version,
                   previous_version)
        report.resources, report.skipped = write_resources(view, stage)
        write_home(view, stage, version, ontology_version, report.dumps)
        write_static(stage)
        (stage / ".htaccess").write_text(htaccess(version, ontology_version), encoding="utf-8")
        report.changes = compare(triples, before, previous_version)
        notes = markdown(report.changes, version, issued, view.label)
        (stage / "RELEASE-NOTES.md").write_text(notes, encoding="utf-8")
        swap_in(stage, target)
    return report


def write_ontology(view: GraphView, stage: Path) -> str:
    """The ontology under ``ontology/VERSION/`` and, as the current version, in ``ontology/``
    itself (the pages link to ``ontology/index.html#Term``, as the live server's
    ``/ontology``); returns the version (last part of the version IRI)."""
    version_iri = view.ontology_version_iri() or ONTOLOGY_IRI + "/latest"
    version = version_iri.rstrip("/").rsplit("/", 1)[-1]
    current = stage / "ontology"
    folder = current / version
    folder.mkdir(parents=True)
    triples = view.ontology_triples()
    files = {f"sdgraph.{suffix}": serialize_triples(triples, suffix)
             for suffix in ("ttl", "nt", "rdf", "jsonld")}
    files["index.html"] = ontology_html(triples, "pylode.css", meta_policy()).encode("utf-8")
    files["pylode.css"] = pylode_stylesheet().encode("utf-8")
    for name, content in files.items():
        (folder / name).write_bytes(content)
        (current / name).write_bytes(content)
    return version


def write_void(stage: Path, version: str, issued: str, triples: set[ox.Triple],
               dumps: list[Dump], ontology_version: str, previous: str | None) -> None:
    description = describe(version, issued, statistics(triples), dumps, stage / "dumps",
                           f"{ROOT}releases/{version}/",
                           f"{ONTOLOGY_IRI}/{ontology_version}", previous)
    (stage / "void.ttl").write_bytes(ox.serialize(description, format=ox.RdfFormat.TURTLE,
                                                  prefixes=VOID_PREFIXES))
    (stage / "void.jsonld").write_bytes(jsonld.serialize(description, VOID_PREFIXES, indent=1))


def resource_folder(iri: str) -> str | None:
    """The folder of a resource in the release (``id/practice/x``), or None if its IRI cannot
    be a path safely."""
    relative = iri[len(ROOT):]
    parts = PurePosixPath(relative).parts
    if not SAFE_PATH.fullmatch(relative) or any(part in (".", "..") for part in parts):
        return None
    return relative


def write_resources(view: GraphView, stage: Path) -> tuple[int, list[str]]:
    """A folder per resource with its page (en, es) and its description in three formats."""
    pages = Pages(view, ROOT)
    written, skipped = 0, []
    formats = [("text/turtle", "index.ttl"), ("application/ld+json", "index.jsonld"),
               ("application/n-triples", "index.nt"), ("application/rdf+xml", "index.rdf")]
    for iri in view.resources():
        relative = resource_folder(iri)
        if relative is None:
            skipped.append(iri)
            continue
        folder = stage / relative
        folder.mkdir(parents=True, exist_ok=True)
        triples = view.description(iri)
        for name, filename in RESOURCE_FILES.items():
            (folder / filename).write_bytes(serialize_triples(triples, name))
        for lang in ("en", "es"):
            switch = {code: "index.html" if code == "en" else f"index.{code}.html"
                      for code in ("en", "es")}
            html = pages.resource(iri, lang, StaticLinker(ROOT, relative, lang), False,
                                  formats, switch)
            (folder / switch[lang]).write_text(html, encoding="utf-8")
        written += 1
    return written, skipped


def write_static(stage: Path) -> None:
    """The stylesheet every page links to (pages hold no styles of their own, so that their
    Content-Security-Policy can refuse inline styles)."""
    folder = stage / "static"
    folder.mkdir()
    (folder / "site.css").write_text(stylesheet(), encoding="utf-8")


def write_home(view: GraphView, stage: Path, version: str = "", ontology_version: str = "",
               dumps: list[Dump] | None = None) -> None:
    """The home page of the live server, with a list of the release's own files below it
    (its own template, so that the live server's home page is unchanged)."""
    pages = Pages(view, ROOT)
    switch = {"en": "index.html", "es": "index.es.html"}
    for lang in ("en", "es"):
        linker = StaticLinker(ROOT, "", lang)
        editions = pages.editions()
        for edition in editions:
            edition["label"] = view.label(edition["iri"], lang)
            edition["href"] = linker.href(edition["iri"])
            edition["chart"] = pages.chart(edition["goals"], lang)
            for bar in edition["chart"]["bars"]:
                bar["href"] = linker.href(bar["iri"])
        html = pages.render("release-home.html", lang, messages()[lang]["site_title"], False,
                            editions=editions, switch=switch, home_href=linker.home(),
                            css_href=linker.static("site.css"), version=version,
                            ontology_version=ontology_version,
                            dumps=[(d.name, f"dumps/{d.name}") for d in dumps or []])
        (stage / switch[lang]).write_text(html, encoding="utf-8")
