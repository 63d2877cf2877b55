"""Release notes: what changed since the previous release, by class of resource."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import ID, ONTOLOGY, RDF

UNTYPED = "(untyped)"
RDF_TYPE = RDF + "type"


def types_of(triples: set[ox.Triple]) -> dict[str, set[str]]:
    """The classes of every subject IRI."""
    found: dict[str, set[str]] = {}
    for triple in triples:
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            found.setdefault(str(triple.subject.value), set()).add(triple.object.value)
    return found


def primary_class(classes: set[str] | None) -> str:
    """One class to file a resource under: an sdgraph class if it has one, else the first."""
    if not classes:
        return UNTYPED
    own = sorted(c for c in classes if c.startswith(ONTOLOGY))
    return own[0] if own else sorted(classes)[0]


def resources(triples: set[ox.Triple], base: str = ID) -> set[str]:
    return {t.subject.value for t in triples
            if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(base)}


@dataclass
class Changes:
    """Resources and triples added and removed, each filed under a class."""

    previous: str | None
    resources_added: dict[str, list[str]] = field(default_factory=dict)
    resources_removed: dict[str, list[str]] = field(default_factory=dict)
    triples_added: Counter = field(default_factory=Counter)
    triples_removed: Counter = field(default_factory=Counter)
    total_added: int = 0
    total_removed: int = 0


BLANK = ox.BlankNode("blank")


def stable(triples: set[ox.Triple]) -> set[ox.Triple]:
    """The triples with every blank node replaced by one and the same: blank node labels differ
    from one serialisation to the next, so that a triple with one would always look changed.
    (Two triples that differ only in their blank nodes then count once.)"""
    out = set()
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            subject = BLANK if isinstance(t.subject, ox.BlankNode) else t.subject
            obj = BLANK if isinstance(t.object, ox.BlankNode) else t.object
            t = ox.Triple(subject, t.predicate, obj)
        out.add(t)
    return out


def compare(current: set[ox.Triple], previous: set[ox.Triple] | None,
            previous_version: str | None, base: str = ID) -> Changes:
    """What ``current`` adds to and removes from ``previous`` (everything is new without one)."""
    current, before = stable(current), stable(previous or set())
    changes = Changes(previous_version)
    types_now, types_before = types_of(current), types_of(before)

    def file_under(subject: ox.NamedNode | ox.BlankNode, types: dict[str, set[str]]) -> str:
        return primary_class(types.get(subject.value))

    added, removed = current - before, before - current
    changes.total_added, changes.total_removed = len(added), len(removed)
    for triple in added:
        changes.triples_added[file_under(triple.subject, types_now)] += 1
    for triple in removed:
        changes.triples_removed[file_under(triple.subject, types_before)] += 1
    now, then = resources(current, base), resources(before, base)
    for iri in sorted(now - then):
        changes.resources_added.setdefault(primary_class(types_now.get(iri)), []).append(iri)
    for iri in sorted(then - now):
        changes.resources_removed.setdefault(primary_class(types_before.get(iri)), []).append(iri)
    return changes


def markdown(changes: Changes, version: str, issued: str, label) -> str:
    """The notes as Markdown; ``label(iri)`` names classes and resources."""
    lines = [f"# sdgraph {version}", "", f"Issued {issued}."]
    if changes.previous:
        lines.append(f"Compared with release {changes.previous}: {changes.total_added} triples "
                     f"added, {changes.total_removed} removed.")
    else:
        lines.append(f"First release: {changes.total_added} triples.")
    classes = sorted(set(changes.resources_added) | set(changes.resources_removed)
                     | set(changes.triples_added) | set(changes.triples_removed),
                     key=lambda c: label(c).casefold())
    lines += ["", "| class | resources added | resources removed | triples added | "
              "triples removed |", "| --- | ---: | ---: | ---: | ---: |"]
    for cls in classes:
        cells = [len(changes.resources_added.get(cls, [])),
                 len(changes.resources_removed.get(cls, [])),
                 changes.triples_added.get(cls, 0), changes.triples_removed.get(cls, 0)]
        lines.append(f"| {label(cls)} | " + " | ".join(str(c) for c in cells) + " |")
    for title, group in (("Resources added", changes.resources_added),
                         ("Resources removed", changes.resources_removed)):
        if not group:
            continue
        lines += ["", f"## {title}"]
        for cls in sorted(group, key=lambda c: label(c).casefold()):
            lines += ["", f"### {label(cls)} ({len(group[cls])})", ""]
            lines += [f"- {label(iri)} <{iri}>" for iri in group[cls]]
    return "\n".join(lines) + "\n"
