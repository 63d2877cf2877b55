"""Read the UN SDG goal, target and indicator texts from an RDF store.

The texts come from the UN SDG KOS (``sdgo:Goal``, ``sdgo:Target``, ``sdgo:Indicator`` with
``skos:prefLabel`` / ``skos:altLabel`` in several languages, ``skos:notation`` codes and the
``sdgo:isTargetOf`` / ``sdgo:isIndicatorOf`` links).  In the product they live in the named graph
:data:`VOCAB_GRAPH` of the embedded store after ``sdgraph vocab import PATH``; for scripts and
tests :func:`load_sdg_texts_from_file` parses a Turtle dump into a throw-away in-memory store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

__all__ = [
    "SDG_NS",
    "VOCAB_GRAPH",
    "SdgConcept",
    "SdgTexts",
    "load_sdg_texts",
    "load_sdg_texts_from_file",
]

SDG_NS = "http://metadata.un.org/sdg/"
"""Namespace of the UN SDG KOS IRIs (always ``http://``)."""

VOCAB_GRAPH = "https://w3id.org/sdgraph/graph/vocab/un-sdg-kos"
"""Named graph that holds the UN SDG KOS once ``sdgraph vocab import`` has run."""

Kind = Literal["goal", "target", "indicator"]

_SDGO = "http://metadata.un.org/sdg/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_KINDS: dict[str, Kind] = {
    _SDGO + "Goal": "goal",
    _SDGO + "Target": "target",
    _SDGO + "Indicator": "indicator",
}
_CODE_RE = re.compile(r"^\d{1,2}(\.[0-9a-z]{1,2}(\.\d{1,2})?)?$")


@dataclass
class SdgConcept:
    """One goal, target or indicator of the UN SDG framework.

    Attributes:
        iri: the UN KOS IRI, e.g. ``http://metadata.un.org/sdg/11.2``.
        kind: ``"goal"``, ``"target"`` or ``"indicator"``.
        code: the compact code: ``"11"``, ``"11.2"``, ``"11.2.1"``.
        labels: ``skos:prefLabel`` by language tag (``"en"``, ``"es"``, ...).
        alt_labels: ``skos:altLabel`` values by language tag (short goal titles).
        parents: IRIs of the goal (for a target) or targets (for an indicator) it belongs to.
    """

    iri: str
    kind: Kind
    code: str
    labels: dict[str, str] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    parents: list[str] = field(default_factory=list)

    @property
    def goal(self) -> int:
        """Number of the goal the concept belongs to (1..17)."""
        return int(self.code.split(".")[0])

    def label(self, lang: str = "en") -> str:
        """The preferred label in ``lang``, falling back to English, then to any language."""
        for key in (lang, "en"):
            if key in self.labels:
                return self.labels[key]
        return next(iter(self.labels.values()), self.code)

    def short_label(self, lang: str = "en") -> str:
        """The first alternative label in ``lang``, else the preferred label in ``lang``, else
        the English alternative label, else :meth:`label`."""
        if self.alt_labels.get(lang):
            return self.alt_labels[lang][0]
        if lang in self.labels:
            return self.labels[lang]
        if self.alt_labels.get("en"):
            return self.alt_labels["en"][0]
        return self.label(lang)


@dataclass
class SdgTexts:
    """The goal, target and indicator texts of the SDG framework, indexed by IRI and code."""

    concepts: dict[str, SdgConcept]

    def __post_init__(self) -> None:
        self._by_code = {(c.kind, c.code): c for c in self.concepts.values()}

    def __len__(self) -> int:
        return len(self.concepts)

    def __iter__(self) -> Iterator[SdgConcept]:
        return iter(self.concepts.values())

    def _of_kind(self, kind: Kind) -> list[SdgConcept]:
        return sorted((c for c in self if c.kind == kind), key=lambda c: _code_key(c.code))

    def goals(self) -> list[SdgConcept]:
        """The goals, in numeric order."""
        return self._of_kind("goal")

    def targets(self) -> list[SdgConcept]:
        """The targets, in code order (1.1, 1.2, ..., 1.a, 1.b, 2.1, ...)."""
        return self._of_kind("target")

    def indicators(self) -> list[SdgConcept]:
        """The indicators, in code order."""
        return self._of_kind("indicator")

    def get(self, code: str, kind: Kind | None = None) -> SdgConcept | None:
        """The concept with this compact code; ``kind`` is guessed from the code if omitted."""
        if kind is None:
            kind = ("goal", "target", "indicator")[min(code.count("."), 2)]  # type: ignore[assignment]
        return self._by_code.get((kind, code))

    def languages(self) -> set[str]:
        """Language tags that occur in the preferred labels."""
        return {lang for c in self for lang in c.labels}


