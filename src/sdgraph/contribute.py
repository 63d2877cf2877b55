"""Templates for new records (``sdgraph new``), and what the project defines already.

Adding files to the project (``sdgraph add``) is :mod:`sdgraph.add`.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path
from string import Template

import pyoxigraph as ox

from .errors import EnvironmentNotReady, UsageError
from .load import parse_file
from .namespaces import ID, ONTOLOGY, RDF, RDFS, SKOS, slug
from .project import Project
from .validate.hints import CODE_ALIASES
from .validate.identity import graph_file

KINDS = ("practice", "city", "participation")

#: The kinds of record whose IRIs ``sdgraph new`` mints, with the prefix the templates declare.
RECORD_PREFIXES = {kind: ID + kind + "/" for kind in KINDS}
COUNTRY_FILE = "data/places/countries.ttl"


@dataclass(frozen=True)
class NewRecord:
    """What ``sdgraph new`` writes: the template, its fresh IRI, and notices for the person
    (a record the project has already, a city it does not know) that are not part of the
    template."""

    text: str
    iri: str
    notices: tuple[str, ...] = ()


def turtle_string(text: str, lang: str) -> str:
    """A language-tagged Turtle literal, escaped, for text a person typed."""
    return f'"{str(ox.Literal(text))[1:-1]}"@{lang}'


def editions(project: Project) -> list[str]:
    """The years of the editions the project states (those with an axis scheme file)."""
    schemes = (project.data_dir / "axes").glob("axes-*.ttl")
    return sorted(path.stem.removeprefix("axes-") for path in schemes)


def project_graph(project: Project) -> ox.Store:
    """Every RDF file of the project in one in-memory store, each in its own named graph (as
    the build loads them), to ask what the files define and which file defines it."""
    store = ox.Store()
    for path in project.source_files():
        store.extend(parse_file(path, project.graph_name(path)).quads)
    return store


def definitions(store: ox.Store) -> dict[str, list[str]]:
    """Every IRI that a file gives a type -> the files that do (``data/...``), sorted."""
    rows = store.query(f"SELECT DISTINCT ?node ?g WHERE {{ GRAPH ?g {{ ?node <{RDF}type> ?t }} "
                       f"FILTER isIRI(?node) }}")
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["node"].value, []).append(graph_file(row["g"].value))
    return {iri: sorted(files) for iri, files in found.items()}


def defined_iris(project: Project) -> set[str]:
    """Every IRI that a file of the project gives a type."""
    return set(definitions(project_graph(project)))


def fresh(base: str, taken: Container[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no file defines yet."""
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def compact(iri: str) -> str:
    """A record IRI as the templates write it with their prefixes: ``city:malmo``."""
    for kind, namespace in RECORD_PREFIXES.items():
        if iri.startswith(namespace):
            return kind + ":" + iri.removeprefix(namespace)
    return f"<{iri}>"


def labels(store: ox.Store, where: str) -> dict[str, list[str]]:
    """The nodes that the SPARQL pattern ``where`` gives as ``?node``, each under the key it
    binds to ``?key``, with their labels, English first: {key: [label, ...]}."""
    rows = store.query(f"SELECT ?key ?label WHERE {{ {where} "
                       f"OPTIONAL {{ ?node <{RDFS}label> ?label }} }}",
                       use_default_graph_as_union=True)
    found: dict[str, list[tuple[bool, str]]] = {}
    for row in rows:
        names = found.setdefault(row["key"].value, [])
        label = row["label"]
        if label is not None and (label.language != "en", label.value) not in names:
            names.append((label.language != "en", label.value))
    return {key: [name for _, name in sorted(names)] for key, names in found.items()}


def closest(written: str, names: dict[str, list[str]]) -> str | None:
    """The key of ``names`` that ``written`` most likely means: the key itself in other case,
    a label (case and accents aside), or the key or label closest in spelling."""
    wanted = slug(written)
    by_name: dict[str, str] = {}
    for key, key_labels in sorted(names.items()):
        for name in (key, *key_labels):
            by_name.setdefault(slug(name), key)
    if wanted in by_name:
        return by_name[wanted]
    close = difflib.get_close_matches(wanted, list(by_name), n=1, cutoff=0.8)
    return by_name[close[0]] if close else None


