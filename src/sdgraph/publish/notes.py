"""Release notes: what changed since the previous release, by class of resource."""

from __future__ import annotations

import hashlib
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import ID, ONTOLOGY, RDF
from .safety import followable

UNTYPED = "(untyped)"
#: Where the triples of a blank node without a type are filed (RDF list cells, mostly).
UNTYPED_BLANK = "(blank nodes without a type)"
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
    #: The distinct triples of the merged graph now, as ``void:triples`` counts them.
    total: int = 0


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()[:32]


def blank_keys(triples: set[ox.Triple]) -> dict[ox.BlankNode, ox.BlankNode]:
    """A label for every blank node made from what it says and where it hangs: the hash of its
    own triples (the blank nodes among their objects taken by their content in turn, as in an
    RDF list or an OWL restriction) and of the triples that point at it (the blank subjects
    among them taken by their keys in turn). Blank node labels differ from one serialisation to
    the next; these keys do not, so that an unchanged list or restriction compares equal across
    releases, while two blank nodes that say the same under two resources stay apart.
    (Blank nodes in a cycle, which no dump of this project holds, are cut where the cycle
    closes.)"""
    outgoing: dict[ox.BlankNode, list[ox.Triple]] = {}
    incoming: dict[ox.BlankNode, list[ox.Triple]] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            outgoing.setdefault(t.subject, []).append(t)
            incoming.setdefault(t.subject, [])
        if isinstance(t.object, ox.BlankNode):
            incoming.setdefault(t.object, []).append(t)
            outgoing.setdefault(t.object, [])

    def walk(edges: dict, step, line) -> dict[ox.BlankNode, str]:
        """Keys from ``edges``: ``step(t)`` is the blank node a triple leads to (or None),
        ``line(t, key)`` the text of the triple with that node's key."""
        done: dict[ox.BlankNode, str] = {}

        def key(node: ox.BlankNode, seen: frozenset) -> tuple[str, bool]:
            if node in done:
                return done[node], False
            if node in seen:
                return "cycle", True
            lines, cut = [], False
            for t in edges[node]:
                nxt = step(t)
                found, cycled = key(nxt, seen | {node}) if nxt is not None else ("", False)
                lines.append(line(t, found))
                cut = cut or cycled
            digest = _digest(lines)
            if not cut or not seen:  # a key cut by a cycle holds only for this path
                done[node] = digest
            return digest, cut

        for node in edges:
            key(node, frozenset())
        return done

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(outgoing) + 1000))
    content = walk(outgoing, lambda t: t.object if isinstance(t.object, ox.BlankNode) else None,
                   lambda t, k: f"{t.predicate} " + (f"[{k}]" if k else str(t.object)))
    place = walk(incoming,
                 lambda t: t.subject if isinstance(t.subject, ox.BlankNode) else None,
                 lambda t, k: (f"[{content[t.subject]}/{k}]" if k else str(t.subject))
                 + f" {t.predicate}")
    return {node: ox.BlankNode("b" + _digest([content[node], place[node]]))
            for node in outgoing}


def stable(triples: set[ox.Triple]) -> set[ox.Triple]:
    """The triples with every blank node relabelled by :func:`blank_keys`, so that they can be
    compared with another release's."""
    relabel = blank_keys(triples)
    out = set()
    for t in triples:
        subject, obj = relabel.get(t.subject, t.subject), relabel.get(t.object, t.object)
        out.add(ox.Triple(subject, t.predicate, obj))
    return out


def compare(current: set[ox.Triple], previous: set[ox.Triple] | None,
            previous_version: str | None, base: str = ID) -> Changes:
    """What ``current`` adds to and removes from ``previous`` (everything is new without one)."""
    changes = Changes(previous_version, total=len(current))
    current, before = stable(current), stable(previous or set())
    types_now, types_before = types_of(current), types_of(before)

    def file_under(subject: ox.NamedNode | ox.BlankNode, types: dict[str, set[str]]) -> str:
        """A triple is filed under its subject's class: a blank node's own class (each blank
        node keeps its own label, see :func:`stable`), never another node's."""
        classes = types.get(subject.value)
        if isinstance(subject, ox.BlankNode) and not classes:
            return UNTYPED_BLANK
        return primary_class(classes)

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


#: Characters that make Markdown of plain text (links, emphasis, code, tables, escapes).
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()!|~#])")


def md_text(text: str) -> str:
    """Data as Markdown text that renders as itself: on one line, with HTML's ``<``, ``>`` and
    ``&`` as entities and Markdown's punctuation escaped, so that a label makes no markup,
    link or table cell."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def md_iri(iri: str) -> str:
    """An IRI in Markdown: a link only for http(s) (see ``followable``), else code text."""
    if followable(iri) and not any(c in iri for c in '<>"`\\'):
        return f"<{iri}>"
    fence = "`" * (max((len(run) for run in re.findall("`+", iri)), default=0) + 1)
    return f"{fence} {' '.join(iri.split())} {fence}"


def markdown(changes: Changes, version: str, issued: str, label) -> str:
    """The notes as Markdown; ``label(iri)`` names classes and resources. Every label and
    IRI is data, escaped (:func:`md_text`, :func:`md_iri`)."""
    lines = [f"# sdgraph {version}", "", f"Issued {issued}."]
    counted = ("Triples are the distinct triples of the merged graph (each once, whatever "
               "named graphs hold it), as `void:triples` in `void.ttl` counts them; the triples "
               "of a blank node are filed under the blank node's own class.")
    if changes.previous:
        lines.append(f"Compared with release {changes.previous}: {changes.total_added} triples "
                     f"added, {changes.total_removed} removed; {changes.total} triples now.")
    else:
        lines.append(f"First release: {changes.total} triples.")
    lines += ["", counted]
    classes = sorted(set(changes.resources_added) | set(changes.resources_removed)
                     | set(changes.triples_added) | set(changes.triples_removed),
                     key=lambda c: label(c).casefold())
    lines += ["", "| class | resources added | resources removed | triples added | "
              "triples removed |", "| --- | ---: | ---: | ---: | ---: |"]
    for cls in classes:
        cells = [len(changes.resources_added.get(cls, [])),
                 len(changes.resources_removed.get(cls, [])),
                 changes.triples_added.get(cls, 0), changes.triples_removed.get(cls, 0)]
        lines.append(f"| {md_text(label(cls))} | " + " | ".join(str(c) for c in cells) + " |")
    for title, group in (("Resources added", changes.resources_added),
                         ("Resources removed", changes.resources_removed)):
        if not group:
            continue
        lines += ["", f"## {title}"]
        for cls in sorted(group, key=lambda c: label(c).casefold()):
            lines += ["", f"### {md_text(label(cls))} ({len(group[cls])})", ""]
            lines += [f"- {md_text(label(iri))} {md_iri(iri)}" for iri in group[cls]]
    return "\n".join(lines) + "\n"
