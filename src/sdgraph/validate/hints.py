"""Hints that depend on the value and the graph: the SDG IRI meant, the country code of a name,
the axes of the reporting edition, the property a misspelt one stands for.

The fixed words of every constraint are in ``shapes/`` (``sdgsh:hint``); this module adds a
sentence, in the report's language, where the graph knows the right value.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from ..namespaces import GRAPH, RDF, SDG, SDGO, SH, SKOS
from .results import RawResult
from .shapes import SDGSH

#: ISO 3166-1 codes that people write for another code (facts of the standard's reservations).
CODE_ALIASES = {"UK": "GB", "EL": "GR"}

WORDS = {
    "sdg_fix": {"en": "Write <{iri}>.", "es": "Escriba <{iri}>."},
    "goals": {"en": "There are 17 goals, http://metadata.un.org/sdg/1 to .../sdg/17.",
              "es": "Hay 17 objetivos, http://metadata.un.org/sdg/1 a .../sdg/17."},
    "targets": {"en": "Goal {goal} has the targets {targets}.",
                "es": "El objetivo {goal} tiene las metas {targets}."},
    "country": {"en": "Write \"{code}\" for {name}.", "es": "Escriba \"{code}\" para {name}."},
    "axes": {"en": "The axes you can use here: {axes}.",
             "es": "Los ejes que puede usar aquí: {axes}."},
    "property": {"en": "Did you mean {name}?", "es": "¿Quería decir {name}?"},
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
                 allowed: dict[str, list[str]], own_graphs: Iterable[str] = ()) -> None:
        self.store = store
        self.compact = compact
        self.allowed = allowed  # closed shape -> the properties it accepts
        self.own_graphs = set(own_graphs)  # the graphs of the files being validated
        self._sdg: dict[str, str] | None = None

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
    def replaces_fixed_hint(self, raw: RawResult) -> bool:
        """Whether :meth:`hint` says all for this result, so that the shape's fixed hint (which
        assumes another mistake) is left out."""
        return self._foreign_type(raw)

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

    def hint(self, raw: RawResult, lang: str) -> str:
        """A hint for this result and value, or '' when the fixed one says all."""
        if self._foreign_type(raw):
            return self.foreign_type_hint(raw, lang)
        constraint = (raw.source_constraint or "").removeprefix(SDGSH)
        shape = raw.source_shape.removeprefix(SDGSH)
        value = raw.value.value if raw.value else ""
        if raw.component == SH + "MaxCountConstraintComponent" and raw.path:
            return self.values_hint(raw, lang)
        if raw.component == SH + "UniqueLangConstraintComponent" and raw.path:
            return self.values_hint(raw, lang, same_language=True)
        if constraint == "Sdg-known":
            return self.sdg_hint(value, lang)
        if shape == "Participant-countryCode" or constraint == "Participant-countryKnown":
            return self.country_hint(value, lang)
        if constraint == "Practice-axisOfEdition":
            return self.axis_hint(raw.focus.value, lang)
        if raw.component == SH + "ClosedConstraintComponent" and raw.path:
            return self.property_hint(raw, lang)
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

    def axis_hint(self, practice: str, lang: str) -> str:
        rows = self.query(
            "PREFIX sdgr: <https://w3id.org/sdgraph/ontology#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            f"SELECT DISTINCT ?axis WHERE {{ <{practice}> sdgr:reportedIn ?where . "
            "OPTIONAL { ?where sdgr:axisScheme ?s } "
            "BIND (COALESCE(?s, <https://w3id.org/sdgraph/id/axes/2023>) AS ?scheme) "
            "?axis skos:inScheme ?scheme } ORDER BY ?axis")
        axes = [self.compact(row["axis"].value) for row in rows]
        return self.words("axes", lang, axes=", ".join(axes)) if axes else ""

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
        return graph.removeprefix(GRAPH)

    def property_hint(self, raw: RawResult, lang: str) -> str:
        written = self.compact(raw.path or "")
        allowed = [self.compact(p) for p in self.allowed.get(raw.source_shape, [])]
        close = difflib.get_close_matches(written, allowed, n=1, cutoff=0.6)
        if not close:
            local = written.split(":")[-1].lower()
            close = [a for a in allowed if a.split(":")[-1].lower() == local][:1]
        return self.words("property", lang, name=close[0]) if close else ""
