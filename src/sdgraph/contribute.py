"""Write and store contributions: templates for new records (``sdgraph new``) and adding a
validated file to the project with its provenance (``sdgraph add``).

An add is all or nothing: the file is validated first; the stored copy (with provenance) is
written beside its place and renamed into it, and the built store and its dumps are updated on
copies that are swapped in together, so that a refused or interrupted add leaves the data folder,
the store and the dumps as they were, byte for byte. The copy gets the file's graph, then the
inference rules and the summary counts are run again on it, so that queries see the contribution
at once; HermiT checks its consistency as the build does, and the dumps are written from it.
Without a built store, HermiT checks the project assembled in memory with the file.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from string import Template

import pyoxigraph as ox

from . import reason
from .build import assemble, load_sources
from .errors import EnvironmentNotReady, UsageError
from .load import LoadedFile, parse_file
from .namespaces import ID, RDF, RDFS, SKOS, XSD
from .project import Project
from .publish.dumps import write_dumps
from .sparql_files import SparqlFile, read_folder
from .store import seal, staging, swap_all
from .validate import ContributionsInvalid, ValidationReport, validate_files

KINDS = ("practice", "city", "participation")


def turtle_string(text: str, lang: str) -> str:
    """A language-tagged Turtle literal, escaped, for text a person typed."""
    return f'"{str(ox.Literal(text))[1:-1]}"@{lang}'


def editions(project: Project) -> list[str]:
    """The years of the editions the project states (those with an axis scheme file)."""
    schemes = (project.data_dir / "axes").glob("axes-*.ttl")
    return sorted(path.stem.removeprefix("axes-") for path in schemes)


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens, accents dropped: 'Malmö' -> 'malmo'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unnamed"


def defined_iris(project: Project) -> set[str]:
    """Every IRI that a file of the project gives a type."""
    found = set()
    for path in project.source_files():
        for quad in parse_file(path, project.graph_name(path)).quads:
            if quad.predicate.value == RDF + "type" and isinstance(quad.subject, ox.NamedNode):
                found.add(quad.subject.value)
    return found


def fresh(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no file defines yet."""
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def edition_axes(project: Project, year: str) -> list[tuple[str, str, str | None]]:
    """The axes of an edition's scheme from data/axes/: (IRI, English label, broader IRI)."""
    store = ox.Store()
    for path in sorted((project.data_dir / "axes").glob("*.ttl")):
        store.extend(parse_file(path, project.graph_name(path)).quads)
    rows = store.query(
        f"SELECT ?axis ?label ?broader WHERE {{ ?axis <{SKOS}inScheme> <{ID}axes/{year}> ; "
        f"<{SKOS}prefLabel> ?label . FILTER (lang(?label) = 'en') "
        f"OPTIONAL {{ ?axis <{SKOS}broader> ?broader }} }}", use_default_graph_as_union=True)
    axes = [(r["axis"].value, r["label"].value, r["broader"].value if r["broader"] else None)
            for r in rows]
    return sorted(axes, key=lambda a: (a[2] or a[0], a[2] is not None, a[0]))


def new_template(project: Project, kind: str, label: str | None = None,
                 city: str | None = None, edition: str = "2023",
                 country: str | None = None) -> str:
    """A commented Turtle template for a new practice, city or participation, with fresh IRIs.

    The templates are the files of the project's ``templates/`` folder.
    """
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}", hint=f"use one of {', '.join(KINDS)}")
    years = editions(project)
    if edition not in years:
        raise UsageError(f"unknown edition {edition!r}", hint=f"use one of {', '.join(years)}")
    taken = defined_iris(project)
    city_slug = slug(city) if city else "todo-city"
    name = label or f"TODO {kind} name"
    iri = {"city": lambda: fresh(ID + "city/" + slug(name), taken),
           "participation": lambda: fresh(f"{ID}participation/{edition}-{city_slug}", taken),
           "practice": lambda: fresh(ID + "practice/" + slug(name), taken)}[kind]()
    axes = edition_axes(project, edition) if kind == "practice" else []
    values = {
        "iri": iri, "edition": edition, "city": city_slug, "country": country or "TODO",
        "label_en": turtle_string(name, "en"), "label_es": turtle_string(name, "es"),
        "axes": "\n".join(f"#   a{edition}:{a[0].rsplit('/', 1)[-1]:<32} "
                          f"{'  ' if a[2] else ''}{a[1]}" for a in axes),
    }
    values["prefixes"] = read_template(project, "prefixes").substitute(values)
    return read_template(project, kind).substitute(values)


