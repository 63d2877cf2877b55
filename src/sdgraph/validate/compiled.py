"""The fast engine: each constraint of ``shapes/`` compiled into a SPARQL query on pyoxigraph.

Every node shape's targets become a sub-query that keeps only focus nodes (the IRIs a
contributed file describes, marked in a graph of their own); each property shape becomes at most
three queries (counts, value tests, unique languages); closed shapes, node-level constraints and
SPARQL-based constraints one query each. The compiler knows the SHACL Core parameters that
``shapes/`` uses and refuses any other, so that a new shape cannot be silently ignored; the
tests check that it reports exactly what pySHACL reports on every fixture.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ..namespaces import RDF, RDFS, SH, XSD
from .identity import term
from .results import RawResult, Term
from .shapes import NodeShape, PropertyShape, Shapes

FOCUS_GRAPH = "urn:sdgraph:validate:focus"
FOCUS = "urn:sdgraph:validate:Focus"

#: Lexical forms of the datatypes the shapes use, as pySHACL checks them (ill-typed literals).
LEXICAL = {
    XSD + "gYear": r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD + "decimal": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD + "dateTime": r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
                      r"(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
NODE_KINDS = {
    "IRI": "isIRI({v})", "Literal": "isLiteral({v})", "BlankNode": "isBlank({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
COMPONENTS = {
    "datatype": "DatatypeConstraintComponent", "nodeKind": "NodeKindConstraintComponent",
    "class": "ClassConstraintComponent", "in": "InConstraintComponent",
    "pattern": "PatternConstraintComponent", "languageIn": "LanguageInConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent",
    "minExclusive": "MinExclusiveConstraintComponent",
    "maxExclusive": "MaxExclusiveConstraintComponent",
}


def n3(node: object) -> str:
    """A SPARQL literal or IRI for an rdflib term of the shapes graph."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise ValueError(f"cannot write {node!r} in SPARQL")


