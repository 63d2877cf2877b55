"""Hints that depend on the value and the graph: the SDG IRI meant, the country code of a name,
the axes of the reporting edition, the property, type, city or axis a misspelt one stands for.

The fixed words of every constraint are in ``shapes/`` (``sdgsh:hint``); this module adds a
sentence, in the report's language, where the graph knows the right value.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from ..namespaces import RDF, RDFS, SDG, SDGO, SH, SKOS
from .identity import graph_file
from .locate import PN_LOCAL
from .results import RawResult
from .shapes import SDGSH

#: ISO 3166-1 codes that people write for another code (facts of the standard's reservations).
CODE_ALIASES = {"UK": "GB", "EL": "GR"}

#: How close a misspelt name must be to a known one (difflib's ratio) to be offered for it: high
#: enough that "villanueba" finds "villanueva" and "Practise" "Practice", and that an IRI made
#: up for something new ("todo-choose-an-axis") is not called a misspelling of another.
CLOSE = 0.75

WORDS = {
    "sdg_fix": {"en": "Write <{iri}>.", "es": "Escriba <{iri}>."},
    "goals": {"en": "There are 17 goals, http://metadata.un.org/sdg/1 to .../sdg/17.",
              "es": "Hay 17 objetivos, http://metadata.un.org/sdg/1 a .../sdg/17."},
    "targets": {"en": "Goal {goal} has the targets {targets}.",
                "es": "El objetivo {goal} tiene las metas {targets}."},
    "country": {"en": "Write \"{code}\" for {name}.", "es": "Escriba \"{code}\" para {name}."},
    "axes": {"en": "Write `sdgr:axis` with an axis of the edition the practice is reported in: "
                   "{axes}.",
             "es": "Escriba `sdgr:axis` con un eje de la edición en que se presentó la práctica: "
                   "{axes}."},
    "axes_elsewhere": {"en": "A practice reported outside an edition uses the 2023 axes: write "
                             "`sdgr:axis` with one of {axes}.",
                       "es": "Una práctica presentada fuera de una edición usa los ejes de 2023: "
                             "escriba `sdgr:axis` con uno de {axes}."},
    "mean": {"en": "Did you mean {name}?", "es": "¿Quería decir {name}?"},
    "wikidata": {"en": "Write <http://www.wikidata.org/entity/{q}>.",
                 "es": "Escriba <http://www.wikidata.org/entity/{q}>."},
    "geonames": {"en": "Write <https://sws.geonames.org/{n}/>.",
                 "es": "Escriba <https://sws.geonames.org/{n}/>."},
    "gyear": {"en": "Write \"{year}\"^^xsd:gYear.", "es": "Escriba \"{year}\"^^xsd:gYear."},
    "pointing": {"en": "It is the value of {path} for {nodes}.",
                 "es": "Es el valor de {path} para {nodes}."},
    "values": {"en": "Its values: {values}.", "es": "Sus valores: {values}."},
    "here": {"en": "this file", "es": "este archivo"},
    "not_yours": {"en": "{node} is a {kind} of {files}, which a contribution does not describe: "
                        "remove the statements about it from this file.",
                  "es": "{node} es un {kind} de {files}, que una contribución no describe: "
                        "quite de este archivo lo que dice de él."},
}


class Hinter:
    """Computes value-specific hints from the graph that was validated."""

    def __init__(self, store: ox.Store, compact: Callable[[str], str],
                 allowed: dict[str, list[str]], own_graphs: Iterable[str] = (),
                 classes: dict[str, str] | None = None,
                 choices: dict[str, list[str]] | None = None) -> None:
        self.store = store
        self.compact = compact
        self.allowed = allowed  # closed shape -> the properties it accepts
        self.own_graphs = set(own_graphs)  # the graphs of the files being validated
        self.classes = classes or {}  # property shape -> its sh:class
        self.choices = choices or {}  # property shape -> its sh:in values
        self._sdg: dict[str, str] | None = None
        self._instances: dict[tuple[str, str], list[str]] = {}

    def words(self, key: str, lang: str, **values: str) -> str:
        return WORDS[key].get(lang, WORDS[key]["en"]).format(**values)

    def query(self, text: str) -> list:
        return list(self.store.query(text, use_default_graph_as_union=True))

    # --- facts of the graph ----------------------------------------------------------------
    def sdg_members(self) -> dict[str, str]:
        """Every goal, target and indicator IRI, and every code notation -> its IRI."""
        if self._sdg is None:
            rows = self.query(
                f"SELECT ?s ?n WHERE {{ VALUES ?k {{ <{SDGO}Goal> <{SDGO}Target> "
                f"<{SDGO}Indicator> }} ?s a ?k . OPTIONAL {{ ?s <{SKOS}notation> ?n }} }}")
            members: dict[str, str] = {}
            for row in rows:
                members[row["s"].value] = row["s"].value
                if row["n"] is not None:
                    members.setdefault("code:" + row["n"].value, row["s"].value)
            self._sdg = members
        return self._sdg

    # --- hints ---------------------------------------------------------------------------
    def replaces_fixed_hint(self, raw: RawResult, hint: str = "") -> bool:
        """Whether :meth:`hint` (which gave ``hint``) says all for this result, so that the
        shape's fixed hint is left out: it assumes another mistake (a type of another file's
        node), or says in general what the hint says for this practice (its edition's axes)."""
        axis = raw.source_shape == SDGSH + "Practice-axis" \
            or raw.source_constraint == SDGSH + "Practice-axisOfEdition"
        return self._foreign_type(raw) or (axis and bool(hint))

    def _foreign_type(self, raw: RawResult) -> bool:
        """A type that the checked files do not write: they describe a node of another file
        that contributions may not describe (an edition, an axis), not misspell a type."""
        graphs = self._type_graphs(raw)
        return bool(graphs) and not any(graph in self.own_graphs for graph in graphs)

    def _type_graphs(self, raw: RawResult) -> list[str]:
        """The graphs that give the focus node the type an ``rdf:type`` result names, sorted."""
        if raw.component != SH + "InConstraintComponent" or raw.path != RDF + "type" \
                or raw.value is None or raw.value.kind != "iri":
            return []
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{raw.focus.value}> "
                          f"<{RDF}type> <{raw.value.value}> }} }} ORDER BY ?g")
        return [row["g"].value for row in rows]

    def hint(self, raw: RawResult, lang: str, declared: dict[str, str] | None = None) -> str:
        """A hint for this result and value, or '' when the fixed one says all.

        ``declared``: the prefixes of the file the result is in, so that an IRI to write is
        spelt with them (or in full when the file has none for it); None: the report's prefixes.
        """
        if self._foreign_type(raw):
            return self.foreign_type_hint(raw, lang)
        constraint = (raw.source_constraint or "").removeprefix(SDGSH)
        shape = raw.source_shape.removeprefix(SDGSH)
        value = raw.value.value if raw.value else ""
        iri_value = value if raw.value is not None and raw.value.kind == "iri" else ""
        if raw.component == SH + "MaxCountConstraintComponent" and raw.path:
            return self.values_hint(raw, lang)
        if raw.component == SH + "UniqueLangConstraintComponent" and raw.path:
            return self.values_hint(raw, lang, same_language=True)
        if constraint == "Sdg-known":
            return self.sdg_hint(value, lang)
        if shape == "Participant-countryCode" or constraint == "Participant-countryKnown":
            return self.country_hint(value, lang)
        if constraint == "Practice-axisOfEdition" or shape == "Practice-axis":
            return self.axis_hint(raw.focus.value, iri_value, lang, declared)
        if raw.component == SH + "ClosedConstraintComponent" and raw.path:
            return self.property_hint(raw, lang)
        if raw.component == SH + "ClassConstraintComponent" and iri_value \
                and raw.source_shape in self.classes:
            found = self.close_instance(iri_value, self.classes[raw.source_shape])
            return self.words("mean", lang, name=self.spell(found, declared)) if found else ""
        if raw.component == SH + "InConstraintComponent" and iri_value:
            found = closest(iri_value, self.choices.get(raw.source_shape, []))
            return self.words("mean", lang, name=self.spell(found, declared)) if found else ""
        if shape == "Participant-wikidata":
            found = re.search(r"(Q[1-9][0-9]*)", value)
            return self.words("wikidata", lang, q=found.group(1)) if found else ""
        if shape == "Participant-geonames":
            found = re.search(r"/([1-9][0-9]*)", value)
            return self.words("geonames", lang, n=found.group(1)) if found else ""
        if raw.component == SH + "DatatypeConstraintComponent" and re.fullmatch(
                r"\s*-?[0-9]{4}\s*", value) and shape.endswith("Year"):
            return self.words("gyear", lang, year=value.strip())
        return ""

    def sdg_hint(self, value: str, lang: str) -> str:
        members = self.sdg_members()
        candidate = re.sub(r"^https://", "http://", value.strip()).rstrip("/")
        local = candidate.removeprefix(SDG)
        if candidate in members and candidate != value:
            return self.words("sdg_fix", lang, iri=candidate)
        if "code:" + local in members:
            return self.words("sdg_fix", lang, iri=members["code:" + local])
        goal = local.split(".")[0]
        if re.fullmatch(r"[0-9]+", goal) and SDG + goal not in members:
            return self.words("goals", lang)
        if "." in local and SDG + goal in members:
            targets = sorted((iri.removeprefix(SDG) for iri in members
                              if re.fullmatch(re.escape(SDG + goal) + r"\.[0-9a-z]+", iri)),
                             key=lambda t: (len(t.split(".")[1]), t))
            return self.words("targets", lang, goal=goal, targets=", ".join(targets))
        return ""

    def country_hint(self, value: str, lang: str) -> str:
        text = value.strip()
        if text.upper() in CODE_ALIASES:
            code = CODE_ALIASES[text.upper()]
            return self.words("country", lang, code=code, name=self.country_name(code, lang))
        rows = self.query(
            "SELECT ?code ?label WHERE { ?c a <https://w3id.org/sdgraph/ontology#Country> ; "
            "<https://w3id.org/sdgraph/ontology#countryCode> ?code ; "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
        for row in rows:
            if row["code"].value == text.upper() or row["label"].value.lower() == text.lower():
                code = row["code"].value
                return self.words("country", lang, code=code, name=self.country_name(code, lang))
        return ""

    def country_name(self, code: str, lang: str) -> str:
        rows = self.query(
            "SELECT ?label WHERE { ?c a <https://w3id.org/sdgraph/ontology#Country> ; "
            f"<https://w3id.org/sdgraph/ontology#countryCode> \"{code}\" ; "
            f"<http://www.w3.org/2000/01/rdf-schema#label> ?label . "
            f"FILTER (lang(?label) = \"{lang}\") }}")
        return rows[0]["label"].value if rows else code

    def axis_hint(self, practice: str, value: str, lang: str,
                  declared: dict[str, str] | None = None) -> str:
        """The axes of the scheme of the edition the practice is reported in (the 2023 scheme
        for a practice reported elsewhere, as the shapes say), and the one a misspelt axis or
        another edition's axis stands for, spelt as the practice's file can write them."""
        rows = self.query(
            "PREFIX sdgr: <https://w3id.org/sdgraph/ontology#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            f"SELECT DISTINCT ?axis ?s WHERE {{ <{practice}> sdgr:reportedIn ?where . "
            "OPTIONAL { ?where sdgr:axisScheme ?s } "
            "BIND (COALESCE(?s, <https://w3id.org/sdgraph/id/axes/2023>) AS ?scheme) "
            "?axis skos:inScheme ?scheme } ORDER BY ?axis")
        axes = list(dict.fromkeys(row["axis"].value for row in rows))
        if not axes:
            return ""
        words = []
        found = closest(value, axes) if value and value not in axes else None
        if found:
            words.append(self.words("mean", lang, name=self.spell(found, declared)))
        listed = ", ".join(self.spell(axis, declared) for axis in axes)
        in_edition = any(row["s"] is not None for row in rows)
        words.append(self.words("axes" if in_edition else "axes_elsewhere", lang, axes=listed))
        return " ".join(words)

    def close_instance(self, value: str, kind: str) -> str | None:
        """The instance of ``kind`` (or of a subclass) in the namespace of ``value`` whose name
        is closest to the IRI ``value``'s, if one is close enough: the node it misspells."""
        namespace = namespace_of(value)
        key = (kind, namespace)
        if key not in self._instances:
            rows = self.query(
                f"SELECT DISTINCT ?node WHERE {{ ?node a/<{RDFS}subClassOf>* <{kind}> . "
                f"FILTER (isIRI(?node) && STRSTARTS(STR(?node), \"{namespace}\")) }}")
            self._instances[key] = sorted(row["node"].value for row in rows)
        return closest(value, [n for n in self._instances[key] if n != value])

    def spell(self, iri: str, declared: dict[str, str] | None) -> str:
        """``iri`` as a file with the prefixes ``declared`` can write it: under its longest
        matching prefix, else in full; with ``declared`` None, as the report shows IRIs."""
        if declared is None:
            return self.compact(iri)
        forms = [(len(namespace), f"{name}:{iri[len(namespace):]}")
                 for name, namespace in declared.items()
                 if namespace and iri.startswith(namespace)
                 and PN_LOCAL.match(iri[len(namespace):])]
        if forms:
            return max(forms)[1]
        return f"<{iri}>"

    def values_hint(self, raw: RawResult, lang: str, same_language: bool = False) -> str:
        """The values of a path that has too many (or, with ``same_language``, those that share
        a language tag), each with the file it is written in: one of them is often in another
        file than the one being checked."""
        inverse = (raw.path or "").startswith("^")
        predicate = (raw.path or "").lstrip("^")
        focus = f"<{raw.focus.value}>"
        pattern = f"?value <{predicate}> {focus}" if inverse else f"{focus} <{predicate}> ?value"
        rows = self.query(f"SELECT ?value ?g WHERE {{ GRAPH ?g {{ {pattern} }} }}")
        if same_language:
            tags = [row["value"].language for row in rows if isinstance(row["value"], ox.Literal)]
            rows = [row for row in rows if isinstance(row["value"], ox.Literal)
                    and row["value"].language and tags.count(row["value"].language) > 1]
        places: dict[str, list[str]] = {}
        for row in rows:
            shown = self.shown(row["value"])
            places.setdefault(shown, []).append(self.file_of(row["g"].value, lang))
        if len(places) < 2:
            return ""
        values = ", ".join(f"{value} ({', '.join(sorted(set(files)))})"
                           for value, files in sorted(places.items()))
        if inverse:
            return self.words("pointing", lang, path=self.compact(predicate), nodes=values)
        return self.words("values", lang, values=values)

    def foreign_type_hint(self, raw: RawResult, lang: str) -> str:
        """Which file defines the node the checked file makes statements about."""
        files = ", ".join(self.file_of(graph, lang) for graph in self._type_graphs(raw))
        return self.words("not_yours", lang, node=self.compact(raw.focus.value),
                          kind=self.compact(raw.value.value if raw.value else ""), files=files)

    def shown(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
        """A value as the report shows it: a compact IRI, a quoted literal, or [ ]."""
        if isinstance(term, ox.NamedNode):
            return self.compact(term.value)
        if isinstance(term, ox.Literal):
            return f'"{term.value}"' + (f"@{term.language}" if term.language else "")
        return "[ ]"

    def file_of(self, graph: str, lang: str) -> str:
        """Where the statements of a named graph come from, for people."""
        if graph in self.own_graphs:
            return self.words("here", lang)
        return graph_file(graph)

    def property_hint(self, raw: RawResult, lang: str) -> str:
        written = self.compact(raw.path or "")
        allowed = [self.compact(p) for p in self.allowed.get(raw.source_shape, [])]
        close = difflib.get_close_matches(written, allowed, n=1, cutoff=0.6)
        if not close:
            local = written.split(":")[-1].lower()
            close = [a for a in allowed if a.split(":")[-1].lower() == local][:1]
        return self.words("mean", lang, name=close[0]) if close else ""


def namespace_of(iri: str) -> str:
    """The IRI up to its last '/' or '#', included."""
    return iri[:max(iri.rfind("/"), iri.rfind("#")) + 1]


def closest(value: str, candidates: Iterable[str]) -> str | None:
    """The IRI among ``candidates`` whose local name is closest to that of ``value`` (letter
    case aside), if close enough (:data:`CLOSE`); an exact match of the local name wins."""
    local = value[len(namespace_of(value)):].lower()
    names: dict[str, str] = {}
    for candidate in candidates:
        names.setdefault(candidate[len(namespace_of(candidate)):].lower(), candidate)
    found = difflib.get_close_matches(local, list(names), n=1, cutoff=CLOSE)
    return names[found[0]] if found else None