def _code_key(code: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def _code_from_iri(iri: str) -> str | None:
    if iri.startswith(SDG_NS):
        local = iri[len(SDG_NS) :]
        if _CODE_RE.match(local):
            return local
    return None


_QUERY = """
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?type ?p ?o WHERE {
  %s {
    ?s a ?type .
    VALUES ?type { sdgo:Goal sdgo:Target sdgo:Indicator }
    ?s ?p ?o .
    VALUES ?p { skos:prefLabel skos:altLabel skos:notation sdgo:isTargetOf sdgo:isIndicatorOf }
  }
}
"""


def _rows(
    store: ox.Store, graph: str | None
) -> Iterable[tuple[str, str, str, ox.Literal | ox.NamedNode]]:
    if graph is None:
        result = store.query(_QUERY % "", use_default_graph_as_union=True)
    else:
        result = store.query(_QUERY % f"GRAPH <{graph}>")
    for sol in result:
        yield sol["s"].value, sol["type"].value, sol["p"].value, sol["o"]


def load_sdg_texts(store: ox.Store, graph: str | None = VOCAB_GRAPH) -> SdgTexts:
    """Read the SDG goals, targets and indicators with their labels from ``store``.

    Args:
        store: a pyoxigraph store that holds the UN SDG KOS.
        graph: IRI of the named graph to read (by default the project's vocabulary graph
            :data:`VOCAB_GRAPH`); ``None`` reads the union of all graphs.

    Returns:
        The texts, indexed by IRI and code.

    Raises:
        LookupError: if the graph holds no SDG goal at all (e.g. the vocabulary was not imported).
    """
    concepts: dict[str, SdgConcept] = {}
    notations: dict[str, list[str]] = {}
    for s, typ, p, o in _rows(store, graph):
        c = concepts.get(s)
        if c is None:
            c = concepts[s] = SdgConcept(iri=s, kind=_KINDS[typ], code="")
        if p == _SKOS + "prefLabel" and isinstance(o, ox.Literal):
            c.labels[o.language or "en"] = " ".join(o.value.split())
        elif p == _SKOS + "altLabel" and isinstance(o, ox.Literal):
            alts = c.alt_labels.setdefault(o.language or "en", [])
            text = " ".join(o.value.split())
            if text not in alts:
                alts.append(text)
        elif p == _SKOS + "notation" and isinstance(o, ox.Literal):
            notations.setdefault(s, []).append(o.value)
        elif p in (_SDGO + "isTargetOf", _SDGO + "isIndicatorOf") and o.value not in c.parents:
            c.parents.append(o.value)
    if not any(c.kind == "goal" for c in concepts.values()):
        where = f"graph <{graph}>" if graph else "the store"
        raise LookupError(f"no SDG goal (sdgo:Goal) found in {where}")
    for c in concepts.values():
        c.code = _pick_code(c, notations.get(c.iri, []))
        c.parents.sort()
        for alts in c.alt_labels.values():
            alts.sort()
    return SdgTexts({iri: c for iri, c in concepts.items() if c.code})


def _pick_code(c: SdgConcept, notations: list[str]) -> str:
    depth = {"goal": 0, "target": 1, "indicator": 2}[c.kind]
    # Compact codes (1.2.1) rather than zero-padded ones (01.02.01) or permanent ones (C010201).
    for n in sorted(notations, key=len):
        if _CODE_RE.match(n) and n.count(".") == depth:
            return n
    code = _code_from_iri(c.iri)
    return code if code and code.count(".") == depth else ""


def load_sdg_texts_from_file(path: str | Path) -> SdgTexts:
    """Parse a Turtle (or other RDF, by file extension) dump of the UN SDG KOS and read its texts.

    Args:
        path: e.g. ``sdg-kos-goals-targets-indicators.ttl``.
    """
    path = Path(path)
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    store = ox.Store()
    with path.open("rb") as fh:
        store.load(fh, format=fmt)
    return load_sdg_texts(store, graph=None)