def country_code(store: ox.Store, written: str) -> str:
    """``written`` if it is an ISO 3166-1 alpha-2 code of the project's country list
    (data/places/countries.ttl, which the shapes check against); otherwise a UsageError that
    names the code meant, for a lower-case code, a reserved alias or a country's name."""
    countries = labels(store, f"?node a <{ONTOLOGY}Country> ; <{ONTOLOGY}countryCode> ?key .")
    if written in countries:
        return written
    text = written.strip()
    meant = (text.upper() if text.upper() in countries
             else CODE_ALIASES.get(text.upper()) or closest(text, countries))
    where = f"the codes are in {COUNTRY_FILE}"
    hint = (f"did you mean {meant} ({countries[meant][0]})? Pass --country {meant}; {where}"
            if meant in countries else
            f"pass the two-letter code in capitals, such as ES for Spain; {where}")
    raise UsageError(f"--country {written!r} is not an ISO 3166-1 alpha-2 country code",
                     hint=hint)


def city_slug(written: str) -> str:
    """The slug of the city ``--city`` names: a slug, a name, ``city:slug`` or the full IRI."""
    return slug(written.removeprefix(RECORD_PREFIXES["city"]).removeprefix("city:"))


def city_notices(store: ox.Store, city: str) -> list[str]:
    """A notice when the slug ``city`` names no city of the project, with the one likely meant;
    the city may still be new, described in the same file, so the template is written anyway."""
    namespace = RECORD_PREFIXES["city"]
    local = labels(store, f"?node a ?type . FILTER STRSTARTS(STR(?node), '{namespace}') "
                          f"BIND (STRAFTER(STR(?node), '{namespace}') AS ?key)")
    if city in local:
        return []
    meant = closest(city, local)
    guess = "" if meant is None else \
        f" (did you mean city:{meant}, {local[meant][0] if local[meant] else meant}?)"
    return [f"city:{city} is not a city of the project{guess}. If it is a new city, describe "
            f"it as well (sdgraph new city --label NAME), in this file or another, before you "
            f"validate."]


def taken_notice(base: str, iri: str, files: list[str], advice: str) -> str:
    """Why the template's IRI is not ``base``: the file that defines ``base``, and what to do
    if that record is the one meant."""
    return (f"{compact(base)} is already defined in {' and '.join(files)}: {advice} rather "
            f"than describing it again; this template uses {compact(iri)}.")


def participation_notices(store: ox.Store, city: str, edition: str, base: str,
                          iri: str, defined: dict[str, list[str]]) -> list[str]:
    """Notices when the city's participation in the edition is recorded already (under any
    IRI), or when another record holds the IRI the template would have used."""
    rows = store.query(
        f"SELECT DISTINCT ?p ?g WHERE {{ ?p <{ONTOLOGY}participant> <{city}> ; "
        f"<{ONTOLOGY}edition> <{ID}edition/{edition}> . "
        f"GRAPH ?g {{ ?p a <{ONTOLOGY}Participation> }} }} ORDER BY ?p ?g",
        use_default_graph_as_union=True)
    found = ", ".join(f"{compact(row['p'].value)} in {graph_file(row['g'].value)}"
                      for row in rows)
    if found:
        return [f"{compact(city)}'s participation in the {edition} edition is already recorded "
                f"({found}): if you mean that participation, add to it there rather than "
                f"describing it again; this template uses {compact(iri)}."]
    if base != iri:
        return [taken_notice(base, iri, defined[base], f"if you mean {compact(base)}, edit it "
                                                        f"there")]
    return []


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


