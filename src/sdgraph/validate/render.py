"""The report in three forms: text for people, JSON for tools, Turtle as a SHACL report."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from ..namespaces import SH
from .results import Result, Term, ValidationReport

SHN = Namespace(SH)
FORMATS = ("text", "json", "turtle")

WORDS = {
    "en": {"Violation": "error", "Warning": "warning", "Info": "info", "hint": "hint",
           "ok": "{files}: conforms ({nodes} nodes checked)",
           "summary": "{violations} error(s), {warnings} warning(s) in {files} file(s) "
                      "({nodes} nodes checked)",
           "node": "node", "property": "property", "value": "value"},
    "es": {"Violation": "error", "Warning": "aviso", "Info": "información", "hint": "pista",
           "ok": "{files}: es conforme ({nodes} nodos revisados)",
           "summary": "{violations} error(es), {warnings} aviso(s) en {files} archivo(s) "
                      "({nodes} nodos revisados)",
           "node": "nodo", "property": "propiedad", "value": "valor"},
}


def where(result: Result, root: Path | None = None) -> str:
    if result.file is None:
        return "?"
    path = result.file
    if root is not None:
        with contextlib.suppress(ValueError):
            path = path.resolve().relative_to(root)
    return f"{path}:{result.line}" if result.line else str(path)


def shown_once(results: list[Result]) -> list[tuple[Result, str]]:
    """The results a person needs to read, each with its hint: results that would print the same
    lines (same file, line, node, property, value, message and severity) are one, as when two
    constraints of one shape refuse the same value (a label without a language tag fails both
    sh:datatype and sh:languageIn); their distinct hints are joined."""
    merged: dict[tuple, tuple[Result, list[str]]] = {}
    for result in results:
        raw = result.raw
        key = (str(result.file), result.line, raw.focus.key(), raw.path,
               raw.value.key() if raw.value else None, result.message, raw.severity)
        first, hints = merged.setdefault(key, (result, []))
        if result.hint and result.hint not in hints:
            hints.append(result.hint)
    return [(result, " ".join(hints)) for result, hints in merged.values()]


def render_text(report: ValidationReport, compact, root: Path | None = None) -> str:
    """One block per result: place, node, property and value, then message and hint.

    Results that would print identical blocks are shown once (see :func:`shown_once`), and the
    summary counts the blocks shown; the JSON and Turtle forms keep every SHACL result.
    """
    words = WORDS.get(report.lang, WORDS["en"])
    lines = []
    shown = shown_once(report.results)
    for result, hint in shown:
        raw = result.raw
        severity = words[raw.severity.rsplit("#", 1)[-1]]
        lines.append(f"{where(result, root)}: {severity}: {result.message}")
        lines.append(f"  {words['node']}: {compact.term(raw.focus)}")
        if raw.path:
            inverse = "^" if raw.path.startswith("^") else ""
            lines.append(f"  {words['property']}: {inverse}{compact(raw.path.lstrip('^'))}")
        if raw.value is not None and raw.value != raw.focus:
            lines.append(f"  {words['value']}: {compact.term(raw.value)}")
        if hint:
            lines.append(f"  {words['hint']}: {hint}")
    names = ", ".join(str(f) for f in report.files)
    if report.results:
        violations = sum(1 for result, _ in shown if result.is_violation)
        lines.append(words["summary"].format(violations=violations,
                                             warnings=len(shown) - violations,
                                             files=len(report.files), nodes=report.focus_nodes))
    if report.conforms and not report.results:
        lines.append(words["ok"].format(files=names, nodes=report.focus_nodes))
    return "\n".join(lines)


def term_json(term: Term | None) -> dict | None:
    if term is None:
        return None
    data = {"type": term.kind, "value": term.value}
    if term.datatype:
        data["datatype"] = term.datatype
    if term.language:
        data["language"] = term.language
    return data


def render_json(report: ValidationReport, root: Path | None = None) -> str:
    """The report as JSON: conforms, counts and every result with its words.

    Unlike the text report, it keeps results that would read the same (two constraint
    components of one shape refusing one value): tools get one entry per SHACL result, the
    counts agree with the Turtle report, and each entry names its constraint component.
    """
    results = []
    for result in report.results:
        raw = result.raw
        results.append({
            "file": str(result.file) if result.file else None, "line": result.line,
            "focusNode": term_json(raw.focus), "resultPath": raw.path,
            "value": term_json(raw.value), "severity": raw.severity,
            "sourceConstraintComponent": raw.component, "sourceShape": raw.source_shape,
            "sourceConstraint": raw.source_constraint, "message": result.message,
            "hint": result.hint, "lang": report.lang})
    return json.dumps({"conforms": report.conforms, "files": [str(f) for f in report.files],
                       "focusNodes": report.focus_nodes, "violations": len(report.violations),
                       "warnings": len(report.warnings), "results": results},
                      ensure_ascii=False, indent=2)


def rdf_term(term: Term, blanks: dict[str, BNode]) -> URIRef | BNode | Literal:
    if term.kind == "iri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return blanks.setdefault(term.value, BNode())
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype) if term.datatype else XSD.string)


def report_graph(report: ValidationReport) -> Graph:
    """The standard SHACL validation report (sh:ValidationReport) of ``report``."""
    graph = Graph()
    graph.bind("sh", SHN)
    node = BNode()
    graph.add((node, RDF.type, SHN.ValidationReport))
    graph.add((node, SHN.conforms, Literal(report.conforms)))
    blanks: dict[str, BNode] = {}
    for result in report.results:
        raw = result.raw
        item = BNode()
        graph.add((node, SHN.result, item))
        graph.add((item, RDF.type, SHN.ValidationResult))
        graph.add((item, SHN.focusNode, rdf_term(raw.focus, blanks)))
        graph.add((item, SHN.resultSeverity, URIRef(raw.severity)))
        graph.add((item, SHN.sourceConstraintComponent, URIRef(raw.component)))
        graph.add((item, SHN.sourceShape, URIRef(raw.source_shape)))
        if raw.path and raw.path.startswith("^"):
            inverse = BNode()
            graph.add((item, SHN.resultPath, inverse))
            graph.add((inverse, SHN.inversePath, URIRef(raw.path[1:])))
        elif raw.path:
            graph.add((item, SHN.resultPath, URIRef(raw.path)))
        if raw.value is not None:
            graph.add((item, SHN.value, rdf_term(raw.value, blanks)))
        if raw.source_constraint:
            graph.add((item, SHN.sourceConstraint, URIRef(raw.source_constraint)))
        graph.add((item, SHN.resultMessage, Literal(result.message, lang=report.lang)))
    return graph


def render_turtle(report: ValidationReport) -> str:
    return report_graph(report).serialize(format="turtle")
