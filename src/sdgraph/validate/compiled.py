"""The fast engine: the constraints of ``shapes/`` compiled into few SPARQL queries on pyoxigraph.

Nearly every node of a contribution conforms, so the queries look for failures first and ask
whom they concern afterwards. A query that can start from the values (value tests, maximum
counts, unique languages, closed shapes, SPARQL-based constraints) scans only the triples of the
predicate it checks, keeps the failing ones, and only then are their nodes checked against the
node shape's targets and the focus nodes (the IRIs a contributed file describes), in one batch.
The value tests of every property shape on the same path share one scan; the minimum counts of a
node shape share one query over its targets. So the number of queries depends on the shapes, not
on the data, and no query runs per node.

The queries are independent of one another: :meth:`CompiledShapes.jobs` hands them out one by
one, so that :mod:`.parallel` can run them side by side. Counting first lets the engine skip the
queries that cannot fail: a predicate nobody uses, a maximum count of one on a predicate that no
node has twice.

The compiler knows the SHACL Core parameters that ``shapes/`` uses and refuses any other, so
that a new shape cannot be silently ignored; the tests check that it reports exactly what
pySHACL reports on every fixture.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ..namespaces import RDF, RDFS, SH, XSD
from .dataset import Dataset
from .identity import term
from .results import RawResult, Term
from .shapes import NodeShape, PropertyShape, Shapes

#: How many nodes one membership query names in its VALUES block.
BATCH = 5000

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


def is_true(value: object) -> bool:
    return str(value).lower() == "true"


def path_pattern(predicate: str, inverse: bool, value: str = "?value") -> str:
    """The triple pattern from ?this to ``value`` along a predicate or its inverse."""
    return f"{value} {predicate} ?this ." if inverse else f"?this {predicate} {value} ."


class CompiledShapes:
    """The queries of a shapes graph for one loaded dataset: :meth:`prepare`, then run every
    one of :meth:`jobs` (in any order, in any process) and keep :meth:`on_focus` of their
    results."""

    def __init__(self, shapes: Shapes, dataset: Dataset) -> None:
        self.shapes = shapes
        self.dataset = dataset
        self._subclasses: dict[str, list[str]] = {}
        self._targeted: dict[str, dict[str, bool]] = defaultdict(dict)
        self._predicates: dict[str, int] | None = None
        self._single: dict[tuple[str, bool], bool] = {}
        self._classes: dict[str, int] | None = None
        self.active = [s for s in shapes.node_shapes
                       if not is_true(s.params.get("deactivated", ""))]

    def prepare(self) -> None:
        """Gather the facts every query shares before the queries run side by side."""
        self.predicates()
        classes = {c for shape in self.active for c in shape.target_classes}
        for shape in self.active:
            for prop in shape.properties:
                if prop.params.get("class") is not None:
                    classes.add(str(prop.params["class"]))
            if shape.params.get("class") is not None:
                classes.add(str(shape.params["class"]))
        for cls in sorted(classes):
            self.subclasses(cls)
        for shape in self.active:
            self.estimated_targets(shape)

    def query(self, text: str) -> ox.QuerySolutions:
        return self.dataset.query(text)

    # --- data graph facts -----------------------------------------------------------------
    def subclasses(self, cls: str) -> list[str]:
        """``cls`` and its subclasses in the data graph, as SHACL instance checks need."""
        if cls not in self._subclasses:
            query = f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS}subClassOf>* <{cls}> }}"
            found = {s["c"].value for s in self.query(query) if isinstance(s["c"], ox.NamedNode)}
            self._subclasses[cls] = sorted(found | {cls})
        return self._subclasses[cls]

    def predicates(self) -> dict[str, int]:
        """Every predicate of the dataset and its number of triples (one scan, shared)."""
        if self._predicates is None:
            query = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
            self._predicates = {row["p"].value: int(row["n"].value)
                                for row in self.query(query)}
        return self._predicates

    def single_valued(self, predicate: str, inverse: bool) -> bool:
        """True when no node has two values of the path: as many nodes as triples.

        Counting is about four times cheaper than looking for a second value of each value,
        and on a conforming contribution it settles the question.
        """
        key = (predicate, inverse)
        if key not in self._single:
            node = "?value" if inverse else "?this"
            query = (f"SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT {node}) AS ?nodes) WHERE "
                     f"{{ {path_pattern(f'<{predicate}>', inverse)} }}")
            row = next(iter(self.query(query)))
            self._single[key] = row["triples"].value == row["nodes"].value
        return self._single[key]

    def estimated_targets(self, shape: NodeShape) -> int:
        """At most how many targets the shape has, from the counts of classes and predicates."""
        if self._classes is None:
            query = f"SELECT ?c (COUNT(*) AS ?n) WHERE {{ ?s <{RDF}type> ?c }} GROUP BY ?c"
            self._classes = {row["c"].value: int(row["n"].value) for row in self.query(query)
                             if isinstance(row["c"], ox.NamedNode)}
        classes = {c for t in shape.target_classes for c in self.subclasses(t)}
        return (sum(self._classes.get(c, 0) for c in classes)
                + sum(self.predicates().get(p, 0) for p in shape.target_subjects_of))

    # --- targets ------------------------------------------------------------------------------
    def target_pattern(self, shape: NodeShape) -> str:
        """A group pattern that binds (or, with ?this bound, checks) the shape's targets."""
        branches = []
        classes = sorted({c for t in shape.target_classes for c in self.subclasses(t)})
        if classes:
            values = " ".join(f"<{c}>" for c in classes)
            branches.append(f"{{ ?this <{RDF}type> ?targetClass . "
                            f"VALUES ?targetClass {{ {values} }} }}")
        for predicate in shape.target_subjects_of:
            branches.append(f"{{ ?this <{predicate}> ?targetObject }}")
        return " UNION ".join(branches)

    def targets(self, shape: NodeShape) -> str:
        """A sub-query binding ?this to each target of the shape, once."""
        return f"{{ SELECT DISTINCT ?this WHERE {{ {self.target_pattern(shape)} }} }}"

    def targeted(self, shape: NodeShape, nodes: Iterable[str]) -> set[str]:
        """Those of the IRIs ``nodes`` that the shape targets (asked in batches, remembered)."""
        known = self._targeted[shape.iri]
        nodes = list(dict.fromkeys(nodes))
        unknown = [n for n in nodes if n not in known]
        for start in range(0, len(unknown), BATCH):
            chunk = unknown[start:start + BATCH]
            values = " ".join(f"<{n}>" for n in chunk)
            query = (f"SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {values} }} "
                     f"FILTER EXISTS {{ {self.target_pattern(shape)} }} }}")
            found = {row["this"].value for row in self.query(query)}
            known.update((n, n in found) for n in chunk)
        return {n for n in nodes if known.get(n)}

    def for_targets(self, shape: NodeShape, results: list[RawResult]) -> list[RawResult]:
        """The results whose focus node is one of the shape's targets."""
        nodes = self.targeted(shape, (r.focus.value for r in results if r.focus.kind == "iri"))
        return [r for r in results if r.focus.kind == "iri" and r.focus.value in nodes]

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

    # --- queries ------------------------------------------------------------------------------
    def on_focus(self, results: list[RawResult]) -> list[RawResult]:
        """The results whose focus node a contributed file describes."""
        focus = self.dataset.focus_among(r.focus.value for r in results if r.focus.kind == "iri")
        return [r for r in results if r.focus.kind == "iri" and r.focus.value in focus]

    def jobs(self) -> list[Callable[[], list[RawResult]]]:
        """One job per query (with the follow-up lookups of its failures), the costliest first.

        The cost is guessed from the rows a query starts from (a shape's targets, a predicate's
        triples), so that the longest jobs do not come last and keep one worker busy alone.
        """
        jobs: list[tuple[int, Callable[[], list[RawResult]]]] = []
        for shape in self.active:
            targets = self.estimated_targets(shape)
            minimums = sum(1 for p in shape.properties if p.params.get("minCount") is not None)
            jobs += [(targets, lambda s=shape: self.node_constraints(s)),
                     (targets, lambda s=shape: self.closed(s)),
                     (targets * minimums, lambda s=shape: self.min_counts(s))]
            jobs += [(targets, lambda s=shape, c=c: self.sparql_constraint(s, c))
                     for c in shape.sparql]
        triples = self.predicates()
        jobs += [(triples.get(key[0], 0), lambda k=key, p=props: self.value_constraints_on(k, p))
                 for key, props in sorted(self.value_paths().items())]
        jobs += [(triples.get(prop.predicate, 0), lambda p=prop: self.max_count(p))
                 for prop in self.shared("maxCount")]
        jobs += [(triples.get(prop.predicate, 0), lambda p=prop: self.unique_language(p))
                 for prop in self.shared("uniqueLang")]
        return [job for _, job in sorted(jobs, key=lambda pair: -pair[0])]

    def pairs(self) -> Iterator[tuple[NodeShape, PropertyShape]]:
        for shape in self.active:
            for prop in shape.properties:
                yield shape, prop

    def node_constraints(self, shape: NodeShape) -> list[RawResult]:
        """Constraints on the focus node itself, all of a shape's in one query."""
        names = sorted(name for name in shape.params if name in COMPONENTS)
        if not names:
            return []
        binds = " ".join(f"BIND (COALESCE({self.value_test(n, shape.params[n], shape, '?this')}"
                         f", false) AS ?ok{i})" for i, n in enumerate(names))
        failing = " || ".join(f"!?ok{i}" for i in range(len(names)))
        query = (f"SELECT ?this {' '.join(f'?ok{i}' for i in range(len(names)))} WHERE {{ "
                 f"{self.targets(shape)} {binds} FILTER ({failing}) }}")
        results = []
        for row in self.query(query):
            focus = term(row["this"])
            for i, name in enumerate(names):
                if row[f"ok{i}"].value != "true":
                    results.append(RawResult(focus, SH + COMPONENTS[name], shape.iri,
                                             shape.severity, value=focus))
        return results

    def closed(self, shape: NodeShape) -> list[RawResult]:
        """Closed shapes: the triples of a predicate that the shape does not allow.

        A predicate with fewer triples than the shape has targets is looked for from its
        triples (then joined with the targets); a more common one from the targets, one lookup
        each: either way the cheaper side is scanned.
        """
        if not is_true(shape.params.get("closed", "")):
            return []
        allowed = set(self.shapes.allowed_paths(shape))
        banned = {p: n for p, n in self.predicates().items() if p not in allowed}
        if not banned:
            return []
        targets = self.estimated_targets(shape)
        rare = sorted(p for p, n in banned.items() if n <= targets)
        common = sorted(p for p, n in banned.items() if n > targets)
        queries = []
        if rare:
            # joined with the targets, not filtered by a lookup per triple: a third faster
            queries.append(f"SELECT ?this ?p ?value WHERE {{ {self.targets(shape)} {{ "
                           f"VALUES ?p {{ {' '.join(f'<{p}>' for p in rare)} }} "
                           f"?this ?p ?value }} }}")
        if common:
            # FILTER, not VALUES: a VALUES block would be joined by scanning all its triples
            queries.append(f"SELECT ?this ?p ?value WHERE {{ {self.targets(shape)} "
                           f"?this ?p ?value FILTER (?p IN "
                           f"({', '.join(f'<{p}>' for p in common)})) }}")
        return [RawResult(term(row["this"]), SH + "ClosedConstraintComponent", shape.iri,
                          shape.severity, path=row["p"].value, value=term(row["value"]))
                for query in queries for row in self.query(query)]

    def shapes_of(self, prop: PropertyShape) -> list[NodeShape]:
        """The node shapes that have the property shape ``prop``."""
        return [shape for shape, other in self.pairs() if other.iri == prop.iri]

    def value_paths(self) -> dict[tuple[str, bool], list[PropertyShape]]:
        """The property shapes with value tests, grouped by path (each path is scanned once)."""
        on_path: dict[tuple[str, bool], dict[str, PropertyShape]] = defaultdict(dict)
        for _, prop in self.pairs():
            if any(name in COMPONENTS for name in prop.params):
                on_path[(prop.predicate, prop.inverse)][prop.iri] = prop
        return {key: list(props.values()) for key, props in on_path.items()}

    def value_constraints_on(self, path: tuple[str, bool],
                             props: list[PropertyShape]) -> list[RawResult]:
        """Value tests of every property shape on one path: one scan, failures only."""
        predicate, inverse = path
        if not self.predicates().get(predicate):
            return []
        tests = [(prop, name) for prop in props for name in sorted(prop.params)
                 if name in COMPONENTS]
        binds = " ".join(
            f"BIND (COALESCE({self.value_test(n, p.params[n], p, '?value')}, false) AS ?ok{i})"
            for i, (p, n) in enumerate(tests))
        failing = " || ".join(f"!?ok{i}" for i in range(len(tests)))
        query = (f"SELECT ?this ?value {' '.join(f'?ok{i}' for i in range(len(tests)))} "
                 f"WHERE {{ {path_pattern(f'<{predicate}>', inverse)} {binds} "
                 f"FILTER ({failing}) }}")
        found: dict[str, list[RawResult]] = defaultdict(list)
        for row in self.query(query):
            for i, (prop, name) in enumerate(tests):
                if row[f"ok{i}"].value != "true":
                    found[prop.iri].append(RawResult(
                        term(row["this"]), SH + COMPONENTS[name], prop.iri, prop.severity,
                        path=prop.result_path, value=term(row["value"])))
        results = []
        for prop in props:
            for shape in self.shapes_of(prop):
                results += self.for_targets(shape, found.get(prop.iri, []))
        return results

    def min_counts(self, shape: NodeShape) -> list[RawResult]:
        """Minimum counts: a shape's targets that lack values, all its paths in one query."""
        props = [p for p in shape.properties if p.params.get("minCount") is not None]
        results = []
        for inverse in (False, True):
            ones = [p for p in props if p.inverse == inverse and int(p.params["minCount"]) == 1]
            if ones:
                values = " ".join(f"({i} <{p.predicate}>)" for i, p in enumerate(ones))
                query = (f"SELECT ?this ?k WHERE {{ {self.targets(shape)} "
                         f"VALUES (?k ?predicate) {{ {values} }} "
                         f"FILTER NOT EXISTS {{ {path_pattern('?predicate', inverse)} }} }}")
                for row in self.query(query):
                    prop = ones[int(row["k"].value)]
                    results.append(RawResult(term(row["this"]),
                                             SH + "MinCountConstraintComponent", prop.iri,
                                             prop.severity, path=prop.result_path))
        for prop in props:
            low = int(prop.params["minCount"])  # type: ignore[arg-type]
            if low > 1:
                query = (f"SELECT ?this WHERE {{ {self.targets(shape)} OPTIONAL {{ "
                         f"{path_pattern(f'<{prop.predicate}>', prop.inverse)} }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {low})")
                results += [RawResult(term(row["this"]), SH + "MinCountConstraintComponent",
                                      prop.iri, prop.severity, path=prop.result_path)
                            for row in self.query(query)]
        return results

    def shared(self, parameter: str) -> list[PropertyShape]:
        """The property shapes that have ``parameter`` (false booleans left out), each once."""
        props: dict[str, PropertyShape] = {}
        for _, prop in self.pairs():
            value = prop.params.get(parameter)
            if value is not None and str(value).lower() != "false":
                props[prop.iri] = prop
        return list(props.values())

    def max_count(self, prop: PropertyShape) -> list[RawResult]:
        """Nodes with too many values of the property, found from the values, then targeted."""
        high = int(prop.params["maxCount"])  # type: ignore[arg-type]
        if not self.predicates().get(prop.predicate):
            return []  # no node has a value
        if high >= 1 and self.single_valued(prop.predicate, prop.inverse):
            return []  # no node has two
        pattern = path_pattern(f"<{prop.predicate}>", prop.inverse)
        if high == 0:  # no value at all is allowed
            query = f"SELECT DISTINCT ?this WHERE {{ {pattern} }}"
        elif high == 1:
            query = (f"SELECT DISTINCT ?this WHERE {{ {pattern} "
                     f"{path_pattern(f'<{prop.predicate}>', prop.inverse, '?other')} "
                     f"FILTER (!sameTerm(?value, ?other)) }}")
        else:
            query = (f"SELECT ?this WHERE {{ {pattern} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {high})")
        failures = [RawResult(term(row["this"]), SH + "MaxCountConstraintComponent",
                              prop.iri, prop.severity, path=prop.result_path)
                    for row in self.query(query)]
        return [r for shape in self.shapes_of(prop) for r in self.for_targets(shape, failures)]

    def unique_language(self, prop: PropertyShape) -> list[RawResult]:
        """sh:uniqueLang: two values of the path in the same language."""
        if not self.predicates().get(prop.predicate) or self.single_valued(
                prop.predicate, prop.inverse):
            return []  # no node has two values, so none has two in one language
        query = (f"SELECT ?this ?lang WHERE {{ "
                 f"{path_pattern(f'<{prop.predicate}>', prop.inverse)} "
                 f"FILTER (isLiteral(?value) && lang(?value) != '') "
                 f"BIND (LCASE(lang(?value)) AS ?lang) }} "
                 f"GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1)")
        failures = [RawResult(term(row["this"]), SH + "UniqueLangConstraintComponent",
                              prop.iri, prop.severity, path=prop.result_path)
                    for row in self.query(query)]
        return [r for shape in self.shapes_of(prop) for r in self.for_targets(shape, failures)]

    def sparql_constraint(self, shape: NodeShape, constraint) -> list[RawResult]:
        """A SPARQL-based constraint: its own SELECT first, then its rows' nodes targeted.

        A SELECT that does not bind $this by itself is run joined with the targets instead.
        """
        select = constraint.select.replace("$this", "?this")
        where = re.search(r"WHERE\s*\{", select, re.IGNORECASE)
        if where is None:
            raise ValueError(f"{constraint.iri}: the SELECT has no WHERE clause")
        solutions = self.query(constraint.prologue + "\n" + select)
        names = [v.value for v in solutions.variables]
        rows = [{name: row[name] for name in names if row[name] is not None}
                for row in solutions]
        if any("this" not in row for row in rows):
            joined = (constraint.prologue + "\n" + select[:where.end()] + " "
                      + self.targets(shape) + " " + select[where.end():])
            solutions = self.query(joined)
            rows = [{name: row[name] for name in names if row[name] is not None}
                    for row in solutions]
        results = []
        for bound in rows:
            focus = term(bound["this"])
            value = term(bound["value"]) if "value" in bound else focus
            path = bound["path"].value if "path" in bound else None
            extra = tuple(sorted((name, term(node)) for name, node in bound.items()
                                 if name not in ("this", "value", "path")))
            results.append(RawResult(
                focus, SH + "SPARQLConstraintComponent", shape.iri, shape.severity,
                path=path, value=value, source_constraint=constraint.iri,
                bindings=extra + (("value", value),) + (
                    (("path", Term("iri", path)),) if path else ())))
        return self.for_targets(shape, results)