def read_template(project: Project, name: str) -> Template:
    """The template ``templates/NAME.ttl`` of the project."""
    path = project.root / "templates" / f"{name}.ttl"
    try:
        return Template(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise EnvironmentNotReady(f"the template {path} is missing",
                                  hint="run sdgraph from a clone of the repository") from error


# --- add ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AddReport:
    """What an add stored: the file, its named graph, and whether the store has it already."""

    stored_as: Path
    graph: str
    triples: int
    in_store: bool
    validation: ValidationReport


def provenance(graph: str, contributor: str, when: datetime, define_agent: bool) -> str:
    """The provenance block that add appends to the stored file (full IRIs: no prefixes)."""
    agent = f"{ID}agent/{slug(contributor)}"
    text = (f"\n# Provenance, written by `sdgraph add`.\n"
            f"<{graph}> a <http://www.w3.org/ns/prov#Entity> ;\n"
            f"    <http://www.w3.org/ns/prov#wasAttributedTo> <{agent}> ;\n"
            f"    <http://www.w3.org/ns/prov#generatedAtTime> "
            f"\"{when.strftime('%Y-%m-%dT%H:%M:%SZ')}\"^^<{XSD}dateTime> .\n")
    if define_agent:
        name = contributor.replace("\\", "\\\\").replace('"', '\\"')
        text += (f"<{agent}> a <http://www.w3.org/ns/prov#Person> ;\n"
                 f"    <{RDFS}label> \"{name}\"@en .\n")
    return text


def write_store_copy(store_path: Path, staged: Path, quads: list[ox.Quad], graph: str,
                     rules: Iterable[SparqlFile] = (),
                     summary_rules: Iterable[SparqlFile] = (), dumps: Path | None = None,
                     check_consistency: bool = False) -> None:
    """Copy the store into ``staged``, put the contribution's graph into the copy, run the
    rules and the summary counts again on it, check its consistency with HermiT (when asked),
    and write its dumps into ``dumps`` (when given).

    The rules only ever add triples (none looks for an absence), so the inferences already in
    the store stay true and the fixpoint only adds the new file's; the summary counts are
    computed anew.
    """
    shutil.rmtree(staged)
    shutil.copytree(store_path, staged)
    store = ox.Store(str(staged))
    try:
        store.remove_graph(ox.NamedNode(graph))
        store.extend(quads)
        reason.materialise(store, rules)
        reason.summarise(store, summary_rules)
        if check_consistency:
            reason.check_consistency(reason.union_ntriples(store))
        if dumps is not None:
            write_dumps(store, dumps)
        seal(store)
    finally:
        del store
        gc.collect()  # the store closes its files when collected; rename only after that


def check_project_with(project: Project, loaded: LoadedFile) -> None:
    """Check with HermiT that the project's files and the ``loaded`` contribution, with their
    inferences, are consistent, when there is no built store to add it to: the graph is
    assembled in memory, as the build assembles it."""
    store, _ = assemble(project, [*load_sources(project), loaded])
    reason.check_consistency(reason.union_ntriples(store))


def add_contribution(project: Project, path: Path, contributor: str,
                     now: datetime | None = None, check_consistency: bool = True) -> AddReport:
    """Validate ``path`` and store it under data/contributions/ with its provenance.

    With a built store, the store and the dumps are brought up to date as well. HermiT checks
    that the graph with the file is consistent (unless ``check_consistency`` is false), on the
    store's copy or, with no store yet, on the project assembled in memory; an inconsistent
    graph raises :class:`~sdgraph.errors.InconsistentGraph` and nothing changes.
    """
    if not contributor.strip():
        raise UsageError("the contributor's name is empty", hint="pass --contributor NAME")
    target = project.contributions_dir / path.name
    if target.exists():
        raise UsageError(f"{target.relative_to(project.root)} exists already",
                         hint="rename the file, or edit the stored one and run sdgraph validate")
    report = validate_files(project, [path])
    if not report.conforms:
        raise ContributionsInvalid(report)
    graph = project.graph_name(project.root / "data" / "contributions" / path.name)
    agent = f"{ID}agent/{slug(contributor)}"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n" + provenance(
        graph, contributor, now or datetime.now(UTC), agent not in defined_iris(project))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, aside = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".ttl", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        final = validate_files(project, [Path(aside)])  # the stored text, provenance included
        if not final.conforms:
            raise ContributionsInvalid(final)
        loaded = parse_file(Path(aside), graph)
        in_store = project.store_path.is_dir()
        if in_store:
            with staging(project.store_path) as staged, staging(project.dist_dir) as dumps:
                write_store_copy(project.store_path, staged, loaded.quads, graph,
                                 read_folder(project.rules_dir),
                                 read_folder(project.summary_rules_dir), dumps,
                                 check_consistency)
                os.replace(aside, target)
                try:
                    swap_all([(staged, project.store_path), (dumps, project.dist_dir)])
                except BaseException:
                    target.unlink()
                    raise
        else:
            if check_consistency:
                check_project_with(project, loaded)
            os.replace(aside, target)
    finally:
        if os.path.exists(aside):
            os.unlink(aside)
    return AddReport(target, graph, len(loaded.quads), in_store, report)