def new_record(project: Project, kind: str, label: str | None = None,
               city: str | None = None, edition: str = "2023",
               country: str | None = None) -> NewRecord:
    """A commented Turtle template for a new practice, city or participation, with a fresh
    IRI, and the notices a person should read before filling it in.

    The templates are the files of the project's ``templates/`` folder. A bad edition or
    country code raises a :class:`~sdgraph.errors.UsageError`. A record that the project
    defines already (a city of that name, the city's participation in the edition, a practice
    of that name) is not refused, since it may be another one of the same name: the template
    gets the next free IRI, and a notice names the file that defines the existing one.
    """
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}", hint=f"use one of {', '.join(KINDS)}")
    years = editions(project)
    if edition not in years:
        raise UsageError(f"unknown edition {edition!r}", hint=f"use one of {', '.join(years)}")
    store = project_graph(project)
    if kind == "city" and country is not None:
        country = country_code(store, country)
    defined = definitions(store)
    place = city_slug(city) if city else "todo-city"
    name = label or f"TODO {kind} name"
    base = {"city": RECORD_PREFIXES["city"] + slug(name),
            "participation": f"{RECORD_PREFIXES['participation']}{edition}-{place}",
            "practice": RECORD_PREFIXES["practice"] + slug(name)}[kind]
    iri = fresh(base, defined)
    notices = city_notices(store, place) if city and kind != "city" else []
    if kind == "participation":
        notices += participation_notices(store, RECORD_PREFIXES["city"] + place, edition, base,
                                         iri, defined)
    elif base != iri:
        advice = {"city": f"if you mean that city, use it (sdgr:city {compact(base)})",
                  "practice": f"if you mean that practice, edit it there or refer to it "
                              f"({compact(base)})"}[kind]
        notices.append(taken_notice(base, iri, defined[base], advice))
    axes = edition_axes(project, edition) if kind == "practice" else []
    values = {
        "iri": iri, "edition": edition, "city": place, "country": country or "TODO",
        "label_en": turtle_string(name, "en"), "label_es": turtle_string(name, "es"),
        "axes": "\n".join(f"#   a{edition}:{a[0].rsplit('/', 1)[-1]:<32} "
                          f"{'  ' if a[2] else ''}{a[1]}" for a in axes),
    }
    values["prefixes"] = read_template(project, "prefixes").substitute(values)
    return NewRecord(read_template(project, kind).substitute(values), iri, tuple(notices))


def new_template(project: Project, kind: str, label: str | None = None,
                 city: str | None = None, edition: str = "2023",
                 country: str | None = None) -> str:
    """The text of :func:`new_record`'s template (without its notices)."""
    return new_record(project, kind, label, city, edition, country).text


def check_new_file(path: Path, force: bool = False) -> None:
    """Refuse, with what to do, a ``path`` that :func:`write_new_file` cannot or must not
    write: a folder, a file in a folder that does not exist, an existing file (unless
    ``force``)."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not a file",
                         hint=f"give a file name, such as {path / 'new.ttl'}")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: the folder {path.parent} does not exist",
                         hint="create the folder first, or choose a file in another folder")
    if path.exists() and not force:
        raise UsageError(f"{path} exists already",
                         hint="choose another name, or pass --force to overwrite it")


def write_new_file(path: Path, text: str, force: bool = False) -> None:
    """Write ``text`` to a new file ``path``: an existing file is refused unless ``force``
    (see :func:`check_new_file`).

    The text is written to a temporary file beside ``path`` and renamed into place, so that an
    error on the way leaves no half-written file, and an overwritten file whole.
    """
    check_new_file(path, force)
    try:
        handle, aside = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}",
                         hint="choose a folder you can write to") from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            # mkstemp makes a file that only its owner reads; give it a new file's usual mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(aside, 0o666 & ~umask)
            out.write(text)
        if force:
            os.replace(aside, path)
        else:
            place_new(Path(aside), path)
    except FileExistsError as error:  # made by someone else since the check
        raise UsageError(f"{path} exists already",
                         hint="choose another name, or pass --force to overwrite it") from error
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}",
                         hint="choose another file name or folder") from error
    finally:
        if os.path.exists(aside):
            os.unlink(aside)


def place_new(aside: Path, path: Path) -> None:
    """Move ``aside`` to ``path`` unless ``path`` exists (FileExistsError): a hard link, which
    never replaces a file, then the temporary name removed; a rename where the file system
    has no hard links."""
    try:
        os.link(aside, path)
    except FileExistsError:
        raise
    except OSError:
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(aside, path)
    else:
        aside.unlink()


def read_template(project: Project, name: str) -> Template:
    """The template ``templates/NAME.ttl`` of the project."""
    path = project.root / "templates" / f"{name}.ttl"
    try:
        return Template(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise EnvironmentNotReady(f"the template {path} is missing",
                                  hint="run sdgraph from a clone of the repository") from error


def __getattr__(name: str) -> object:
    """``add_contribution`` and ``AddReport`` moved to :mod:`sdgraph.add`; still importable
    from here."""
    if name in ("add_contribution", "add_contributions", "AddReport", "provenance"):
        from . import add

        return getattr(add, name)
    raise AttributeError(name)
