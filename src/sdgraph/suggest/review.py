"""``sdgraph review``: a person accepts or rejects suggested SDG links.

An accepted suggestion becomes a curated contribution (``sdgr:CuratedByAgent``) attributed to
the reviewer, derived (``prov:wasDerivedFrom``) from the suggestion, which is kept; a rejected
one is left out of the reviewed file; one not decided stays a suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import UsageError
from ..namespaces import ID, slug
from .turtle import PREFIXES, _literal

__all__ = ["Review", "Suggested", "read_suggestions", "review"]

SDGR = "https://w3id.org/sdgraph/ontology#"
_BASIS = ox.NamedNode(SDGR + "basis")
_SUGGESTED = ox.NamedNode(SDGR + "SuggestedByMethod")
_SDG = ox.NamedNode(SDGR + "sdg")
_LINK = ox.NamedNode(SDGR + "sdgContribution")
_SCORE = ox.NamedNode(SDGR + "score")
_WHY = ox.NamedNode(SDGR + "justification")
_METHOD = ox.NamedNode(SDGR + "method")
_SDG_NS = "http://metadata.un.org/sdg/"


@dataclass(frozen=True)
class Suggested:
    """One suggested link read from a file."""

    node: str
    practice: str
    sdg: str
    score: float
    justification: str
    lang: str

    @property
    def code(self) -> str:
        """The goal or target code, e.g. ``11.2``."""
        return self.sdg.removeprefix(_SDG_NS)

    @property
    def short(self) -> str:
        """``SLUG/CODE``: how the reviewer names it on the command line."""
        return f"{self.practice.rsplit('/', 1)[-1]}/{self.code}"


@dataclass
class Review:
    """The decisions on the suggestions of one file, and the reviewed Turtle."""

    accepted: list[Suggested] = field(default_factory=list)
    rejected: list[Suggested] = field(default_factory=list)
    undecided: list[Suggested] = field(default_factory=list)
    turtle: str = ""


def read_suggestions(path: Path) -> tuple[ox.Store, list[Suggested]]:
    """The suggested contributions of a Turtle file (``sdgraph suggest --write``), in order of
    practice and score."""
    store = ox.Store()
    try:
        with path.open("rb") as fh:
            store.load(fh, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    except (OSError, SyntaxError, ValueError) as error:
        raise UsageError(f"{path}: not a readable Turtle file of suggestions ({error})",
                         hint="give the file that `sdgraph suggest --unlinked --write` wrote"
                         ) from error
    out = []
    for quad in store.quads_for_pattern(None, _BASIS, _SUGGESTED, None):
        node = quad.subject
        practice = next(store.quads_for_pattern(None, _LINK, node, None), None)
        sdg = next(store.quads_for_pattern(node, _SDG, None, None), None)
        if practice is None or sdg is None:
            continue
        score = next(store.quads_for_pattern(node, _SCORE, None, None), None)
        why = next(store.quads_for_pattern(node, _WHY, None, None), None)
        out.append(Suggested(
            node.value, practice.subject.value, sdg.object.value,
            float(score.object.value) if score else 0.0,
            why.object.value if why else "", (why.object.language or "en") if why else "en"))
    out.sort(key=lambda s: (s.practice, -s.score, s.code))
    return store, out


def _pick(names: list[str], suggestions: list[Suggested]) -> set[str]:
    """Nodes named by ``names`` (``all``, a contribution IRI or ``SLUG/CODE``)."""
    nodes: set[str] = set()
    for name in names:
        if name == "all":
            nodes |= {s.node for s in suggestions}
            continue
        found = [s.node for s in suggestions if name in (s.node, s.short)]
        if not found:
            known = ", ".join(s.short for s in suggestions[:5])
            raise UsageError(f"no suggestion '{name}' in the file",
                             hint=f"name one as SLUG/CODE or by its IRI, e.g. {known}")
        nodes.update(found)
    return nodes


def review(path: Path, reviewer: str, accept: list[str], reject: list[str],
           keep_suggestions: bool = True) -> Review:
    """Apply the decisions to the suggestions of ``path``.

    Args:
        path: a file of suggestions.
        reviewer: the person who decides; the curated links are attributed to
            ``<https://w3id.org/sdgraph/id/agent/SLUG>`` (the agent that ``sdgraph add
            --contributor NAME`` describes).
        accept, reject: ``all``, contribution IRIs or ``SLUG/CODE`` names.
        keep_suggestions: copy the suggestions that were not rejected into the reviewed file
            (false when the file is in the graph already, so that nothing is defined twice).

    Raises:
        UsageError: an empty reviewer, a name that is in both lists, or a name not in the file.
    """
    if not reviewer.strip():
        raise UsageError("the reviewer's name is empty", hint="pass --reviewer NAME")
    store, suggestions = read_suggestions(path)
    if not suggestions:
        raise UsageError(f"{path} holds no suggested SDG contribution",
                         hint="write one with `sdgraph suggest --unlinked --write FILE`")
    yes, no = _pick(accept, suggestions), _pick(reject, suggestions)
    both = yes & no
    if both:
        raise UsageError(f"accepted and rejected at once: {', '.join(sorted(both))}",
                         hint="decide once for each suggestion")
    result = Review()
    for s in suggestions:
        (result.accepted if s.node in yes else result.rejected if s.node in no
         else result.undecided).append(s)
    agent = f"{ID}agent/{slug(reviewer)}"
    parts = [f"# SDG links reviewed by {' '.join(reviewer.split())}: "
             f"{len(result.accepted)} accepted, {len(result.rejected)} rejected, "
             f"{len(result.undecided)} still to review.\n", PREFIXES]
    for s in result.accepted:
        node = f"{s.practice}/sdg/{s.code}"
        why = f"Accepted on review of the method's suggestion: {s.justification}"
        parts.append(
            f"<{s.practice}> sdgr:sdgContribution <{node}> .\n"
            f"<{node}> a sdgr:SDGContribution ;\n"
            f"    sdgr:sdg <{s.sdg}> ;\n"
            f"    sdgr:basis sdgr:CuratedByAgent ;\n"
            f"    prov:wasAttributedTo <{agent}> ;\n"
            f"    prov:wasDerivedFrom <{s.node}> ;\n"
            f"    sdgr:justification {_literal(why)}@{s.lang} .\n")
    if keep_suggestions:
        kept = {s.node for s in result.accepted + result.undecided}
        parts.append(_copy(store, kept))
    result.turtle = "\n".join(parts)
    return result


def _copy(store: ox.Store, nodes: set[str]) -> str:
    """The triples of the kept suggestions (with their practice links and the method node)."""
    triples = []
    methods = set()
    for quad in store:
        s, p, o = quad.subject, quad.predicate, quad.object
        if s.value in nodes or (p == _LINK and o.value in nodes):
            triples.append(ox.Triple(s, p, o))
            if p == _METHOD:
                methods.add(o.value)
    triples += [ox.Triple(q.subject, q.predicate, q.object) for q in store
                if q.subject.value in methods]
    if not triples:
        return ""
    prefixes = {"sdgr": SDGR, "sdg": _SDG_NS, "prov": "http://www.w3.org/ns/prov#",
                "xsd": "http://www.w3.org/2001/XMLSchema#",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "schema": "http://schema.org/"}
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
    return ("# The suggestions kept (accepted or still to review), as the method wrote them.\n"
            + body)