def string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class CompiledShapes:
    """The queries of a shapes graph for one store; run them with :meth:`run`."""

    def __init__(self, shapes: Shapes, store: ox.Store) -> None:
        self.shapes = shapes
        self.store = store
        self._subclasses: dict[str, list[str]] = {}

    # --- data graph facts -----------------------------------------------------------------
    def subclasses(self, cls: str) -> list[str]:
        """``cls`` and its subclasses in the data graph, as SHACL instance checks need."""
        if cls not in self._subclasses:
            query = (f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS}subClassOf>* <{cls}> }}")
            found = {s["c"].value for s in self.query(query) if isinstance(s["c"], ox.NamedNode)}
            self._subclasses[cls] = sorted(found | {cls})
        return self._subclasses[cls]

    def query(self, text: str) -> ox.QuerySolutions:
        return self.store.query(text, default_graph=self.data_graphs,
                                named_graphs=self.data_graphs + [ox.NamedNode(FOCUS_GRAPH)])

    @property
    def data_graphs(self) -> list[ox.NamedNode]:
        if not hasattr(self, "_data_graphs"):
            self._data_graphs = [g for g in self.store.named_graphs()
                                 if isinstance(g, ox.NamedNode) and g.value != FOCUS_GRAPH]
        return self._data_graphs

    # --- targets ------------------------------------------------------------------------------
    def targets(self, shape: NodeShape) -> str:
        """A sub-query binding ?this to each focus node the shape targets."""
        branches = []
        classes = sorted({c for t in shape.target_classes for c in self.subclasses(t)})
        if classes:
            values = " ".join(f"<{c}>" for c in classes)
            branches.append(f"{{ ?this <{RDF}type> ?targetClass . "
                            f"VALUES ?targetClass {{ {values} }} }}")
        for predicate in shape.target_subjects_of:
            branches.append(f"{{ ?this <{predicate}> ?targetObject }}")
        return ("{ SELECT DISTINCT ?this WHERE { "
                f"GRAPH <{FOCUS_GRAPH}> {{ ?this a <{FOCUS}> }} "
                + " UNION ".join(branches) + " } }")

    # --- tests --------------------------------------------------------------------------------
    def value_test(self, name: str, value: object, shape: PropertyShape | NodeShape,
                   v: str) -> str:
        """A SPARQL expression that is true when the value ``v`` meets the constraint."""
        if name == "datatype":
            datatype = str(value)
            if datatype == RDF + "langString":
                return f'(isLiteral({v}) && lang({v}) != "")'
            test = f'(isLiteral({v}) && lang({v}) = "" && datatype({v}) = <{datatype}>)'
            if datatype in LEXICAL:
                test = f'({test} && regex(str({v}), {string(LEXICAL[datatype])}))'
            return test
        if name == "nodeKind":
            return NODE_KINDS[str(value)[len(SH):]].format(v=v)
        if name == "class":
            values = " ".join(f"<{c}>" for c in self.subclasses(str(value)))
            return f"EXISTS {{ {v} <{RDF}type> ?valueClass . VALUES ?valueClass {{ {values} }} }}"
        if name == "in":
            return "(" + " || ".join(f"sameTerm({v}, {n3(m)})" for m in value) + ")"  # type: ignore
        if name == "pattern":
            flags = shape.params.get("flags")
            extra = f", {string(str(flags))}" if flags else ""
            return f"(!isBlank({v}) && regex(str({v}), {string(str(value))}{extra}))"
        if name == "languageIn":
            tests = " || ".join(f"langMatches(lang({v}), {string(str(t))})"
                                for t in value)  # type: ignore
            return f"(isLiteral({v}) && ({tests}))"
        operators = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">",
                     "maxExclusive": "<"}
        return f"({v} {operators[name]} {n3(value)})"

    @staticmethod
    def path(prop: PropertyShape) -> str:
        if prop.inverse:
            return f"?value <{prop.predicate}> ?this ."
        return f"?this <{prop.predicate}> ?value ."

    # --- queries ------------------------------------------------------------------------------
    def run(self) -> Iterator[RawResult]:
        """Every result of every shape, for the focus nodes marked in the store."""
        for shape in self.shapes.node_shapes:
            if str(shape.params.get("deactivated", "")).lower() == "true":
                continue
            targets = self.targets(shape)
            yield from self.node_constraints(shape, targets)
            for prop in shape.properties:
                yield from self.property_constraints(shape, prop, targets)
            for constraint in shape.sparql:
                yield from self.sparql_constraint(shape, constraint, targets)

    def node_constraints(self, shape: NodeShape, targets: str) -> Iterator[RawResult]:
        tests = {name: value for name, value in shape.params.items() if name in COMPONENTS}
        for name, value in sorted(tests.items()):
            test = self.value_test(name, value, shape, "?this")
            query = f"SELECT ?this WHERE {{ {targets} FILTER (!COALESCE({test}, false)) }}"
            for row in self.query(query):
                focus = term(row["this"])
                yield RawResult(focus, SH + COMPONENTS[name], shape.iri, shape.severity,
                                value=focus)
        if str(shape.params.get("closed", "")).lower() == "true":
            allowed = ", ".join(f"<{p}>" for p in self.shapes.allowed_paths(shape))
            query = (f"SELECT ?this ?p ?value WHERE {{ {targets} ?this ?p ?value . "
                     f"FILTER (?p NOT IN ({allowed})) }}")
            for row in self.query(query):
                yield RawResult(term(row["this"]), SH + "ClosedConstraintComponent", shape.iri,
                                shape.severity, path=row["p"].value, value=term(row["value"]))

    def property_constraints(self, shape: NodeShape, prop: PropertyShape,
                             targets: str) -> Iterator[RawResult]:
        params = prop.params
        yield from self.counts(prop, targets)
        tests = {name: value for name, value in params.items() if name in COMPONENTS}
        if tests:
            names = sorted(tests)
            binds = " ".join(f"BIND (COALESCE({self.value_test(n, tests[n], prop, '?value')}, "
                             f"false) AS ?ok{i})" for i, n in enumerate(names))
            failing = " || ".join(f"!?ok{i}" for i in range(len(names)))
            query = (f"SELECT ?this ?value {' '.join(f'?ok{i}' for i in range(len(names)))} "
                     f"WHERE {{ {targets} {self.path(prop)} {binds} FILTER ({failing}) }}")
            for row in self.query(query):
                for i, name in enumerate(names):
                    if row[f"ok{i}"].value != "true":
                        yield RawResult(term(row["this"]), SH + COMPONENTS[name], prop.iri,
                                        prop.severity, path=prop.result_path,
                                        value=term(row["value"]))
        if str(params.get("uniqueLang", "")).lower() == "true":
            other = self.path(prop).replace("?value", "?other")
            query = (f"SELECT DISTINCT ?this (LCASE(lang(?value)) AS ?lang) WHERE {{ {targets} "
                     f"{self.path(prop)} {other} FILTER (isLiteral(?value) && lang(?value) != '' "
                     f"&& LCASE(lang(?value)) = LCASE(lang(?other)) "
                     f"&& !sameTerm(?value, ?other)) }}")
            for row in self.query(query):
                yield RawResult(term(row["this"]), SH + "UniqueLangConstraintComponent",
                                prop.iri, prop.severity, path=prop.result_path)

    def counts(self, prop: PropertyShape, targets: str) -> Iterator[RawResult]:
        low = prop.params.get("minCount")
        high = prop.params.get("maxCount")
        if low is None and high is None:
            return
        conditions = []
        if low is not None:
            conditions.append(f"COUNT(DISTINCT ?value) < {int(low)}")  # type: ignore[arg-type]
        if high is not None:
            conditions.append(f"COUNT(DISTINCT ?value) > {int(high)}")  # type: ignore[arg-type]
        query = (f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {targets} "
                 f"OPTIONAL {{ {self.path(prop)} }} }} GROUP BY ?this "
                 f"HAVING ({' || '.join(conditions)})")
        for row in self.query(query):
            count = int(row["n"].value)
            kind = "MinCount" if low is not None and count < int(low) else "MaxCount"  # type: ignore
            yield RawResult(term(row["this"]), f"{SH}{kind}ConstraintComponent", prop.iri,
                            prop.severity, path=prop.result_path)

    def sparql_constraint(self, shape: NodeShape, constraint, targets: str) -> Iterator[RawResult]:
        select = constraint.select.replace("$this", "?this")
        where = re.search(r"WHERE\s*\{", select, re.IGNORECASE)
        if where is None:
            raise ValueError(f"{constraint.iri}: the SELECT has no WHERE clause")
        query = (constraint.prologue + "\n" + select[:where.end()] + " " + targets + " "
                 + select[where.end():])
        solutions = self.query(query)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            focus = term(row["this"])
            bound = {name: row[name] for name in names if row[name] is not None}
            value = term(bound["value"]) if "value" in bound else focus
            path = bound["path"].value if "path" in bound else None
            extra = tuple(sorted((name, term(node)) for name, node in bound.items()
                                 if name not in ("this", "value", "path")))
            yield RawResult(focus, SH + "SPARQLConstraintComponent", shape.iri, shape.severity,
                            path=path, value=value, source_constraint=constraint.iri,
                            bindings=extra + (("value", value),) + (
                                (("path", Term("iri", path)),) if path else ()))


def mark_focus(store: ox.Store, focus: set[ox.NamedNode]) -> None:
    """Mark the focus nodes in a graph of their own, which the queries start from."""
    graph = ox.NamedNode(FOCUS_GRAPH)
    kind = ox.NamedNode(FOCUS)
    is_a = ox.NamedNode(RDF + "type")
    store.extend(ox.Quad(node, is_a, kind, graph) for node in focus)
